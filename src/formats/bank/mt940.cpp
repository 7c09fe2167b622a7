// SWIFT MT940 (customer statement) and MT942 (interim transaction report).
//
// One pass over the lines, no regular expressions: a 1M-line file must read
// in about a second. A line starting with ":TAG:" opens a field; the lines
// after it, up to the next tag, continue it. A message ends at a line "-"
// (or "-}" inside SWIFT blocks); a new :20: starts a new statement anyway,
// because many exports leave the "-" out.
//
// Choices (docs/decisions.md, "Bank statement formats"):
// - YYMMDD means 20YY. MT940 has no century; every file we see is from this
//   one, and a fixed pivot is predictable where a sliding one is not.
// - A day past the end of its month (160230, "30 February", found in real
//   exports) is kept as stated text with a warning: the bank booked the line,
//   refusing the whole file over a value date would block the reconciliation.
//   A month outside 1..12 or a day outside 1..31 is refused.
// - Marks: C and RD (reversal of a debit) are money in; D and RC (reversal of
//   a credit) are money out.
// - MT942 lines are interim, so booked = false (statement.h).
// - Bytes are kept as they are: invalid UTF-8 in names and texts is passed
//   through, never a reason to refuse.
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {

using detail::at_line;
using detail::trim;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }

int two_digits(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }
bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

// ":TAG:" at the start of a line, where TAG is 1 to 4 letters or digits
// (":20:", ":28C:", ":NS:", ":940:"). Returns the tag, or empty.
std::string_view tag_of(std::string_view line) {
  if (line.size() < 3 || line[0] != ':') return {};
  size_t i = 1;
  while (i < line.size() && i <= 5 && is_alnum(line[i])) ++i;
  if (i == 1 || i > 5 || i >= line.size() || line[i] != ':') return {};
  return line.substr(1, i - 1);
}

// ---- :86: dialects -----------------------------------------------------------

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void set_e2e(Detail& d, std::string_view v) {
  v = trim(v);
  if (v.empty() || v == "NOTPROVIDED") return;
  d.end_to_end_id = detail::squeeze_spaces(v);
}

// Text without the line breaks of the file: structured dialects wrap at a
// fixed width, in the middle of words and of keys.
std::string unwrapped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\n') out += c;
  }
  return out;
}

// German/SEPA remittance keys ("EREF+..."), as sent in ?20..?29 and ?60..?63.
constexpr std::string_view kSepaKeys[] = {"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+",
                                         "IBAN+", "BIC+",  "COAM+", "OAMT+", "SQTP+", "PURP+", "BREF+", "RREF+"};

std::string_view sepa_key_at(std::string_view s, size_t pos) {
  for (auto k : kSepaKeys) {
    if (s.substr(pos, k.size()) == k) return k;
  }
  return {};
}

void apply_sepa_keys(std::string_view s, Detail& d, std::string& remittance) {
  size_t pos = 0;
  std::string_view key;
  size_t value_start = 0;
  auto close = [&](size_t end) {
    std::string_view v = s.substr(value_start, end - value_start);
    if (key.empty() || key == "SVWZ+") {
      detail::append_squeezed(remittance, v);
    } else if (key == "EREF+") {
      set_e2e(d, v);
    } else if (key == "MREF+") {
      d.mandate_id = detail::squeeze_spaces(v);
    } else if (key == "IBAN+") {
      if (d.counterparty_iban.empty()) d.counterparty_iban = detail::compact_iban(v);
    } else if (key == "BIC+") {
      if (d.counterparty_bic.empty()) d.counterparty_bic = std::string(trim(v));
    }
    // KREF, CRED, ABWA, ... : kept out of the remittance, which is for people.
  };
  while (pos < s.size()) {
    auto k = sepa_key_at(s, pos);
    if (!k.empty()) {
      close(pos);
      key = k;
      pos += k.size();
      value_start = pos;
    } else {
      ++pos;
    }
  }
  close(s.size());
}

