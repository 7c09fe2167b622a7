#include "formats/bank/statement.h"

#include <cctype>
#include <limits>

#include "core/currency.h"
#include "formats/bank/internal.h"

namespace o2c::formats::bank {

const char* format_name(Format f) {
  switch (f) {
    case Format::camt052: return "camt.052";
    case Format::camt053: return "camt.053";
    case Format::camt054: return "camt.054";
    case Format::mt940: return "MT940";
    case Format::mt942: return "MT942";
    case Format::csv: return "CSV";
  }
  return "unknown";
}

int64_t Statement::booked_sum_minor() const {
  int64_t sum = 0;
  for (const auto& l : lines) {
    // Wraps rather than traps: the readers cap each amount at 10^15 minor
    // units, so only an absurd number of absurd amounts gets near this.
    if (l.booked) sum = static_cast<int64_t>(static_cast<uint64_t>(sum) + static_cast<uint64_t>(l.amount_minor));
  }
  return sum;
}

std::optional<bool> Statement::balances() const { return balances_with(booked_sum_minor()); }

std::optional<bool> Statement::balances_with(int64_t booked_sum) const {
  if (!opening || !closing) return std::nullopt;
  return opening->amount_minor + booked_sum == closing->amount_minor;
}

void hand_over(ParsedFile& f, LineSink& sink) {
  for (size_t i = 0; i < f.statements.size(); ++i) {
    std::vector<Line> lines = std::move(f.statements[i].lines);
    f.statements[i].lines.clear();
    sink.lines(i, f.statements[i], std::move(lines));
  }
}

namespace {

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  size_t i = 0;
  while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || static_cast<unsigned char>(s[i]) < 0x20)) ++i;
  return s.substr(i);
}

}  // namespace

Format sniff(std::string_view content) {
  const std::string_view s = skip_bom_and_space(content);
  // A look at the head is enough and keeps sniffing a 1 GB file cheap.
  const std::string_view head = s.substr(0, 8192);
  if (!head.empty() && head[0] == '<') {
    if (head.find("camt.052") != std::string_view::npos ||
        head.find("BkToCstmrAcctRpt") != std::string_view::npos) {
      return Format::camt052;
    }
    if (head.find("camt.054") != std::string_view::npos ||
        head.find("BkToCstmrDbtCdtNtfctn") != std::string_view::npos) {
      return Format::camt054;
    }
    return Format::camt053;
  }
  bool mt = head.substr(0, 3) == "{1:";
  bool mt942 = head.find("{2:I942") != std::string_view::npos || head.find("{2:O942") != std::string_view::npos;
  bool has_balance = false;
  // Some banks put a few header lines ("ABNANL2A", "940") before the first
  // tag, so look at the start of every line of the head, not only the first.
  for (size_t pos = 0; pos < head.size();) {
    size_t eol = head.find('\n', pos);
    std::string_view line = head.substr(pos, eol == std::string_view::npos ? head.npos : eol - pos);
    if (line.substr(0, 4) == ":20:" || line.substr(0, 4) == ":25:") mt = true;
    if (line.substr(0, 4) == ":60F" || line.substr(0, 4) == ":60M") has_balance = true;
    if (line.substr(0, 5) == ":34F:" || line.substr(0, 5) == ":13D:") mt942 = mt942 || !has_balance;
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  if (mt) return mt942 && !has_balance ? Format::mt942 : Format::mt940;
  return Format::csv;
}

namespace detail {

namespace {
constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000 / 1000;  // 10^15 minor units: far above any bank balance
}

Result<int64_t> parse_amount(std::string_view text, int exponent, char sep, bool allow_sign) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+') && allow_sign) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return Error::malformed("invalid_amount", "empty amount");
  int64_t units = 0;
  size_t i = 0;
  bool digits = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    digits = true;
    if (units > kMaxAmountMinor / 10) return Error::malformed("amount_out_of_range", "amount too large");
    units = units * 10 + (text[i] - '0');
  }
  std::string_view frac;
  if (i < text.size() && text[i] == sep) {
    frac = text.substr(i + 1);
    i = text.size();
    for (char c : frac) {
      if (c < '0' || c > '9') return Error::malformed("invalid_amount", "not a number: \"" + std::string(text) + "\"");
      digits = true;
    }
  }
  if (i != text.size() || !digits) {
    return Error::malformed("invalid_amount", "not a number: \"" + std::string(text) + "\"");
  }
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (static_cast<int>(frac.size()) > exponent) {
    return Error::malformed("too_many_decimals", "\"" + std::string(text) + "\" has more decimals than the currency's " +
                                                     std::to_string(exponent) + "; not rounded");
  }
  for (int d = 0; d < exponent; ++d) {
    if (units > kMaxAmountMinor / 10) return Error::malformed("amount_out_of_range", "amount too large");
    units = units * 10 + (d < static_cast<int>(frac.size()) ? frac[d] - '0' : 0);
  }
  if (units > kMaxAmountMinor) return Error::malformed("amount_out_of_range", "amount too large");
  return negative ? -units : units;
}

