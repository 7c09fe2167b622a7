// A statement larger than one batch goes through the import's two threads
// (rows made on one, stored on the other): every line stored once and in
// file order, identical lines numbered across batch boundaries, progress
// rising to the total, and the same file again imports nothing.
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

std::string statement_file() {
  fb::CamtStatementWithEntries s;
  s.statement.statement_id = "BATCHES-1";
  s.statement.created_date = "2026-11-20";
  s.statement.account_iban = "DE89370400440532013000";
  s.statement.currency = "EUR";
  s.statement.opening_date = "2026-11-19";
  s.statement.closing_date = "2026-11-20";
  int64_t sum = 0;
  for (int i = 0; i < kEntries; ++i) {
    fb::CamtEntry e;
    e.booking_date = "2026-11-20";
    if (i % 50 == 0) {
      e.amount_minor = 999;
      e.counterparty_name = "Same Transfer GmbH";
      e.remittance = "monthly fee";
    } else {
      e.amount_minor = 1000 + i;
      e.bank_reference = "REF" + std::to_string(i);
      e.counterparty_name = "Payer " + std::to_string(i);
      e.remittance = "invoice " + std::to_string(i);
    }
    sum += e.amount_minor;
    s.entries.push_back(std::move(e));
  }
  s.statement.closing_minor = sum;
  return fb::write_camt053("MSG-BATCHES", "2026-11-20", {s});
}

TEST(StatementImport, ALargeStatementIsStoredOnceInFileOrderAcrossBatches) {
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
    auto r = app::import_statement(ctx, up);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->import.lines_imported, 0);
    EXPECT_EQ(r->import.lines_skipped_duplicate, kEntries);
    uow->commit();
  }
  auto uow = db.begin(store::TxMode::read);
  EXPECT_EQ(uow->query_one("SELECT COUNT(*) FROM bank_lines")->i64(0), kEntries);
}

}  // namespace
}  // namespace o2c
