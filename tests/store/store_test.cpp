// The storage contract of db.h, run unchanged on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <thread>

#include "store/postgres/pg_db.h"
#include "store_fixture.h"

namespace o2c::store {
namespace {

TEST_F(StoreTest, EngineAndDialectMatchTheTarget) {
  EXPECT_EQ(db().engine(), tdb_->engine());
  auto tx = db().begin(TxMode::read);
  EXPECT_EQ(tx->engine(), tdb_->engine());
  EXPECT_EQ(tx->for_update(), on_postgres() ? " FOR UPDATE" : "");
  EXPECT_EQ(db().describe().rfind(on_postgres() ? "postgresql://" : "sqlite:", 0), 0u)
      << db().describe();
}

TEST_F(StoreTest, DescribeNeverShowsAPassword) {
  if (!on_postgres()) GTEST_SKIP() << "only URLs carry passwords";
  // The test cluster trusts every local login, so any password is accepted.
  std::string url = tdb_->target();
  const size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos) << url;
  url.insert(at, ":s3cret-pw");
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "application_name=x&password=other-s3cret";
  auto other = open_database(url);
  const std::string shown = other->describe();
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("127.0.0.1"), std::string::npos) << shown;
}

TEST_F(StoreTest, CommitPersists) {
  {
    auto tx = db().begin(TxMode::write);
    insert_warehouse(*tx, "W1");
    tx->commit();
  }
  EXPECT_EQ(count_rows(db(), "warehouses"), 1);
}

TEST_F(StoreTest, DroppingWithoutCommitRollsBack) {
  {
    auto tx = db().begin(TxMode::write);
    insert_warehouse(*tx, "W1");
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM warehouses")->i64(0), 1);
  }
  EXPECT_EQ(count_rows(db(), "warehouses"), 0);
  // The writer is free again afterwards.
  auto tx = db().begin(TxMode::write);
  insert_warehouse(*tx, "W2");
  tx->commit();
  EXPECT_EQ(count_rows(db(), "warehouses"), 1);
}

TEST_F(StoreTest, ReadUnitSeesOnlyCommittedDataAndKeepsItsSnapshot) {
  auto writer = db().begin(TxMode::write);
  insert_warehouse(*writer, "W1");
  {
    auto reader = db().begin(TxMode::read);
    EXPECT_EQ(reader->query_one("SELECT COUNT(*) FROM warehouses")->i64(0), 0);
  }
  auto snapshot = db().begin(TxMode::read);
  EXPECT_EQ(snapshot->query_one("SELECT COUNT(*) FROM warehouses")->i64(0), 0);
  writer->commit();
  // Begun before the commit: still its old snapshot.
  EXPECT_EQ(snapshot->query_one("SELECT COUNT(*) FROM warehouses")->i64(0), 0);
  auto fresh = db().begin(TxMode::read);
  EXPECT_EQ(fresh->query_one("SELECT COUNT(*) FROM warehouses")->i64(0), 1);
}

TEST_F(StoreTest, ReadUnitRefusesToWrite) {
  auto tx = db().begin(TxMode::read);
  const Error e = error_of([&] {
    tx->exec("INSERT INTO counters (name, value) VALUES (?, ?)", {std::string("x"), int64_t{1}});
  });
  EXPECT_EQ(e.kind, ErrorKind::internal) << e.message;
  tx.reset();
  EXPECT_EQ(count_rows(db(), "counters"), 0);
}

TEST_F(StoreTest, DuplicateSkuIsAConflictNamingTheField) {
  {
    auto tx = db().begin(TxMode::write);
    insert_product(*tx, "SKU-1");
    tx->commit();
  }
  auto tx = db().begin(TxMode::write);
  const Error e = error_of([&] { insert_product(*tx, "SKU-1"); });
  EXPECT_EQ(e.kind, ErrorKind::conflict);
  EXPECT_EQ(e.code, "duplicate");
  EXPECT_EQ(e.field, "sku") << e.message;
}

