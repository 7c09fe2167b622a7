#include <string>

#include "core/error.h"
#include "store/db.h"

namespace o2c::store {

int64_t Row::i64(size_t i) const {
  const Value& v = cols_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  // Strict on purpose: silently parsing text would hide a schema or query
  // mistake (a TEXT column read as a number) on one engine but not the other.
  throw ErrorException(Error::internal("column " + std::to_string(i) + " is " +
                                       (is_null(i) ? "NULL" : "text") + ", not an integer"));
}

std::string Row::text(size_t i) const {
  const Value& v = cols_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  return {};
}

std::optional<std::string> Row::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<int64_t> Row::opt_i64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

}  // namespace o2c::store
