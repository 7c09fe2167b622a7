// Master data through HTTP: the company profile, customers, products,
// warehouses and stock receipts. Every refused request is checked for its
// status, error code and field, and for leaving no trace (lists and audit
// trail unchanged): "a failed request changes nothing" is part of the contract.
#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

// Company profile tests need a database where it was never set, so each
// gets a server of its own (there is only one profile to play with).
class CompanyProfile : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<ServerProcess>(); }
  void TearDown() override { expect_verify_ok(*server_); }
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CompanyProfile, NotConfiguredThenPartialThenComplete) {
  const std::string& admin = server_->admin_token();
  auto missing = server_->get("/api/v1/company", admin);
  EXPECT_EQ(missing.status, 404) << missing.raw;
  EXPECT_EQ(error_code(missing), "company_not_configured") << missing.raw;
  EXPECT_TRUE(is_error_body(missing));

  // Refused before any profile exists: still 404 afterwards, no event.
  json before = state_snapshot(*server_);
  auto bad = server_->put("/api/v1/company", admin, {{"name", "Seller"}, {"currency", "XYZ"}});
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(error_code(bad), "unknown_currency");
  EXPECT_EQ(error_field(bad), "currency");
  EXPECT_EQ(server_->get("/api/v1/company", admin).status, 404);
  EXPECT_EQ(state_snapshot(*server_), before);

  // Name and currency are enough to save; invoicing needs more.
  auto partial = server_->put("/api/v1/company", admin, {{"name", "Seller GmbH"}, {"currency", "EUR"}});
  ASSERT_EQ(partial.status, 200) << partial.raw;
  auto read = server_->get("/api/v1/company", admin);
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["name"], "Seller GmbH");
  EXPECT_EQ(read.body["currency"], "EUR");
  EXPECT_EQ(read.body["complete"], false);
  std::set<std::string> missing_fields;
  for (const auto& f : read.body["missing_for_invoicing"]) missing_fields.insert(f.get<std::string>());
  EXPECT_EQ(missing_fields, (std::set<std::string>{"vat_id", "country", "address", "iban"})) << read.raw;

  json full = {{"name", "Seller GmbH"},  {"vat_id", "DE811907980"},          {"country", "DE"},
               {"address", "Hauptstr. 1, 10115 Berlin"}, {"iban", "DE89370400440532013000"},
               {"bic", "COBADEFFXXX"},   {"currency", "EUR"},                 {"peppol_id", "9930:DE811907980"},
               {"time_zone", "Europe/Berlin"}};
  auto put = server_->put("/api/v1/company", admin, full);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["complete"], true) << put.raw;
  read = server_->get("/api/v1/company", admin);
  ASSERT_EQ(read.status, 200) << read.raw;
  for (const auto& [k, v] : full.items()) EXPECT_EQ(read.body[k], v) << k << ": " << read.raw;
  EXPECT_EQ(read.body["complete"], true);
  EXPECT_TRUE(read.body["missing_for_invoicing"].is_array() && read.body["missing_for_invoicing"].empty())
      << read.raw;

  // The matcher's auto threshold: 90 until set, then what was set, and
  // back to 90 when a later profile leaves it out (PUT replaces the profile).
  EXPECT_EQ(read.body["reconcile_auto_threshold"], 90) << read.raw;
  full["reconcile_auto_threshold"] = 97;
  put = server_->put("/api/v1/company", admin, full);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["reconcile_auto_threshold"], 97) << put.raw;
  EXPECT_EQ(server_->get("/api/v1/company", admin).body["reconcile_auto_threshold"], 97);
  full.erase("reconcile_auto_threshold");
  ASSERT_EQ(server_->put("/api/v1/company", admin, full).status, 200);
  EXPECT_EQ(server_->get("/api/v1/company", admin).body["reconcile_auto_threshold"], 90);

  // Any staff role reads it.
  auto viewer = server_->add_user("company-viewer", "viewer");
  EXPECT_EQ(server_->get("/api/v1/company", viewer).status, 200);
}

