#pragma once
// A test suite that shares one `o2c serve` with a company able to invoice,
// a warehouse, and a user per working role; `o2c verify` closes every test.
// Suites derive with their own name (`class Payments : public
// ShopSuite<Payments>`) so that each gets its own server, and call start()
// from their SetUpTestSuite when they need server arguments or environment.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {

template <typename Suite>
class ShopSuite : public ::testing::Test {
 protected:
  static void start(std::vector<std::string> args = {}, std::vector<std::pair<std::string, std::string>> env = {}) {
    server_ = new ServerProcess(std::move(args), std::move(env));
    const std::string prefix = ::testing::UnitTest::GetInstance()->current_test_suite()->name();
    sales_ = server_->add_user(prefix + "-sales", "sales");
    warehouse_ = server_->add_user(prefix + "-warehouse", "warehouse");
    accountant_ = server_->add_user(prefix + "-accountant", "accountant");
    credit_ = server_->add_user(prefix + "-credit", "credit");
    auto c = server_->put("/api/v1/company", admin(), complete_company());
    ASSERT_EQ(c.status, 200) << c.raw;
    wh_ = "W" + unique_suffix();
    auto w = server_->post("/api/v1/warehouses", admin(), {{"code", wh_}, {"name", prefix}});
    ASSERT_EQ(w.status, 201) << w.raw;
  }
  static void SetUpTestSuite() { start(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "suite set-up failed"; }
  void TearDown() override { expect_verify_ok(*server_); }

  static const std::string& admin() { return server_->admin_token(); }

  // ---- Shop set-up shared by the suites that need invoices to pay -------
  // A customer with room on its credit line (100 000.00); `overrides`
  // replaces or adds fields (name, iban, payment_terms, currency, ...).
  static std::string customer(const json& overrides = json::object()) {
    json c = valid_customer("Shop Customer " + unique_suffix());
    c["credit_limit"] = "100000.00";
    for (const auto& [k, v] : overrides.items()) c[k] = v;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  // A product at `price` (19 % standard rate) with 1 000 in the suite's
  // warehouse; returns its SKU.
  static std::string product(const std::string& price, const std::string& currency = "EUR") {
    std::string sku = "SKU-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", price}, {"currency", currency},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  // A one-line order; with `status`, the order must come out in it.
  static json place(const std::string& customer_id, const std::string& sku, const std::string& qty,
                    const char* status = nullptr) {
    auto r = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", customer_id}, {"lines", json::array({{{"sku", sku}, {"quantity", qty}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    if (status) EXPECT_EQ(r.body.value("status", ""), status) << r.raw;
    return r.body;
  }
  // Ships a placed order in full on `on`; returns the invoice it issued.
  // Orders of one test are placed before any is shipped: an invoice dated
  // months before the server's business date is overdue, and would hold
  // the customer's next order.
  static json ship(const json& placed, const std::string& on) {
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", placed["id"]}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return invoice(s.body.value("invoice_id", ""));
  }
  static json invoice(const std::string& id) {
    auto r = server_->get("/api/v1/invoices/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string sales_, warehouse_, accountant_, credit_, wh_;
};

}  // namespace o2c::e2e
