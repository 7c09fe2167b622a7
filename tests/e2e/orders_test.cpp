// Orders through HTTP: pricing, the credit check and its hold queue, stock
// reservation across warehouses with backorders, cancellation, refusals that
// leave no trace, idempotency, and concurrent orders for scarce stock.
// `o2c verify` closes every test (reservations = stock.reserved, totals =
// recomputation, ...).
#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

struct Level {
  std::string on_hand, reserved, available;
};

class Orders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    sales_ = new std::string(server_->add_user("orders-sales", "sales"));
    credit_ = new std::string(server_->add_user("orders-credit", "credit"));
    warehouse_ = new std::string(server_->add_user("orders-warehouse", "warehouse"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete sales_;
    delete credit_;
    delete warehouse_;
    server_ = nullptr;
  }
  void TearDown() override { expect_verify_ok(*server_); }

  static const std::string& admin() { return server_->admin_token(); }

  static std::string customer(const std::string& limit, const std::string& currency = "EUR") {
    json c = valid_customer("Orders Customer " + unique_suffix());
    c["credit_limit"] = limit;
    c["currency"] = currency;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product(const std::string& price, const std::string& currency = "EUR") {
    std::string sku = "ORD-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Order product"}, {"unit_price", price}, {"currency", currency},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return sku;
  }
  static std::string warehouse(int priority) {
    std::string code = "WO" + unique_suffix();
    auto r = server_->post("/api/v1/warehouses", admin(), {{"code", code}, {"name", "W"}, {"priority", priority}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return code;
  }
  static void receive(const std::string& wh, const std::string& sku, const std::string& qty) {
    auto r = server_->post("/api/v1/stock/receipts", *warehouse_,
                           {{"warehouse", wh}, {"sku", sku}, {"quantity", qty}, {"unit_cost", "1.00"}});
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  static std::map<std::string, Level> stock(const std::string& sku) {
    std::map<std::string, Level> out;
    for (const auto& l : list_all(*server_, "/api/v1/stock?sku=" + sku, admin())) {
      out[l["warehouse"]] = {l["on_hand"], l["reserved"], l["available"]};
    }
    return out;
  }
  static json line(const std::string& sku, const std::string& qty) { return {{"sku", sku}, {"quantity", qty}}; }
  static Response place(const std::string& cust, json lines, const httplib::Headers& h = {}) {
    return server_->post("/api/v1/orders", *sales_, {{"customer_id", cust}, {"lines", std::move(lines)}}, h);
  }

  static ServerProcess* server_;
  static std::string* sales_;
  static std::string* credit_;
  static std::string* warehouse_;
};

ServerProcess* Orders::server_ = nullptr;
std::string* Orders::sales_ = nullptr;
std::string* Orders::credit_ = nullptr;
std::string* Orders::warehouse_ = nullptr;

TEST_F(Orders, PassesCreditReservesAcrossWarehousesAndBackorders) {
  auto cust = customer("5000.00");
  auto sku = product("10.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  receive(w1, sku, "3");
  receive(w2, sku, "4");

  // No warehouse holds 6: the first by priority is drained, the second gives the rest.
  auto o = place(cust, json::array({line(sku, "6")}));
  ASSERT_EQ(o.status, 201) << o.raw;
  EXPECT_EQ(o.body["status"], "open");
  EXPECT_TRUE(o.body["number"].get<std::string>().rfind("SO-", 0) == 0) << o.raw;
  EXPECT_EQ(o.body["customer_id"], cust);
  EXPECT_EQ(o.body["currency"], "EUR");
  ASSERT_EQ(o.body["lines"].size(), 1u);
  EXPECT_EQ(o.body["lines"][0]["sku"], sku);
  EXPECT_EQ(o.body["lines"][0]["quantity"], "6");
  EXPECT_EQ(o.body["lines"][0]["reserved"], "6");
  EXPECT_EQ(o.body["lines"][0]["shipped"], "0");
  EXPECT_EQ(o.body["lines"][0]["invoiced"], "0");
  EXPECT_EQ(o.body["lines"][0]["unit_price"], "10.00");
  EXPECT_EQ(o.body["lines"][0]["line_net"], "60.00");
  EXPECT_EQ(o.body["net_total"], "60.00");
  EXPECT_EQ(o.body["tax_total"], "11.40");
  EXPECT_EQ(o.body["total"], "71.40");
  EXPECT_TRUE(o.body["hold_reasons"].empty());
  auto s = stock(sku);
  EXPECT_EQ(s[w1].reserved, "3");
  EXPECT_EQ(s[w1].available, "0");
  EXPECT_EQ(s[w2].reserved, "3");
  EXPECT_EQ(s[w2].available, "1");

  // One unit left: the next order reserves it and backorders the rest.
  auto b = place(cust, json::array({line(sku, "4")}));
  ASSERT_EQ(b.status, 201) << b.raw;
  EXPECT_EQ(b.body["status"], "open");
  EXPECT_EQ(b.body["lines"][0]["reserved"], "1");
  EXPECT_EQ(b.body["lines"][0]["backordered"], "3");
  s = stock(sku);
  EXPECT_EQ(s[w2].reserved, "4");
  EXPECT_EQ(s[w2].available, "0");

  // Read back, and found in the customer's list.
  auto got = server_->get("/api/v1/orders/" + b.body["id"].get<std::string>(), admin());
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body, b.body);
  auto mine = list_all(*server_, "/api/v1/orders?customer_id=" + cust, *credit_);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0]["id"], o.body["id"]);
  EXPECT_EQ(mine[1]["id"], b.body["id"]);
  EXPECT_EQ(server_->get("/api/v1/orders/999999", admin()).status, 404);
}

TEST_F(Orders, WholeLineFromOneWarehouseEvenIfLowerPriority) {
  auto cust = customer("5000.00");
  auto sku = product("1.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  receive(w1, sku, "2");
  receive(w2, sku, "5");
  auto o = place(cust, json::array({line(sku, "4.5")}));
  ASSERT_EQ(o.status, 201) << o.raw;
  EXPECT_EQ(o.body["lines"][0]["reserved"], "4.5");
  auto s = stock(sku);
  EXPECT_EQ(s[w1].reserved, "0");
  EXPECT_EQ(s[w2].reserved, "4.5");
}

TEST_F(Orders, OverTheLimitIsHeldThenApprovedOrRejected) {
  auto cust = customer("100.00");
  auto sku = product("50.00");
  auto wh = warehouse(1);
  receive(wh, sku, "10");

  auto held = place(cust, json::array({line(sku, "2")}));  // 119.00 > 100.00
  ASSERT_EQ(held.status, 201) << held.raw;
  EXPECT_EQ(held.body["status"], "credit_hold");
  ASSERT_EQ(held.body["hold_reasons"].size(), 1u) << held.raw;
  EXPECT_EQ(held.body["hold_reasons"][0]["code"], "credit_limit_exceeded");
  EXPECT_FALSE(held.body["hold_reasons"][0]["message"].get<std::string>().empty());
  EXPECT_EQ(held.body["lines"][0]["reserved"], "0");
  EXPECT_EQ(stock(sku)[wh].reserved, "0");
  auto other = place(cust, json::array({line(sku, "3")}));
  ASSERT_EQ(other.status, 201) << other.raw;
  EXPECT_EQ(other.body["status"], "credit_hold");  // a held order does not count against the next

  auto queue = list_all(*server_, "/api/v1/orders?status=credit_hold&customer_id=" + cust, *credit_);
  ASSERT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue[0]["id"], held.body["id"]);
  EXPECT_EQ(queue[0]["hold_reasons"][0]["code"], "credit_limit_exceeded");
  for (const auto& o : list_all(*server_, "/api/v1/orders?status=credit_hold", admin())) EXPECT_EQ(o["status"], "credit_hold");
  EXPECT_EQ(server_->get("/api/v1/orders?status=bogus", admin()).status, 400);

  std::string held_path = "/api/v1/orders/" + held.body["id"].get<std::string>();
  std::string other_path = "/api/v1/orders/" + other.body["id"].get<std::string>();
  json before = state_snapshot(*server_);
  auto no_reason = server_->post(held_path + "/approve", *credit_, json::object());
  EXPECT_EQ(no_reason.status, 422) << no_reason.raw;
  EXPECT_EQ(error_code(no_reason), "required");
  EXPECT_EQ(error_field(no_reason), "reason");
  EXPECT_EQ(server_->post(held_path + "/approve", *sales_, {{"reason", "x"}}).status, 403);
  EXPECT_EQ(state_snapshot(*server_), before);

  auto approved = server_->post(held_path + "/approve", *credit_, {{"reason", "known customer, paid in advance"}});
  ASSERT_EQ(approved.status, 200) << approved.raw;
  EXPECT_EQ(approved.body["status"], "open");
  EXPECT_EQ(approved.body["lines"][0]["reserved"], "2");
  EXPECT_TRUE(approved.body["hold_reasons"].empty());
  EXPECT_EQ(stock(sku)[wh].reserved, "2");
  auto again = server_->post(held_path + "/approve", *credit_, {{"reason", "twice"}});
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(error_code(again), "invalid_transition");

  auto rejected = server_->post(other_path + "/reject", *credit_, {{"reason", "no credit"}});
  ASSERT_EQ(rejected.status, 200) << rejected.raw;
  EXPECT_EQ(rejected.body["status"], "rejected");
  EXPECT_EQ(stock(sku)[wh].reserved, "2");
  EXPECT_EQ(server_->post(other_path + "/cancel", *sales_, json::object()).status, 409);
  EXPECT_TRUE(list_all(*server_, "/api/v1/orders?status=credit_hold&customer_id=" + cust, admin()).empty());

  // The approved order is now exposure: one more order over the limit is held.
  auto third = place(cust, json::array({line(sku, "0.001")}));
  ASSERT_EQ(third.status, 201) << third.raw;
  EXPECT_EQ(third.body["status"], "credit_hold") << third.raw;
}

TEST_F(Orders, CancelFreesReservations) {
  auto cust = customer("5000.00");
  auto sku = product("3.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  receive(w1, sku, "1");
  receive(w2, sku, "1");
  auto o = place(cust, json::array({line(sku, "1.5"), line(sku, "0.5")}));
  ASSERT_EQ(o.status, 201) << o.raw;
  EXPECT_EQ(o.body["lines"][0]["reserved"], "1.5");
  EXPECT_EQ(o.body["lines"][1]["reserved"], "0.5");
  auto s = stock(sku);
  EXPECT_EQ(s[w1].reserved, "1");
  EXPECT_EQ(s[w2].reserved, "1");

  std::string path = "/api/v1/orders/" + o.body["id"].get<std::string>() + "/cancel";
  EXPECT_EQ(server_->post(path, *credit_, json::object()).status, 403);
  auto c = server_->post(path, *sales_, {{"reason", "customer changed their mind"}});
  ASSERT_EQ(c.status, 200) << c.raw;
  EXPECT_EQ(c.body["status"], "cancelled");
  EXPECT_EQ(c.body["lines"][0]["reserved"], "0");
  s = stock(sku);
  EXPECT_EQ(s[w1].reserved, "0");
  EXPECT_EQ(s[w2].reserved, "0");
  EXPECT_EQ(s[w1].available, "1");
  auto twice = server_->post(path, *sales_, json::object());
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(error_code(twice), "invalid_transition");

  // A held order can be cancelled too.
  auto poor = customer("0.00");
  auto held = place(poor, json::array({line(sku, "1")}));
  ASSERT_EQ(held.body["status"], "credit_hold") << held.raw;
  auto hc = server_->post("/api/v1/orders/" + held.body["id"].get<std::string>() + "/cancel", *sales_, json::object());
  EXPECT_EQ(hc.status, 200) << hc.raw;
  EXPECT_EQ(hc.body["status"], "cancelled");
}

TEST_F(Orders, ReceiptFillsBackordersOldestFirst) {
  auto cust = customer("5000.00");
  auto sku = product("2.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  receive(w1, sku, "2");
  auto get = [](const Response& o) {
    auto r = server_->get("/api/v1/orders/" + o.body["id"].get<std::string>(), admin());
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  };
  auto receipt = [](const std::string& wh, const std::string& s, const std::string& qty) {
    auto r = server_->post("/api/v1/stock/receipts", *warehouse_,
                           {{"warehouse", wh}, {"sku", s}, {"quantity", qty}, {"unit_cost", "1.00"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  };

  auto a = place(cust, json::array({line(sku, "5")}));
  ASSERT_EQ(a.status, 201) << a.raw;
  EXPECT_EQ(a.body["lines"][0]["reserved"], "2");
  EXPECT_EQ(a.body["lines"][0]["backordered"], "3");
  // Older than B, but neither a held nor a cancelled order is filled.
  auto held = place(customer("0.00"), json::array({line(sku, "1")}));
  ASSERT_EQ(held.body["status"], "credit_hold") << held.raw;
  auto gone = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(gone.body["lines"][0]["backordered"], "1") << gone.raw;
  auto c = server_->post("/api/v1/orders/" + gone.body["id"].get<std::string>() + "/cancel", *sales_, json::object());
  ASSERT_EQ(c.status, 200) << c.raw;
  auto b = place(cust, json::array({line(sku, "4")}));
  ASSERT_EQ(b.status, 201) << b.raw;
  EXPECT_EQ(b.body["lines"][0]["reserved"], "0");
  EXPECT_EQ(b.body["lines"][0]["backordered"], "4");

  auto r1 = receipt(w1, sku, "5");
  ASSERT_EQ(r1["allocated_to_backorders"].size(), 2u) << r1.dump();
  EXPECT_EQ(r1["allocated_to_backorders"][0],
            json({{"order_id", a.body["id"]}, {"order_number", a.body["number"]}, {"sku", sku}, {"quantity", "3"}}));
  EXPECT_EQ(r1["allocated_to_backorders"][1],
            json({{"order_id", b.body["id"]}, {"order_number", b.body["number"]}, {"sku", sku}, {"quantity", "2"}}));
  EXPECT_EQ(r1["stock"]["on_hand"], "7");
  EXPECT_EQ(r1["stock"]["reserved"], "7");
  auto ga = get(a), gb = get(b);
  EXPECT_EQ(ga["lines"][0]["reserved"], "5");
  EXPECT_EQ(ga["lines"][0]["backordered"], "0");
  EXPECT_EQ(gb["lines"][0]["reserved"], "2");
  EXPECT_EQ(gb["lines"][0]["backordered"], "2");
  EXPECT_EQ(get(held)["lines"][0]["reserved"], "0");
  EXPECT_EQ(get(gone)["lines"][0]["reserved"], "0");
  auto s = stock(sku);
  EXPECT_EQ(s[w1].on_hand, "7");
  EXPECT_EQ(s[w1].reserved, "7");
  EXPECT_EQ(s[w1].available, "0");

  // A second warehouse fills the rest of B and keeps what is left.
  auto r2 = receipt(w2, sku, "3");
  ASSERT_EQ(r2["allocated_to_backorders"].size(), 1u) << r2.dump();
  EXPECT_EQ(r2["allocated_to_backorders"][0]["order_id"], b.body["id"]);
  EXPECT_EQ(r2["allocated_to_backorders"][0]["quantity"], "2");
  gb = get(b);
  EXPECT_EQ(gb["lines"][0]["reserved"], "4");
  EXPECT_EQ(gb["lines"][0]["backordered"], "0");
  s = stock(sku);
  EXPECT_EQ(s[w2].on_hand, "3");
  EXPECT_EQ(s[w2].reserved, "2");
  EXPECT_EQ(s[w2].available, "1");

  // Only the held order still waits: nothing is filled.
  auto r3 = receipt(w2, sku, "1");
  EXPECT_TRUE(r3["allocated_to_backorders"].empty()) << r3.dump();
  EXPECT_EQ(get(held)["lines"][0]["reserved"], "0");
  EXPECT_EQ(stock(sku)[w2].reserved, "2");
}

TEST_F(Orders, RefusalsNameTheFieldAndWriteNothing) {
  auto cust = customer("5000.00");
  auto sku = product("2.00");
  auto usd_sku = product("2.00", "USD");
  receive(warehouse(1), sku, "5");
  struct Case {
    const char* name;
    json body;
    int status;
    const char* code;
    const char* field;
  };
  std::vector<Case> cases = {
      {"unknown customer", {{"customer_id", "999999"}, {"lines", json::array({line(sku, "1")})}}, 422, "unknown_customer", "customer_id"},
      {"malformed customer", {{"customer_id", "abc"}, {"lines", json::array({line(sku, "1")})}}, 422, "unknown_customer", "customer_id"},
      {"no customer", {{"lines", json::array({line(sku, "1")})}}, 422, "required", "customer_id"},
      {"other currency", {{"customer_id", cust}, {"currency", "USD"}, {"lines", json::array({line(sku, "1")})}}, 422, "currency_mismatch", "currency"},
      {"no lines", {{"customer_id", cust}}, 422, "required", "lines"},
      {"empty lines", {{"customer_id", cust}, {"lines", json::array()}}, 422, "required", "lines"},
      {"unknown sku", {{"customer_id", cust}, {"lines", json::array({line(sku, "1"), line("NOPE-" + unique_suffix(), "1")})}}, 422, "unknown_sku", "lines[1].sku"},
      {"zero quantity", {{"customer_id", cust}, {"lines", json::array({line(sku, "1"), line(sku, "0")})}}, 422, "non_positive_quantity", "lines[1].quantity"},
      {"negative quantity", {{"customer_id", cust}, {"lines", json::array({line(sku, "-1")})}}, 422, "non_positive_quantity", "lines[0].quantity"},
      {"four decimals", {{"customer_id", cust}, {"lines", json::array({line(sku, "1.0005")})}}, 422, "too_many_decimals", "lines[0].quantity"},
      {"no quantity", {{"customer_id", cust}, {"lines", json::array({{{"sku", sku}}})}}, 422, "required", "lines[0].quantity"},
      {"product in USD", {{"customer_id", cust}, {"lines", json::array({line(usd_sku, "1")})}}, 422, "currency_mismatch", "lines[0].sku"},
      {"negative price", {{"customer_id", cust}, {"lines", json::array({{{"sku", sku}, {"quantity", "1"}, {"unit_price", "-1"}}})}}, 422, "negative_amount", "lines[0].unit_price"},
      {"lines not an array", {{"customer_id", cust}, {"lines", "x"}}, 400, "invalid_type", "lines"},
  };
  json before = state_snapshot(*server_);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = server_->post("/api/v1/orders", *sales_, c.body);
    EXPECT_EQ(r.status, c.status) << r.raw;
    EXPECT_EQ(error_code(r), c.code) << r.raw;
    EXPECT_EQ(error_field(r), c.field) << r.raw;
    EXPECT_TRUE(is_error_body(r));
  }
  // Only sales places orders.
  for (const std::string* t : std::vector<const std::string*>{credit_, warehouse_, &server_->admin_token()}) {
    auto r = server_->post("/api/v1/orders", *t, {{"customer_id", cust}, {"lines", json::array({line(sku, "1")})}});
    EXPECT_EQ(r.status, 403) << r.raw;
  }
  EXPECT_EQ(state_snapshot(*server_), before);

  // An explicit price from sales is taken and marked.
  auto o = place(cust, json::array({{{"sku", sku}, {"quantity", "3"}, {"unit_price", "1.255"}}}));
  ASSERT_EQ(o.status, 201) << o.raw;
  EXPECT_EQ(o.body["lines"][0]["unit_price"], "1.255");
  EXPECT_EQ(o.body["lines"][0]["price_overridden"], true);
  EXPECT_EQ(o.body["lines"][0]["line_net"], "3.77");  // 3.765 rounded half away from zero
}

TEST_F(Orders, IdempotencyKeyReturnsTheSameOrder) {
  auto cust = customer("5000.00");
  auto sku = product("2.00");
  auto wh = warehouse(1);
  receive(wh, sku, "5");
  httplib::Headers h = {{"Idempotency-Key", "order-" + unique_suffix()}};
  auto first = place(cust, json::array({line(sku, "2")}), h);
  ASSERT_EQ(first.status, 201) << first.raw;
  auto second = place(cust, json::array({line(sku, "2")}), h);
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(list_all(*server_, "/api/v1/orders?customer_id=" + cust, admin()).size(), 1u);
  EXPECT_EQ(stock(sku)[wh].reserved, "2");
}

TEST_F(Orders, ConcurrentOrdersNeverReserveMoreThanOnHand) {
  auto sku = product("1.00");
  auto w1 = warehouse(1), w2 = warehouse(2);
  receive(w1, sku, "4");
  receive(w2, sku, "6");
  std::vector<std::string> customers;
  for (int i = 0; i < 4; ++i) customers.push_back(customer("5000.00"));
  constexpr int kOrders = 20;
  std::latch start(kOrders);
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<Response> replies;
  for (int i = 0; i < kOrders; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = place(customers[i % customers.size()], json::array({line(sku, "1")}));
      std::lock_guard lock(mu);
      replies.push_back(std::move(r));
    });
  }
  for (auto& t : threads) t.join();
  int reserved_units = 0;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body["status"], "open");
    reserved_units += r.body["lines"][0]["reserved"] == "1" ? 1 : 0;
  }
  EXPECT_EQ(reserved_units, 10);
  auto s = stock(sku);
  EXPECT_EQ(s[w1].reserved, "4");
  EXPECT_EQ(s[w2].reserved, "6");
  EXPECT_EQ(s[w1].available, "0");
  EXPECT_EQ(s[w2].available, "0");
  // Order numbers are unique and gapless among themselves.
  std::set<std::string> numbers;
  for (const auto& r : replies) numbers.insert(r.body["number"].get<std::string>());
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kOrders));
}

