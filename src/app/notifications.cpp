#include "app/notifications.h"

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "app/audit.h"
#include "app/billing.h"
#include "app/collections.h"
#include "domain/notify/rules.h"
#include "formats/pdf/invoice_pdf.h"
#include "formats/ubl/ubl.h"
#include "security/crypto.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using nlohmann::json;

constexpr const char* kSmtpNotConfigured = "smtp not configured";

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number() || v.is_boolean()) return v.dump();
  return "";
}

// One line per item of a payload's "lines": an order line as
// "sku  quantity x unit price = line net", anything else as its fields.
std::string lines_text(const json& lines) {
  std::string out;
  if (!lines.is_array()) return out;
  for (const auto& l : lines) {
    if (!l.is_object()) continue;
    if (l.contains("sku")) {
      out += "  " + scalar_text(l.value("sku", json())) + "  " + scalar_text(l.value("quantity", json())) + " x " +
             scalar_text(l.value("unit_price", json())) + " = " + scalar_text(l.value("line_net", json())) + "\n";
      continue;
    }
    std::string row;
    for (const auto& [k, v] : l.items()) {
      if (!row.empty()) row += "  ";
      row += k + ": " + scalar_text(v);
    }
    out += "  " + row + "\n";
  }
  return out;
}

std::optional<masterdata::Customer> customer_of(store::UnitOfWork& uow, const json& payload) {
  const auto id = CustomerId::parse(scalar_text(payload.value("customer_id", json())));
  if (!id) return std::nullopt;
  return store::customers::find(uow, *id);
}

// What a template's placeholders may name: the payload's top-level scalars,
// plus the customer's and the seller's names and the payload's lines as text.
std::map<std::string, std::string> template_vars(store::UnitOfWork& uow, const json& payload) {
  std::map<std::string, std::string> vars;
  if (payload.is_object()) {
    for (const auto& [k, v] : payload.items()) vars[k] = scalar_text(v);
    vars["lines_text"] = lines_text(payload.value("lines", json()));
  }
  const auto customer = customer_of(uow, payload);
  vars["customer_name"] = customer ? customer->name : "customer";
  const auto company = store::company::get(uow);
  vars["seller_name"] = company ? company->name : "";
  return vars;
}

json parse_payload(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

bool subscribed(const store::webhook_endpoints::Endpoint& e, const std::string& topic) {
  const json events = json::parse(e.events, nullptr, false);
  if (!events.is_array()) return false;
  for (const auto& ev : events) {
    if (ev.is_string() && (ev.get<std::string>() == "*" || ev.get<std::string>() == topic)) return true;
  }
  return false;
}

}  // namespace

Result<CreatedWebhookEndpoint> create_webhook_endpoint(Context& ctx, const WebhookEndpointDraft& draft) {
  if (!draft.url || draft.url->empty()) return Error::invalid("required", "url is required", "url");
  O2C_TRY(notify::validate_endpoint_url(*draft.url));
  if (!draft.events || draft.events->empty()) {
    return Error::invalid("required", "events is required: a list of topics, or \"*\" for all", "events");
  }
  if (draft.events->size() > notify::kEventsMax) {
    return Error::invalid("too_many_events",
                          "at most " + std::to_string(notify::kEventsMax) + " events per endpoint", "events");
  }
  json events = json::array();
  std::set<std::string> seen;
  for (size_t i = 0; i < draft.events->size(); ++i) {
    const std::string& ev = (*draft.events)[i];
    const std::string field = "events[" + std::to_string(i) + "]";
    if (ev != "*" && !notify::is_known_topic(ev)) {
      return Error::invalid("unknown_event", "'" + ev + "' is not a topic o2c announces", field);
    }
    if (!seen.insert(ev).second) return Error::invalid("duplicate_event", "'" + ev + "' is listed twice", field);
    events.push_back(ev);
  }
  store::webhook_endpoints::Endpoint e;
  e.url = *draft.url;
  e.events = events.dump();
  e.secret = "whsec_" + security::random_hex(32);
  e.active = true;
  if (ctx.actor.id.valid()) e.created_by = ctx.actor.id.value();
  e.created_at = ctx.clock.now_rfc3339();
  e.id = store::webhook_endpoints::insert(ctx.uow, e);
  record_event(ctx, "webhook_endpoint", std::to_string(e.id), "created", {{"url", e.url}, {"events", events}});
  return CreatedWebhookEndpoint{std::move(e)};
}

