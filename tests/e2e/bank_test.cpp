// Bank statements through HTTP: invoices are issued, a camt.053 and an MT940
// file pay them in the ways customers pay (structured reference, invoice
// number in free text with the discount taken, one transfer for two
// invoices, the payer known only by IBAN, a bank fee), reconciliation books
// what it is sure of and suggests the rest, a person matches and unmatches
// by hand. Re-importing adds nothing; a malformed file is refused whole.
// `o2c verify` closes every test (with the bank invariants).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

constexpr const char* kCompanyIban = "DE89370400440532013000";  // complete_company()
// The company's second account: each test keeps its statements' balances
// consistent per account, which verify holds the ledger to.
constexpr const char* kSecondAccount = "DE75512108001245126199";
constexpr const char* kCsvAccount = "DE91100000000123456789";

// One credit transfer in a camt.053 entry's TxDtls.
struct Transfer {
  std::string amount;  // "59.50"
  std::string payer, payer_iban;
  std::string creditor_ref;  // CdtrRefInf/Ref, may be empty
  std::string text;          // Ustrd, may be empty
};

std::string camt_tx(const Transfer& t, bool with_amount) {
  std::string x = "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>";
  if (with_amount) x += "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">" + t.amount + "</Amt></TxAmt></AmtDtls>";
  x += "<RltdPties><Dbtr><Nm>" + t.payer + "</Nm></Dbtr>";
  if (!t.payer_iban.empty()) x += "<DbtrAcct><Id><IBAN>" + t.payer_iban + "</IBAN></Id></DbtrAcct>";
  x += "</RltdPties><RmtInf>";
  if (!t.text.empty()) x += "<Ustrd>" + t.text + "</Ustrd>";
  if (!t.creditor_ref.empty()) {
    x += "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>" + t.creditor_ref +
         "</Ref></CdtrRefInf></Strd>";
  }
  return x + "</RmtInf></TxDtls>";
}

// A camt.053.001.02 statement of the company's account: one entry per group
// of transfers (a group of several is one bank line paying several invoices).
std::string camt053(const std::string& id, const std::string& opening, const std::string& closing,
                    const std::string& date, const std::vector<std::pair<std::string, std::vector<Transfer>>>& entries,
                    const std::string& account = kCompanyIban) {
  std::string x = R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-)" + id + R"(</MsgId><CreDtTm>)" + date + R"(T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>)" + id + R"(</Id><CreDtTm>)" + date + R"(T18:00:00</CreDtTm>
<Acct><Id><IBAN>)" + account + R"(</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">)" + opening +
                  R"(</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>)" + date + R"(</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">)" + closing +
                  R"(</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>)" + date + R"(</Dt></Dt></Bal>
)";
  int n = 0;
  for (const auto& [total, transfers] : entries) {
    x += "<Ntry><NtryRef>" + id + "-" + std::to_string(++n) + "</NtryRef><Amt Ccy=\"EUR\">" + total +
         "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>" + date + "</Dt></BookgDt><ValDt><Dt>" + date +
         "</Dt></ValDt><AcctSvcrRef>" + id + "-REF-" + std::to_string(n) +
         "</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
         "</BkTxCd><NtryDtls>";
    for (const auto& t : transfers) x += camt_tx(t, transfers.size() > 1);
    x += "</NtryDtls></Ntry>\n";
  }
  return x + "</Stmt></BkToCstmrStmt></Document>\n";
}

// "59.50" -> "59,50" (MT940 amounts).
std::string mt_amount(std::string a) {
  for (char& c : a) {
    if (c == '.') c = ',';
  }
  return a;
}

