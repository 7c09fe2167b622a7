#pragma once
// Pure pieces of serving the web console to a browser: the session cookie,
// CSRF rules, the security headers of every page and asset, and the content
// type of an embedded file. No I/O; tested in tests/http_unit/web_test.cpp.
#include <optional>
#include <string>
#include <string_view>

namespace o2c::http::web {

constexpr std::string_view kSessionCookie = "o2c_session";
constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// Everything the pages load comes from this server; no inline script or
// style (so an injected <script> or style="" does nothing), no framing.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// The value of cookie `name` in a Cookie request header ("a=1; b=2"), the
// first when it appears twice; nullopt when absent.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// Whether the browser reached us over TLS: directly, or through a proxy
// that says so (X-Forwarded-Proto: https). A client that lies about it only
// gets a cookie it will not send back over plain HTTP.
bool over_tls(bool direct_tls, std::string_view forwarded_proto);

// Set-Cookie of a new session: HttpOnly (no script reads it), SameSite=Strict
// (no other site's page sends it), Path=/, Secure over TLS. No Max-Age: it
// ends with the browser; the server ends it after kSessionSeconds anyway.
std::string session_cookie(std::string_view secret, bool secure);
// Set-Cookie that makes the browser forget the session cookie.
std::string cleared_session_cookie(bool secure);

// Whether a request with this method must carry the session's CSRF token:
// every method that may change something (all but GET and HEAD).
bool needs_csrf(std::string_view method);

// The Content-Type of an embedded web file from its extension; the files are
// UTF-8. Unknown extensions are application/octet-stream (nosniff stops a
// browser from running them).
std::string_view content_type_for(std::string_view path);

}  // namespace o2c::http::web
