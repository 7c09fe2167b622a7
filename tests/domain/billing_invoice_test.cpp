#include "domain/billing/invoice.h"

#include <gtest/gtest.h>
#include <set>

#include "domain/credit/exposure.h"

namespace o2c::billing {
namespace {

Currency cur(const char* c) { return *Currency::of(c); }

TEST(BillingNumbers, SeriesYearAndSixDigits) {
  EXPECT_EQ(document_number("INV", 2026, 1), "INV-2026-000001");
  EXPECT_EQ(document_number("CN", 2027, 42), "CN-2027-000042");
  EXPECT_EQ(document_number("INV", 2026, 1234567), "INV-2026-1234567");
  EXPECT_EQ(counter_name("INV", 2026), "INV-2026");
}

TEST(CreditorReference, MatchesTheIso11649Example) {
  // The standard's own example: RF18 5390 0754 7034.
  EXPECT_EQ(creditor_reference("539007547034"), "RF18539007547034");
  EXPECT_TRUE(valid_creditor_reference("RF18 5390 0754 7034"));
  EXPECT_TRUE(valid_creditor_reference("rf18539007547034"));
  EXPECT_FALSE(valid_creditor_reference("RF19539007547034"));
  EXPECT_FALSE(valid_creditor_reference("RF18539007547035"));
  EXPECT_FALSE(valid_creditor_reference("XX18539007547034"));
  EXPECT_FALSE(valid_creditor_reference("RF18-5390"));
}

TEST(CreditorReference, EveryGeneratedReferenceValidatesAndIsUnique) {
  std::set<std::string> seen;
  for (int64_t seq = 1; seq <= 2000; ++seq) {
    auto ref = creditor_reference(creditor_reference_body(2026, seq));
    EXPECT_TRUE(valid_creditor_reference(ref)) << ref;
    EXPECT_TRUE(seen.insert(ref).second) << ref;
    EXPECT_LE(ref.size(), 25u);
  }
  EXPECT_EQ(creditor_reference_body(2026, 7), "2026000007");
  EXPECT_EQ(creditor_reference_body("INV", 2026, 7), "2026000007");
  EXPECT_EQ(creditor_reference_body("FEE", 2026, 7), "FEE2026000007");
  EXPECT_TRUE(valid_creditor_reference(creditor_reference(creditor_reference_body("FEE", 2026, 7))));
}

TEST(DueTerms, NetDaysAndEarlyPaymentDiscount) {
  masterdata::PaymentTerms net30{"NET30", "Net 30", 30, std::nullopt, std::nullopt};
  auto d = due_terms(net30, *Date::parse("2026-01-31"), Money(11900, cur("EUR")));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->due_date.to_string(), "2026-03-02");
  EXPECT_FALSE(d->discount_date);

  masterdata::PaymentTerms skonto{"2/10NET30", "2/10 net 30", 30, 10, 200};
  auto s = due_terms(skonto, *Date::parse("2026-03-02"), Money(1190, cur("EUR")));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->due_date.to_string(), "2026-04-01");
  EXPECT_EQ(s->discount_date->to_string(), "2026-03-12");
  EXPECT_EQ(s->discount->minor(), 24);  // 2 % of 11.90 = 0.238

  masterdata::PaymentTerms due{"DUE", "Due", 0, std::nullopt, std::nullopt};
  EXPECT_EQ(due_terms(due, *Date::parse("2026-05-05"), Money(1, cur("EUR")))->due_date.to_string(), "2026-05-05");
}