TEST_F(StoreTest, DuplicatePrimaryKeyIsAConflict) {
  auto tx = db().begin(TxMode::write);
  tx->exec("INSERT INTO counters (name, value) VALUES (?, ?)",
           {std::string("invoice"), int64_t{1}});
  const Error e = error_of([&] {
    tx->exec("INSERT INTO counters (name, value) VALUES (?, ?)",
             {std::string("invoice"), int64_t{2}});
  });
  EXPECT_EQ(e.kind, ErrorKind::conflict);
  EXPECT_EQ(e.code, "duplicate");
  EXPECT_EQ(e.field, "name") << e.message;
}

TEST_F(StoreTest, DuplicateCompositeKeyNamesNoSingleField) {
  auto tx = db().begin(TxMode::write);
  const std::string sql =
      "INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, body, "
      "created_at)"
      " VALUES (?, ?, 'POST', '/x', 'h', 201, '{}', 'now')";
  tx->exec(sql, {int64_t{1}, std::string("k")});
  const Error e = error_of([&] { tx->exec(sql, {int64_t{1}, std::string("k")}); });
  EXPECT_EQ(e.kind, ErrorKind::conflict);
  EXPECT_EQ(e.code, "duplicate");
  EXPECT_EQ(e.field, "") << e.message;
}

TEST_F(StoreTest, CheckViolationIsUnprocessableAndLeavesNothingWritten) {
  {
    auto tx = db().begin(TxMode::write);
    const int64_t w = insert_warehouse(*tx, "W1");
    const int64_t p = insert_product(*tx, "SKU-1");
    const Error e = error_of([&] {
      tx->exec(
          "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved) VALUES (?, ?, ?, ?)",
          {w, p, int64_t{1000}, int64_t{2000}});
    });
    EXPECT_EQ(e.kind, ErrorKind::unprocessable);
    EXPECT_EQ(e.code, "constraint_violation");
    EXPECT_THROW(tx->commit(), ErrorException);
  }
  EXPECT_EQ(count_rows(db(), "stock"), 0);
  EXPECT_EQ(count_rows(db(), "warehouses"), 0);
  EXPECT_EQ(count_rows(db(), "products"), 0);
}

TEST_F(StoreTest, ForeignKeyAndNotNullViolationsAreUnprocessable) {
  auto tx = db().begin(TxMode::write);
  const Error fk = error_of([&] {
    tx->exec("INSERT INTO stock (warehouse_id, product_id, on_hand, reserved) VALUES (?, ?, 0, 0)",
             {int64_t{98}, int64_t{99}});
  });
  EXPECT_EQ(fk.kind, ErrorKind::unprocessable) << fk.message;
  EXPECT_EQ(fk.code, "constraint_violation");
  tx.reset();  // before the next begin: SQLite has one writer
  tx = db().begin(TxMode::write);
  const Error nn = error_of([&] {
    tx->exec("INSERT INTO counters (name, value) VALUES (?, ?)", {std::string("n"), null()});
  });
  EXPECT_EQ(nn.kind, ErrorKind::unprocessable) << nn.message;
  EXPECT_EQ(nn.code, "constraint_violation");
}

TEST_F(StoreTest, AFailedStatementAbortsTheUnitOnEveryEngine) {
  {
    auto tx = db().begin(TxMode::write);
    insert_product(*tx, "SKU-1");
    EXPECT_EQ(error_of([&] { insert_product(*tx, "SKU-1"); }).code, "duplicate");
    EXPECT_THROW(insert_product(*tx, "SKU-2"), ErrorException);
    EXPECT_THROW(tx->commit(), ErrorException);
  }
  EXPECT_EQ(count_rows(db(), "products"), 0);
}