class Bank : public ShopSuite<Bank> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }

  static json line(const std::string& id) {
    auto r = server_->get("/api/v1/bank-lines/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static json lines_of(const std::string& statement_id) {
    return list_all(*server_, "/api/v1/bank-lines?statement_id=" + statement_id, accountant_);
  }
  static Response upload(const std::string& content, const std::string& type) {
    return server_->upload("/api/v1/bank-statements", accountant_, content, type);
  }
  static Response run() { return server_->post("/api/v1/reconciliation/run", accountant_, json::object()); }
  static json ledger_of(const std::string& source_type, const std::string& id) {
    auto r = server_->get("/api/v1/ledger/entries?source_type=" + source_type + "&source_id=" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["data"];
  }
};

TEST_F(Bank, ACamtAndAnMt940FilePayInvoicesInEveryWayAndReconciliationBooksThem) {
  const std::string sku = product("50.00");
  const auto a = customer({{"name", "Müller Maschinenbau GmbH " + unique_suffix()}, {"iban", "DE02120300000000202051"}});
  const auto b = customer({{"name", "Schmidt Logistik AG " + unique_suffix()},
                           {"iban", "DE02500105170137075030"},
                           {"payment_terms", "2/10NET30"}});
  const auto c = customer({{"name", "Weber & Söhne KG " + unique_suffix()}, {"iban", "DE12500105170648489890"}});
  const auto d = customer({{"name", "Fischer Handel GmbH " + unique_suffix()}, {"iban", "NL91ABNA0417164300"}});
  // Every order first, then the shipments: an invoice overdue on the
  // business date would hold the next order of its customer.
  const json oa = place(a, sku, "1"), ob = place(b, sku, "2"), oc1 = place(c, sku, "1"), oc2 = place(c, sku, "3"),
             od = place(d, sku, "4");
  const json ia = ship(oa, "2026-11-02");    // 59.50
  const json ib = ship(ob, "2026-11-02");    // 119.00, 2 % within 10 days: 116.62 until 2026-11-12
  const json ic1 = ship(oc1, "2026-11-03");  // 59.50
  const json ic2 = ship(oc2, "2026-11-03");  // 178.50
  const json id = ship(od, "2026-11-04");    // 238.00
  ASSERT_EQ(ia["total"], "59.50");
  ASSERT_EQ(ib["total"], "119.00");
  ASSERT_EQ(ib["discount_amount"], "2.38");
  ASSERT_EQ(ib["discount_date"], "2026-11-12");
  ASSERT_FALSE(ia["creditor_reference"].is_null()) << ia;

  // The camt.053: A by structured RF reference; B by its invoice number in
  // free text, written as people write it, paying the discounted amount
  // inside the window; C's two invoices in one entry with two TxDtls.
  std::string number_b = ib["number"];  // INV-2026-000002 -> "Rechnung inv 2026 000002"
  std::string loose_b = "Rechnung " + number_b;
  for (char& ch : loose_b) {
    if (ch == '-') ch = ' ';
  }
  const std::string camt =
      camt053("STMT-" + unique_suffix(), "1000.00", "1414.12", "2026-11-10",
              {{"59.50", {{"59.50", "MUELLER MASCHINENBAU", "DE02120300000000202051", ia["creditor_reference"], ""}}},
               {"116.62", {{"116.62", "Schmidt Logistik", "DE02500105170137075030", "", loose_b + " abzgl. 2% Skonto"}}},
               {"238.00",
                {{"59.50", "Weber und Soehne", "DE12500105170648489890", "", "Invoice " + ic1["number"].get<std::string>()},
                 {"178.50", "Weber und Soehne", "DE12500105170648489890", "",
                  "Invoice " + ic2["number"].get<std::string>()}}}});
  auto imp = upload(camt, "application/xml");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  EXPECT_EQ(imp.body["format"], "camt.053");
  EXPECT_EQ(imp.body["lines_imported"], 4) << "the entry with two TxDtls is two lines";
  EXPECT_EQ(imp.body["lines_skipped_duplicate"], 0);
  EXPECT_EQ(imp.body["opening_balance"], "1000.00");
  EXPECT_EQ(imp.body["closing_balance"], "1414.12");
  ASSERT_EQ(imp.body["statements"].size(), 1u);
  EXPECT_EQ(imp.body["statements"][0]["balanced"], true);
  const std::string camt_statement = imp.body["statements"][0]["id"];

  // The same file again, as banks resend: nothing new.
  auto again = upload(camt, "application/xml");
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["lines_imported"], 0);
  EXPECT_EQ(again.body["lines_skipped_duplicate"], 4);

  // The MT940 of the next day: D paid by IBAN and amount only (no
  // reference), and the bank's account fee.
  const std::string mt940 =
      ":20:STMT" + unique_suffix() + "\r\n:25:" + kCompanyIban + "\r\n:28C:00001/001\r\n:60F:C261111EUR1414,12\r\n" +
      ":61:2611111111C238,00NTRFNONREF//BNK1111A\r\n:86:166?00SEPA-UEBERWEISUNG?20Lieferung Oktober?21Danke"
      "?30ABNANL2A?31NL91ABNA0417164300?32FISCHER HANDEL\r\n" +
      ":61:2611111111D12,50NCHGNONREF//BNK1111B\r\n:86:805?00ENTGELT?20Kontofuehrungsgebuehr November\r\n" +
      ":62F:C261111EUR1639,62\r\n-\r\n";
  auto imp2 = upload(mt940, "text/plain");
  ASSERT_EQ(imp2.status, 201) << imp2.raw;
  EXPECT_EQ(imp2.body["format"], "MT940");
  EXPECT_EQ(imp2.body["lines_imported"], 2);
  EXPECT_EQ(imp2.body["statements"][0]["balanced"], true);
  const std::string mt_statement = imp2.body["statements"][0]["id"];

  auto r = run();
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["matched"], 6) << r.raw;
  EXPECT_EQ(r.body["posted"], 1) << r.raw;
  EXPECT_EQ(r.body["suggested"], 0) << r.raw;
  EXPECT_EQ(r.body["unmatched"], 0) << r.raw;

  for (const json* inv : {&ia, &ib, &ic1, &ic2, &id}) {
    const json now = invoice((*inv)["id"]);
    EXPECT_EQ(now["status"], "paid") << now["number"];
    EXPECT_EQ(now["open_amount"], "0.00") << now["number"];
  }
  // B took the discount: its payment shows it, and the ledger has it.
  const json lines_camt = lines_of(camt_statement);
  ASSERT_EQ(lines_camt.size(), 4u);
  std::map<std::string, json> by_amount;
  for (const auto& l : lines_camt) {
    EXPECT_EQ(l["status"], "matched") << l;
    EXPECT_FALSE(l["payment_id"].is_null()) << l;
    by_amount[l["amount"]] = l;
  }
  EXPECT_EQ(by_amount["59.50"]["matched_rule"].is_string(), true);
  auto pay_b = server_->get("/api/v1/payments/" + by_amount["116.62"]["payment_id"].get<std::string>(), accountant_);
  ASSERT_EQ(pay_b.status, 200) << pay_b.raw;
  ASSERT_EQ(pay_b.body["allocations"].size(), 1u);
  EXPECT_EQ(pay_b.body["allocations"][0]["invoice_id"], ib["id"]);
  EXPECT_EQ(pay_b.body["allocations"][0]["discount"], "2.38");
  EXPECT_EQ(pay_b.body["received_on"], "2026-11-10");

  // The fee went to bank charges, not to a customer.
  json fee;
  for (const auto& l : lines_of(mt_statement)) {
    if (l["amount"] == "-12.50") fee = l;
  }
  ASSERT_FALSE(fee.is_null());
  EXPECT_EQ(fee["status"], "matched");
  EXPECT_TRUE(fee["payment_id"].is_null());
  EXPECT_EQ(fee["account_posted"], "6300");
  const json fee_entry = ledger_of("bank_line", fee["id"]);
  ASSERT_EQ(fee_entry.size(), 1u) << fee_entry;

  // Everything on the account is reconciled: verify now also holds the
  // ledger's bank movements from these lines to the last closing balance.
  expect_verify_ok(*server_);

  // Running again finds nothing new to do.
  auto r2 = run();
  ASSERT_EQ(r2.status, 200) << r2.raw;
  EXPECT_EQ(r2.body["matched"], 0);
  EXPECT_EQ(r2.body["suggested"], 0);
}