TEST_F(CompanyProfile, InvalidUpdatesLeaveTheProfileAsItWas) {
  const std::string& admin = server_->admin_token();
  json good = {{"name", "Seller AG"}, {"currency", "CHF"}, {"country", "CH"}};
  ASSERT_EQ(server_->put("/api/v1/company", admin, good).status, 200);
  json before = state_snapshot(*server_);
  json company_before = server_->get("/api/v1/company", admin).body;

  struct Case {
    json patch;
    int status;
    std::string code, field;
  };
  const std::vector<Case> cases = {
      {{{"name", ""}}, 422, "required", "name"},
      {{{"currency", "XYZ"}}, 422, "unknown_currency", "currency"},
      {{{"country", "ZZ"}}, 422, "invalid_country", "country"},
      {{{"iban", "DE89370400440532013001"}}, 422, "invalid_iban", "iban"},
      {{{"bic", "NOTABIC"}}, 422, "invalid_bic", "bic"},
      {{{"vat_id", "12"}}, 422, "invalid_vat_id", "vat_id"},
      {{{"peppol_id", "DE811907980"}}, 422, "invalid_peppol_id", "peppol_id"},
      {{{"time_zone", "Mars/Olympus Mons"}}, 422, "invalid_time_zone", "time_zone"},
      {{{"address", json::object()}}, 400, "invalid_type", "address"},
      {{{"reconcile_auto_threshold", 0}}, 422, "invalid_threshold", "reconcile_auto_threshold"},
      {{{"reconcile_auto_threshold", 101}}, 422, "invalid_threshold", "reconcile_auto_threshold"},
      {{{"reconcile_auto_threshold", -5}}, 422, "invalid_threshold", "reconcile_auto_threshold"},
  };
  for (const auto& c : cases) {
    json body = good;
    body.update(c.patch);
    SCOPED_TRACE(body.dump());
    auto r = server_->put("/api/v1/company", admin, body);
    EXPECT_EQ(r.status, c.status) << r.raw;
    EXPECT_EQ(error_code(r), c.code) << r.raw;
    EXPECT_EQ(error_field(r), c.field) << r.raw;
    EXPECT_TRUE(is_error_body(r));
  }
  EXPECT_EQ(server_->get("/api/v1/company", admin).body, company_before);
  EXPECT_EQ(state_snapshot(*server_), before);
}

// Customers, products, warehouses and stock share one server: each test
// uses names, SKUs and codes of its own.
class Masterdata : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    warehouse_token_ = new std::string(server_->add_user("md-warehouse", "warehouse"));
  }
  static void TearDownTestSuite() {
    delete warehouse_token_;
    delete server_;
    warehouse_token_ = nullptr;
    server_ = nullptr;
  }
  void TearDown() override { expect_verify_ok(*server_); }

  // Sends body (a JSON value, or raw text when it is a string) and expects
  // the refusal described, with nothing written.
  static void expect_refused(const std::string& path, const json& body, int status, const std::string& code,
                             const std::string& field, const std::string& token = "") {
    SCOPED_TRACE("POST " + path + " " + (body.is_string() ? body.get<std::string>() : body.dump()));
    json before = state_snapshot(*server_);
    auto r = server_->post(path, token.empty() ? server_->admin_token() : token, body);
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_EQ(error_code(r), code) << r.raw;
    EXPECT_EQ(error_field(r), field) << r.raw;
    EXPECT_TRUE(is_error_body(r));
    EXPECT_EQ(state_snapshot(*server_), before) << "a refused request changed something";
  }

  static json product(const std::string& sku) {
    return {{"sku", sku},       {"name", "Widget " + sku}, {"unit_price", "18.90"},
            {"currency", "EUR"}, {"tax_rate", "19"},        {"tax_category", "S"}};
  }

  static ServerProcess* server_;
  static std::string* warehouse_token_;
};
ServerProcess* Masterdata::server_ = nullptr;
std::string* Masterdata::warehouse_token_ = nullptr;

