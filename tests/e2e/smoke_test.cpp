// The "done means", end to end: the server answers, tokens work, a
// customer is created with a request and read back, a bad request is
// refused and leaves no trace, and `o2c verify` passes.
#include <gtest/gtest.h>

#include "server_process.h"

namespace o2c::e2e {
namespace {

TEST(Smoke, CustomerRoundTripAndBadRequestLeavesNoTrace) {
  ServerProcess server;
  auto health = server.get("/healthz", "");
  ASSERT_EQ(health.status, 200) << health.raw;

  json customer = {{"name", "ACME GmbH"},       {"email", "ap@acme.example"}, {"currency", "EUR"},
                   {"credit_limit", "5000.00"}, {"payment_terms", "NET30"},   {"country", "DE"}};
  auto created = server.post("/api/v1/customers", server.admin_token(), customer);
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string id = created.body["id"];
  auto read = server.get("/api/v1/customers/" + id, server.admin_token());
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["name"], "ACME GmbH");
  EXPECT_EQ(read.body["credit_limit"], "5000.00");
  EXPECT_EQ(read.body["balance"], "0.00");

  auto events_before = server.get("/api/v1/events?limit=200", server.admin_token());
  json bad = customer;
  bad["credit_limit"] = "10.001";
  auto refused = server.post("/api/v1/customers", server.admin_token(), bad);
  EXPECT_EQ(refused.status, 422) << refused.raw;
  EXPECT_EQ(refused.body["error"]["code"], "too_many_decimals");
  EXPECT_EQ(refused.body["error"]["field"], "credit_limit");
  auto list = server.get("/api/v1/customers", server.admin_token());
  EXPECT_EQ(list.body["data"].size(), 1u);
  auto events_after = server.get("/api/v1/events?limit=200", server.admin_token());
  EXPECT_EQ(events_before.body["data"].size(), events_after.body["data"].size());

  std::string out;
  EXPECT_EQ(server.cli({"verify"}, &out), 0) << out;
}

}  // namespace
}  // namespace o2c::e2e
