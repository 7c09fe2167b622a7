#include "cli/commands/report.h"

#include <cstdio>

#include "store/migrate.h"

namespace o2c::cli {
namespace {

int failed(const std::string& message) {
  std::fprintf(stderr, "o2c report cash-forecast: %s\n", message.c_str());
  return 1;
}

}  // namespace

int report_cash_forecast_command(const std::string& db_target, const app::ForecastParams& params,
                                 const std::string& format, const std::string& today) {
  if (format != "json" && format != "csv") return failed("--format must be json or csv");
  Date business_date = Date::today_utc();
  if (!today.empty()) {
    auto d = Date::parse(today);
    if (!d.ok()) return failed("--today must be a date YYYY-MM-DD, got '" + today + "'");
    business_date = *d;
  }
  auto request = app::forecast_request(params, business_date);
  if (!request.ok()) return failed(request.error().message);
  std::string text;
  try {
    auto db = store::open_database(db_target);
    (void)store::migrate(*db);
    auto uow = db->begin(store::TxMode::read);
    auto f = app::cash_forecast(*uow, *request);
    if (!f.ok()) return failed(f.error().message);
    text = format == "csv" ? app::cash_forecast_csv(*f) : app::cash_forecast_json(*f).dump(2) + "\n";
  } catch (const ErrorException& e) {
    return failed(e.error.message);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : failed("cannot write to stdout");
}

}  // namespace o2c::cli
