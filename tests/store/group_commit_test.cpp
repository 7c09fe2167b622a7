// Concurrent write units: all land, a failing one takes none of the others
// down, commit() returns only once durable, writers are served in order. On
// SQLite these exercise group commit (units sharing one COMMIT); the tests
// that steer a batch step by step are SQLite-only.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store_fixture.h"

namespace o2c::store {
namespace {

using namespace std::chrono_literals;

void insert_counter(UnitOfWork& tx, const std::string& name, int64_t value = 0) {
  tx.exec("INSERT INTO counters (name, value) VALUES (?, ?)", {name, value});
}

bool has_counter(Database& db, const std::string& name) {
  auto tx = db.begin(TxMode::read);
  return tx->query_one("SELECT 1 FROM counters WHERE name = ?", {name}).has_value();
}

SqliteWriterStats stats_of(Database& db) {
  const auto s = sqlite_writer_stats(db);
  if (!s) throw ErrorException(Error::internal("not a SQLite database"));
  return *s;
}

// Waits until `n` threads stand in line for the SQLite writer.
void wait_until_queued(Database& db, int n) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (stats_of(db).queued < n) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw ErrorException(Error::internal("timed out waiting for queued writers"));
    }
    std::this_thread::sleep_for(1ms);
  }
}

// For the step-by-step tests: a batch stays open while writers line up,
// however slowly the test threads start (sanitizers).
void hold_batches_open(Database& db) {
  sqlite_set_batch_limits_for_testing(db, 128, std::chrono::minutes(1));
}

// The error `fn` throws, if any.
std::optional<Error> error_if_any(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ErrorException& e) {
    return e.error;
  }
  return std::nullopt;
}

TEST_F(StoreTest, ManyThreadsCommittingConcurrentlyAllLand) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 100;
  {
    auto tx = db().begin(TxMode::write);
    insert_counter(*tx, "total");
    tx->commit();
  }
  const auto before = sqlite_writer_stats(db());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          write_with_retry(db(), [&](UnitOfWork& tx) {
            insert_counter(tx, "t" + std::to_string(t) + "-" + std::to_string(i), i);
            tx.exec("UPDATE counters SET value = value + 1 WHERE name = ?",
                    {std::string("total")});
          });
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(count_rows(db(), "counters"), kThreads * kPerThread + 1);
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->query_one("SELECT value FROM counters WHERE name = 'total'")->i64(0),
            kThreads * kPerThread);
  EXPECT_EQ(tx->query_one("SELECT SUM(value) FROM counters WHERE name <> 'total'")->i64(0),
            kThreads * (kPerThread * (kPerThread - 1) / 2));
  if (before) {
    const SqliteWriterStats after = stats_of(db());
    EXPECT_EQ(after.units_committed - before->units_committed, kThreads * kPerThread);
    // Sixteen writers on two cores queue up: some units shared a COMMIT.
    EXPECT_LT(after.commits - before->commits, kThreads * kPerThread);
    EXPECT_GT(after.largest_batch, 1);
    EXPECT_LE(after.largest_batch, 128);
    EXPECT_EQ(after.failed_commits, 0);
  }
}

