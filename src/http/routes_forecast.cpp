// The cash forecast and the ledger export as an hledger journal.
#include "app/forecast.h"
#include "app/journal.h"
#include "http/routes.h"

namespace o2c::http {
namespace {

json bucket_schema() {
  return {{"type", "object"},
          {"properties",
           {{"from_invoices", {{"type", "string"}}},
            {"from_orders", {{"type", "string"}}},
            {"total", {{"type", "string"}}}}}};
}

json forecast_schema() {
  return {{"type", "object"},
          {"properties",
           {{"as_of", {{"type", "string"}, {"format", "date"}}},
            {"currency", {{"type", "string"}}},
            {"weeks",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"week_start", {{"type", "string"}, {"format", "date"}}}, {"expected", bucket_schema()}}}}}}},
            {"overdue_unlikely", bucket_schema()},
            {"beyond_horizon", bucket_schema()},
            {"open_receivables", {{"type", "string"}}},
            {"open_orders", {{"type", "string"}}},
            {"total", {{"type", "string"}}},
            {"not_converted", {{"type", "array"}}},
            {"past_weeks",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"week_start", {{"type", "string"}, {"format", "date"}}},
                  {"forecast", bucket_schema()},
                  {"actual", {{"type", "string"}}},
                  {"difference", {{"type", "string"}}}}}}}}},
            {"delays", {{"type", "object"}}},
            {"settings", {{"type", "object"}}}}}};
}

json error_response(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

void add_forecast_routes(Router& r) {
  const std::vector<Role> reports = {Role::accountant, Role::viewer, Role::admin};
  const std::vector<Role> accounting = {Role::accountant, Role::admin};

  r.add({"GET", "/api/v1/reports/cash-forecast", reports, true, false,
         "Expected receipts per ISO week for 13 weeks from open invoices (due date plus each customer's observed "
         "payment delay) and orders not yet invoiced; with weeks_back, the forecast made on each past Monday "
         "against the cash received that week (docs/measures.md)",
         {{"as_of", "YYYY-MM-DD (default: the business date)"},
          {"weeks_back", "past weeks of forecast against actual, 0 to 52 (default 0)"},
          {"lookback_days", "days of payment history behind each customer's delay, 1 to 3650 (default 365)"},
          {"unlikely_after_days", "days past due after which a late invoice is not expected, 0 to 3650 (default 90)"},
          {"order_lead_days", "days from an order to its invoice, 0 to 365 (default 7)"},
          {"format", "json (default) or csv"}},
         {}, forecast_schema(), 200, [](Request& req) -> Result<Reply> {
           std::string format = req.query("format").value_or("json");
           if (format.empty()) format = "json";
           if (format != "json" && format != "csv") {
             return Error::malformed("invalid_format", "format must be json or csv", "format");
           }
           O2C_ASSIGN_OR_RETURN(auto request, app::forecast_request({req.query("as_of"), req.query("weeks_back"),
                                                                     req.query("lookback_days"),
                                                                     req.query("unlikely_after_days"),
                                                                     req.query("order_lead_days")},
                                                                    req.clock().today()));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto f, app::cash_forecast(uow, request));
             if (format == "csv") return Reply{200, nullptr, "text/csv; charset=utf-8", app::cash_forecast_csv(f)};
             return Reply::ok(app::cash_forecast_json(f));
           });
         },
         {{"responses",
           {{"200", {{"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}},
            {"400", error_response("a parameter is not a date or a number, or an unknown format")},
            {"422", error_response("a parameter is out of its range (invalid_setting)")}}}}});

  r.add({"GET", "/api/v1/reports/journal", accounting, true, false,
         "The ledger as an hledger journal (text/plain): account and commodity directives, then every entry dated "
         "from..to with its postings; with from, opening balances dated from",
         {{"from", "YYYY-MM-DD (default: the first entry)"}, {"to", "YYYY-MM-DD (default: the last entry)"}}, {}, {},
         200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto range, app::journal_range(req.query("from"), req.query("to")));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             std::string text;
             O2C_TRY(app::export_journal(uow, range, [&](std::string_view piece) { text += piece; }));
             return Reply{200, nullptr, "text/plain; charset=utf-8", std::move(text)};
           });
         },
         {{"responses",
           {{"200", {{"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}},
            {"400", error_response("from or to is not a date")},
            {"422", error_response("from is after to (invalid_range)")}}}}});
}

}  // namespace o2c::http
