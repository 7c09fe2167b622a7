#pragma once
// Money: an exact integer count of minor units in one ISO 4217 currency.
// Never a floating-point number. Every operation that could overflow int64
// reports it instead of wrapping. Mixing currencies is an error.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "core/result.h"

namespace o2c {

class Money {
 public:
  Money(int64_t minor, Currency currency) : minor_(minor), currency_(currency) {}
  static Money zero(Currency c) { return Money(0, c); }

  // Exact decimal string -> Money. Accepts "-12.5", "1234.50", "0", "7".
  // Refuses: empty, '+', spaces, exponents, thousands separators, more
  // decimals than the currency's exponent (code "too_many_decimals"),
  // anything not a plain decimal (code "invalid_amount"), values outside
  // int64 minor units (code "amount_out_of_range"). Field left empty.
  static Result<Money> parse(std::string_view text, Currency currency);

  // Always exactly `exponent` decimals: "1234.50", "-0.05", "100" (JPY), "1.250" (KWD).
  std::string to_string() const;

  int64_t minor() const { return minor_; }
  Currency currency() const { return currency_; }
  bool is_zero() const { return minor_ == 0; }
  bool is_negative() const { return minor_ < 0; }

  // Checked arithmetic: code "currency_mismatch" or "amount_overflow".
  Result<Money> add(const Money& o) const;
  Result<Money> sub(const Money& o) const;
  Result<Money> negate() const;
  Result<Money> times(int64_t factor) const;

  // Multiply by an exact decimal ratio num/den (den > 0) and round the result
  // half away from zero to minor units. Used for rate x amount, price x qty.
  // 128-bit intermediate; "amount_overflow" if the result does not fit.
  Result<Money> mul_ratio(int64_t num, int64_t den) const;

  // Split into n parts (n >= 1) that differ by at most one minor unit and sum
  // exactly to *this; earlier parts get the extra units.
  Result<std::vector<Money>> split(int n) const;
  // Split proportionally to non-negative weights (at least one > 0) with the
  // largest-remainder method; parts always sum exactly to *this.
  Result<std::vector<Money>> allocate(const std::vector<int64_t>& weights) const;

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor_ == b.minor_ && a.currency_ == b.currency_;
  }

 private:
  int64_t minor_;
  Currency currency_;
};

// GCC/Clang's 128-bit integer. __extension__ keeps -Wpedantic quiet in every
// file that includes this header; the type is exactly __int128.
__extension__ typedef __int128 Int128;

// Round value/den half away from zero (den > 0). Exposed for prices and rates.
// Returns false on overflow of the int64 result.
bool round_half_away(Int128 value, Int128 den, int64_t* out);

}  // namespace o2c
