#include "core/decimal.h"

#include "core/text.h"

#include <limits>

namespace o2c {
namespace {
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;
}  // namespace

Result<int64_t> parse_scaled(std::string_view text, int decimals) {
  auto invalid = [&] {
    return Error::invalid("invalid_number", quoted_excerpt(text) + " is not a decimal number");
  };
  if (text.empty() || text.size() > 60) return invalid();
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i >= text.size()) return invalid();
  u128 acc = 0;
  int int_digits = 0, frac_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point || int_digits == 0) return invalid();
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return invalid();
    if (seen_point) {
      ++frac_digits;
      if (frac_digits > decimals) {
        return Error::invalid("too_many_decimals",
                              "at most " + std::to_string(decimals) + " decimals are allowed");
      }
    } else {
      ++int_digits;
    }
    acc = acc * 10 + static_cast<unsigned>(c - '0');
    if (acc > (static_cast<u128>(1) << 100)) {
      return Error::invalid("number_out_of_range", "the number is too large");
    }
  }
  if (seen_point && frac_digits == 0) return invalid();
  for (int k = frac_digits; k < decimals; ++k) {
    // Checked at each step: the padding must not wrap for large `decimals`.
    if (acc > static_cast<u128>(std::numeric_limits<int64_t>::max())) break;
    acc *= 10;
  }
  if (acc > static_cast<u128>(std::numeric_limits<int64_t>::max())) {
    return Error::invalid("number_out_of_range", "the number is too large");
  }
  auto v = static_cast<int64_t>(acc);
  return negative ? -v : v;
}

std::string format_scaled(int64_t value, int decimals, bool trim, int min_decimals) {
  bool negative = value < 0;
  u128 mag = negative ? static_cast<u128>(-static_cast<i128>(value))
                                   : static_cast<u128>(value);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag > 0);
  while (static_cast<int>(digits.size()) <= decimals) digits.insert(digits.begin(), '0');
  std::string int_part = digits.substr(0, digits.size() - static_cast<size_t>(decimals));
  std::string frac = digits.substr(digits.size() - static_cast<size_t>(decimals));
  if (trim) {
    while (static_cast<int>(frac.size()) > min_decimals && !frac.empty() && frac.back() == '0') {
      frac.pop_back();
    }
  }
  bool is_zero = value == 0;
  std::string out = (negative && !is_zero) ? "-" : "";
  out += int_part;
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace o2c
