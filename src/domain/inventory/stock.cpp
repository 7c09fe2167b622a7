#include "domain/inventory/stock.h"

#include "core/money.h"
#include "domain/masterdata/rules.h"

namespace o2c::inventory {

Result<StockLevel> receive(const StockLevel& level, const Receipt& r) {
  StockLevel next = level;
  O2C_ASSIGN_OR_RETURN(next.on_hand, level.on_hand.add(r.quantity));
  __extension__ typedef __int128 i128;
  i128 value = static_cast<i128>(level.on_hand.milli()) * level.avg_cost_e4 +
               static_cast<i128>(r.quantity.milli()) * r.unit_cost_e4;
  i128 qty = next.on_hand.milli();
  if (qty <= 0) {
    next.avg_cost_e4 = r.unit_cost_e4;
    return next;
  }
  int64_t avg = 0;
  if (!round_half_away(value, qty, &avg)) {
    return Error::invalid("cost_overflow", "the stock value is too large");
  }
  next.avg_cost_e4 = avg;
  return next;
}

Result<Receipt> validate_receipt(const std::string& quantity, const std::string& unit_cost) {
  auto q = Quantity::parse(quantity);
  if (!q.ok()) {
    Error e = q.take_error();
    e.field = "quantity";
    return e;
  }
  if (!q->is_positive()) {
    return Error::invalid("non_positive_quantity", "quantity must be greater than zero", "quantity");
  }
  O2C_ASSIGN_OR_RETURN(int64_t cost, masterdata::parse_price(unit_cost, "unit_cost"));
  return Receipt{*q, cost};
}

}  // namespace o2c::inventory
