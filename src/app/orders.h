#pragma once
// Use cases of orders: place (price, credit check, reserve), approve or
// reject a held order, cancel, read and list. Each validates fully before it
// writes; every change is audited and announced in the outbox in the same
// unit of work.
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/masterdata/rules.h"
#include "domain/order/records.h"
#include "store/orders_repo.h"

namespace o2c::app {

struct OrderLineDraft {
  masterdata::Text sku;
  masterdata::Text quantity;
  masterdata::Text unit_price;  // an explicit price: sales only, audited as price_overridden
};

// A document-level allowance or charge on the order. The tax group may be
// left out when every line of the order is in one group; an allowance must
// name a group that has lines, and a category other than S has rate 0.
struct ChargeDraft {
  masterdata::Text amount;  // > 0, in the order's currency
  masterdata::Text reason;
  masterdata::Text tax_category;
  masterdata::Text tax_rate;
};

struct OrderDraft {
  masterdata::Text customer_id;
  masterdata::Text currency;  // optional; must equal the customer's
  masterdata::Text external_ref;
  masterdata::Text ship_to;
  std::vector<OrderLineDraft> lines;
  std::vector<ChargeDraft> allowances;
  std::vector<ChargeDraft> charges;
};

// Errors (422 unless noted), each with its field:
//   required / unknown_customer (customer_id), customer_blocked (customer_id),
//   currency_mismatch (currency, or lines[i].sku for a product priced in
//   another currency), required (lines), required / unknown_sku (lines[i].sku),
//   required / invalid_quantity / too_many_decimals / non_positive_quantity
//   (lines[i].quantity), 403 forbidden (lines[i].unit_price, role not sales),
//   invalid_number / negative_amount / too_many_decimals (lines[i].unit_price).
Result<order::Order> place_order(Context& ctx, const OrderDraft& draft);

// The order `draft` would be if placed now by `role` on the business date
// `today`, with the same validation, pricing and credit decision as
// place_order (same errors): priced lines, totals, status open or
// credit_hold with its hold_reasons. Reads only: no number is taken, no
// stock reserved, nothing audited; id, number and reserved stay empty.
Result<order::Order> quote_order(store::UnitOfWork& uow, const OrderDraft& draft, Role role, Date today);

// Credit team on a held order: reason required (422 required, field reason);
// 404 order_not_found; 409 invalid_transition unless on credit_hold.
Result<order::Order> approve_order(Context& ctx, OrderId id, const masterdata::Text& reason);
Result<order::Order> reject_order(Context& ctx, OrderId id, const masterdata::Text& reason);
// Sales: from credit_hold or open; frees every reservation.
// 409 already_shipped after a shipment, invalid_transition otherwise.
Result<order::Order> cancel_order(Context& ctx, OrderId id, const masterdata::Text& reason);

// Re-runs the credit check of every order of the customer on credit_hold,
// oldest first, as if each were placed now, and releases (and reserves
// stock for) those that pass: called whenever exposure falls or the limit
// rises (a cancelled order, a raised limit, a lifted credit block, and later
// payments and credit notes). `trigger` is recorded with each release.
// Locks the customer row, then the held orders in ascending id order,
// before any stock row. Returns the orders released.
Result<std::vector<order::Order>> reevaluate_credit_holds(Context& ctx, CustomerId customer,
                                                          const std::string& trigger);

// The credit team's switches on a customer, with a reason (audited):
// credit_block puts every new order on hold; blocked refuses orders. Lifting
// a credit block re-evaluates the held orders. 404 customer_not_found;
// 422 required (reason), nothing_to_change (neither switch given).
struct CreditStatusChange {
  std::optional<bool> credit_block;
  std::optional<bool> blocked;
  masterdata::Text reason;
};
Result<masterdata::Customer> set_credit_status(Context& ctx, CustomerId id, const CreditStatusChange& change);

Result<order::Order> get_order(store::UnitOfWork& uow, OrderId id);
std::vector<order::Order> list_orders(store::UnitOfWork& uow, const store::orders::ListFilter& filter,
                                      const store::PageRequest& page);

}  // namespace o2c::app
