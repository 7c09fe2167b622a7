// Card checkouts through a payment provider: start one for an invoice's open
// amount, read it (the checkout page), complete it (the customer paid). The
// provider announces the payment to POST /webhooks/stripe, which records it;
// completing then marks the checkout paid by that payment.
#include <httplib.h>

#include "app/checkouts.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {
namespace {

const std::vector<Role> kCheckoutRoles = {Role::portal, Role::accountant, Role::admin};

json checkout_json(const app::CheckoutView& v) {
  const auto& c = v.checkout;
  auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(); };
  return {{"id", std::to_string(c.id)},
          {"provider", c.provider},
          {"status", c.status},
          {"amount", money_text(c.amount_minor, c.currency)},
          {"currency", c.currency},
          {"invoice_id", std::to_string(c.invoice_id)},
          {"invoice_number", c.invoice_number},
          {"customer_id", c.customer_id.to_string()},
          {"merchant", v.merchant},
          {"reference", c.reference},
          {"url", "/portal#/checkout/" + std::to_string(c.id)},
          {"payment_id", c.payment_id ? json(std::to_string(*c.payment_id)) : json()},
          {"created_at", c.created_at},
          {"completed_at", opt(c.completed_at)}};
}

json checkout_schema() {
  auto text = [](const char* d) { return json{{"type", "string"}, {"description", d}}; };
  return {{"type", "object"},
          {"properties",
           {{"id", text("the checkout's id")},
            {"provider", text("the payment provider: test")},
            {"status", {{"type", "string"}, {"enum", {"open", "completed"}}}},
            {"amount", text("the invoice's open amount when the checkout started; what the card pays")},
            {"currency", text("ISO 4217")},
            {"invoice_id", text("the invoice paid")},
            {"invoice_number", text("INV-2026-000001")},
            {"customer_id", text("the invoice's customer")},
            {"merchant", text("the seller's name, shown on the checkout page")},
            {"reference", text("the provider's payment id (a payment intent: pi_test_...)")},
            {"url", text("the checkout page, below this server: /portal#/checkout/{id}")},
            {"payment_id", {{"type", "string"}, {"nullable", true}, {"description", "the payment, once completed"}}},
            {"created_at", text("RFC 3339 UTC")},
            {"completed_at", {{"type", "string"}, {"nullable", true}}},
            {"webhook",
             {{"type", "object"},
              {"description", "complete only: what POST /webhooks/stripe answered the provider's event: "
                              "{event_id, duplicate, outcome}"}}}}}};
}

