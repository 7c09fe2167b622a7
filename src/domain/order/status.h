#pragma once
// The order's life cycle (API.md, "Order statuses"). Every allowed move:
//   credit_hold        approve, release -> open; reject -> rejected; cancel -> cancelled
//   open               ship_partial -> partially_shipped; ship_complete -> shipped;
//                      cancel -> cancelled
//   partially_shipped  ship_partial -> partially_shipped; ship_complete -> shipped
//   shipped            invoice -> invoiced
//   invoiced           pay -> paid
//   paid               close -> closed; unpay -> invoiced
//   closed, rejected, cancelled: final.
//
// Events are facts the use cases establish, each meaning a stage is complete:
//   approve        the credit team releases a held order;
//   reject         the credit team refuses a held order;
//   release        automatic re-evaluation found a held order now passes;
//   cancel         sales cancels an order before anything shipped;
//   ship_partial   a shipment left some ordered quantity unshipped;
//   ship_complete  a shipment left nothing unshipped;
//   invoice        the fully shipped order is now fully invoiced;
//   pay            every invoice of the fully invoiced order is paid;
//   close          the paid order is closed;
//   unpay          a payment that settled the paid order was reversed (it bounced).
// Invoices and payments for part of a partially shipped order fire no event:
// the order stays partially_shipped and its lines carry the quantities.
#include <array>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace o2c::order {

// The names are frozen: stored in the database and returned by the API.
enum class OrderStatus {
  credit_hold,
  open,
  partially_shipped,
  shipped,
  invoiced,
  paid,
  closed,
  rejected,
  cancelled,
};

enum class OrderEvent {
  approve,
  reject,
  release,
  cancel,
  ship_partial,
  ship_complete,
  invoice,
  pay,
  close,
  unpay,
};

inline constexpr std::array kAllOrderStatuses = {
    OrderStatus::credit_hold, OrderStatus::open,   OrderStatus::partially_shipped,
    OrderStatus::shipped,     OrderStatus::invoiced, OrderStatus::paid,
    OrderStatus::closed,      OrderStatus::rejected, OrderStatus::cancelled,
};

inline constexpr std::array kAllOrderEvents = {
    OrderEvent::approve,      OrderEvent::reject,        OrderEvent::release,
    OrderEvent::cancel,       OrderEvent::ship_partial,  OrderEvent::ship_complete,
    OrderEvent::invoice,      OrderEvent::pay,           OrderEvent::close,
    OrderEvent::unpay,
};

std::string_view to_string(OrderStatus s);
std::string_view to_string(OrderEvent e);
// Exact, case-sensitive names as to_string writes them; nullopt otherwise.
std::optional<OrderStatus> status_from_string(std::string_view s);
std::optional<OrderEvent> event_from_string(std::string_view s);

// No event leads out of closed, rejected or cancelled.
bool is_terminal(OrderStatus s);

// The status after `event`, or an error of kind conflict (HTTP 409):
//   already_shipped     cancel after the first shipment (partially_shipped and later);
//   invalid_transition  any other event the table above does not allow.
// The error names no field: the order's state, not a request field, is at fault.
Result<OrderStatus> transition(OrderStatus from, OrderEvent event);

}  // namespace o2c::order
