#pragma once
// Typed access to the foundation's tables. Every function runs inside the
// caller's unit of work; none commits. All SQL of these tables is here.
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/inventory/stock.h"
#include "domain/masterdata/records.h"
#include "store/db.h"

namespace o2c::store {

// A page of a keyset-paginated list: rows with id > after, at most limit.
struct PageRequest {
  int64_t after = 0;
  int limit = 50;
};

// One keyset page of `select_from` ("SELECT cols FROM table", whose rows have
// `id` and `customer_id`): ids after page.after, ascending, one customer's
// when given.
Rows customer_page(UnitOfWork& uow, const std::string& select_from, std::optional<CustomerId> customer,
                   const PageRequest& page);

namespace company {
std::optional<masterdata::Company> get(UnitOfWork& uow);
void put(UnitOfWork& uow, const masterdata::Company& c);
}  // namespace company

namespace payment_terms {
std::optional<masterdata::PaymentTerms> find(UnitOfWork& uow, const std::string& code);
std::vector<masterdata::PaymentTerms> list(UnitOfWork& uow);
void insert(UnitOfWork& uow, const masterdata::PaymentTerms& t);
}  // namespace payment_terms

namespace customers {
// The credit team's switches (credit_block: orders are held; blocked: no orders).
void set_credit_status(UnitOfWork& uow, CustomerId id, bool credit_block, bool blocked, const std::string& at);
void set_dunning_block(UnitOfWork& uow, CustomerId id, bool on, const std::string& at);
CustomerId insert(UnitOfWork& uow, const masterdata::Customer& c);
void update(UnitOfWork& uow, const masterdata::Customer& c);  // every field but id and created_at
std::optional<masterdata::Customer> find(UnitOfWork& uow, CustomerId id);
std::vector<masterdata::Customer> list(UnitOfWork& uow, const PageRequest& page);
// Customers whose name contains `text` (case-insensitive for ASCII letters;
// % and _ match themselves), keyset-paged by id like list().
std::vector<masterdata::Customer> search(UnitOfWork& uow, const std::string& text, const PageRequest& page);
int64_t count(UnitOfWork& uow);
}  // namespace customers

namespace products {
ProductId insert(UnitOfWork& uow, const masterdata::Product& p);
std::optional<masterdata::Product> find(UnitOfWork& uow, ProductId id);
std::optional<masterdata::Product> find_by_sku(UnitOfWork& uow, const std::string& sku);
std::vector<masterdata::Product> list(UnitOfWork& uow, const PageRequest& page);
// Products whose SKU or name contains `text`, as customers::search.
std::vector<masterdata::Product> search(UnitOfWork& uow, const std::string& text, const PageRequest& page);
}  // namespace products

namespace warehouses {
WarehouseId insert(UnitOfWork& uow, const masterdata::Warehouse& w);
std::optional<masterdata::Warehouse> find(UnitOfWork& uow, WarehouseId id);
std::optional<masterdata::Warehouse> find_by_code(UnitOfWork& uow, const std::string& code);
std::vector<masterdata::Warehouse> list(UnitOfWork& uow, const PageRequest& page);
}  // namespace warehouses

namespace stock {
// The row for update (locked on PostgreSQL); a zero level when none exists yet.
inventory::StockLevel get_for_update(UnitOfWork& uow, WarehouseId w, ProductId p);
void upsert(UnitOfWork& uow, const inventory::StockLevel& level);
// Levels joined with codes, ordered by sku then warehouse priority.
// Keyset cursor: (product_id, warehouse_id) > after.
struct Cursor {
  int64_t product_id = 0;
  int64_t warehouse_id = 0;
};
std::vector<inventory::StockLevel> list(UnitOfWork& uow, std::optional<ProductId> product,
                                        const Cursor& after, int limit);
int64_t insert_receipt(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t quantity_milli,
                       int64_t unit_cost_e4, const std::string& received_on,
                       std::optional<UserId> by, const std::string& at);
// Where the product is kept in the warehouse (shown on pick lists).
void set_bin(UnitOfWork& uow, WarehouseId w, ProductId p, const std::string& bin);
// Rows where reserved < 0 or reserved > on_hand (must be none).
std::vector<inventory::StockLevel> breaches(UnitOfWork& uow);
}  // namespace stock

// Users and API tokens. Only the SHA-256 of a token is stored.
struct User {
  UserId id;
  std::string name;
  std::string role;
  std::optional<CustomerId> customer_id;
};
namespace users {
UserId insert(UnitOfWork& uow, const std::string& name, const std::string& role,
              std::optional<CustomerId> customer, const std::optional<std::string>& password_hash,
              const std::string& at);
std::optional<User> find_by_name(UnitOfWork& uow, const std::string& name);
std::optional<std::string> password_hash(UnitOfWork& uow, UserId id);
std::vector<User> list(UnitOfWork& uow);
int64_t count(UnitOfWork& uow);
void add_token(UnitOfWork& uow, UserId user, const std::string& token_hash, const std::string& at);
std::optional<User> by_token_hash(UnitOfWork& uow, const std::string& token_hash);
}  // namespace users

// The hash-chained audit log.
struct Event {
  int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string entity;
  std::string entity_id;
  std::string action;
  std::string payload;  // JSON text
  std::string prev_hash;
  std::string hash;
};
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};
namespace events {
// Locks the head: appenders are serialized from here to commit.
AuditHead head_for_update(UnitOfWork& uow);
AuditHead head(UnitOfWork& uow);
void append(UnitOfWork& uow, const Event& e);  // also moves the head
std::vector<Event> list(UnitOfWork& uow, int64_t after_seq, int limit);
int64_t count(UnitOfWork& uow);
}  // namespace events

struct StoredResponse {
  std::string method;
  std::string path;
  std::string request_hash;
  int status = 0;
  std::string body;
};
namespace idempotency {
std::optional<StoredResponse> find(UnitOfWork& uow, UserId user, const std::string& key);
// Throws conflict/duplicate if another request stored the key first.
void save(UnitOfWork& uow, UserId user, const std::string& key, const StoredResponse& r,
          const std::string& at);
}  // namespace idempotency

}  // namespace o2c::store