TEST(TaxParties, CategoriesDemandVatIdsAndOStandsAlone) {
  auto group = [](TaxCategory c) { return TaxGroup{c, 0, Money(100, cur("EUR")), Money(0, cur("EUR"))}; };
  EXPECT_EQ(check_tax_parties({group(TaxCategory::AE)}, true, false).error().code, "buyer_vat_id_required");
  EXPECT_EQ(check_tax_parties({group(TaxCategory::K)}, true, false).error().code, "buyer_vat_id_required");
  EXPECT_EQ(check_tax_parties({group(TaxCategory::G)}, false, true).error().code, "seller_vat_id_required");
  EXPECT_TRUE(check_tax_parties({group(TaxCategory::AE)}, true, true).ok());
  EXPECT_TRUE(check_tax_parties({group(TaxCategory::E), group(TaxCategory::Z)}, false, false).ok());
  EXPECT_EQ(check_tax_parties({group(TaxCategory::O), group(TaxCategory::Z)}, true, true).error().code,
            "outside_scope_mixed");
  EXPECT_TRUE(check_tax_parties({group(TaxCategory::O)}, false, false).ok());
  EXPECT_FALSE(default_exemption(TaxCategory::S));
  EXPECT_FALSE(default_exemption(TaxCategory::Z));
  for (auto c : {TaxCategory::E, TaxCategory::AE, TaxCategory::K, TaxCategory::G, TaxCategory::O}) {
    EXPECT_TRUE(default_exemption(c)) << masterdata::to_string(c);
  }
}

TEST(FxRates, ParseFormatAndConvertAcrossExponents) {
  EXPECT_EQ(*parse_rate_e10("1"), kRateOne);
  EXPECT_EQ(*parse_rate_e10("0.0061234"), 61234000);
  EXPECT_EQ(format_rate_e10(61234000), "0.0061234");
  EXPECT_EQ(format_rate_e10(kRateOne), "1.0");
  EXPECT_EQ(parse_rate_e10("0").error().code, "invalid_rate");
  EXPECT_EQ(parse_rate_e10("-1.5").error().code, "invalid_rate");
  EXPECT_EQ(parse_rate_e10("abc").error().code, "invalid_rate");
  EXPECT_EQ(parse_rate_e10("1.00000000001").error().code, "too_many_decimals");

  // JPY (0 decimals) -> EUR (2): 1190 x 0.0061234 = 7.286846 -> 7.29.
  EXPECT_EQ(to_functional(Money(1190, cur("JPY")), *parse_rate_e10("0.0061234"), cur("EUR"))->minor(), 729);
  // KWD (3) -> EUR: 4.408 x 2.98 = 13.13584 -> 13.14.
  EXPECT_EQ(to_functional(Money(4408, cur("KWD")), *parse_rate_e10("2.98"), cur("EUR"))->minor(), 1314);
  // EUR -> JPY (functional): 12.34 x 161.5 = 1992.91 -> 1993.
  EXPECT_EQ(to_functional(Money(1234, cur("EUR")), *parse_rate_e10("161.5"), cur("JPY"))->minor(), 1993);
  // Half away from zero, also for negative amounts.
  EXPECT_EQ(to_functional(Money(-1, cur("EUR")), *parse_rate_e10("0.5"), cur("USD"))->minor(), -1);
  EXPECT_EQ(to_functional(Money(INT64_MAX, cur("EUR")), *parse_rate_e10("2"), cur("USD")).error().code,
            "amount_overflow");
}

TEST(InvoiceStatus, FollowsSettlement) {
  EXPECT_EQ(invoice_status(1000, 1000, 0, 0), InvoiceStatus::open);
  EXPECT_EQ(invoice_status(1000, 600, 400, 0), InvoiceStatus::open);
  EXPECT_EQ(invoice_status(1000, 600, 0, 400), InvoiceStatus::partially_paid);
  EXPECT_EQ(invoice_status(1000, 0, 0, 1000), InvoiceStatus::paid);
  EXPECT_EQ(invoice_status(1000, 0, 400, 600), InvoiceStatus::paid);
  EXPECT_EQ(invoice_status(1000, 0, 1000, 0), InvoiceStatus::credit_noted);
}

// An invoice of 2 x 9.99 (19 %) and 3 x 0.335 (19 %), a charge and an allowance.
Invoice sample() {
  Invoice v;
  v.number = "INV-2026-000009";
  v.currency = "EUR";
  InvoiceLine a;
  a.line_no = 1;
  a.sku = "A";
  a.quantity = 2000;
  a.unit_price_e4 = 99900;
  a.tax_rate_bp = 1900;
  a.line_net_minor = 1998;
  InvoiceLine b = a;
  b.line_no = 2;
  b.sku = "B";
  b.quantity = 3000;
  b.unit_price_e4 = 3350;
  b.line_net_minor = 101;
  v.lines = {a, b};
  v.charges = {{true, 500, "Freight", TaxCategory::S, 1900}, {false, 99, "Loyalty", TaxCategory::S, 1900}};
  v.net_total_minor = 2099;
  v.charge_total_minor = 500;
  v.allowance_total_minor = 99;
  v.tax_exclusive_minor = 2500;
  v.taxes = {{TaxCategory::S, 1900, 2500, 475, std::nullopt, std::nullopt}};
  v.tax_total_minor = 475;
  v.total_minor = 2975;
  return v;
}

