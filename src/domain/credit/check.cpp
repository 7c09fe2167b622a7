#include "domain/credit/check.h"

#include <cstdint>
#include <string>
#include <utility>

namespace o2c::credit {
namespace {

std::string with_code(const Money& m) { return m.to_string() + " " + std::string(m.currency().code()); }

std::string days(int n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

Status check_amounts(const CreditInput& in) {
  const Currency cur = in.credit_limit.currency();
  const std::pair<const Money*, const char*> amounts[] = {
      {&in.open_receivable, "open_receivable"}, {&in.open_orders, "open_orders"}, {&in.order_total, "order_total"}};
  for (const auto& [m, field] : amounts) {
    if (!(m->currency() == cur)) {
      return Error::invalid("currency_mismatch",
                            std::string(field) + " is in " + std::string(m->currency().code()) +
                                ", the credit limit in " + std::string(cur.code()),
                            field);
    }
  }
  const std::pair<const Money*, const char*> non_negative[] = {
      {&in.credit_limit, "credit_limit"}, {&in.open_orders, "open_orders"}, {&in.order_total, "order_total"}};
  for (const auto& [m, field] : non_negative) {
    if (m->is_negative()) {
      return Error::invalid("negative_amount", std::string(field) + " must not be negative", field);
    }
  }
  if (in.grace_days < 0 || in.grace_days > kMaxGraceDays) {
    return Error::invalid("invalid_grace_days",
                          "the grace period is between 0 and " + std::to_string(kMaxGraceDays) + " days",
                          "grace_days");
  }
  return {};
}

}  // namespace

Result<CreditDecision> check_credit(const CreditInput& in) {
  O2C_TRY(check_amounts(in));
  const Currency cur = in.credit_limit.currency();
  // Summed in 128 bits: a negative receivable may bring an intermediate sum
  // back into range, and the order of the terms must not decide an overflow.
  const Int128 sum = static_cast<Int128>(in.open_receivable.minor()) + in.open_orders.minor() + in.order_total.minor();
  if (sum > INT64_MAX || sum < INT64_MIN) {
    return Error::invalid("amount_overflow", "the credit exposure is too large to represent");
  }
  CreditDecision d{Outcome::pass, Money(static_cast<int64_t>(sum), cur), {}};

  if (d.exposure.minor() > in.credit_limit.minor()) {
    // exposure > limit >= 0, so the difference is positive and fits.
    const Money excess(d.exposure.minor() - in.credit_limit.minor(), cur);
    d.reasons.push_back(
        {kCreditLimitExceeded, "exposure " + with_code(d.exposure) + " (open receivable " +
                                   in.open_receivable.to_string() + " + open orders " + in.open_orders.to_string() +
                                   " + this order " + in.order_total.to_string() + ") exceeds the credit limit " +
                                   with_code(in.credit_limit) + " by " + with_code(excess)});
  }
  if (in.oldest_overdue_days && *in.oldest_overdue_days > in.grace_days) {
    d.reasons.push_back({kOverdueInvoices, "the oldest overdue invoice is " + days(*in.oldest_overdue_days) +
                                               " past due, more than the grace period of " + days(in.grace_days)});
  }
  if (in.credit_block) {
    d.reasons.push_back({kCreditBlocked, "the customer is blocked for credit"});
  }
  if (!d.reasons.empty()) d.outcome = Outcome::hold;
  return d;
}

Result<bool> would_release(const CreditInput& now) {
  O2C_ASSIGN_OR_RETURN(CreditDecision d, check_credit(now));
  return d.passed();
}

}  // namespace o2c::credit
