// Events pushed by payment providers. No bearer token: the provider signs
// each delivery, and the signature over the raw body is the authentication.
#include <chrono>

#include "app/webhooks.h"
#include "http/routes.h"
#include "http/views.h"
#include "security/stripe_signature.h"

namespace o2c::http {
namespace {

json receipt_json(const app::WebhookReceipt& r) {
  json out = {{"received", true},
              {"duplicate", r.duplicate},
              {"event_id", r.event_id},
              {"type", r.type},
              {"outcome", r.outcome}};
  if (r.payment) out["payment"] = to_json(*r.payment);
  return out;
}

json error_response(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

void add_webhook_routes(Router& r, const WebhookSettings& settings) {
  const std::string secret = settings.stripe_secret;
  r.add({"POST", "/api/v1/webhooks/stripe", {}, false, false,
         "A Stripe event, authenticated by its Stripe-Signature (no bearer token); each event id is applied once. "
         "payment_intent.succeeded with metadata.invoice_id records a card payment of that invoice",
         {}, {}, {{"type", "object"},
                  {"properties",
                   {{"received", {{"type", "boolean"}}},
                    {"duplicate", {{"type", "boolean"}, {"description", "an earlier delivery was applied; nothing changed"}}},
                    {"event_id", {{"type", "string"}}},
                    {"type", {{"type", "string"}}},
                    {"outcome",
                     {{"type", "string"},
                      {"description", "processed: payment <id> | ignored[: why] | rejected: <code> (signed, but cannot apply)"}}},
                    {"payment", {{"type", "object"}, {"description", "the payment this delivery recorded"}}}}}},
         200,
         [secret](Request& req) -> Result<Reply> {
           if (secret.empty()) {
             return Error{ErrorKind::unavailable, "webhook_not_configured",
                          "this server has no Stripe signing secret (O2C_STRIPE_WEBHOOK_SECRET)", ""};
           }
           // The signature covers the exact bytes received: verified before any parsing.
           const std::string& body = req.raw().body;
           const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
           O2C_TRY(security::verify_stripe_signature(req.raw().get_header_value("Stripe-Signature"), body, secret, now));
           O2C_ASSIGN_OR_RETURN(auto event, parse_object(body));
           req.act_as(app::Actor{UserId(), "stripe", Role::accountant, std::nullopt});
           auto result = req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto receipt, app::receive_stripe_event(ctx, event));
             return Reply::ok(receipt_json(receipt));
           });
           if (result.ok() || result.error().code != "duplicate") return result;
           // A concurrent delivery of this event committed first: answer as its repeat.
           // receive_stripe_event checked that the id is a string before anything was written.
           const std::string id = event["id"].is_string() ? event["id"].get<std::string>() : std::string();
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             auto seen = app::find_webhook_event(uow, app::kStripeProvider, id);
             if (!seen) return result.error();
             return Reply::ok(receipt_json(*seen));
           });
         },
         {{"parameters",
           json::array({{{"name", "Stripe-Signature"},
                         {"in", "header"},
                         {"required", true},
                         {"description", "t=<unix seconds>,v1=<HMAC-SHA256 hex of \"t.body\">; 5 minutes tolerance"},
                         {"schema", {{"type", "string"}}}}})},
          {"requestBody",
           {{"required", true},
            {"content", {{"application/json", {{"schema", {{"type", "object"}, {"required", {"id", "type", "created"}}}}}}}}}},
          {"responses",
           {{"400", error_response("invalid_signature, stale_signature, invalid_json or invalid_event; nothing was written")},
            {"503", error_response("webhook_not_configured: the server has no signing secret")}}}}});
}

}  // namespace o2c::http