// The company's reconcile_auto_threshold (PUT /company) is what a run uses
// when the request names none: the payer's IBAN and the exact amount of its
// one open invoice score 93, which is a suggestion at 100 and a booking at 93.
TEST_F(Bank, ARunWithoutAThresholdUsesTheCompanys) {
  constexpr const char* kThirdAccount = "DE62370400440532013777";
  const std::string sku = product("20.00");
  const auto k = customer({{"name", "Keller Kältetechnik GmbH " + unique_suffix()}, {"iban", "DE23500105170000123456"}});
  const json inv = ship(place(k, sku, "5"), "2026-11-06");  // 119.00
  ASSERT_EQ(inv["total"], "119.00");
  const std::string camt =
      camt053("STMT-" + unique_suffix(), "0.00", "119.00", "2026-11-13",
              {{"119.00", {{"119.00", "KELLER KAELTETECHNIK", "DE23500105170000123456", "", "Lieferung"}}}},
              kThirdAccount);
  auto imp = upload(camt, "application/xml");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  const std::string statement = imp.body["statements"][0]["id"];

  json company = complete_company();
  company["reconcile_auto_threshold"] = 100;
  auto put = server_->put("/api/v1/company", admin(), company);
  ASSERT_EQ(put.status, 200) << put.raw;
  auto strict = run();
  ASSERT_EQ(strict.status, 200) << strict.raw;
  EXPECT_EQ(strict.body["auto_threshold"], 100) << strict.raw;
  json l = lines_of(statement).at(0);
  EXPECT_EQ(l["status"], "suggested") << l;
  ASSERT_FALSE(l["suggestions"].empty()) << l;
  EXPECT_EQ(l["suggestions"][0]["score"], 93) << l;
  EXPECT_EQ(invoice(inv["id"])["open_amount"], "119.00");

  company["reconcile_auto_threshold"] = 93;
  ASSERT_EQ(server_->put("/api/v1/company", admin(), company).status, 200);
  auto lenient = run();
  ASSERT_EQ(lenient.status, 200) << lenient.raw;
  EXPECT_EQ(lenient.body["auto_threshold"], 93) << lenient.raw;
  l = lines_of(statement).at(0);
  EXPECT_EQ(l["status"], "matched") << l;
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");

  // Back to the default for the suite's other tests.
  ASSERT_EQ(server_->put("/api/v1/company", admin(), complete_company()).status, 200);
  EXPECT_EQ(server_->get("/api/v1/company", admin()).body["reconcile_auto_threshold"], 90);
}

