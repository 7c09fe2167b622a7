#include "app/sessions.h"

#include "app/audit.h"
#include "core/instant.h"
#include "security/crypto.h"
#include "store/repos.h"
#include "store/sessions_repo.h"

namespace o2c::app {
namespace {

constexpr size_t kSessionSecretBytes = 32;  // 256 bits, like an API token
constexpr size_t kCsrfTokenBytes = 32;
// Longest credential field read; more is not a credential this server issued.
constexpr size_t kCredentialMax = 1024;

Error invalid_credentials() {
  return Error{ErrorKind::unauthorized, "invalid_credentials", "the sign-in credentials are not valid", ""};
}

Actor actor_of(const store::User& u) {
  return Actor{u.id, u.name, role_from(u.role).value_or(Role::viewer), u.customer_id};
}

// A hash no password matches, checked when the name is unknown or has no
// password, so that those answers take as long as a wrong password.
const std::string& decoy_hash() {
  static const std::string hash = security::hash_password(security::random_hex(32));
  return hash;
}

}  // namespace

Status validate_credentials(const Credentials& c) {
  const bool token = c.token.has_value();
  const bool name = c.name.has_value();
  const bool password = c.password.has_value();
  if (token && (name || password)) {
    return Error::malformed("ambiguous_credentials", "send either a token, or a name and a password", "token");
  }
  if (!token && !name && !password) {
    return Error::malformed("missing_credentials", "send a token, or a name and a password", "token");
  }
  if (!token && !name) return Error::malformed("missing_field", "name is required with a password", "name");
  if (!token && !password) return Error::malformed("missing_field", "password is required with a name", "password");
  for (const auto* f : {&c.token, &c.name, &c.password}) {
    if (f->has_value() && (*f)->size() > kCredentialMax) {
      return Error::malformed("field_too_long",
                              "a credential has at most " + std::to_string(kCredentialMax) + " characters",
                              f == &c.token ? "token" : f == &c.name ? "name" : "password");
    }
  }
  return {};
}

Result<Actor> check_credentials(store::Database& db, const Credentials& c) {
  O2C_TRY(validate_credentials(c));
  if (c.token) {
    auto uow = db.begin(store::TxMode::read);
    auto user = store::users::by_token_hash(*uow, security::sha256_hex(*c.token));
    if (!user) return invalid_credentials();
    return actor_of(*user);
  }
  std::optional<store::User> user;
  std::optional<std::string> stored;
  {
    auto uow = db.begin(store::TxMode::read);
    user = store::users::find_by_name(*uow, *c.name);
    if (user) stored = store::users::password_hash(*uow, user->id);
  }
  const bool matches = security::verify_password(*c.password, stored ? *stored : decoy_hash());
  if (!user || !stored || !matches) return invalid_credentials();
  return actor_of(*user);
}

Result<OpenedSession> open_session(Context& ctx) {
  const std::string now = ctx.clock.now_rfc3339();
  O2C_ASSIGN_OR_RETURN(const int64_t now_ms, parse_instant_ms(now));
  OpenedSession s;
  s.secret = security::random_hex(kSessionSecretBytes);
  s.csrf_token = security::random_hex(kCsrfTokenBytes);
  s.expires_at = format_instant_ms(now_ms + kSessionSeconds * 1000);
  s.id = store::sessions::insert(ctx.uow, {security::sha256_hex(s.secret), ctx.actor.id, s.csrf_token, now, s.expires_at});
  record_event(ctx, "session", std::to_string(s.id), "opened",
               {{"user", ctx.actor.name}, {"expires_at", s.expires_at}});
  return s;
}

Result<SessionAuth> authenticate_session(store::UnitOfWork& uow, const std::string& secret, const std::string& now) {
  const Error refused{ErrorKind::unauthorized, "invalid_session",
                      "the session is not valid (signed out or expired): sign in again", ""};
  if (secret.empty() || secret.size() > kCredentialMax) return refused;
  auto s = store::sessions::by_secret_hash(uow, security::sha256_hex(secret));
  if (!s || s->revoked_at) return refused;
  O2C_ASSIGN_OR_RETURN(const int64_t now_ms, parse_instant_ms(now));
  auto expires = parse_instant_ms(s->expires_at);
  if (!expires.ok() || *expires <= now_ms) return refused;
  return SessionAuth{actor_of(s->user), s->id, s->csrf_token, s->expires_at};
}

Status revoke_session(Context& ctx, int64_t session_id) {
  if (store::sessions::revoke(ctx.uow, session_id, ctx.clock.now_rfc3339())) {
    record_event(ctx, "session", std::to_string(session_id), "revoked", {{"user", ctx.actor.name}});
  }
  return {};
}

}  // namespace o2c::app
