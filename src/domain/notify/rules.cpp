#include "domain/notify/rules.h"

#include <algorithm>
#include <array>

namespace o2c::notify {
namespace {

constexpr std::array<std::string_view, 24> kTopics = {
    "order.created",          "order.released",       "order.credit_hold",
    "order.rejected",         "order.cancelled",      "order.backorder_filled",
    "order.partially_shipped", "order.shipped",       "order.invoiced",
    "order.paid",             "shipment.created",     "shipment.delivered",
    "invoice.issued",         "invoice.paid",         "credit_note.issued",
    "payment.received",       "payment.refunded",     "payment.reversed",
    "customer.credit_status_changed", "customer.dunning_block_lifted", "dunning.notice",
    "dispute.opened",         "dispute.resolved",     "statement.sent"};

// Written for a customer who reads them in a mail client: short, the
// document's number in the subject (what they search their inbox for).
// Reminders and statements are matched by prefix, so that a new kind of
// dunning or statement announcement is e-mailed without a new entry.
constexpr std::array<EmailTemplate, 5> kTemplates = {{
    {"order.created", "Order confirmation {number}",
     "Dear {customer_name},\n\n"
     "thank you for your order {number}. We have received it as follows:\n\n"
     "{lines_text}\n"
     "Net total: {net_total} {currency}\n"
     "Tax: {tax_total} {currency}\n"
     "Total: {total} {currency}\n\n"
     "Kind regards\n{seller_name}\n",
     Attach::none},
    {"invoice.issued", "Invoice {number}",
     "Dear {customer_name},\n\n"
     "please find attached our invoice {number} of {issue_date} for {total} {currency}, "
     "due on {due_date}.\n"
     "The PDF is for reading; the XML file is the same invoice as a UBL 2.1 (Peppol BIS Billing 3.0) "
     "e-invoice for your accounting system.\n\n"
     "Kind regards\n{seller_name}\n",
     Attach::document},
    {"credit_note.issued", "Credit note {number}",
     "Dear {customer_name},\n\n"
     "please find attached our credit note {number} of {issue_date} for {total} {currency}.\n"
     "Reason: {reason}\n\n"
     "Kind regards\n{seller_name}\n",
     Attach::document},
    // The dunning run writes the whole reminder (its level's text, the
    // overdue invoices, fees) into `message`; the same letter goes along as
    // a PDF for the customer's files. A level sent as a printed letter is
    // not e-mailed: its PDF is printed from GET /dunning/notices/{id}.pdf.
    {"dunning.", "Payment reminder: {overdue_amount} {currency} overdue",
     "Dear {customer_name},\n\n"
     "{message}\n\n"
     "The reminder is attached as a PDF.\n\n"
     "Kind regards\n{seller_name}\n",
     Attach::notice, "action", "letter"},
    {"statement.", "Statement of account {to}",
     "Dear {customer_name},\n\n"
     "your statement of account from {from} to {to}:\n\n"
     "Opening balance: {opening_balance} {currency}\n"
     "{lines_text}\n"
     "Closing balance: {closing_balance} {currency}\n\n"
     "Kind regards\n{seller_name}\n",
     Attach::none},
}};

bool is_control_or_space(unsigned char c) { return c <= 0x20 || c == 0x7f; }

}  // namespace

std::span<const std::string_view> known_topics() { return kTopics; }

bool is_known_topic(std::string_view topic) {
  return std::find(kTopics.begin(), kTopics.end(), topic) != kTopics.end();
}

Result<void> validate_endpoint_url(std::string_view url) {
  auto bad = [&](const std::string& why) -> Result<void> {
    return Error::invalid("invalid_url", "the webhook URL " + why, "url");
  };
  if (url.empty()) return Error::invalid("required", "url is required", "url");
  if (url.size() > kUrlMax) return bad("is longer than " + std::to_string(kUrlMax) + " characters");
  for (unsigned char c : url) {
    if (is_control_or_space(c)) return bad("contains a space or a control character");
  }
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return bad("must start with http:// or https://");
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return bad("must not carry a user name or password");
  std::string_view host = authority;
  if (host.starts_with("[")) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return bad("has a malformed IPv6 address");
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) return bad("has a malformed IPv6 address");
    host = host.substr(0, close + 1);
    if (after.size() > 1) {
      for (char c : after.substr(1)) {
        if (c < '0' || c > '9') return bad("has a port that is not a number");
      }
    }
  } else if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5) return bad("has a malformed port");
    for (char c : port) {
      if (c < '0' || c > '9') return bad("has a port that is not a number");
    }
    host = host.substr(0, colon);
  }
  if (host.empty()) return bad("has no host");
  return {};
}

std::optional<int64_t> retry_delay_ms(const RetryPolicy& p, int attempts_made) {
  if (attempts_made >= p.max_attempts) return std::nullopt;
  int64_t delay = std::max<int64_t>(p.base_ms, 0);
  // Doubling stops at the cap, so no shift can overflow.
  for (int i = 1; i < attempts_made && delay < p.max_ms; ++i) delay *= 2;
  return std::min(delay, p.max_ms);
}

const EmailTemplate* email_template_for(std::string_view topic) {
  const EmailTemplate* best = nullptr;
  for (const auto& t : kTemplates) {
    if (t.topic == topic) return &t;
    if (t.topic.ends_with('.') && topic.starts_with(t.topic) && (!best || t.topic.size() > best->topic.size())) {
      best = &t;
    }
  }
  return best;
}

bool wants_email(const EmailTemplate& t, const std::map<std::string, std::string>& vars) {
  if (t.skip_when_field.empty()) return true;
  auto it = vars.find(std::string(t.skip_when_field));
  return it == vars.end() || it->second != t.skip_when_value;
}

std::string fill(std::string_view text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    if (c == '{') {
      const size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        auto it = vars.find(std::string(text.substr(i + 1, close - i - 1)));
        if (it != vars.end()) out += it->second;
        i = close;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace o2c::notify