TEST_F(Bank, ALineNobodyCanPlaceIsMatchedByHandAndUnmatchedAgain) {
  const std::string sku = product("20.00");
  const auto e = customer({{"name", "Anonymous Buyer Ltd " + unique_suffix()}});
  const json inv = ship(place(e, sku, "5"), "2026-11-05");  // 119.00
  ASSERT_EQ(inv["total"], "119.00");
  // A payer we do not know, no reference: the matcher cannot place it.
  const std::string camt = camt053("STMT-" + unique_suffix(), "0.00", "150.00", "2026-11-12",
                                   {{"150.00", {{"150.00", "J. DOE", "GB29NWBK60161331926819", "", "thanks"}}}},
                                   kSecondAccount);
  auto imp = upload(camt, "application/xml");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  auto r = run();
  ASSERT_EQ(r.status, 200) << r.raw;
  const json lines = lines_of(imp.body["statements"][0]["id"]);
  ASSERT_EQ(lines.size(), 1u);
  const std::string lid = lines[0]["id"];
  EXPECT_EQ(lines[0]["status"], "unmatched") << lines[0];
  auto listed = list_all(*server_, "/api/v1/bank-lines?status=unmatched", accountant_);
  bool found = false;
  for (const auto& l : listed) found = found || l["id"] == lid;
  EXPECT_TRUE(found) << "the line is not in ?status=unmatched";

  // Bad manual matches change nothing.
  const json before = state_snapshot(*server_);
  auto too_much = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_,
                                {{"allocations", json::array({{{"invoice_id", inv["id"]}, {"amount", "150.01"}}})}});
  EXPECT_EQ(too_much.status, 422) << too_much.raw;
  EXPECT_EQ(error_code(too_much), "allocations_exceed_line");
  auto both = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_, json::object());
  EXPECT_EQ(both.status, 422) << both.raw;
  auto bad_account = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_, {{"account", "nowhere"}});
  EXPECT_EQ(bad_account.status, 422) << bad_account.raw;
  EXPECT_EQ(error_code(bad_account), "unknown_account");
  auto viewer = server_->post("/api/v1/bank-lines/" + lid + "/match", sales_,
                              {{"allocations", json::array({{{"invoice_id", inv["id"]}, {"amount", "119.00"}}})}});
  EXPECT_EQ(viewer.status, 403) << viewer.raw;
  EXPECT_EQ(state_snapshot(*server_), before);

  // By hand: 119.00 on the invoice, the rest is the customer's credit.
  auto m = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_,
                         {{"allocations", json::array({{{"invoice_id", inv["id"]}, {"amount", "119.00"}}})}});
  ASSERT_EQ(m.status, 200) << m.raw;
  EXPECT_EQ(m.body["status"], "matched");
  EXPECT_EQ(m.body["matched_rule"], "manual");
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
  auto cust = server_->get("/api/v1/customers/" + e, accountant_);
  EXPECT_EQ(cust.body["credit_balance"], "31.00") << cust.raw;
  auto twice = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_, {{"account", "fees"}});
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(error_code(twice), "already_matched");
  expect_verify_ok(*server_);

  // Unmatched: the payment is reversed and the invoice is open again.
  const std::string payment_id = m.body["payment_id"];
  auto u = server_->post("/api/v1/bank-lines/" + lid + "/unmatch", accountant_, json::object());
  ASSERT_EQ(u.status, 200) << u.raw;
  EXPECT_EQ(u.body["status"], "unmatched");
  EXPECT_TRUE(u.body["payment_id"].is_null());
  EXPECT_EQ(invoice(inv["id"])["status"], "open");
  EXPECT_EQ(invoice(inv["id"])["open_amount"], "119.00");
  auto p = server_->get("/api/v1/payments/" + payment_id, accountant_);
  EXPECT_EQ(p.body["status"], "reversed") << p.raw;
  cust = server_->get("/api/v1/customers/" + e, accountant_);
  EXPECT_EQ(cust.body["credit_balance"], "0.00") << cust.raw;
  auto again = server_->post("/api/v1/bank-lines/" + lid + "/unmatch", accountant_, json::object());
  EXPECT_EQ(again.status, 409) << again.raw;

  // Finally it was interest the bank paid us: posted to interest income.
  auto acct = server_->post("/api/v1/bank-lines/" + lid + "/match", accountant_, {{"account", "interest"}});
  ASSERT_EQ(acct.status, 200) << acct.raw;
  EXPECT_EQ(acct.body["account_posted"], "4300");
}

