#include "formats/journal/journal.h"

#include <set>

#include "core/currency.h"
#include "core/date.h"
#include "core/decimal.h"

namespace o2c::journal {
namespace {

constexpr size_t kAmountEnd = 60;  // amounts end in this column, for people reading the file

// One line of text: control characters as spaces, runs of spaces as one,
// trimmed; `replace` maps the characters the context gives a meaning to.
template <typename Replace>
std::string one_line(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    char ch = (c < 0x20 || c == 0x7f) ? ' ' : replace(static_cast<char>(c));
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const char* type_tag(const std::string& type) {
  if (type == "asset") return "A";
  if (type == "liability") return "L";
  if (type == "equity") return "E";
  if (type == "revenue") return "R";
  if (type == "expense") return "X";
  return nullptr;
}

std::string padded(const std::string& name, const std::string& amount) {
  std::string line = "    " + name;
  // At least two spaces: that is what ends the account name.
  const size_t used = line.size() + amount.size();
  line.append(used + 2 <= kAmountEnd ? kAmountEnd - used : 2, ' ');
  return line + amount + "\n";
}

}  // namespace

std::string account_name(const Account& a) {
  std::string name = one_line(a.code + " " + a.name, [](char c) {
    if (c == ':') return '-';
    if (c == ';') return ',';
    return c;
  });
  // "(x)" and "[x]" would be virtual postings.
  if (!name.empty() && (name.front() == '(' || name.front() == '[')) name.front() = '-';
  if (name.empty()) name = "-";
  return name;
}

std::string description_text(std::string_view text) {
  return one_line(text, [](char c) {
    if (c == ';') return ',';
    if (c == '|') return '/';
    return c;
  });
}

Result<std::string> amount_text(int64_t minor, std::string_view currency) {
  auto c = Currency::of(currency);
  if (!c) return Error::invalid("unknown_currency", "'" + std::string(currency) + "' is not an ISO 4217 currency");
  return format_scaled(minor, c->exponent()) + " " + std::string(c->code());
}

Result<std::map<std::string, std::string>> account_names(const std::vector<Account>& chart) {
  std::map<std::string, std::string> out;
  std::map<std::string, std::string> taken;  // name -> code
  for (const auto& a : chart) {
    std::string name = account_name(a);
    auto [it, fresh] = taken.emplace(name, a.code);
    if (!fresh && it->second != a.code) {
      return Error::invalid("duplicate_account",
                            "accounts " + it->second + " and " + a.code + " would both be named '" + name + "'");
    }
    out[a.code] = std::move(name);
  }
  return out;
}

Result<std::string> header(const std::vector<std::string>& comment, const std::vector<Account>& chart,
                           const std::vector<std::string>& currencies) {
  std::string out;
  for (const auto& line : comment) out += "; " + description_text(line) + "\n";
  if (!comment.empty()) out += "\n";
  // Without it hledger guesses per number: "1.000" could be a thousand.
  out += "decimal-mark .\n\n";
  std::set<std::string> seen;
  for (const auto& code : currencies) {
    auto c = Currency::of(code);
    if (!c) return Error::invalid("unknown_currency", "'" + code + "' is not an ISO 4217 currency");
    if (!seen.insert(code).second) continue;
    // hledger wants a decimal mark in the directive, even with no decimals.
    out += "commodity 1000." + std::string(static_cast<size_t>(c->exponent()), '0') + " " + code + "\n";
  }
  if (!seen.empty()) out += "\n";
  O2C_ASSIGN_OR_RETURN(auto names, account_names(chart));
  for (const auto& a : chart) {
    out += "account " + names.at(a.code);
    if (const char* tag = type_tag(a.type)) out += std::string("  ; type: ") + tag;
    out += "\n";
  }
  if (!chart.empty()) out += "\n";
  return out;
}

Result<std::string> transaction(const Transaction& t, const std::map<std::string, std::string>& names) {
  if (!Date::parse(t.date).ok()) return Error::invalid("invalid_date", "entry date '" + t.date + "' is not a date");
  int64_t debits = 0, credits = 0;
  std::string lines;
  for (const auto& p : t.postings) {
    auto name = names.find(p.account);
    if (name == names.end()) return Error::invalid("unknown_account", "no account " + p.account + " in the chart");
    if ((p.debit_minor > 0) == (p.credit_minor > 0) || p.debit_minor < 0 || p.credit_minor < 0) {
      return Error::invalid("invalid_posting", "a posting to " + p.account + " must be a debit or a credit");
    }
    O2C_ASSIGN_OR_RETURN(auto amount, amount_text(p.debit_minor > 0 ? p.debit_minor : -p.credit_minor, t.currency));
    debits += p.debit_minor;
    credits += p.credit_minor;
    lines += padded(name->second, amount);
  }
  if (debits != credits || t.postings.empty()) {
    return Error::invalid("unbalanced_entry", "entry " + std::to_string(t.entry_id) + " does not balance");
  }
  std::string out = t.date + " *";
  if (t.entry_id > 0) out += " (E" + std::to_string(t.entry_id) + ")";
  const std::string memo = description_text(t.memo);
  const std::string source = description_text(t.source_type + (t.source_id.empty() ? "" : " " + t.source_id));
  if (!memo.empty()) out += " " + memo;
  if (!source.empty()) out += (memo.empty() ? " " : " | ") + source;
  out += "\n";
  auto tag = [](std::string_view v) {
    return one_line(v, [](char c) { return c == ',' || c == ';' ? ' ' : c; });
  };
  std::string tags;
  if (t.entry_id > 0) tags = "entry:" + std::to_string(t.entry_id);
  if (!t.source_type.empty()) tags += (tags.empty() ? "" : ", ") + std::string("source_type:") + tag(t.source_type);
  if (!t.source_id.empty()) tags += (tags.empty() ? "" : ", ") + std::string("source_id:") + tag(t.source_id);
  if (!tags.empty()) out += "    ; " + tags + "\n";
  return out + lines + "\n";
}

}  // namespace o2c::journal
