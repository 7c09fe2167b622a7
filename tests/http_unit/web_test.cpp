#include "http/web.h"

#include <gtest/gtest.h>

#include <string>

namespace o2c::http::web {
namespace {

TEST(WebCookie, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(cookie_value("o2c_session=abc", "o2c_session"), "abc");
  EXPECT_EQ(cookie_value("theme=dark; o2c_session=abc; lang=de", "o2c_session"), "abc");
  EXPECT_EQ(cookie_value("theme=dark;o2c_session=abc", "o2c_session"), "abc");
  EXPECT_EQ(cookie_value("o2c_session=\"abc\"", "o2c_session"), "abc");
  EXPECT_EQ(cookie_value("o2c_session=first; o2c_session=second", "o2c_session"), "first");
  EXPECT_EQ(cookie_value("o2c_session=", "o2c_session"), "");
}

TEST(WebCookie, IgnoresSimilarNamesAndJunk) {
  EXPECT_EQ(cookie_value("", "o2c_session"), std::nullopt);
  EXPECT_EQ(cookie_value("x_o2c_session=abc", "o2c_session"), std::nullopt);
  EXPECT_EQ(cookie_value("o2c_session_old=abc", "o2c_session"), std::nullopt);
  EXPECT_EQ(cookie_value("o2c_session", "o2c_session"), std::nullopt);
  EXPECT_EQ(cookie_value(";;; =; o2c_session=z", "o2c_session"), "z");
}

TEST(WebCookie, SessionCookieIsHttpOnlyStrictAndSecureOverTls) {
  EXPECT_EQ(session_cookie("s3cret", false), "o2c_session=s3cret; HttpOnly; SameSite=Strict; Path=/");
  EXPECT_EQ(session_cookie("s3cret", true), "o2c_session=s3cret; HttpOnly; SameSite=Strict; Path=/; Secure");
  EXPECT_EQ(cleared_session_cookie(false), "o2c_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  EXPECT_EQ(cleared_session_cookie(true), "o2c_session=; HttpOnly; SameSite=Strict; Path=/; Secure; Max-Age=0");
}

TEST(WebCookie, TlsIsDirectOrTheFirstForwardedProtocol) {
  EXPECT_TRUE(over_tls(true, ""));
  EXPECT_FALSE(over_tls(false, ""));
  EXPECT_TRUE(over_tls(false, "https"));
  EXPECT_TRUE(over_tls(false, "HTTPS"));
  EXPECT_TRUE(over_tls(false, " https , http"));
  EXPECT_FALSE(over_tls(false, "http, https"));
  EXPECT_FALSE(over_tls(false, "httpsx"));
  EXPECT_FALSE(over_tls(false, "http"));
}

TEST(WebCsrf, EveryMethodButGetAndHeadNeedsTheToken) {
  EXPECT_FALSE(needs_csrf("GET"));
  EXPECT_FALSE(needs_csrf("HEAD"));
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"}) {
    SCOPED_TRACE(m);
    EXPECT_TRUE(needs_csrf(m));
  }
}

TEST(WebAssets, ContentTypeFollowsTheExtension) {
  EXPECT_EQ(content_type_for("console/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("console/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("vendor/chart.min.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("console/console.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("console/icon.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("console/README"), "application/octet-stream");
  EXPECT_EQ(content_type_for("console.d/README"), "application/octet-stream");
  EXPECT_EQ(content_type_for("console/app.exe"), "application/octet-stream");
  EXPECT_EQ(content_type_for("console/app.JS"), "application/octet-stream");
}

TEST(WebHeaders, PolicyForbidsInlineCodeAndOtherOrigins) {
  const std::string csp(kContentSecurityPolicy);
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
}

}  // namespace
}  // namespace o2c::http::web
