// Bank CSV exports, read through a saved column mapping (CsvProfile). The
// RFC 4180 reader of formats/csv does the quoting; this file maps columns,
// dates and amounts. A CSV export has no balances: the statement it makes
// has neither opening nor closing, and balances() says nullopt.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"
#include "formats/csv/csv.h"

namespace o2c::formats::bank {

using detail::at_line;
using detail::trim;

namespace {

constexpr int kMaxSkipLines = 1000;   // bank preambles are a handful of lines
constexpr int kMaxColumnIndex = 1000;  // "1".."1000" when the file has no header

constexpr std::string_view kDateFormats[] = {"YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY", "YYYYMMDD"};

Error profile_error(std::string field, std::string what) {
  return Error::invalid("invalid_profile", "CSV profile: " + field + ": " + what, field);
}

struct Column {
  const char* field;  // the CsvProfile member's name, for messages
  const std::string* spec;
  bool required;
};

std::vector<Column> columns_of(const CsvProfile& p) {
  return {{"booking_date", &p.booking_date, true},
          {"value_date", &p.value_date, false},
          {"amount", &p.amount, false},
          {"credit", &p.credit, false},
          {"debit", &p.debit, false},
          {"currency", &p.currency, false},
          {"counterparty_name", &p.counterparty_name, false},
          {"counterparty_iban", &p.counterparty_iban, false},
          {"remittance", &p.remittance, false},
          {"reference", &p.reference, false},
          {"bank_reference", &p.bank_reference, false}};
}

bool parse_index(std::string_view s, int* out) {
  s = trim(s);
  if (s.empty() || s.size() > 4) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > kMaxColumnIndex) return false;
  *out = v;
  return true;
}

bool same_name(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

int digits_at(std::string_view s, size_t at, size_t n, bool* ok) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// One of kDateFormats; false when the text does not fit or is no date.
bool parse_date(std::string_view s, std::string_view fmt, std::string* out) {
  s = trim(s);
  bool ok = s.size() == fmt.size();
  int y = 0, m = 0, d = 0;
  if (ok) {
    for (size_t i = 0; i < fmt.size() && ok; ++i) {
      const char f = fmt[i];
      if (f != 'Y' && f != 'M' && f != 'D' && s[i] != f) ok = false;
    }
    const size_t yp = fmt.find("YYYY"), mp = fmt.find("MM"), dp = fmt.find("DD");
    y = digits_at(s, yp, 4, &ok);
    m = digits_at(s, mp, 2, &ok);
    d = digits_at(s, dp, 2, &ok);
  }
  if (!ok || detail::check_date(y, m, d) != detail::DateCheck::valid) return false;
  *out = detail::iso_date(y, m, d);
  return true;
}

// "1.234,56" with ',' as the decimal separator: grouping characters ('.',
// ',', space, apostrophe other than the separator) are dropped before the
// separator only. A leading sign is kept.
Result<int64_t> csv_amount(std::string_view s, char sep, int exponent) {
  s = trim(s);
  std::string clean;
  clean.reserve(s.size());
  bool seen_sep = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == sep) seen_sep = true;
    if (!seen_sep && (c == ' ' || c == '\'' || ((c == '.' || c == ',') && c != sep))) continue;
    clean += c;
  }
  return detail::parse_amount(clean, exponent, sep, true);
}

}  // namespace

