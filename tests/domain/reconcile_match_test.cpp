#include <gtest/gtest.h>

#include <set>

#include "domain/billing/invoice.h"
#include "domain/reconcile/match.h"
#include "domain/reconcile/names.h"
#include "domain/reconcile/reference.h"
#include "domain/reconcile/subset.h"

namespace o2c::reconcile {
namespace {

Date d(const char* s) { return *Date::parse(s); }

std::string number(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "INV-2026-%06lld", static_cast<long long>(seq));
  return buf;
}

std::string rf(int64_t seq) { return billing::creditor_reference(billing::creditor_reference_body(2026, seq)); }

OpenInvoice invoice(int64_t seq, int64_t customer, int64_t open, const char* due = "2026-03-31") {
  OpenInvoice o;
  o.invoice_id = seq;
  o.customer_id = customer;
  o.number = number(seq);
  o.creditor_reference = rf(seq);
  o.currency = "EUR";
  o.open_minor = open;
  o.due_date = d(due);
  return o;
}

Customer customer(int64_t id, const char* name, std::vector<std::string> ibans = {}) {
  return Customer{id, name, std::move(ibans)};
}

BankLine line(int64_t amount, const char* remittance = "", const char* name = "", const char* iban = "") {
  BankLine l;
  l.amount_minor = amount;
  l.currency = "EUR";
  l.booking_date = d("2026-03-10");
  l.counterparty_name = name;
  l.counterparty_iban = iban;
  l.remittance = remittance;
  return l;
}

constexpr const char* kIbanAcme = "DE89370400440532013000";
constexpr const char* kIbanBeta = "DE02120300000000202051";
constexpr const char* kIbanUnknown = "FR1420041010050500013M02606";

std::vector<Customer> customers() {
  return {customer(1, "ACME International GmbH", {kIbanAcme}), customer(2, "Beta Logistik AG", {kIbanBeta}),
          customer(3, "Schmidt Logistik Nord GmbH"), customer(4, "Schmidt Logistik Sued GmbH"),
          customer(5, "Gamma Foods Ltd")};
}

const Settings kDefaults{};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + " | ";
  return s;
}

// ---- references --------------------------------------------------------

std::vector<std::string> keys(const char* text) {
  std::vector<std::string> out;
  for (const auto& f : ref::find_references(ref::tokenize("", text), {})) out.push_back(f.key);
  return out;
}

TEST(ReconcileReference, SpacesCaseSeparatorsAndLeadingZerosGiveOneKey) {
  for (const char* text : {"INV-2026-000042", "INV 2026 42", "inv2026000042", "Rechnung 2026-000042",
                           "Re.Nr. 2026/42 vielen Dank", "invoice no: 2026 000042"}) {
    EXPECT_EQ(keys(text), std::vector<std::string>{"2026000042"}) << text;
  }
  EXPECT_EQ(ref::invoice_key_of_number("INV-2026-000042")->key, "2026000042");
  EXPECT_EQ(ref::invoice_key_of_number("FEE-2026-000001")->key, "FEE2026000001");
}

TEST(ReconcileReference, DatesAndAmountsAreNotInvoiceNumbers) {
  EXPECT_TRUE(keys("Zahlung vom 2026-03-15").empty());
  EXPECT_TRUE(keys("Betrag 2026.42 EUR").empty());
  EXPECT_TRUE(keys("PLZ 20260 Hamburg").empty());
}

