#include <gtest/gtest.h>

#include "domain/masterdata/fields.h"
#include "formats/bank/camt_writer.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

CamtStatementWithEntries two_entries() {
  CamtStatementWithEntries s;
  s.statement = {"STMT-1", "2026-03-20", "DE75512108001245126199", "EUR", 100000, "2026-03-16", 111290, "2026-03-20"};
  CamtEntry in;
  in.amount_minor = 12345;
  in.booking_date = "2026-03-17";
  in.bank_reference = "REF-1";
  in.counterparty_name = "Café <Lumière> & Co";
  in.counterparty_iban = "FR1420041010050500013M02606";
  in.structured_reference = "RF18539007547034";
  in.remittance = "Rechnung INV-2026-000001";
  CamtEntry out;
  out.amount_minor = -1055;
  out.booking_date = "2026-03-20";
  out.bank_reference = "REF-2";
  out.domain = "ACMT";
  out.family = "MDOP";
  out.sub_family = "CHRG";
  out.counterparty_name = "Hausbank Hamburg";
  out.remittance = "Kontoführung";
  s.entries = {in, out};
  return s;
}

// What the writer writes, the reader reads back: amounts with their sign,
// dates, the payer, the escaped name, references and both balances.
TEST(CamtWriter, RoundTripsThroughTheReader) {
  const std::string xml = write_camt053("MSG-1", "2026-03-20", {two_entries()});
  auto parsed = parse_camt(xml);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message << " " << parsed.error().field;
  ASSERT_EQ(parsed->statements.size(), 1u);
  const auto& st = parsed->statements[0];
  EXPECT_EQ(st.message_id, "MSG-1");
  EXPECT_EQ(st.account, "DE75512108001245126199");
  EXPECT_EQ(st.currency, "EUR");
  ASSERT_TRUE(st.opening && st.closing);
  EXPECT_EQ(st.opening->amount_minor, 100000);
  EXPECT_EQ(st.closing->amount_minor, 111290);
  EXPECT_EQ(st.balances(), std::optional<bool>(true));
  ASSERT_EQ(st.lines.size(), 2u);
  const auto& a = st.lines[0];
  EXPECT_EQ(a.amount_minor, 12345);
  EXPECT_EQ(a.booking_date, "2026-03-17");
  EXPECT_EQ(a.bank_reference, "REF-1");
  ASSERT_EQ(a.details.size(), 1u);
  EXPECT_EQ(a.details[0].counterparty_name, "Café <Lumière> & Co");
  EXPECT_EQ(a.details[0].counterparty_iban, "FR1420041010050500013M02606");
  EXPECT_EQ(a.details[0].structured_reference, "RF18539007547034");
  EXPECT_EQ(a.details[0].remittance, "Rechnung INV-2026-000001");
  const auto& b = st.lines[1];
  EXPECT_EQ(b.amount_minor, -1055);
  EXPECT_EQ(b.details[0].counterparty_name, "Hausbank Hamburg");
  EXPECT_NE(b.transaction_code.find("CHRG"), std::string::npos);
}

TEST(CamtWriter, DebitBalanceAndTwoStatementsInOneDocument) {
  auto eur = two_entries();
  auto usd = two_entries();
  usd.statement.currency = "USD";
  usd.statement.statement_id = "STMT-2";
  usd.statement.opening_minor = -500;  // overdrawn
  usd.statement.closing_minor = -500 + 12345 - 1055;
  const std::string xml = write_camt053("MSG-2", "2026-03-20", {eur, usd});
  auto parsed = parse_camt(xml);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->statements.size(), 2u);
  EXPECT_EQ(parsed->statements[1].currency, "USD");
  EXPECT_EQ(parsed->statements[1].opening->amount_minor, -500);
  EXPECT_EQ(parsed->statements[1].balances(), std::optional<bool>(true));
}

TEST(CamtWriter, IbanCheckDigits) {
  EXPECT_EQ(iban_with_check_digits("DE", "370400440532013000"), "DE89370400440532013000");
  EXPECT_EQ(iban_with_check_digits("GB", "NWBK60161331926819"), "GB29NWBK60161331926819");
  EXPECT_TRUE(masterdata::is_valid_iban(iban_with_check_digits("NL", "ABNA0417164300")));
  EXPECT_FALSE(masterdata::is_valid_iban("DE88370400440532013000"));
}

}  // namespace
}  // namespace o2c::formats::bank
