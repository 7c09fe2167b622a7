#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.h"

namespace o2c::store {
namespace {

TEST_F(StoreTest, ConcurrentWritersLoseNoIncrement) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  {
    auto tx = db().begin(TxMode::write);
    tx->exec("INSERT INTO counters (name, value) VALUES (?, 0)", {std::string("hits")});
    tx->commit();
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          // Read, then write what was read plus one: without the row lock
          // (FOR UPDATE on PostgreSQL, the one writer on SQLite) two units
          // would read the same value and one increment would be lost.
          write_with_retry(db(), [](UnitOfWork& tx) {
            const std::string select =
                "SELECT value FROM counters WHERE name = ?" + std::string(tx.for_update());
            const int64_t v = tx.query_one(select, {std::string("hits")})->i64(0);
            tx.exec("UPDATE counters SET value = ? WHERE name = ?", {v + 1, std::string("hits")});
          });
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(
      tx->query_one("SELECT value FROM counters WHERE name = ?", {std::string("hits")})->i64(0),
      kThreads * kPerThread);
}

TEST_F(StoreTest, ReadersRunBesideTheWriterOnStableSnapshots) {
  constexpr int kInserts = 150;
  std::atomic<bool> done{false};
  std::atomic<int> problems{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      int64_t last = 0;
      try {
        while (!done.load()) {
          auto tx = db().begin(TxMode::read);
          const int64_t a = tx->query_one("SELECT COUNT(*) FROM counters")->i64(0);
          std::this_thread::yield();
          const int64_t b = tx->query_one("SELECT COUNT(*) FROM counters")->i64(0);
          // One snapshot per unit; committed rows never disappear.
          if (a != b || a < last) ++problems;
          last = a;
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++problems;
      }
    });
  }
  for (int i = 0; i < kInserts; ++i) {
    write_with_retry(db(), [i](UnitOfWork& tx) {
      tx.exec("INSERT INTO counters (name, value) VALUES (?, ?)",
              {"c" + std::to_string(i), int64_t{i}});
    });
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(problems.load(), 0);
  EXPECT_EQ(count_rows(db(), "counters"), kInserts);
}

}  // namespace
}  // namespace o2c::store
