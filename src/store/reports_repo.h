#pragma once
// What the receivables reports read: the state of the receivables on any
// business date, rebuilt from the history of issues, allocations and
// reversals (never from the invoices' current open amounts), so that a
// report as of a past date says what it said on that date.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/id.h"
#include "domain/reports/aging.h"
#include "domain/reports/process.h"
#include "store/db.h"

namespace o2c::store::reports {

struct OpenItemRow {
  o2c::reports::OpenItem item;  // open_minor in the functional currency
  std::string number;
  std::string currency;         // the invoice's
  int64_t total_minor = 0;      // document currency
  int64_t open_document_minor = 0;
  int64_t total_functional_minor = 0;
};

// Invoices issued on or before as_of with something open on as_of, by
// customer then due date. Allocations count from the day they were applied
// until the day their payment bounced.
std::vector<OpenItemRow> open_items(UnitOfWork& uow, Date as_of, std::optional<CustomerId> customer = std::nullopt);

// Invoices less credit notes issued in (from, to], functional currency.
int64_t credit_sales(UnitOfWork& uow, Date from_exclusive, Date to_inclusive);
std::optional<Date> first_issue_date(UnitOfWork& uow);

// Customer names by id (the reports name who owes).
std::vector<std::pair<int64_t, std::string>> customer_names(UnitOfWork& uow);

// Open disputes on as_of: opened on or before it, not resolved by then.
struct DisputeRow {
  int64_t invoice_id = 0;
  Date opened_on;
};
std::vector<DisputeRow> disputes_open_on(UnitOfWork& uow, Date as_of);

// Orders placed on the days (from, to] (by the date of their creation
// instant), and how many of them were held for credit.
struct Placed {
  int64_t orders = 0;
  int64_t held = 0;
};
Placed orders_placed(UnitOfWork& uow, Date from_exclusive, Date to_inclusive);

// Holds that ended on the days (from, to]: (held_at, decided_at) instants.
std::vector<std::pair<std::string, std::string>> holds_decided(UnitOfWork& uow, Date from_exclusive,
                                                               Date to_inclusive);

// Orders whose last invoice was settled on the days (from, to], with what
// the cycle measures need. An order's invoices are found through their
// lines, so consolidated invoices count for every order they bill.
std::vector<o2c::reports::OrderFacts> orders_paid(UnitOfWork& uow, Date from_exclusive, Date to_inclusive);

// Bank lines booked on the days (from, to]: all, and those the
// reconciliation applied by itself (any rule but a person's match).
struct BankLines {
  int64_t lines = 0;
  int64_t auto_applied = 0;
};
BankLines bank_lines_booked(UnitOfWork& uow, Date from_exclusive, Date to_inclusive);

}  // namespace o2c::store::reports
