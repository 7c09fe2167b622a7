// Bank statements in, reconciliation run, and the workbench where a person
// settles what the matcher was not sure of: the accountant's side of the bank.
#include "app/reconciliation.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {
namespace {

json balance_json(const std::optional<int64_t>& minor, const std::string& currency) {
  return minor ? json(money_text(*minor, currency)) : json();
}

json to_json(const store::bank::Statement& s) {
  return {{"id", std::to_string(s.id)},
          {"statement_id", s.statement_ref ? json(*s.statement_ref) : json()},
          {"account", s.account},
          {"currency", s.currency},
          {"opening_balance", balance_json(s.opening_minor, s.currency)},
          {"opening_date", s.opening_date ? json(*s.opening_date) : json()},
          {"opening_balance_type", s.opening_kind ? json(*s.opening_kind) : json()},
          {"closing_balance", balance_json(s.closing_minor, s.currency)},
          {"closing_date", s.closing_date ? json(*s.closing_date) : json()},
          {"booked_sum", money_text(s.booked_sum_minor, s.currency)},
          // true: opening + lines = closing; false: the bank's figures do not add up; null: not stated.
          {"balanced", s.balanced ? json(*s.balanced) : json()},
          {"lines", s.lines}};
}

json to_json(const store::bank::Line& l) {
  json suggestions = json::array();
  if (l.suggestions) {
    json parsed = json::parse(*l.suggestions, nullptr, false);
    if (parsed.is_array()) suggestions = std::move(parsed);
  }
  auto o = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  return {{"id", std::to_string(l.id)},
          {"statement_id", std::to_string(l.statement_id)},
          {"account", l.account},
          {"amount", money_text(l.amount_minor, l.currency)},
          {"currency", l.currency},
          {"booking_date", l.booking_date},
          {"value_date", o(l.value_date)},
          {"counterparty_name", o(l.counterparty_name)},
          {"counterparty_iban", o(l.counterparty_iban)},
          {"reference", o(l.reference)},
          {"remittance", o(l.remittance)},
          {"bank_reference", o(l.bank_reference)},
          {"status", l.status},
          {"suggestions", suggestions},
          {"payment_id", l.payment_id ? json(std::to_string(*l.payment_id)) : json()},
          {"ledger_entry_id", l.ledger_entry_id ? json(std::to_string(*l.ledger_entry_id)) : json()},
          {"account_posted", o(l.matched_account)},
          {"matched_rule", o(l.matched_rule)},
          {"matched_at", o(l.matched_at)}};
}

json to_json(const store::bank::PostingRuleRow& r) {
  auto o = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  return {{"id", std::to_string(r.id)},
          {"name", r.name},
          {"position", r.position},
          {"counterparty_contains", o(r.counterparty_contains)},
          {"text_contains", o(r.text_contains)},
          {"direction", !r.sign ? json() : json(*r.sign > 0 ? "in" : "out")},
          {"bank_own_only", r.bank_own_only},
          {"account", r.account},
          {"created_at", r.created_at}};
}

json line_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"amount", {{"type", "string"}, {"description", "signed: money in is positive"}}},
            {"status", {{"type", "string"}, {"enum", {"unmatched", "suggested", "matched"}}}},
            {"suggestions",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"invoice_ids", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                  {"score", {{"type", "integer"}}},
                  {"rule", {{"type", "string"}}},
                  {"reasons", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}}}},
            {"payment_id", {{"type", "string"}, {"nullable", true}}},
            {"matched_rule", {{"type", "string"}, {"nullable", true}}}}}};
}

}  // namespace