TEST(CreditNotePlan, FullCreditTakesEverythingExactly) {
  auto p = plan_credit_note(sample(), {}, std::nullopt);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->lines.size(), 2u);
  EXPECT_EQ(p->charges.size(), 2u);
  EXPECT_EQ(p->total_minor, 2975);
  EXPECT_EQ(p->tax_total_minor, 475);
  EXPECT_EQ(*p->lines[1].credited_line_no, 2);
}

TEST(CreditNotePlan, PartialCreditsNeverExceedTheInvoice) {
  const Invoice inv = sample();
  std::vector<Invoice> earlier;
  int64_t credited = 0;
  for (int i = 0; i < 3; ++i) {
    auto p = plan_credit_note(inv, earlier, std::vector<CreditRequestLine>{{"B", Quantity::units(1)}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->lines[0].line_net_minor, i < 2 ? 34 : 33);  // 0.335 -> 0.34, then the rest 0.33
    EXPECT_TRUE(p->charges.empty());
    Invoice cn;
    cn.lines = p->lines;
    cn.taxes = p->taxes;
    cn.total_minor = p->total_minor;
    credited += p->total_minor;
    earlier.push_back(cn);
  }
  auto more = plan_credit_note(inv, earlier, std::vector<CreditRequestLine>{{"B", Quantity::from_milli(1)}});
  EXPECT_EQ(more.error().code, "quantity_exceeds_invoiced");
  auto rest = plan_credit_note(inv, earlier, std::nullopt);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(credited + rest->total_minor, inv.total_minor) << "all credit notes add up to the invoice exactly";
  Invoice last;
  last.lines = rest->lines;
  last.charges = rest->charges;
  last.taxes = rest->taxes;
  last.total_minor = rest->total_minor;
  earlier.push_back(last);
  EXPECT_EQ(plan_credit_note(inv, earlier, std::nullopt).error().code, "nothing_to_credit");
}

TEST(CreditNotePlan, RefusesUnknownSkusAndNonPositiveQuantities) {
  auto unknown = plan_credit_note(sample(), {}, std::vector<CreditRequestLine>{{"Z", Quantity::units(1)}});
  EXPECT_EQ(unknown.error().code, "unknown_sku");
  EXPECT_EQ(unknown.error().field, "lines[0].sku");
  auto zero = plan_credit_note(sample(), {}, std::vector<CreditRequestLine>{{"A", Quantity::units(0)}});
  EXPECT_EQ(zero.error().code, "non_positive_quantity");
  auto over = plan_credit_note(sample(), {}, std::vector<CreditRequestLine>{{"A", Quantity::units(3)}});
  EXPECT_EQ(over.error().code, "quantity_exceeds_invoiced");
  EXPECT_EQ(over.error().field, "lines[0].quantity");
}

TEST(CreditExposure, WholeOrdersAtTheirTotalPartlyInvoicedOnesByTheirRest) {
  const auto eur = cur("EUR");
  // Order 1: nothing invoiced -> its total as quoted.
  // Order 2: line of 4 units, net 100.00 at 19 %, 1 invoiced -> 75.00 + 14.25.
  std::vector<credit::ExposureLine> lines = {
      {OrderId(1), 11901, 1000, 0, 10001, 1900},
      {OrderId(2), 11900, 4000, 1000, 10000, 1900},
      {OrderId(3), 5000, 2000, 2000, 5000, 0},  // fully invoiced: nothing
  };
  EXPECT_EQ(*credit::uninvoiced_exposure(lines, eur), 11901 + 8925);
  EXPECT_EQ(*credit::uninvoiced_exposure({}, eur), 0);
}

}  // namespace
}  // namespace o2c::billing
