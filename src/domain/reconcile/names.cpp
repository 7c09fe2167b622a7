#include "domain/reconcile/names.h"

#include "domain/reconcile/reference.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace o2c::reconcile::names {
namespace {

// Folds of U+00C0..U+00FF; "" where the character separates words (× ÷).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};
// Folds of U+0100..U+017F (Latin Extended-A), one letter each.
constexpr std::string_view kLatinExtA =
    "aaaaaacccccccc"
    "ddddeeeeeeeeee"
    "gggggggghhhhiiiiiiiiii"
    "iijjkkkllllllllll"
    "nnnnnnnnnoooooo"
    "oorrrrrrsssssssstttttt"
    "uuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kLatinExtA.size() == 128);

// Legal forms and filler words: they say nothing about who the payer is,
// and banks and payers drop or change them freely.
const std::unordered_set<std::string_view>& dropped() {
  static const std::unordered_set<std::string_view> s = {
      "gmbh", "mbh",  "ag",   "kg",   "ohg",  "ug",   "kgaa", "gbr",  "ev",    "se",   "ltd",
      "limited", "llc", "llp", "lp", "plc",  "inc",  "incorporated", "corp", "corporation",
      "co",   "company", "bv", "nv",   "vof",  "sa",   "sas",  "sarl", "sl",    "srl",  "spa",
      "sagl", "oy",   "oyj",  "ab",   "as",   "asa",  "aps",  "pty",  "pvt",   "kft",  "sro",
      "doo",  "zrt",  "bhd",  "sdn",  "the",  "and",  "und",  "et",   "of",    "ltda", "cie"};
  return s;
}

const std::unordered_map<std::string_view, std::string_view>& spelled_out() {
  static const std::unordered_map<std::string_view, std::string_view> m = {
      {"intl", "international"}, {"int", "international"}, {"internat", "international"},
      {"natl", "national"},      {"mfg", "manufacturing"},  {"svc", "services"},
      {"svcs", "services"},      {"service", "services"},   {"tech", "technology"},
      {"technologies", "technology"}, {"bros", "brothers"}, {"grp", "group"},
      {"ind", "industries"},     {"inds", "industries"},    {"industry", "industries"},
      {"assoc", "associates"},   {"mgmt", "management"},    {"sys", "systems"},
      {"dept", "department"},    {"dist", "distribution"},  {"distr", "distribution"},
      {"elec", "electric"},      {"eng", "engineering"},    {"engg", "engineering"},
      {"hldg", "holdings"},      {"hldgs", "holdings"},     {"holding", "holdings"},
      {"ctr", "center"},         {"centre", "center"},      {"univ", "university"},
      {"assn", "association"},   {"bldg", "building"},      {"gebr", "gebruder"},
      {"intern", "international"}};
  return m;
}

// ue -> u, oe -> o, ae -> a: "Mueller" and "Müller" (folded to "muller") meet.
std::string fold_digraphs(std::string t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    out.push_back(t[i]);
    if (i + 1 < t.size() && t[i + 1] == 'e' && (t[i] == 'u' || t[i] == 'o' || t[i] == 'a')) ++i;
  }
  return out;
}

// How well one token stands for another: 1 equal, less for an abbreviation
// or a typo, 0 otherwise.
double token_match(std::string_view p, std::string_view c) {
  // Abbreviations keep the first letters and a typo in the first letter is
  // rare: a different first letter settles most pairs at once.
  if (p.empty() || c.empty() || p[0] != c[0]) return 0.0;
  if (p == c) return 1.0;
  const std::string_view shorter = p.size() < c.size() ? p : c;
  const std::string_view longer = p.size() < c.size() ? c : p;
  // An abbreviation keeps the first letters and some of the rest, in order:
  // "maschb" for "maschinenbau", "intl" for "international".
  if (shorter.size() >= kPrefixMin && longer.substr(0, kPrefixMin - 1) == shorter.substr(0, kPrefixMin - 1)) {
    size_t j = 0;
    for (size_t i = 0; i < longer.size() && j < shorter.size(); ++i) j += longer[i] == shorter[j] ? 1 : 0;
    if (j == shorter.size()) return 0.8;
  }
  if (shorter.size() >= 5 && ref::one_edit_apart(p, c)) return 0.8;
  return 0.0;
}

}  // namespace

