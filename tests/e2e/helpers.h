#pragma once
// Small helpers shared by the end-to-end suites: the invariant check that
// closes every scenario, list paging, and a snapshot of everything a failed
// request must leave untouched.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <unistd.h>

#include "server_process.h"

namespace o2c::e2e {

// `o2c verify` must pass after every scenario that did not tamper on purpose:
// it is the one check that sees the database as a whole.
inline void expect_verify_ok(const ServerProcess& server) {
  std::string out;
  int rc = server.cli({"verify"}, &out);
  EXPECT_EQ(rc, 0) << "o2c verify failed:\n" << out;
}

// Text of error.code / error.field, or "" when the body has none; keeps
// assertions on error replies one-liners that print well when they fail.
inline std::string error_code(const Response& r) {
  if (!r.body.is_object() || !r.body.contains("error") || !r.body["error"].is_object()) return "";
  const auto& c = r.body["error"].value("code", json());
  return c.is_string() ? c.get<std::string>() : "";
}
inline std::string error_field(const Response& r) {
  if (!r.body.is_object() || !r.body.contains("error") || !r.body["error"].is_object()) return "";
  const auto& f = r.body["error"].value("field", json());
  return f.is_string() ? f.get<std::string>() : "";
}

// The error document of the contract: {"error":{"code","message"[,"field"]}}
// and nothing else, so that clients can rely on one shape everywhere.
inline ::testing::AssertionResult is_error_body(const Response& r) {
  if (!r.body.is_object()) return ::testing::AssertionFailure() << "not a JSON object: " << r.raw;
  if (r.body.size() != 1 || !r.body.contains("error") || !r.body["error"].is_object()) {
    return ::testing::AssertionFailure() << "expected exactly {\"error\": {...}}: " << r.raw;
  }
  const json& e = r.body["error"];
  if (!e.contains("code") || !e["code"].is_string() || e["code"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "error.code missing or not a string: " << r.raw;
  }
  for (char c : e["code"].get<std::string>()) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return ::testing::AssertionFailure() << "error.code is not snake_case: " << r.raw;
    }
  }
  if (!e.contains("message") || !e["message"].is_string() || e["message"].get<std::string>().empty()) {
    return ::testing::AssertionFailure() << "error.message missing or not a string: " << r.raw;
  }
  if (e.contains("field") && !e["field"].is_string()) {
    return ::testing::AssertionFailure() << "error.field is not a string: " << r.raw;
  }
  for (const auto& [k, v] : e.items()) {
    if (k != "code" && k != "message" && k != "field") {
      return ::testing::AssertionFailure() << "unexpected key error." << k << ": " << r.raw;
    }
  }
  return ::testing::AssertionSuccess();
}

// Every item of a list endpoint, following next_cursor to the end.
inline json list_all(const ServerProcess& server, const std::string& path, const std::string& token) {
  json all = json::array();
  std::string sep = path.find('?') == std::string::npos ? "?" : "&";
  std::string cursor;
  for (int pages = 0; pages < 10000; ++pages) {
    std::string url = path + sep + "limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto r = server.get(url, token);
    if (r.status != 200 || !r.body.is_object() || !r.body["data"].is_array()) {
      ADD_FAILURE() << "GET " << url << " -> " << r.status << " " << r.raw;
      return all;
    }
    for (auto& item : r.body["data"]) all.push_back(item);
    if (r.body["next_cursor"].is_null()) return all;
    cursor = r.body["next_cursor"].get<std::string>();
  }
  ADD_FAILURE() << "GET " << path << " never ended";
  return all;
}

// What a refused request must not change: the master data lists and the
// audit trail (every write appends an event, so an unchanged trail also
// covers tables the lists do not show).
inline json state_snapshot(const ServerProcess& server) {
  const std::string& t = server.admin_token();
  return {{"customers", list_all(server, "/api/v1/customers", t)},
          {"products", list_all(server, "/api/v1/products", t)},
          {"warehouses", list_all(server, "/api/v1/warehouses", t)},
          {"stock", list_all(server, "/api/v1/stock", t)},
          {"orders", list_all(server, "/api/v1/orders", t)},
          {"shipments", list_all(server, "/api/v1/shipments", t)},
          {"invoices", list_all(server, "/api/v1/invoices", t)},
          {"payments", list_all(server, "/api/v1/payments", t)},
          {"ledger", list_all(server, "/api/v1/ledger/entries", t)},
          {"users", server.get("/api/v1/users", t).body},
          {"events", list_all(server, "/api/v1/events", t)}};
}

// A suffix no other call of this test process has used, for SKUs, codes and
// names that must not collide across tests sharing one server.
inline std::string unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(getpid() % 100000) + "x" + std::to_string(++counter);
}

// A seller profile complete enough to issue invoices (shipping issues them).
inline json complete_company() {
  return {{"name", "Seller GmbH"},
          {"currency", "EUR"},
          {"vat_id", "DE811907980"},
          {"country", "DE"},
          {"address", "Hauptstr. 1\n10115 Berlin"},
          {"iban", "DE89370400440532013000"},
          {"bic", "COBADEFFXXX"},
          {"peppol_id", "9930:DE811907980"},
          {"email", "billing@seller.example"},
          {"phone", "+49 30 1234567"}};
}

// A customer the rules accept; tests change one field at a time.
inline json valid_customer(const std::string& name) {
  return {{"name", name},        {"email", "ap@example.com"}, {"currency", "EUR"},
          {"credit_limit", "5000.00"}, {"payment_terms", "NET30"},    {"country", "DE"}};
}

}  // namespace o2c::e2e
