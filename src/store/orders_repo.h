#pragma once
// Typed access to the order tables (orders, order_lines, reservations,
// outbox). Every function runs inside the caller's unit of work; none
// commits. All SQL of these tables is here.
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/order/records.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::orders {

// The next value of a named gapless counter (e.g. "order"), taken under the
// counter row's lock: concurrent takers wait until this unit ends.
int64_t next_counter(UnitOfWork& uow, const std::string& name);

// Locks the customer row (PostgreSQL) so that credit decisions for one
// customer are taken one after another; nullopt when it does not exist.
// Returns the `blocked` flag.
std::optional<bool> lock_customer(UnitOfWork& uow, CustomerId id);

// Inserts the order and its lines; sets the ids in `o`.
void insert(UnitOfWork& uow, order::Order& o);
std::optional<order::Order> find(UnitOfWork& uow, OrderId id, bool for_update = false);
// How much of an allowance or charge the order's invoices carry so far.
void set_charge_billed(UnitOfWork& uow, OrderId order, int seq, int64_t billed_minor);
// The customer's first order (lowest id) with this external reference, in
// any status: what an import checks so that a file read twice places nothing
// twice. Callers lock the customer first, which serializes importers.
std::optional<order::Order> find_by_external_ref(UnitOfWork& uow, CustomerId customer,
                                                 const std::string& external_ref);

struct ListFilter {
  std::optional<order::OrderStatus> status;
  std::optional<CustomerId> customer;
  // Only orders with stock reserved and not yet shipped (open or
  // partially_shipped): the warehouse's queue.
  bool to_ship = false;
};
// Orders with id > page.after, ascending, at most page.limit, lines included.
std::vector<order::Order> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page);

// The end of a credit hold (its start is the order's creation), for the
// hold measures (migration 0015).
void record_hold_decision(UnitOfWork& uow, OrderId id, const std::string& outcome, const std::string& at);
void update_status(UnitOfWork& uow, OrderId id, order::OrderStatus status,
                   const std::vector<order::HoldReason>& hold_reasons, const std::string& at);
void set_line_reserved(UnitOfWork& uow, OrderLineId line, int64_t reserved);

// Stock of one product in every warehouse that has a row for it, locked
// (PostgreSQL) in warehouse id order. Callers lock products in ascending id
// order, so stock rows are always locked sorted by (product_id, warehouse_id).
struct LockedStock {
  WarehouseId warehouse_id;
  int priority = 100;
  int64_t on_hand = 0;
  int64_t reserved = 0;
  int64_t avg_cost_e4 = 0;
};
std::vector<LockedStock> lock_stock_of_product(UnitOfWork& uow, ProductId product);
void set_stock_reserved(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t reserved);
// Shipping: on hand and reserved fall together.
void set_stock_out(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t on_hand, int64_t reserved);
// The line's reservation in the warehouse becomes `quantity` (deleted at 0).
void set_reservation(UnitOfWork& uow, OrderLineId line, WarehouseId w, int64_t quantity);
void set_line_shipped(UnitOfWork& uow, OrderLineId line, int64_t reserved, int64_t shipped);

struct ReservationRow {
  OrderLineId line_id;
  ProductId product_id;
  WarehouseId warehouse_id;
  int64_t quantity = 0;
  int line_no = 0;
  int warehouse_priority = 100;
};
// Adds `quantity` to the line's reservation in the warehouse.
void add_reservation(UnitOfWork& uow, OrderLineId line, WarehouseId w, int64_t quantity);
// The order's reservations, sorted by (product_id, warehouse_id).
std::vector<ReservationRow> reservations_of_order(UnitOfWork& uow, OrderId order);
void delete_reservations_of_order(UnitOfWork& uow, OrderId order);

// Order lines of the product still lacking stock (quantity - reserved -
// shipped > 0) on open or partially_shipped orders, oldest first: by
// orders.placed_seq, then order id, then line id.
struct BackorderedLineRow {
  OrderId order_id;
  std::string order_number;
  OrderLineId line_id;
  int64_t placed_seq = 0;
  int64_t reserved = 0;     // thousandths
  int64_t backordered = 0;  // thousandths, > 0
};
std::vector<BackorderedLineRow> backordered_lines_of_product(UnitOfWork& uow, ProductId product);
// What to pick for an order now: each reservation with its warehouse and
// bin, in walking order (warehouse priority and code, bin, SKU).
struct PickRow {
  int line_no = 0;
  std::string sku;
  std::string product_name;
  std::string warehouse_code;
  std::optional<std::string> bin;
  int64_t quantity = 0;  // thousandths
};
std::vector<PickRow> pick_rows_of_order(UnitOfWork& uow, OrderId order);

// Every backordered line (quantity - reserved - shipped > 0 on an open or
// partially_shipped order), oldest placement first, with the product's
// stock over all warehouses. Keyset: (placed_seq, line id) > after.
struct BackorderRow {
  OrderId order_id;
  std::string order_number;
  int64_t placed_seq = 0;
  std::string placed_on;
  CustomerId customer_id;
  std::string customer_name;
  OrderLineId line_id;
  int line_no = 0;
  std::string sku;
  std::string product_name;
  int64_t quantity = 0;  // thousandths, as the next four
  int64_t reserved = 0;
  int64_t shipped = 0;
  int64_t backordered = 0;
  int64_t on_hand = 0;    // the product's, every warehouse
  int64_t available = 0;  // on_hand - reserved, every warehouse
};
struct BackorderCursor {
  int64_t placed_seq = 0;
  int64_t line_id = 0;
};
std::vector<BackorderRow> backorders(UnitOfWork& uow, const BackorderCursor& after, int limit);

// The customer's orders on credit_hold, oldest placement first.
std::vector<OrderId> held_orders_of_customer(UnitOfWork& uow, CustomerId customer);
// Locks the order rows (PostgreSQL) one by one in ascending id order.
void lock_orders(UnitOfWork& uow, const std::vector<OrderId>& ids);

void outbox_append(UnitOfWork& uow, const std::string& topic, const std::string& payload, const std::string& at);
struct OutboxMessage {
  int64_t id = 0;
  std::string topic;
  std::string payload;
};
std::vector<OutboxMessage> outbox_list(UnitOfWork& uow, int64_t after, int limit);

// For `o2c verify`: each returns one line per breach.
std::vector<std::string> reservations_not_on_live_orders(UnitOfWork& uow);
std::vector<std::string> stock_reserved_mismatches(UnitOfWork& uow);
std::vector<std::string> line_quantity_breaches(UnitOfWork& uow);
// Every order with its lines, in id order, after `after_id` (paged).
std::vector<order::Order> all_after(UnitOfWork& uow, int64_t after_id, int limit);

}  // namespace o2c::store::orders