TEST_F(Masterdata, CustomerIsCreatedAndReadBackWithEveryField) {
  const std::string& admin = server_->admin_token();
  json body = {{"name", "Müller & Söhne KG"},
               {"email", "billing@mueller.example"},
               {"currency", "EUR"},
               {"credit_limit", "25000.50"},
               {"payment_terms", "2/10NET30"},
               {"vat_id", "DE811907980"},
               {"country", "DE"},
               {"address", "Industriestr. 5\n70565 Stuttgart"},
               {"iban", "DE89370400440532013000"},
               {"peppol_id", "9930:DE811907980"},
               {"billing", "consolidated"}};
  auto created = server_->post("/api/v1/customers", admin, body);
  ASSERT_EQ(created.status, 201) << created.raw;
  ASSERT_TRUE(created.body["id"].is_string()) << created.raw;
  std::string id = created.body["id"];

  auto read = server_->get("/api/v1/customers/" + id, admin);
  ASSERT_EQ(read.status, 200) << read.raw;
  for (const auto& [k, v] : body.items()) EXPECT_EQ(read.body[k], v) << k << ": " << read.raw;
  EXPECT_EQ(read.body["id"], id);
  EXPECT_EQ(read.body["balance"], "0.00");
  EXPECT_EQ(read.body["credit_balance"], "0.00");
  EXPECT_EQ(read.body["overdue_amount"], "0.00");
  EXPECT_EQ(read.body["credit_available"], "25000.50");
  EXPECT_EQ(read.body["credit_block"], false);
  EXPECT_EQ(created.body, read.body) << "the create reply and the read disagree";

  // The list shows the same document.
  bool listed = false;
  for (const auto& c : list_all(*server_, "/api/v1/customers", admin)) {
    if (c["id"] == id) {
      listed = true;
      EXPECT_EQ(c, read.body);
    }
  }
  EXPECT_TRUE(listed);

  // Optional fields left out read back as null, billing defaults to per_shipment.
  auto minimal = server_->post("/api/v1/customers", admin, valid_customer("Minimal " + unique_suffix()));
  ASSERT_EQ(minimal.status, 201) << minimal.raw;
  for (const char* k : {"vat_id", "address", "iban", "peppol_id"}) EXPECT_TRUE(minimal.body[k].is_null()) << k;
  EXPECT_EQ(minimal.body["billing"], "per_shipment");

  auto unknown = server_->get("/api/v1/customers/999999", admin);
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  EXPECT_TRUE(is_error_body(unknown));
  EXPECT_EQ(server_->get("/api/v1/customers/not-an-id", admin).status, 404);
}

TEST_F(Masterdata, CurrencyDecimalsFollowTheCurrency) {
  const std::string& admin = server_->admin_token();
  json kwd = valid_customer("Kuwait " + unique_suffix());
  kwd["currency"] = "KWD";
  kwd["credit_limit"] = "1.234";
  auto ok = server_->post("/api/v1/customers", admin, kwd);
  ASSERT_EQ(ok.status, 201) << ok.raw;
  auto read = server_->get("/api/v1/customers/" + ok.body["id"].get<std::string>(), admin);
  EXPECT_EQ(read.body["credit_limit"], "1.234") << read.raw;
  EXPECT_EQ(read.body["balance"], "0.000") << read.raw;

  json jpy = valid_customer("Tokyo " + unique_suffix());
  jpy["currency"] = "JPY";
  jpy["credit_limit"] = "100";
  auto yen = server_->post("/api/v1/customers", admin, jpy);
  ASSERT_EQ(yen.status, 201) << yen.raw;
  EXPECT_EQ(yen.body["credit_limit"], "100") << yen.raw;
}

