#pragma once
// Where a customer stands for credit, gathered from the store for the pure
// decision in domain/credit: the open receivable (invoices not paid, less
// unapplied customer credit), the exposure of orders not yet invoiced, and
// how long the oldest overdue invoice has been overdue on the business date.
#include <optional>

#include "core/date.h"
#include "core/id.h"
#include "core/result.h"
#include "domain/credit/check.h"
#include "domain/masterdata/records.h"
#include "store/db.h"

namespace o2c::app {

struct CreditPosition {
  int64_t invoices_open_minor = 0;   // open amounts of the customer's invoices
  int64_t credit_balance_minor = 0;  // unapplied customer credit
  int64_t open_receivable_minor = 0; // invoices_open - credit_balance (may be negative)
  int64_t open_orders_minor = 0;     // orders granted credit, not yet invoiced
  int64_t overdue_minor = 0;         // open amounts due before the business date
  std::optional<int> oldest_overdue_days;
  int grace_days = credit::kDefaultGraceDays;
};

// `excluding`: an order left out of open_orders (the held order being re-evaluated).
Result<CreditPosition> credit_position(store::UnitOfWork& uow, const masterdata::Customer& customer, Date as_of,
                                       std::optional<OrderId> excluding = std::nullopt);

// The credit check's input for an order of `order_total` (customer's currency).
Result<credit::CreditInput> credit_input(const masterdata::Customer& customer, const CreditPosition& pos,
                                         int64_t order_total_minor);

}  // namespace o2c::app