TEST_F(Bank, AMalformedFileIsRefusedWithItsPlaceAndNothingIsImported) {
  const json before = state_snapshot(*server_);
  const auto lines_before = list_all(*server_, "/api/v1/bank-lines", accountant_).size();
  std::string bad = camt053("STMT-" + unique_suffix(), "0.00", "10.00", "2026-11-12",
                            {{"10.00", {{"10.00", "X", "", "", "a"}}}}, kSecondAccount);
  const std::string amount = "<Amt Ccy=\"EUR\">10.00</Amt>";
  const size_t at = bad.find(amount + "<CdtDbtInd>CRDT</CdtDbtInd><Sts>");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, amount.size(), "<Amt Ccy=\"EUR\">ten</Amt>");
  auto r = upload(bad, "application/xml");
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_TRUE(is_error_body(r));
  EXPECT_NE(r.body["error"]["field"].get<std::string>().find("Ntry"), std::string::npos) << r.raw;

  auto mt = upload(":20:X\r\n:25:DE89370400440532013000\r\n:28C:1\r\n:60F:C261111EUR0,00\r\n"
                   ":61:26111X1111C10,00NTRFNONREF\r\n:62F:C261111EUR10,00\r\n-\r\n",
                   "text/plain");
  EXPECT_EQ(mt.status, 400) << mt.raw;
  EXPECT_NE(mt.body["error"]["message"].get<std::string>().find("line 5"), std::string::npos) << mt.raw;

  auto csv = upload("date,amount\n2026-11-12,10.00\n", "text/csv");
  EXPECT_EQ(csv.status, 422) << csv.raw;
  EXPECT_EQ(error_code(csv), "csv_profile_required");
  auto pdf = upload("%PDF-1.4", "application/pdf");
  EXPECT_EQ(pdf.status, 422) << pdf.raw;
  auto unauth = server_->upload("/api/v1/bank-statements", sales_, "<x/>", "application/xml");
  EXPECT_EQ(unauth.status, 403) << unauth.raw;
  // Over the most the server reads (64 MiB): refused before it is read,
  // and the answer says where such a file goes.
  std::string huge = "<?xml version=\"1.0\"?><!--";
  huge.resize((size_t{64} << 20) + 1, 'x');
  auto too_large = upload(huge, "application/xml");
  EXPECT_EQ(too_large.status, 413) << too_large.raw.substr(0, 300);
  EXPECT_EQ(error_code(too_large), "payload_too_large");
  EXPECT_NE(too_large.raw.find("64 MiB"), std::string::npos) << too_large.raw;
  EXPECT_NE(too_large.raw.find("o2c import statement"), std::string::npos) << too_large.raw;

  EXPECT_EQ(state_snapshot(*server_), before);
  EXPECT_EQ(list_all(*server_, "/api/v1/bank-lines", accountant_).size(), lines_before);
}