void add_bank_routes(Router& r) {
  const std::vector<Role> accounting = {Role::accountant, Role::admin};

  Route upload{"POST", "/api/v1/bank-statements", accounting, true, false,
               "Import a bank statement file: camt.053/052/054 (application/xml), MT940/MT942 (text/plain) or CSV "
               "(text/csv, with ?profile=). Taken whole or refused; a line already imported is skipped",
               {{"profile", "CSV: the id or name of a bank CSV profile"}, {"file_name", "kept with the import"}},
               {},
               {{"type", "object"},
                {"properties",
                 {{"id", {{"type", "string"}}},
                  {"format", {{"type", "string"}}},
                  {"lines_imported", {{"type", "integer"}}},
                  {"lines_skipped_duplicate", {{"type", "integer"}}},
                  {"opening_balance", {{"type", "string"}, {"nullable", true}}},
                  {"closing_balance", {{"type", "string"}, {"nullable", true}}},
                  {"statements", {{"type", "array"}}}}}},
               201,
               [](Request& req) -> Result<Reply> {
                 app::StatementUpload u;
                 u.content = req.raw().body;  // a view: the request outlives the import
                 u.content_type = req.raw().get_header_value("Content-Type");
                 u.csv_profile = req.query("profile");
                 u.file_name = req.query("file_name");
                 return req.write([&](app::Context& ctx) -> Result<Reply> {
                   O2C_ASSIGN_OR_RETURN(auto imp, app::import_statement(ctx, u));
                   json statements = json::array();
                   for (const auto& s : imp.statements) statements.push_back(to_json(s));
                   const auto& first = imp.statements.front();
                   const auto& last = imp.statements.back();
                   return Reply::created({{"id", std::to_string(imp.import.id)},
                                          {"format", imp.import.format},
                                          {"lines_imported", imp.import.lines_imported},
                                          {"lines_skipped_duplicate", imp.import.lines_skipped_duplicate},
                                          {"lines_not_booked", imp.lines_not_booked},
                                          {"opening_balance", balance_json(first.opening_minor, first.currency)},
                                          {"closing_balance", balance_json(last.closing_minor, last.currency)},
                                          {"statements", statements},
                                          {"warnings", imp.warnings}});
                 });
               },
               {{"requestBody",
                 {{"required", true},
                  {"content",
                   {{"application/xml", {{"schema", {{"type", "string"}}}}},
                    {"text/plain", {{"schema", {{"type", "string"}}}}},
                    {"text/csv", {{"schema", {{"type", "string"}}}}}}}}}},
               kUploadMaxBytes};
  r.add(std::move(upload));

  r.add({"POST", "/api/v1/reconciliation/run", accounting, true, false,
         "Match every open bank line: sure matches are booked as payments (or posted by the posting rules), the "
         "rest keep suggestions",
         {},
         {{"type", "object"}, {"properties", {{"auto_threshold", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}}},
         {{"type", "object"},
          {"properties",
           {{"matched", {{"type", "integer"}}}, {"suggested", {{"type", "integer"}}}, {"unmatched", {{"type", "integer"}}}}}},
         200, [](Request& req) -> Result<Reply> {
           app::RunOptions o;
           const std::string& raw = req.raw().body;
           if (!raw.empty()) {
             O2C_ASSIGN_OR_RETURN(auto b, parse_object(raw));
             if (b.contains("auto_threshold") && !b["auto_threshold"].is_null()) {
               if (!b["auto_threshold"].is_number_integer()) {
                 return Error::malformed("invalid_type", "auto_threshold is an integer from 1 to 100", "auto_threshold");
               }
               const int64_t t = b["auto_threshold"].get<int64_t>();
               if (t < 1 || t > 100) {
                 return Error::invalid("invalid_threshold", "auto_threshold is a score from 1 to 100", "auto_threshold");
               }
               o.auto_threshold = static_cast<int>(t);
             }
           }
           // Not one unit of work: the run commits page by page (app/reconciliation.h).
           O2C_ASSIGN_OR_RETURN(auto run, app::run_reconciliation(req.db(), req.clock(), req.actor(), o));
           return Reply::ok({{"matched", run.matched},
                             {"suggested", run.suggested},
                             {"unmatched", run.unmatched},
                             {"posted", run.posted},
                             {"auto_threshold", run.auto_threshold}});
         }});

  r.add({"GET", "/api/v1/bank-lines", accounting, true, false,
         "Bank lines, oldest first, each with the matcher's suggestions and why",
         {{"status", "unmatched | suggested | matched"},
          {"statement_id", "one statement's lines"},
          {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           store::bank::LineFilter f;
           if (auto s = req.query("status"); s && !s->empty()) {
             if (*s != "unmatched" && *s != "suggested" && *s != "matched") {
               return Error::malformed("invalid_status", "status is unmatched, suggested or matched", "status");
             }
             f.status = *s;
           }
           if (auto s = req.query("statement_id"); s && !s->empty()) {
             auto id = BankLineId::parse(*s);
             if (!id) return Error::malformed("invalid_statement_id", "statement_id is a statement id", "statement_id");
             f.statement_id = id->value();
           }
           return list_by_id<BankLineId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return store::bank::list_lines(uow, f, pr); },
               [](const store::bank::Line& l) { return to_json(l); });
         }});

  r.add({"GET", "/api/v1/bank-lines/{id}", accounting, true, false, "One bank line with its suggestions", {}, {},
         line_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = BankLineId::parse(req.param(0));
           if (!id) return Error::not_found("bank_line_not_found", "no bank line '" + req.param(0) + "'");
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             auto l = store::bank::find_line(uow, id->value());
             if (!l) return Error::not_found("bank_line_not_found", "no bank line '" + req.param(0) + "'");
             return Reply::ok(to_json(*l));
           });
         }});

  r.add({"POST", "/api/v1/bank-lines/{id}/match", accounting, true, true,
         "Match a line by hand: to invoices ({allocations}, booked as a payment, the rest customer credit) or to an "
         "account ({account: fees | interest | a chart code})",
         {},
         {{"type", "object"},
          {"properties",
           {{"allocations",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"invoice_id", {{"type", "string"}}}, {"amount", {{"type", "string"}}}}}}}}},
            {"account", {{"type", "string"}}}}}},
         line_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = BankLineId::parse(req.param(0));
           if (!id) return Error::not_found("bank_line_not_found", "no bank line '" + req.param(0) + "'");
           app::ManualMatch m;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(m.account, text_field(b, "account"));
           if (auto it = b.find("allocations"); it != b.end() && !it->is_null()) {
             if (!it->is_array()) return Error::malformed("invalid_type", "allocations must be an array", "allocations");
             m.allocations.emplace();
             for (size_t i = 0; i < it->size(); ++i) {
               const json& a = (*it)[i];
               const std::string prefix = "allocations[" + std::to_string(i) + "]";
               if (!a.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
               app::AllocationDraft d;
               O2C_ASSIGN_OR_RETURN(d.invoice_id, text_field(a, "invoice_id", prefix + "."));
               O2C_ASSIGN_OR_RETURN(d.amount, text_field(a, "amount", prefix + "."));
               m.allocations->push_back(std::move(d));
             }
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto l, app::match_line(ctx, id->value(), m));
             return Reply::ok(to_json(l));
           });
         }});

  r.add({"POST", "/api/v1/bank-lines/{id}/unmatch", accounting, true, false,
         "Undo a match: the payment it created is reversed (its invoices reopen), or its posting is reversed", {}, {},
         line_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = BankLineId::parse(req.param(0));
           if (!id) return Error::not_found("bank_line_not_found", "no bank line '" + req.param(0) + "'");
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto l, app::unmatch_line(ctx, id->value()));
             return Reply::ok(to_json(l));
           });
         }});

  r.add({"POST", "/api/v1/bank-csv-profiles", accounting, true, true,
         "Save a bank's CSV column mapping under a name, for POST /bank-statements?profile=",
         {},
         {{"type", "object"},
          {"required", {"name", "booking_date"}},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"delimiter", {{"type", "string"}, {"example", ";"}}},
            {"decimal_separator", {{"type", "string"}, {"example", ","}}},
            {"has_header", {{"type", "boolean"}}},
            {"skip_lines", {{"type", "integer"}}},
            {"date_format", {{"type", "string"}, {"example", "DD.MM.YYYY"}}},
            {"booking_date", {{"type", "string"}, {"description", "column header (or 1-based index without header)"}}},
            {"amount", {{"type", "string"}}},
            {"credit", {{"type", "string"}}},
            {"debit", {{"type", "string"}}},
            {"currency", {{"type", "string"}}},
            {"counterparty_name", {{"type", "string"}}},
            {"counterparty_iban", {{"type", "string"}}},
            {"remittance", {{"type", "string"}}},
            {"reference", {{"type", "string"}}},
            {"account", {{"type", "string"}}},
            {"default_currency", {{"type", "string"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           app::CsvProfileDraft d{req.raw().body};
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::create_csv_profile(ctx, d));
             json out = json::parse(p.definition);
             out["id"] = std::to_string(p.id);
             out["created_at"] = p.created_at;
             return Reply::created(out);
           });
         }});

  r.add({"POST", "/api/v1/bank-posting-rules", accounting, true, true,
         "Book lines that are no customer's money by pattern: the first rule by position whose patterns all "
         "hold posts the line to its account (after the matcher found no invoice)",
         {},
         {{"type", "object"},
          {"required", {"name", "account"}},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"counterparty_contains", {{"type", "string"}}},
            {"text_contains", {{"type", "string"}, {"description", "in the reference or remittance, any case"}}},
            {"direction", {{"type", "string"}, {"enum", {"in", "out"}}}},
            {"bank_own_only", {{"type", "boolean"}, {"description", "only lines naming no counterparty account"}}},
            {"account", {{"type", "string"}, {"description", "fees, interest or a chart code"}}},
            {"position", {{"type", "integer"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           app::PostingRuleDraft d;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(d.name, text_field(b, "name"));
           O2C_ASSIGN_OR_RETURN(d.counterparty_contains, text_field(b, "counterparty_contains"));
           O2C_ASSIGN_OR_RETURN(d.text_contains, text_field(b, "text_contains"));
           O2C_ASSIGN_OR_RETURN(d.direction, text_field(b, "direction"));
           O2C_ASSIGN_OR_RETURN(d.account, text_field(b, "account"));
           if (auto it = b.find("bank_own_only"); it != b.end() && !it->is_null()) {
             if (!it->is_boolean()) return Error::malformed("invalid_type", "bank_own_only is true or false", "bank_own_only");
             d.bank_own_only = it->get<bool>();
           }
           if (auto it = b.find("position"); it != b.end() && !it->is_null()) {
             if (!it->is_number_integer()) return Error::malformed("invalid_type", "position is a whole number", "position");
             d.position = it->get<int64_t>();
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto rule, app::create_posting_rule(ctx, d));
             return Reply::created(to_json(rule));
           });
         }});

  r.add({"GET", "/api/v1/bank-posting-rules", accounting, true, false, "Posting rules in the order they are tried",
         {}, {}, {}, 200, [](Request& req) -> Result<Reply> {
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& p : store::bank::posting_rules(uow)) data.push_back(to_json(p));
             return Reply::ok({{"data", data}, {"next_cursor", nullptr}});
           });
         }});

  r.add({"GET", "/api/v1/bank-csv-profiles", accounting, true, false, "Saved CSV column mappings", {}, {}, {}, 200,
         [](Request& req) -> Result<Reply> {
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& p : store::bank::list_csv_profiles(uow)) {
               json j = json::parse(p.definition);
               j["id"] = std::to_string(p.id);
               j["created_at"] = p.created_at;
               data.push_back(std::move(j));
             }
             return Reply::ok({{"data", data}, {"next_cursor", nullptr}});
           });
         }});
}

}  // namespace o2c::http