TEST_F(Orders, CancelGivesFreedStockToTheOldestBackorders) {
  auto cust = customer("5000.00");
  auto sku = product("2.00");
  auto w = warehouse(4);
  receive(w, sku, "2");
  auto a = place(cust, json::array({line(sku, "2")}));
  auto b = place(cust, json::array({line(sku, "3")}));
  auto c = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(a.body["lines"][0]["reserved"], "2");
  ASSERT_EQ(b.body["lines"][0]["reserved"], "0");
  ASSERT_EQ(c.body["lines"][0]["reserved"], "0");
  ASSERT_EQ(server_->post("/api/v1/orders/" + a.body["id"].get<std::string>() + "/cancel", *sales_, json::object())
                .status,
            200);
  EXPECT_EQ(server_->get("/api/v1/orders/" + b.body["id"].get<std::string>(), admin()).body["lines"][0]["reserved"],
            "2");
  EXPECT_EQ(server_->get("/api/v1/orders/" + c.body["id"].get<std::string>(), admin()).body["lines"][0]["reserved"],
            "0");
  auto s = stock(sku);
  EXPECT_EQ(s[w].reserved, "2");
  EXPECT_EQ(s[w].available, "0");
}

// Events of one entity with one action, from the audit trail.
json events_of(const ServerProcess& server, const std::string& entity_id, const std::string& action) {
  json out = json::array();
  for (const auto& e : list_all(server, "/api/v1/events", server.admin_token())) {
    if (e["entity_id"] == entity_id && e["action"] == action) out.push_back(e);
  }
  return out;
}