TEST_F(StoreTest, RollbackToSavepointRecoversTheUnit) {
  {
    auto tx = db().begin(TxMode::write);
    insert_product(*tx, "SKU-1");
    tx->exec("SAVEPOINT attempt");
    EXPECT_EQ(error_of([&] { insert_product(*tx, "SKU-1"); }).code, "duplicate");
    tx->exec("ROLLBACK TO SAVEPOINT attempt");
    insert_product(*tx, "SKU-2");
    tx->exec("RELEASE SAVEPOINT attempt");
    tx->commit();
  }
  auto tx = db().begin(TxMode::read);
  const Rows rows = tx->query("SELECT sku FROM products ORDER BY sku");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text(0), "SKU-1");
  EXPECT_EQ(rows[1].text(0), "SKU-2");
}

TEST_F(StoreTest, ValuesRoundTrip) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  const std::string unicode = "Grüße, Zoë — 東京 🚀 \"quoted\" 'single' ? $1 \\ back";
  {
    auto tx = db().begin(TxMode::write);
    tx->exec_script("CREATE TABLE rt (k INTEGER NOT NULL, i BIGINT, t TEXT)");
    const std::string ins = "INSERT INTO rt (k, i, t) VALUES (?, ?, ?)";
    EXPECT_EQ(tx->exec(ins, {int64_t{1}, lo, unicode}), 1);
    EXPECT_EQ(tx->exec(ins, {int64_t{2}, hi, std::string()}), 1);
    EXPECT_EQ(tx->exec(ins, {int64_t{3}, null(), null()}), 1);
    EXPECT_EQ(tx->exec(ins, {int64_t{4}, int64_t{0}, std::string(1000, 'x')}), 1);
    EXPECT_EQ(tx->exec(ins, {int64_t{5}, int64_t{-1}, std::string("0042")}), 1);
    tx->commit();
  }
  auto tx = db().begin(TxMode::read);
  const Rows rows = tx->query("SELECT k, i, t FROM rt ORDER BY k");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].i64(1), lo);
  EXPECT_EQ(rows[0].text(2), unicode);
  EXPECT_EQ(rows[1].i64(1), hi);
  EXPECT_FALSE(rows[1].is_null(2));
  EXPECT_EQ(rows[1].text(2), "");
  EXPECT_TRUE(rows[2].is_null(1));
  EXPECT_TRUE(rows[2].is_null(2));
  EXPECT_EQ(rows[2].opt_i64(1), std::nullopt);
  EXPECT_EQ(rows[2].opt_text(2), std::nullopt);
  EXPECT_EQ(rows[2].text(2), "");
  EXPECT_EQ(rows[3].i64(1), 0);
  EXPECT_EQ(rows[3].text(2), std::string(1000, 'x'));
  EXPECT_EQ(rows[4].i64(1), -1);
  EXPECT_EQ(rows[4].text(1), "-1");
  // Text stays text even when it looks like a number.
  EXPECT_EQ(rows[4].text(2), "0042");
  EXPECT_THROW((void)rows[4].i64(2), ErrorException);
  EXPECT_THROW((void)rows[2].i64(1), ErrorException);
  EXPECT_EQ(rows[0].opt_i64(1), lo);
  // Parameters compare as the values they are.
  EXPECT_EQ(tx->query_one("SELECT k FROM rt WHERE t = ?", {unicode})->i64(0), 1);
  EXPECT_EQ(tx->query_one("SELECT k FROM rt WHERE i = ?", {hi})->i64(0), 2);
  EXPECT_EQ(tx->query_one("SELECT k FROM rt WHERE i IS NULL")->i64(0), 3);
  EXPECT_FALSE(tx->query_one("SELECT k FROM rt WHERE k = ?", {int64_t{99}}).has_value());
}