TEST(ReconcileReference, RfIsFoundPrintedInBlocksOrCompactAndAWrongCheckIsReadAsText) {
  const std::string r = rf(42);  // RFnn2026000042
  const std::string blocks = r.substr(0, 4) + " " + r.substr(4, 4) + " " + r.substr(8, 4) + " " + r.substr(12);
  for (const std::string& text : {r, blocks}) {
    const auto f = ref::find_references(ref::tokenize(text, ""), {});
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(f[0].kind, ref::Found::Kind::rf);
    EXPECT_EQ(f[0].key, "2026000042");
  }
  std::string bad = r;
  bad[2] = bad[2] == '9' ? '1' : static_cast<char>(bad[2] + 1);
  const auto f = ref::find_references(ref::tokenize(bad, ""), {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, ref::Found::Kind::rf_bad_check);
  EXPECT_EQ(f[0].key, "2026000042");
}

TEST(ReconcileReference, TypoVariantsCoverSubstitutionSwapDropAndInsert) {
  std::set<std::string> v;
  ref::for_each_typo("1234", [&](std::string_view s) { v.insert(std::string(s)); });
  EXPECT_TRUE(v.count("1294"));   // substitution
  EXPECT_TRUE(v.count("1324"));   // swap
  EXPECT_TRUE(v.count("124"));    // dropped
  EXPECT_TRUE(v.count("12534"));  // added
  EXPECT_FALSE(v.count("1234"));
}

TEST(ReconcileReference, GenericKeysDropSeparatorsAndLeadingZeros) {
  EXPECT_EQ(ref::generic_key("PO-004711"), "PO4711");
  EXPECT_EQ(ref::generic_key("po 4711"), "PO4711");
}

// ---- names -------------------------------------------------------------

TEST(ReconcileNames, AccentsLegalFormsAndAbbreviationsFold) {
  EXPECT_EQ(names::tokens("Müller Maschinenbau GmbH & Co. KG"), names::tokens("MUELLER MASCHINENBAU"));
  EXPECT_EQ(names::tokens("ACME Intl Ltd."), names::tokens("Acme International Limited"));
  EXPECT_EQ(names::tokens("A.C.M.E. B.V."), std::vector<std::string>{"acme"});
  EXPECT_EQ(names::tokens("Société Générale S.A."), names::tokens("SOCIETE GENERALE"));
  EXPECT_DOUBLE_EQ(names::similarity(names::tokens("IBM"), names::tokens("International Business Machines Corp")),
                   names::kInitialsScore);
  EXPECT_GE(names::similarity(names::tokens("Schmidt Maschb."), names::tokens("Schmidt Maschinenbau")), 0.8);
  EXPECT_LT(names::similarity(names::tokens("Beta Foods"), names::tokens("Gamma Foods")), 0.6);
}

// ---- subsets -----------------------------------------------------------

TEST(ReconcileSubset, FindsTheFitAndStopsAtTheSecond) {
  std::vector<subset::Item> items;
  for (uint32_t i = 0; i < 6; ++i) items.push_back(subset::Item{i, {100 * (i + 1), 0}, 1});
  const auto one = subset::find(items, 1100, 1100, {2, 2, 2, 100000});  // 500+600 only
  ASSERT_EQ(one.size(), 1u);
  const auto two = subset::find(items, 700, 700, {2, 3, 2, 100000});  // 100+600, 200+500, ...
  EXPECT_EQ(two.size(), 2u);
  const auto none = subset::find(items, 50, 50, {2, 5, 2, 100000});
  EXPECT_TRUE(none.empty());
}

TEST(ReconcileSubset, DiscountedAmountsAndTheNodeBudget) {
  std::vector<subset::Item> items{{1, {1000, 980}, 2}, {2, {500, 0}, 1}};
  const auto fit = subset::find(items, 1480, 1480, {});
  ASSERT_EQ(fit.size(), 1u);
  std::vector<subset::Item> many;
  for (uint32_t i = 0; i < 40; ++i) many.push_back(subset::Item{i, {1, 0}, 1});
  subset::Limits tight;
  tight.nodes_max = 50;
  tight.fits_max = 1000;
  EXPECT_LE(subset::find(many, 5, 5, tight).size(), 50u);
}

// ---- the rules ---------------------------------------------------------

TEST(ReconcileMatch, InvoiceNumberAndExactAmountAutoApply) {
  Index ix({invoice(42, 1, 11900), invoice(43, 1, 5000)}, customers());
  const auto dec = ix.match(line(11900, "Rechnung INV-2026-000042"), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_TRUE(dec.auto_apply) << dec.why_not << " " << joined(dec.candidates[0].reasons);
  EXPECT_EQ(dec.candidates[0].rule, Rule::reference);
  ASSERT_EQ(dec.candidates[0].allocations.size(), 1u);
  EXPECT_EQ(dec.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_EQ(dec.candidates[0].allocations[0].amount_minor, 11900);
  EXPECT_EQ(dec.candidates[0].customer_id, 1);
  EXPECT_GE(dec.candidates[0].score, 90);
  EXPECT_FALSE(dec.candidates[0].reasons.empty());
}

TEST(ReconcileMatch, LeadingZerosSeparatorsAndCaseStillNameTheInvoice) {
  Index ix({invoice(42, 1, 11900), invoice(4200, 2, 11900)}, customers());
  for (const char* text : {"inv2026000042", "INV 2026 42", "Rechnung 2026-000042", "inv-2026-0042"}) {
    const auto dec = ix.match(line(11900, text), kDefaults);
    ASSERT_FALSE(dec.candidates.empty()) << text;
    EXPECT_EQ(dec.candidates[0].allocations[0].invoice_id, 42) << text;
    EXPECT_TRUE(dec.auto_apply) << text << ": " << dec.why_not << " " << joined(dec.candidates[0].reasons);
  }
}

TEST(ReconcileMatch, TheReferenceFieldCountsLikeTheRemittance) {
  Index ix({invoice(42, 1, 11900)}, customers());
  auto l = line(11900);
  l.reference = rf(42);
  const auto dec = ix.match(l, kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_TRUE(dec.auto_apply);
  EXPECT_GE(dec.candidates[0].score, 95);
}

TEST(ReconcileMatch, RfWithWrongCheckDigitsIsTrustedLess) {
  Index ix({invoice(42, 1, 11900)}, customers());
  std::string bad = rf(42);
  bad[3] = bad[3] == '9' ? '0' : static_cast<char>(bad[3] + 1);
  auto good_line = line(11900);
  good_line.reference = rf(42);
  auto bad_line = line(11900);
  bad_line.reference = bad;
  const auto good = ix.match(good_line, kDefaults);
  const auto weak = ix.match(bad_line, kDefaults);
  ASSERT_FALSE(weak.candidates.empty());
  EXPECT_EQ(weak.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_LT(weak.candidates[0].score, good.candidates[0].score);
  EXPECT_FALSE(weak.auto_apply);
}

TEST(ReconcileMatch, OneTypoFromExactlyOneInvoiceAppliesWhenThePayerConfirms) {
  Index ix({invoice(42, 1, 11900), invoice(77, 2, 5000)}, customers());
  // 000042 -> 000024 (swap): one edit from 42 only.
  const auto confirmed = ix.match(line(11900, "INV-2026-000024", "ACME INTL", kIbanAcme), kDefaults);
  ASSERT_FALSE(confirmed.candidates.empty());
  EXPECT_EQ(confirmed.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_TRUE(confirmed.auto_apply) << confirmed.why_not;
  // Without the payer, a typo is a suggestion.
  const auto alone = ix.match(line(11900, "INV-2026-000024"), kDefaults);
  ASSERT_FALSE(alone.candidates.empty());
  EXPECT_EQ(alone.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_FALSE(alone.auto_apply);
}

TEST(ReconcileMatch, ATypoAlsoOneTypoFromAnotherOpenInvoiceIsAmbiguous) {
  // 000041 is one edit from 000042 and from 000040: both open.
  Index ix({invoice(42, 1, 11900), invoice(40, 1, 7000)}, customers());
  const auto dec = ix.match(line(11900, "INV-2026-000041"), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_FALSE(dec.auto_apply);
  for (const auto& c : dec.candidates) EXPECT_LT(c.score, kDefaults.auto_threshold);
}

TEST(ReconcileMatch, ANumberThatIsAnotherInvoicesButOneTypoFromTheOneTheAmountPays) {
  // The payer meant 42 (amount and IBAN) but typed 43, which is open too.
  Index ix({invoice(42, 1, 11900), invoice(43, 1, 20000)}, customers());
  const auto dec = ix.match(line(11900, "INV-2026-000043", "", kIbanAcme), kDefaults);
  ASSERT_GE(dec.candidates.size(), 2u);
  EXPECT_EQ(dec.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_TRUE(dec.auto_apply) << dec.why_not;
  // Without the payer nothing says 42: 43, partly paid, is only a suggestion.
  const auto alone = ix.match(line(11900, "INV-2026-000043"), kDefaults);
  ASSERT_FALSE(alone.candidates.empty());
  EXPECT_EQ(alone.candidates[0].allocations[0].invoice_id, 43);
  EXPECT_FALSE(alone.auto_apply);
}

TEST(ReconcileMatch, PayerIbanAndAmountOfOneInvoiceAutoApply) {
  Index ix({invoice(42, 1, 11900), invoice(43, 1, 5000), invoice(44, 2, 11900)}, customers());
  const auto dec = ix.match(line(11900, "Danke", "ACME", kIbanAcme), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_EQ(dec.candidates[0].rule, Rule::payer_amount);
  EXPECT_EQ(dec.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_TRUE(dec.auto_apply) << dec.why_not;
}

TEST(ReconcileMatch, IbansCompareCompactAndUpperCase) {
  Index ix({invoice(42, 1, 11900)}, {customer(1, "ACME International GmbH", {"de89 3704 0044 0532 0130 00"})});
  const auto dec = ix.match(line(11900, "", "", kIbanAcme), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_TRUE(dec.auto_apply) << dec.why_not;
}

TEST(ReconcileMatch, TwoInvoicesOfThePayerWithEqualOpenAmountsAreAmbiguous) {
  Index ix({invoice(42, 1, 11900), invoice(43, 1, 11900)}, customers());
  const auto dec = ix.match(line(11900, "", "ACME", kIbanAcme), kDefaults);
  ASSERT_GE(dec.candidates.size(), 2u);
  EXPECT_FALSE(dec.auto_apply);
  EXPECT_EQ(dec.why_not, "ambiguous");
  // A reference settles it.
  const auto named = ix.match(line(11900, "INV-2026-000043", "ACME", kIbanAcme), kDefaults);
  EXPECT_TRUE(named.auto_apply) << named.why_not;
  EXPECT_EQ(named.candidates[0].allocations[0].invoice_id, 43);
}

TEST(ReconcileMatch, PayerByExactNameAppliesAndANameLikeTwoCustomersDoesNot) {
  Index ix({invoice(42, 1, 11900), invoice(50, 3, 8000), invoice(51, 4, 9000)}, customers());
  const auto exact = ix.match(line(11900, "", "Acme International", kIbanUnknown), kDefaults);
  ASSERT_FALSE(exact.candidates.empty());
  EXPECT_EQ(exact.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_TRUE(exact.auto_apply) << exact.why_not;
  const auto abbreviated = ix.match(line(11900, "", "ACME INTL GMBH"), kDefaults);
  EXPECT_TRUE(abbreviated.auto_apply) << abbreviated.why_not;
  // "Schmidt Logistik" is as much Nord as Sued.
  const auto two = ix.match(line(8000, "", "SCHMIDT LOGISTIK"), kDefaults);
  EXPECT_FALSE(two.auto_apply);
  for (const auto& c : two.candidates) EXPECT_LT(c.score, kDefaults.auto_threshold);
}

TEST(ReconcileMatch, TheDiscountCountsInsideItsWindowOnly) {
  auto inv = invoice(42, 1, 11900);
  inv.discount_minor = 238;
  inv.discount_date = d("2026-03-10");
  Index ix({inv}, customers());
  auto inside = line(11662, "", "ACME", kIbanAcme);
  inside.booking_date = d("2026-03-10");
  const auto in = ix.match(inside, kDefaults);
  ASSERT_FALSE(in.candidates.empty());
  EXPECT_TRUE(in.auto_apply);
  EXPECT_EQ(in.candidates[0].allocations[0].amount_minor, 11662);
  auto late = inside;
  late.booking_date = d("2026-03-11");
  const auto out = ix.match(late, kDefaults);
  EXPECT_TRUE(out.candidates.empty()) << "no discount match one day late without a reference";
  late.remittance = "INV-2026-000042";
  const auto named = ix.match(late, kDefaults);
  ASSERT_FALSE(named.candidates.empty());
  EXPECT_EQ(named.candidates[0].rule, Rule::partial);
  EXPECT_EQ(named.candidates[0].allocations[0].amount_minor, 11662);
}

TEST(ReconcileMatch, AnotherCurrencyIsNoCandidate) {
  Index ix({invoice(42, 1, 11900)}, customers());
  auto l = line(11900, "INV-2026-000042", "ACME", kIbanAcme);
  l.currency = "CHF";
  EXPECT_TRUE(ix.match(l, kDefaults).candidates.empty());
}

TEST(ReconcileMatch, ADisputedInvoiceIsSuggestedButNeverApplied) {
  auto inv = invoice(42, 1, 11900);
  inv.disputed = true;
  Index ix({inv}, customers());
  const auto dec = ix.match(line(11900, "INV-2026-000042", "ACME", kIbanAcme), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_FALSE(dec.auto_apply);
  EXPECT_EQ(dec.why_not, "disputed");
}

TEST(ReconcileMatch, TheOrdersExternalReference) {
  auto inv = invoice(42, 5, 11900);
  inv.order_reference = "PO-004711";
  Index ix({inv, invoice(43, 5, 3000)}, customers());
  const auto dec = ix.match(line(11900, "your order po 4711, thanks"), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_EQ(dec.candidates[0].allocations[0].invoice_id, 42);
  EXPECT_LT(dec.candidates[0].score, 90) << "an order reference alone is a suggestion";
  const auto confirmed = ix.match(line(11900, "your order po 4711", "Gamma Foods"), kDefaults);
  EXPECT_TRUE(confirmed.auto_apply) << confirmed.why_not;
}

TEST(ReconcileMatch, SeveralNamedInvoicesThatAddUpAreOneCandidate) {
  Index ix({invoice(42, 1, 10000), invoice(43, 1, 2500), invoice(44, 1, 999)}, customers());
  const auto dec = ix.match(line(12500, "INV-2026-000042 INV-2026-000043"), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_TRUE(dec.auto_apply) << dec.why_not;
  ASSERT_EQ(dec.candidates[0].allocations.size(), 2u);
}

TEST(ReconcileMatch, ASubsetOfThePayersInvoices) {
  Index ix({invoice(42, 1, 10000, "2026-03-01"), invoice(43, 1, 2500, "2026-03-02"), invoice(44, 1, 999, "2026-03-03")},
           customers());
  const auto dec = ix.match(line(10999, "", "ACME", kIbanAcme), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_EQ(dec.candidates[0].rule, Rule::payer_subset);
  EXPECT_TRUE(dec.auto_apply) << dec.why_not;
  int64_t sum = 0;
  for (const auto& a : dec.candidates[0].allocations) sum += a.amount_minor;
  EXPECT_EQ(sum, 10999);
}

TEST(ReconcileMatch, TwoFittingSubsetsAreAmbiguous) {
  Index ix({invoice(1, 1, 100), invoice(2, 1, 200), invoice(3, 1, 300), invoice(4, 1, 400)}, customers());
  const auto dec = ix.match(line(500, "", "ACME", kIbanAcme), kDefaults);  // 100+400, 200+300
  ASSERT_GE(dec.candidates.size(), 2u);
  EXPECT_FALSE(dec.auto_apply);
  EXPECT_EQ(dec.why_not, "ambiguous");
}

TEST(ReconcileMatch, SubsetSearchIsBoundedToTheOldestItems) {
  std::vector<OpenInvoice> invs;
  for (int i = 1; i <= 20; ++i) invs.push_back(invoice(i, 1, 1000 * i + 1, i < 10 ? "2026-01-01" : "2026-06-01"));
  Index ix(invs, customers());
  Settings s;
  s.subset_max_invoices = 3;  // the three oldest: 1001, 2001, 3001
  EXPECT_EQ(ix.match(line(1001 + 2001, "", "", kIbanAcme), s).candidates.size(), 1u);
  EXPECT_TRUE(ix.match(line(19001 + 20001, "", "", kIbanAcme), s).candidates.empty());
}

TEST(ReconcileMatch, SubsetSizeIsBoundedAtTheSetting) {
  // Powers of two: every sum has exactly one subset.
  std::vector<OpenInvoice> invs;
  for (int i = 0; i < 7; ++i) invs.push_back(invoice(i + 1, 1, int64_t{100} << i));
  Index ix(invs, customers());
  Settings s;
  s.subset_max_size = 5;
  const auto five = ix.match(line(100 + 200 + 400 + 800 + 1600, "", "", kIbanAcme), s);
  ASSERT_EQ(five.candidates.size(), 1u);
  EXPECT_EQ(five.candidates[0].allocations.size(), 5u);
  EXPECT_TRUE(five.auto_apply) << five.why_not;
  EXPECT_TRUE(ix.match(line(100 + 200 + 400 + 800 + 1600 + 3200, "", "", kIbanAcme), s).candidates.empty());
}

TEST(ReconcileMatch, AtMostAHandfulOfCandidates) {
  std::vector<OpenInvoice> invs;
  for (int i = 1; i <= 12; ++i) invs.push_back(invoice(i, 1, 11900));
  Index ix(invs, customers());
  const auto dec = ix.match(line(11900, "", "", kIbanAcme), kDefaults);
  EXPECT_EQ(dec.candidates.size(), 5u);
  EXPECT_EQ(dec.why_not, "ambiguous");
}

TEST(ReconcileMatch, AnOverpaymentAllocatesTheOpenAmountAndScoresBelowExact) {
  Index ix({invoice(42, 1, 11900)}, customers());
  const auto exact = ix.match(line(11900, "INV-2026-000042", "", kIbanAcme), kDefaults);
  const auto over = ix.match(line(12900, "INV-2026-000042", "", kIbanAcme), kDefaults);
  ASSERT_FALSE(over.candidates.empty());
  EXPECT_EQ(over.candidates[0].allocations[0].amount_minor, 11900);
  EXPECT_LT(over.candidates[0].score, exact.candidates[0].score);
  EXPECT_FALSE(over.auto_apply);
}

TEST(ReconcileMatch, BankFeesWithinToleranceStillMatchExactly) {
  Index ix({invoice(42, 1, 11900)}, customers());
  Settings s;
  s.fee_tolerance_minor = 1500;
  const auto fee = ix.match(line(11900 - 1250, "INV-2026-000042"), s);
  ASSERT_FALSE(fee.candidates.empty());
  EXPECT_EQ(fee.candidates[0].rule, Rule::reference);
  EXPECT_EQ(fee.candidates[0].allocations[0].amount_minor, 11900 - 1250);
  EXPECT_TRUE(fee.auto_apply) << fee.why_not;
  const auto beyond = ix.match(line(11900 - 1501, "INV-2026-000042"), s);
  ASSERT_FALSE(beyond.candidates.empty());
  EXPECT_EQ(beyond.candidates[0].rule, Rule::partial);
  EXPECT_FALSE(beyond.auto_apply);
}

TEST(ReconcileMatch, APartialPaymentOfOneClearlyNamedInvoice) {
  Index ix({invoice(42, 1, 11900)}, customers());
  const auto alone = ix.match(line(5000, "INV-2026-000042"), kDefaults);
  ASSERT_FALSE(alone.candidates.empty());
  EXPECT_EQ(alone.candidates[0].rule, Rule::partial);
  EXPECT_FALSE(alone.auto_apply);
  const auto confirmed = ix.match(line(5000, "INV-2026-000042", "", kIbanAcme), kDefaults);
  EXPECT_TRUE(confirmed.auto_apply) << confirmed.why_not;
  EXPECT_EQ(confirmed.candidates[0].allocations[0].amount_minor, 5000);
}

TEST(ReconcileMatch, MoneyOutAndLinesWithNothingToGoOnGetNoCandidates) {
  Index ix({invoice(42, 1, 11900)}, customers());
  EXPECT_TRUE(ix.match(line(-11900, "INV-2026-000042", "", kIbanAcme), kDefaults).candidates.empty());
  EXPECT_TRUE(ix.match(line(0, "INV-2026-000042"), kDefaults).candidates.empty());
  EXPECT_TRUE(ix.match(line(11900, "thank you", "Someone Else"), kDefaults).candidates.empty());
}

TEST(ReconcileMatch, AnotherCustomersIbanContradictsTheReference) {
  Index ix({invoice(42, 1, 11900)}, customers());
  const auto dec = ix.match(line(11900, "INV-2026-000042", "Beta Logistik", kIbanBeta), kDefaults);
  ASSERT_FALSE(dec.candidates.empty());
  EXPECT_FALSE(dec.auto_apply);
}

TEST(ReconcileMatch, SettleClosesAnInvoiceAndADuplicateLineIsNotAppliedElsewhere) {
  Index ix({invoice(42, 1, 11900), invoice(43, 1, 11900, "2026-04-30")}, customers());
  const auto first = ix.match(line(11900, "INV-2026-000042", "", kIbanAcme), kDefaults);
  ASSERT_TRUE(first.auto_apply) << first.why_not;
  ix.settle(42, 11900);
  EXPECT_EQ(ix.open_invoices(), 1u);
  const auto again = ix.match(line(11900, "INV-2026-000042", "", kIbanAcme), kDefaults);
  EXPECT_FALSE(again.auto_apply);
  for (const auto& c : again.candidates) EXPECT_NE(c.allocations[0].invoice_id, 42);
  // Without a reference, the same amount as the invoice just paid is a suggestion.
  const auto bare = ix.match(line(11900, "", "", kIbanAcme), kDefaults);
  EXPECT_FALSE(bare.auto_apply);
  ix.settle(43, 5000);
  EXPECT_EQ(ix.open_invoices(), 1u);
  const auto rest = ix.match(line(6900, "INV-2026-000043", "", kIbanAcme), kDefaults);
  EXPECT_TRUE(rest.auto_apply) << rest.why_not;
}

TEST(ReconcileMatch, ScoresStayWithinZeroToHundred) {
  Index ix({invoice(42, 1, 11900)}, customers());
  auto l = line(11900, "INV-2026-000042", "ACME International", kIbanAcme);
  l.reference = rf(42);
  for (const auto& c : ix.match(l, kDefaults).candidates) {
    EXPECT_GE(c.score, 0);
    EXPECT_LE(c.score, 100);
  }
}

// ---- posting rules -----------------------------------------------------

TEST(ReconcilePostingRules, TheFirstMatchingRuleWins) {
  const std::vector<PostingRule> rules{
      {"bank fees", std::nullopt, std::string("Kontofuehrung"), -1, "6855"},
      {"interest", std::string("Our Bank"), std::string("zinsen"), 1, "7100"},
      {"any bank charge", std::string("our bank"), std::nullopt, std::nullopt, "6850"},
  };
  BankLine fee = line(-1290, "Entgelt KONTOFUEHRUNG 03/2026", "Our Bank AG");
  ASSERT_NE(posting_rule_for(rules, fee), nullptr);
  EXPECT_EQ(posting_rule_for(rules, fee)->account, "6855");
  BankLine interest = line(310, "Habenzinsen Q1", "OUR BANK AG");
  EXPECT_EQ(posting_rule_for(rules, interest)->account, "7100");
  BankLine other = line(-500, "Porto", "Our Bank AG");
  EXPECT_EQ(posting_rule_for(rules, other)->account, "6850");
  BankLine credit_fee = line(1290, "Kontofuehrung refund", "Someone");
  EXPECT_EQ(posting_rule_for(rules, credit_fee), nullptr) << "the sign must fit";
}

}  // namespace
}  // namespace o2c::reconcile
