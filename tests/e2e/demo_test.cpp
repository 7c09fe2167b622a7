// `o2c demo` and `o2c serve --demo` as a user runs them: the command builds
// a company that verifies, refuses to build a second one over it, and a
// server started with --demo on it serves that company and a token per role.
#include <gtest/gtest.h>

#include "server_process.h"

namespace o2c::e2e {
namespace {

TEST(Demo, CommandBuildsACompanyThatVerifiesAndServes) {
  ServerProcess server;  // a new database, with the first admin `o2c serve` makes
  const std::vector<std::string> args = {"demo", "--days", "6", "--customers", "12", "--products", "40",
                                         "--end", "2026-03-20"};
  std::string out;
  ASSERT_EQ(server.cli(args, &out), 0) << out;
  EXPECT_NE(out.find("demo company: 6 business days, 2026-03-13 to 2026-03-20"), std::string::npos) << out;
  EXPECT_NE(out.find("bank "), std::string::npos) << out;
  EXPECT_EQ(server.cli({"verify"}, &out), 0) << out;

  // A second demo over the first is refused, and changes nothing.
  const auto before = server.get("/api/v1/orders?limit=200", server.admin_token());
  EXPECT_EQ(server.cli(args, &out), 1) << out;
  EXPECT_EQ(server.get("/api/v1/orders?limit=200", server.admin_token()).raw, before.raw);
  std::vector<std::string> bad = args;
  bad[2] = "0";
  EXPECT_NE(server.cli(bad, &out), 0) << "--days 0";

  // The company through the API: twelve customers, orders, invoices.
  auto customers = server.get("/api/v1/customers?limit=100", server.admin_token());
  ASSERT_EQ(customers.status, 200) << customers.raw;
  EXPECT_EQ(customers.body["data"].size(), 12u);
  EXPECT_EQ(customers.body["data"][0]["name"], "Bäckerei Sonnenschein GmbH");
  auto orders = server.get("/api/v1/orders?limit=5", server.admin_token());
  ASSERT_EQ(orders.status, 200) << orders.raw;
  EXPECT_EQ(orders.body["data"].size(), 5u);

  // Served with --demo: tokens per role; the accountant sees the invoices.
  ServerProcess demo(server, {"--demo", "--today", "2026-03-20"});
  const std::string accountant = demo.add_user("acct2", "accountant");
  auto invoices = demo.get("/api/v1/invoices?limit=5", accountant);
  ASSERT_EQ(invoices.status, 200) << invoices.raw;
  EXPECT_EQ(invoices.body["data"].size(), 5u);
  EXPECT_EQ(demo.cli({"verify"}, &out), 0) << out;
}

}  // namespace
}  // namespace o2c::e2e