Result<void> validate_profile(const CsvProfile& p) {
  if (p.delimiter == '"' || p.delimiter == '\r' || p.delimiter == '\n' || p.delimiter == '\0') {
    return profile_error("delimiter", "must not be a double quote, a line break or NUL");
  }
  if (p.decimal_separator != '.' && p.decimal_separator != ',') {
    return profile_error("decimal_separator", "must be '.' or ','");
  }
  if (p.skip_lines < 0 || p.skip_lines > kMaxSkipLines) {
    return profile_error("skip_lines", "must be between 0 and " + std::to_string(kMaxSkipLines));
  }
  if (trim(p.booking_date).empty()) return profile_error("booking_date", "required: the column of the booking date");
  const bool has_amount = !trim(p.amount).empty();
  const bool has_credit = !trim(p.credit).empty(), has_debit = !trim(p.debit).empty();
  if (has_amount && (has_credit || has_debit)) {
    return profile_error(has_credit ? "credit" : "debit", "set either amount, or credit and debit, not both");
  }
  if (!has_amount && !(has_credit && has_debit)) {
    return profile_error(has_credit ? "debit" : has_debit ? "credit" : "amount",
                         "required: an amount column, or both a credit and a debit column");
  }
  if (std::find(std::begin(kDateFormats), std::end(kDateFormats), p.date_format) == std::end(kDateFormats)) {
    return profile_error("date_format",
                         "\"" + p.date_format + "\" is not one of YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, YYYYMMDD");
  }
  if (!p.default_currency.empty() && !Currency::of(p.default_currency)) {
    return profile_error("default_currency", "\"" + p.default_currency + "\" is not an ISO 4217 currency code");
  }
  if (trim(p.currency).empty() && p.default_currency.empty()) {
    return profile_error("default_currency", "required when the profile has no currency column");
  }
  if (!p.has_header) {
    for (const auto& c : columns_of(p)) {
      int idx = 0;
      if (!trim(*c.spec).empty() && !parse_index(*c.spec, &idx)) {
        return profile_error(c.field, "without a header, columns are numbers from 1 to " +
                                          std::to_string(kMaxColumnIndex) + ", not \"" + *c.spec + "\"");
      }
    }
  }
  return {};
}

