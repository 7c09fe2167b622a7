#include "domain/order/status.h"

#include <string>

namespace o2c::order {
namespace {

Error invalid(OrderStatus from, OrderEvent event) {
  return Error::conflict("invalid_transition", "cannot " + std::string(to_string(event)) + " an order that is " +
                                                   std::string(to_string(from)));
}

Error already_shipped(OrderStatus from) {
  return Error::conflict("already_shipped", "cannot cancel an order that is " + std::string(to_string(from)) +
                                                ": it has shipped; credit or return instead");
}

}  // namespace

std::string_view to_string(OrderStatus s) {
  switch (s) {
    case OrderStatus::credit_hold: return "credit_hold";
    case OrderStatus::open: return "open";
    case OrderStatus::partially_shipped: return "partially_shipped";
    case OrderStatus::shipped: return "shipped";
    case OrderStatus::invoiced: return "invoiced";
    case OrderStatus::paid: return "paid";
    case OrderStatus::closed: return "closed";
    case OrderStatus::rejected: return "rejected";
    case OrderStatus::cancelled: return "cancelled";
  }
  return "unknown";  // only for a value cast from outside the enum
}

std::string_view to_string(OrderEvent e) {
  switch (e) {
    case OrderEvent::approve: return "approve";
    case OrderEvent::reject: return "reject";
    case OrderEvent::release: return "release";
    case OrderEvent::cancel: return "cancel";
    case OrderEvent::ship_partial: return "ship_partial";
    case OrderEvent::ship_complete: return "ship_complete";
    case OrderEvent::invoice: return "invoice";
    case OrderEvent::pay: return "pay";
    case OrderEvent::close: return "close";
    case OrderEvent::unpay: return "unpay";
  }
  return "unknown";
}

std::optional<OrderStatus> status_from_string(std::string_view s) {
  for (OrderStatus v : kAllOrderStatuses) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

std::optional<OrderEvent> event_from_string(std::string_view s) {
  for (OrderEvent v : kAllOrderEvents) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

bool is_terminal(OrderStatus s) {
  switch (s) {
    case OrderStatus::credit_hold:
    case OrderStatus::open:
    case OrderStatus::partially_shipped:
    case OrderStatus::shipped:
    case OrderStatus::invoiced:
    case OrderStatus::paid:
      return false;
    case OrderStatus::closed:
    case OrderStatus::rejected:
    case OrderStatus::cancelled:
      return true;
  }
  return true;
}

// One switch per status, each listing every event, so that adding a status
// or an event fails to compile (-Wswitch -Werror) until its row is decided.
Result<OrderStatus> transition(OrderStatus from, OrderEvent event) {
  using S = OrderStatus;
  using E = OrderEvent;
  switch (from) {
    case S::credit_hold:
      switch (event) {
        case E::approve:
        case E::release: return S::open;
        case E::reject: return S::rejected;
        case E::cancel: return S::cancelled;
        case E::ship_partial:
        case E::ship_complete:
        case E::invoice:
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::open:
      switch (event) {
        case E::cancel: return S::cancelled;
        case E::ship_partial: return S::partially_shipped;
        case E::ship_complete: return S::shipped;
        case E::approve:  // credit already granted: approving twice is a mistake worth a 409
        case E::reject:
        case E::release:
        case E::invoice:  // nothing shipped, nothing to invoice
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::partially_shipped:
      switch (event) {
        case E::ship_partial: return S::partially_shipped;
        case E::ship_complete: return S::shipped;
        case E::cancel: return already_shipped(from);
        case E::approve:
        case E::reject:
        case E::release:
        case E::invoice:  // part invoices fire no event (see the header)
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::shipped:
      switch (event) {
        case E::invoice: return S::invoiced;
        case E::cancel: return already_shipped(from);
        case E::approve:
        case E::reject:
        case E::release:
        case E::ship_partial:
        case E::ship_complete:
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::invoiced:
      switch (event) {
        case E::pay: return S::paid;
        case E::cancel: return already_shipped(from);
        case E::approve:
        case E::reject:
        case E::release:
        case E::ship_partial:
        case E::ship_complete:
        case E::invoice:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::paid:
      switch (event) {
        case E::close: return S::closed;
        case E::unpay: return S::invoiced;
        case E::cancel: return already_shipped(from);
        case E::approve:
        case E::reject:
        case E::release:
        case E::ship_partial:
        case E::ship_complete:
        case E::invoice:
        case E::pay: return invalid(from, event);
      }
      break;
    case S::closed:
      switch (event) {
        case E::cancel: return already_shipped(from);
        case E::approve:
        case E::reject:
        case E::release:
        case E::ship_partial:
        case E::ship_complete:
        case E::invoice:
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
    case S::rejected:
    case S::cancelled:
      switch (event) {
        case E::approve:
        case E::reject:
        case E::release:
        case E::cancel:
        case E::ship_partial:
        case E::ship_complete:
        case E::invoice:
        case E::pay:
        case E::unpay:
        case E::close: return invalid(from, event);
      }
      break;
  }
  return Error::internal("order status or event outside its enum");
}

}  // namespace o2c::order
