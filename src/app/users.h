#pragma once
// Users, roles and API tokens. A token is shown once, at creation; only its
// SHA-256 is stored, so a stolen database yields no usable token.
#include <optional>
#include <string>

#include "app/context.h"
#include "core/result.h"

namespace o2c::app {

struct NewUser {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> customer_id;  // portal users only
  std::optional<std::string> password;     // optional; for the web sign-in
  // Filled by prepare_password() before the unit of work begins: scrypt takes
  // ~100 ms and must not hold the writer (and a whole commit batch) meanwhile.
  std::optional<std::string> password_hash;
};

// Checks the password's strength and hashes it; call outside any unit of work.
Status prepare_password(NewUser& u);

struct CreatedUser {
  Actor user;
  std::string token;  // the only time the plain token exists
};

constexpr size_t kPasswordMin = 10;

Result<CreatedUser> create_user(Context& ctx, const NewUser& u);
// Outside a request (the CLI, start-up): its own write transaction, audited as `actor`.
Result<CreatedUser> create_user(store::Database& db, const Clock& clock, const NewUser& u,
                                const std::string& actor = "cli");
// A fresh token for an existing user (e.g. the demo users at each start).
Result<std::string> issue_token(store::Database& db, const Clock& clock, const std::string& user_name,
                                const std::string& actor = "cli");

// The user a bearer token belongs to, or 401 invalid_token.
Result<Actor> authenticate(store::UnitOfWork& uow, const std::string& token);

}  // namespace o2c::app
