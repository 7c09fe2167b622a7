#pragma once
#include <string>

namespace o2c::cli {

// `o2c report NAME`: the same reports as GET /api/v1/reports/... and the
// customer statement, printed as JSON (pretty) or CSV on stdout or into a
// file. NAME: aging, open-items, dso, measures, trial-balance, statement,
// cash-forecast.
// Exit code: 0 printed, 1 the report refused its parameters (the message
// says which), 2 the database or the output file could not be used.
struct ReportOptions {
  std::string db_target, name, as_of, basis, days, customer, from, to, format = "json", output;
  std::string today;  // the business date the defaults count from (default: today, UTC)
  std::string weeks_back, lookback_days, unlikely_after_days, order_lead_days;  // cash-forecast
};
int report_command(const ReportOptions& o);

// The report names `o2c report` knows, for its help text.
const char* report_names();

}  // namespace o2c::cli