TEST_F(StoreTest, AggregatesAndComparisonsAreIntegersOnEveryEngine) {
  {
    auto tx = db().begin(TxMode::write);
    const int64_t w = insert_warehouse(*tx, "W1");
    const int64_t p1 = insert_product(*tx, "A");
    const int64_t p2 = insert_product(*tx, "B");
    const std::string ins =
        "INSERT INTO stock (warehouse_id, product_id, on_hand, reserved) VALUES (?, ?, ?, 0)";
    tx->exec(ins, {w, p1, int64_t{4'000'000'000'000}});
    tx->exec(ins, {w, p2, int64_t{5'000'000'000'000}});
    tx->commit();
  }
  auto tx = db().begin(TxMode::read);
  const auto row = tx->query_one(
      "SELECT COUNT(*), SUM(on_hand), COALESCE(SUM(reserved), 0), MAX(on_hand), 2 > 1, 1 > 2 FROM "
      "stock");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64(0), 2);
  EXPECT_EQ(row->i64(1), 9'000'000'000'000);
  EXPECT_EQ(row->i64(2), 0);
  EXPECT_EQ(row->i64(3), 5'000'000'000'000);
  EXPECT_EQ(row->i64(4), 1);
  EXPECT_EQ(row->i64(5), 0);
  EXPECT_TRUE(tx->query_one("SELECT SUM(on_hand) FROM stock WHERE on_hand < 0")->is_null(0));
}

TEST_F(StoreTest, QuestionMarksInLiteralsAndCommentsAreNotPlaceholders) {
  auto tx = db().begin(TxMode::write);
  tx->exec_script("CREATE TABLE qm (i BIGINT, t TEXT)");
  EXPECT_EQ(tx->exec("INSERT INTO qm (i, t) VALUES (?, 'why? it''s ?') -- really?\n", {int64_t{7}}),
            1);
  EXPECT_EQ(tx->exec("INSERT INTO qm /* a ? here */ (i, t) VALUES (?, ?)",
                     {int64_t{8}, std::string("?")}),
            1);
  const auto row =
      tx->query_one("SELECT i, t, '?' FROM qm WHERE t = 'why? it''s ?' AND i = ?", {int64_t{7}});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64(0), 7);
  EXPECT_EQ(row->text(1), "why? it's ?");
  EXPECT_EQ(row->text(2), "?");
  EXPECT_EQ(tx->query_one("SELECT i FROM qm WHERE t = ?", {std::string("?")})->i64(0), 8);
  tx->commit();
}

TEST_F(StoreTest, ReturningGivesTheAssignedIdAndExecCountsChangedRows) {
  auto tx = db().begin(TxMode::write);
  const int64_t first = insert_warehouse(*tx, "W1");
  const int64_t second = insert_warehouse(*tx, "W2");
  EXPECT_GT(first, 0);
  EXPECT_GT(second, first);
  EXPECT_EQ(tx->exec("INSERT INTO warehouses (code, name, created_at) VALUES ('W3', 'x', 'now')"),
            1);
  EXPECT_EQ(tx->exec("UPDATE warehouses SET priority = priority + 1"), 3);
  EXPECT_EQ(tx->exec("UPDATE warehouses SET priority = 0 WHERE code = ?", {std::string("none")}),
            0);
  EXPECT_EQ(tx->exec("SELECT id FROM warehouses"), 0);
  EXPECT_EQ(tx->exec("CREATE TABLE t_exec (x INTEGER)"), 0);
  EXPECT_EQ(tx->exec("DELETE FROM warehouses WHERE id = ?", {second}), 1);
  tx->commit();
  EXPECT_EQ(count_rows(db(), "warehouses"), 2);
}

TEST_F(StoreTest, MisuseIsAnInternalError) {
  auto tx = db().begin(TxMode::write);
  EXPECT_EQ(error_of([&] { tx->exec("SELECT 1; SELECT 2"); }).kind, ErrorKind::internal);
  tx.reset();  // before each next begin: SQLite has one writer
  tx = db().begin(TxMode::write);
  EXPECT_EQ(error_of([&] { tx->exec("SELEKT nonsense"); }).kind, ErrorKind::internal);
  tx.reset();
  tx = db().begin(TxMode::write);
  EXPECT_EQ(error_of([&] { tx->query("SELECT * FROM no_such_table"); }).kind, ErrorKind::internal);
  tx.reset();
  tx = db().begin(TxMode::write);
  EXPECT_EQ(error_of([&] { tx->exec("SELECT ?, ?", {int64_t{1}}); }).kind, ErrorKind::internal);
  tx.reset();
  tx = db().begin(TxMode::write);
  tx->commit();
  EXPECT_EQ(error_of([&] { tx->commit(); }).kind, ErrorKind::internal);
}

