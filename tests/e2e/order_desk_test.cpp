// What the console's order desk and warehouse screens call besides the
// contract's routes: the quote (POST /orders/quote prices an order as
// placing it would, and saves nothing), customer and product search (`q`),
// the warehouse's queue (GET /orders?to_ship=true), an order's pick list
// before it ships, and the backorder queue. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

class OrderDesk : public ShopSuite<OrderDesk> {
 protected:
  static json order_body(const std::string& customer_id, json lines) {
    return {{"customer_id", customer_id}, {"lines", std::move(lines)}};
  }
  static json line(const std::string& sku, const std::string& qty) { return {{"sku", sku}, {"quantity", qty}}; }
  static std::string bare_product(const std::string& name, const std::string& price) {
    std::string sku = "DSK-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", name}, {"unit_price", price}, {"currency", "EUR"},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return sku;
  }
  static void receive(const std::string& sku, const std::string& qty, const std::string& bin = "") {
    json b = {{"warehouse", wh_}, {"sku", sku}, {"quantity", qty}, {"unit_cost", "1.00"}};
    if (!bin.empty()) b["bin"] = bin;
    auto r = server_->post("/api/v1/stock/receipts", warehouse_, b);
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  static json find_line(const json& list, const std::string& order_id) {
    for (const auto& b : list) {
      if (b["order_id"] == order_id) return b;
    }
    return nullptr;
  }
};

TEST_F(OrderDesk, AQuoteIsTheOrderAsPlacedAndSavesNothing) {
  auto cust = customer();
  auto a = product("18.90");
  auto b = product("0.3333");  // a price finer than the cent: rounding is the server's
  json body = order_body(cust, json::array({line(a, "3"), line(b, "7")}));

  const json before = state_snapshot(*server_);
  auto q = server_->post("/api/v1/orders/quote", sales_, body);
  ASSERT_EQ(q.status, 200) << q.raw;
  auto again = server_->post("/api/v1/orders/quote", sales_, body);
  ASSERT_EQ(again.status, 200) << again.raw;
  // No number taken, no reservation, no audit event: nothing at all changed.
  EXPECT_EQ(state_snapshot(*server_), before);
  EXPECT_EQ(q.body, again.body);

  EXPECT_EQ(q.body["status"], "open");
  EXPECT_EQ(q.body["credit_hold"], false);
  EXPECT_TRUE(q.body["hold_reasons"].empty());
  EXPECT_FALSE(q.body.contains("id"));
  EXPECT_FALSE(q.body.contains("number"));
  ASSERT_EQ(q.body["lines"].size(), 2u);
  EXPECT_EQ(q.body["lines"][0]["line_net"], "56.70");
  EXPECT_EQ(q.body["lines"][1]["line_net"], "2.33");  // 7 x 0.3333 = 2.3331
  EXPECT_EQ(q.body["net_total"], "59.03");
  EXPECT_EQ(q.body["tax_total"], "11.22");  // 19 % of 59.03 = 11.2157, once for the category
  EXPECT_EQ(q.body["total"], "70.25");

  auto placed = server_->post("/api/v1/orders", sales_, body);
  ASSERT_EQ(placed.status, 201) << placed.raw;
  for (const char* k : {"net_total", "tax_total", "total", "currency", "customer_id", "status"}) {
    EXPECT_EQ(placed.body[k], q.body[k]) << k;
  }
  for (size_t i = 0; i < 2; ++i) {
    for (const char* k : {"sku", "quantity", "unit_price", "line_net", "tax_rate"}) {
      EXPECT_EQ(placed.body["lines"][i][k], q.body["lines"][i][k]) << i << " " << k;
    }
  }
}

TEST_F(OrderDesk, AQuoteSaysWhyTheOrderWouldBeHeld) {
  auto cust = customer({{"credit_limit", "100.00"}});
  auto sku = product("60.00");
  auto q = server_->post("/api/v1/orders/quote", sales_, order_body(cust, json::array({line(sku, "2")})));
  ASSERT_EQ(q.status, 200) << q.raw;
  EXPECT_EQ(q.body["status"], "credit_hold");
  EXPECT_EQ(q.body["credit_hold"], true);
  ASSERT_FALSE(q.body["hold_reasons"].empty()) << q.raw;
  auto placed = server_->post("/api/v1/orders", sales_, order_body(cust, json::array({line(sku, "2")})));
  ASSERT_EQ(placed.status, 201) << placed.raw;
  EXPECT_EQ(placed.body["status"], "credit_hold");
  EXPECT_EQ(placed.body["hold_reasons"], q.body["hold_reasons"]);
}

