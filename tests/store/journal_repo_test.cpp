// The journal export's reads on every engine: entries in (date, id) order
// across pages whose boundaries fall inside a day, balances before a day, and
// the whole export through app::export_journal.
#include <gtest/gtest.h>

#include <set>

#include "app/journal.h"
#include "store/journal_repo.h"
#include "store/ledger_repo.h"
#include "store_fixture.h"

namespace o2c::store {
namespace {

// Entries of 1.00 .. n/100 bank against receivable, on three days given in
// an order that is not the id order.
void post_entries(Database& db, int n) {
  const char* days[] = {"2026-03-02", "2026-01-15", "2026-02-01"};
  write_with_retry(db, [&](UnitOfWork& tx) {
    for (int i = 1; i <= n; ++i) {
      o2c::ledger::Entry e;
      e.entry_date = days[i % 3];
      e.currency = "EUR";
      e.source_type = "test";
      e.source_id = std::to_string(i);
      e.memo = "entry " + std::to_string(i);
      e.postings = {{"1000", i, 0}, {"1100", 0, i}};
      ledger::append(tx, e, std::nullopt, "2026-01-01T00:00:00Z");
    }
  });
}

TEST_F(StoreTest, JournalEntriesComeInDateAndIdOrderAcrossPages) {
  const int n = 2 * app::kJournalPageEntries + 7;
  post_entries(db(), n);
  auto tx = db().begin(TxMode::read);
  std::vector<o2c::ledger::Entry> all;
  journal::Cursor cursor;
  int pages = 0;
  for (;;) {
    auto page = journal::entries(*tx, "", "", cursor, app::kJournalPageEntries);
    ++pages;
    for (auto& e : page) all.push_back(std::move(e));
    if (static_cast<int>(page.size()) < app::kJournalPageEntries) break;
    cursor = {all.back().entry_date, all.back().id};
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), static_cast<size_t>(n));
  std::set<int64_t> ids;
  for (size_t i = 0; i < all.size(); ++i) {
    ids.insert(all[i].id);
    ASSERT_EQ(all[i].postings.size(), 2u);
    EXPECT_EQ(all[i].postings[0].account, "1000");
    EXPECT_EQ(all[i].postings[0].debit_minor, std::stoll(all[i].source_id));
    if (i > 0) {
      const auto& p = all[i - 1];
      EXPECT_TRUE(p.entry_date < all[i].entry_date || (p.entry_date == all[i].entry_date && p.id < all[i].id))
          << "entry " << all[i].id << " after " << p.id;
    }
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(n));
  EXPECT_EQ(all.front().entry_date, "2026-01-15");
  EXPECT_EQ(all.back().entry_date, "2026-03-02");

  // A range: one day only, inclusive at both ends.
  auto feb = journal::entries(*tx, "2026-02-01", "2026-02-01", {}, n);
  EXPECT_EQ(feb.size(), static_cast<size_t>(n / 3 + (n % 3 >= 2 ? 1 : 0)));
  for (const auto& e : feb) EXPECT_EQ(e.entry_date, "2026-02-01");
  EXPECT_EQ(journal::currencies(*tx, ""), std::vector<std::string>{"EUR"});
  EXPECT_TRUE(journal::currencies(*tx, "2026-01-14").empty());
}

TEST_F(StoreTest, JournalBalancesBeforeADayAndTheWholeExport) {
  post_entries(db(), 30);
  auto tx = db().begin(TxMode::read);
  // Entries i with i % 3 == 1 are dated 2026-01-15: 1 + 4 + ... + 28 = 145.
  auto before = journal::balances_before(*tx, "2026-02-01");
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].account, "1000");
  EXPECT_EQ(before[0].balance_minor, 145);
  EXPECT_EQ(before[1].account, "1100");
  EXPECT_EQ(before[1].balance_minor, -145);
  EXPECT_TRUE(journal::balances_before(*tx, "2026-01-15").empty());

  std::string text;
  auto sink = [&](std::string_view s) { text += s; };
  ASSERT_TRUE(app::export_journal(*tx, {*Date::parse("2026-02-01"), std::nullopt}, sink).ok());
  EXPECT_NE(text.find("2026-02-01 * Opening balances | opening_balance\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    1000 Bank"), std::string::npos);
  EXPECT_EQ(text.find("2026-01-15"), std::string::npos) << "earlier entries are in the opening balances only";
  size_t transactions = 0;
  for (size_t at = text.find(" * (E"); at != std::string::npos; at = text.find(" * (E", at + 1)) ++transactions;
  EXPECT_EQ(transactions, 20u);
}

}  // namespace
}  // namespace o2c::store
