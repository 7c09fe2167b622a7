#pragma once
// Typed access to `checkouts`: card payments started from the portal.
// Every function runs in the caller's unit of work.
#include <optional>
#include <string>

#include "core/id.h"
#include "store/db.h"

namespace o2c::store::checkouts {

struct NewCheckout {
  int64_t invoice_id = 0;
  CustomerId customer_id;
  std::string provider;
  std::string reference;
  int64_t amount_minor = 0;
  std::string currency;
  std::optional<UserId> created_by;
  std::string created_at;
};

struct Checkout {
  int64_t id = 0;
  int64_t invoice_id = 0;
  std::string invoice_number;
  CustomerId customer_id;
  std::string provider;
  std::string reference;
  std::string status;  // open | completed
  int64_t amount_minor = 0;
  std::string currency;
  std::optional<int64_t> payment_id;
  std::string created_at;
  std::optional<std::string> completed_at;
};

// Returns the new checkout's id.
int64_t insert(UnitOfWork& uow, const NewCheckout& c);
// With for_update, the row is locked until the unit of work ends (PostgreSQL;
// SQLite's one writer serializes anyway).
std::optional<Checkout> find(UnitOfWork& uow, int64_t id, bool for_update = false);
// Marks an open checkout completed by `payment_id`; false when it was not open.
bool complete(UnitOfWork& uow, int64_t id, int64_t payment_id, const std::string& at);

}  // namespace o2c::store::checkouts
