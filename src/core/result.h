#pragma once
// A small std::expected look-alike: clang-tidy 14 cannot parse <expected>.
#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "core/error.h"

namespace o2c {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *e_; }
  Error&& take_error() { assert(!ok()); return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace o2c

// Propagate an error out of the enclosing function returning a Result.
#define O2C_TRY(expr)                                   \
  do {                                                  \
    auto o2c_try_r_ = (expr);                           \
    if (!o2c_try_r_.ok()) return o2c_try_r_.take_error(); \
  } while (0)

#define O2C_CONCAT_INNER(a, b) a##b
#define O2C_CONCAT(a, b) O2C_CONCAT_INNER(a, b)
#define O2C_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.take_error();         \
  lhs = std::move(tmp).value()
#define O2C_ASSIGN_OR_RETURN(lhs, expr) \
  O2C_ASSIGN_OR_RETURN_IMPL(O2C_CONCAT(o2c_r_, __LINE__), lhs, expr)
