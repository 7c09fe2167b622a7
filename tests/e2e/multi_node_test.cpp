// Two `o2c serve` processes on one database, as two nodes behind a load
// balancer: concurrent orders for the last units through both must never
// reserve a unit twice or more than is on hand, and every accepted unit is
// accounted for. Correctness here rests on row locks in the database, never
// on process memory. Runs on PostgreSQL and on SQLite (one file, two
// processes: SQLite's own locking serializes their writers).
#include <gtest/gtest.h>

#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/quantity.h"
#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

int64_t milli(const json& quantity) { return Quantity::parse(quantity.get<std::string>()).value().milli(); }

TEST(MultiNode, ConcurrentOrdersThroughTwoServersNeverOverReserve) {
  ServerProcess a;
  ServerProcess b(a, {});
  const std::string& admin = a.admin_token();
  const std::string sales = a.add_user("multi-sales", "sales");
  const std::string warehouse = a.add_user("multi-warehouse", "warehouse");

  std::string sku = "MN-" + unique_suffix();
  ASSERT_EQ(a.post("/api/v1/products", admin,
                   {{"sku", sku}, {"name", "Scarce"}, {"unit_price", "3.00"}, {"currency", "EUR"},
                    {"tax_rate", "19"}, {"tax_category", "S"}})
                .status,
            201);
  std::vector<std::string> whs;
  for (int i = 0; i < 2; ++i) {
    whs.push_back("MN" + unique_suffix());
    ASSERT_EQ(b.post("/api/v1/warehouses", admin, {{"code", whs.back()}, {"name", "W"}, {"priority", i + 1}}).status,
              201);
  }
  ASSERT_EQ(a.post("/api/v1/stock/receipts", warehouse,
                   {{"warehouse", whs[0]}, {"sku", sku}, {"quantity", "7"}, {"unit_cost", "1.00"}})
                .status,
            201);
  ASSERT_EQ(b.post("/api/v1/stock/receipts", warehouse,
                   {{"warehouse", whs[1]}, {"sku", sku}, {"quantity", "5.5"}, {"unit_cost", "1.00"}})
                .status,
            201);
  std::vector<std::string> customers;
  for (int i = 0; i < 4; ++i) {
    auto c = (i % 2 ? b : a).post("/api/v1/customers", admin, valid_customer("Multi " + unique_suffix()));
    ASSERT_EQ(c.status, 201) << c.raw;
    customers.push_back(c.body["id"]);
  }

  // 30 orders of 1.5 units (45 asked, 12.5 on hand) at once, alternating nodes.
  constexpr int kOrders = 30;
  std::latch go(kOrders);
  std::mutex mu;
  std::vector<Response> replies;
  std::vector<std::thread> threads;
  for (int i = 0; i < kOrders; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      auto r = (i % 2 ? b : a)
                   .post("/api/v1/orders", sales,
                         {{"customer_id", customers[static_cast<size_t>(i) % customers.size()]},
                          {"lines", json::array({{{"sku", sku}, {"quantity", "1.5"}}})}});
      std::lock_guard lk(mu);
      replies.push_back(std::move(r));
    });
  }
  for (auto& t : threads) t.join();

  int64_t reserved_milli = 0;
  std::set<std::string> numbers;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 201) << r.raw;
    numbers.insert(r.body["number"].get<std::string>());
    reserved_milli += milli(r.body["lines"][0]["reserved"]);
  }
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kOrders)) << "order numbers are unique across nodes";
  // Every unit on hand is reserved once: 12.5 of the 45 asked.
  EXPECT_EQ(reserved_milli, 12500);
  int64_t stock_reserved = 0;
  for (const auto& l : list_all(a, "/api/v1/stock?sku=" + sku, admin)) {
    EXPECT_EQ(l["available"], "0") << l;
    stock_reserved += milli(l["reserved"]);
  }
  EXPECT_EQ(stock_reserved, 12500);
  // Each order, read back through the other node, holds what it said.
  int64_t read_back = 0;
  for (const auto& o : list_all(b, "/api/v1/orders", admin)) {
    read_back += milli(o["lines"][0]["reserved"]);
  }
  EXPECT_EQ(read_back, 12500);
  expect_verify_ok(a);
}

}  // namespace
}  // namespace o2c::e2e
