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

Result<Money> extended_cost(Quantity quantity, int64_t unit_cost_e4, Currency currency) {
  if (quantity.is_negative() || unit_cost_e4 < 0) {
    return Error::invalid("negative_amount", "a cost needs a non-negative quantity and unit cost");
  }
  // milli x e4 is in units of 10^-7 of the major unit, 10^-(7 - exponent)
  // of the minor unit. The product of two int64 fits in 128 bits; no
  // currency has more than 7 decimals, so only a division remains.
  const Int128 value = static_cast<Int128>(quantity.milli()) * unit_cost_e4;
  Int128 scale = 1;
  for (int i = currency.exponent(); i < 7; ++i) scale *= 10;
  int64_t minor = 0;
  if (!round_half_away(value, scale, &minor)) return Error::invalid("amount_overflow", "the cost is too large");
  return Money(minor, currency);
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