Result<ParsedFile> parse_csv(std::string_view text, const CsvProfile& profile) {
  O2C_TRY(validate_profile(profile));
  // Preamble lines are skipped as raw lines: they need not be valid CSV.
  size_t pos = 0;
  for (int i = 0; i < profile.skip_lines; ++i) {
    const size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) return at_line(i + 1, "the file ends within the lines to skip", "invalid_csv");
    pos = eol + 1;
  }
  const int offset = profile.skip_lines;
  const csv::Parsed parsed = csv::parse(text.substr(pos), profile.delimiter);
  if (!parsed.ok()) {
    const auto& e = *parsed.error;
    std::string msg = e.message;
    const size_t colon = msg.find(": ");
    if (msg.rfind("line ", 0) == 0 && colon != std::string::npos) msg = msg.substr(colon + 2);
    return at_line(static_cast<int>(e.line) + offset, msg, "invalid_csv");
  }
  size_t first = 0;
  // Column positions (0-based), -1 when the profile leaves the column out.
  const auto cols = columns_of(profile);
  std::vector<int> index(cols.size(), -1);
  if (profile.has_header) {
    if (parsed.records.empty()) return at_line(offset + 1, "no header line", "invalid_csv");
    const auto& header = parsed.records[0];
    const int hline = static_cast<int>(header.line) + offset;
    for (size_t c = 0; c < cols.size(); ++c) {
      if (trim(*cols[c].spec).empty()) continue;
      for (size_t h = 0; h < header.fields.size(); ++h) {
        if (same_name(header.fields[h], *cols[c].spec)) {
          index[c] = static_cast<int>(h);
          break;
        }
      }
      if (index[c] < 0) {
        return at_line(hline, "no column \"" + *cols[c].spec + "\" (" + cols[c].field + ") in the header",
                       "invalid_csv");
      }
    }
    first = 1;
  } else {
    for (size_t c = 0; c < cols.size(); ++c) {
      int idx = 0;
      if (parse_index(*cols[c].spec, &idx)) index[c] = idx - 1;
    }
  }
  enum { kBooking, kValue, kAmount, kCredit, kDebit, kCurrency, kName, kIban, kRemittance, kReference, kBankRef };

  // One statement per currency, in the order the currencies first appear:
  // an account kept in several currencies is exported as one file, and each
  // currency is its own ledger of the account.
  std::vector<Statement> statements;
  auto statement_for = [&](std::string_view ccy) -> Statement& {
    for (auto& s : statements) {
      if (s.currency == ccy) return s;
    }
    Statement st;
    st.format = Format::csv;
    st.account = profile.account;
    st.currency = std::string(ccy);
    statements.push_back(std::move(st));
    return statements.back();
  };
  for (size_t r = first; r < parsed.records.size(); ++r) {
    const auto& rec = parsed.records[r];
    const int ln = static_cast<int>(rec.line) + offset;
    bool blank = true;
    for (const auto& f : rec.fields) blank = blank && trim(f).empty();
    if (blank) continue;
    auto get = [&](int c) -> std::string_view {
      const int i = index[c];
      return i >= 0 && static_cast<size_t>(i) < rec.fields.size() ? trim(rec.fields[i]) : std::string_view{};
    };
    Line line;
    line.source_line = ln;
    if (!parse_date(get(kBooking), profile.date_format, &line.booking_date)) {
      return at_line(ln, "booking date \"" + std::string(get(kBooking)) + "\" is not a date in " + profile.date_format,
                     "invalid_date");
    }
    if (!get(kValue).empty() && !parse_date(get(kValue), profile.date_format, &line.value_date)) {
      return at_line(ln, "value date \"" + std::string(get(kValue)) + "\" is not a date in " + profile.date_format,
                     "invalid_date");
    }
    std::string_view ccy = get(kCurrency);
    if (ccy.empty()) ccy = profile.default_currency;
    if (ccy.empty()) return at_line(ln, "no currency on this line and no default currency", "invalid_statement");
    if (!Currency::of(ccy)) return at_line(ln, "\"" + std::string(ccy) + "\" is not an ISO 4217 currency code", "unknown_currency");
    if (statements.size() >= kCsvCurrenciesMax && std::none_of(statements.begin(), statements.end(), [&](const Statement& s) {
          return s.currency == ccy;
        })) {
      return at_line(ln, "currency " + std::string(ccy) + ": more than " + std::to_string(kCsvCurrenciesMax) +
                             " currencies in one file", "invalid_statement");
    }
    Statement& st = statement_for(ccy);
    line.currency = st.currency;
    const int exp = Currency::of(ccy)->exponent();
    auto amount_at = [&](int c, const char* what) -> Result<int64_t> {
      auto r = csv_amount(get(c), profile.decimal_separator, exp);
      if (!r.ok()) return at_line(ln, std::string(what) + ": " + r.error().message, r.error().code);
      return r.value();
    };
    if (index[kAmount] >= 0) {
      O2C_ASSIGN_OR_RETURN(line.amount_minor, amount_at(kAmount, "amount"));
    } else {
      int64_t credit = 0, debit = 0;
      if (!get(kCredit).empty()) {
        O2C_ASSIGN_OR_RETURN(credit, amount_at(kCredit, "credit"));
      }
      if (!get(kDebit).empty()) {
        O2C_ASSIGN_OR_RETURN(debit, amount_at(kDebit, "debit"));
      }
      if (credit != 0 && debit != 0) return at_line(ln, "both a credit and a debit amount", "invalid_amount");
      if (get(kCredit).empty() && get(kDebit).empty()) return at_line(ln, "neither a credit nor a debit amount", "invalid_amount");
      // The debit column holds money out whatever its sign in the export.
      line.amount_minor = credit != 0 ? (credit < 0 ? -credit : credit) : (debit < 0 ? debit : -debit);
    }
    line.customer_reference = std::string(get(kReference));
    line.bank_reference = std::string(get(kBankRef));
    Detail d;
    d.remittance = detail::squeeze_spaces(get(kRemittance));
    d.counterparty_name = detail::squeeze_spaces(get(kName));
    d.counterparty_iban = detail::compact_iban(get(kIban));
    const std::string_view ref = get(kReference);
    // An ISO 11649 creditor reference is structured wherever it is written.
    if (ref.size() > 4 && ref[0] == 'R' && ref[1] == 'F' && std::isdigit(static_cast<unsigned char>(ref[2])) &&
        std::isdigit(static_cast<unsigned char>(ref[3]))) {
      d.structured_reference = std::string(ref);
    }
    line.details.push_back(std::move(d));
    if (st.from_date.empty() || line.booking_date < st.from_date) st.from_date = line.booking_date;
    if (st.to_date.empty() || line.booking_date > st.to_date) st.to_date = line.booking_date;
    st.lines.push_back(std::move(line));
  }
  if (statements.empty()) return at_line(offset + 1, "no transactions in the file", "no_statement");
  ParsedFile out;
  out.format = Format::csv;
  out.statements = std::move(statements);
  return out;
}

}  // namespace o2c::formats::bank