int fan_out(store::UnitOfWork& uow, const Clock& clock, int64_t now_ms, const FanOutOptions& opts) {
  const auto rows = store::messages::lock_not_fanned_out(uow, opts.batch);
  if (rows.empty()) return 0;
  const auto endpoints = store::webhook_endpoints::active(uow);
  const std::string now = clock.now_rfc3339();
  for (const auto& row : rows) {
    if (const auto* tmpl = notify::email_template_for(row.topic)) {
      const json payload = parse_payload(row.payload);
      const auto vars = template_vars(uow, payload);
      // An announcement that names no customer with an address has no one to
      // mail; its webhooks still go out.
      const auto customer = customer_of(uow, payload);
      if (customer && !customer->email.empty() && notify::wants_email(*tmpl, vars)) {
        store::messages::NewMessage m;
        m.outbox_id = row.id;
        m.channel = "email";
        m.recipient = customer->email;
        m.subject = notify::fill(tmpl->subject, vars);
        m.topic = row.topic;
        m.next_attempt_at_ms = now_ms;
        if (!opts.email_configured) m.last_error = kSmtpNotConfigured;
        m.created_at = now;
        store::messages::insert(uow, m);
      }
    }
    for (const auto& e : endpoints) {
      if (!subscribed(e, row.topic)) continue;
      store::messages::NewMessage m;
      m.outbox_id = row.id;
      m.channel = "webhook";
      m.recipient = std::to_string(e.id);
      m.endpoint_id = e.id;
      m.topic = row.topic;
      m.next_attempt_at_ms = now_ms;
      m.created_at = now;
      store::messages::insert(uow, m);
    }
    store::messages::mark_fanned_out(uow, row.id, now);
  }
  return static_cast<int>(rows.size());
}

std::string message_id_of(const store::messages::Message& m, const std::string& from) {
  const std::string addr = formats::mime::address_of(from);
  const size_t at = addr.rfind('@');
  const std::string domain = at == std::string::npos || at + 1 == addr.size() ? "o2c.invalid" : addr.substr(at + 1);
  return "o2c." + std::to_string(m.id) + "." + std::to_string(m.outbox_id) + "@" + domain;
}

Result<formats::mime::Email> compose_email(store::UnitOfWork& uow, const store::messages::Message& m,
                                           const std::string& from, int64_t now_unix) {
  const auto row = store::messages::outbox_row(uow, m.outbox_id);
  if (!row) return Error::internal("outbox row " + std::to_string(m.outbox_id) + " is missing");
  const auto* tmpl = notify::email_template_for(m.topic);
  if (!tmpl) return Error::internal("no e-mail template for " + m.topic);
  std::string sender = from;
  if (sender.empty()) {
    const auto company = store::company::get(uow);
    if (!company || !company->email || company->email->empty()) {
      return Error::invalid("no_sender",
                            "no sender address: start the server with --mail-from, or set the company's email");
    }
    sender = company->name.empty() ? *company->email : company->name + " <" + *company->email + ">";
  }
  const json payload = parse_payload(row->payload);
  auto vars = template_vars(uow, payload);

  formats::mime::Email e;
  e.from = sender;
  e.to = m.recipient;
  e.subject = m.subject ? *m.subject : notify::fill(tmpl->subject, vars);
  e.date = formats::mime::rfc5322_date(now_unix);
  e.message_id = message_id_of(m, sender);
  std::string text = notify::fill(tmpl->body, vars);

  if (tmpl->attach == notify::Attach::document) {
    const std::string id_text = scalar_text(payload.value("invoice_id", json()));
    const auto id = InvoiceId::parse(id_text);
    if (!id) return Error::internal("announcement " + std::to_string(row->id) + " names no invoice");
    O2C_ASSIGN_OR_RETURN(auto inv, get_invoice(uow, id->value()));
    O2C_ASSIGN_OR_RETURN(auto doc, document_of(uow, inv));
    O2C_ASSIGN_OR_RETURN(auto pdf, formats::pdf::render_invoice_pdf(doc));
    e.attachments.push_back({inv.number + ".pdf", "application/pdf", std::move(pdf)});
    if (auto xml = formats::ubl::to_ubl(doc); xml.ok()) {
      e.attachments.push_back({inv.number + ".xml", "application/xml", std::move(*xml)});
    } else {
      text += "\n(No e-invoice XML is attached: " + xml.error().message + ")\n";
    }
  }
  if (tmpl->attach == notify::Attach::notice) {
    const std::string id_text = scalar_text(payload.value("notice_id", json()));
    int64_t notice_id = 0;
    if (!id_text.empty()) notice_id = std::strtoll(id_text.c_str(), nullptr, 10);
    if (notice_id <= 0) return Error::internal("announcement " + std::to_string(row->id) + " names no notice");
    O2C_ASSIGN_OR_RETURN(auto pdf, notice_letter_pdf(uow, notice_id));
    e.attachments.push_back({"reminder-" + std::to_string(notice_id) + ".pdf", "application/pdf", std::move(pdf)});
  }
  e.text = std::move(text);
  return e;
}

Result<WebhookDelivery> compose_webhook(store::UnitOfWork& uow, const store::messages::Message& m) {
  const auto endpoint = m.endpoint_id ? store::webhook_endpoints::find(uow, *m.endpoint_id) : std::nullopt;
  if (!endpoint || !endpoint->active) {
    return Error::conflict("endpoint_inactive", "the webhook endpoint no longer exists or is switched off");
  }
  const auto row = store::messages::outbox_row(uow, m.outbox_id);
  if (!row) return Error::internal("outbox row " + std::to_string(m.outbox_id) + " is missing");
  const json body = {{"id", std::to_string(row->id)},
                     {"topic", row->topic},
                     {"created_at", row->created_at},
                     {"data", parse_payload(row->payload)}};
  return WebhookDelivery{endpoint->url, endpoint->secret, body.dump(), std::to_string(row->id)};
}

}  // namespace o2c::app
