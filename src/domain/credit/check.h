#pragma once
// The credit decision for an order: pass, or hold with every reason that
// applies, so that the credit team sees the whole picture at once instead of
// clearing one reason only to meet the next.
//
// Pure: the caller gathers the amounts (in the customer's currency) and the
// days overdue as of the business date; nothing here reads a clock.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/result.h"

namespace o2c::credit {

constexpr int kDefaultGraceDays = 30;
constexpr int kMaxGraceDays = 3660;  // ten years: anything longer is a typo, not a policy

struct CreditInput {
  Money credit_limit;     // >= 0; 0 means no credit at all
  Money open_receivable;  // invoices not yet paid; may be negative (the customer holds credit)
  // Orders that already passed and are not yet invoiced (open, partially
  // shipped, shipped: their uninvoiced remainder). Excludes this order and
  // orders on credit_hold: a held order has not been granted credit, and
  // counting it would let one held order block every later one. >= 0.
  Money open_orders;
  Money order_total;  // this order, tax included; >= 0
  bool credit_block = false;
  // Days the oldest overdue invoice is past its due date on the business
  // date; nullopt (or <= 0) when nothing is overdue.
  std::optional<int> oldest_overdue_days;
  int grace_days = kDefaultGraceDays;  // 0..kMaxGraceDays
};

enum class Outcome { pass, hold };

// Frozen codes: they are stored with the held order and shown by the API.
inline constexpr const char* kCreditLimitExceeded = "credit_limit_exceeded";
inline constexpr const char* kOverdueInvoices = "overdue_invoices";
inline constexpr const char* kCreditBlocked = "credit_blocked";

struct HoldReason {
  std::string code;     // one of the k* codes above
  std::string message;  // for a person, with the amounts or days that matter
};

struct CreditDecision {
  Outcome outcome = Outcome::pass;
  Money exposure;  // open_receivable + open_orders + order_total
  // Empty exactly when the outcome is pass. Always in this order:
  // credit_limit_exceeded, overdue_invoices, credit_blocked.
  std::vector<HoldReason> reasons;
  bool passed() const { return outcome == Outcome::pass; }
};

// The decision for a new order. Holds when
//   exposure > credit_limit            -> credit_limit_exceeded (equal passes),
//   oldest_overdue_days > grace_days   -> overdue_invoices (exactly grace days passes),
//   credit_block                       -> credit_blocked.
// Errors: currency_mismatch (field: the first amount not in the limit's
// currency), negative_amount (credit_limit, open_orders or order_total below
// zero), invalid_grace_days, amount_overflow (exposure does not fit).
Result<CreditDecision> check_credit(const CreditInput& input);

// Whether an order on credit_hold would pass now, e.g. after a payment
// lowered the receivable or another order was cancelled. The same rules as
// check_credit on purpose: a release must never let through an order that
// would be held if it were placed now. The input describes the held order as
// if new (order_total = its total, open_orders without it). Same errors.
Result<bool> would_release(const CreditInput& now);

}  // namespace o2c::credit
