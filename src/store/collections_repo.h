#pragma once
// Typed access to disputes, promises to pay, dunning policies and notices.
// Every function runs in the caller's unit of work.
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/collections/dunning.h"
#include "domain/collections/statement.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::collections {

struct Dispute {
  int64_t id = 0;
  int64_t invoice_id = 0;
  std::string invoice_number;
  CustomerId customer_id;
  std::string reason;
  std::string status;  // open, resolved
  std::optional<std::string> outcome;  // upheld, rejected
  std::optional<std::string> resolution;
  std::optional<int64_t> credit_note_id;
  std::string opened_on;
  std::optional<std::string> resolved_on;
  std::optional<UserId> opened_by, resolved_by;
  std::string created_at, updated_at;
};
// Sets d.id. The unique index lets one dispute per invoice be open.
void insert_dispute(UnitOfWork& uow, Dispute& d);
std::optional<Dispute> find_dispute(UnitOfWork& uow, int64_t id, bool for_update = false);
std::optional<Dispute> open_dispute_of(UnitOfWork& uow, int64_t invoice_id);
void resolve_dispute(UnitOfWork& uow, const Dispute& d);
// Ascending id > page.after; status empty = all.
std::vector<Dispute> list_disputes(UnitOfWork& uow, const std::optional<std::string>& status,
                                   std::optional<CustomerId> customer, const PageRequest& page);

void add_promise(UnitOfWork& uow, int64_t invoice_id, const std::string& promised_on,
                 const std::optional<std::string>& note, std::optional<UserId> by, const std::string& at);

std::optional<o2c::collections::DunningPolicy> find_policy(UnitOfWork& uow, const std::string& code);
std::vector<o2c::collections::DunningPolicy> list_policies(UnitOfWork& uow);
// Inserts or replaces the policy and its levels.
void put_policy(UnitOfWork& uow, const o2c::collections::DunningPolicy& p, const std::string& at);

// Customers with overdue goods invoices (INV series) on `as_of`, by id.
std::vector<CustomerId> customers_overdue(UnitOfWork& uow, const std::string& as_of);
// The customer's overdue goods invoices with what dunning needs to know.
std::vector<o2c::collections::OverdueItem> overdue_items(UnitOfWork& uow, CustomerId customer,
                                                         const std::string& as_of);

struct Notice {
  int64_t id = 0;
  CustomerId customer_id;
  int level = 0;
  std::string notice_date;
  std::string currency;
  int64_t overdue_minor = 0, fee_minor = 0, interest_minor = 0;
  std::optional<int64_t> fee_invoice_id;
  std::string action;
  std::string message;
  std::string created_at;
};
// Sets n.id; items go in with it.
void insert_notice(UnitOfWork& uow, Notice& n, const std::vector<o2c::collections::NoticeItem>& items);

std::optional<Notice> find_notice(UnitOfWork& uow, int64_t id);
// Ascending id > page.after.
std::vector<Notice> list_notices(UnitOfWork& uow, std::optional<CustomerId> customer, const PageRequest& page);

// True while any of the customer's invoices that reached a credit-blocking
// level is still open.
bool has_open_blocking_items(UnitOfWork& uow, CustomerId customer);

// Every movement of the customer's balance up to `to` (collections/statement.h).
std::vector<o2c::collections::Movement> statement_movements(UnitOfWork& uow, CustomerId customer,
                                                            const std::string& to);

// For `o2c verify`.
std::vector<std::string> breaches(UnitOfWork& uow);

}  // namespace o2c::store::collections