std::vector<std::string> tokens(std::string_view name) {
  // Fold to lower-case ASCII letters and digits with spaces between words.
  std::string flat;
  flat.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        flat.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        flat.push_back(static_cast<char>(c));
      } else if (c == '\'') {
        // "Int'l" is one word
      } else if (c == '.') {
        flat.push_back('.');  // kept to tell "A.C.M.E." from "A C M E" below; both join
      } else {
        flat.push_back(' ');
      }
      continue;
    }
    // Two-byte UTF-8 sequences of the Latin blocks; anything else separates.
    if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < name.size()) {
      const auto c2 = static_cast<unsigned char>(name[i + 1]);
      const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
      ++i;
      if (cp >= 0xC0 && cp <= 0xFF) {
        const char* f = kLatin1[cp - 0xC0];
        if (*f) flat.append(f); else flat.push_back(' ');
      } else if (cp >= 0x100 && cp <= 0x17F) {
        flat.push_back(kLatinExtA[cp - 0x100]);
      } else {
        flat.push_back(' ');
      }
      continue;
    }
    if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
        static_cast<unsigned char>(name[i + 2]) == 0x99) {
      i += 2;  // ’ as an apostrophe
      continue;
    }
    flat.push_back(' ');
  }
  // Words split at spaces, then at dots; single letters between dots are one
  // word ("a.c.m.e." -> "acme", "b.v." -> "bv"), other parts stay apart.
  std::vector<std::string> joined_letters;
  std::vector<std::string> parts;
  std::string cur;
  auto end_word = [&] {
    for (size_t i = 0; i < parts.size();) {
      if (parts[i].size() == 1 && i + 1 < parts.size() && parts[i + 1].size() == 1) {
        std::string w;
        while (i < parts.size() && parts[i].size() == 1) w += parts[i++];
        joined_letters.push_back(std::move(w));
        continue;
      }
      joined_letters.push_back(std::move(parts[i++]));
    }
    parts.clear();
  };
  for (char ch : flat) {
    if (ch == ' ' || ch == '.') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
      if (ch == ' ') end_word();
      continue;
    }
    cur.push_back(ch);
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  end_word();

  std::vector<std::string> out;
  for (auto& w : joined_letters) {
    if (dropped().count(w)) continue;
    auto s = spelled_out().find(w);
    std::string t = s != spelled_out().end() ? std::string(s->second) : std::move(w);
    t = fold_digraphs(std::move(t));
    if (!t.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::string initials(const std::vector<std::string>& tokens) {
  if (tokens.size() < 2) return {};
  std::string s;
  for (const auto& t : tokens) s.push_back(t[0]);
  return s;
}

std::string joined(const std::vector<std::string>& tokens) {
  std::string s;
  for (const auto& t : tokens) s += t;
  return s;
}

Name parse(std::string_view name) {
  Name n;
  n.tokens = tokens(name);
  n.joined = joined(n.tokens);
  n.initials = initials(n.tokens);
  return n;
}

double similarity(const std::vector<std::string>& payer, const std::vector<std::string>& customer) {
  return similarity(Name{payer, joined(payer), initials(payer)}, Name{customer, joined(customer), initials(customer)});
}

double similarity(const Name& p, const Name& c) {
  const auto& payer = p.tokens;
  const auto& customer = c.tokens;
  if (payer.empty() || customer.empty()) return 0.0;
  if (p.joined == c.joined) return 1.0;
  if (payer.size() == 1 && payer[0] == c.initials) return kInitialsScore;
  if (customer.size() == 1 && customer[0] == p.initials) return kInitialsScore;
  // Greedy: each payer token takes the customer token it matches best. Names
  // have a handful of tokens, so quadratic is cheap.
  std::vector<bool> used(customer.size(), false);
  double sum = 0.0;
  for (const auto& p : payer) {
    double best = 0.0;
    size_t at = customer.size();
    for (size_t j = 0; j < customer.size(); ++j) {
      if (used[j]) continue;
      const double m = token_match(p, customer[j]);
      if (m > best) {
        best = m;
        at = j;
      }
    }
    if (at < customer.size()) {
      used[at] = true;
      sum += best;
    }
  }
  const double score = 2.0 * sum / static_cast<double>(payer.size() + customer.size());
  // Same tokens in another order are the same name.
  return std::min(1.0, score);
}

}  // namespace o2c::reconcile::names