TEST_F(StoreTest, FailingAndRolledBackUnitsAmongBusyWritersLoseNoOtherWrite) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  {
    auto tx = db().begin(TxMode::write);
    insert_counter(*tx, "taken");
    tx->commit();
  }
  std::atomic<int> failures{0};
  std::atomic<int> expected_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
          auto tx = db().begin(TxMode::write);
          insert_counter(*tx, name);
          switch (i % 5) {
            case 0:  // plain
              tx->commit();
              break;
            case 1: {  // a unique violation aborts the unit; dropped
              const auto e = error_if_any([&] { insert_counter(*tx, "taken"); });
              if (e && e->code == "duplicate") ++expected_errors;
              EXPECT_THROW(insert_counter(*tx, name + "-after"), ErrorException);
              EXPECT_THROW(tx->commit(), ErrorException);
              break;
            }
            case 2:  // dropped without commit
              break;
            case 3: {  // recovers through its own savepoint
              tx->exec("SAVEPOINT retry");
              const auto e = error_if_any([&] { insert_counter(*tx, "taken"); });
              if (e && e->code == "duplicate") ++expected_errors;
              tx->exec("ROLLBACK TO SAVEPOINT retry");
              insert_counter(*tx, name + "-second");
              tx->exec("RELEASE SAVEPOINT retry");
              tx->commit();
              break;
            }
            case 4: {  // a NOT NULL violation, then commit() is refused
              const auto e = error_if_any([&] {
                tx->exec("INSERT INTO counters (name, value) VALUES (?, NULL)", {name + "-null"});
              });
              if (e && e->code == "constraint_violation") ++expected_errors;
              const auto c = error_if_any([&] { tx->commit(); });
              if (c) ++expected_errors;
              break;
            }
          }
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(expected_errors.load(), kThreads * (kPerThread / 5) * 4);
  // Kept per thread: 20 plain units, and 20 recovered ones with two rows each.
  EXPECT_EQ(count_rows(db(), "counters"), 1 + kThreads * (20 + 2 * 20));
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM counters WHERE name LIKE '%-second'")->i64(0),
            kThreads * 20);
  EXPECT_FALSE(tx->query_one("SELECT 1 FROM counters WHERE name LIKE '%-after' OR name LIKE "
                             "'%-null'")
                   .has_value());
  if (const auto s = sqlite_writer_stats(db())) EXPECT_EQ(s->failed_commits, 0);
}

TEST_F(StoreTest, CommitReturnsOnlyOnceTheUnitIsDurableAndVisible) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  // Another handle on the same database stands for another process.
  auto other = open_database(tdb_->target());
  std::atomic<int> failures{0};
  std::atomic<int> unseen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string name = "d" + std::to_string(t) + "-" + std::to_string(i);
          write_with_retry(db(), [&](UnitOfWork& tx) { insert_counter(tx, name); });
          if (!has_counter(*other, name)) ++unseen;
          if (!has_counter(db(), name)) ++unseen;
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(unseen.load(), 0);
  EXPECT_EQ(count_rows(*other, "counters"), kThreads * kPerThread);
}

// --- SQLite group commit, step by step -------------------------------------

TEST_F(StoreTest, ACommittedUnitWaitsForItsBatchWhichTheLastUnitCommitsEvenWhenDropped) {
  if (on_postgres()) GTEST_SKIP() << "SQLite group commit";
  hold_batches_open(db());
  const SqliteWriterStats before = stats_of(db());
  auto a = db().begin(TxMode::write);
  insert_counter(*a, "a");
  std::atomic<bool> a_returned{false};
  std::atomic<bool> a_waited{false};
  std::atomic<int64_t> seen_by_reader{-1};
  std::thread b([&] {
    try {
      auto tx = db().begin(TxMode::write);  // in line behind a; gets the open batch
      insert_counter(*tx, "b");
      EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM counters")->i64(0), 2);
      // a has committed into the batch, which is not durable yet: a waits,
      // and readers see nothing of it.
      seen_by_reader = count_rows(db(), "counters");
      std::this_thread::sleep_for(50ms);
      a_waited = !a_returned.load();
      // Dropped: b's writes go, and as the batch's last unit it commits a's.
    } catch (const ErrorException& e) {
      ADD_FAILURE() << e.what();
    }
  });
  wait_until_queued(db(), 1);
  a->commit();
  a_returned = true;
  b.join();
  EXPECT_TRUE(a_waited.load());
  EXPECT_EQ(seen_by_reader.load(), 0);
  EXPECT_TRUE(has_counter(db(), "a"));
  EXPECT_FALSE(has_counter(db(), "b"));
  const SqliteWriterStats after = stats_of(db());
  EXPECT_EQ(after.commits - before.commits, 1);
  EXPECT_EQ(after.units_committed - before.units_committed, 1);
}