TEST_F(Bank, ACsvExportIsReadThroughItsSavedProfile) {
  auto p = server_->post("/api/v1/bank-csv-profiles", accountant_,
                         {{"name", "Sparkasse " + unique_suffix()},
                          {"delimiter", ";"},
                          {"decimal_separator", ","},
                          {"date_format", "DD.MM.YYYY"},
                          {"booking_date", "Buchungstag"},
                          {"amount", "Betrag"},
                          {"counterparty_name", "Beguenstigter/Zahlungspflichtiger"},
                          {"counterparty_iban", "Kontonummer/IBAN"},
                          {"remittance", "Verwendungszweck"},
                          {"account", kCsvAccount},
                          {"default_currency", "EUR"}});
  ASSERT_EQ(p.status, 201) << p.raw;
  const std::string profile = p.body["id"];
  auto dup = server_->post("/api/v1/bank-csv-profiles", accountant_,
                           {{"name", p.body["name"]}, {"booking_date", "x"}, {"amount", "y"}, {"default_currency", "EUR"},
                            {"account", kCsvAccount}});
  EXPECT_EQ(dup.status, 409) << dup.raw;
  auto incomplete = server_->post("/api/v1/bank-csv-profiles", accountant_, {{"name", "No columns " + unique_suffix()}});
  EXPECT_EQ(incomplete.status, 422) << incomplete.raw;

  const std::string csv =
      "Buchungstag;Betrag;Beguenstigter/Zahlungspflichtiger;Kontonummer/IBAN;Verwendungszweck\n"
      "13.11.2026;1.234,56;Kunde Eins;DE02120300000000202051;Rechnung 4711\n"
      "13.11.2026;-3,90;Sparkasse;;Entgelt Kontofuehrung\n";
  auto imp = server_->upload("/api/v1/bank-statements?profile=" + profile, accountant_, csv, "text/csv");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  EXPECT_EQ(imp.body["format"], "CSV");
  EXPECT_EQ(imp.body["lines_imported"], 2);
  const json lines = lines_of(imp.body["statements"][0]["id"]);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["amount"], "1234.56");
  EXPECT_EQ(lines[0]["booking_date"], "2026-11-13");
  EXPECT_EQ(lines[0]["counterparty_iban"], "DE02120300000000202051");
  EXPECT_EQ(lines[1]["amount"], "-3.90");
  auto again = server_->upload("/api/v1/bank-statements?profile=" + profile, accountant_, csv, "text/csv");
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["lines_skipped_duplicate"], 2);
  // The lines of this test are left for the matcher; they pay nothing here.
  auto r = run();
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(line(lines[1]["id"])["account_posted"], "6300") << "the account fee is posted by the default rules";
}

