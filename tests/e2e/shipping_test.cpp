// Shipping through HTTP: an order that passes credit ships in two partial
// shipments from two warehouses; stock falls on hand and reserved together,
// cost of goods sold is posted at each warehouse's moving average cost, the
// pick list shows warehouse, bin, SKU and quantity; delivery; and every
// refusal leaves no trace. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

class Shipping : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--today", "2026-11-20"});
    sales_ = new std::string(server_->add_user("ship-sales", "sales"));
    warehouse_ = new std::string(server_->add_user("ship-warehouse", "warehouse"));
    accountant_ = new std::string(server_->add_user("ship-accountant", "accountant"));
    auto c = server_->put("/api/v1/company", server_->admin_token(), complete_company());
    ASSERT_EQ(c.status, 200) << c.raw;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete sales_;
    delete warehouse_;
    delete accountant_;
    server_ = nullptr;
  }
  void TearDown() override { expect_verify_ok(*server_); }

  static const std::string& admin() { return server_->admin_token(); }
  static std::string customer(const std::string& limit) {
    json c = valid_customer("Ship Customer " + unique_suffix());
    c["credit_limit"] = limit;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product(const std::string& price) {
    std::string sku = "SHP-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Widget " + sku}, {"unit_price", price}, {"currency", "EUR"},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return sku;
  }
  static std::string warehouse(int priority) {
    std::string code = "WS" + unique_suffix();
    auto r = server_->post("/api/v1/warehouses", admin(), {{"code", code}, {"name", "W"}, {"priority", priority}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return code;
  }
  static json receive(const std::string& wh, const std::string& sku, const std::string& qty, const std::string& cost,
                      const std::string& bin = "") {
    json body = {{"warehouse", wh}, {"sku", sku}, {"quantity", qty}, {"unit_cost", cost}};
    if (!bin.empty()) body["bin"] = bin;
    auto r = server_->post("/api/v1/stock/receipts", *warehouse_, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  static std::map<std::string, std::pair<std::string, std::string>> stock(const std::string& sku) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    for (const auto& l : list_all(*server_, "/api/v1/stock?sku=" + sku, admin())) {
      out[l["warehouse"]] = {l["on_hand"], l["reserved"]};
    }
    return out;
  }
  static json place(const std::string& cust, const std::string& sku, const std::string& qty) {
    auto r = server_->post("/api/v1/orders", *sales_,
                           {{"customer_id", cust}, {"lines", json::array({{{"sku", sku}, {"quantity", qty}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  static Response ship(const json& body) { return server_->post("/api/v1/shipments", *warehouse_, body); }
  static json entries_of(const std::string& type, const std::string& id) {
    auto r = server_->get("/api/v1/ledger/entries?source_type=" + type + "&source_id=" + id, *accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["data"];
  }

  static ServerProcess* server_;
  static std::string* sales_;
  static std::string* warehouse_;
  static std::string* accountant_;
};

ServerProcess* Shipping::server_ = nullptr;
std::string* Shipping::sales_ = nullptr;
std::string* Shipping::warehouse_ = nullptr;
std::string* Shipping::accountant_ = nullptr;

TEST_F(Shipping, OrderShipsInTwoPartialShipmentsPostingCostOfGoodsSold) {
  auto cust = customer("5000.00");
  auto sku = product("10.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  // W1: 3 at 2.00 in bin A-01; W2: 2 at 3.00 and 2 at 4.00 -> average 3.50.
  auto r1 = receive(w1, sku, "3", "2.00", "A-01");
  receive(w2, sku, "2", "3.00");
  receive(w2, sku, "2", "4.00");
  // Each receipt posts inventory / goods received not invoiced at its cost.
  auto receipt_entries = entries_of("stock_receipt", r1["id"]);
  ASSERT_EQ(receipt_entries.size(), 1u) << receipt_entries;
  EXPECT_EQ(receipt_entries[0]["currency"], "EUR");
  EXPECT_EQ(receipt_entries[0]["lines"][0]["account"], "1200");
  EXPECT_EQ(receipt_entries[0]["lines"][0]["debit"], "6.00");
  EXPECT_EQ(receipt_entries[0]["lines"][1]["account"], "2300");
  EXPECT_EQ(receipt_entries[0]["lines"][1]["credit"], "6.00");

  auto order = place(cust, sku, "6");
  ASSERT_EQ(order["status"], "open");
  ASSERT_EQ(order["lines"][0]["reserved"], "6");

  // First shipment: 4 units; W1 (priority 1) gives its 3, W2 one more.
  auto s1 = ship({{"order_id", order["id"]},
                  {"lines", json::array({{{"sku", sku}, {"quantity", "4"}}})},
                  {"carrier", "DHL"},
                  {"tracking_number", "JD0001"}});
  ASSERT_EQ(s1.status, 201) << s1.raw;
  EXPECT_EQ(s1.body["status"], "shipped");
  EXPECT_EQ(s1.body["order_id"], order["id"]);
  EXPECT_EQ(s1.body["carrier"], "DHL");
  EXPECT_EQ(s1.body["tracking_number"], "JD0001");
  EXPECT_EQ(s1.body["shipped_on"], "2026-11-20");
  EXPECT_TRUE(s1.body["number"].get<std::string>().rfind("SH-", 0) == 0) << s1.raw;
  EXPECT_EQ(s1.body["cost"], "9.50");  // 3 x 2.00 + 1 x 3.50
  ASSERT_EQ(s1.body["lines"].size(), 2u) << s1.raw;

  auto after1 = server_->get("/api/v1/orders/" + order["id"].get<std::string>(), admin());
  EXPECT_EQ(after1.body["status"], "partially_shipped");
  EXPECT_EQ(after1.body["lines"][0]["shipped"], "4");
  EXPECT_EQ(after1.body["lines"][0]["reserved"], "2");
  auto st = stock(sku);
  EXPECT_EQ(st[w1], std::make_pair(std::string("0"), std::string("0")));
  EXPECT_EQ(st[w2], std::make_pair(std::string("3"), std::string("2")));

  auto cogs1 = entries_of("shipment", s1.body["id"]);
  ASSERT_EQ(cogs1.size(), 1u) << cogs1;
  EXPECT_EQ(cogs1[0]["lines"][0]["account"], "5000");
  EXPECT_EQ(cogs1[0]["lines"][0]["debit"], "9.50");
  EXPECT_EQ(cogs1[0]["lines"][1]["account"], "1200");
  EXPECT_EQ(cogs1[0]["lines"][1]["credit"], "9.50");
  EXPECT_EQ(cogs1[0]["entry_date"], "2026-11-20");

  // The pick list: warehouse, bin, SKU, quantity; printable as HTML or text.
  const std::string id1 = s1.body["id"];
  auto pick = server_->get("/api/v1/shipments/" + id1 + "/pick-list", *warehouse_);
  ASSERT_EQ(pick.status, 200) << pick.raw;
  ASSERT_EQ(pick.body["lines"].size(), 2u);
  EXPECT_EQ(pick.body["lines"][0]["warehouse"], w1);
  EXPECT_EQ(pick.body["lines"][0]["bin"], "A-01");
  EXPECT_EQ(pick.body["lines"][0]["sku"], sku);
  EXPECT_EQ(pick.body["lines"][0]["quantity"], "3");
  EXPECT_EQ(pick.body["lines"][1]["warehouse"], w2);
  EXPECT_TRUE(pick.body["lines"][1]["bin"].is_null());
  EXPECT_EQ(pick.body["lines"][1]["quantity"], "1");
  auto html = server_->get("/api/v1/shipments/" + id1 + "/pick-list?format=html", *warehouse_);
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(html.raw.find("A-01"), std::string::npos);
  EXPECT_NE(html.raw.find(sku), std::string::npos);
  auto text = server_->get("/api/v1/shipments/" + id1 + "/pick-list?format=text", *warehouse_);
  ASSERT_EQ(text.status, 200);
  EXPECT_NE(text.raw.find(w1 + "\tA-01\t" + sku + "\t3"), std::string::npos) << text.raw;

  // Cancel after a shipment is a conflict.
  auto cancel = server_->post("/api/v1/orders/" + order["id"].get<std::string>() + "/cancel", *sales_, json::object());
  EXPECT_EQ(cancel.status, 409) << cancel.raw;
  EXPECT_EQ(error_code(cancel), "already_shipped");

  // Second shipment without lines: the rest of what is reserved.
  auto s2 = ship({{"order_id", order["id"]}});
  ASSERT_EQ(s2.status, 201) << s2.raw;
  EXPECT_EQ(s2.body["cost"], "7.00");
  auto after2 = server_->get("/api/v1/orders/" + order["id"].get<std::string>(), admin());
  // Shipped in full, and invoiced with the shipment (per-shipment billing).
  EXPECT_EQ(after2.body["status"], "invoiced");
  EXPECT_EQ(after2.body["lines"][0]["shipped"], "6");
  EXPECT_EQ(after2.body["lines"][0]["reserved"], "0");
  st = stock(sku);
  EXPECT_EQ(st[w2], std::make_pair(std::string("1"), std::string("0")));

  auto again = ship({{"order_id", order["id"]}});
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(error_code(again), "nothing_to_ship");

  auto listed = list_all(*server_, "/api/v1/shipments?order_id=" + order["id"].get<std::string>(), admin());
  ASSERT_EQ(listed.size(), 2u);

  // Delivery.
  auto d = server_->post("/api/v1/shipments/" + id1 + "/deliver", *warehouse_, {{"as_of", "2026-11-21"}});
  ASSERT_EQ(d.status, 200) << d.raw;
  EXPECT_EQ(d.body["status"], "delivered");
  EXPECT_EQ(d.body["delivered_on"], "2026-11-21");
  auto d2 = server_->post("/api/v1/shipments/" + id1 + "/deliver", *warehouse_, json::object());
  EXPECT_EQ(d2.status, 409);
  EXPECT_EQ(error_code(d2), "already_delivered");
  auto early = server_->post("/api/v1/shipments/" + s2.body["id"].get<std::string>() + "/deliver", *warehouse_,
                             {{"as_of", "2026-11-19"}});
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(error_code(early), "delivered_before_shipped");
  EXPECT_EQ(server_->post("/api/v1/shipments/999999/deliver", *warehouse_, json::object()).status, 404);

  // The events the later workers need are in the outbox order of things: the
  // audit trail has the shipment and the order's moves.
  auto events = list_all(*server_, "/api/v1/events", admin());
  int shipped = 0;
  for (const auto& e : events) {
    if (e["entity"] == "order" && e["entity_id"] == order["id"] &&
        (e["action"] == "shipped" || e["action"] == "partially_shipped")) {
      ++shipped;
    }
  }
  EXPECT_EQ(shipped, 2);
}

TEST_F(Shipping, RefusalsNameTheFieldAndWriteNothing) {
  auto cust = customer("5000.00");
  auto sku = product("10.00");
  auto other = product("5.00");
  auto w = warehouse(5);
  receive(w, sku, "5", "1.00");
  auto order = place(cust, sku, "2");
  ASSERT_EQ(order["status"], "open");
  auto poor = customer("1.00");
  auto held = place(poor, sku, "1");
  ASSERT_EQ(held["status"], "credit_hold");

  const std::string oid = order["id"];
  struct Case {
    json body;
    int status;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {json::object(), 422, "required", "order_id"},
      {{{"order_id", "999999"}}, 422, "unknown_order", "order_id"},
      {{{"order_id", "abc"}}, 422, "unknown_order", "order_id"},
      {{{"order_id", held["id"]}}, 409, "order_on_credit_hold", ""},
      {{{"order_id", oid}, {"lines", json::array()}}, 422, "required", "lines"},
      {{{"order_id", oid}, {"lines", json::array({{{"sku", sku}, {"quantity", "3"}}})}}, 422, "exceeds_reserved",
       "lines[0].quantity"},
      {{{"order_id", oid}, {"lines", json::array({{{"sku", other}, {"quantity", "1"}}})}}, 422, "not_on_order",
       "lines[0].sku"},
      {{{"order_id", oid}, {"lines", json::array({{{"sku", sku}, {"quantity", "1.2345"}}})}}, 422,
       "too_many_decimals", "lines[0].quantity"},
      {{{"order_id", oid}, {"lines", json::array({{{"sku", sku}, {"quantity", "0"}}})}}, 422,
       "non_positive_quantity", "lines[0].quantity"},
      {{{"order_id", oid}, {"lines", json::array({{{"sku", sku}}})}}, 422, "required", "lines[0].quantity"},
      {{{"order_id", oid}, {"as_of", "2026-13-01"}}, 422, "invalid_date", "as_of"},
      {{{"order_id", oid}, {"lines", "all"}}, 400, "invalid_type", "lines"},
  };
  auto before = state_snapshot(*server_);
  for (const auto& c : cases) {
    auto r = ship(c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.raw;
    EXPECT_TRUE(is_error_body(r)) << r.raw;
    EXPECT_EQ(error_code(r), c.code) << r.raw;
    EXPECT_EQ(error_field(r), c.field) << r.raw;
  }
  EXPECT_EQ(state_snapshot(*server_), before);

  // Roles: sales may not ship; a viewer may read but not ship.
  auto viewer = server_->add_user("ship-viewer-" + unique_suffix(), "viewer");
  EXPECT_EQ(server_->post("/api/v1/shipments", *sales_, {{"order_id", oid}}).status, 403);
  EXPECT_EQ(server_->post("/api/v1/shipments", viewer, {{"order_id", oid}}).status, 403);
  EXPECT_EQ(server_->get("/api/v1/ledger/entries", viewer).status, 403);
  EXPECT_EQ(server_->get("/api/v1/shipments/999999", viewer).status, 404);
}

TEST_F(Shipping, FunctionalCurrencyIsLockedOnceTheLedgerUsesIt) {
  auto sku = product("1.00");
  receive(warehouse(9), sku, "1", "1.00");
  auto r = server_->put("/api/v1/company", admin(), {{"name", "Seller GmbH"}, {"currency", "USD"}});
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(error_code(r), "functional_currency_locked");
  EXPECT_EQ(error_field(r), "currency");
  EXPECT_EQ(server_->get("/api/v1/company", admin()).body["currency"], "EUR");
}

}  // namespace
}  // namespace o2c::e2e
