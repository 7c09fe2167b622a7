#pragma once
#include <atomic>

#include "app/payment_providers.h"
#include "http/router.h"

namespace o2c::http {

void add_masterdata_routes(Router& router);
void add_order_routes(Router& router);
// Shipments, pick lists, delivery, and the journal they post to.
void add_shipping_routes(Router& router);
// Invoices, credit notes, the billing run, exchange rates, the trial balance.
void add_billing_routes(Router& router);
// Payments received, and customer credit applied to invoices.
void add_payment_routes(Router& router);
// Bank statements, reconciliation and the matching workbench.
void add_bank_routes(Router& router);
// Disputes, promises to pay, dunning policies and the dunning run.
void add_collection_routes(Router& router);
// Receivables reports: aging, open items, DSO and the other measures.
void add_report_routes(Router& router);
// The cash forecast and the ledger export as an hledger journal.
void add_forecast_routes(Router& router);
// Provider webhooks. An empty secret leaves the route answering 503.
struct WebhookSettings {
  std::string stripe_secret;  // O2C_STRIPE_WEBHOOK_SECRET
};
void add_webhook_routes(Router& router, const WebhookSettings& settings);
// Card checkouts through the payment providers that are on (none: the
// routes answer 503 payments_not_configured).
void add_checkout_routes(Router& router, const app::PaymentProviders& providers);
// How the test provider posts its signed events to this server's own
// webhook: over loopback HTTP to `port` (read at each post: it is known only
// once the server is bound).
app::WebhookPoster loopback_webhook_poster(std::string host, const std::atomic<int>& port);
// Webhook endpoints and the delivery state of outgoing messages.
void add_notify_routes(Router& router);
// Web sign-in sessions: POST, GET and DELETE /api/v1/session.
void add_session_routes(Router& router);
// The web console `/`, the customer portal `/portal`, and `/assets/{path}`, embedded in the binary.
void add_web_routes(Router& router);
// /healthz, /metrics, the OpenAPI document, /me, users and the audit trail.
void add_system_routes(Router& router, Metrics& metrics);

// The customer a list is confined to: a portal user's own (a customer_id
// query naming another customer answers 404 customer_not_found, as that
// customer's documents do); nullopt for staff, who see every customer's.
Result<std::optional<CustomerId>> portal_scope(const Request& req);

// The OpenAPI 3 document of every registered route.
json openapi_document(const std::vector<Route>& routes);

}  // namespace o2c::http
