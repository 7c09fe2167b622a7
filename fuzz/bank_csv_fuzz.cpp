// libFuzzer target: CSV statements are whatever a bank's export button
// writes. The first input byte picks one of a few saved profiles (delimiter,
// decimal separator, date format, header or not, credit/debit columns); the
// rest is the file. Any bytes must be safe; a refusal names a line or a
// profile field and returns nothing; an accepted file keeps statement.h's
// promises (one statement per file, dates as YYYY-MM-DD, non-zero signed
// amounts, a detail per line).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/bank/statement.h"

namespace {

using o2c::formats::bank::CsvProfile;

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "bank_csv_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

CsvProfile profile_for(uint8_t pick) {
  CsvProfile p;
  p.name = "fuzz";
  p.default_currency = "EUR";
  p.account = "DE89370400440532013000";
  switch (pick % 4) {
    case 0:  // English header, one signed amount column
      p.booking_date = "Date";
      p.amount = "Amount";
      p.counterparty_name = "Name";
      p.remittance = "Text";
      break;
    case 1:  // German export: ';', '1.234,56', DD.MM.YYYY, two preamble lines
      p.delimiter = ';';
      p.decimal_separator = ',';
      p.date_format = "DD.MM.YYYY";
      p.skip_lines = 2;
      p.booking_date = "Buchungstag";
      p.amount = "Betrag";
      p.currency = "Waehrung";
      p.counterparty_iban = "IBAN";
      break;
    case 2:  // credit and debit columns, US dates
      p.date_format = "MM/DD/YYYY";
      p.booking_date = "Posted";
      p.credit = "Credit";
      p.debit = "Debit";
      p.reference = "Ref";
      break;
    default:  // no header: columns by position, tab separated, compact dates
      p.has_header = false;
      p.delimiter = '\t';
      p.date_format = "YYYYMMDD";
      p.booking_date = "1";
      p.amount = "2";
      p.remittance = "3";
      break;
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2c::formats::bank;
  if (size == 0) return 0;
  const CsvProfile profile = profile_for(data[0]);
  if (!validate_profile(profile).ok()) fail("a built-in profile is invalid", size);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto r = parse_csv(text, profile);
  if (!r.ok()) {
    const auto& e = r.error();
    if (e.code.empty() || e.message.empty()) fail("error without code or message", size);
    return 0;
  }
  // One statement per currency, none without lines, no currency twice.
  if (r->statements.empty() || r->statements.size() > kCsvCurrenciesMax) fail("not 1..20 statements", size);
  for (size_t i = 0; i < r->statements.size(); ++i) {
    const auto& s = r->statements[i];
    if (s.currency.empty()) fail("statement without currency", size);
    if (s.lines.empty()) fail("statement without lines", size);
    for (size_t j = 0; j < i; ++j) {
      if (r->statements[j].currency == s.currency) fail("a currency in two statements", size);
    }
    if (s.balances().has_value()) fail("a CSV file stated balances", size);
    for (const auto& l : s.lines) {
      if (l.details.size() != 1) fail("CSV line without exactly one detail", size);
      if (l.currency != s.currency) fail("a line in another statement's currency", size);
      if (l.booking_date.size() != 10 || l.booking_date[4] != '-' || l.booking_date[7] != '-') {
        fail("booking date not YYYY-MM-DD", size);
      }
    }
    (void)s.booked_sum_minor();
  }
  return 0;
}