// A CSV export of an account kept in several currencies: one statement per
// currency, each with its own lines, no balances (the export states none);
// the same file again adds nothing, and a line alike but for its currency
// is a line of its own.
TEST_F(Bank, ACsvFileInSeveralCurrenciesIsOneStatementPerCurrency) {
  constexpr const char* kMultiAccount = "DE27100777770209299700";
  auto p = server_->post("/api/v1/bank-csv-profiles", accountant_,
                         {{"name", "Multi " + unique_suffix()},
                          {"booking_date", "Date"},
                          {"amount", "Amount"},
                          {"currency", "Currency"},
                          {"counterparty_name", "Name"},
                          {"counterparty_iban", "IBAN"},
                          {"remittance", "Text"},
                          {"account", kMultiAccount},
                          {"default_currency", "EUR"}});
  ASSERT_EQ(p.status, 201) << p.raw;
  const std::string profile = p.body["id"];
  // Credits from accounts no customer has, with no reference: nothing for
  // the matcher or the posting rules of the suite's other runs.
  const std::string text = "Deposit " + unique_suffix();
  const std::string csv =
      "Date,Amount,Currency,Name,IBAN,Text\n"
      "2026-11-16,250.00,USD,Acme Inc,GB29NWBK60161331926819," + text + "\n"
      "2026-11-16,99.90,EUR,Acme Inc,GB29NWBK60161331926819," + text + "\n"
      "2026-11-17,1200,JPY,Acme KK,GB29NWBK60161331926819," + text + "\n"
      "2026-11-17,99.90,,Acme Inc,GB29NWBK60161331926819," + text + "\n"
      "2026-11-18,40.00,USD,Acme Inc,GB29NWBK60161331926819," + text + "\n";
  const json before = state_snapshot(*server_);
  auto imp = server_->upload("/api/v1/bank-statements?profile=" + profile, accountant_, csv, "text/csv");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  EXPECT_EQ(imp.body["lines_imported"], 5) << imp.raw;
  EXPECT_EQ(imp.body["lines_skipped_duplicate"], 0) << imp.raw;
  const json& sts = imp.body["statements"];
  ASSERT_EQ(sts.size(), 3u) << imp.raw;
  struct Want {
    std::string currency;
    std::vector<std::string> amounts;
  };
  // The line without a currency is in the profile's default, EUR.
  const std::vector<Want> want = {{"USD", {"250.00", "40.00"}}, {"EUR", {"99.90", "99.90"}}, {"JPY", {"1200"}}};
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].currency);
    EXPECT_EQ(sts[i]["currency"], want[i].currency);
    EXPECT_EQ(sts[i]["account"], kMultiAccount);
    EXPECT_TRUE(sts[i]["opening_balance"].is_null()) << sts[i];
    EXPECT_TRUE(sts[i]["closing_balance"].is_null()) << sts[i];
    EXPECT_TRUE(sts[i]["balanced"].is_null()) << sts[i];
    EXPECT_EQ(sts[i]["lines"], want[i].amounts.size());
    std::vector<std::string> amounts;
    for (const auto& l : lines_of(sts[i]["id"])) {
      amounts.push_back(l["amount"]);
      EXPECT_EQ(l["currency"], want[i].currency) << l;
    }
    EXPECT_EQ(amounts, want[i].amounts);
  }
  EXPECT_NE(state_snapshot(*server_), before);

  auto again = server_->upload("/api/v1/bank-statements?profile=" + profile, accountant_, csv, "text/csv");
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["lines_imported"], 0) << again.raw;
  EXPECT_EQ(again.body["lines_skipped_duplicate"], 5) << again.raw;
  // The next export: the first EUR line's twin in USD is new money, not a
  // duplicate of it.
  auto twin = server_->upload("/api/v1/bank-statements?profile=" + profile, accountant_,
                              "Date,Amount,Currency,Name,IBAN,Text\n"
                              "2026-11-16,99.90,USD,Acme Inc,GB29NWBK60161331926819," + text + "\n",
                              "text/csv");
  ASSERT_EQ(twin.status, 201) << twin.raw;
  EXPECT_EQ(twin.body["lines_imported"], 1) << twin.raw;
  EXPECT_EQ(twin.body["lines_skipped_duplicate"], 0) << twin.raw;
  ASSERT_EQ(twin.body["statements"].size(), 1u);
  EXPECT_EQ(twin.body["statements"][0]["currency"], "USD");
}

}  // namespace
}  // namespace o2c::e2e

