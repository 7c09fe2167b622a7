#pragma once
// What the cash forecast reads (domain/reports/forecast.h), all of it from
// history so that a forecast as of a past day can be made again. Every
// function runs in the caller's unit of work; amounts are in the functional
// currency unless a field says otherwise.
#include <string>
#include <vector>

#include "domain/reports/forecast.h"
#include "store/db.h"

namespace o2c::store::forecast {

// Invoices (not credit notes) issued on or before `to` that may be open on a
// day of [from, to] (their settled_on is after `from`: the aging's argument
// in migration 0015), and what settled them on or before `to`, with the day
// a bounced payment was reversed. reports::open_items_as_of on it is exact
// for the days from `from` to `to`; the delays come from delay_sums.
o2c::reports::ReceivableHistory receivable_history(UnitOfWork& uow, const std::string& from, const std::string& to);

// reports::delay_sums over the whole history, summed by the database from
// the allocations' copies of their invoice's customer and days after due
// (migration 0019; `o2c verify` checks the copies).
o2c::reports::DelaySums delay_sums(UnitOfWork& uow, Date as_of, int lookback_days);

// The cash samples applied in (from_exclusive, to], from the same copies: for
// the delays of several days at once (a forecast's past weeks).
std::vector<o2c::reports::CashSample> cash_samples(UnitOfWork& uow, Date from_exclusive, Date to);

struct OrderValue {
  int64_t order_id = 0;
  int64_t customer_id = 0;
  std::string currency;     // the order's
  int64_t total_minor = 0;  // the order's currency
  std::string placed_on;    // the business date it was placed on
  int net_days = 0;         // the customer's payment terms
  std::vector<o2c::reports::OrderLineValue> lines;  // invoiced = on invoices issued on or before as_of
};

// Orders that may hold value not yet invoiced on `as_of`. `current`: the
// orders as they stand now (open, partially shipped or shipped), for a
// forecast made today or later. Otherwise the orders placed on or before
// as_of that are not on credit hold or rejected now, counting one cancelled
// after as_of (a cancellation keeps no business date: the day of the
// order's last update stands for it).
std::vector<OrderValue> orders_as_of(UnitOfWork& uow, const std::string& as_of, bool current);

// Money received from customers from `from` to `to` (inclusive): payments
// (+), and reversals and refunds of payments (-), on their days.
std::vector<o2c::reports::CashMovement> cash_movements(UnitOfWork& uow, const std::string& from, const std::string& to);

}  // namespace o2c::store::forecast
