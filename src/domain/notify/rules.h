#pragma once
// The rules of notifications, without I/O: which topics exist and may be
// subscribed to, what a webhook URL may be, when a failed delivery is tried
// again, and which announcements become which e-mail.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c::notify {

// Every topic the outbox carries today. A webhook endpoint may subscribe to
// these or to "*"; a topic added to the outbox is added here too.
std::span<const std::string_view> known_topics();
bool is_known_topic(std::string_view topic);

constexpr size_t kUrlMax = 2048;
constexpr size_t kEventsMax = 64;  // topics per endpoint

// An absolute http:// or https:// URL with a host, no whitespace or control
// characters, no user:password (secrets would show in every listing), at
// most kUrlMax bytes. Error: 422 invalid_url on `url`.
Result<void> validate_endpoint_url(std::string_view url);

// Exponential backoff: attempt n (1-based) failing waits base * 2^(n-1),
// capped at max; after max_attempts failures the message is given up.
struct RetryPolicy {
  int64_t base_ms = 5000;
  int64_t max_ms = 15 * 60 * 1000;
  int max_attempts = 10;
};
// The wait before the next attempt after `attempts_made` (>= 1) failures,
// or nullopt when no attempt is left.
std::optional<int64_t> retry_delay_ms(const RetryPolicy& p, int attempts_made);

// What an announcement attaches to its e-mail.
enum class Attach {
  none,
  document,  // the invoice or credit note the payload's invoice_id names: PDF and UBL XML
  notice,    // the dunning notice the payload's notice_id names, as its letter PDF
};

// An e-mail template. `subject` and `body` take {name} placeholders filled
// from the announcement's fields (see fill()). Adding a kind of e-mail is
// adding one entry to the table in rules.cpp.
struct EmailTemplate {
  std::string_view topic;  // exact topic, or a prefix ending in '.' ("dunning.")
  std::string_view subject;
  std::string_view body;
  Attach attach = Attach::none;
  // No e-mail when the announcement's field has this value (e.g. a dunning
  // level whose action is a printed letter). Empty field: always.
  std::string_view skip_when_field = {};
  std::string_view skip_when_value = {};
};
// Whether an announcement with these fields is e-mailed under `t`.
bool wants_email(const EmailTemplate& t, const std::map<std::string, std::string>& vars);
// The template for a topic: an exact entry first, else the longest prefix
// entry; nullptr when the topic sends no e-mail.
const EmailTemplate* email_template_for(std::string_view topic);

// Replaces each {name} with vars[name]; an unknown name becomes "" so that
// a missing field never leaks template syntax to a customer. "{{" is "{".
std::string fill(std::string_view text, const std::map<std::string, std::string>& vars);

}  // namespace o2c::notify