TEST_F(StoreTest, AUnitFailingAStatementInsideABatchTakesNoOtherUnitDown) {
  if (on_postgres()) GTEST_SKIP() << "SQLite group commit";
  hold_batches_open(db());
  const SqliteWriterStats before = stats_of(db());
  auto a = db().begin(TxMode::write);
  insert_counter(*a, "a");
  std::optional<Error> b_error;
  std::thread b([&] {
    auto tx = db().begin(TxMode::write);
    // a's row is in the batch: a duplicate of it fails, and aborts b only.
    b_error = error_if_any([&] { insert_counter(*tx, "a"); });
    EXPECT_THROW(insert_counter(*tx, "b"), ErrorException);
  });
  wait_until_queued(db(), 1);
  std::thread c([&] {
    try {
      auto tx = db().begin(TxMode::write);
      insert_counter(*tx, "c");
      tx->commit();
    } catch (const ErrorException& e) {
      ADD_FAILURE() << e.what();
    }
  });
  wait_until_queued(db(), 2);
  a->commit();  // a -> b -> c; c, last in line, commits a and c
  b.join();
  c.join();
  ASSERT_TRUE(b_error.has_value());
  EXPECT_EQ(b_error->code, "duplicate");
  EXPECT_TRUE(has_counter(db(), "a"));
  EXPECT_FALSE(has_counter(db(), "b"));
  EXPECT_TRUE(has_counter(db(), "c"));
  const SqliteWriterStats after = stats_of(db());
  EXPECT_EQ(after.commits - before.commits, 1);
  EXPECT_EQ(after.units_committed - before.units_committed, 2);
}

// A stock row whose warehouse and product do not exist.
constexpr const char* kOrphanStock =
    "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved) VALUES (98, 99, 0, 0)";

TEST_F(StoreTest, ADeferredForeignKeyViolationFailsOnlyItsOwnUnitsCommit) {
  if (on_postgres()) GTEST_SKIP() << "SQLite group commit (PRAGMA defer_foreign_keys)";
  hold_batches_open(db());
  auto a = db().begin(TxMode::write);
  insert_counter(*a, "a");
  std::optional<Error> b_commit;
  std::optional<Error> c_immediate;
  std::thread b([&] {
    auto tx = db().begin(TxMode::write);
    tx->exec("PRAGMA defer_foreign_keys=ON");
    // No such warehouse or product: accepted for now, checked at commit.
    tx->exec(kOrphanStock);
    b_commit = error_if_any([&] { tx->commit(); });
  });
  wait_until_queued(db(), 1);
  std::thread c([&] {
    try {
      auto tx = db().begin(TxMode::write);
      // b's pragma ended with b: c's foreign keys are checked at once again.
      tx->exec("SAVEPOINT s");
      c_immediate = error_if_any([&] {
        tx->exec(kOrphanStock);
      });
      tx->exec("ROLLBACK TO s");
      insert_counter(*tx, "c");
      tx->commit();
    } catch (const ErrorException& e) {
      ADD_FAILURE() << e.what();
    }
  });
  wait_until_queued(db(), 2);
  a->commit();
  b.join();
  c.join();
  ASSERT_TRUE(b_commit.has_value());
  EXPECT_EQ(b_commit->kind, ErrorKind::unprocessable);
  EXPECT_EQ(b_commit->code, "constraint_violation");
  ASSERT_TRUE(c_immediate.has_value());
  EXPECT_EQ(c_immediate->code, "constraint_violation");
  EXPECT_TRUE(has_counter(db(), "a"));
  EXPECT_TRUE(has_counter(db(), "c"));
  EXPECT_EQ(count_rows(db(), "stock"), 0);
}