int currency_exponent(std::string_view code, bool* known) {
  auto c = Currency::of(code);
  if (known) *known = c.has_value();
  return c ? c->exponent() : 2;
}

bool looks_like_currency(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

DateCheck check_date(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return DateCheck::invalid;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) max = 29;
  return day <= max ? DateCheck::valid : DateCheck::impossible_day;
}

std::string iso_date(int year, int month, int day) {
  std::string s(10, '0');
  s[0] = static_cast<char>('0' + year / 1000 % 10);
  s[1] = static_cast<char>('0' + year / 100 % 10);
  s[2] = static_cast<char>('0' + year / 10 % 10);
  s[3] = static_cast<char>('0' + year % 10);
  s[4] = '-';
  s[5] = static_cast<char>('0' + month / 10 % 10);
  s[6] = static_cast<char>('0' + month % 10);
  s[7] = '-';
  s[8] = static_cast<char>('0' + day / 10 % 10);
  s[9] = static_cast<char>('0' + day % 10);
  return s;
}

bool iso_date_prefix(std::string_view text, std::string* out) {
  text = trim(text);
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ' && text[10] != '+' && text[10] != 'Z' &&
      text[10] != '-') {
    return false;
  }
  const int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const int m = (text[5] - '0') * 10 + (text[6] - '0');
  const int d = (text[8] - '0') * 10 + (text[9] - '0');
  if (check_date(y, m, d) != DateCheck::valid) return false;
  out->assign(text.substr(0, 10));
  return true;
}

namespace {
bool is_space_or_control(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }
}  // namespace

void append_squeezed(std::string& out, std::string_view s) {
  bool pending_space = !out.empty();
  bool any = false;
  for (char c : s) {
    if (is_space_or_control(c)) {
      pending_space = pending_space || any || !out.empty();
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
    any = true;
  }
}

std::string squeeze_spaces(std::string_view s) {
  std::string out;
  append_squeezed(out, s);
  return out;
}

std::string compact_iban(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_space_or_control(c)) continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

bool looks_like_iban(std::string_view s) {
  if (s.size() < 15 || s.size() > 34) return false;
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!upper(s[0]) || !upper(s[1]) || !digit(s[2]) || !digit(s[3])) return false;
  for (char c : s) {
    if (!upper(c) && !digit(c)) return false;
  }
  return true;
}

bool looks_like_bic(std::string_view s) {
  if (s.size() != 8 && s.size() != 11) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool up = c >= 'A' && c <= 'Z';
    const bool dig = c >= '0' && c <= '9';
    if (i < 6 ? !up : !(up || dig)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space_or_control(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_or_control(s.back())) s.remove_suffix(1);
  return s;
}

Error at_line(int line, std::string_view what, std::string code) {
  std::string where = "line " + std::to_string(line);
  return Error::malformed(std::move(code), where + ": " + std::string(what), where);
}

Error at_path(std::string_view path, std::string_view what, std::string code) {
  return Error::malformed(std::move(code), std::string(path) + ": " + std::string(what), std::string(path));
}

}  // namespace detail
}  // namespace o2c::formats::bank
