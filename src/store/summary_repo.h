#pragma once
// Counts over the whole company, for summaries such as the one `o2c demo`
// prints after its simulation. Read-only; every function runs inside the
// caller's unit of work.
#include <cstdint>
#include <map>
#include <string>

#include "store/db.h"

namespace o2c::store::summary {

struct Counts {
  int64_t customers = 0, customers_usd = 0, products = 0, warehouses = 0;
  std::map<std::string, int64_t> orders_by_status;
  int64_t stock_receipts = 0;
  int64_t shipments = 0;
  int64_t orders_shipped_in_parts = 0;  // orders with two or more shipments
  std::map<std::string, int64_t> invoices_by_status;  // kind invoice (fee invoices included)
  int64_t invoices_usd = 0;
  int64_t fee_invoices = 0;
  int64_t invoices_overdue = 0;  // open or partially paid, due before `as_of`
  int64_t credit_notes = 0;
  std::map<std::string, int64_t> payments_by_method;
  int64_t bank_statements = 0;
  std::map<std::string, int64_t> bank_lines_by_status;
  int64_t bank_lines_posted = 0;  // matched to an account, not to invoices
  std::map<int64_t, int64_t> notices_by_level;
  std::map<std::string, int64_t> disputes_by_status;
  int64_t promises = 0;
  int64_t ledger_entries = 0;
  int64_t audit_events = 0;
};

Counts counts(UnitOfWork& uow, const std::string& as_of);

}  // namespace o2c::store::summary
