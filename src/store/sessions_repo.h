#pragma once
// Typed access to `sessions`: web sign-ins. Only the SHA-256 of a session's
// secret is stored. Every function runs in the caller's unit of work.
#include <optional>
#include <string>

#include "core/id.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::sessions {

struct NewSession {
  std::string secret_hash;
  UserId user;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
};

struct Session {
  int64_t id = 0;
  User user;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};

// Returns the new session's id.
int64_t insert(UnitOfWork& uow, const NewSession& s);
// The session with this secret hash and its user, revoked or expired ones included
// (the caller decides what is still valid).
std::optional<Session> by_secret_hash(UnitOfWork& uow, const std::string& secret_hash);
// Marks the session revoked at `at`; false when it was already revoked or does not exist.
bool revoke(UnitOfWork& uow, int64_t id, const std::string& at);

}  // namespace o2c::store::sessions
