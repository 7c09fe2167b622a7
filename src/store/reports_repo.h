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

}  // namespace o2c::store::reports
