#include "http/web.h"

#include <array>
#include <utility>

namespace o2c::http::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string attributes(bool secure) { return std::string("; HttpOnly; SameSite=Strict; Path=/") + (secure ? "; Secure" : ""); }

}  // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t end = header.find(';');
    std::string_view pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    // RFC 6265 allows the value in double quotes.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

bool over_tls(bool direct_tls, std::string_view forwarded_proto) {
  if (direct_tls) return true;
  // A chain of proxies lists one protocol each; the first is the client's.
  std::string_view first = trim(forwarded_proto.substr(0, forwarded_proto.find(',')));
  if (first.size() != 5) return false;
  std::string lower;
  for (char c : first) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  return lower == "https";
}

std::string session_cookie(std::string_view secret, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(secret) + attributes(secure);
}

std::string cleared_session_cookie(bool secure) {
  return std::string(kSessionCookie) + "=" + attributes(secure) + "; Max-Age=0";
}

bool needs_csrf(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::string_view content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string_view ext = path.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace o2c::http::web