TEST_F(OrderDesk, AQuoteRefusesWhatPlacingRefusesWithTheSameError) {
  auto cust = customer();
  auto sku = product("5.00");
  const json before = state_snapshot(*server_);
  const json bad[] = {
      order_body(cust, json::array({line(sku, "0")})),
      order_body(cust, json::array({line("NO-SUCH-SKU", "1")})),
      order_body("999999", json::array({line(sku, "1")})),
      order_body(cust, json::array()),
  };
  for (const auto& body : bad) {
    auto q = server_->post("/api/v1/orders/quote", sales_, body);
    auto p = server_->post("/api/v1/orders", sales_, body);
    EXPECT_EQ(q.status, 422) << q.raw;
    EXPECT_TRUE(is_error_body(q));
    EXPECT_EQ(q.status, p.status) << body.dump();
    EXPECT_EQ(error_code(q), error_code(p)) << body.dump();
    EXPECT_EQ(error_field(q), error_field(p)) << body.dump();
  }
  EXPECT_EQ(error_field(server_->post("/api/v1/orders/quote", sales_, bad[0])), "lines[0].quantity");
  EXPECT_EQ(state_snapshot(*server_), before);
  // The order desk's route: the warehouse may not quote.
  EXPECT_EQ(server_->post("/api/v1/orders/quote", warehouse_, order_body(cust, json::array({line(sku, "1")}))).status,
            403);
}

TEST_F(OrderDesk, CustomersAndProductsAreFoundByPartOfTheirNameOrSku) {
  const std::string tag = unique_suffix();
  auto cust = customer({{"name", "Zebra Roastery " + tag}});
  auto r = server_->get("/api/v1/customers?q=zEBRA%20roastery%20" + tag, accountant_);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["data"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["data"][0]["id"], cust);
  EXPECT_EQ(r.body["data"][0]["credit_available"], "100000.00");  // the balances come with it
  EXPECT_TRUE(server_->get("/api/v1/customers?q=Roastery%20" + tag + "x", accountant_).body["data"].empty());

  auto sku = bare_product("Oolong 50% leaf " + tag, "4.00");
  auto by_name = server_->get("/api/v1/products?q=OOLONG%2050%25%20leaf%20" + tag, sales_);
  ASSERT_EQ(by_name.status, 200) << by_name.raw;
  ASSERT_EQ(by_name.body["data"].size(), 1u) << by_name.raw;
  EXPECT_EQ(by_name.body["data"][0]["sku"], sku);
  auto by_sku = server_->get("/api/v1/products?q=" + sku.substr(4), sales_);
  ASSERT_EQ(by_sku.body["data"].size(), 1u) << by_sku.raw;
  EXPECT_EQ(by_sku.body["data"][0]["sku"], sku);
  // % and _ are letters here, not wildcards.
  EXPECT_TRUE(server_->get("/api/v1/products?q=Oolong%20_0", sales_).body["data"].empty());
  EXPECT_TRUE(server_->get("/api/v1/products?q=Oolong%25leaf", sales_).body["data"].empty());
  auto long_q = server_->get("/api/v1/products?q=" + std::string(101, 'a'), sales_);
  EXPECT_EQ(long_q.status, 400) << long_q.raw;
  EXPECT_EQ(error_field(long_q), "q");
}

