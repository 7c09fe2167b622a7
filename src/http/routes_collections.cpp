// Collections: disputes, promises to pay, dunning policies and the dunning run.
#include "app/collections.h"
#include "core/decimal.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"
#include "store/invoices_repo.h"

namespace o2c::http {
namespace {

json dispute_json(const store::collections::Dispute& d, Date today) {
  const auto opened = Date::parse(d.opened_on);
  int age = 0;
  if (opened.ok()) {
    const Date until = d.resolved_on && Date::parse(*d.resolved_on).ok() ? *Date::parse(*d.resolved_on) : today;
    age = std::max(0, Date::days_between(*opened, until));
  }
  auto opt = [](const std::optional<std::string>& s) { return s ? json(*s) : json(); };
  return {{"id", std::to_string(d.id)},
          {"invoice_id", std::to_string(d.invoice_id)},
          {"invoice_number", d.invoice_number},
          {"customer_id", d.customer_id.to_string()},
          {"reason", d.reason},
          {"status", d.status},
          {"outcome", opt(d.outcome)},
          {"resolution", opt(d.resolution)},
          {"credit_note_id", d.credit_note_id ? json(std::to_string(*d.credit_note_id)) : json()},
          {"opened_on", d.opened_on},
          {"resolved_on", opt(d.resolved_on)},
          {"age_days", age},
          {"created_at", d.created_at}};
}

// A policy amount as people write it: "5.00", "2.5050" (4 decimals kept only when used).
std::string fee_text(int64_t fee_e4) {
  std::string s = format_scaled(fee_e4, 4);
  while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

json policy_json(const collections::DunningPolicy& p) {
  json levels = json::array();
  for (const auto& l : p.levels) {
    levels.push_back({{"level", l.level},
                      {"days_after_due", l.days_after_due},
                      {"fee", fee_text(l.fee_e4)},
                      {"interest_rate", format_scaled(l.interest_bp, 2)},
                      {"message", l.message},
                      {"action", l.action}});
  }
  return {{"code", p.code}, {"name", p.name}, {"levels", levels}};
}

json notice_json(const store::collections::Notice& n) {
  return {{"id", std::to_string(n.id)},
          {"customer_id", n.customer_id.to_string()},
          {"level", n.level},
          {"notice_date", n.notice_date},
          {"action", n.action},
          {"currency", n.currency},
          {"overdue_amount", money_text(n.overdue_minor, n.currency)},
          {"fee", money_text(n.fee_minor, n.currency)},
          {"interest", money_text(n.interest_minor, n.currency)},
          {"fee_invoice_id", n.fee_invoice_id ? json(std::to_string(*n.fee_invoice_id)) : json()},
          {"message", n.message},
          {"created_at", n.created_at}};
}

Result<int64_t> invoice_param(const Request& req) {
  auto id = InvoiceId::parse(req.param(0));
  if (!id) return Error::not_found("invoice_not_found", "no invoice '" + req.param(0) + "'");
  return id->value();
}

}  // namespace

void add_collection_routes(Router& r) {
  const std::vector<Role> accounting = {Role::accountant, Role::admin};
  const std::vector<Role> readers = {Role::accountant, Role::admin, Role::viewer};

  r.add({"POST", "/api/v1/invoices/{id}/disputes", {Role::accountant, Role::admin, Role::portal}, true, true,
         "Dispute an invoice: it is not dunned and oldest-first payments pass it by until resolved", {},
         {{"type", "object"}, {"required", {"reason"}}, {"properties", {{"reason", {{"type", "string"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, invoice_param(req));
           app::DisputeDraft d;
           O2C_ASSIGN_OR_RETURN(d.reason, text_field(req.body(), "reason"));
           O2C_ASSIGN_OR_RETURN(d.as_of, text_field(req.body(), "as_of"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             // A portal user disputes only their own invoices; others' do not exist for them.
             if (!ctx.actor.is_staff()) {
               auto inv = store::invoices::find(ctx.uow, id);
               if (!inv || !ctx.actor.customer || inv->customer_id != *ctx.actor.customer) {
                 return Error::not_found("invoice_not_found", "no invoice '" + req.param(0) + "'");
               }
             }
             O2C_ASSIGN_OR_RETURN(auto x, app::open_dispute(ctx, id, d));
             return Reply::created(dispute_json(x, ctx.clock.today()));
           });
         }});

  r.add({"POST", "/api/v1/disputes/{id}/resolve", accounting, true, true,
         "Resolve a dispute: upheld (optionally with a credit note) or rejected (dunning resumes)", {},
         {{"type", "object"},
          {"required", {"outcome"}},
          {"properties",
           {{"outcome", {{"type", "string"}, {"enum", {"upheld", "rejected"}}}},
            {"resolution", {{"type", "string"}}},
            {"credit_note",
             {{"type", "object"},
              {"description", "upheld only: {reason?, lines?: [{sku, quantity}]} (no lines = the whole invoice)"}}}}}},
         {{"type", "object"}}, 200, [](Request& req) -> Result<Reply> {
           auto id = InvoiceId::parse(req.param(0));  // any positive integer id
           if (!id) return Error::not_found("dispute_not_found", "no dispute '" + req.param(0) + "'");
           app::ResolveDraft d;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(d.outcome, text_field(b, "outcome"));
           O2C_ASSIGN_OR_RETURN(d.resolution, text_field(b, "resolution"));
           O2C_ASSIGN_OR_RETURN(d.as_of, text_field(b, "as_of"));
           if (auto cn = b.find("credit_note"); cn != b.end() && !cn->is_null()) {
             if (!cn->is_object()) return Error::malformed("invalid_type", "credit_note must be an object", "credit_note");
             app::CreditNoteDraft c;
             O2C_ASSIGN_OR_RETURN(c.reason, text_field(*cn, "reason", "credit_note."));
             if (auto ls = cn->find("lines"); ls != cn->end() && !ls->is_null()) {
               if (!ls->is_array()) return Error::malformed("invalid_type", "credit_note.lines must be an array", "credit_note.lines");
               c.lines.emplace();
               for (size_t i = 0; i < ls->size(); ++i) {
                 const json& l = (*ls)[i];
                 const std::string prefix = "credit_note.lines[" + std::to_string(i) + "]";
                 if (!l.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
                 app::CreditNoteLineDraft ld;
                 O2C_ASSIGN_OR_RETURN(ld.sku, text_field(l, "sku", prefix + "."));
                 O2C_ASSIGN_OR_RETURN(ld.quantity, text_field(l, "quantity", prefix + "."));
                 c.lines->push_back(std::move(ld));
               }
             }
             d.credit_note = std::move(c);
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto x, app::resolve_dispute(ctx, id->value(), d));
             return Reply::ok(dispute_json(x, ctx.clock.today()));
           });
         }});

  auto readers_and_portal = readers;
  readers_and_portal.push_back(Role::portal);
  r.add({"GET", "/api/v1/disputes", readers_and_portal, true, false,
         "Disputes with their age in days, oldest first (a portal user: their own customer's only)",
         {{"status", "open or resolved"}, {"customer_id", "one customer's"}, {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           std::optional<std::string> status;
           if (auto s = req.query("status"); s && !s->empty()) {
             if (*s != "open" && *s != "resolved") {
               return Error::malformed("invalid_status", "status must be open or resolved", "status");
             }
             status = *s;
           }
           O2C_ASSIGN_OR_RETURN(std::optional<CustomerId> customer, portal_scope(req));
           if (auto c = req.query("customer_id"); c && !c->empty()) {
             customer = CustomerId::parse(*c);
             if (!customer) return Error::malformed("invalid_customer_id", "customer_id must be a customer id", "customer_id");
           }
           const Date today = req.clock().today();
           return list_by_id<InvoiceId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) {
                 return store::collections::list_disputes(uow, status, customer, pr);
               },
               [today](const store::collections::Dispute& d) { return dispute_json(d, today); });
         }});

  r.add({"GET", "/api/v1/disputes/{id}", readers_and_portal, true, false,
         "A dispute (a portal user: of their own customer's invoices; another's answers 404)", {}, {}, {}, 200,
         [](Request& req) -> Result<Reply> {
           auto id = InvoiceId::parse(req.param(0));
           if (!id) return Error::not_found("dispute_not_found", "no dispute '" + req.param(0) + "'");
           const Date today = req.clock().today();
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             auto d = store::collections::find_dispute(uow, id->value());
             const auto& a = req.actor();
             if (!d || (!a.is_staff() && (!a.customer || *a.customer != d->customer_id))) {
               return Error::not_found("dispute_not_found", "no dispute '" + req.param(0) + "'");
             }
             return Reply::ok(dispute_json(*d, today));
           });
         }});

  r.add({"POST", "/api/v1/invoices/{id}/promise-to-pay", accounting, true, true,
         "The customer promised to pay by a date: dunning leaves the invoice alone until then", {},
         {{"type", "object"},
          {"required", {"promised_on"}},
          {"properties", {{"promised_on", {{"type", "string"}, {"format", "date"}}}, {"note", {{"type", "string"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, invoice_param(req));
           app::PromiseDraft d;
           O2C_ASSIGN_OR_RETURN(d.promised_on, text_field(req.body(), "promised_on"));
           O2C_ASSIGN_OR_RETURN(d.note, text_field(req.body(), "note"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_TRY(app::promise_to_pay(ctx, id, d));
             return Reply::created({{"invoice_id", std::to_string(id)}, {"promised_on", *d.promised_on}});
           });
         }});

  r.add({"POST", "/api/v1/dunning-policies", {Role::admin}, true, true,
         "Create or replace a dunning policy: levels with days after due, fee, yearly interest, message and action",
         {},
         {{"type", "object"},
          {"required", {"code", "name", "levels"}},
          {"properties",
           {{"code", {{"type", "string"}, {"example", "STRICT"}}},
            {"name", {{"type", "string"}}},
            {"levels",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"required", {"days_after_due", "message"}},
                {"properties",
                 {{"days_after_due", {{"type", "integer"}}},
                  {"fee", {{"type", "string"}, {"example", "5.00"}}},
                  {"interest_rate", {{"type", "string"}, {"example", "9.12"}, {"description", "percent a year"}}},
                  {"message", {{"type", "string"}}},
                  {"action", {{"type", "string"}, {"enum", {"email", "letter", "credit_block"}}}}}}}}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           app::PolicyDraft d;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(d.code, text_field(b, "code"));
           O2C_ASSIGN_OR_RETURN(d.name, text_field(b, "name"));
           if (auto ls = b.find("levels"); ls != b.end() && !ls->is_null()) {
             if (!ls->is_array()) return Error::malformed("invalid_type", "levels must be an array", "levels");
             for (size_t i = 0; i < ls->size(); ++i) {
               const json& l = (*ls)[i];
               const std::string prefix = "levels[" + std::to_string(i) + "]";
               if (!l.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
               app::LevelDraft ld;
               O2C_ASSIGN_OR_RETURN(ld.level, int_field(l, "level"));
               O2C_ASSIGN_OR_RETURN(ld.days_after_due, int_field(l, "days_after_due"));
               O2C_ASSIGN_OR_RETURN(ld.fee, text_field(l, "fee", prefix + "."));
               O2C_ASSIGN_OR_RETURN(ld.interest_rate, text_field(l, "interest_rate", prefix + "."));
               O2C_ASSIGN_OR_RETURN(ld.message, text_field(l, "message", prefix + "."));
               O2C_ASSIGN_OR_RETURN(ld.action, text_field(l, "action", prefix + "."));
               d.levels.push_back(std::move(ld));
             }
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::put_dunning_policy(ctx, d));
             return Reply::created(policy_json(p));
           });
         }});

  r.add({"GET", "/api/v1/dunning-policies", staff_roles(), true, false, "Dunning policies with their levels", {}, {},
         {}, 200, [](Request& req) -> Result<Reply> {
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& p : store::collections::list_policies(uow)) data.push_back(policy_json(p));
             return Reply::ok(page_json(std::move(data), std::nullopt));
           });
         }});

  r.add({"GET", "/api/v1/dunning/notices", readers, true, false, "Dunning notices sent, oldest first",
         {{"customer_id", "one customer's"}, {"limit", "page size (1..200)"}, {"cursor", "from next_cursor"}}, {}, {},
         200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(std::optional<CustomerId> customer, portal_scope(req));
           if (auto c = req.query("customer_id"); c && !c->empty()) {
             customer = CustomerId::parse(*c);
             if (!customer) return Error::malformed("invalid_customer_id", "customer_id must be a customer id", "customer_id");
           }
           return list_by_id<InvoiceId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) {
                 return store::collections::list_notices(uow, customer, pr);
               },
               [](const store::collections::Notice& n) { return notice_json(n); });
         }});

  r.add({"GET", "/api/v1/dunning/notices/{id}.pdf", readers, true, false,
         "The notice as a letter to print and post (A4 PDF)", {}, {}, {}, 200, [](Request& req) -> Result<Reply> {
           auto id = InvoiceId::parse(req.param(0));
           if (!id) return Error::not_found("notice_not_found", "no dunning notice '" + req.param(0) + "'");
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto bytes, app::notice_letter_pdf(uow, id->value()));
             return Reply{200, nullptr, "application/pdf", std::move(bytes)};
           });
         }});

  r.add({"GET", "/api/v1/customers/{id}/statement", {Role::accountant, Role::admin, Role::viewer, Role::portal}, true,
         false, "Statement of account: opening balance, every movement with the running balance, closing balance",
         {{"from", "YYYY-MM-DD (default: the first of to's month)"},
          {"to", "YYYY-MM-DD (default: the business date)"},
          {"format", "json (default), csv, or pdf (a letter to the customer)"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           if (!id) return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           // A portal user sees their own customer's statement; another's does not exist for them.
           if (!req.actor().is_staff() && (!req.actor().customer || *req.actor().customer != *id)) {
             return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           }
           const Date today = req.clock().today();
           const std::string format = req.query("format").value_or("json");
           if (format != "json" && format != "csv" && format != "pdf") {
             return Error::invalid("invalid_format", "format must be json, csv or pdf", "format");
           }
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::customer_statement(uow, *id, req.query("from"), req.query("to"), today));
             if (format == "csv") return Reply{200, nullptr, "text/csv; charset=utf-8", app::statement_csv(s)};
             if (format == "pdf") {
               O2C_ASSIGN_OR_RETURN(auto pdf, app::statement_pdf(uow, s, today));
               return Reply{200, nullptr, "application/pdf", std::move(pdf)};
             }
             return Reply::ok(app::statement_json(s));
           });
         }});

  r.add({"POST", "/api/v1/customers/{id}/statement/send", accounting, true, true,
         "E-mail the statement of account to the customer", {},
         {{"type", "object"},
          {"properties", {{"from", {{"type", "string"}, {"format", "date"}}}, {"to", {{"type", "string"}, {"format", "date"}}}}}},
         {{"type", "object"}}, 202, [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           if (!id) return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           O2C_ASSIGN_OR_RETURN(auto from, text_field(req.body(), "from"));
           O2C_ASSIGN_OR_RETURN(auto to, text_field(req.body(), "to"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::send_statement(ctx, *id, from, to));
             json body = app::statement_json(s);
             body["sent_to"] = s.customer.email;
             return Reply{202, std::move(body), {}, {}};
           });
         }});

  r.add({"POST", "/api/v1/dunning/run", accounting, true, true,
         "Send the reminders due on as_of: one notice per customer and level; running the same day again adds nothing",
         {}, {{"type", "object"}, {"properties", {{"as_of", {{"type", "string"}, {"format", "date"}}}}}},
         {{"type", "object"}}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto as_of, text_field(req.body(), "as_of"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto run, app::run_dunning(ctx, as_of));
             json by_level = json::object();
             for (const auto& [level, n] : run.by_level) by_level[std::to_string(level)] = n;
             json notices = json::array();
             for (const auto& n : run.notices) notices.push_back(notice_json(n));
             return Reply::ok({{"as_of", run.as_of.to_string()},
                               {"notices_created", run.notices.size()},
                               {"by_level", by_level},
                               {"notices", notices}});
           });
         }});
}

}  // namespace o2c::http
