#pragma once
// Use cases of notifications: webhook endpoints (created by an admin), the
// fan-out of outbox announcements into messages, and what each message says
// when it is sent. Sending itself (SMTP, HTTP) and the retry loop are the
// worker's (src/notify/worker.h); this layer never does I/O beyond the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/masterdata/rules.h"
#include "formats/mime/mime.h"
#include "store/messages_repo.h"

namespace o2c::app {

struct WebhookEndpointDraft {
  masterdata::Text url;
  // nullopt: not given. ["*"] (or the string "*" read as such): every topic.
  std::optional<std::vector<std::string>> events;
};
struct CreatedWebhookEndpoint {
  store::webhook_endpoints::Endpoint endpoint;  // secret included: shown once, at creation
};
// Errors (422): required (url, events), invalid_url (url), unknown_event
// (events[i]: neither a known topic nor "*"), too_many_events, duplicate_event.
// Audited without the secret.
Result<CreatedWebhookEndpoint> create_webhook_endpoint(Context& ctx, const WebhookEndpointDraft& draft);

// Messages are created from the outbox by fan_out(): one e-mail to the
// customer for each topic with a template (domain/notify/rules.h), one POST
// per active endpoint subscribed to the topic. Each outbox row is fanned out
// once, in the unit that marks it. Without SMTP configured, e-mails are
// created all the same, pending with last_error "smtp not configured", and go
// out once a server with SMTP runs. Returns the number of outbox rows done.
struct FanOutOptions {
  bool email_configured = false;
  int batch = 100;
};
int fan_out(store::UnitOfWork& uow, const Clock& clock, int64_t now_ms, const FanOutOptions& opts);

// The e-mail of a message, attachments rendered. `from` empty: the company's
// e-mail, with its name ("Seller GmbH <billing@seller.example>"). Errors:
// no_sender (neither), outbox_row_missing, and the renderers' (the PDF is
// required; the UBL XML is attached when the document can be expressed in
// it, else left out and noted in the text).
Result<formats::mime::Email> compose_email(store::UnitOfWork& uow, const store::messages::Message& m,
                                           const std::string& from, int64_t now_unix);

struct WebhookDelivery {
  std::string url;
  std::string secret;
  std::string body;      // {"id", "topic", "created_at", "data"}, the same bytes every attempt
  std::string event_id;  // the outbox id: one announcement, one id at every endpoint
};
// Errors: endpoint_inactive (deleted or switched off: no further attempts
// make sense), outbox_row_missing.
Result<WebhookDelivery> compose_webhook(store::UnitOfWork& uow, const store::messages::Message& m);

// The stable Message-ID of a message's e-mail: a retry after an unknown
// outcome carries the same one, so the receiving side can drop the copy.
std::string message_id_of(const store::messages::Message& m, const std::string& from);

}  // namespace o2c::app
