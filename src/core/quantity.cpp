#include "core/text.h"
#include "core/quantity.h"

#include <cstddef>

namespace o2c {
namespace {

__extension__ typedef unsigned __int128 UInt128;

// The offending text, cut short: it goes into an error body, and the input
// may be arbitrarily long.
std::string quoted(std::string_view text) {
  return quoted_excerpt(text);
}

Error invalid_quantity(std::string_view text) {
  return Error::invalid("invalid_quantity", quoted(text) + " is not a plain decimal quantity");
}

Error overflow() { return Error::invalid("quantity_overflow", "the quantity is too large to represent"); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Quantity> Quantity::parse(std::string_view text) {
  // Same grammar as Money::parse: -?[0-9]+(\.[0-9]+)?
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  const std::size_t int_begin = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  const std::string_view int_part = text.substr(int_begin, pos - int_begin);
  if (int_part.empty()) return invalid_quantity(text);

  std::string_view frac_part;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t frac_begin = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    frac_part = text.substr(frac_begin, pos - frac_begin);
    if (frac_part.empty()) return invalid_quantity(text);
  }
  if (pos != text.size()) return invalid_quantity(text);
  if (frac_part.size() > static_cast<std::size_t>(kDecimals)) {
    return Error::invalid("too_many_decimals", "a quantity has at most 3 decimal places");
  }

  const uint64_t limit = negative ? (uint64_t{1} << 63) : static_cast<uint64_t>(INT64_MAX);
  UInt128 mag = 0;
  bool in_range = true;
  const auto push_digit = [&](char c) {
    mag = mag * 10 + static_cast<unsigned>(c - '0');
    in_range = in_range && mag <= limit;
  };
  // Stop at the first digit past the limit so that no length of input wraps.
  for (std::size_t i = 0; i < int_part.size() && in_range; ++i) push_digit(int_part[i]);
  for (std::size_t i = 0; i < frac_part.size() && in_range; ++i) push_digit(frac_part[i]);
  for (std::size_t i = frac_part.size(); i < static_cast<std::size_t>(kDecimals) && in_range; ++i) push_digit('0');
  if (!in_range) {
    return Error::invalid("quantity_out_of_range", quoted(text) + " is outside the supported range");
  }

  const auto m = static_cast<uint64_t>(mag);
  return Quantity(negative ? static_cast<int64_t>(uint64_t{0} - m) : static_cast<int64_t>(m));
}

std::string Quantity::to_string() const {
  // Magnitude without negating INT64_MIN.
  const uint64_t mag = milli_ < 0 ? uint64_t{0} - static_cast<uint64_t>(milli_) : static_cast<uint64_t>(milli_);
  std::string out;
  if (milli_ < 0) out += '-';
  out += std::to_string(mag / kScale);
  uint64_t frac = mag % kScale;
  if (frac != 0) {
    std::string digits(kDecimals, '0');
    for (int i = kDecimals - 1; i >= 0; --i) {
      digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

Result<Quantity> Quantity::add(Quantity o) const {
  int64_t r = 0;
  if (__builtin_add_overflow(milli_, o.milli_, &r)) return overflow();
  return Quantity(r);
}

Result<Quantity> Quantity::sub(Quantity o) const {
  int64_t r = 0;
  if (__builtin_sub_overflow(milli_, o.milli_, &r)) return overflow();
  return Quantity(r);
}

}  // namespace o2c
