#include "domain/reconcile/reference.h"

#include "domain/billing/invoice.h"

namespace o2c::reconcile::ref {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_soft(char c) {
  return c == ' ' || c == '-' || c == '/' || c == '.' || c == '_' || c == ':' || c == '#' || c == '\t';
}

// A word printed before a number reads as its label only when close by
// ("INV 2026-42", "Rechnung Nr.: 2026-42"), not across a sentence.
constexpr uint8_t kLabelGapMax = 4;
// Year and sequence are one number when at most this much separates them.
constexpr uint8_t kPairGapMax = 2;
// An RF reference's characters: "RF" + 2 check digits + at most 21.
constexpr size_t kRfBodyMax = 21;

bool soft_within(const Group& g, uint8_t max) { return !g.hard_gap && g.gap <= max; }

int year_of(std::string_view four) {
  if (four.size() != 4) return 0;
  int y = 0;
  for (char c : four) {
    if (!is_digit(c)) return 0;
    y = y * 10 + (c - '0');
  }
  return y >= kYearMin && y <= kYearMax ? y : 0;
}

int small_number(std::string_view d) {
  int v = 0;
  for (char c : d) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Tokens tokenize(std::string_view a, std::string_view b) {
  Tokens t;
  t.text.reserve(a.size() + 1 + b.size());
  t.text.append(a);
  t.text.push_back('\n');
  t.text.append(b);
  uint32_t gap = 0;
  bool hard = false;
  char sep = 0;
  for (size_t i = 0; i < t.text.size(); ++i) {
    char& c = t.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool dig = is_digit(c);
    const bool alpha = is_upper(c);
    if (!dig && !alpha) {
      if (!is_soft(c)) hard = true;
      if (sep == 0) sep = c;
      ++gap;
      continue;
    }
    if (!t.groups.empty() && gap == 0 && t.groups.back().digits == dig) {
      t.groups.back().end = static_cast<uint32_t>(i + 1);
      continue;
    }
    Group g;
    g.begin = static_cast<uint32_t>(i);
    g.end = static_cast<uint32_t>(i + 1);
    g.digits = dig;
    g.gap = static_cast<uint8_t>(gap > 255 ? 255 : gap);
    g.hard_gap = hard;
    // Only the first separator is kept: "2026.42" must be told from "2026-42".
    g.sep = sep;
    t.groups.push_back(g);
    gap = 0;
    hard = false;
    sep = 0;
  }
  return t;
}

std::optional<std::string> invoice_key_of_digits(std::string_view series, std::string_view digits) {
  if (digits.size() < 5) return std::nullopt;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
  }
  if (year_of(digits.substr(0, 4)) == 0) return std::nullopt;
  std::string_view seq = digits.substr(4);
  while (!seq.empty() && seq.front() == '0') seq.remove_prefix(1);
  if (seq.empty() || seq.size() > kSeqDigitsMax) return std::nullopt;
  std::string key(series);
  key.append(digits.substr(0, 4));
  if (seq.size() < 6) key.append(6 - seq.size(), '0');
  key.append(seq);
  return key;
}

std::optional<NumberKey> invoice_key_of_number(std::string_view number) {
  const Tokens t = tokenize(number, "");
  std::string series;
  std::string digits;
  for (size_t i = 0; i < t.groups.size(); ++i) {
    if (!t.groups[i].digits) {
      if (digits.empty()) series.append(t.at(i));
      continue;
    }
    digits.append(t.at(i));
  }
  if (series == billing::kInvoiceSeries) series.clear();
  auto key = invoice_key_of_digits(series, digits);
  if (!key) return std::nullopt;
  return NumberKey{series, *key};
}

std::vector<Found> find_references(const Tokens& t, const std::unordered_set<std::string>& series) {
  std::vector<Found> out;
  const size_t n = t.groups.size();
  auto label_before = [&](size_t i) -> std::string_view {
    if (i == 0 || t.groups[i - 1].digits || !soft_within(t.groups[i], kLabelGapMax)) return {};
    return t.at(i - 1);
  };
  auto shown = [&](size_t from, size_t to) {
    return t.text.substr(t.groups[from].begin, t.groups[to].end - t.groups[from].begin);
  };
  size_t i = 0;
  while (i < n) {
    const Group& g = t.groups[i];
    // RF + check digits + body, printed in blocks of four or compact.
    if (!g.digits && t.at(i) == "RF" && i + 1 < n && t.groups[i + 1].digits && soft_within(t.groups[i + 1], 1)) {
      std::string compact;
      size_t last = i;
      size_t best_end = 0;
      std::string best;
      for (size_t j = i + 1; j < n && (j == i + 1 || soft_within(t.groups[j], 1)); ++j) {
        if (compact.size() + t.at(j).size() > 2 + kRfBodyMax) break;
        compact.append(t.at(j));
        last = j;
        if (compact.size() >= 3 && billing::valid_creditor_reference("RF" + compact)) {
          best = compact;
          best_end = j;
        }
      }
      if (!best.empty()) {
        Found f;
        f.kind = Found::Kind::rf;
        f.key = best.substr(2);
        f.full_form = true;
        f.shown = shown(i, best_end);
        out.push_back(std::move(f));
        i = best_end + 1;
        continue;
      }
      // Check digits that do not hold: a typo somewhere. The body is read
      // as plain text (an invoice key, perhaps one typo away), with less trust.
      if (compact.size() > 2) {
        const std::string body = compact.substr(2);
        bool all_digits = true;
        for (char c : body) all_digits = all_digits && is_digit(c);
        if (all_digits) {
          if (auto key = invoice_key_of_digits("", body)) {
            Found f;
            f.kind = Found::Kind::rf_bad_check;
            f.key = *key;
            f.digits = body;
            f.shown = shown(i, last);
            out.push_back(std::move(f));
          }
        }
        i = last + 1;
        continue;
      }
    }
    if (!g.digits) {
      ++i;
      continue;
    }
    const std::string_view label = label_before(i);
    std::string ser;
    if (!label.empty() && series.count(std::string(label))) ser = label;
    const std::string_view d = t.at(i);
    // Compact: year and sequence run together ("inv2026000042"). Shorter
    // runs are too easily a date, a postcode or a customer number.
    if (d.size() >= 9 && d.size() <= 4 + kSeqDigitsMax) {
      if (auto key = invoice_key_of_digits(ser, d)) {
        Found f;
        f.key = *key;
        f.series = ser;
        f.digits = d;
        f.full_form = d.size() >= 10;
        f.shown = shown(label.empty() ? i : i - 1, i);
        out.push_back(std::move(f));
      }
      ++i;
      continue;
    }
    // Year, a separator, the sequence ("2026-000042", "2026 42"), unless it
    // reads as a date (2026-03-15) or an amount (2026.42).
    if (year_of(d) && i + 1 < n && t.groups[i + 1].digits && soft_within(t.groups[i + 1], kPairGapMax)) {
      const std::string_view seq = t.at(i + 1);
      const bool amount_like = t.groups[i + 1].sep == '.' && seq.size() == 2;
      const bool date_like = seq.size() == 2 && i + 2 < n && t.groups[i + 2].digits &&
                             t.at(i + 2).size() == 2 && soft_within(t.groups[i + 2], kPairGapMax) &&
                             small_number(seq) >= 1 && small_number(seq) <= 12 &&
                             small_number(t.at(i + 2)) >= 1 && small_number(t.at(i + 2)) <= 31;
      if (!amount_like && !date_like && seq.size() <= kSeqDigitsMax) {
        std::string digits(d);
        digits.append(seq);
        if (auto key = invoice_key_of_digits(ser, digits)) {
          Found f;
          f.key = *key;
          f.series = ser;
          f.digits = std::move(digits);
          f.full_form = seq.size() >= 6 || !label.empty();
          f.shown = shown(label.empty() ? i : i - 1, i + 1);
          out.push_back(std::move(f));
          i += 2;
          continue;
        }
      }
      if (date_like) {
        i += 3;
        continue;
      }
    }
    ++i;
  }
  return out;
}

bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (i == a.size() || a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);
}

std::string_view generic_part(std::string_view group, bool digits) {
  if (!digits) return group;
  while (group.size() > 1 && group.front() == '0') group.remove_prefix(1);
  return group;
}

uint64_t hash_start() { return 14695981039346656037ULL; }

uint64_t hash_add(uint64_t h, std::string_view part) {
  for (char c : part) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string generic_key(std::string_view s) {
  const Tokens t = tokenize(s, "");
  std::string key;
  for (size_t i = 0; i < t.groups.size(); ++i) key.append(generic_part(t.at(i), t.groups[i].digits));
  return key;
}

}  // namespace o2c::reconcile::ref
