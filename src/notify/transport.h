#pragma once
// Sending over the network with libcurl: SMTP for e-mail, HTTP(S) POST for
// webhooks. Both are safe to call from several threads at once (each call
// has its own handle) and give up when `abort` turns true (shutdown).
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace o2c::notify {

struct SmtpSettings {
  // smtp://host:port (STARTTLS when the server offers it) or smtps://host:port;
  // credentials, if any, as smtp://user:password@host.
  std::string url;
  int64_t timeout_ms = 60000;
};
// Delivers `message` (RFC 5322 text with CRLF line ends) from `from_addr`
// to `to_addr`, both bare addresses. Error: smtp_failed with curl's reason
// and the server's last reply code.
Result<void> smtp_send(const SmtpSettings& s, const std::string& from_addr, const std::string& to_addr,
                       const std::string& message, const std::atomic<bool>& abort);

struct HttpReply {
  long status = 0;
  std::string body_start;  // the first bytes of the body, for last_error
};
// POSTs `body` as application/json with the extra headers. Redirects are
// not followed (a moved endpoint is a failed attempt the admin sees); only
// http and https. Error: http_failed when no reply arrived (refused,
// timed out, TLS); any reply, 2xx or not, is an HttpReply.
Result<HttpReply> http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body, int64_t timeout_ms, const std::atomic<bool>& abort);

}  // namespace o2c::notify