TEST_F(Orders, HeldOrderIsReleasedAutomaticallyWhenACancellationLowersExposure) {
  auto cust = customer("200.00");
  auto sku = product("100.00");  // 119.00 an order with tax
  receive(warehouse(3), sku, "5");
  auto a = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(a.body["status"], "open") << a.raw;
  auto b = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(b.body["status"], "credit_hold") << b.raw;
  EXPECT_EQ(b.body["hold_reasons"][0]["code"], "credit_limit_exceeded");
  EXPECT_EQ(b.body["lines"][0]["reserved"], "0");
  const std::string bid = b.body["id"];
  bool queued = false;
  for (const auto& o : list_all(*server_, "/api/v1/orders?status=credit_hold&customer_id=" + cust, admin())) {
    if (o["id"] == bid) queued = !o["hold_reasons"].empty();
  }
  EXPECT_TRUE(queued) << "the held order with its reason is in the credit queue";

  auto cancel = server_->post("/api/v1/orders/" + a.body["id"].get<std::string>() + "/cancel", *sales_,
                              {{"reason", "customer changed their mind"}});
  ASSERT_EQ(cancel.status, 200) << cancel.raw;
  auto now = server_->get("/api/v1/orders/" + bid, admin());
  EXPECT_EQ(now.body["status"], "open") << now.raw;
  EXPECT_TRUE(now.body["hold_reasons"].empty());
  EXPECT_EQ(now.body["lines"][0]["reserved"], "1");
  auto released = events_of(*server_, bid, "released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_NE(released[0]["payload"].dump().find(a.body["number"].get<std::string>()), std::string::npos)
      << released[0];
}

TEST_F(Orders, StillOverTheLimitStaysHeldAndOldestIsReleasedFirst) {
  auto cust = customer("300.00");
  auto sku = product("100.00");
  receive(warehouse(3), sku, "5");
  auto a = place(cust, json::array({line(sku, "2")}));  // 238.00: open
  ASSERT_EQ(a.body["status"], "open");
  auto b = place(cust, json::array({line(sku, "1")}));  // 119.00: 357 > 300, held
  auto c = place(cust, json::array({line(sku, "2")}));  // 238.00: held
  ASSERT_EQ(b.body["status"], "credit_hold");
  ASSERT_EQ(c.body["status"], "credit_hold");
  ASSERT_EQ(server_->post("/api/v1/orders/" + a.body["id"].get<std::string>() + "/cancel", *sales_, json::object())
                .status,
            200);
  // Room for one: the older goes (119), the other would make 357 and stays held.
  EXPECT_EQ(server_->get("/api/v1/orders/" + b.body["id"].get<std::string>(), admin()).body["status"], "open");
  EXPECT_EQ(server_->get("/api/v1/orders/" + c.body["id"].get<std::string>(), admin()).body["status"],
            "credit_hold");
}

TEST_F(Orders, RaisingTheLimitReleasesHeldOrders) {
  auto cust = customer("100.00");
  auto sku = product("100.00");
  receive(warehouse(3), sku, "5");
  auto o = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(o.body["status"], "credit_hold");
  auto patch = server_->request("PATCH", "/api/v1/customers/" + cust, admin(), {{"credit_limit", "500.00"}});
  ASSERT_EQ(patch.status, 200) << patch.raw;
  auto now = server_->get("/api/v1/orders/" + o.body["id"].get<std::string>(), admin());
  EXPECT_EQ(now.body["status"], "open");
  EXPECT_EQ(now.body["lines"][0]["reserved"], "1");
}

TEST_F(Orders, CreditBlockHoldsAndBlockRefusesUntilLifted) {
  auto cust = customer("5000.00");
  auto sku = product("10.00");
  receive(warehouse(3), sku, "5");
  const std::string path = "/api/v1/customers/" + cust + "/credit-status";

  // Only the credit team (or admin) flips the switches, with a reason.
  EXPECT_EQ(server_->post(path, *sales_, {{"credit_block", true}, {"reason", "x"}}).status, 403);
  auto no_reason = server_->post(path, *credit_, {{"credit_block", true}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(error_field(no_reason), "reason");
  auto bad_type = server_->post(path, *credit_, {{"credit_block", "yes"}, {"reason", "x"}});
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_EQ(error_field(bad_type), "credit_block");
  EXPECT_EQ(server_->post("/api/v1/customers/999999/credit-status", *credit_, {{"blocked", true}, {"reason", "x"}})
                .status,
            404);

  auto set = server_->post(path, *credit_, {{"credit_block", true}, {"reason", "cheque bounced"}});
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_EQ(set.body["credit_block"], true);
  EXPECT_EQ(server_->get("/api/v1/customers/" + cust, admin()).body["credit_block"], true);
  auto held = place(cust, json::array({line(sku, "1")}));
  ASSERT_EQ(held.body["status"], "credit_hold") << held.raw;
  EXPECT_EQ(held.body["hold_reasons"][0]["code"], "credit_blocked");

  auto lift = server_->post(path, *credit_, {{"credit_block", false}, {"reason", "cleared"}});
  ASSERT_EQ(lift.status, 200) << lift.raw;
  EXPECT_EQ(server_->get("/api/v1/orders/" + held.body["id"].get<std::string>(), admin()).body["status"], "open");

  ASSERT_EQ(server_->post(path, *credit_, {{"blocked", true}, {"reason", "insolvency"}}).status, 200);
  EXPECT_EQ(server_->get("/api/v1/customers/" + cust, admin()).body["blocked"], true);
  auto refused = place(cust, json::array({line(sku, "1")}));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(error_code(refused), "customer_blocked");
  EXPECT_EQ(error_field(refused), "customer_id");
  ASSERT_EQ(server_->post(path, admin(), {{"blocked", false}, {"reason", "settled"}}).status, 200);
  EXPECT_EQ(place(cust, json::array({line(sku, "1")})).status, 201);
  EXPECT_EQ(events_of(*server_, cust, "credit_status_changed").size(), 4u);
}

}  // namespace
}  // namespace o2c::e2e