TEST_F(StoreTest, ABatchWhoseCommitFailsFailsEveryUnitInIt) {
  if (on_postgres()) GTEST_SKIP() << "SQLite group commit";
  hold_batches_open(db());
  const SqliteWriterStats before = stats_of(db());
  auto a = db().begin(TxMode::write);
  insert_counter(*a, "a");
  std::optional<Error> errors[2];
  std::vector<std::thread> others;
  for (int i = 0; i < 2; ++i) {
    others.emplace_back([&, i] {
      auto tx = db().begin(TxMode::write);
      insert_counter(*tx, i == 0 ? "b" : "c");
      errors[i] = error_if_any([&] { tx->commit(); });
    });
    wait_until_queued(db(), i + 1);
  }
  sqlite_fail_next_commits_for_testing(db(), 1);
  const std::optional<Error> a_error = error_if_any([&] { a->commit(); });
  for (auto& t : others) t.join();
  for (const auto& e : {a_error, errors[0], errors[1]}) {
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->kind, ErrorKind::internal);
    EXPECT_NE(e->message.find("batch failed"), std::string::npos) << e->message;
  }
  EXPECT_EQ(count_rows(db(), "counters"), 0);
  const SqliteWriterStats after = stats_of(db());
  EXPECT_EQ(after.commits - before.commits, 1);
  EXPECT_EQ(after.failed_commits - before.failed_commits, 1);
  EXPECT_EQ(after.units_committed, before.units_committed);
  // The writer is usable again.
  auto tx = db().begin(TxMode::write);
  insert_counter(*tx, "after");
  tx->commit();
  EXPECT_TRUE(has_counter(db(), "after"));
}

TEST_F(StoreTest, ABatchTakesNoMoreUnitsThanItsCap) {
  if (on_postgres()) GTEST_SKIP() << "SQLite group commit";
  sqlite_set_batch_limits_for_testing(db(), 2, std::chrono::minutes(1));
  const SqliteWriterStats before = stats_of(db());
  auto a = db().begin(TxMode::write);
  insert_counter(*a, "a");
  std::vector<std::thread> others;
  for (int i = 0; i < 2; ++i) {
    others.emplace_back([&, i] {
      try {
        auto tx = db().begin(TxMode::write);
        insert_counter(*tx, i == 0 ? "b" : "c");
        tx->commit();
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
      }
    });
    wait_until_queued(db(), i + 1);
  }
  a->commit();  // a and b fill the batch: b commits it although c is in line
  for (auto& t : others) t.join();
  const SqliteWriterStats after = stats_of(db());
  EXPECT_EQ(after.commits - before.commits, 2);
  EXPECT_EQ(after.units_committed - before.units_committed, 3);
  EXPECT_EQ(after.largest_batch, 2);
  EXPECT_EQ(count_rows(db(), "counters"), 3);
}

TEST_F(StoreTest, ALoneUnitWhoseCommitFailsGetsTheError) {
  if (on_postgres()) GTEST_SKIP() << "SQLite commit hook";
  auto tx = db().begin(TxMode::write);
  insert_counter(*tx, "x");
  sqlite_fail_next_commits_for_testing(db(), 1);
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind, ErrorKind::internal);
  EXPECT_THROW(tx->commit(), ErrorException);
  tx.reset();
  EXPECT_FALSE(has_counter(db(), "x"));
}

TEST_F(StoreTest, TransactionControlStatementsAreRefusedInASqliteWriteUnit) {
  if (on_postgres()) GTEST_SKIP() << "SQLite write units share a transaction";
  auto tx = db().begin(TxMode::write);
  EXPECT_EQ(error_of([&] { tx->exec("COMMIT"); }).kind, ErrorKind::internal);
  tx.reset();
  for (const char* sql : {"ROLLBACK", " rollback transaction", "BEGIN", "END"}) {
    tx = db().begin(TxMode::write);
    EXPECT_EQ(error_of([&] { tx->exec(sql); }).kind, ErrorKind::internal) << sql;
    tx.reset();
  }
  tx = db().begin(TxMode::write);
  tx->exec("SAVEPOINT x");
  tx->exec("ROLLBACK TRANSACTION TO SAVEPOINT x");
  tx->exec("RELEASE x");
  insert_counter(*tx, "ok");
  tx->commit();
  EXPECT_TRUE(has_counter(db(), "ok"));
}

