// A statement larger than one batch goes through the import's two threads
// (read and rows made on one, stored on the other): every line stored once
// and in file order, identical lines numbered across batch boundaries,
// progress rising to the total, and the same file again imports nothing.
// Each test runs with the file read whole and read in small pieces (as a
// file of hundreds of megabytes is), and through a reading that gives up
// its pieces half-way (what was stored of them is rolled back).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/reconciliation.h"
#include "formats/bank/camt_writer.h"
#include "store/migrate.h"
#include "test_db.h"

namespace o2c {
namespace {

namespace fb = formats::bank;

const app::Actor kAccountant{UserId(), "import-test", app::Role::accountant, std::nullopt};

// 9 500 entries: more than nine batches of rows, so the maker runs ahead of
// the store and waits for it. Every 50th entry is the same transfer again
// (no bank reference, same text): those must be stored as distinct lines.
constexpr int kEntries = 9500;

fb::CamtStatementWithEntries statement(const std::string& id, int entries) {
  fb::CamtStatementWithEntries s;
  s.statement.statement_id = id;
  s.statement.created_date = "2026-11-20";
  s.statement.account_iban = "DE89370400440532013000";
  s.statement.currency = "EUR";
  s.statement.opening_date = "2026-11-19";
  s.statement.closing_date = "2026-11-20";
  int64_t sum = 0;
  for (int i = 0; i < entries; ++i) {
    fb::CamtEntry e;
    e.booking_date = "2026-11-20";
    if (i % 50 == 0) {
      e.amount_minor = 999;
      e.counterparty_name = "Same Transfer GmbH";
      e.remittance = "monthly fee";
    } else {
      e.amount_minor = 1000 + i;
      e.bank_reference = id + "-REF" + std::to_string(i);
      e.counterparty_name = "Payer " + std::to_string(i);
      e.remittance = "invoice " + std::to_string(i);
    }
    sum += e.amount_minor;
    s.entries.push_back(std::move(e));
  }
  s.statement.closing_minor = sum;
  return s;
}

std::string statement_file() { return fb::write_camt053("MSG-BATCHES", "2026-11-20", {statement("BATCHES-1", kEntries)}); }

// Read whole (the default below 32 MB), or in pieces of 64 KB.
class StatementImport : public ::testing::TestWithParam<bool> {
 protected:
  void read_as_param(app::StatementUpload& up) const {
    if (GetParam()) up.camt_pieces_for_testing = std::pair<size_t, size_t>{0, 64 * 1024};
  }
};

INSTANTIATE_TEST_SUITE_P(Reading, StatementImport, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "InPieces" : "Whole"; });

TEST_P(StatementImport, ALargeStatementIsStoredOnceInFileOrderAcrossBatches) {
  auto tdb = test::make_test_database();
  store::Database& db = tdb->db();
  store::migrate(db);
  app::SystemClock clock;
  const std::string file = statement_file();

  std::vector<std::pair<int64_t, int64_t>> progress;
  {
    auto uow = db.begin(store::TxMode::write);
    app::Context ctx{*uow, kAccountant, clock};
    app::StatementUpload up;
    up.content = file;
    up.file_name = "batches.xml";
    up.progress = [&](int64_t done, int64_t total) { progress.emplace_back(done, total); };
    read_as_param(up);
    auto r = app::import_statement(ctx, up);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->import.lines_imported, kEntries);
    EXPECT_EQ(r->import.lines_skipped_duplicate, 0);
    ASSERT_EQ(r->statements.size(), 1u);
    EXPECT_EQ(r->statements[0].lines, kEntries);
    ASSERT_TRUE(r->statements[0].balanced.has_value());
    EXPECT_TRUE(*r->statements[0].balanced);
    uow->commit();
  }
  ASSERT_FALSE(progress.empty());
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_LE(progress[i - 1].first, progress[i].first);
  for (const auto& [done, total] : progress) EXPECT_LE(done, total);
  EXPECT_EQ(progress.back().first, kEntries);
  EXPECT_EQ(progress.back().second, kEntries);

