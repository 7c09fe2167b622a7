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

  static inline ServerProcess* server_ = nullptr;
  static inline std::string sales_, warehouse_, accountant_, credit_, wh_;
};

}  // namespace o2c::e2e
