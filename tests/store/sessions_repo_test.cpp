// store::sessions on every engine: a session is found by its secret's hash
// with its user, revoking is once, and a secret hash cannot be stored twice.
#include <gtest/gtest.h>

#include "store/repos.h"
#include "store/sessions_repo.h"
#include "store_fixture.h"

namespace o2c::store {
namespace {

class SessionsRepo : public StoreTest {
 protected:
  UserId user(const std::string& name) {
    auto tx = db().begin(TxMode::write);
    UserId id = users::insert(*tx, name, "accountant", std::nullopt, std::nullopt, "2026-01-15T08:00:00.000Z");
    tx->commit();
    return id;
  }
  sessions::NewSession session_of(UserId u, const std::string& hash) {
    return {hash, u, "csrf-" + hash, "2026-01-15T08:00:00.000Z", "2026-01-15T16:00:00.000Z"};
  }
};

TEST_F(SessionsRepo, FoundByItsSecretHashWithItsUser) {
  const UserId ann = user("ann");
  int64_t id = 0;
  {
    auto tx = db().begin(TxMode::write);
    id = sessions::insert(*tx, session_of(ann, "h1"));
    tx->commit();
  }
  auto tx = db().begin(TxMode::read);
  auto s = sessions::by_secret_hash(*tx, "h1");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->id, id);
  EXPECT_EQ(s->user.id, ann);
  EXPECT_EQ(s->user.name, "ann");
  EXPECT_EQ(s->user.role, "accountant");
  EXPECT_FALSE(s->user.customer_id.has_value());
  EXPECT_EQ(s->csrf_token, "csrf-h1");
  EXPECT_EQ(s->expires_at, "2026-01-15T16:00:00.000Z");
  EXPECT_FALSE(s->revoked_at.has_value());
  EXPECT_FALSE(sessions::by_secret_hash(*tx, "h2").has_value());
}

TEST_F(SessionsRepo, RevokingHappensOnceAndOnlyToThatSession) {
  const UserId ann = user("ann");
  auto tx = db().begin(TxMode::write);
  const int64_t a = sessions::insert(*tx, session_of(ann, "a"));
  sessions::insert(*tx, session_of(ann, "b"));
  EXPECT_TRUE(sessions::revoke(*tx, a, "2026-01-15T09:00:00.000Z"));
  EXPECT_FALSE(sessions::revoke(*tx, a, "2026-01-15T10:00:00.000Z"));
  EXPECT_FALSE(sessions::revoke(*tx, a + 1000, "2026-01-15T10:00:00.000Z"));
  tx->commit();
  auto read = db().begin(TxMode::read);
  EXPECT_EQ(sessions::by_secret_hash(*read, "a")->revoked_at, "2026-01-15T09:00:00.000Z");
  EXPECT_FALSE(sessions::by_secret_hash(*read, "b")->revoked_at.has_value());
}

TEST_F(SessionsRepo, ASecretHashIsStoredOnce) {
  const UserId ann = user("ann");
  {
    auto tx = db().begin(TxMode::write);
    sessions::insert(*tx, session_of(ann, "same"));
    tx->commit();
  }
  Error e = error_of([&] {
    auto tx = db().begin(TxMode::write);
    sessions::insert(*tx, session_of(ann, "same"));
    tx->commit();
  });
  EXPECT_EQ(e.kind, ErrorKind::conflict) << e.message;
  EXPECT_EQ(count_rows(db(), "sessions"), 1);
}

}  // namespace
}  // namespace o2c::store
