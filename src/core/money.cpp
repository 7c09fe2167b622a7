#include "core/text.h"
#include "core/money.h"

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <utility>

namespace o2c {
namespace {

__extension__ typedef unsigned __int128 UInt128;

// |INT64_MIN|: the largest magnitude a negative amount may have.
constexpr uint64_t kMaxNegativeMagnitude = uint64_t{1} << 63;

// The offending text, cut short: it goes into an error body, and the input
// may be arbitrarily long.
std::string quoted(std::string_view text) {
  return quoted_excerpt(text);
}

Error invalid_amount(std::string_view text) {
  return Error::invalid("invalid_amount", quoted(text) + " is not a plain decimal amount");
}

Error overflow() { return Error::invalid("amount_overflow", "the amount is too large to represent"); }

Error mismatch(const Money& a, const Money& b) {
  return Error::invalid("currency_mismatch", "cannot combine " + std::string(a.currency().code()) + " with " +
                                                 std::string(b.currency().code()));
}

Error invalid_split(std::string message) { return Error::invalid("invalid_split", std::move(message)); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Magnitude of an int64 without negating INT64_MIN.
uint64_t magnitude(int64_t v) { return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

}  // namespace

bool round_half_away(Int128 value, Int128 den, int64_t* out) {
  if (den <= 0) return false;
  Int128 q = value / den;  // truncates toward zero
  Int128 r = value % den;  // same sign as value, |r| < den
  const Int128 abs_r = r < 0 ? -r : r;
  // |r| >= den - |r| is 2|r| >= den without the doubling that could overflow.
  if (abs_r >= den - abs_r) q += value < 0 ? -1 : 1;
  if (q < INT64_MIN || q > INT64_MAX) return false;
  *out = static_cast<int64_t>(q);
  return true;
}

Result<Money> Money::parse(std::string_view text, Currency currency) {
  // Grammar: -?[0-9]+(\.[0-9]+)?  Leading zeros are harmless ("007" is 7) and
  // accepted, as parse_scaled does for the other decimals of the API.
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  const std::size_t int_begin = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  const std::string_view int_part = text.substr(int_begin, pos - int_begin);
  if (int_part.empty()) return invalid_amount(text);

  std::string_view frac_part;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t frac_begin = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    frac_part = text.substr(frac_begin, pos - frac_begin);
    if (frac_part.empty()) return invalid_amount(text);
  }
  if (pos != text.size()) return invalid_amount(text);

  const int exponent = currency.exponent();
  if (frac_part.size() > static_cast<std::size_t>(exponent)) {
    return Error::invalid("too_many_decimals", std::string(currency.code()) + " allows at most " +
                                                   std::to_string(exponent) + " decimal places");
  }

  const uint64_t limit = negative ? kMaxNegativeMagnitude : static_cast<uint64_t>(INT64_MAX);
  const auto out_of_range = [&] {
    return Error::invalid("amount_out_of_range", quoted(text) + " is outside the supported range");
  };
  // Accumulate in 128 bits and stop as soon as the limit is passed, so an
  // arbitrarily long run of digits can never wrap.
  UInt128 mag = 0;
  const auto push_digit = [&](char c) {
    mag = mag * 10 + static_cast<unsigned>(c - '0');
    return mag <= limit;
  };
  for (char c : int_part) {
    if (!push_digit(c)) return out_of_range();
  }
  for (char c : frac_part) {
    if (!push_digit(c)) return out_of_range();
  }
  for (std::size_t i = frac_part.size(); i < static_cast<std::size_t>(exponent); ++i) {
    if (!push_digit('0')) return out_of_range();
  }

  const auto m = static_cast<uint64_t>(mag);
  // Two's-complement negation of the magnitude: well defined for 2^63 too.
  const int64_t minor = negative ? static_cast<int64_t>(uint64_t{0} - m) : static_cast<int64_t>(m);
  return Money(minor, currency);
}

std::string Money::to_string() const {
  const uint64_t mag = magnitude(minor_);
  const auto scale = static_cast<uint64_t>(currency_.scale());
  std::string out;
  if (minor_ < 0) out += '-';
  out += std::to_string(mag / scale);
  const int exponent = currency_.exponent();
  if (exponent > 0) {
    std::string frac = std::to_string(mag % scale);
    out += '.';
    out.append(static_cast<std::size_t>(exponent) - frac.size(), '0');
    out += frac;
  }
  return out;
}

Result<Money> Money::add(const Money& o) const {
  if (!(currency_ == o.currency_)) return mismatch(*this, o);
  int64_t r = 0;
  if (__builtin_add_overflow(minor_, o.minor_, &r)) return overflow();
  return Money(r, currency_);
}

Result<Money> Money::sub(const Money& o) const {
  if (!(currency_ == o.currency_)) return mismatch(*this, o);
  int64_t r = 0;
  if (__builtin_sub_overflow(minor_, o.minor_, &r)) return overflow();
  return Money(r, currency_);
}

Result<Money> Money::negate() const {
  int64_t r = 0;
  if (__builtin_sub_overflow(int64_t{0}, minor_, &r)) return overflow();
  return Money(r, currency_);
}

Result<Money> Money::times(int64_t factor) const {
  int64_t r = 0;
  if (__builtin_mul_overflow(minor_, factor, &r)) return overflow();
  return Money(r, currency_);
}

Result<Money> Money::mul_ratio(int64_t num, int64_t den) const {
  if (den <= 0) return Error::invalid("invalid_ratio", "the ratio's denominator must be positive");
  // |minor * num| <= 2^126: the product always fits in 128 bits.
  const Int128 product = static_cast<Int128>(minor_) * num;
  int64_t r = 0;
  if (!round_half_away(product, den, &r)) return overflow();
  return Money(r, currency_);
}

Result<std::vector<Money>> Money::split(int n) const {
  if (n < 1) return invalid_split("cannot split into " + std::to_string(n) + " parts");
  // Division truncates toward zero, so for a negative amount q and r are both
  // non-positive and the first |r| parts get one more unit of magnitude.
  const int64_t q = minor_ / n;
  const int64_t r = minor_ % n;
  const int64_t extra = r < 0 ? -1 : 1;
  const auto with_extra = static_cast<std::size_t>(r < 0 ? -r : r);
  std::vector<Money> parts;
  parts.reserve(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    parts.emplace_back(i < with_extra ? q + extra : q, currency_);
  }
  return parts;
}

Result<std::vector<Money>> Money::allocate(const std::vector<int64_t>& weights) const {
  if (weights.empty()) return invalid_split("allocation needs at least one weight");
  Int128 total = 0;  // n weights below 2^63 each cannot overflow 128 bits
  for (int64_t w : weights) {
    if (w < 0) return invalid_split("allocation weights must not be negative");
    total += w;
  }
  if (total == 0) return invalid_split("allocation needs at least one positive weight");

  // Each share is truncated toward zero; what is left over (fewer units than
  // there are weights) goes one unit at a time to the largest remainders.
  const std::size_t n = weights.size();
  std::vector<int64_t> parts(n);
  std::vector<Int128> remainders(n);
  Int128 assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Int128 exact = static_cast<Int128>(minor_) * weights[i];
    parts[i] = static_cast<int64_t>(exact / total);  // |share| <= |minor|
    const Int128 rem = exact % total;
    remainders[i] = rem < 0 ? -rem : rem;
    assigned += parts[i];
  }
  const Int128 leftover = static_cast<Int128>(minor_) - assigned;
  const auto units = static_cast<std::size_t>(leftover < 0 ? -leftover : leftover);
  const int64_t unit = leftover < 0 ? -1 : 1;

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Stable, so equal remainders keep index order: lower index wins a tie.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; k < units; ++k) parts[order[k]] += unit;

  std::vector<Money> result;
  result.reserve(n);
  for (int64_t p : parts) result.emplace_back(p, currency_);
  return result;
}

}  // namespace o2c
