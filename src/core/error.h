#pragma once
// One error vocabulary for the whole program. The code is a stable snake_case
// name: it is written to the API's error body and must never be renamed.
#include <string>
#include <utility>

namespace o2c {

enum class ErrorKind {
  malformed,      // 400: the request cannot be read at all
  unauthorized,   // 401
  forbidden,      // 403
  not_found,      // 404
  conflict,       // 409: conflicts with the current state
  unprocessable,  // 422: readable, but breaks a business rule
  too_many,       // 429: too many attempts; try again later
  unavailable,    // 503: storage busy or down; safe to retry
  internal,       // 500: a bug or an unexpected environment failure
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;     // e.g. "unknown_currency"
  std::string message;  // for a person
  std::string field;    // e.g. "lines[0].quantity"; empty when no single field is at fault

  static Error malformed(std::string code, std::string message, std::string field = {}) {
    return {ErrorKind::malformed, std::move(code), std::move(message), std::move(field)};
  }
  static Error invalid(std::string code, std::string message, std::string field = {}) {
    return {ErrorKind::unprocessable, std::move(code), std::move(message), std::move(field)};
  }
  static Error not_found(std::string code, std::string message, std::string field = {}) {
    return {ErrorKind::not_found, std::move(code), std::move(message), std::move(field)};
  }
  static Error conflict(std::string code, std::string message, std::string field = {}) {
    return {ErrorKind::conflict, std::move(code), std::move(message), std::move(field)};
  }
  static Error internal(std::string message) {
    return {ErrorKind::internal, "internal_error", std::move(message), {}};
  }
};

// Thrown only across layers that cannot return a Result (e.g. out of a
// storage driver deep in a unit of work); caught and mapped at the edge.
struct ErrorException : std::exception {
  Error error;
  explicit ErrorException(Error e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
};

}  // namespace o2c
