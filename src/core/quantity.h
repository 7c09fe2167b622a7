#pragma once
// Quantity: fixed-point decimal with exactly 3 decimals, stored as thousandths.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c {

class Quantity {
 public:
  static constexpr int kDecimals = 3;
  static constexpr int64_t kScale = 1000;

  constexpr Quantity() = default;
  static constexpr Quantity from_milli(int64_t milli) { return Quantity(milli); }
  static constexpr Quantity units(int64_t n) { return Quantity(n * kScale); }

  // "2", "0.125", "-1.5" -> Quantity. Codes: "invalid_quantity",
  // "too_many_decimals" (more than 3), "quantity_out_of_range".
  static Result<Quantity> parse(std::string_view text);
  // Shortest exact form: "2", "0.125", "1.5", "-3".
  std::string to_string() const;

  constexpr int64_t milli() const { return milli_; }
  constexpr bool is_positive() const { return milli_ > 0; }
  constexpr bool is_zero() const { return milli_ == 0; }
  constexpr bool is_negative() const { return milli_ < 0; }

  // Checked; "quantity_overflow" on overflow.
  Result<Quantity> add(Quantity o) const;
  Result<Quantity> sub(Quantity o) const;

  friend constexpr auto operator<=>(Quantity a, Quantity b) = default;

 private:
  constexpr explicit Quantity(int64_t milli) : milli_(milli) {}
  int64_t milli_ = 0;
};

}  // namespace o2c