TEST_F(StoreTest, ANestedWriteUnitOnSqliteFailsInsteadOfDeadlocking) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL writers each have a connection";
  auto outer = db().begin(TxMode::write);
  const Error e = error_of([&] { db().begin(TxMode::write); });
  EXPECT_EQ(e.kind, ErrorKind::internal);
  outer.reset();
  EXPECT_NO_THROW(db().begin(TxMode::write));
}

TEST_F(StoreTest, WaitingForAConnectionIsBounded) {
  DatabaseOptions opts;
  opts.pool_size = 1;
  opts.pool_wait_ms = 100;
  auto small = open_database(tdb_->target(), opts);
  auto held = small->begin(TxMode::read);
  const Error e = error_of([&] { small->begin(TxMode::read); });
  EXPECT_EQ(e.kind, ErrorKind::unavailable);
  EXPECT_EQ(e.code, "storage_busy");
  held.reset();
  EXPECT_NO_THROW(small->begin(TxMode::read));
}

TEST_F(StoreTest, SqliteWriterWaitIsBounded) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL has no single writer";
  DatabaseOptions opts;
  opts.pool_wait_ms = 100;
  auto other = open_database(tdb_->target(), opts);
  auto held = other->begin(TxMode::write);
  Error e{ErrorKind::internal, "", "", ""};
  std::thread([&] { e = error_of([&] { other->begin(TxMode::write); }); }).join();
  EXPECT_EQ(e.kind, ErrorKind::unavailable);
  EXPECT_EQ(e.code, "storage_busy");
}

TEST_F(StoreTest, ASecondProcessWriterWaitsThenGetsBusy) {
  if (on_postgres()) GTEST_SKIP() << "SQLite file locking";
  // Another Database on the same file stands for another process: its
  // writer meets the file lock, not our mutex.
  DatabaseOptions opts;
  opts.busy_timeout_ms = 50;
  auto other = open_database(tdb_->target(), opts);
  auto held = db().begin(TxMode::write);
  const Error e = error_of([&] { other->begin(TxMode::write); });
  EXPECT_EQ(e.kind, ErrorKind::unavailable);
  EXPECT_EQ(e.code, "storage_busy");
}

TEST(StoreOpen, UnreachableOrInvalidTargetsFailClearly) {
  const Error refused =
      error_of([] { open_database("postgresql://o2c@127.0.0.1:1/none?connect_timeout=2"); });
  EXPECT_EQ(refused.kind, ErrorKind::unavailable);
  EXPECT_EQ(refused.code, "storage_unavailable");
  EXPECT_EQ(error_of([] { open_database("postgresql://o2c@127.0.0.1/x?bogus_option=1"); }).kind,
            ErrorKind::internal);
  EXPECT_EQ(error_of([] { open_database("/nonexistent-dir/o2c.db"); }).code, "storage_unavailable");
  EXPECT_EQ(error_of([] { open_database(":memory:"); }).kind, ErrorKind::internal);
}

TEST(Placeholders, AreNumberedOutsideQuotesAndComments) {
  EXPECT_EQ(number_placeholders("SELECT ?, ?").text, "SELECT $1, $2");
  EXPECT_EQ(number_placeholders("SELECT ?, ?").count, 2);
  EXPECT_EQ(number_placeholders("SELECT 'a?''?', \"q?\", ? -- ?\n, ?").text,
            "SELECT 'a?''?', \"q?\", $1 -- ?\n, $2");
  EXPECT_EQ(number_placeholders("SELECT /* ? */ ? /* ? */").text, "SELECT /* ? */ $1 /* ? */");
  EXPECT_EQ(number_placeholders("SELECT E'\\'?', ?").text, "SELECT E'\\'?', $1");
  EXPECT_EQ(number_placeholders("SELECT '?").text, "SELECT '?");
  EXPECT_EQ(number_placeholders("").count, 0);
}

}  // namespace
}  // namespace o2c::store
