// The rules of the bank statement readers, one test each, on hand-written
// snippets; the facts of ../shared/conformance/README.md on the real files.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "formats/bank/statement.h"

namespace o2c::formats::bank {
namespace {

const std::string kBankDir = std::string(O2C_SOURCE_DIR) + "/../shared/conformance/bank/";

std::string read_file(const std::string& rel) {
  std::ifstream in(kBankDir + rel, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- camt --------------------------------------------------------------------

// A camt.053 statement around the given entries and balances.
std::string camt053(const std::string& inside, const std::string& ns = "camt.053.001.02") {
  return "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:" + ns +
         "\"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr><Stmt><Id>S1</Id>"
         "<Acct><Id><IBAN>DE89 3704 0044 0532 0130 00</IBAN></Id><Ccy>EUR</Ccy></Acct>" +
         inside + "</Stmt></BkToCstmrStmt></Document>";
}

std::string bal(const std::string& code, const std::string& amt, const std::string& ind = "CRDT") {
  return "<Bal><Tp><CdOrPrtry><Cd>" + code + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">" + amt +
         "</Amt><CdtDbtInd>" + ind + "</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>";
}

std::string ntry(const std::string& amt, const std::string& ind, const std::string& more = "") {
  return "<Ntry><Amt Ccy=\"EUR\">" + amt + "</Amt><CdtDbtInd>" + ind +
         "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-02</Dt></BookgDt>" + more + "</Ntry>";
}

TEST(BankCamt, StatementFiguresAndAccount) {
  auto r = parse_camt(camt053(bal("OPBD", "100.00") + bal("CLBD", "90.50") + ntry("9.50", "DBIT")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::camt053);
  ASSERT_EQ(r->statements.size(), 1u);
  const auto& s = r->statements[0];
  EXPECT_EQ(s.message_id, "M1");
  EXPECT_EQ(s.statement_id, "S1");
  EXPECT_EQ(s.account, "DE89370400440532013000");
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.opening->amount_minor, 10000);
  EXPECT_EQ(s.closing->amount_minor, 9050);
  ASSERT_EQ(s.lines.size(), 1u);
  EXPECT_EQ(s.lines[0].amount_minor, -950);
  EXPECT_EQ(s.lines[0].booking_date, "2024-03-02");
  EXPECT_EQ(s.lines[0].source_path, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
  EXPECT_EQ(s.balances(), std::optional<bool>(true));
}

TEST(BankCamt, OpbdIsTheOpeningEvenWhenPrcdComesFirst) {
  auto r = parse_camt(camt053(bal("PRCD", "1.00") + bal("OPBD", "2.00") + bal("CLBD", "2.00")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].opening->kind, "OPBD");
  EXPECT_EQ(r->statements[0].opening->amount_minor, 200);
}

TEST(BankCamt, PrcdIsTheOpeningOnlyWithoutOpbd) {
  auto r = parse_camt(camt053(bal("PRCD", "5.00", "DBIT") + bal("CLBD", "5.00", "DBIT")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].opening->kind, "PRCD");
  EXPECT_EQ(r->statements[0].opening->amount_minor, -500);
}

TEST(BankCamt, ClosingAvailableIsNotTheClosing) {
  auto r = parse_camt(camt053(bal("OPBD", "1.00") + bal("CLAV", "3.00")));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->statements[0].closing.has_value());
  EXPECT_EQ(r->statements[0].balances(), std::nullopt);
}

TEST(BankCamt, StatementWithoutEntriesBalancesOnItsOwn) {
  auto r = parse_camt(camt053(bal("OPBD", "7.00") + bal("CLBD", "7.00")));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->statements[0].lines.empty());
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
}

TEST(BankCamt, MoreDecimalsThanTheCurrencyAreRefusedWithThePath) {
  auto r = parse_camt(camt053(bal("OPBD", "1.00") + ntry("8.85001", "CRDT")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().code, "too_many_decimals");
  EXPECT_EQ(r.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt");
  EXPECT_NE(r.error().message.find("/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt: "), std::string::npos);
}

TEST(BankCamt, TrailingZerosBeyondTheCurrencyAreFine) {
  auto r = parse_camt(camt053(bal("OPBD", "18.150") + ntry("8.85000", "CRDT")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].opening->amount_minor, 1815);
  EXPECT_EQ(r->statements[0].lines[0].amount_minor, 885);
}

TEST(BankCamt, FiveDecimalsSampleKeepsItsFigures) {
  // The sample's figures have three decimals, the last a zero: taken, not rounded.
  auto r = parse_camt(read_file("camt/genkgo-camt/test/data/camt053.v2.five.decimals.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->statements[0].opening->amount_minor, 1815);
  EXPECT_EQ(r->statements[0].lines[0].amount_minor, 885);
  EXPECT_EQ(r->statements[0].closing->amount_minor, 2705);
}

TEST(BankCamt, BalanceAmountErrorNamesTheBalance) {
  auto r = parse_camt(camt053(bal("OPBD", "1.00") + bal("CLBD", "12,00")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]/Amt");
}

TEST(BankCamt, StatusAsTextOrAsCode) {
  std::string pending = "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts></Ntry>";
  std::string booked = "<Ntry><Amt Ccy=\"EUR\">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts></Ntry>";
  std::string info = "<Ntry><Amt Ccy=\"EUR\">4.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>INFO</Sts></Ntry>";
  auto r = parse_camt(camt053(pending + booked + info, "camt.053.001.10"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& l = r->statements[0].lines;
  ASSERT_EQ(l.size(), 3u);
  EXPECT_FALSE(l[0].booked);
  EXPECT_TRUE(l[1].booked);
  EXPECT_FALSE(l[2].booked);
  EXPECT_EQ(r->statements[0].booked_sum_minor(), 200);
}

TEST(BankCamt, DatesFromDtOrDtTmAndReferences) {
  const std::string more =
      "<ValDt><DtTm>2024-03-04T23:30:00+01:00</DtTm></ValDt><AcctSvcrRef>BANK-1</AcctSvcrRef>"
      "<NtryRef>MINE-1</NtryRef><RvslInd>true</RvslInd>"
      "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>";
  auto r = parse_camt(camt053(ntry("1.00", "DBIT", more)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& l = r->statements[0].lines[0];
  EXPECT_EQ(l.value_date, "2024-03-04");
  EXPECT_EQ(l.bank_reference, "BANK-1");
  EXPECT_EQ(l.customer_reference, "MINE-1");
  EXPECT_EQ(l.transaction_code, "PMNT/RCDT/ESCT");
  EXPECT_TRUE(l.reversal);
  EXPECT_EQ(l.amount_minor, -100);  // the sign comes from CdtDbtInd, reversal or not
}

TEST(BankCamt, BadDateIsRefusedWithItsPath) {
  auto r = parse_camt(camt053(ntry("1.00", "DBIT", "<ValDt><Dt>2024-02-30</Dt></ValDt>")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/ValDt/Dt");
}

TEST(BankCamt, MissingCreditDebitIndicatorIsRefused) {
  auto r = parse_camt(camt053("<Ntry><Amt Ccy=\"EUR\">1.00</Amt><Sts>BOOK</Sts></Ntry>"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd");
}

TEST(BankCamt, OneEntryWithSeveralTransactionDetails) {
  const std::string tx1 =
      "<TxDtls><Refs><EndToEndId>E2E-1</EndToEndId><MndtId>M-7</MndtId></Refs>"
      "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">60.00</Amt></TxAmt></AmtDtls>"
      "<RltdPties><Dbtr><Nm>Alpha  GmbH</Nm></Dbtr><DbtrAcct><Id><IBAN>de02120300000000202051</IBAN></Id></DbtrAcct>"
      "<Cdtr><Nm>Us</Nm></Cdtr></RltdPties>"
      "<RltdAgts><DbtrAgt><FinInstnId><BIC>BYLADEM1001</BIC></FinInstnId></DbtrAgt></RltdAgts>"
      "<RmtInf><Ustrd>Invoice 1001</Ustrd><Ustrd>and more</Ustrd></RmtInf></TxDtls>";
  const std::string tx2 =
      "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Amt Ccy=\"EUR\">40.00</Amt>"
      "<RltdPties><Dbtr><Pty><Nm>Beta AG</Nm></Pty></Dbtr></RltdPties>"
      "<RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>";
  auto r = parse_camt(camt053(ntry("100.00", "CRDT", "<NtryDtls>" + tx1 + tx2 + "</NtryDtls>")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& d = r->statements[0].lines[0].details;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].amount_minor, std::optional<int64_t>(6000));
  EXPECT_EQ(d[0].end_to_end_id, "E2E-1");
  EXPECT_EQ(d[0].mandate_id, "M-7");
  EXPECT_EQ(d[0].remittance, "Invoice 1001 and more");
  EXPECT_EQ(d[0].counterparty_name, "Alpha GmbH");
  EXPECT_EQ(d[0].counterparty_iban, "DE02120300000000202051");
  EXPECT_EQ(d[0].counterparty_bic, "BYLADEM1001");
  EXPECT_EQ(d[1].amount_minor, std::optional<int64_t>(4000));
  EXPECT_EQ(d[1].end_to_end_id, "");
  EXPECT_EQ(d[1].structured_reference, "RF18539007547034");
  EXPECT_EQ(d[1].counterparty_name, "Beta AG");
}

TEST(BankCamt, OnADebitTheCounterpartyIsTheCreditor) {
  const std::string tx =
      "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Us</Nm></Dbtr><Cdtr><Nm>Supplier</Nm></Cdtr>"
      "<CdtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></CdtrAcct></RltdPties>"
      "<RltdAgts><CdtrAgt><FinInstnId><BICFI>AGRIFRPP</BICFI></FinInstnId></CdtrAgt></RltdAgts></TxDtls></NtryDtls>";
  auto r = parse_camt(camt053(ntry("5.00", "DBIT", tx)));
  ASSERT_TRUE(r.ok());
  const auto& d = r->statements[0].lines[0].details[0];
  EXPECT_EQ(d.counterparty_name, "Supplier");
  EXPECT_EQ(d.counterparty_iban, "FR7630006000011234567890189");
  EXPECT_EQ(d.counterparty_bic, "AGRIFRPP");
}

TEST(BankCamt, EntryWithoutDetailsGetsOneFromTheEntry) {
  auto r = parse_camt(camt053(ntry("5.00", "CRDT", "<AddtlNtryInf>Card   settlement</AddtlNtryInf>")));
  ASSERT_TRUE(r.ok());
  const auto& d = r->statements[0].lines[0].details;
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].remittance, "Card settlement");
  EXPECT_FALSE(d[0].amount_minor.has_value());
}

TEST(BankCamt, PrefixedElementsAndAnyOrder) {
  const std::string xml =
      "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.08\"><c:BkToCstmrAcctRpt>"
      "<c:Rpt><c:Ntry><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts><c:Amt Ccy=\"JPY\">500</c:Amt></c:Ntry>"
      "<c:Acct><c:Id><c:Othr><c:Id>12345</c:Id></c:Othr></c:Id></c:Acct><c:Id>R1</c:Id></c:Rpt>"
      "<c:GrpHdr><c:MsgId>G</c:MsgId></c:GrpHdr></c:BkToCstmrAcctRpt></c:Document>";
  auto r = parse_camt(xml);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::camt052);
  const auto& s = r->statements[0];
  EXPECT_EQ(s.account, "12345");
  EXPECT_EQ(s.currency, "JPY");
  EXPECT_EQ(s.message_id, "G");
  EXPECT_EQ(s.lines[0].amount_minor, 500);
}

TEST(BankCamt, NotificationsAreCamt054) {
  const std::string xml =
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04\"><BkToCstmrDbtCdtNtfctn>"
      "<Ntfctn><Id>N1</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>"
      "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";
  auto r = parse_camt(xml);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->format, Format::camt054);
  EXPECT_EQ(r->statements[0].statement_id, "N1");
}

TEST(BankCamt, MalformedXmlIsRefusedWithItsLine) {
  auto r = parse_camt("<Document>\n<BkToCstmrStmt>\n<Stmt>\n</BkToCstmrStmt>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_xml");
  EXPECT_EQ(r.error().message.rfind("line ", 0), 0u) << r.error().message;
  EXPECT_FALSE(r.error().field.empty());
}

TEST(BankCamt, OtherXmlIsRefused) {
  auto r = parse_camt("<Invoice/>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/");
  auto r2 = parse_camt("<Document><pain.001/></Document>");
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().field, "/Document");
}

TEST(BankCamt, StatementWithoutAnyCurrencyIsRefused) {
  auto r = parse_camt(
      "<Document><BkToCstmrStmt><Stmt><Id>1</Id><Acct><Id><IBAN>X</IBAN></Id></Acct></Stmt></BkToCstmrStmt></Document>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "/Document/BkToCstmrStmt/Stmt[1]");
}

TEST(BankCamt, EntryInAnotherCurrencyIsWarnedAbout) {
  auto r = parse_camt(read_file("camt/genkgo-camt/test/data/camt053.v2.with-account-name.xml"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].currency, "JPY");
  EXPECT_EQ(r->statements[0].lines[0].currency, "EUR");
  EXPECT_EQ(r->statements[0].lines[0].amount_minor, 885);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("differs"), std::string::npos);
}

TEST(BankCamt, EntryWithoutStatusIsTakenAsBookedAndWarningsAreCapped) {
  std::string entries;
  for (int i = 0; i < 300; ++i) entries += "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>";
  auto r = parse_camt(camt053(entries));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->statements[0].lines[0].booked);
  EXPECT_EQ(r->statements[0].booked_sum_minor(), 30000);
  ASSERT_EQ(r->warnings.size(), kMaxWarnings + 1);
  EXPECT_EQ(r->warnings[0], "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]: no Sts; taken as booked");
  EXPECT_EQ(r->warnings.back(), "100 more warnings not shown");
}

// A large statement is read whole (how fast: `o2c bench reconcile`).
TEST(BankCamt, HundredThousandEntriesAreReadWhole) {
  std::string entries;
  const int kEntries = 100'000;
  for (int i = 0; i < kEntries; ++i) {
    entries += ntry("1.00", "CRDT",
                    "<NtryDtls><TxDtls><Refs><EndToEndId>E" + std::to_string(i) +
                        "</EndToEndId></Refs><RmtInf><Ustrd>Invoice</Ustrd></RmtInf></TxDtls></NtryDtls>");
  }
  const std::string xml = camt053(bal("OPBD", "0.00") + bal("CLBD", std::to_string(kEntries) + ".00") + entries);
  auto r = parse_camt(xml);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].lines.size(), static_cast<size_t>(kEntries));
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
  EXPECT_EQ(r->statements[0].lines.back().details[0].end_to_end_id, "E" + std::to_string(kEntries - 1));
}

// The upstream project's expected parse (JSON beside the XML), a few details.
TEST(BankCamtGenkgo, V2MinimalDebtorIbanAndStructuredReference) {
  auto r = parse_camt(read_file("camt/genkgo-camt/test/data/camt053.v2.minimal.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& d = r->statements[0].lines[0].details.at(0);
  EXPECT_EQ(d.counterparty_name, "NAME NAME");
  EXPECT_EQ(d.counterparty_iban, "NL56AGDH9619008421");
  EXPECT_EQ(d.structured_reference, "4654654654654654");
  EXPECT_EQ(r->statements[0].lines[0].transaction_code, "544");
}

TEST(BankCamtGenkgo, V8PartyNameAndEndToEndId) {
  auto r = parse_camt(read_file("camt/genkgo-camt/test/data/camt053.v8.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& d = r->statements[0].lines[0].details.at(0);
  EXPECT_EQ(d.end_to_end_id, "MUELL/FINP/RA12345");
  EXPECT_EQ(d.counterparty_name, "NAME NAME");
  EXPECT_EQ(d.counterparty_iban, "NL56AGDH9619008421");
}

TEST(BankCamtGenkgo, Camt054V8SeveralTransactionsOnOneDebit) {
  auto r = parse_camt(read_file("camt/genkgo-camt/test/data/camt054.v8.xml"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::camt054);
  const auto& l = r->statements[0].lines.at(0);
  EXPECT_EQ(l.amount_minor, -20000000);  // 200000 SEK
  ASSERT_EQ(l.details.size(), 3u);
  EXPECT_EQ(l.details[0].end_to_end_id, "UXC06170000006PI00001EE00001");
  EXPECT_EQ(l.details[1].end_to_end_id, "UXC06170000006PI00001EE00002");
  EXPECT_EQ(l.details[0].counterparty_name, "Example Creditor 3 - V1");
  EXPECT_EQ(l.details[0].counterparty_iban, "CH4112345003131313131");
  EXPECT_EQ(l.details[0].remittance, "Unstructured Remittance Information V1");
  // The details are in CHF, the entry in SEK: no detail amount in the wrong currency.
  EXPECT_FALSE(l.details[0].amount_minor.has_value());
}

// ---- MT940 -------------------------------------------------------------------

const char* kMt940 =
    ":20:REF1\r\n"
    ":25:DE89370400440532013000\r\n"
    ":28C:00042/001\r\n"
    ":60F:C240301EUR1000,00\r\n"
    ":61:2403010301C250,00NTRFNONREF//BANK1\r\n"
    ":86:166?00GUTSCHRIFT?20EREF+E2E-9?21SVWZ+Rechnung 4711 vom 1\r\n"
    ".3.?30COBADEFFXXX?31DE02120300000000202051?32Alpha Gmb?33H\r\n"
    ":61:2403010301D50,00NMSCMYREF\r\n"
    ":86:Card payment\r\n"
    "shop 12\r\n"
    ":62F:C240301EUR1200,00\r\n"
    "-\r\n";

TEST(BankMt940, StatementFiguresAndIds) {
  auto r = parse_mt940(kMt940);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::mt940);
  ASSERT_EQ(r->statements.size(), 1u);
  const auto& s = r->statements[0];
  EXPECT_EQ(s.message_id, "REF1");
  EXPECT_EQ(s.statement_id, "REF1 00042/001");
  EXPECT_EQ(s.account, "DE89370400440532013000");
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.opening->kind, "60F");
  EXPECT_EQ(s.opening->amount_minor, 100000);
  EXPECT_EQ(s.closing->kind, "62F");
  EXPECT_EQ(s.balances(), std::optional<bool>(true));
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_EQ(s.lines[0].amount_minor, 25000);
  EXPECT_EQ(s.lines[0].source_line, 5);
  EXPECT_EQ(s.lines[0].bank_reference, "BANK1");
  EXPECT_EQ(s.lines[0].customer_reference, "NONREF");
  EXPECT_EQ(s.lines[0].transaction_code, "NTRF 166");
  EXPECT_EQ(s.lines[1].amount_minor, -5000);
  EXPECT_EQ(s.lines[1].customer_reference, "MYREF");
  EXPECT_EQ(s.lines[1].details[0].remittance, "Card payment shop 12");
}

TEST(BankMt940, GermanStructuredDetails) {
  auto r = parse_mt940(kMt940);
  ASSERT_TRUE(r.ok());
  const auto& d = r->statements[0].lines[0].details.at(0);
  EXPECT_EQ(d.end_to_end_id, "E2E-9");
  EXPECT_EQ(d.remittance, "Rechnung 4711 vom 1.3.");
  EXPECT_EQ(d.counterparty_bic, "COBADEFFXXX");
  EXPECT_EQ(d.counterparty_iban, "DE02120300000000202051");
  EXPECT_EQ(d.counterparty_name, "Alpha GmbH");
}

TEST(BankMt940, GermanMandateAndNotProvided) {
  auto r = parse_mt940(
      ":20:X\n:25:A\n:60F:C240301EUR0,00\n:61:240301D1,00NDDTNONREF\n"
      ":86:105?00SEPA-BASISLASTSCHRIFT?20EREF+NOTPROVIDED?21MREF+MANDATE-77?22CRED+DE98ZZZ09999999999?23SVWZ+Strom Maerz\n"
      ":62F:D240301EUR1,00\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& d = r->statements[0].lines[0].details[0];
  EXPECT_EQ(d.end_to_end_id, "");
  EXPECT_EQ(d.mandate_id, "MANDATE-77");
  EXPECT_EQ(d.remittance, "Strom Maerz");
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
}

TEST(BankMt940, DutchStructuredDetails) {
  auto r = parse_mt940(
      ":20:X\n:25:NL91ABNA0417164300\n:28C:1\n:60F:C240301EUR0,00\n:61:240301C12,34NTRFNONREF\n"
      ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL20INGB0001234567/BIC/INGBNL2A/NAME/J. de Vries/RE\n"
      "MI/Factuur 2024-17/EREF/NOTPROVIDED\n"
      ":61:240301C1,00NTRFNONREF\n"
      ":86:/TRTP/SEPA OVERBOEKING/REMI/STRD/CUR/RF18539007547034/EREF/E-1/MARF/MD-1\n"
      ":62F:C240301EUR13,34\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& d = r->statements[0].lines[0].details[0];
  EXPECT_EQ(d.counterparty_iban, "NL20INGB0001234567");
  EXPECT_EQ(d.counterparty_bic, "INGBNL2A");
  EXPECT_EQ(d.counterparty_name, "J. de Vries");
  EXPECT_EQ(d.remittance, "Factuur 2024-17");
  EXPECT_EQ(d.end_to_end_id, "");
  const auto& d2 = r->statements[0].lines[1].details[0];
  EXPECT_EQ(d2.structured_reference, "RF18539007547034");
  EXPECT_EQ(d2.end_to_end_id, "E-1");
  EXPECT_EQ(d2.mandate_id, "MD-1");
}

TEST(BankMt940, MarksCAndRdAreCreditsDAndRcAreDebits) {
  auto r = parse_mt940(
      ":20:X\n:25:A\n:60F:C240301EUR0,00\n"
      ":61:240301C1,00NTRFA\n:61:240301D2,00NTRFB\n:61:240301RC4,00NTRFC\n:61:240301RD8,00NTRFD\n"
      ":62F:C240301EUR3,00\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& l = r->statements[0].lines;
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0].amount_minor, 100);
  EXPECT_FALSE(l[0].reversal);
  EXPECT_EQ(l[1].amount_minor, -200);
  EXPECT_EQ(l[2].amount_minor, -400);  // reversal of a credit takes the money back out
  EXPECT_TRUE(l[2].reversal);
  EXPECT_EQ(l[3].amount_minor, 800);  // reversal of a debit brings it back in
  EXPECT_TRUE(l[3].reversal);
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
}

TEST(BankMt940, FundsCodeLetterBeforeTheAmount) {
  // "CR27,00" is C with funds code R, not a reversal.
  auto r = parse_mt940(":20:X\n:60F:C240301EUR0,00\n:61:2403010301CR27,00NTRFREF\n:61:240301RDR3,00NTRF\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->statements[0].lines[0].amount_minor, 2700);
  EXPECT_FALSE(r->statements[0].lines[0].reversal);
  EXPECT_EQ(r->statements[0].lines[1].amount_minor, 300);
  EXPECT_TRUE(r->statements[0].lines[1].reversal);
}

TEST(BankMt940, EntryDateYearAroundNewYear) {
  auto r = parse_mt940(
      ":20:X\n:60F:C231231EUR0,00\n"
      ":61:2401021231D1,00NTRFA\n"   // value 2 Jan 2024, booked 31 Dec 2023
      ":61:2312300102D1,00NTRFB\n"   // value 30 Dec 2023, booked 2 Jan 2024
      ":61:2406150614D1,00NTRFC\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& l = r->statements[0].lines;
  EXPECT_EQ(l[0].value_date, "2024-01-02");
  EXPECT_EQ(l[0].booking_date, "2023-12-31");
  EXPECT_EQ(l[1].value_date, "2023-12-30");
  EXPECT_EQ(l[1].booking_date, "2024-01-02");
  EXPECT_EQ(l[2].booking_date, "2024-06-14");
}

TEST(BankMt940, TwoDigitYearsAreThisCentury) {
  auto r = parse_mt940(":20:X\n:60F:C990101EUR0,00\n:61:000229C1,00NTRF\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].opening->date, "2099-01-01");
  EXPECT_EQ(r->statements[0].lines[0].value_date, "2000-02-29");
}

TEST(BankMt940, ThirtiethOfFebruaryIsKeptAsStatedWithAWarning) {
  auto r = parse_mt940(read_file("mt940/svenstaro-mt940-rs/tests/data/mt940/special-cases/february_30.sta"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& s = r->statements[0];
  ASSERT_EQ(s.lines.size(), 1u);
  EXPECT_EQ(s.lines[0].value_date, "2016-02-30");
  EXPECT_EQ(s.lines[0].booking_date, "2016-03-01");
  EXPECT_EQ(s.balances(), std::optional<bool>(true));
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("line 6: date 160230 does not exist"), std::string::npos) << r->warnings[0];
}

TEST(BankMt940, ImpossibleMonthIsRefusedWithTheLine) {
  auto r = parse_mt940(":20:X\n:25:A\n:60F:C240301EUR0,00\n:61:241301C1,00NTRF\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "line 4");
  EXPECT_EQ(r.error().message.rfind("line 4: ", 0), 0u) << r.error().message;
}

TEST(BankMt940, MalformedLinesAreRefusedWithTheirLine) {
  struct Case {
    const char* text;
    const char* field;
  } cases[] = {
      {":20:X\n:60F:X240301EUR0,00\n", "line 2"},                       // mark
      {":20:X\n:60F:C2403EUR0,00\n", "line 2"},                         // date
      {":20:X\n:60F:C240301EUR12.00\n", "line 2"},                      // decimal point
      {":20:X\n:60F:C240301EUR0,00\n:61:240301X1,00NTRF\n", "line 3"},  // mark
      {":20:X\n:60F:C240301EUR0,00\n:61:240301CNTRF\n", "line 3"},      // no amount
      {":20:X\n:60F:C240301EUR0,00\n:61:240301C1,001NTRF\n", "line 3"},  // three decimals in EUR
      {":20:X\n:60F:C240301EUR0,00\n\n:61:240301C1,00 bad\n", "line 4"},  // no type
      {":20:X\n:25:A\n:61:240301C1,00NTRF\n", "line 3"},                  // no currency yet
      {":20:X\n:25:A\n:28C:1\n", "line 1"},                               // no currency at all
      {":20:X\n:60F:C240301EUR0,00\n:90D:xEUR1,00\n", "line 3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = parse_mt940(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::malformed);
    EXPECT_EQ(r.error().field, c.field) << r.error().message;
    EXPECT_EQ(r.error().message.rfind(std::string(c.field) + ": ", 0), 0u) << r.error().message;
  }
}

TEST(BankMt940, SeveralStatementsInSwiftBlocks) {
  const std::string one =
      "{1:F01BANKDEFFAXXX0000000000}{2:O9401200240301BANKDEFFAXXX00000000002403011200N}{4:\r\n"
      ":20:A\r\n:25:ACC\r\n:28C:1/1\r\n:60F:C240301EUR1,00\r\n:61:240301C1,00NTRF\r\n:62F:C240301EUR2,00\r\n-}";
  const std::string two =
      "{1:F01BANKDEFFAXXX0000000000}{2:O9401200240302BANKDEFFAXXX00000000002403021200N}{4:\r\n"
      ":20:B\r\n:25:ACC\r\n:28C:2/1\r\n:60F:C240302EUR2,00\r\n:62F:C240302EUR2,00\r\n-}{5:{CHK:123456789ABC}}\r\n";
  auto r = parse_mt940(one + two);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->statements.size(), 2u);
  EXPECT_EQ(r->statements[0].statement_id, "A 1/1");
  EXPECT_EQ(r->statements[1].statement_id, "B 2/1");
  EXPECT_EQ(r->statements[1].lines.size(), 0u);
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
  EXPECT_EQ(sniff(one + two), Format::mt940);
}

TEST(BankMt940, UnknownTagsAreSkippedWithAWarning) {
  auto r = parse_mt940(read_file("mt940/svenstaro-mt940-rs/tests/data/mt940/special-cases/unknown_tag.sta"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  bool found = false;
  for (const auto& w : r->warnings) found = found || w.find("unknown tag") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(BankMt940, WarningsAreCapped) {
  std::string text = ":20:X\n:60F:C240301EUR0,00\n";
  for (int i = 0; i < 1000; ++i) text += ":99:odd\n";
  auto r = parse_mt940(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->warnings.size(), kMaxWarnings + 1);
  EXPECT_EQ(r->warnings.back(), "800 more warnings not shown");
}

TEST(BankMt940, InvalidUtf8IsKeptNotRefused) {
  auto r = parse_mt940(std::string(":20:X\n:60F:C240301EUR0,00\n:61:240301C1,00NTRF\n:86:M\xfc\xffller\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statements[0].lines[0].details[0].remittance, "M\xfc\xffller");
  auto real = parse_mt940(read_file("mt940/svenstaro-mt940-rs/tests/data/mt940/special-cases/invalid_utf8.sta"));
  ASSERT_TRUE(real.ok()) << real.error().message;
}

TEST(BankMt940, Mt942LinesAreInterim) {
  auto r = parse_mt940(read_file("mt940/svenstaro-mt940-rs/tests/data/mt942/special-cases/mt942.sta"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::mt942);
  const auto& s = r->statements[0];
  EXPECT_EQ(s.format, Format::mt942);
  EXPECT_EQ(s.currency, "EUR");
  ASSERT_EQ(s.lines.size(), 1u);
  EXPECT_FALSE(s.lines[0].booked);
  EXPECT_EQ(s.lines[0].amount_minor, -42);
  EXPECT_EQ(s.lines[0].bank_reference, "055001022000001");
  EXPECT_EQ(s.booked_sum_minor(), 0);
  // :90D: says 1 debit of 2.30; the file has 1 of 0.42.
  bool control = false;
  for (const auto& w : r->warnings) control = control || w.find(":90D:") != std::string::npos;
  EXPECT_TRUE(control);
}

TEST(BankMt940, BalanceWithoutCurrencyUsesTheStatements) {
  auto r = parse_mt940(":20:X\n:28:1/1\n:60F:C020315DEM0,00\n:61:020317CM5000,00S05168790452\n:62M:C0203155000,00\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& s = r->statements[0];
  EXPECT_EQ(s.statement_id, "X 1/1");
  EXPECT_EQ(s.closing->amount_minor, 500000);
  EXPECT_EQ(s.lines[0].transaction_code, "S051");
  EXPECT_EQ(s.lines[0].customer_reference, "68790452");
  EXPECT_EQ(s.balances(), std::optional<bool>(true));
}

TEST(BankMt940, SupplementaryDetailsAndLongReference) {
  auto r = parse_mt940(
      ":20:X\n:60F:C240301EUR0,00\n:61:240301D1,00N0440121470966      W.P. Jansen     \n"
      ":61:240301C1,00NTRFNONREF//B1\nSUPPLEMENTARY TEXT\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& l = r->statements[0].lines;
  EXPECT_EQ(l[0].customer_reference, "0121470966");
  EXPECT_EQ(l[0].details[0].remittance, "W.P. Jansen");
  EXPECT_EQ(l[1].bank_reference, "B1");
  EXPECT_EQ(l[1].details[0].remittance, "SUPPLEMENTARY TEXT");
}

TEST(BankMt940, EmptyOrTaglessInputIsRefused) {
  for (const char* text : {"", "\r\n\r\n", "hello\nworld\n", ":25:ACC\n"}) {
    SCOPED_TRACE(text);
    auto r = parse_mt940(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "line 1");
  }
}

// Large input is read in one pass without losing a line; how fast is
// measured by `o2c bench reconcile`, not here.
TEST(BankMt940, ALargeFileIsReadWhole) {
  std::string text = ":20:BIG\n:25:DE89370400440532013000\n:28C:1\n:60F:C240301EUR0,00\n";
  const int kEntries = 100'000;  // two lines each
  text.reserve(static_cast<size_t>(kEntries) * 120);
  for (int i = 0; i < kEntries; ++i) {
    text += ":61:2403010301C1,00NTRFREF";
    text += std::to_string(i);
    text += "//B\n:86:166?00GUTSCHRIFT?20EREF+E";
    text += std::to_string(i);
    text += "?21SVWZ+Invoice ";
    text += std::to_string(i);
    text += "?32Payer Name\n";
  }
  text += ":62F:C240301EUR" + std::to_string(kEntries) + ",00\n-\n";
  auto r = parse_mt940(text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->statements[0].lines.size(), static_cast<size_t>(kEntries));
  EXPECT_EQ(r->statements[0].balances(), std::optional<bool>(true));
  EXPECT_EQ(r->statements[0].lines.back().details[0].end_to_end_id, "E" + std::to_string(kEntries - 1));
}

// ---- CSV ---------------------------------------------------------------------

CsvProfile german_profile() {
  CsvProfile p;
  p.name = "Sparkasse";
  p.delimiter = ';';
  p.skip_lines = 2;
  p.booking_date = "Buchungstag";
  p.value_date = "Valuta";
  p.amount = "Betrag";
  p.counterparty_name = "Name";
  p.counterparty_iban = "IBAN";
  p.remittance = "Verwendungszweck";
  p.reference = "Referenz";
  p.date_format = "DD.MM.YYYY";
  p.decimal_separator = ',';
  p.account = "DE89370400440532013000";
  p.default_currency = "EUR";
  return p;
}

TEST(BankCsv, MappedColumnsWithPreambleAndGrouping) {
  const std::string text =
      "Kontoauszug\nKonto DE89\n"
      "Buchungstag;Valuta;Name;IBAN;Verwendungszweck;Referenz;Betrag\n"
      "01.03.2024;02.03.2024;Alpha GmbH;DE02 1203 0000 0000 2020 51;\"Rechnung; 4711\";RF18539007547034;1.234,56\n"
      "\n"
      "03.03.2024;;Beta;;Miete;;-50,00\n";
  auto r = parse_csv(text, german_profile());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, Format::csv);
  const auto& s = r->statements[0];
  EXPECT_EQ(s.account, "DE89370400440532013000");
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.balances(), std::nullopt);
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_EQ(s.lines[0].amount_minor, 123456);
  EXPECT_EQ(s.lines[0].booking_date, "2024-03-01");
  EXPECT_EQ(s.lines[0].value_date, "2024-03-02");
  EXPECT_EQ(s.lines[0].source_line, 4);
  EXPECT_EQ(s.lines[0].details[0].counterparty_iban, "DE02120300000000202051");
  EXPECT_EQ(s.lines[0].details[0].remittance, "Rechnung; 4711");
  EXPECT_EQ(s.lines[0].details[0].structured_reference, "RF18539007547034");
  EXPECT_EQ(s.lines[1].amount_minor, -5000);
  EXPECT_EQ(s.lines[1].source_line, 6);
  EXPECT_EQ(s.from_date, "2024-03-01");
  EXPECT_EQ(s.to_date, "2024-03-03");
}

TEST(BankCsv, CreditAndDebitColumnsWithoutHeader) {
  CsvProfile p;
  p.has_header = false;
  p.booking_date = "1";
  p.credit = "2";
  p.debit = "3";
  p.currency = "4";
  p.date_format = "YYYYMMDD";
  auto r = parse_csv("20240301,10.00,,USD\n20240302,,2.50,USD\n", p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->statements[0].currency, "USD");
  EXPECT_EQ(r->statements[0].lines[0].amount_minor, 1000);
  EXPECT_EQ(r->statements[0].lines[1].amount_minor, -250);
}

TEST(BankCsv, ErrorsNameTheLine) {
  auto p = german_profile();
  const std::string head = "x\ny\nBuchungstag;Valuta;Name;IBAN;Verwendungszweck;Referenz;Betrag\n";
  struct Case {
    std::string body;
    std::string field;
    std::string code;
  } cases[] = {
      {"31.02.2024;;A;;B;;1,00\n", "line 4", "invalid_date"},
      {"01.03.2024;;A;;B;;1,001\n", "line 4", "too_many_decimals"},
      {"01.03.2024;;A;;B;;1,00\n01.03.2024;;A;;B;;abc\n", "line 5", "invalid_amount"},
      {"01.03.2024;;A;;\"B;;1,00\n", "line 4", "invalid_csv"},
      {"", "line 3", "no_statement"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = parse_csv(head + c.body, p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, c.field) << r.error().message;
    EXPECT_EQ(r.error().code, c.code) << r.error().message;
  }
  auto missing = parse_csv("x\ny\nBuchungstag;Betrag\n", p);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "line 3");
  EXPECT_NE(missing.error().message.find("no column \"Valuta\" (value_date)"), std::string::npos);
}

TEST(BankCsv, SeveralCurrenciesBecomeOneStatementEach) {
  CsvProfile p;
  p.booking_date = "d";
  p.amount = "a";
  p.currency = "c";
  p.remittance = "t";
  p.account = "DE89370400440532013000";
  p.default_currency = "EUR";
  // JPY has no decimals, KWD three: each line is read at its own currency's exponent.
  auto r = parse_csv(
      "d,a,c,t\n"
      "2024-03-04,10.50,EUR,one\n"
      "2024-03-01,-2.00,USD,two\n"
      "2024-03-02,1500,JPY,three\n"
      "2024-03-05,3.25,,four (default currency)\n"
      "2024-03-03,7.00,USD,five\n"
      "2024-03-06,1.125,KWD,six\n",
      p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->statements.size(), 4u);
  struct Want {
    const char* currency;
    std::vector<int64_t> amounts;
    const char* from;
    const char* to;
  };
  const Want want[] = {{"EUR", {1050, 325}, "2024-03-04", "2024-03-05"},
                       {"USD", {-200, 700}, "2024-03-01", "2024-03-03"},
                       {"JPY", {1500}, "2024-03-02", "2024-03-02"},
                       {"KWD", {1125}, "2024-03-06", "2024-03-06"}};
  for (size_t i = 0; i < 4; ++i) {
    const Statement& s = r->statements[i];
    SCOPED_TRACE(want[i].currency);
    EXPECT_EQ(s.currency, want[i].currency);
    EXPECT_EQ(s.account, "DE89370400440532013000");
    EXPECT_EQ(s.format, Format::csv);
    std::vector<int64_t> amounts;
    for (const auto& l : s.lines) {
      amounts.push_back(l.amount_minor);
      EXPECT_EQ(l.currency, want[i].currency);
    }
    EXPECT_EQ(amounts, want[i].amounts);
    EXPECT_EQ(s.from_date, want[i].from);
    EXPECT_EQ(s.to_date, want[i].to);
    // A CSV export states no balances, in any currency.
    EXPECT_FALSE(s.opening);
    EXPECT_FALSE(s.closing);
    EXPECT_FALSE(s.balances());
  }
  EXPECT_EQ(r->statements[1].lines[1].details[0].remittance, "five");
  EXPECT_EQ(r->statements[1].lines[1].source_line, 6);
}

TEST(BankCsv, AFileOfOneCurrencyIsOneStatement) {
  CsvProfile p;
  p.booking_date = "d";
  p.amount = "a";
  p.currency = "c";
  auto r = parse_csv("d,a,c\n2024-03-01,1,USD\n2024-03-02,2,USD\n", p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->statements.size(), 1u);
  EXPECT_EQ(r->statements[0].currency, "USD");
  EXPECT_EQ(r->statements[0].lines.size(), 2u);
}

TEST(BankCsv, CurrenciesPerFileAreLimited) {
  CsvProfile p;
  p.booking_date = "d";
  p.amount = "a";
  p.currency = "c";
  const char* codes[] = {"EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
                         "CAD", "AUD", "NZD", "SGD", "HKD", "CNY", "INR", "BRL", "MXN", "ZAR"};
  static_assert(std::size(codes) == kCsvCurrenciesMax + 1);
  std::string text = "d,a,c\n";
  for (size_t i = 0; i < kCsvCurrenciesMax; ++i) text += std::string("2024-03-01,1,") + codes[i] + "\n";
  auto at_max = parse_csv(text, p);
  ASSERT_TRUE(at_max.ok()) << at_max.error().message;
  EXPECT_EQ(at_max->statements.size(), kCsvCurrenciesMax);
  text += std::string("2024-03-01,1,") + codes[kCsvCurrenciesMax] + "\n";
  auto over = parse_csv(text, p);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().field, "line " + std::to_string(kCsvCurrenciesMax + 2));
  EXPECT_EQ(over.error().code, "invalid_statement");
  // An unknown code is refused with its line, as before.
  auto unknown = parse_csv("d,a,c\n2024-03-01,1,EUR\n2024-03-01,1,XXY\n", p);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "line 3");
  EXPECT_EQ(unknown.error().code, "unknown_currency");
}

TEST(BankCsvProfile, ValidationNamesTheField) {
  auto field_of = [](const CsvProfile& p) {
    auto r = validate_profile(p);
    return r.ok() ? std::string("ok") : r.error().field;
  };
  CsvProfile ok;
  ok.booking_date = "Date";
  ok.amount = "Amount";
  ok.default_currency = "EUR";
  EXPECT_EQ(field_of(ok), "ok");
  auto p = ok;
  p.booking_date = "";
  EXPECT_EQ(field_of(p), "booking_date");
  p = ok;
  p.amount = "";
  EXPECT_EQ(field_of(p), "amount");
  p.credit = "In";
  EXPECT_EQ(field_of(p), "debit");
  p.debit = "Out";
  EXPECT_EQ(field_of(p), "ok");
  p.amount = "Amount";
  EXPECT_EQ(field_of(p), "credit");
  p = ok;
  p.date_format = "DD-MM-YY";
  EXPECT_EQ(field_of(p), "date_format");
  p = ok;
  p.decimal_separator = ';';
  EXPECT_EQ(field_of(p), "decimal_separator");
  p = ok;
  p.delimiter = '"';
  EXPECT_EQ(field_of(p), "delimiter");
  p = ok;
  p.skip_lines = -1;
  EXPECT_EQ(field_of(p), "skip_lines");
  p.skip_lines = 1001;
  EXPECT_EQ(field_of(p), "skip_lines");
  p.skip_lines = 1000;
  EXPECT_EQ(field_of(p), "ok");
  p = ok;
  p.default_currency = "";
  EXPECT_EQ(field_of(p), "default_currency");
  p.default_currency = "EURO";
  EXPECT_EQ(field_of(p), "default_currency");
  p = ok;
  p.has_header = false;
  EXPECT_EQ(field_of(p), "booking_date");
  p.booking_date = "1";
  p.amount = "2";
  EXPECT_EQ(field_of(p), "ok");
  p.remittance = "0";
  EXPECT_EQ(field_of(p), "remittance");
  auto r = validate_profile(p);
  EXPECT_EQ(r.error().code, "invalid_profile");
  EXPECT_NE(r.error().message.find("remittance"), std::string::npos);
}

TEST(BankCsv, InvalidProfileIsRefusedBeforeReading) {
  CsvProfile p;
  auto r = parse_csv("a\n", p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "booking_date");
}

// ---- sniff / names -------------------------------------------------------------

TEST(BankSniff, ByContent) {
  EXPECT_EQ(sniff("\xEF\xBB\xBF  <?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"),
            Format::camt053);
  EXPECT_EQ(sniff("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\">"), Format::camt052);
  EXPECT_EQ(sniff("<Document><BkToCstmrDbtCdtNtfctn>"), Format::camt054);
  EXPECT_EQ(sniff(":20:X\r\n:25:Y\r\n:60F:C240301EUR0,00\r\n"), Format::mt940);
  EXPECT_EQ(sniff("{1:F01BANK}{2:O940}{4:\r\n:20:X\r\n"), Format::mt940);
  EXPECT_EQ(sniff(":20:X\n:25:Y\n:28C:1\n:34F:EURD0,00\n:13D:2401011200+0100\n"), Format::mt942);
  EXPECT_EQ(sniff("ABNANL2A\n940\nABNANL2A\n:20:ABN\n:25:1\n"), Format::mt940);
  EXPECT_EQ(sniff("Date,Amount\n2024-03-01,1.00\n"), Format::csv);
  EXPECT_EQ(sniff(""), Format::csv);
}

TEST(BankSniff, FormatNames) {
  EXPECT_STREQ(format_name(Format::camt052), "camt.052");
  EXPECT_STREQ(format_name(Format::camt053), "camt.053");
  EXPECT_STREQ(format_name(Format::camt054), "camt.054");
  EXPECT_STREQ(format_name(Format::mt940), "MT940");
  EXPECT_STREQ(format_name(Format::mt942), "MT942");
  EXPECT_STREQ(format_name(Format::csv), "CSV");
}

}  // namespace
}  // namespace o2c::formats::bank