// "805?00ENTGELTABSCHLUSS?106666?20Pauschalen?30...": the three-digit
// business transaction code (GVC), then subfields ?NN. The separator is
// usually '?', but the standard lets a bank choose it: it is the 4th byte.
bool parse_german(std::string_view raw, Detail& d, std::string& gvc) {
  if (raw.size() < 4 || !is_digit(raw[0]) || !is_digit(raw[1]) || !is_digit(raw[2])) return false;
  const char sep = raw[3];
  if (is_alnum(sep) || sep == ' ' || sep == '\n' || static_cast<unsigned char>(sep) >= 0x80) return false;
  const std::string s = unwrapped(raw);
  if (s.size() < 6 || s[3] != sep || !is_digit(s[4]) || !is_digit(s[5])) return false;
  gvc = s.substr(0, 3);
  std::string purpose_raw;      // ?20..?29, ?60..?63 as sent
  std::string purpose_spaced;   // the same, one space between subfields
  std::string name;
  std::string bank_code, account;
  size_t pos = 3;
  while (pos < s.size()) {
    // Here s[pos] == sep.
    if (pos + 2 >= s.size() || !is_digit(s[pos + 1]) || !is_digit(s[pos + 2])) {
      ++pos;  // a stray separator: part of the previous value
      continue;
    }
    const int code = two_digits(s, pos + 1);
    size_t end = pos + 3;
    while (end < s.size() &&
           !(s[end] == sep && end + 2 < s.size() && is_digit(s[end + 1]) && is_digit(s[end + 2]))) {
      ++end;
    }
    std::string_view v = std::string_view(s).substr(pos + 3, end - pos - 3);
    if ((code >= 20 && code <= 29) || (code >= 60 && code <= 63)) {
      purpose_raw += v;
      detail::append_squeezed(purpose_spaced, v);
    } else if (code == 30) {
      bank_code = trim(v);
    } else if (code == 31) {
      account = trim(v);
    } else if (code == 32 || code == 33) {
      name += v;
    }
    pos = end;
  }
  bool sepa = false;
  for (size_t i = 0; i < purpose_raw.size() && !sepa; ++i) sepa = !sepa_key_at(purpose_raw, i).empty();
  std::string remittance;
  if (sepa) {
    // SEPA splits one text into 27-byte subfields: glue them back as sent.
    apply_sepa_keys(purpose_raw, d, remittance);
  } else {
    remittance = std::move(purpose_spaced);
  }
  d.remittance = std::move(remittance);
  d.counterparty_name = detail::squeeze_spaces(name);
  const std::string iban = detail::compact_iban(account);
  if (detail::looks_like_iban(iban)) d.counterparty_iban = iban;
  if (detail::looks_like_bic(bank_code)) d.counterparty_bic = bank_code;
  return true;
}

// Dutch banks: "/TRTP/SEPA OVERBOEKING/IBAN/NL.../BIC/.../NAME/.../REMI/...".
constexpr std::string_view kDutchKeys[] = {"TRTP", "IBAN", "BIC",  "NAME", "REMI", "EREF", "MARF", "CSID",
                                          "CNTP", "ORDP", "BENM", "ULTC", "ULTD", "ULTB", "PURP", "RTRN",
                                          "ISDT", "PREF", "ADDR", "ID",   "SVCL", "BUSP", "CDTRREF"};

bool is_dutch_key(std::string_view k) {
  for (auto x : kDutchKeys) {
    if (x == k) return true;
  }
  return false;
}