TEST_F(Masterdata, InvalidCustomersAreRefusedAndWriteNothing) {
  struct Case {
    std::string what;
    json patch;             // merged into a valid customer
    std::string drop;       // a field removed from it
    int status;
    std::string code, field;
  };
  const std::vector<Case> cases = {
      {"unknown currency", {{"currency", "XYZ"}}, "", 422, "unknown_currency", "currency"},
      {"negative credit limit", {{"credit_limit", "-1.00"}}, "", 422, "negative_amount", "credit_limit"},
      {"EUR with 3 decimals", {{"credit_limit", "100.001"}}, "", 422, "too_many_decimals", "credit_limit"},
      {"JPY with decimals", {{"currency", "JPY"}, {"credit_limit", "100.5"}}, "", 422, "too_many_decimals", "credit_limit"},
      {"KWD with 4 decimals", {{"currency", "KWD"}, {"credit_limit", "1.2345"}}, "", 422, "too_many_decimals", "credit_limit"},
      {"empty name", {{"name", ""}}, "", 422, "required", "name"},
      {"blank name", {{"name", "   "}}, "", 422, "required", "name"},
      {"missing name", {}, "name", 422, "required", "name"},
      {"missing email", {}, "email", 422, "required", "email"},
      {"invalid email", {{"email", "not-an-address"}}, "", 422, "invalid_email", "email"},
      {"missing credit limit", {}, "credit_limit", 422, "required", "credit_limit"},
      {"credit limit not a number", {{"credit_limit", "lots"}}, "", 422, "invalid_amount", "credit_limit"},
      {"invalid IBAN checksum", {{"iban", "DE89370400440532013001"}}, "", 422, "invalid_iban", "iban"},
      {"IBAN too short", {{"iban", "DE00123"}}, "", 422, "invalid_iban", "iban"},
      {"invalid country", {{"country", "XX"}}, "", 422, "invalid_country", "country"},
      {"missing country", {}, "country", 422, "required", "country"},
      {"unknown payment terms", {{"payment_terms", "NET99"}}, "", 422, "unknown_payment_terms", "payment_terms"},
      {"invalid billing", {{"billing", "weekly"}}, "", 422, "invalid_billing", "billing"},
      {"invalid VAT id", {{"vat_id", "12"}}, "", 422, "invalid_vat_id", "vat_id"},
      {"invalid Peppol id", {{"peppol_id", "DE811907980"}}, "", 422, "invalid_peppol_id", "peppol_id"},
      {"name is an object", {{"name", {{"first", "A"}}}}, "", 400, "invalid_type", "name"},
      {"credit limit is an array", {{"credit_limit", {1, 2}}}, "", 400, "invalid_type", "credit_limit"},
      {"billing is a boolean", {{"billing", true}}, "", 400, "invalid_type", "billing"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    json body = valid_customer("Refused " + unique_suffix());
    if (c.patch.is_object()) body.update(c.patch);
    if (!c.drop.empty()) body.erase(c.drop);
    expect_refused("/api/v1/customers", body, c.status, c.code, c.field);
  }
  // Bodies that are not a JSON object at all: no field to blame.
  expect_refused("/api/v1/customers", json("{\"name\": \"ACME\", "), 400, "malformed_json", "");
  expect_refused("/api/v1/customers", json("not json"), 400, "malformed_json", "");
  expect_refused("/api/v1/customers", json("[1, 2]"), 400, "malformed_json", "");
  expect_refused("/api/v1/customers", json("\"a string\""), 400, "malformed_json", "");
  expect_refused("/api/v1/customers", json("42"), 400, "malformed_json", "");
}

TEST_F(Masterdata, ProductsValidateAndRefuseDuplicateSku) {
  const std::string& admin = server_->admin_token();
  std::string sku = "MD-" + unique_suffix();
  json body = product(sku);
  body["unit_cost"] = "11.2";
  auto created = server_->post("/api/v1/products", admin, body);
  ASSERT_EQ(created.status, 201) << created.raw;
  auto read = server_->get("/api/v1/products/" + created.body["id"].get<std::string>(), admin);
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["sku"], sku);
  EXPECT_EQ(read.body["unit_price"], "18.90");
  EXPECT_EQ(read.body["unit_cost"], "11.20");
  EXPECT_EQ(read.body["tax_rate"], "19.00");
  EXPECT_EQ(read.body["tax_category"], "S");
  EXPECT_EQ(read.body["currency"], "EUR");

  // A unit price may carry 4 decimals (e.g. bulk parts priced per piece).
  json fine = product("MD-" + unique_suffix());
  fine["unit_price"] = "0.0125";
  auto four = server_->post("/api/v1/products", admin, fine);
  ASSERT_EQ(four.status, 201) << four.raw;
  EXPECT_EQ(four.body["unit_price"], "0.0125");

  struct Case {
    std::string what;
    json patch;
    int status;
    std::string code, field;
  };
  const std::vector<Case> cases = {
      {"duplicate SKU", {{"sku", sku}}, 422, "duplicate_sku", "sku"},
      {"5-decimal unit price", {{"unit_price", "1.23456"}}, 422, "too_many_decimals", "unit_price"},
      {"5-decimal unit cost", {{"unit_cost", "1.23456"}}, 422, "too_many_decimals", "unit_cost"},
      {"negative unit price", {{"unit_price", "-1.00"}}, 422, "negative_amount", "unit_price"},
      {"S with rate 0", {{"tax_category", "S"}, {"tax_rate", "0"}}, 422, "invalid_tax_rate", "tax_rate"},
      {"Z with a rate", {{"tax_category", "Z"}, {"tax_rate", "7"}}, 422, "invalid_tax_rate", "tax_rate"},
      {"rate over 100", {{"tax_rate", "101"}}, 422, "invalid_tax_rate", "tax_rate"},
      {"unknown category", {{"tax_category", "Q"}}, 422, "invalid_tax_category", "tax_category"},
      {"unknown currency", {{"currency", "XYZ"}}, 422, "unknown_currency", "currency"},
      {"SKU with a space", {{"sku", "MD X"}}, 422, "invalid_sku", "sku"},
      {"empty SKU", {{"sku", ""}}, 422, "required", "sku"},
      {"unit price is an object", {{"unit_price", json::object()}}, 400, "invalid_type", "unit_price"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    json b = product("MD-" + unique_suffix());
    b.update(c.patch);
    expect_refused("/api/v1/products", b, c.status, c.code, c.field);
  }
  // Zero-rated categories are accepted with rate 0.
  json zero = product("MD-" + unique_suffix());
  zero["tax_category"] = "Z";
  zero["tax_rate"] = "0";
  EXPECT_EQ(server_->post("/api/v1/products", admin, zero).status, 201);
  EXPECT_EQ(server_->get("/api/v1/products/999999", admin).status, 404);
}

// The duplicate check and the insert are two steps: requests racing for one
// SKU or code must still end with one record and clean 422s, never a 500.
TEST_F(Masterdata, ConcurrentDuplicatesGiveOneRecordAndCleanRefusals) {
  const std::string& admin = server_->admin_token();
  struct Race {
    std::string path;
    json body;
    std::string code, field;
  };
  const std::vector<Race> races = {
      {"/api/v1/products", product("RACE-" + unique_suffix()), "duplicate_sku", "sku"},
      {"/api/v1/warehouses", {{"code", "RACE" + unique_suffix()}, {"name", "Race"}}, "duplicate_code", "code"},
  };
  for (const auto& race : races) {
    SCOPED_TRACE(race.path);
    constexpr int kThreads = 8;
    std::vector<Response> replies(kThreads);
    std::vector<std::string> failures(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          replies[i] = server_->post(race.path, admin, race.body);
        } catch (const std::exception& e) {
          failures[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    int created = 0;
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_EQ(failures[i], "");
      if (replies[i].status == 201) {
        ++created;
        continue;
      }
      EXPECT_EQ(replies[i].status, 422) << replies[i].raw;
      EXPECT_EQ(error_code(replies[i]), race.code) << replies[i].raw;
      EXPECT_EQ(error_field(replies[i]), race.field) << replies[i].raw;
    }
    EXPECT_EQ(created, 1);
    const std::string key = race.field == "sku" ? "sku" : "code";
    int stored = 0;
    for (const auto& item : list_all(*server_, race.path, admin)) {
      if (item[key] == race.body[key]) ++stored;
    }
    EXPECT_EQ(stored, 1);
  }
}

TEST_F(Masterdata, WarehousesRefuseDuplicateCode) {
  const std::string& admin = server_->admin_token();
  std::string code = "WH" + unique_suffix();
  auto created = server_->post("/api/v1/warehouses", admin, {{"code", code}, {"name", "Main"}, {"priority", 5}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["code"], code);
  EXPECT_EQ(created.body["priority"], 5);
  expect_refused("/api/v1/warehouses", {{"code", code}, {"name", "Again"}}, 422, "duplicate_code", "code");
  expect_refused("/api/v1/warehouses", {{"code", "W 1"}, {"name", "Space"}}, 422, "invalid_code", "code");
  expect_refused("/api/v1/warehouses", {{"code", "WH" + unique_suffix()}}, 422, "required", "name");
  expect_refused("/api/v1/warehouses", {{"code", "WH" + unique_suffix()}, {"name", "N"}, {"priority", "high"}}, 400,
                 "invalid_type", "priority");
}

TEST_F(Masterdata, StockReceiptsValidateAndAverageTheCost) {
  const std::string& admin = server_->admin_token();
  const std::string& wh = *warehouse_token_;
  std::string sku = "ST-" + unique_suffix();
  ASSERT_EQ(server_->post("/api/v1/products", admin, product(sku)).status, 201);
  std::string main = "STA" + unique_suffix();
  std::string spare = "STB" + unique_suffix();
  ASSERT_EQ(server_->post("/api/v1/warehouses", admin, {{"code", main}, {"name", "Main"}}).status, 201);
  ASSERT_EQ(server_->post("/api/v1/warehouses", admin, {{"code", spare}, {"name", "Spare"}}).status, 201);

  auto receipt = [&](const std::string& w, const std::string& s, const std::string& qty, const std::string& cost) {
    return json{{"warehouse", w}, {"sku", s}, {"quantity", qty}, {"unit_cost", cost}};
  };
  expect_refused("/api/v1/stock/receipts", receipt(main, "NO-SUCH-SKU", "1", "1.00"), 422, "unknown_sku", "sku", wh);
  expect_refused("/api/v1/stock/receipts", receipt("NOWHERE", sku, "1", "1.00"), 422, "unknown_warehouse",
                 "warehouse", wh);
  expect_refused("/api/v1/stock/receipts", receipt(main, sku, "0", "1.00"), 422, "non_positive_quantity",
                 "quantity", wh);
  expect_refused("/api/v1/stock/receipts", receipt(main, sku, "-5", "1.00"), 422, "non_positive_quantity",
                 "quantity", wh);
  expect_refused("/api/v1/stock/receipts", receipt(main, sku, "1.2345", "1.00"), 422, "too_many_decimals",
                 "quantity", wh);
  expect_refused("/api/v1/stock/receipts", receipt(main, sku, "1", "-1.00"), 422, "negative_amount", "unit_cost", wh);
  expect_refused("/api/v1/stock/receipts", receipt(main, sku, "1", "1.00001"), 422, "too_many_decimals",
                 "unit_cost", wh);
  json no_qty = receipt(main, sku, "1", "1.00");
  no_qty.erase("quantity");
  expect_refused("/api/v1/stock/receipts", no_qty, 422, "required", "quantity", wh);

  auto first = server_->post("/api/v1/stock/receipts", wh, receipt(main, sku, "10", "2.00"));
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(first.body["stock"]["on_hand"], "10") << first.raw;
  EXPECT_EQ(first.body["stock"]["average_cost"], "2.00") << first.raw;
  auto second = server_->post("/api/v1/stock/receipts", wh, receipt(main, sku, "30", "4.00"));
  ASSERT_EQ(second.status, 201) << second.raw;
  // (10 x 2.00 + 30 x 4.00) / 40 = 3.50
  EXPECT_EQ(second.body["stock"]["on_hand"], "40") << second.raw;
  EXPECT_EQ(second.body["stock"]["average_cost"], "3.50") << second.raw;
  auto third = server_->post("/api/v1/stock/receipts", wh, receipt(spare, sku, "2.5", "1.00"));
  ASSERT_EQ(third.status, 201) << third.raw;
  EXPECT_EQ(third.body["stock"]["on_hand"], "2.5") << third.raw;

  // One row per warehouse, also for warehouses that never held the product.
  auto stock = server_->get("/api/v1/stock?sku=" + sku, admin);
  ASSERT_EQ(stock.status, 200) << stock.raw;
  std::set<std::string> codes_seen;
  for (const auto& row : stock.body["data"]) {
    std::string code = row["warehouse"];
    EXPECT_TRUE(codes_seen.insert(code).second) << "warehouse listed twice: " << code;
    EXPECT_EQ(row["sku"], sku);
    EXPECT_EQ(row["reserved"], "0") << row;
    if (code == main) {
      EXPECT_EQ(row["on_hand"], "40") << row;
      EXPECT_EQ(row["available"], "40") << row;
      EXPECT_EQ(row["average_cost"], "3.50") << row;
    } else if (code == spare) {
      EXPECT_EQ(row["on_hand"], "2.5") << row;
      EXPECT_EQ(row["available"], "2.5") << row;
    } else {
      EXPECT_EQ(row["on_hand"], "0") << row;
      EXPECT_EQ(row["available"], "0") << row;
    }
  }
  std::set<std::string> all_codes;
  for (const auto& w : list_all(*server_, "/api/v1/warehouses", admin)) all_codes.insert(w["code"].get<std::string>());
  EXPECT_EQ(codes_seen, all_codes) << stock.raw;

  auto unknown = server_->get("/api/v1/stock?sku=NO-SUCH-SKU", admin);
  EXPECT_EQ(unknown.status, 404) << unknown.raw;
  EXPECT_TRUE(is_error_body(unknown));
}

}  // namespace
}  // namespace o2c::e2e

namespace o2c::e2e {
namespace {

TEST(CustomerUpdate, OnlyTheFieldsSentChangeAndBadChangesWriteNothing) {
  ServerProcess server;
  const std::string& admin = server.admin_token();
  auto created = server.post("/api/v1/customers", admin, valid_customer("Patch Me GmbH"));
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string path = "/api/v1/customers/" + created.body["id"].get<std::string>();

  auto changed = server.request("PATCH", path, admin, json{{"credit_limit", "7500.25"}, {"address", "Kai 1, Hamburg"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["credit_limit"], "7500.25");
  EXPECT_EQ(changed.body["credit_available"], "7500.25");
  EXPECT_EQ(changed.body["address"], "Kai 1, Hamburg");
  EXPECT_EQ(changed.body["name"], "Patch Me GmbH");

  auto cleared = server.request("PATCH", path, admin, json{{"address", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.raw;
  EXPECT_TRUE(cleared.body["address"].is_null());

  json before = state_snapshot(server);
  struct Bad {
    json body;
    int status;
    const char* code;
    const char* field;
  };
  for (const Bad& bad : {Bad{{{"credit_limit", "-1"}}, 422, "negative_amount", "credit_limit"},
                         Bad{{{"currency", "JPY"}}, 422, "credit_limit_required", "credit_limit"},
                         Bad{{{"currency", "JPY"}, {"credit_limit", "10.5"}}, 422, "too_many_decimals", "credit_limit"},
                         Bad{{{"name", ""}}, 422, "required", "name"},
                         Bad{{{"colour", "red"}}, 422, "unknown_field", "colour"},
                         Bad{{{"name", json::object()}}, 400, "invalid_type", "name"}}) {
    auto r = server.request("PATCH", path, admin, bad.body);
    EXPECT_EQ(r.status, bad.status) << bad.body.dump() << " -> " << r.raw;
    EXPECT_EQ(error_code(r), bad.code) << r.raw;
    EXPECT_EQ(error_field(r), bad.field) << r.raw;
  }
  EXPECT_EQ(state_snapshot(server), before) << "a refused change wrote something";

  // An empty change is not an update: no event, no new updated_at.
  auto noop = server.request("PATCH", path, admin, json::object());
  ASSERT_EQ(noop.status, 200) << noop.raw;
  EXPECT_EQ(state_snapshot(server), before);

  auto viewer = server.add_user("patch-viewer", "viewer");
  EXPECT_EQ(server.request("PATCH", path, viewer, json{{"name", "X"}}).status, 403);
  EXPECT_EQ(server.request("PATCH", "/api/v1/customers/999999", admin, json{{"name", "X"}}).status, 404);
  expect_verify_ok(server);
}

}  // namespace
}  // namespace o2c::e2e
