#pragma once
#include <string>

#include "app/forecast.h"

namespace o2c::cli {

// `o2c report cash-forecast [--as-of D] [--weeks-back N] [--format json|csv]`:
// the report of GET /api/v1/reports/cash-forecast on stdout, the same bytes
// of JSON (pretty-printed) or CSV. The business date is `today`, or the UTC
// date when it is empty. Exit code: 0 printed, 1 refused (the reason on stderr).
int report_cash_forecast_command(const std::string& db_target, const app::ForecastParams& params,
                                 const std::string& format, const std::string& today);

}  // namespace o2c::cli
