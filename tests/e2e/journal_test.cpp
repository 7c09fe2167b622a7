// The ledger export read by Debian's hledger: a small business (orders,
// invoices, payments, a discount, a credit note, a refund, an invoice in USD
// paid at another rate), exported as a journal over HTTP and by the command
// line; hledger must parse it strictly (accounts and commodities declared,
// every transaction balanced, dates in order) and its balance of every
// account and commodity must be the trial balance's, for the whole ledger and
// for ranges (opening balances). Without hledger the suite is skipped, except
// under CI (CI=true), where its absence fails it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "formats/csv/csv.h"
#include "formats/journal/journal.h"
#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

namespace fs = std::filesystem;

bool hledger_present() { return std::system("hledger --version > /dev/null 2>&1") == 0; }

// Skips the test when hledger is missing, unless CI says it must be there.
#define REQUIRE_HLEDGER()                                                                              \
  do {                                                                                                 \
    if (!hledger_present()) {                                                                          \
      const char* ci = std::getenv("CI");                                                              \
      if (ci && std::string(ci) == "true") FAIL() << "hledger is not installed (install-deps.sh --test)"; \
      GTEST_SKIP() << "hledger is not installed: apt-get install hledger (scripts/install-deps.sh --test)"; \
    }                                                                                                  \
  } while (0)