bool parse_dutch(std::string_view raw, Detail& d) {
  std::string s = unwrapped(raw);
  std::string_view t = trim(s);
  if (t.empty() || t[0] != '/') return false;
  // Keys are found where "/KEY/" names a known key; a value runs to the next one.
  struct Field {
    std::string_view key;
    size_t value_start;
    size_t key_start;
  };
  std::vector<Field> fields;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '/') continue;
    const size_t j = t.find('/', i + 1);
    if (j == std::string_view::npos) break;
    const std::string_view k = t.substr(i + 1, j - i - 1);
    if (is_dutch_key(k)) {
      fields.push_back({k, j + 1, i});
      i = j - 1;
    }
  }
  if (fields.empty() || fields[0].key_start != 0) return false;
  bool has_marker = false;
  for (const auto& f : fields) has_marker = has_marker || f.key == "TRTP" || f.key == "REMI" || f.key == "EREF" || f.key == "NAME" || f.key == "CNTP";
  if (!has_marker) return false;
  for (size_t n = 0; n < fields.size(); ++n) {
    const size_t end = n + 1 < fields.size() ? fields[n + 1].key_start : t.size();
    std::string_view v = fields[n].value_start <= end ? t.substr(fields[n].value_start, end - fields[n].value_start)
                                                      : std::string_view{};
    while (!v.empty() && v.back() == '/') v.remove_suffix(1);
    const auto k = fields[n].key;
    if (k == "REMI") {
      if (starts_with(v, "USTD/")) {
        v.remove_prefix(5);
        while (!v.empty() && v.front() == '/') v.remove_prefix(1);
        d.remittance = detail::squeeze_spaces(v);
      } else if (starts_with(v, "STRD/")) {
        // STRD/CUR/<reference>: a creditor reference (RF...) or a local one.
        v.remove_prefix(5);
        const size_t slash = v.find('/');
        d.structured_reference = std::string(trim(slash == std::string_view::npos ? v : v.substr(slash + 1)));
      } else {
        d.remittance = detail::squeeze_spaces(v);
      }
    } else if (k == "EREF") {
      set_e2e(d, v);
    } else if (k == "MARF") {
      d.mandate_id = std::string(trim(v));
    } else if (k == "NAME") {
      if (d.counterparty_name.empty()) d.counterparty_name = detail::squeeze_spaces(v);
    } else if (k == "IBAN") {
      if (d.counterparty_iban.empty()) d.counterparty_iban = detail::compact_iban(v);
    } else if (k == "BIC") {
      if (d.counterparty_bic.empty()) d.counterparty_bic = std::string(trim(v));
    } else if (k == "CNTP") {
      // ING: account/BIC/name/city.
      std::string_view parts[4];
      size_t p = 0;
      for (int part = 0; part < 4; ++part) {
        const size_t q = v.find('/', p);
        parts[part] = v.substr(p, q == std::string_view::npos ? std::string_view::npos : q - p);
        if (q == std::string_view::npos) break;
        p = q + 1;
      }
      if (d.counterparty_iban.empty()) d.counterparty_iban = detail::compact_iban(parts[0]);
      if (d.counterparty_bic.empty()) d.counterparty_bic = std::string(trim(parts[1]));
      if (d.counterparty_name.empty()) d.counterparty_name = detail::squeeze_spaces(parts[2]);
    }
  }
  return true;
}

// Fills the line's single Detail from the accumulated :86: text (lines
// separated by '\n') and the :61: supplementary details.
void apply_information(Line& line, std::string_view info, std::string_view supplementary) {
  Detail& d = line.details.front();
  std::string gvc;
  if (!info.empty() && !parse_german(info, d, gvc) && !parse_dutch(info, d)) {
    d.remittance = detail::squeeze_spaces(info);
  }
  if (!gvc.empty()) {
    line.transaction_code += line.transaction_code.empty() ? gvc : " " + gvc;
  }
  if (d.remittance.empty()) d.remittance = detail::squeeze_spaces(supplementary);
}

// ---- the reader --------------------------------------------------------------

struct Field {
  std::string_view tag;
  std::string_view first;  // text after ":TAG:" on its line
  int line = 0;
  std::vector<std::string_view> more;  // continuation lines
};

class Reader {
 public:
  Result<ParsedFile> run(std::string_view text);