  {
    auto uow = db.begin(store::TxMode::read);
    const auto rows = uow->query("SELECT amount_minor, dedupe_key FROM bank_lines ORDER BY id");
    ASSERT_EQ(rows.size(), static_cast<size_t>(kEntries));
    std::set<std::string> keys;
    for (int i = 0; i < kEntries; ++i) {
      const int64_t want = i % 50 == 0 ? 999 : 1000 + i;
      EXPECT_EQ(rows[static_cast<size_t>(i)].i64(0), want) << "line " << i;
      keys.insert(rows[static_cast<size_t>(i)].text(1));
    }
    EXPECT_EQ(keys.size(), static_cast<size_t>(kEntries));
  }

  // The same file again: every line known, nothing stored.
  {
    auto uow = db.begin(store::TxMode::write);
    app::Context ctx{*uow, kAccountant, clock};
    app::StatementUpload up;
    up.content = file;
    read_as_param(up);
    auto r = app::import_statement(ctx, up);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->import.lines_imported, 0);
    EXPECT_EQ(r->import.lines_skipped_duplicate, kEntries);
    uow->commit();
  }
  auto uow = db.begin(store::TxMode::read);
  EXPECT_EQ(uow->query_one("SELECT COUNT(*) FROM bank_lines")->i64(0), kEntries);
}

int64_t count(store::Database& db, const std::string& table) {
  auto uow = db.begin(store::TxMode::read);
  return uow->query_one("SELECT COUNT(*) FROM " + table)->i64(0);
}

// Imports `file` read in 64 KB pieces, then commits the unit whatever the
// import answered.
Result<app::StatementImport> import_in_pieces_and_commit(store::Database& db, const std::string& file) {
  app::SystemClock clock;
  auto uow = db.begin(store::TxMode::write);
  app::Context ctx{*uow, kAccountant, clock};
  app::StatementUpload up;
  up.content = file;
  up.camt_pieces_for_testing = std::pair<size_t, size_t>{0, 64 * 1024};
  auto r = app::import_statement(ctx, up);
  uow->commit();
  return r;
}

// Two statements: a piece runs from the first into the second, so the
// reader gives up its pieces after the store has taken some of their lines
// and reads the file whole. What was stored of the pieces is rolled back;
// each line is stored once, each statement once, the import once.
TEST(StatementImportPieces, PiecesGivenUpHalfWayAreRolledBackAndReadWhole) {
  auto tdb = test::make_test_database();
  store::Database& db = tdb->db();
  store::migrate(db);
  const std::string file =
      fb::write_camt053("MSG-TWO", "2026-11-20", {statement("TWO-1", 3000), statement("TWO-2", 3000)});
  auto r = import_in_pieces_and_commit(db, file);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->import.lines_imported, 6000);
  EXPECT_EQ(r->import.statements, 2);
  ASSERT_EQ(r->statements.size(), 2u);
  EXPECT_EQ(r->statements[0].seq, 1);
  EXPECT_EQ(r->statements[1].lines, 3000);
  EXPECT_TRUE(r->statements[1].balanced.value_or(false));
  EXPECT_EQ(count(db, "bank_imports"), 1);
  EXPECT_EQ(count(db, "bank_statements"), 2);
  EXPECT_EQ(count(db, "bank_lines"), 6000);
}

// A bad entry near the end, found after thousands of lines were stored:
// the import is refused with the entry's path, and even a caller that
// commits its unit anyway finds nothing of it.
TEST(StatementImportPieces, ABadEntryAfterStoredPiecesLeavesNothing) {
  auto tdb = test::make_test_database();
  store::Database& db = tdb->db();
  store::migrate(db);
  std::string file = statement_file();
  const size_t at = file.find("<Amt Ccy=\"EUR\">", file.find("BATCHES-1-REF9401<"));
  ASSERT_NE(at, std::string::npos);
  file.insert(at + 15, "1.001");
  // Committed even though the import failed: nothing of it may be there.
  auto r = import_in_pieces_and_commit(db, file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::malformed);
  EXPECT_EQ(r.error().field.rfind("/Document/BkToCstmrStmt/Stmt[1]/Ntry[", 0), 0u) << r.error().field;
  EXPECT_EQ(count(db, "bank_imports"), 0);
  EXPECT_EQ(count(db, "bank_statements"), 0);
  EXPECT_EQ(count(db, "bank_lines"), 0);
}

}  // namespace
}  // namespace o2c