namespace o2c::e2e {
namespace {

// Every real bank file of ../shared/conformance/bank through `o2c import
// statement`, as an accountant would load them: each statement's balance
// check is what the conformance table says; the files the table leaves out
// are refused; a second import adds nothing; reconciliation over all of it
// leaves the books verifiable.
class BankConformance : public ShopSuite<BankConformance> {};

struct ConformanceFile {
  int ok = 0, mismatch = 0, not_stated = 0;
};

std::map<std::string, ConformanceFile> conformance_table(const std::string& root) {
  std::map<std::string, ConformanceFile> out;
  std::ifstream in(root + "/bank/expected-figures.tsv");
  std::string row;
  std::getline(in, row);  // header
  while (std::getline(in, row)) {
    std::vector<std::string> cols;
    size_t start = 0;
    for (;;) {
      const size_t tab = row.find('\t', start);
      cols.push_back(row.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (cols.size() < 11) continue;
    auto& f = out[cols[0]];
    if (cols[10] == "OK") ++f.ok;
    else if (cols[10] == "MISMATCH") ++f.mismatch;
    else ++f.not_stated;
  }
  return out;
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST_F(BankConformance, EveryRealBankFileImportsWithItsBalanceCheckAndTheRestIsRefused) {
  const std::string root = std::string(O2C_SOURCE_DIR) + "/../shared/conformance";
  const auto table = conformance_table(root);
  ASSERT_GT(table.size(), 60u) << "the conformance table was not found under " << root;
  int files = 0;
  for (const auto& [file, expected] : table) {
    SCOPED_TRACE(file);
    std::string out;
    const int rc = server_->cli({"import", "statement", root + "/" + file}, &out);
    ASSERT_EQ(rc, 0) << out;
    EXPECT_EQ(count_of(out, "(balanced)"), expected.ok) << out;
    EXPECT_EQ(count_of(out, "(DOES NOT BALANCE)"), expected.mismatch) << out;
    EXPECT_EQ(count_of(out, "(no balances stated)"), expected.not_stated) << out;
    std::string again;
    ASSERT_EQ(server_->cli({"import", "statement", root + "/" + file}, &again), 0) << again;
    EXPECT_NE(again.find(": 0 line(s) imported"), std::string::npos) << again;
    ++files;
  }
  EXPECT_GE(files, 60);
  for (const char* refused : {"bank/camt/genkgo-camt/test/data/camt053.v2.wrong.xml",
                              "bank/mt940/svenstaro-mt940-rs/tests/data/mt940/special-cases/invalid_statement.sta",
                              "bank/mt940/svenstaro-mt940-rs/tests/data/mt942/full/cmxl/mt942_1.sta"}) {
    SCOPED_TRACE(refused);
    std::string out;
    EXPECT_EQ(server_->cli({"import", "statement", root + "/" + refused}, &out), 1) << out;
  }
  auto r = server_->post("/api/v1/reconciliation/run", accountant_, json::object());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_GT(r.body["unmatched"].get<int>(), 0) << "nobody in this company owes these banks' senders: " << r.raw;
}

}  // namespace
}  // namespace o2c::e2e

namespace o2c::e2e {
namespace {

class BankRules : public ShopSuite<BankRules> {};

TEST_F(BankRules, APostingRuleBooksTheBanksInterestAndBadRulesAreRefused) {
  const std::string name = "Interest from the house bank " + unique_suffix();
  const json rule = {{"name", name},
                     {"counterparty_contains", "Hausbank"},
                     {"text_contains", "zinsen"},
                     {"direction", "in"},
                     {"account", "interest"}};
  const json before = state_snapshot(*server_);
  for (const auto& [bad, code] : std::vector<std::pair<json, std::string>>{
           {{{"name", "x"}, {"account", "fees"}}, "no_pattern"},
           {{{"name", "x"}, {"text_contains", "a"}, {"direction", "sideways"}, {"account", "fees"}}, "invalid_direction"},
           {{{"name", "x"}, {"text_contains", "a"}, {"account", "1100"}}, "unknown_account"},
           {{{"text_contains", "a"}, {"account", "fees"}}, "required"}}) {
    auto r = server_->post("/api/v1/bank-posting-rules", accountant_, bad);
    EXPECT_EQ(r.status, 422) << r.raw;
    EXPECT_EQ(error_code(r), code) << r.raw;
  }
  EXPECT_EQ(state_snapshot(*server_), before);

  auto created = server_->post("/api/v1/bank-posting-rules", accountant_, rule);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["account"], "4300");
  EXPECT_EQ(created.body["direction"], "in");
  auto dup = server_->post("/api/v1/bank-posting-rules", accountant_, rule);
  EXPECT_EQ(dup.status, 409) << dup.raw;
  auto listed = server_->get("/api/v1/bank-posting-rules", accountant_);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  bool found = false;
  for (const auto& r : listed.body["data"]) found = found || r["name"] == name;
  EXPECT_TRUE(found) << listed.raw;

  // The quarter's interest, credited by the bank itself; and a customer's
  // transfer that mentions "Zinsen" is not the bank's.
  const std::string account = "DE44500105175407324931";
  const std::string camt = camt053("STMT-" + unique_suffix(), "100.00", "113.10", "2026-11-15",
                                   {{"3.10", {{"3.10", "Hausbank AG", "", "", "Zinsen Q3"}}},
                                    {"10.00", {{"10.00", "Somebody", "FR1420041010050500013M02606", "", "Zinsen"}}}},
                                   account);
  auto imp = server_->upload("/api/v1/bank-statements", accountant_, camt, "application/xml");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  auto run = server_->post("/api/v1/reconciliation/run", accountant_, json::object());
  ASSERT_EQ(run.status, 200) << run.raw;
  const json lines = list_all(*server_, "/api/v1/bank-lines?statement_id=" + imp.body["statements"][0]["id"].get<std::string>(),
                              accountant_);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["status"], "matched") << lines[0];
  EXPECT_EQ(lines[0]["account_posted"], "4300");
  EXPECT_EQ(lines[0]["matched_rule"], name);
  EXPECT_EQ(lines[1]["status"], "unmatched") << lines[1];
}

}  // namespace
}  // namespace o2c::e2e
