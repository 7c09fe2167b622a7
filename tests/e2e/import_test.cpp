// `o2c import orders FILE.csv` against a running server's database: every bad
// row reported with its file line, only orders whose rows are all good
// placed (and seen through the API), a second import of the same file
// placing nothing twice, and usage errors told apart by the exit code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

namespace fs = std::filesystem;

// A CSV file that is deleted with the object.
class TempCsv {
 public:
  explicit TempCsv(const std::string& text)
      : path_(fs::temp_directory_path() / ("o2c-import-" + unique_suffix() + ".csv")) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempCsv() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

struct CliRun {
  int rc = -1;
  std::string out;
};

class Import : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    warehouse_ = new std::string(server_->add_user("import-warehouse", "warehouse"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete warehouse_;
    server_ = nullptr;
  }
  void TearDown() override { expect_verify_ok(*server_); }

  static const std::string& admin() { return server_->admin_token(); }

  static std::string customer() {
    auto r = server_->post("/api/v1/customers", admin(), valid_customer("Import Customer " + unique_suffix()));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  // A product in EUR with stock in a warehouse of its own.
  static std::string product(const std::string& price) {
    std::string sku = "IMP-" + unique_suffix();
    auto p = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Import product"}, {"unit_price", price}, {"currency", "EUR"},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(p.status, 201) << p.raw;
    std::string wh = "WI" + unique_suffix();
    auto w = server_->post("/api/v1/warehouses", admin(), {{"code", wh}, {"name", "Import stock"}});
    EXPECT_EQ(w.status, 201) << w.raw;
    auto s = server_->post("/api/v1/stock/receipts", *warehouse_,
                           {{"warehouse", wh}, {"sku", sku}, {"quantity", "100"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }

  static CliRun run_import(const std::string& csv_text, std::vector<std::string> extra = {}) {
    TempCsv file(csv_text);
    std::vector<std::string> args = {"import", "orders", file.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    CliRun r;
    r.rc = server_->cli(args, &r.out);
    return r;
  }

  // "line N: code (field)" for every line of the output that reports a bad row.
  static std::map<int, std::string> bad_lines(const std::string& out) {
    std::map<int, std::string> found;
    size_t at = 0;
    while (at < out.size()) {
      size_t end = out.find('\n', at);
      if (end == std::string::npos) end = out.size();
      std::string l = out.substr(at, end - at);
      at = end + 1;
      if (l.rfind("line ", 0) != 0) continue;
      int n = std::stoi(l.substr(5));
      std::string rest = l.substr(l.find(": ") + 2);
      found[n] = rest.substr(0, rest.find(": "));
    }
    return found;
  }

  static json orders_of(const std::string& cust) {
    return list_all(*server_, "/api/v1/orders?customer_id=" + cust, admin());
  }
  static std::set<std::string> external_refs(const json& orders) {
    std::set<std::string> refs;
    for (const auto& o : orders) refs.insert(o["external_ref"].is_string() ? o["external_ref"].get<std::string>() : "");
    return refs;
  }

  static ServerProcess* server_;
  static std::string* warehouse_;
};

ServerProcess* Import::server_ = nullptr;
std::string* Import::warehouse_ = nullptr;

TEST_F(Import, ReportsEveryBadRowAndPlacesOnlyTheGoodOrders) {
  const std::string a = customer(), b = customer();
  const std::string coffee = product("10.00"), tea = product("4.00");
  const std::string x = unique_suffix();  // order refs unique to this test
  // The quoted ship_to of line 3 spans two file lines, so line 5 follows it.
  const std::string csv =
      "order_ref,customer_id,sku,quantity,unit_price,currency,external_ref,ship_to\r\n"  // 1
      "G1-" + x + "," + a + "," + coffee + ",2,,,,\"Dock 4, Gate \"\"B\"\"\"\r\n"        // 2
      "G2-" + x + "," + b + "," + tea + ",1.5,,EUR,,\"Hall 2\r\nDoor 3\"\r\n"           // 3-4
      "CUST-" + x + ",999999," + coffee + ",1,,,,\r\n"                                 // 5
      "G1-" + x + "," + a + "," + tea + ",3,,,,\"Dock 4, Gate \"\"B\"\"\"\r\n"          // 6: G1, not adjacent
      "SKU-" + x + "," + a + ",NOPE-" + x + ",1,,,,\r\n"                              // 7
      "SKU-" + x + "," + a + "," + coffee + ",1,,,,\r\n"                              // 8: good row, bad order
      "ZERO-" + x + "," + a + "," + coffee + ",0,,,,\r\n"                             // 9
      "PREC-" + x + "," + a + "," + coffee + ",1.2345,,,,\r\n"                        // 10
      "CUR-" + x + "," + a + "," + coffee + ",1,,EUR,,\r\n"                           // 11
      "CUR-" + x + "," + a + "," + tea + ",1,,USD,,\r\n"                              // 12: disagrees with 11
      "USD-" + x + "," + a + "," + coffee + ",1,,USD,,\r\n"                           // 13: not the customer's
      "COL-" + x + "," + a + "," + coffee + "\r\n"                                    // 14: columns missing
      "MANY-" + x + "," + a + "," + coffee + ",1,,," + "\r\n"                         // 15: one short too
      ",,,,,,,\r\n"                                                                    // 16: blank, ignored
      "G3-" + x + "," + a + "," + coffee + ",1,7.5,,PO-" + x + ",\r\n"                 // 17: own external_ref
      "MULTI-" + x + "," + a + ",NOPE-" + x + ",1,,,,\r\n"                            // 18
      "MULTI-" + x + "," + a + "," + coffee + ",-2,,,,\r\n";                          // 19: both rows bad

  const auto first = run_import(csv);
  EXPECT_EQ(first.rc, 1) << first.out;
  const std::map<int, std::string> expected = {
      {5, "unknown_customer (customer_id)"},  {7, "unknown_sku (sku)"},
      {9, "non_positive_quantity (quantity)"}, {10, "too_many_decimals (quantity)"},
      {12, "group_mismatch (currency)"},       {13, "currency_mismatch (currency)"},
      {14, "field_count (quantity)"},          {15, "field_count (ship_to)"},
      {18, "unknown_sku (sku)"},               {19, "non_positive_quantity (quantity)"}};
  EXPECT_EQ(bad_lines(first.out), expected) << first.out;
  EXPECT_NE(first.out.find("imported 3 orders (4 lines), refused 9 orders, skipped 0 already imported"),
            std::string::npos)
      << first.out;

  // Only the good orders exist, priced and reserved as through the API.
  const json of_a = orders_of(a), of_b = orders_of(b);
  EXPECT_EQ(external_refs(of_a), (std::set<std::string>{"G1-" + x, "PO-" + x}));
  EXPECT_EQ(external_refs(of_b), (std::set<std::string>{"G2-" + x}));
  for (const auto& o : of_a) {
    if (o["external_ref"] == "G1-" + x) {
      EXPECT_EQ(o["status"], "open");
      EXPECT_EQ(o["ship_to"], "Dock 4, Gate \"B\"");
      ASSERT_EQ(o["lines"].size(), 2u) << o.dump();
      EXPECT_EQ(o["lines"][0]["sku"], coffee);
      EXPECT_EQ(o["lines"][0]["reserved"], "2");
      EXPECT_EQ(o["lines"][1]["sku"], tea);
      EXPECT_EQ(o["net_total"], "32.00");
    } else {
      ASSERT_EQ(o["lines"].size(), 1u) << o.dump();
      EXPECT_EQ(o["lines"][0]["unit_price"], "7.50");
      EXPECT_EQ(o["lines"][0]["price_overridden"], true);
    }
  }
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(of_b[0]["ship_to"], "Hall 2\r\nDoor 3");
  EXPECT_EQ(of_b[0]["lines"][0]["quantity"], "1.5");

  // Audited as the import, like any placement.
  bool audited = false;
  for (const auto& e : list_all(*server_, "/api/v1/events", admin())) {
    if (e["action"] == "placed" && e["entity_id"] == of_b[0]["id"]) audited = e["actor"] == "system:import";
  }
  EXPECT_TRUE(audited);

  // The same file again: the good orders are skipped, the bad rows still reported.
  const json before = state_snapshot(*server_);
  const auto second = run_import(csv);
  EXPECT_EQ(second.rc, 1) << second.out;
  EXPECT_EQ(bad_lines(second.out), expected) << second.out;
  EXPECT_NE(second.out.find("skipped: line 2: already_imported (order_ref)"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("imported 0 orders (0 lines), refused 9 orders, skipped 3 already imported"),
            std::string::npos)
      << second.out;
  EXPECT_EQ(state_snapshot(*server_), before);
}

TEST_F(Import, CleanFileExitsZeroAndTwiceIsSkipped) {
  const std::string a = customer();
  const std::string sku = product("2.50");
  const std::string x = unique_suffix();
  // A byte order mark, LF endings, columns in another order, no final line break.
  const std::string csv = "\xEF\xBB\xBF" "quantity,sku,customer_id,order_ref\n"
                          "1," + sku + "," + a + ",A-" + x + "\n"
                          "2," + sku + "," + a + ",A-" + x + "\n"
                          "\n"
                          "3," + sku + "," + a + ",B-" + x;
  const auto first = run_import(csv, {"--verbose"});
  EXPECT_EQ(first.rc, 0) << first.out;
  EXPECT_TRUE(bad_lines(first.out).empty()) << first.out;
  EXPECT_NE(first.out.find("imported: line 2: order 'A-" + x + "' as SO-"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("imported 2 orders (3 lines), refused 0 orders, skipped 0 already imported"),
            std::string::npos)
      << first.out;
  const auto second = run_import(csv);
  EXPECT_EQ(second.rc, 0) << second.out;
  EXPECT_NE(second.out.find("skipped: line 5: already_imported (order_ref)"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("imported 0 orders (0 lines), refused 0 orders, skipped 2 already imported"),
            std::string::npos)
      << second.out;
  EXPECT_EQ(orders_of(a).size(), 2u);
}

TEST_F(Import, BadHeaderOrSyntaxImportsNothing) {
  const std::string a = customer();
  const std::string sku = product("1.00");
  const json before = state_snapshot(*server_);

  const auto header = run_import("order_ref,customer,sku,price\nH1," + a + "," + sku + ",1\n");
  EXPECT_EQ(header.rc, 1) << header.out;
  for (const char* part : {"line 1: unknown_column (customer)", "line 1: unknown_column (price)",
                           "line 1: missing_column (customer_id)", "line 1: missing_column (quantity)"}) {
    EXPECT_NE(header.out.find(part), std::string::npos) << part << "\n" << header.out;
  }

  const auto quote = run_import("order_ref,customer_id,sku,quantity\nQ1," + a + "," + sku + ",1\nQ2," + a + ",\"" +
                            sku + ",1\nQ3," + a + "," + sku + ",1\n");
  EXPECT_EQ(quote.rc, 1) << quote.out;
  EXPECT_NE(quote.out.find("line 3: unterminated_quote"), std::string::npos) << quote.out;

  const auto nul = run_import(std::string("order_ref,customer_id,sku,quantity\nN1,1,X,\0\n", 44));
  EXPECT_EQ(nul.rc, 1) << nul.out;
  EXPECT_NE(nul.out.find("line 2: nul_byte"), std::string::npos) << nul.out;

  EXPECT_EQ(run_import("").rc, 1);
  EXPECT_EQ(state_snapshot(*server_), before);
}

TEST_F(Import, UsageErrorsExitTwo) {
  std::string out;
  EXPECT_EQ(server_->cli({"import", "orders", "/nonexistent/orders.csv"}, &out), 2) << out;
  EXPECT_EQ(server_->cli({"import", "orders"}, &out), 2) << out;
  const std::string csv = "order_ref,customer_id,sku,quantity\n";
  EXPECT_EQ(run_import(csv, {"--as", "nobody-" + unique_suffix()}).rc, 2);
  const std::string viewer = "import-viewer-" + unique_suffix();
  server_->add_user(viewer, "viewer");
  EXPECT_EQ(run_import(csv, {"--as", viewer}).rc, 2);
}

TEST_F(Import, AsASalesUser) {
  const std::string a = customer();
  const std::string sku = product("1.00");
  const std::string seller = "import-sales-" + unique_suffix();
  server_->add_user(seller, "sales");
  const auto r = run_import("order_ref,customer_id,sku,quantity\nS-" + unique_suffix() + "," + a + "," + sku + ",1\n",
                        {"--as", seller});
  EXPECT_EQ(r.rc, 0) << r.out;
  const json orders = orders_of(a);
  ASSERT_EQ(orders.size(), 1u);
  bool by_seller = false;
  for (const auto& e : list_all(*server_, "/api/v1/events", admin())) {
    if (e["action"] == "placed" && e["entity_id"] == orders[0]["id"]) {
      const std::string actor = e["actor"];
      by_seller = actor.size() > seller.size() && actor.compare(actor.size() - seller.size(), seller.size(), seller) == 0;
    }
  }
  EXPECT_TRUE(by_seller);
}

}  // namespace
}  // namespace o2c::e2e