 private:
  Status field(const Field& f);
  Status finish_statement(int line);
  Status start_statement(int line);
  Result<Balance> balance(const Field& f, std::string_view kind);
  Result<std::string> date6(std::string_view s, int line, int* year, int* month);
  Status transaction(const Field& f);
  void close_line();
  void warn(int line, std::string what);
  Result<int64_t> amount(std::string_view text, int exponent, int line, std::string_view tag);

  ParsedFile out_;
  std::optional<Statement> cur_;
  int cur_start_line_ = 0;
  std::string number_;  // :28C:
  bool has_34f_or_13d_ = false;
  bool line_open_ = false;  // a :61: whose :86: may follow
  std::string info_;        // that line's :86: text
  std::string supplementary_;
  struct Control {
    int line = 0;
    char mark = 'D';
    long count = 0;
    int64_t sum = 0;
  };
  std::vector<Control> controls_;
  size_t warnings_dropped_ = 0;
};

void Reader::warn(int line, std::string what) {
  if (out_.warnings.size() >= kMaxWarnings) {
    ++warnings_dropped_;
    return;
  }
  out_.warnings.push_back("line " + std::to_string(line) + ": " + std::move(what));
}

Result<ParsedFile> Reader::run(std::string_view text) {
  if (trim(text).empty()) return at_line(1, "empty file: no MT940 statement", "empty_statement_file");
  Field f;
  bool have_field = false;
  int line_no = 0;
  size_t pos = 0;
  auto flush = [&]() -> Status {
    if (!have_field) return {};
    have_field = false;
    return field(f);
  };
  auto open_field = [&](std::string_view line, std::string_view tag, int no) {
    f.tag = tag;
    f.first = line.substr(tag.size() + 2);
    f.line = no;
    f.more.clear();
    have_field = true;
  };
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    // "\r\n" and stray control bytes (SOH/ETX around some exports) at the ends.
    while (!line.empty() && (static_cast<unsigned char>(line.back()) < 0x20)) line.remove_suffix(1);
    while (!line.empty() && (static_cast<unsigned char>(line.front()) < 0x20)) line.remove_prefix(1);
    if (trim(line).empty()) continue;

    if (line[0] == '{') {
      // SWIFT envelope: "{1:...}{2:...}{4:" then the text block; "-}" ends it.
      O2C_TRY(flush());
      const size_t b4 = line.find("{4:");
      if (b4 == std::string_view::npos) continue;
      line.remove_prefix(b4 + 3);
      if (trim(line).empty()) continue;
    }
    if (line == "-" || starts_with(line, "-}") || (line[0] == '-' && trim(line.substr(1)).empty())) {
      O2C_TRY(flush());
      O2C_TRY(finish_statement(line_no));
      continue;
    }
    const std::string_view tag = tag_of(line);
    if (!tag.empty()) {
      O2C_TRY(flush());
      open_field(line, tag, line_no);
      continue;
    }
    if (have_field) {
      f.more.push_back(line);
    }
    // Else: a bank's header lines before the first tag ("ABNANL2A", "940").
  }
  O2C_TRY(flush());
  O2C_TRY(finish_statement(line_no));
  if (out_.statements.empty()) {
    return at_line(1, "no MT940 statement found (no :20: tag followed by a statement)", "no_statement");
  }
  if (warnings_dropped_ > 0) {
    out_.warnings.push_back(std::to_string(warnings_dropped_) + " more warnings not shown");
  }
  bool all_942 = true;
  for (const auto& s : out_.statements) all_942 = all_942 && s.format == Format::mt942;
  out_.format = all_942 ? Format::mt942 : Format::mt940;
  return std::move(out_);
}

Status Reader::start_statement(int line) {
  O2C_TRY(finish_statement(line));
  cur_.emplace();
  cur_->format = Format::mt940;
  cur_start_line_ = line;
  number_.clear();
  has_34f_or_13d_ = false;
  controls_.clear();
  return {};
}

