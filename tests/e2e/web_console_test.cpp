// The web console, end to end: the page and its files with their headers,
// and the browser session (sign-in by token or password, the cookie alone
// authenticating reads, CSRF on writes, sign-out, expiry, a portal user's
// session seeing what its token sees). Both engines.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"
#include "store/db.h"

namespace o2c::e2e {
namespace {

const std::string kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

size_t header_count(const Response& r, const std::string& name) { return r.headers.count(name); }

// The signed-in browser: the session cookie's value and the CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
  httplib::Headers headers(bool with_csrf = true) const {
    httplib::Headers h{{"Cookie", "theme=plain; o2c_session=" + cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", csrf);
    return h;
  }
};

class WebConsole : public ShopSuite<WebConsole> {
 protected:
  // POST /session; on success the cookie as Set-Cookie gave it.
  static Response sign_in(const json& credentials, const httplib::Headers& extra = {}) {
    return server_->request("POST", "/api/v1/session", "", credentials, extra);
  }
  static Browser browser(const json& credentials) {
    auto r = sign_in(credentials);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::smatch m;
    const std::string set_cookie = r.header("Set-Cookie");
    static const std::regex value("^o2c_session=([^;]+);");
    EXPECT_TRUE(std::regex_search(set_cookie, m, value)) << set_cookie;
    return {m.size() > 1 ? m[1].str() : "", r.body.value("csrf_token", "")};
  }
  static Response as(const Browser& b, const std::string& method, const std::string& path, const json& body = nullptr,
                     bool with_csrf = true) {
    return server_->request(method, path, "", body, b.headers(with_csrf));
  }
  static int customers_named(const std::string& name) {
    int n = 0;
    for (const auto& c : list_all(*server_, "/api/v1/customers", admin())) n += c["name"] == name ? 1 : 0;
    return n;
  }
  // A user with a password, made through the API as the admin.
  static void user_with_password(const std::string& name, const std::string& role, const std::string& password,
                                 const std::string& customer = "") {
    json u = {{"name", name}, {"role", role}, {"password", password}};
    if (!customer.empty()) u["customer_id"] = customer;
    auto r = server_->post("/api/v1/users", admin(), u);
    ASSERT_EQ(r.status, 201) << r.raw;
  }
};

TEST_F(WebConsole, RootServesTheConsolePageWithSecurityHeaders) {
  auto r = server_->get("/", "");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("Content-Security-Policy"), kCsp);
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header_count(r, "X-Content-Type-Options"), 1u);
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
  EXPECT_EQ(header_count(r, "Cache-Control"), 1u);
  EXPECT_NE(r.raw.find("<script type=\"module\" src=\"/assets/console/app.js\"></script>"), std::string::npos);
  // The policy forbids inline code, so the page has none: every script has
  // a src and is empty, no <style> element, no style or on* attribute.
  static const std::regex script("<script([^>]*)>([^<]*)</script>");
  int scripts = 0;
  for (auto it = std::sregex_iterator(r.raw.begin(), r.raw.end(), script); it != std::sregex_iterator(); ++it) {
    ++scripts;
    EXPECT_NE((*it)[1].str().find("src=\"/assets/"), std::string::npos) << it->str();
    EXPECT_EQ((*it)[2].str(), "") << it->str();
  }
  EXPECT_EQ(scripts, 2);
  EXPECT_EQ(r.raw.find("<style"), std::string::npos);
  EXPECT_FALSE(std::regex_search(r.raw, std::regex(R"(\s(style|on[a-z]+)=)"))) << "inline style or handler";
}

TEST_F(WebConsole, EveryFileThePagesLoadIsServedWithItsContentType) {
  auto page = server_->get("/", "");
  ASSERT_EQ(page.status, 200);
  std::set<std::string> wanted;
  static const std::regex ref(R"((?:src|href)="(/assets/[^"]+)\")");
  for (auto it = std::sregex_iterator(page.raw.begin(), page.raw.end(), ref); it != std::sregex_iterator(); ++it) {
    wanted.insert((*it)[1].str());
  }
  EXPECT_TRUE(wanted.count("/assets/console/console.css"));
  EXPECT_TRUE(wanted.count("/assets/vendor/chart.min.js"));
  // The modules' imports ('./api.js') are files too, found by following them.
  std::vector<std::string> todo(wanted.begin(), wanted.end());
  static const std::regex import(R"(from '\./([a-z_]+\.js)')");
  while (!todo.empty()) {
    std::string path = todo.back();
    todo.pop_back();
    SCOPED_TRACE(path);
    auto r = server_->get(path, "");
    ASSERT_EQ(r.status, 200) << r.raw.substr(0, 200);
    EXPECT_EQ(r.header("Content-Security-Policy"), kCsp);
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    if (path.ends_with(".css")) {
      EXPECT_EQ(r.header("Content-Type"), "text/css; charset=utf-8");
    } else {
      EXPECT_EQ(r.header("Content-Type"), "text/javascript; charset=utf-8");
      EXPECT_EQ(r.raw.find("innerHTML"), std::string::npos) << "data goes into the page as text only";
    }
    if (!path.starts_with("/assets/console/") || !path.ends_with(".js")) continue;
    for (auto it = std::sregex_iterator(r.raw.begin(), r.raw.end(), import); it != std::sregex_iterator(); ++it) {
      const std::string dep = "/assets/console/" + (*it)[1].str();
      if (wanted.insert(dep).second) todo.push_back(dep);
    }
  }
  EXPECT_TRUE(wanted.count("/assets/console/api.js")) << "app.js imports were not followed";
  // Chart.js is Debian's 3.9.1, embedded: no request leaves this server.
  auto chart = server_->get("/assets/vendor/chart.min.js", "");
  EXPECT_NE(chart.raw.find("Chart.js v3.9.1"), std::string::npos);
}

TEST_F(WebConsole, UnchangedAssetRevalidatesWithoutBodyAndUnknownOnesAre404) {
  auto first = server_->get("/assets/console/app.js", "");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.header("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = server_->request("GET", "/assets/console/app.js", "", nullptr, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.raw, "");
  auto other = server_->request("GET", "/assets/console/app.js", "", nullptr, {{"If-None-Match", "\"stale\""}});
  EXPECT_EQ(other.status, 200);
  for (const char* path : {"/assets/console/nothing.js", "/assets/console/", "/assets/console/../console/app.js",
                           "/assets/./console/app.js", "/assets/console//app.js"}) {
    SCOPED_TRACE(path);
    auto r = server_->get(path, "");
    EXPECT_EQ(r.status, 404) << r.raw;
    EXPECT_TRUE(is_error_body(r));
  }
}

TEST_F(WebConsole, TokenSignInSetsAStrictHttpOnlySessionCookie) {
  auto r = sign_in({{"token", sales_}});
  ASSERT_EQ(r.status, 200) << r.raw;
  const std::string cookie = r.header("Set-Cookie");
  EXPECT_TRUE(std::regex_match(cookie, std::regex("o2c_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/")))
      << cookie;
  EXPECT_EQ(r.body["user"], "WebConsole-sales");
  EXPECT_EQ(r.body["role"], "sales");
  EXPECT_TRUE(r.body["customer_id"].is_null());
  EXPECT_EQ(r.body["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_TRUE(r.body["expires_at"].is_string());
  // Behind a TLS-terminating proxy the cookie is also Secure.
  auto tls = sign_in({{"token", sales_}}, {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(tls.status, 200) << tls.raw;
  EXPECT_NE(tls.header("Set-Cookie").find("; Secure"), std::string::npos) << tls.header("Set-Cookie");
  // Each sign-in is its own session.
  EXPECT_NE(tls.body["csrf_token"], r.body["csrf_token"]);
}

TEST_F(WebConsole, PasswordSignInAndWrongCredentialsAre401WithOneMessage) {
  const std::string name = "web-pw-" + unique_suffix();
  user_with_password(name, "accountant", "correct horse battery");
  auto ok = sign_in({{"name", name}, {"password", "correct horse battery"}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["role"], "accountant");
  EXPECT_NE(ok.header("Set-Cookie").find("HttpOnly; SameSite=Strict"), std::string::npos);

  json before = state_snapshot(*server_);
  auto wrong = sign_in({{"name", name}, {"password", "correct horse battery!"}});
  auto unknown = sign_in({{"name", "nobody-" + unique_suffix()}, {"password", "correct horse battery"}});
  // The users the shop suite made by the CLI have no password.
  auto no_password = sign_in({{"name", "WebConsole-sales"}, {"password", "anything at all"}});
  auto bad_token = sign_in({{"token", "o2c_" + std::string(64, '0')}});
  for (const auto* r : {&wrong, &unknown, &no_password, &bad_token}) {
    EXPECT_EQ(r->status, 401) << r->raw;
    EXPECT_EQ(error_code(*r), "invalid_credentials") << r->raw;
    EXPECT_TRUE(is_error_body(*r));
    EXPECT_EQ(r->body["error"]["message"], wrong.body["error"]["message"]);
    EXPECT_EQ(r->header("Set-Cookie"), "");
  }
  // A malformed form is 400 and names the field.
  auto both = sign_in({{"token", sales_}, {"name", name}, {"password", "correct horse battery"}});
  EXPECT_EQ(both.status, 400) << both.raw;
  auto half = sign_in({{"name", name}});
  EXPECT_EQ(half.status, 400) << half.raw;
  EXPECT_EQ(error_field(half), "password");
  EXPECT_EQ(state_snapshot(*server_), before) << "a refused sign-in changed something";
}

TEST_F(WebConsole, TenWrongPasswordsForOneNameHoldItOffWithRetryAfter) {
  const std::string name = "web-brake-" + unique_suffix();
  user_with_password(name, "accountant", "a long enough password");
  const std::string other = "web-brake-other-" + unique_suffix();
  user_with_password(other, "viewer", "another long password");
  for (int i = 0; i < 10; ++i) {
    auto wrong = sign_in({{"name", name}, {"password", "guess number " + std::to_string(i)}});
    ASSERT_EQ(wrong.status, 401) << "attempt " << i << ": " << wrong.raw;
  }
  json before = state_snapshot(*server_);
  // Even the right password waits now: the brake is asked before the password.
  auto held = sign_in({{"name", name}, {"password", "a long enough password"}});
  EXPECT_EQ(held.status, 429) << held.raw;
  EXPECT_EQ(error_code(held), "too_many_attempts");
  EXPECT_TRUE(is_error_body(held));
  EXPECT_EQ(held.header("Set-Cookie"), "");
  const std::string retry = held.header("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 500);
  EXPECT_LE(std::stoi(retry), 600);
  EXPECT_EQ(state_snapshot(*server_), before) << "a held sign-in changed something";
  // Another user from the same address still gets in, and so does a token.
  EXPECT_EQ(sign_in({{"name", other}, {"password", "another long password"}}).status, 200);
  EXPECT_EQ(sign_in({{"token", sales_}}).status, 200);
}

TEST_F(WebConsole, TheSessionListsTheRoutesItsRoleMayCall) {
  auto sales = sign_in({{"token", sales_}});
  ASSERT_EQ(sales.status, 200) << sales.raw;
  std::set<std::string> may;
  for (const auto& m : sales.body["may"]) may.insert(m.get<std::string>());
  EXPECT_TRUE(may.count("POST /orders"));
  EXPECT_TRUE(may.count("GET /orders/{id}"));
  EXPECT_FALSE(may.count("POST /orders/{id}/approve")) << "approving is the credit team's";
  EXPECT_FALSE(may.count("POST /session")) << "public routes are not listed";
  // What it lists is what the router does: sales may not approve.
  auto approve = server_->post("/api/v1/orders/1/approve", sales_, {{"reason", "x"}});
  EXPECT_EQ(approve.status, 403) << approve.raw;
  auto again = as(browser({{"token", sales_}}), "GET", "/api/v1/session");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body["may"], sales.body["may"]);
}

TEST_F(WebConsole, TheCookieAloneAuthenticatesReads) {
  Browser b = browser({{"token", accountant_}});
  auto customers = as(b, "GET", "/api/v1/customers", nullptr, false);
  EXPECT_EQ(customers.status, 200) << customers.raw;
  auto aging = as(b, "GET", "/api/v1/reports/aging", nullptr, false);
  EXPECT_EQ(aging.status, 200) << aging.raw;
  auto who = as(b, "GET", "/api/v1/session", nullptr, false);
  ASSERT_EQ(who.status, 200) << who.raw;
  EXPECT_EQ(who.body["user"], "WebConsole-accountant");
  EXPECT_EQ(who.body["csrf_token"], b.csrf) << "a reloaded page gets its token again";
  // Roles hold as with the token: the accountant may not read the audit trail.
  auto events = as(b, "GET", "/api/v1/events", nullptr, false);
  EXPECT_EQ(events.status, 403) << events.raw;
  EXPECT_EQ(error_code(events), "forbidden");
  // A bearer token asks GET /session too, and has no CSRF token.
  auto bearer = server_->get("/api/v1/session", accountant_);
  ASSERT_EQ(bearer.status, 200) << bearer.raw;
  EXPECT_TRUE(bearer.body["csrf_token"].is_null());
  // No cookie, an unknown one: 401.
  EXPECT_EQ(server_->get("/api/v1/session", "").status, 401);
  auto forged = server_->request("GET", "/api/v1/customers", "", nullptr,
                                 {{"Cookie", "o2c_session=" + std::string(64, 'a')}});
  EXPECT_EQ(forged.status, 401) << forged.raw;
  EXPECT_EQ(error_code(forged), "invalid_session");
}

TEST_F(WebConsole, WritesWithTheCookieNeedTheSessionsCsrfToken) {
  Browser b = browser({{"token", sales_}});
  const std::string name = "Csrf " + unique_suffix();
  json before = state_snapshot(*server_);
  auto none = as(b, "POST", "/api/v1/customers", valid_customer(name), false);
  EXPECT_EQ(none.status, 403) << none.raw;
  EXPECT_EQ(error_code(none), "csrf_failed");
  EXPECT_TRUE(is_error_body(none));
  Browser wrong = b;
  wrong.csrf = std::string(64, '0');
  auto bad = as(wrong, "POST", "/api/v1/customers", valid_customer(name));
  EXPECT_EQ(bad.status, 403) << bad.raw;
  EXPECT_EQ(error_code(bad), "csrf_failed");
  // Another session's token is as wrong as any other.
  Browser other = browser({{"token", sales_}});
  Browser mixed{b.cookie, other.csrf};
  EXPECT_EQ(as(mixed, "POST", "/api/v1/customers", valid_customer(name)).status, 403);
  EXPECT_EQ(customers_named(name), 0);
  // The snapshot before `other` signed in differs only by that sign-in's event.
  json after = state_snapshot(*server_);
  ASSERT_EQ(after["events"].size(), before["events"].size() + 1);
  after["events"].erase(after["events"].size() - 1);
  EXPECT_EQ(after, before) << "a request refused for its CSRF token changed something";

  auto right = as(b, "POST", "/api/v1/customers", valid_customer(name));
  EXPECT_EQ(right.status, 201) << right.raw;
  EXPECT_EQ(customers_named(name), 1);
  // The audit trail names the session's user.
  auto events = list_all(*server_, "/api/v1/events", admin());
  EXPECT_EQ(events.back()["entity"], "customer");
  EXPECT_NE(events.back()["actor"].get<std::string>().find("WebConsole-sales"), std::string::npos) << events.back();

  // With a bearer token too, the token decides and no CSRF token is asked for.
  const std::string name2 = "Csrf bearer " + unique_suffix();
  auto both = server_->request("POST", "/api/v1/customers", sales_, valid_customer(name2), b.headers(false));
  EXPECT_EQ(both.status, 201) << both.raw;
  // ... and a cookie does not lend a token its role.
  auto viewer_token = server_->add_user("web-viewer-" + unique_suffix(), "viewer");
  auto refused = server_->request("POST", "/api/v1/customers", viewer_token, valid_customer("Csrf v " + unique_suffix()),
                                  b.headers(true));
  EXPECT_EQ(refused.status, 403) << refused.raw;
  EXPECT_EQ(error_code(refused), "forbidden");
}

TEST_F(WebConsole, SignOutRevokesTheSession) {
  Browser b = browser({{"token", accountant_}});
  ASSERT_EQ(as(b, "GET", "/api/v1/session", nullptr, false).status, 200);
  // Signing out changes something: it needs the CSRF token as well.
  auto no_token = as(b, "DELETE", "/api/v1/session", nullptr, false);
  EXPECT_EQ(no_token.status, 403) << no_token.raw;
  EXPECT_EQ(as(b, "GET", "/api/v1/session", nullptr, false).status, 200) << "a refused sign-out signed out";

  auto out = as(b, "DELETE", "/api/v1/session");
  EXPECT_EQ(out.status, 204) << out.raw;
  EXPECT_NE(out.header("Set-Cookie").find("o2c_session=;"), std::string::npos) << out.header("Set-Cookie");
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  for (const char* path : {"/api/v1/session", "/api/v1/customers"}) {
    auto r = as(b, "GET", path, nullptr, false);
    EXPECT_EQ(r.status, 401) << path << ": " << r.raw;
    EXPECT_EQ(error_code(r), "invalid_session");
  }
  EXPECT_EQ(as(b, "POST", "/api/v1/customers", valid_customer("After " + unique_suffix())).status, 401);
  // The token the session was opened with still works.
  EXPECT_EQ(server_->get("/api/v1/customers", accountant_).status, 200);
  auto events = list_all(*server_, "/api/v1/events", admin());
  EXPECT_EQ(events.back()["entity"], "session");
  EXPECT_EQ(events.back()["action"], "revoked");
}

TEST_F(WebConsole, ExpiredSessionIsRefused) {
  Browser b = browser({{"token", accountant_}});
  ASSERT_EQ(as(b, "GET", "/api/v1/customers", nullptr, false).status, 200);
  {
    // Eight hours pass, as far as the database can tell.
    auto db = store::open_database(server_->db_target());
    auto uow = db->begin(store::TxMode::write);
    int64_t changed = uow->exec(
        "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE csrf_token = '" + b.csrf + "'");
    uow->commit();
    ASSERT_EQ(changed, 1);
  }
  for (const char* path : {"/api/v1/customers", "/api/v1/session"}) {
    auto r = as(b, "GET", path, nullptr, false);
    EXPECT_EQ(r.status, 401) << path << ": " << r.raw;
    EXPECT_EQ(error_code(r), "invalid_session");
  }
}

TEST_F(WebConsole, PortalSessionSeesWhatItsTokenSeesAndNoMore) {
  const std::string mine = customer();
  const std::string theirs = customer();
  const std::string sku = product("10.00");
  json my_order = place(mine, sku, "1", "open");
  json their_order = place(theirs, sku, "1", "open");
  const std::string my_invoice = ship(my_order, "2026-01-15").value("id", "");
  const std::string their_invoice = ship(their_order, "2026-01-15").value("id", "");
  ASSERT_FALSE(my_invoice.empty() || their_invoice.empty());
  const std::string name = "web-portal-" + unique_suffix();
  user_with_password(name, "portal", "portal password 1", mine);
  auto token_r = server_->post("/api/v1/session", "", {{"name", name}, {"password", "portal password 1"}});
  ASSERT_EQ(token_r.status, 200) << token_r.raw;
  EXPECT_EQ(token_r.body["role"], "portal");
  EXPECT_EQ(token_r.body["customer_id"], mine);
  Browser b = browser({{"name", name}, {"password", "portal password 1"}});
  const std::string token = server_->add_user(name + "-t", "portal", mine);

  const std::vector<std::string> paths = {
      "/api/v1/invoices/" + my_invoice,
      "/api/v1/invoices/" + their_invoice,
      "/api/v1/invoices/" + their_invoice + ".pdf",
      "/api/v1/customers/" + mine + "/statement",
      "/api/v1/customers/" + theirs + "/statement",
      "/api/v1/invoices",
      "/api/v1/customers",
      "/api/v1/customers/" + theirs,
      "/api/v1/orders/" + their_order.value("id", ""),
      "/api/v1/reports/aging",
  };
  for (const auto& path : paths) {
    SCOPED_TRACE(path);
    auto with_token = server_->get(path, token);
    auto with_cookie = as(b, "GET", path, nullptr, false);
    EXPECT_EQ(with_cookie.status, with_token.status) << with_cookie.raw;
    if (with_token.status == 200) {
      EXPECT_EQ(with_cookie.body, with_token.body);
    }
  }
  EXPECT_EQ(as(b, "GET", "/api/v1/invoices/" + my_invoice, nullptr, false).status, 200);
  EXPECT_EQ(as(b, "GET", "/api/v1/customers/" + mine + "/statement", nullptr, false).status, 200);
  const int theirs_status = as(b, "GET", "/api/v1/invoices/" + their_invoice, nullptr, false).status;
  EXPECT_TRUE(theirs_status == 403 || theirs_status == 404) << theirs_status;
  // A dispute on the other customer's invoice is refused with the cookie as with the token.
  auto dispute = as(b, "POST", "/api/v1/invoices/" + their_invoice + "/disputes", {{"reason", "not mine"}});
  auto dispute_token = server_->post("/api/v1/invoices/" + their_invoice + "/disputes", token, {{"reason", "not mine"}});
  EXPECT_EQ(dispute.status, dispute_token.status) << dispute.raw;
  EXPECT_NE(dispute.status / 100, 2) << dispute.raw;
}

}  // namespace
}  // namespace o2c::e2e
