#include "security/attempt_limiter.h"

#include <gtest/gtest.h>

namespace o2c::security {
namespace {

constexpr int64_t kMinute = 60'000;

TEST(AttemptLimiter, AKeyIsBlockedAfterTooManyFailuresUntilTheOldestLeavesTheWindow) {
  AttemptLimiter limiter(3, 10 * kMinute);
  limiter.record_failure("ip:1", 0);
  limiter.record_failure("ip:1", 1 * kMinute);
  EXPECT_FALSE(limiter.blocked_for("ip:1", 1 * kMinute));
  limiter.record_failure("ip:1", 2 * kMinute);
  ASSERT_TRUE(limiter.blocked_for("ip:1", 2 * kMinute));
  EXPECT_EQ(*limiter.blocked_for("ip:1", 2 * kMinute), 8 * kMinute);  // the first failure leaves at 10 min
  EXPECT_EQ(*limiter.blocked_for("ip:1", 10 * kMinute - 1), 1);
  EXPECT_FALSE(limiter.blocked_for("ip:1", 10 * kMinute));
  // One more failure at once blocks again until the second leaves.
  limiter.record_failure("ip:1", 10 * kMinute);
  EXPECT_EQ(*limiter.blocked_for("ip:1", 10 * kMinute), 1 * kMinute);
}

TEST(AttemptLimiter, KeysAreCountedApartAndASuccessClearsOne) {
  AttemptLimiter limiter(2, kMinute);
  limiter.record_failure("name:ann", 0);
  limiter.record_failure("name:ann", 1);
  limiter.record_failure("name:bob", 1);
  EXPECT_TRUE(limiter.blocked_for("name:ann", 2));
  EXPECT_FALSE(limiter.blocked_for("name:bob", 2));
  EXPECT_FALSE(limiter.blocked_for("name:carl", 2));
  limiter.record_success("name:ann");
  EXPECT_FALSE(limiter.blocked_for("name:ann", 2));
}

TEST(AttemptLimiter, MemoryIsBoundedByDroppingExpiredThenStalestKeys) {
  AttemptLimiter limiter(1, kMinute, 3);
  limiter.record_failure("a", 0);
  limiter.record_failure("b", 10);
  limiter.record_failure("c", 20);
  EXPECT_EQ(limiter.keys(), 3u);
  // Nothing expired yet: the stalest key ("a") goes.
  limiter.record_failure("d", 30);
  EXPECT_EQ(limiter.keys(), 3u);
  EXPECT_FALSE(limiter.blocked_for("a", 30));
  EXPECT_TRUE(limiter.blocked_for("b", 30));
  // Later every old key has expired: all are dropped, the new one kept.
  limiter.record_failure("e", 2 * kMinute);
  EXPECT_EQ(limiter.keys(), 1u);
  EXPECT_TRUE(limiter.blocked_for("e", 2 * kMinute));
}

}  // namespace
}  // namespace o2c::security