void Reader::close_line() {
  if (!line_open_) return;
  line_open_ = false;
  apply_information(cur_->lines.back(), info_, supplementary_);
  info_.clear();
  supplementary_.clear();
}

Status Reader::finish_statement(int line) {
  if (!cur_) return {};
  close_line();
  Statement& s = *cur_;
  if (s.currency.empty()) {
    return at_line(cur_start_line_, "statement has no currency: no balance or :34F: names one", "invalid_statement");
  }
  s.statement_id = number_.empty() ? s.message_id : s.message_id + " " + number_;
  if (!s.opening && !s.closing && has_34f_or_13d_) s.format = Format::mt942;
  if (s.format == Format::mt942) {
    for (auto& l : s.lines) l.booked = false;
  }
  for (const auto& c : controls_) {
    long count = 0;
    int64_t sum = 0;
    for (const auto& l : s.lines) {
      if ((c.mark == 'D') == (l.amount_minor < 0)) {
        ++count;
        sum += l.amount_minor < 0 ? -l.amount_minor : l.amount_minor;
      }
    }
    if (count != c.count || sum != c.sum) {
      warn(c.line, std::string(":90") + c.mark + ": states " + std::to_string(c.count) + " entries for " +
                       std::to_string(c.sum) + " minor units; the statement has " + std::to_string(count) +
                       " for " + std::to_string(sum));
    }
  }
  (void)line;
  out_.statements.push_back(std::move(s));
  cur_.reset();
  return {};
}

Result<int64_t> Reader::amount(std::string_view text, int exponent, int line, std::string_view tag) {
  auto r = detail::parse_amount(text, exponent, ',', false);
  if (!r.ok()) {
    const Error& e = r.error();
    return at_line(line, ":" + std::string(tag) + ": " + e.message, e.code);
  }
  return r.value();
}

Result<std::string> Reader::date6(std::string_view s, int line, int* year, int* month) {
  if (s.size() < 6 || !all_digits(s.substr(0, 6))) {
    return at_line(line, "expected a date YYMMDD, found \"" + std::string(s.substr(0, 6)) + "\"", "invalid_date");
  }
  const int y = 2000 + two_digits(s, 0);
  const int m = two_digits(s, 2);
  const int d = two_digits(s, 4);
  switch (detail::check_date(y, m, d)) {
    case detail::DateCheck::valid:
      break;
    case detail::DateCheck::impossible_day:
      warn(line, "date " + std::string(s.substr(0, 6)) + " does not exist; kept as stated");
      break;
    case detail::DateCheck::invalid:
      return at_line(line, "not a date: \"" + std::string(s.substr(0, 6)) + "\"", "invalid_date");
  }
  if (year) *year = y;
  if (month) *month = m;
  return detail::iso_date(y, m, d);
}

// "C160229EUR1200,00": mark, date, currency (some banks leave it out), amount.
Result<Balance> Reader::balance(const Field& f, std::string_view kind) {
  std::string_view s = trim(f.first);
  Balance b;
  b.kind = std::string(kind);
  if (s.empty() || (s[0] != 'C' && s[0] != 'D')) {
    return at_line(f.line, ":" + std::string(f.tag) + ": expected C or D first", "invalid_balance");
  }
  const bool debit = s[0] == 'D';
  s.remove_prefix(1);
  O2C_ASSIGN_OR_RETURN(b.date, date6(s, f.line, nullptr, nullptr));
  s.remove_prefix(6);
  if (s.size() >= 3 && is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2])) {
    b.currency = std::string(s.substr(0, 3));
    s.remove_prefix(3);
  } else {
    b.currency = cur_->currency;
  }
  if (b.currency.empty()) {
    return at_line(f.line, ":" + std::string(f.tag) + ": no currency", "invalid_balance");
  }
  bool known = true;
  const int exp = detail::currency_exponent(b.currency, &known);
  if (!known) warn(f.line, "currency " + b.currency + " is not an active ISO 4217 code; read with 2 decimals");
  O2C_ASSIGN_OR_RETURN(b.amount_minor, amount(s, exp, f.line, f.tag));
  if (debit) b.amount_minor = -b.amount_minor;
  if (cur_->currency.empty()) cur_->currency = b.currency;
  if (!f.more.empty()) warn(f.line + 1, "text after :" + std::string(f.tag) + ": ignored");
  return b;
}