// Runs a shell command; its exit code, stdout and stderr in *out.
int run(const std::string& command, std::string* out) {
  out->clear();
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out->append(buf.data(), n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "o2c-journal-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path file(const std::string& name, const std::string& content) const {
    fs::path f = path_ / name;
    std::ofstream(f, std::ios::binary) << content;
    return f;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// account code -> commodity -> balance, as hledger prints it.
using Balances = std::map<std::string, std::map<std::string, std::string>>;

::testing::AssertionResult hledger_balances(const fs::path& journal, const std::string& extra, Balances* out) {
  std::string text;
  const std::string cmd =
      "hledger -f '" + journal.string() + "' balance --flat --no-total --layout=bare -O csv " + extra;
  if (run(cmd, &text) != 0) return ::testing::AssertionFailure() << cmd << " failed:\n" << text;
  auto parsed = csv::parse(text);
  if (!parsed.ok() || parsed.records.empty()) return ::testing::AssertionFailure() << "unreadable:\n" << text;
  for (size_t i = 1; i < parsed.records.size(); ++i) {
    const auto& f = parsed.records[i].fields;
    if (f.size() != 3) return ::testing::AssertionFailure() << "unexpected row in:\n" << text;
    // The account name is "code name"; codes have no spaces.
    (*out)[f[0].substr(0, f[0].find(' '))][f[1]] = f[2];
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult hledger_check(const fs::path& journal) {
  std::string text;
  const std::string cmd = "hledger -f '" + journal.string() + "' check --strict ordereddates";
  if (run(cmd, &text) != 0) return ::testing::AssertionFailure() << cmd << " failed:\n" << text;
  return ::testing::AssertionSuccess();
}

class LedgerJournal : public ShopSuite<LedgerJournal> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }

  static std::string customer(json overrides = json::object()) {
    json c = valid_customer("Journal: \"A; B\" | C " + unique_suffix());
    for (auto& [k, v] : overrides.items()) c[k] = v;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product(const std::string& price, const std::string& currency = "EUR",
                             const std::string& rate = "19") {
    std::string sku = "JRN-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", price}, {"currency", currency},
                            {"tax_rate", rate}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.2345"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  static std::string place(const std::string& customer_id, json lines) {
    auto r = server_->post("/api/v1/orders", sales_, {{"customer_id", customer_id}, {"lines", lines}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string ship(const std::string& order_id, const std::string& on) {
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", order_id}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return s.body.value("invoice_id", "");
  }
  static std::string pay(const std::string& customer_id, const std::string& amount, const std::string& currency,
                         const std::string& on) {
    auto r = server_->post("/api/v1/payments", accountant_,
                           {{"customer_id", customer_id}, {"amount", amount}, {"currency", currency},
                            {"method", "bank_transfer"}, {"received_on", on}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static void build_business() {
    ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-07-01"}, {"rate", "0.9"}})
                  .status,
              201);
    ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-10-20"}, {"rate", "0.95"}})
                  .status,
              201);
    const auto eur = product("10.00"), reduced = product("3.33", "EUR", "7"), usd = product("100.00", "USD");
    const auto a = customer(), b = customer({{"payment_terms", "2/10NET30"}}), u = customer({{"currency", "USD"}});
    const auto a1 = place(a, json::array({{{"sku", eur}, {"quantity", "5"}}, {{"sku", reduced}, {"quantity", "3"}}}));
    const auto a2 = place(a, json::array({{{"sku", eur}, {"quantity", "2"}}}));
    const auto b1 = place(b, json::array({{{"sku", eur}, {"quantity", "10"}}}));
    const auto u1 = place(u, json::array({{{"sku", usd}, {"quantity", "1"}}}));
    place(a, json::array({{{"sku", eur}, {"quantity", "1"}}}));  // open: no ledger entry
    const auto inv_a1 = ship(a1, "2026-09-01");
    ship(u1, "2026-10-01");  // 119.00 USD = 107.10 EUR
    ship(a2, "2026-10-05");
    ship(b1, "2026-11-02");
    pay(a, "30.00", "EUR", "2026-09-20");  // partial
    auto cn = server_->post("/api/v1/invoices/" + inv_a1 + "/credit-notes", accountant_,
                            {{"reason", "returned"}, {"lines", json::array({{{"sku", reduced}, {"quantity", "1"}}})},
                             {"as_of", "2026-09-25"}});
    ASSERT_EQ(cn.status, 201) << cn.raw;
    pay(u, "119.00", "USD", "2026-10-21");  // at 0.95: 113.05 EUR, FX gain 5.95
    pay(b, "116.62", "EUR", "2026-11-05");  // inside the discount window: 2 % off 119.00
    const auto over = pay(a, "100.00", "EUR", "2026-11-10");  // pays a1 and a2, the rest is credit
    auto refund = server_->post("/api/v1/payments/" + over + "/refund", accountant_,
                                {{"amount", "5.00"}, {"as_of", "2026-11-12"}});
    ASSERT_EQ(refund.status, 200) << refund.raw;
  }

  static std::string journal(const std::string& query) {
    auto r = server_->get("/api/v1/reports/journal" + query, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.header("Content-Type").rfind("text/plain", 0), 0u) << r.header("Content-Type");
    return r.raw;
  }

  // Every account of the trial balance as of `as_of` with a balance has the
  // same balance in hledger's report, and hledger has no other.
  static void expect_matches_trial_balance(const Balances& hledger, const std::string& as_of) {
    auto tb = server_->get("/api/v1/reports/trial-balance?as_of=" + as_of, accountant_);
    ASSERT_EQ(tb.status, 200) << tb.raw;
    const std::string currency = tb.body["currency"];
    size_t nonzero = 0;
    for (const auto& acc : tb.body["accounts"]) {
      const std::string code = acc["code"], balance = acc["balance"];
      if (balance == "0.00") {
        EXPECT_EQ(hledger.count(code), 0u) << code << " is 0 in the trial balance as of " << as_of;
        continue;
      }
      ++nonzero;
      auto it = hledger.find(code);
      ASSERT_NE(it, hledger.end()) << "hledger has no balance for " << code << " as of " << as_of;
      ASSERT_EQ(it->second.size(), 1u) << code;
      EXPECT_EQ(it->second.begin()->first, currency) << code;
      EXPECT_EQ(it->second.begin()->second, balance) << code << " as of " << as_of;
    }
    EXPECT_EQ(hledger.size(), nonzero) << "as of " << as_of;
    EXPECT_GE(nonzero, 6u) << "the business touches bank, AR, inventory, tax, revenue and COGS at least";
  }
};

TEST_F(LedgerJournal, HledgerReadsTheExportAndAgreesWithTheTrialBalance) {
  REQUIRE_HLEDGER();
  ASSERT_NO_FATAL_FAILURE(build_business());
  TempDir dir;
  const auto whole = dir.file("whole.journal", journal(""));
  ASSERT_TRUE(hledger_check(whole));
  Balances b;
  ASSERT_TRUE(hledger_balances(whole, "", &b));
  expect_matches_trial_balance(b, "2026-11-20");
  EXPECT_EQ(b["6200"]["EUR"], "-5.95") << "the realized FX gain of the USD invoice";

  // hledger's end date is exclusive: up to 2026-10-15 means -e 2026-10-16.
  Balances upto;
  ASSERT_TRUE(hledger_balances(whole, "-e 2026-10-16", &upto));
  expect_matches_trial_balance(upto, "2026-10-15");

  // A range starts from the balances before it.
  const auto range = dir.file("range.journal", journal("?from=2026-10-01&to=2026-11-05"));
  ASSERT_TRUE(hledger_check(range));
  Balances ranged;
  ASSERT_TRUE(hledger_balances(range, "", &ranged));
  expect_matches_trial_balance(ranged, "2026-11-05");
  std::ifstream in(range);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("2026-10-01 * Opening balances | opening_balance"), std::string::npos) << text;
  EXPECT_EQ(text.find("2026-09-"), std::string::npos) << "entries before from are opening balances only";
}

TEST_F(LedgerJournal, TheCommandLineWritesTheSameJournal) {
  TempDir dir;
  const fs::path out = dir.path() / "cli.journal";
  std::string stdout_text;
  ASSERT_EQ(server_->cli({"export", "journal", "--from", "2026-10-01", "-o", out.string()}, &stdout_text), 0);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, journal("?from=2026-10-01"));
  EXPECT_FALSE(fs::exists(dir.path() / "cli.journal.partial"));
  ASSERT_EQ(server_->cli({"export", "journal"}, &stdout_text), 0);
  EXPECT_EQ(stdout_text, journal(""));
  // Refused: nothing written.
  const fs::path bad = dir.path() / "bad.journal";
  EXPECT_NE(server_->cli({"export", "journal", "--from", "2026-11-02", "--to", "2026-11-01", "-o", bad.string()},
                         &stdout_text),
            0);
  EXPECT_FALSE(fs::exists(bad));
}

TEST_F(LedgerJournal, RolesAndBadRanges) {
  const std::string viewer = server_->add_user("journal-viewer", "viewer");
  EXPECT_EQ(server_->get("/api/v1/reports/journal", admin()).status, 200);
  EXPECT_EQ(server_->get("/api/v1/reports/journal", viewer).status, 403);
  EXPECT_EQ(server_->get("/api/v1/reports/journal", sales_).status, 403);
  auto r = server_->get("/api/v1/reports/journal?from=2026-1-1", accountant_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r), "from");
  r = server_->get("/api/v1/reports/journal?to=yesterday", accountant_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r), "to");
  r = server_->get("/api/v1/reports/journal?from=2026-11-02&to=2026-11-01", accountant_);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "invalid_range");
  // An empty range is a journal of directives and opening balances only.
  const std::string empty = journal("?from=2030-01-01&to=2030-01-31");
  EXPECT_NE(empty.find("decimal-mark ."), std::string::npos);
  EXPECT_EQ(empty.find("(E"), std::string::npos);
}

// Currencies with 0 and 3 decimals, and names with the characters hledger
// gives a meaning to, written by the formatter and read back by hledger.
TEST(JournalFormatHledger, ZeroAndThreeDecimalCurrenciesAndSpecialCharacters) {
  REQUIRE_HLEDGER();
  using namespace o2c::journal;
  const std::vector<Account> chart = {{"1000", "Bank: main; EUR  account", "asset"},
                                      {"1100", "[Receivables]", "asset"},
                                      {"4000", "Revenue | sales", "revenue"}};
  auto names = account_names(chart);
  ASSERT_TRUE(names.ok());
  std::string text = *header({"test"}, chart, {"JPY", "KWD", "EUR"});
  auto add = [&](Transaction t) {
    auto r = transaction(t, *names);
    ASSERT_TRUE(r.ok()) << r.error().message;
    text += *r;
  };
  add({1, "2026-01-02", "JPY", "invoice", "1", "Yen; (big) | sale\n#1", {{"1100", 123456, 0}, {"4000", 0, 123456}}});
  add({2, "2026-01-03", "KWD", "invoice", "2", "Dinar", {{"1100", 1001, 0}, {"4000", 0, 1001}}});
  add({3, "2026-01-04", "KWD", "payment", "3", "", {{"1000", 1, 0}, {"1100", 0, 1}}});
  add({4, "2026-01-05", "EUR", "payment", "4", "Euro", {{"1000", 5, 0}, {"1100", 0, 5}}});
  TempDir dir;
  const auto f = dir.file("currencies.journal", text);
  ASSERT_TRUE(hledger_check(f)) << text;
  Balances b;
  ASSERT_TRUE(hledger_balances(f, "", &b)) << text;
  EXPECT_EQ(b["1100"]["JPY"], "123456");
  EXPECT_EQ(b["1100"]["KWD"], "1.000");
  EXPECT_EQ(b["1100"]["EUR"], "-0.05");
  EXPECT_EQ(b["1000"]["KWD"], "0.001");
  EXPECT_EQ(b["4000"]["JPY"], "-123456");
  EXPECT_EQ(b["4000"]["KWD"], "-1.001");
  std::string accounts;
  ASSERT_EQ(run("hledger -f '" + f.string() + "' accounts", &accounts), 0);
  EXPECT_EQ(accounts, "1000 Bank- main, EUR account\n1100 [Receivables]\n4000 Revenue | sales\n");
}

}  // namespace
}  // namespace o2c::e2e