TEST_F(OrderDesk, TheWarehouseQueuePickListAndBackordersFollowTheStock) {
  auto cust = customer();
  auto sku = bare_product("Desk kettle", "20.00");
  receive(sku, "4", "B-07");
  auto o = place(cust, sku, "10", "open");
  const std::string id = o["id"];

  // Reserved 4 of 10: the order is in the warehouse's queue and on the backorder list.
  bool queued = false;
  for (const auto& q : list_all(*server_, "/api/v1/orders?to_ship=true", warehouse_)) queued = queued || q["id"] == id;
  EXPECT_TRUE(queued);
  EXPECT_EQ(server_->get("/api/v1/orders?to_ship=maybe", warehouse_).status, 400);

  auto pick = server_->get("/api/v1/orders/" + id + "/pick-list", warehouse_);
  ASSERT_EQ(pick.status, 200) << pick.raw;
  EXPECT_EQ(pick.body["number"], o["number"]);
  ASSERT_EQ(pick.body["lines"].size(), 1u) << pick.raw;
  EXPECT_EQ(pick.body["lines"][0]["warehouse"], wh_);
  EXPECT_EQ(pick.body["lines"][0]["bin"], "B-07");
  EXPECT_EQ(pick.body["lines"][0]["sku"], sku);
  EXPECT_EQ(pick.body["lines"][0]["name"], "Desk kettle");
  EXPECT_EQ(pick.body["lines"][0]["quantity"], "4");
  EXPECT_EQ(server_->get("/api/v1/orders/999999/pick-list", warehouse_).status, 404);

  auto back = find_line(list_all(*server_, "/api/v1/backorders", sales_), id);
  ASSERT_FALSE(back.is_null());
  EXPECT_EQ(back["backordered"], "6");
  EXPECT_EQ(back["reserved"], "4");
  EXPECT_EQ(back["sku"], sku);
  EXPECT_EQ(back["on_hand"], "4");
  EXPECT_EQ(back["available"], "0");
  EXPECT_FALSE(back["customer_name"].get<std::string>().empty());

  // A later order for the same product waits behind the first.
  auto later = place(cust, sku, "1", "open");
  auto all = list_all(*server_, "/api/v1/backorders", sales_);
  int first_at = -1, later_at = -1;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]["order_id"] == id) first_at = static_cast<int>(i);
    if (all[i]["order_id"] == later["id"]) later_at = static_cast<int>(i);
  }
  EXPECT_GE(first_at, 0);
  EXPECT_GT(later_at, first_at);
  // Paging by one visits the same lines in the same order.
  json paged = json::array();
  std::string cursor;
  for (int i = 0; i < 1000; ++i) {
    auto p = server_->get("/api/v1/backorders?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), sales_);
    ASSERT_EQ(p.status, 200) << p.raw;
    for (auto& x : p.body["data"]) paged.push_back(x);
    if (p.body["next_cursor"].is_null()) break;
    cursor = p.body["next_cursor"];
  }
  EXPECT_EQ(paged, all);

  // Partial shipment: the rest stays in the queue only while stock is reserved.
  auto s = server_->post("/api/v1/shipments", warehouse_,
                         {{"order_id", id}, {"lines", json::array({line(sku, "3")})}, {"carrier", "DHL"}});
  ASSERT_EQ(s.status, 201) << s.raw;
  EXPECT_EQ(server_->get("/api/v1/orders/" + id + "/pick-list", warehouse_).body["lines"][0]["quantity"], "1");
  ASSERT_EQ(server_->post("/api/v1/shipments", warehouse_, {{"order_id", id}}).status, 201);
  EXPECT_TRUE(server_->get("/api/v1/orders/" + id + "/pick-list", warehouse_).body["lines"].empty());
  queued = false;
  for (const auto& q : list_all(*server_, "/api/v1/orders?to_ship=true", warehouse_)) queued = queued || q["id"] == id;
  EXPECT_FALSE(queued);

  // The warehouse's list of shipments to deliver.
  auto to_deliver = [&](const char* status) {
    return list_all(*server_, "/api/v1/shipments?order_id=" + id + "&status=" + status, warehouse_).size();
  };
  EXPECT_EQ(to_deliver("shipped"), 2u);
  EXPECT_EQ(to_deliver("delivered"), 0u);
  ASSERT_EQ(server_->post("/api/v1/shipments/" + s.body["id"].get<std::string>() + "/deliver", warehouse_,
                          json::object()).status, 200);
  EXPECT_EQ(to_deliver("shipped"), 1u);
  EXPECT_EQ(to_deliver("delivered"), 1u);
  EXPECT_EQ(server_->get("/api/v1/shipments?status=lost", warehouse_).status, 400);

  // A receipt fills the oldest backorder first; it leaves the backorder list when whole.
  receive(sku, "6");
  EXPECT_TRUE(find_line(list_all(*server_, "/api/v1/backorders", sales_), id).is_null());
  auto still = find_line(list_all(*server_, "/api/v1/backorders", sales_), later["id"]);
  ASSERT_FALSE(still.is_null());
  EXPECT_EQ(still["backordered"], "1");
}

}  // namespace
}  // namespace o2c::e2e