// :61: value date, [entry date], mark, [funds code], amount, type, reference
// [//bank reference], then supplementary details on the next line.
Status Reader::transaction(const Field& f) {
  std::string_view s = f.first;
  const int ln = f.line;
  Line line;
  line.source_line = ln;
  line.currency = cur_->currency;
  if (cur_->currency.empty()) {
    return at_line(ln, ":61: before any balance or :34F: names the currency", "invalid_statement");
  }
  int vy = 0, vm = 0;
  O2C_ASSIGN_OR_RETURN(line.value_date, date6(s, ln, &vy, &vm));
  s.remove_prefix(6);
  line.booking_date = line.value_date;
  if (s.size() >= 4 && all_digits(s.substr(0, 4))) {
    const int em = two_digits(s, 0);
    const int ed = two_digits(s, 2);
    // The entry date has no year: it is the value date's, except around the
    // new year (value 2 January, booked 31 December: the year before).
    int ey = vy;
    if (em == 12 && vm == 1) --ey;
    if (em == 1 && vm == 12) ++ey;
    switch (detail::check_date(ey, em, ed)) {
      case detail::DateCheck::valid:
        break;
      case detail::DateCheck::impossible_day:
        warn(ln, "entry date " + std::string(s.substr(0, 4)) + " does not exist; kept as stated");
        break;
      case detail::DateCheck::invalid:
        return at_line(ln, ":61: not an entry date: \"" + std::string(s.substr(0, 4)) + "\"", "invalid_date");
    }
    line.booking_date = detail::iso_date(ey, em, ed);
    s.remove_prefix(4);
  }
  bool credit = false;
  if (starts_with(s, "RC")) {
    credit = false;  // reversal of a credit: money goes out
    line.reversal = true;
    s.remove_prefix(2);
  } else if (starts_with(s, "RD")) {
    credit = true;  // reversal of a debit: money comes back in
    line.reversal = true;
    s.remove_prefix(2);
  } else if (starts_with(s, "C") || starts_with(s, "D")) {
    credit = s[0] == 'C';
    s.remove_prefix(1);
  } else {
    return at_line(ln, ":61: expected the mark C, D, RC or RD after the date", "invalid_transaction");
  }
  // Funds code: the third letter of the currency code, before the amount.
  if (s.size() >= 2 && is_upper(s[0]) && (is_digit(s[1]) || s[1] == ',')) s.remove_prefix(1);
  size_t n = 0;
  while (n < s.size() && (is_digit(s[n]) || s[n] == ',')) ++n;
  if (n == 0) return at_line(ln, ":61: no amount after the mark", "invalid_transaction");
  bool known = true;
  const int exp = detail::currency_exponent(cur_->currency, &known);
  O2C_ASSIGN_OR_RETURN(int64_t amt, amount(s.substr(0, n), exp, ln, "61"));
  line.amount_minor = credit ? amt : -amt;
  s.remove_prefix(n);
  // Transaction type: N, F or S and three characters (some banks use other letters).
  if (s.size() >= 4 && is_upper(s[0])) {
    line.transaction_code = std::string(s.substr(0, 4));
    s.remove_prefix(4);
  } else if (!trim(s).empty()) {
    return at_line(ln, ":61: expected a transaction type (e.g. NTRF) after the amount", "invalid_transaction");
  }
  std::string_view extra;
  const size_t slashes = s.find("//");
  if (slashes != std::string_view::npos) {
    line.customer_reference = std::string(trim(s.substr(0, slashes)));
    line.bank_reference = std::string(trim(s.substr(slashes + 2)));
  } else if (s.size() > 16) {
    // The reference is at most 16 characters; some banks append the payee.
    line.customer_reference = std::string(trim(s.substr(0, 16)));
    extra = trim(s.substr(16));
  } else {
    line.customer_reference = std::string(trim(s));
  }
  line.details.emplace_back();
  cur_->lines.push_back(std::move(line));
  line_open_ = true;
  info_.clear();
  supplementary_.clear();
  detail::append_squeezed(supplementary_, extra);
  for (auto m : f.more) detail::append_squeezed(supplementary_, m);
  return {};
}