json errors(std::initializer_list<std::pair<const char*, const char*>> list) {
  json out = json::object();
  for (const auto& [status, description] : list) {
    out[status] = {{"description", description},
                   {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  }
  return {{"responses", out}};
}

Result<int64_t> id_param(const Request& req, const char* code, const char* what) {
  auto id = InvoiceId::parse(req.param(0));  // any positive integer id
  if (!id) return Error::not_found(code, std::string("no ") + what + " '" + req.param(0) + "'");
  return id->value();
}

Error payments_off(const std::string& which) {
  return Error{ErrorKind::unavailable, "payments_not_configured",
               "this server takes no card payments" + which +
                   ": start it with --test-payments (or --demo) for the test provider",
               ""};
}

}  // namespace

app::WebhookPoster loopback_webhook_poster(std::string host, const std::atomic<int>& port) {
  // A server listening on every address is reached on the loopback one.
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  return [host, &port](const std::string& body, const std::string& signature) -> Result<app::WebhookResponse> {
    httplib::Client client(host, port.load());
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(30, 0);
    httplib::Headers headers = {{"Stripe-Signature", signature}, {"User-Agent", "o2c-test-provider"}};
    auto res = client.Post("/api/v1/webhooks/stripe", headers, body, "application/json");
    if (!res) {
      return Error{ErrorKind::unavailable, "provider_delivery_failed",
                   "the payment provider could not reach this server's webhook (" + httplib::to_string(res.error()) +
                       "); nothing was paid",
                   ""};
    }
    return app::WebhookResponse{res->status, res->body};
  };
}

void add_checkout_routes(Router& r, const app::PaymentProviders& providers) {
  r.add({"POST", "/api/v1/invoices/{id}/checkout", kCheckoutRoles, true, true,
         "Start paying an invoice by card: a checkout for its open amount with a payment provider (the test "
         "provider under --demo or --test-payments); its page is `url`. A portal user pays only their own invoices",
         {},
         {{"type", "object"},
          {"properties", {{"provider", {{"type", "string"}, {"description", "default: the first provider on (test)"}}}}}},
         checkout_schema(), 201,
         [&providers](Request& req) -> Result<Reply> {
           if (providers.empty()) return payments_off("");
           O2C_ASSIGN_OR_RETURN(auto invoice_id, id_param(req, "invoice_not_found", "invoice"));
           O2C_ASSIGN_OR_RETURN(auto name, text_field(req.body(), "provider"));
           app::PaymentProvider* provider = name ? providers.find(*name) : providers.first();
           if (!provider) {
             return Error::invalid("unknown_provider", "no payment provider '" + *name + "' is on in this server",
                                   "provider");
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto v, app::start_checkout(ctx, *provider, invoice_id));
             return Reply::created(checkout_json(v));
           });
         },
         errors({{"404", "invoice_not_found (none, or another customer's for a portal user)"},
                 {"409", "invoice_not_open: paid or credited, nothing left to pay"},
                 {"422", "unknown_provider"},
                 {"503", "payments_not_configured: no payment provider is on"}})});

  r.add({"GET", "/api/v1/checkouts/{id}", kCheckoutRoles, true, false,
         "A checkout: merchant, invoice, amount and status (the checkout page reads it)", {}, {}, checkout_schema(),
         200,
         [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, id_param(req, "checkout_not_found", "checkout"));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto v, app::get_checkout(uow, req.actor(), id));
             return Reply::ok(checkout_json(v));
           });
         },
         errors({{"404", "checkout_not_found (none, or another customer's for a portal user)"}})});

  r.add({"POST", "/api/v1/checkouts/{id}/complete", kCheckoutRoles, true, false,
         "Pay an open checkout: the provider announces the payment to POST /webhooks/stripe (the test provider "
         "signs a payment_intent.succeeded event as Stripe does and posts it over loopback), which records it "
         "once; the checkout is then completed by that payment and the invoice is paid",
         {}, {}, checkout_schema(), 200,
         [&providers](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, id_param(req, "checkout_not_found", "checkout"));
           app::CheckoutCharge charge;
           std::string provider_name;
           O2C_TRY(req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(charge, app::prepare_completion(uow, req.actor(), id));
             provider_name = store::checkouts::find(uow, id)->provider;
             return Reply{};
           }));
           app::PaymentProvider* provider = providers.find(provider_name);
           if (!provider) return payments_off(" with the provider '" + provider_name + "'");
           // No unit of work is open here: the webhook the provider calls needs the writer.
           O2C_ASSIGN_OR_RETURN(auto notice, provider->complete(charge));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto v, app::finish_completion(ctx, id, notice));
             json body = checkout_json(v);
             body["webhook"] = {{"event_id", notice.event_id}, {"duplicate", notice.duplicate}, {"outcome", notice.outcome}};
             return Reply::ok(body);
           });
         },
         errors({{"404", "checkout_not_found (none, or another customer's for a portal user)"},
                 {"409", "checkout_completed (paid already: nothing is charged twice), invoice_not_open, "
                         "checkout_amount_changed (start a new checkout); nothing was charged"},
                 {"503", "payments_not_configured; provider_delivery_failed or payment_not_recorded: nothing was "
                         "paid"}})});
}

}  // namespace o2c::http
