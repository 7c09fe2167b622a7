// Notifications: webhook endpoints (admin) and the state of every message
// the outbox worker sends (GET /messages), so that nothing sent or stuck is
// invisible.
#include <ctime>

#include "app/notifications.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"
#include "store/messages_repo.h"

namespace o2c::http {
namespace {

// Cursor types: a message cursor is not an endpoint cursor.
using MessageId = Id<struct MessageTag>;
using WebhookEndpointId = Id<struct WebhookEndpointTag>;

constexpr const char* kStatuses[] = {"pending", "sending", "sent", "failed"};

std::string rfc3339_of_ms(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

json opt_json(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

json to_json(const store::messages::Message& m) {
  return {{"id", std::to_string(m.id)},
          {"event_id", std::to_string(m.outbox_id)},
          {"channel", m.channel},
          {"recipient", m.recipient},
          {"endpoint_id", m.endpoint_id ? json(std::to_string(*m.endpoint_id)) : json()},
          {"subject", opt_json(m.subject)},
          {"topic", m.topic},
          {"status", m.status},
          {"attempts", m.attempts},
          {"next_attempt_at", m.status == "pending" ? json(rfc3339_of_ms(m.next_attempt_at_ms)) : json()},
          {"last_error", opt_json(m.last_error)},
          {"sent_at", opt_json(m.sent_at)},
          {"created_at", m.created_at}};
}

json to_json(const store::webhook_endpoints::Endpoint& e) {
  json events = json::parse(e.events, nullptr, false);
  return {{"id", std::to_string(e.id)},
          {"url", e.url},
          {"events", events.is_discarded() ? json::array() : events},
          {"active", e.active},
          {"created_at", e.created_at}};
}

json message_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"event_id", {{"type", "string"}, {"description", "the announcement (outbox) id; O2C-Event-Id of webhooks"}}},
            {"channel", {{"type", "string"}, {"enum", {"email", "webhook"}}}},
            {"recipient", {{"type", "string"}, {"description", "e-mail address, or webhook endpoint id"}}},
            {"subject", {{"type", "string"}}},
            {"topic", {{"type", "string"}}},
            {"status", {{"type", "string"}, {"enum", {"pending", "sending", "sent", "failed"}}}},
            {"attempts", {{"type", "integer"}}},
            {"next_attempt_at", {{"type", "string"}, {"format", "date-time"}}},
            {"last_error", {{"type", "string"}}},
            {"sent_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

json endpoint_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"url", {{"type", "string"}}},
            {"events", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"active", {{"type", "boolean"}}},
            {"secret", {{"type", "string"}, {"description", "only in the response that creates the endpoint"}}}}}};
}

Result<std::optional<std::vector<std::string>>> read_events(const json& b) {
  std::optional<std::vector<std::string>> out;
  auto it = b.find("events");
  if (it == b.end() || it->is_null()) return out;
  if (it->is_string() && it->get<std::string>() == "*") return std::optional<std::vector<std::string>>(std::vector<std::string>{"*"});
  if (!it->is_array()) return Error::malformed("invalid_type", "events must be an array of topics, or \"*\"", "events");
  out.emplace();
  for (size_t i = 0; i < it->size(); ++i) {
    const json& ev = (*it)[i];
    if (!ev.is_string()) {
      return Error::malformed("invalid_type", "each event is a topic name", "events[" + std::to_string(i) + "]");
    }
    out->push_back(ev.get<std::string>());
  }
  return out;
}

}  // namespace

void add_notify_routes(Router& r) {
  r.add({"POST", "/api/v1/webhook-endpoints", {Role::admin}, true, true,
         "Register a webhook endpoint; its signing secret is shown once, in this response", {},
         {{"type", "object"},
          {"required", {"url", "events"}},
          {"properties",
           {{"url", {{"type", "string"}, {"description", "http:// or https://"}}},
            {"events", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "topics, or [\"*\"]"}}}}}},
         endpoint_schema(), 201, [](Request& req) -> Result<Reply> {
           app::WebhookEndpointDraft d;
           O2C_ASSIGN_OR_RETURN(d.url, text_field(req.body(), "url"));
           O2C_ASSIGN_OR_RETURN(d.events, read_events(req.body()));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto created, app::create_webhook_endpoint(ctx, d));
             json j = to_json(created.endpoint);
             j["secret"] = created.endpoint.secret;
             return Reply::created(j);
           });
         }});

  r.add({"GET", "/api/v1/webhook-endpoints", {Role::admin}, true, false, "Webhook endpoints (without secrets)",
         {{"limit", "page size"}, {"cursor", "from next_cursor"}}, {}, {}, 200, [](Request& req) -> Result<Reply> {
           return list_by_id<WebhookEndpointId>(
               req,
               [](store::UnitOfWork& uow, const store::PageRequest& pr) {
                 return store::webhook_endpoints::list(uow, pr);
               },
               [](const store::webhook_endpoints::Endpoint& e) { return to_json(e); });
         }});

  r.add({"GET", "/api/v1/messages", {Role::admin, Role::accountant}, true, false,
         "Outgoing e-mails and webhooks with their delivery state",
         {{"status", "pending, sending, sent or failed (gave up)"},
          {"topic", "the announcement's topic, e.g. invoice.issued"},
          {"limit", "page size"},
          {"cursor", "from next_cursor"}},
         {}, message_schema(), 200, [](Request& req) -> Result<Reply> {
           store::messages::ListFilter f;
           if (auto s = req.query("status"); s && !s->empty()) {
             bool known = false;
             for (const char* k : kStatuses) known = known || *s == k;
             if (!known) {
               return Error::malformed("invalid_status", "status must be pending, sending, sent or failed", "status");
             }
             f.status = *s;
           }
           if (auto t = req.query("topic"); t && !t->empty()) f.topic = *t;
           return list_by_id<MessageId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return store::messages::list(uow, f, pr); },
               [](const store::messages::Message& m) { return to_json(m); });
         }});
}

}  // namespace o2c::http