Status Reader::field(const Field& f) {
  const std::string_view tag = f.tag;
  if (tag == "20") {
    O2C_TRY(start_statement(f.line));
    cur_->message_id = std::string(trim(f.first));
    return {};
  }
  if (!cur_) {
    warn(f.line, "tag :" + std::string(tag) + ": outside a statement (no :20: before it) skipped");
    return {};
  }
  if (tag == "86") {
    if (line_open_) {
      if (!info_.empty()) info_ += '\n';
      info_ += f.first;
      for (auto m : f.more) {
        info_ += '\n';
        info_ += m;
      }
    }
    // Else: information for the whole statement; nothing in the model holds it.
    return {};
  }
  close_line();
  if (tag == "61") return transaction(f);
  if (tag == "25") {
    if (!cur_->account.empty() || !cur_->lines.empty()) {
      warn(f.line, "second :25: in one statement skipped");
    } else {
      cur_->account = std::string(trim(f.first));
    }
  } else if (tag == "28C" || tag == "28") {
    number_ = std::string(trim(f.first));
  } else if (tag == "60F" || tag == "60M") {
    O2C_ASSIGN_OR_RETURN(Balance b, balance(f, tag));
    cur_->from_date = b.date;
    cur_->opening = std::move(b);
  } else if (tag == "62F" || tag == "62M") {
    O2C_ASSIGN_OR_RETURN(Balance b, balance(f, tag));
    cur_->to_date = b.date;
    cur_->closing = std::move(b);
  } else if (tag == "34F") {
    // Floor limit "EURD0,00": in an MT942 the only place the currency is named.
    has_34f_or_13d_ = true;
    const std::string_view s = trim(f.first);
    if (s.size() >= 3 && detail::looks_like_currency(s.substr(0, 3)) && cur_->currency.empty()) {
      cur_->currency = std::string(s.substr(0, 3));
    }
  } else if (tag == "13D" || tag == "13") {
    has_34f_or_13d_ = true;
  } else if (tag == "90D" || tag == "90C") {
    // "1EUR2,30": number of entries, currency, sum. Checked when the statement ends.
    std::string_view s = trim(f.first);
    size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0 || n > 9 || s.size() < n + 4 || !detail::looks_like_currency(s.substr(n, 3))) {
      return at_line(f.line, ":" + std::string(tag) + ": expected count, currency and amount", "invalid_statement");
    }
    Control c;
    c.line = f.line;
    c.mark = tag[2] == 'D' ? 'D' : 'C';
    c.count = std::stol(std::string(s.substr(0, n)));
    bool known = true;
    O2C_ASSIGN_OR_RETURN(c.sum, amount(s.substr(n + 3), detail::currency_exponent(s.substr(n, 3), &known), f.line, tag));
    if (cur_->currency.empty()) cur_->currency = std::string(s.substr(n, 3));
    controls_.push_back(c);
  } else if (tag == "21" || tag == "64" || tag == "65") {
    // Related reference, closing available and forward available balances:
    // known, not needed to book or reconcile.
  } else {
    warn(f.line, "unknown tag :" + std::string(tag) + ": skipped");
  }
  return {};
}

}  // namespace

Result<ParsedFile> parse_mt940(std::string_view text) {
  Reader r;
  return r.run(text);
}

}  // namespace o2c::formats::bank
