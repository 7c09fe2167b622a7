#include "notify/signature.h"

#include <charconv>

#include "security/crypto.h"

namespace o2c::notify {

std::string signature_header(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string signed_text = t + ".";
  signed_text.append(body);
  return "t=" + t + ",v1=" + security::hmac_sha256_hex(secret, signed_text);
}

bool signature_valid(std::string_view header, std::string_view secret, std::string_view body, int64_t now_unix,
                     int64_t tolerance_seconds) {
  std::string_view t_text;
  std::string_view v1;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item.starts_with("t=")) t_text = item.substr(2);
    if (item.starts_with("v1=")) v1 = item.substr(3);
  }
  int64_t t = 0;
  auto [end, ec] = std::from_chars(t_text.data(), t_text.data() + t_text.size(), t);
  if (t_text.empty() || ec != std::errc() || end != t_text.data() + t_text.size() || v1.empty()) return false;
  if (t > now_unix + tolerance_seconds || t < now_unix - tolerance_seconds) return false;
  std::string signed_text(t_text);
  signed_text += ".";
  signed_text.append(body);
  return security::constant_time_equal(security::hmac_sha256_hex(secret, signed_text), v1);
}

}  // namespace o2c::notify
