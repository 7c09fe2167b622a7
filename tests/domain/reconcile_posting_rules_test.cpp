// Posting rules book the lines that are no customer's money: the first rule
// whose patterns all hold wins; a rule limited to the bank's own entries
// leaves a transfer that names a counterparty account alone.
#include <gtest/gtest.h>

#include "domain/reconcile/match.h"

namespace o2c::reconcile {
namespace {

BankLine debit(const std::string& name, const std::string& iban, const std::string& text) {
  BankLine l;
  l.amount_minor = -1250;
  l.currency = "EUR";
  l.counterparty_name = name;
  l.counterparty_iban = iban;
  l.remittance = text;
  return l;
}

std::vector<PostingRule> defaults() {
  PostingRule fees{"Account fees", std::nullopt, std::string("fee"), -1, "6300"};
  fees.bank_own_only = true;
  PostingRule interest{"Interest", std::string("our bank"), std::string("interest"), 1, "4300"};
  return {fees, interest};
}

TEST(ReconcilePostingRules, TheBanksOwnChargeIsPosted) {
  const auto rules = defaults();
  const auto* r = posting_rule_for(rules, debit("", "", "Account FEE November"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->account, "6300");
}

TEST(ReconcilePostingRules, ASupplierPaidForAServiceFeeIsNotABankCharge) {
  const auto rules = defaults();
  EXPECT_EQ(posting_rule_for(rules, debit("Zeta NV", "BE95731421172658", "Service fee OYFCXQ7694")), nullptr);
}

TEST(ReconcilePostingRules, SignAndEveryPatternMustHold) {
  const auto rules = defaults();
  BankLine credit = debit("", "", "fee refund");
  credit.amount_minor = 1250;
  EXPECT_EQ(posting_rule_for(rules, credit), nullptr) << "a debit-only rule took a credit";
  BankLine interest = debit("Our Bank AG", "", "Interest Q3");
  interest.amount_minor = 310;
  const auto* r = posting_rule_for(rules, interest);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->name, "Interest");
  interest.counterparty_name = "A customer";
  EXPECT_EQ(posting_rule_for(rules, interest), nullptr) << "the counterparty pattern was ignored";
  const std::vector<PostingRule> empty{{"nothing", std::nullopt, std::nullopt, std::nullopt, "6300"}};
  EXPECT_EQ(posting_rule_for(empty, debit("", "", "x")), nullptr) << "a rule without patterns matched";
}

}  // namespace
}  // namespace o2c::reconcile
