#pragma once
// Web sign-in sessions for the console and the portal. Signing in with an
// API token or a name and password opens a server-side session: a random
// secret goes to the browser in an HttpOnly cookie, only its SHA-256 is
// stored, with the user, a CSRF token and an expiry. A session authenticates
// as its user would with a token (same role, same customer for a portal
// user); signing out revokes it.
#include <optional>
#include <string>

#include "app/context.h"
#include "core/result.h"

namespace o2c::app {

// A session lasts a working day, then its user signs in again.
constexpr int64_t kSessionSeconds = 8 * 3600;

struct Credentials {
  std::optional<std::string> token;
  std::optional<std::string> name;
  std::optional<std::string> password;
};

// Checks the form: a token, or a name and a password, not both (400).
Status validate_credentials(const Credentials& c);
// The user the credentials belong to, else 401 invalid_credentials with one
// message whatever was wrong (unknown user, no password set, wrong password,
// unknown or revoked token), so that a caller cannot learn which names exist.
// Reads in its own units of work; the password check (scrypt, ~100 ms) runs
// outside them, and an unknown name costs the same check against a decoy.
Result<Actor> check_credentials(store::Database& db, const Credentials& c);

struct OpenedSession {
  int64_t id = 0;
  std::string secret;  // for the cookie; the only time it exists in plain
  std::string csrf_token;
  std::string expires_at;  // RFC 3339 UTC
};
// Opens a session for ctx.actor, who has just proved who they are; audited.
Result<OpenedSession> open_session(Context& ctx);

struct SessionAuth {
  Actor actor;
  int64_t id = 0;
  std::string csrf_token;
  std::string expires_at;
};
// The session a cookie's secret opens at instant `now` (RFC 3339 UTC), or
// 401 invalid_session when it is unknown, revoked or expired.
Result<SessionAuth> authenticate_session(store::UnitOfWork& uow, const std::string& secret, const std::string& now);

// Revokes the session (signing out); audited. Revoking a revoked one changes nothing.
Status revoke_session(Context& ctx, int64_t session_id);

}  // namespace o2c::app
