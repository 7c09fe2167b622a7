#pragma once
// The cash forecast report (domain/reports/forecast.h) read from the store:
// the forecast as of a day, the forecast made as of each past Monday against
// the cash that came in that week, and its JSON and CSV forms, shared by
// GET /api/v1/reports/cash-forecast and `o2c report cash-forecast`.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/result.h"
#include "domain/reports/forecast.h"
#include "store/db.h"

namespace o2c::app {

struct ForecastRequest {
  Date as_of;
  int weeks_back = 0;  // past weeks of forecast against actual, 0..reports::kWeeksBackMax
  reports::ForecastSettings settings;
  // The business date: orders are read as they stand now for a forecast
  // made today or later, from their timestamps for an earlier one.
  Date today;
};

// The request's parameters as text (a query string's or the command line's);
// absent ones take their defaults (as_of: today). Errors: 400 invalid_date,
// invalid_number; 422 invalid_setting, each with the parameter as field.
struct ForecastParams {
  std::optional<std::string> as_of, weeks_back, lookback_days, unlikely_after_days, order_lead_days;
};
Result<ForecastRequest> forecast_request(const ForecastParams& p, Date today);

struct UnconvertedOrder {
  int64_t order_id = 0;
  std::string currency;
  int64_t uninvoiced_minor = 0;  // the order's currency
};

struct CashForecast {
  std::string currency;  // functional
  int weeks_back = 0;
  reports::ForecastSettings settings;
  reports::Forecast forecast;
  std::vector<reports::PastWeek> past_weeks;  // oldest first
  // Orders in a currency without an exchange rate on or before the day: not
  // in any bucket, listed so that nothing is dropped unseen.
  std::vector<UnconvertedOrder> not_converted;
};

// Reads everything in `uow` (one snapshot).
Result<CashForecast> cash_forecast(store::UnitOfWork& uow, const ForecastRequest& r);

nlohmann::json cash_forecast_json(const CashForecast& f);
// One table: past weeks (forecast and actual), the 13 weeks, the two
// catch-all buckets and the total, amounts as exact decimals.
std::string cash_forecast_csv(const CashForecast& f);

}  // namespace o2c::app
