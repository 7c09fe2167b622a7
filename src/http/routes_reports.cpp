// Receivables reports: aging, open items, the DSO family. Each answers JSON,
// or CSV with ?format=csv (the same rows a spreadsheet wants).
#include "app/reports.h"
#include "http/routes.h"

namespace o2c::http {
namespace {

const std::vector<Role> kReaders = {Role::accountant, Role::admin, Role::viewer};

app::ReportQuery report_query(const Request& req) {
  return {req.query("as_of"), req.query("basis"), req.query("days"), req.query("customer_id")};
}

Result<bool> wants_csv(const Request& req) {
  auto f = req.query("format");
  if (!f || f->empty() || *f == "json") return false;
  if (*f == "csv") return true;
  return Error::invalid("invalid_format", "format must be json or csv", "format");
}

Reply csv_reply(std::string body) { return Reply{200, nullptr, "text/csv; charset=utf-8", std::move(body)}; }

// One report route: parse, read, render.
template <typename Build, typename Json, typename Csv>
std::function<Result<Reply>(Request&)> report_handler(Build build, Json to_json, Csv to_csv) {
  return [=](Request& req) -> Result<Reply> {
    O2C_ASSIGN_OR_RETURN(bool csv, wants_csv(req));
    const auto q = report_query(req);
    const Date today = req.clock().today();
    return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
      O2C_ASSIGN_OR_RETURN(auto report, build(uow, q, today));
      if (csv) return csv_reply(to_csv(report));
      return Reply::ok(to_json(report));
    });
  };
}

const Param kAsOf = {"as_of", "YYYY-MM-DD (default: the business date)"};
const Param kFormat = {"format", "json (default) or csv"};

}  // namespace

void add_report_routes(Router& r) {
  r.add({"GET", "/api/v1/reports/trial-balance", {Role::accountant, Role::admin}, true, false,
         "Debits, credits and balance per account from entries dated on or before as_of; balances sum to zero",
         {kAsOf, kFormat}, {}, {}, 200,
         report_handler(app::trial_balance_report, app::trial_balance_json, app::trial_balance_csv)});

  r.add({"GET", "/api/v1/reports/aging", kReaders, true, false,
         "Open receivables by age bucket as of a date, per customer and in total, in the functional currency; "
         "rebuilt from history, so a past date shows what was open then",
         {kAsOf, {"basis", "due_date (default) or invoice_date"}, {"customer_id", "one customer only"}, kFormat},
         {}, {}, 200, report_handler(app::aging_report, app::aging_json, app::aging_csv)});

  r.add({"GET", "/api/v1/reports/open-items", kReaders, true, false,
         "Every invoice with something open on a date, oldest due first per customer",
         {kAsOf, {"customer_id", "one customer only"}, kFormat}, {}, {}, 200,
         report_handler(app::open_items_report, app::open_items_json, app::open_items_csv)});

  r.add({"GET", "/api/v1/reports/dso", kReaders, true, false,
         "Days sales outstanding (standard and count-back), best possible DSO, average days delinquent and the "
         "collection effectiveness index over the days before as_of (docs/measures.md)",
         {kAsOf, {"days", "the window in days (default 90)"}, kFormat}, {}, {}, 200,
         report_handler(app::dso_report, app::dso_json, app::dso_csv)});

  r.add({"GET", "/api/v1/reports/measures", kReaders, true, false,
         "Every receivables and process measure of docs/measures.md over the days before as_of: the DSO family, "
         "disputes, credit holds, cycle times, perfect orders, the reconciliation's auto-match rate",
         {kAsOf, {"days", "the window in days (default 90)"}, kFormat}, {}, {}, 200,
         report_handler(app::measures_report, app::measures_json, app::measures_csv)});
}

}  // namespace o2c::http
