#include <gtest/gtest.h>

#include "store/bench_store.h"
#include "test_db.h"

namespace o2c::store {
namespace {

TEST(BenchStore, RunsOrderShapedTransactionsAndCountsThem) {
  auto tdb = test::make_test_database();
  const BenchResult r = bench_store(tdb->db(), 1, 2);
  EXPECT_GT(r.count, 0);
  EXPECT_GT(r.tx_per_s, 0);
  EXPECT_GT(r.p50_us, 0);
  EXPECT_LE(r.p50_us, r.p99_us);
  EXPECT_EQ(r.threads, 2);
  EXPECT_GE(r.seconds, 1.0);
  if (tdb->engine() == Engine::sqlite) {
    EXPECT_GT(r.commits, 0);
    EXPECT_GE(r.tx_per_commit, 1.0);  // two writers may share a COMMIT
  } else {
    EXPECT_EQ(r.commits, 0);
  }
  // A second run on the same database reuses its tables.
  const BenchResult again = bench_store(tdb->db(), 1, 1);
  EXPECT_GT(again.count, 0);
}

}  // namespace
}  // namespace o2c::store
