#include "cli/commands/report.h"

#include <cstdio>
#include <fstream>
#include <memory>

#include "app/collections.h"
#include "app/forecast.h"
#include "app/reports.h"
#include "store/migrate.h"
#include "store/repos.h"

namespace o2c::cli {
namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "o2c report: %s\n", message.c_str());
  return code;
}

std::optional<std::string> given(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// Renders one report, or the error it refused with.
template <typename Report, typename Json, typename Csv>
Result<std::string> render(Result<Report> r, bool csv, Json to_json, Csv to_csv) {
  if (!r.ok()) return r.error();
  if (csv) return to_csv(*r);
  return to_json(*r).dump(2) + "\n";
}

}  // namespace

const char* report_names() { return "aging, open-items, dso, measures, trial-balance, statement, cash-forecast"; }

int report_command(const ReportOptions& o) {
  if (o.format != "json" && o.format != "csv" && !(o.format == "pdf" && o.name == "statement")) {
    return fail(1, "--format must be json or csv (pdf for the statement), got '" + o.format + "'");
  }
  if (o.format == "pdf" && o.output.empty()) return fail(1, "a PDF needs --output FILE");
  Date today = Date::today_utc();
  if (!o.today.empty()) {
    auto d = Date::parse(o.today);
    if (!d.ok()) return fail(1, "--today must be a date YYYY-MM-DD, got '" + o.today + "'");
    today = *d;
  }
  const bool csv = o.format == "csv";
  app::ReportQuery q{given(o.as_of), given(o.basis), given(o.days), given(o.customer)};

  std::unique_ptr<store::Database> db;
  Result<std::string> out = std::string();
  try {
    db = store::open_database(o.db_target);
    (void)store::migrate(*db);
    auto uow = db->begin(store::TxMode::read);
    if (o.name == "aging") {
      out = render(app::aging_report(*uow, q, today), csv, app::aging_json, app::aging_csv);
    } else if (o.name == "open-items") {
      out = render(app::open_items_report(*uow, q, today), csv, app::open_items_json, app::open_items_csv);
    } else if (o.name == "dso") {
      out = render(app::dso_report(*uow, q, today), csv, app::dso_json, app::dso_csv);
    } else if (o.name == "measures") {
      out = render(app::measures_report(*uow, q, today), csv, app::measures_json, app::measures_csv);
    } else if (o.name == "trial-balance") {
      out = render(app::trial_balance_report(*uow, q, today), csv, app::trial_balance_json, app::trial_balance_csv);
    } else if (o.name == "statement") {
      auto id = CustomerId::parse(o.customer);
      if (o.customer.empty() || !id) return fail(1, "the statement needs --customer ID");
      auto to = given(o.to);
      if (!to && !o.as_of.empty()) to = o.as_of;
      auto s = app::customer_statement(*uow, *id, given(o.from), to, today);
      if (!s.ok()) {
        out = s.error();
      } else if (o.format == "pdf") {
        out = app::statement_pdf(*uow, *s, today);
      } else {
        out = csv ? app::statement_csv(*s) : app::statement_json(*s).dump(2) + "\n";
      }
    } else if (o.name == "cash-forecast") {
      auto request = app::forecast_request({given(o.as_of), given(o.weeks_back), given(o.lookback_days),
                                            given(o.unlikely_after_days), given(o.order_lead_days)},
                                           today);
      if (!request.ok()) {
        out = request.error();
      } else {
        out = render(app::cash_forecast(*uow, *request), csv, app::cash_forecast_json, app::cash_forecast_csv);
      }
    } else {
      return fail(1, "unknown report '" + o.name + "'; one of: " + report_names());
    }
  } catch (const ErrorException& e) {
    return fail(2, e.error.message);
  }
  if (!out.ok()) {
    const auto& e = out.error();
    return fail(1, e.message + (e.field.empty() ? "" : " (" + e.field + ")"));
  }
  if (o.output.empty() || o.output == "-") {
    std::fwrite(out->data(), 1, out->size(), stdout);
    return 0;
  }
  std::ofstream f(o.output, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(out->data(), static_cast<std::streamsize>(out->size()))) {
    return fail(2, "cannot write " + o.output);
  }
  return 0;
}

}  // namespace o2c::cli