TEST_F(StoreTest, WritersAreServedInOrderSoNoneWaitsMoreThanAFewBatches) {
  if (on_postgres()) GTEST_SKIP() << "SQLite has one writer, handed over in order";
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::atomic<int64_t> granted{0};
  std::atomic<int64_t> worst_overtaken{0};
  std::atomic<int64_t> worst_batches{0};
  std::atomic<int> failures{0};
  auto raise = [](std::atomic<int64_t>& worst, int64_t v) {
    int64_t cur = worst.load();
    while (v > cur && !worst.compare_exchange_weak(cur, v)) {
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          const int64_t commits_before = stats_of(db()).commits;
          const int64_t granted_before = granted.load();
          auto tx = db().begin(TxMode::write);
          // Writers granted between this one's request and its turn.
          raise(worst_overtaken, granted.fetch_add(1) - granted_before);
          insert_counter(*tx, "f" + std::to_string(t) + "-" + std::to_string(i));
          tx->commit();
          // COMMITs run between the request and this unit being durable.
          raise(worst_batches, stats_of(db()).commits - commits_before);
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(count_rows(db(), "counters"), kThreads * kPerThread);
  // In order, at most the other kThreads - 1 writers are ahead of a unit, each
  // in at most one batch, plus the batch it joins (and a little slack for a
  // thread descheduled between reading the counters and asking). A writer
  // starved by an unfair lock is overtaken hundreds of times.
  EXPECT_LE(worst_overtaken.load(), 2 * kThreads);
  EXPECT_LE(worst_batches.load(), 2 * kThreads);
}

TEST_F(StoreTest, AnotherProcessWritesBetweenBatchesUnderLoad) {
  if (on_postgres()) GTEST_SKIP() << "SQLite file locking";
  constexpr int kThreads = 8;
  // Another handle on the same file stands for another process (o2c user
  // add while the server runs): it meets our batches only at the file lock.
  DatabaseOptions opts;
  opts.busy_timeout_ms = 5000;
  auto other = open_database(tdb_->target(), opts);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int64_t> ours{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; !stop.load(); ++i) {
          auto tx = db().begin(TxMode::write);
          insert_counter(*tx, "l" + std::to_string(t) + "-" + std::to_string(i));
          tx->commit();
          ++ours;
        }
      } catch (const ErrorException& e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  }
  while (ours.load() < 200) std::this_thread::sleep_for(1ms);
  int other_writes = 0;
  for (int i = 0; i < 10; ++i) {
    const std::optional<Error> e = error_if_any([&] {
      auto tx = other->begin(TxMode::write);
      insert_counter(*tx, "other-" + std::to_string(i));
      tx->commit();
    });
    if (e) {
      ADD_FAILURE() << "the other process did not get in: " << e->message;
    } else {
      ++other_writes;
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(other_writes, 10);
  EXPECT_EQ(count_rows(db(), "counters"), ours.load() + 10);
}

TEST_F(StoreTest, WithoutGroupCommitEveryUnitHasItsOwnCommit) {
  if (on_postgres()) GTEST_SKIP() << "a SQLite option";
  tdb_->close();
  DatabaseOptions opts;
  opts.group_commit = false;
  Database& single = tdb_->db(opts);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 30;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          auto tx = single.begin(TxMode::write);
          insert_counter(*tx, "s" + std::to_string(t) + "-" + std::to_string(i));
          if (i % 3 == 2) continue;  // dropped
          tx->commit();
        } catch (const ErrorException& e) {
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const SqliteWriterStats s = stats_of(single);
  EXPECT_EQ(s.units_committed, kThreads * 20);
  EXPECT_EQ(s.commits, kThreads * 20);
  EXPECT_EQ(s.largest_batch, 1);
  EXPECT_EQ(count_rows(single, "counters"), kThreads * 20);
}

}  // namespace
}  // namespace o2c::store
