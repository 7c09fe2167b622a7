#include "app/forecast.h"

#include <charconv>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/money.h"
#include "domain/billing/invoice.h"
#include "formats/csv/csv.h"
#include "store/forecast_repo.h"
#include "store/invoices_repo.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using nlohmann::json;

Result<int> int_param(const std::optional<std::string>& text, int fallback, int min, int max, const char* field) {
  if (!text || text->empty()) return fallback;
  int v = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc() || ptr != end) {
    return Error::malformed("invalid_number", std::string(field) + " must be a whole number", field);
  }
  if (v < min || v > max) {
    return Error::invalid("invalid_setting",
                          std::string(field) + " must be between " + std::to_string(min) + " and " +
                              std::to_string(max),
                          field);
  }
  return v;
}

std::string functional_code(store::UnitOfWork& uow) {
  if (auto c = store::company::get(uow); c && Currency::of(c->currency)) return c->currency;
  return "EUR";  // no company yet: nothing was invoiced, every amount is 0
}

// The forecast as of `as_of` from the history read once (it covers every day
// asked about); delays and orders are read per day.
Result<reports::Forecast> forecast_on(store::UnitOfWork& uow, const reports::ReceivableHistory& history,
                                      const std::vector<reports::CashSample>* samples, Date as_of,
                                      const ForecastRequest& r, Currency functional,
                                      std::vector<UnconvertedOrder>* not_converted) {
  const auto items = reports::open_items_as_of(history, as_of);
  // One forecast: the database sums the delays. Several (past weeks): the
  // samples were read once for all of them.
  const auto delays = reports::delays_from(samples ? reports::delay_sums(*samples, as_of, r.settings.lookback_days)
                                                   : store::forecast::delay_sums(uow, as_of, r.settings.lookback_days));
  std::vector<reports::OpenOrder> orders;
  const std::string day = as_of.to_string();
  for (const auto& o : store::forecast::orders_as_of(uow, day, as_of >= r.today)) {
    O2C_ASSIGN_OR_RETURN(int64_t left, reports::uninvoiced_value(o.total_minor, o.lines));
    if (left <= 0) continue;
    auto currency = Currency::of(o.currency);
    if (!currency) return Error::internal("order " + std::to_string(o.order_id) + " has currency " + o.currency);
    int64_t functional_minor = left;
    if (!(*currency == functional)) {
      auto rate = store::invoices::rate_on(uow, o.currency, day);
      if (!rate) {
        if (not_converted) not_converted->push_back({o.order_id, o.currency, left});
        continue;
      }
      O2C_ASSIGN_OR_RETURN(auto m, billing::to_functional(Money(left, *currency), rate->rate_e10, functional));
      functional_minor = m.minor();
    }
    auto placed = Date::parse(o.placed_on);
    if (!placed.ok()) return placed.take_error();
    orders.push_back({o.order_id, o.customer_id, *placed, o.net_days, functional_minor});
  }
  return reports::forecast(items, orders, delays, as_of, r.settings);
}

json bucket_json(const reports::CashBucket& b, int exp) {
  return {{"from_invoices", format_scaled(b.from_invoices_minor, exp)},
          {"from_orders", format_scaled(b.from_orders_minor, exp)},
          {"total", format_scaled(b.total_minor(), exp)}};
}

int exponent_of(const std::string& code) {
  auto c = Currency::of(code);
  return c ? c->exponent() : 2;
}

}  // namespace

Result<ForecastRequest> forecast_request(const ForecastParams& p, Date today) {
  ForecastRequest r;
  r.today = today;
  r.as_of = today;
  if (p.as_of && !p.as_of->empty()) {
    auto d = Date::parse(*p.as_of);
    if (!d.ok()) return Error::malformed("invalid_date", "as_of must be a date YYYY-MM-DD", "as_of");
    r.as_of = *d;
  }
  O2C_ASSIGN_OR_RETURN(r.weeks_back, int_param(p.weeks_back, 0, 0, reports::kWeeksBackMax, "weeks_back"));
  O2C_ASSIGN_OR_RETURN(r.settings.lookback_days, int_param(p.lookback_days, reports::kDelayLookbackDaysDefault, 1,
                                                           reports::kDelayLookbackDaysMax, "lookback_days"));
  O2C_ASSIGN_OR_RETURN(r.settings.unlikely_after_days,
                       int_param(p.unlikely_after_days, reports::kUnlikelyAfterDaysDefault, 0,
                                 reports::kUnlikelyAfterDaysMax, "unlikely_after_days"));
  O2C_ASSIGN_OR_RETURN(r.settings.order_lead_days, int_param(p.order_lead_days, reports::kOrderLeadDaysDefault, 0,
                                                             reports::kOrderLeadDaysMax, "order_lead_days"));
  O2C_TRY(reports::validate_settings(r.settings));
  return r;
}

Result<CashForecast> cash_forecast(store::UnitOfWork& uow, const ForecastRequest& r) {
  O2C_TRY(reports::validate_settings(r.settings));
  if (r.weeks_back < 0 || r.weeks_back > reports::kWeeksBackMax) {
    return Error::invalid("invalid_setting", "weeks_back is out of range", "weeks_back");
  }
  CashForecast out;
  out.currency = functional_code(uow);
  out.weeks_back = r.weeks_back;
  out.settings = r.settings;
  const Currency functional = *Currency::of(out.currency);
  const Date this_week = reports::week_start(r.as_of);
  const Date first = r.weeks_back > 0 ? this_week.add_days(-7 * r.weeks_back) : r.as_of;
  // What may be open on any day asked about, read once.
  const auto history = store::forecast::receivable_history(uow, first.to_string(), r.as_of.to_string());
  std::vector<reports::CashSample> samples;
  if (r.weeks_back > 0) {
    samples = store::forecast::cash_samples(uow, first.add_days(-r.settings.lookback_days), r.as_of);
  }
  const auto* shared = r.weeks_back > 0 ? &samples : nullptr;
  O2C_ASSIGN_OR_RETURN(out.forecast, forecast_on(uow, history, shared, r.as_of, r, functional, &out.not_converted));
  if (r.weeks_back > 0) {
    const auto movements =
        store::forecast::cash_movements(uow, first.to_string(), this_week.add_days(-1).to_string());
    for (int k = r.weeks_back; k >= 1; --k) {
      const Date monday = this_week.add_days(-7 * k);
      O2C_ASSIGN_OR_RETURN(auto then, forecast_on(uow, history, shared, monday, r, functional, nullptr));
      out.past_weeks.push_back({monday, then.weeks.front().expected, reports::actual_receipts(movements, monday)});
    }
  }
  return out;
}

json cash_forecast_json(const CashForecast& f) {
  const int exp = exponent_of(f.currency);
  const auto& fc = f.forecast;
  json weeks = json::array();
  for (const auto& w : fc.weeks) {
    weeks.push_back({{"week_start", w.week_start.to_string()}, {"expected", bucket_json(w.expected, exp)}});
  }
  json past = json::array();
  for (const auto& p : f.past_weeks) {
    past.push_back({{"week_start", p.week_start.to_string()},
                    {"forecast", bucket_json(p.forecast, exp)},
                    {"actual", format_scaled(p.actual_minor, exp)},
                    {"difference", format_scaled(p.actual_minor - p.forecast.total_minor(), exp)}});
  }
  json unconverted = json::array();
  for (const auto& o : f.not_converted) {
    unconverted.push_back({{"order_id", std::to_string(o.order_id)},
                           {"currency", o.currency},
                           {"uninvoiced", format_scaled(o.uninvoiced_minor, exponent_of(o.currency))}});
  }
  json customers = json::array();
  for (const auto& [id, days] : fc.delays.by_customer) {
    customers.push_back({{"customer_id", std::to_string(id)}, {"delay_days", days}});
  }
  return {{"as_of", fc.as_of.to_string()},
          {"currency", f.currency},
          {"weeks", weeks},
          {"overdue_unlikely", bucket_json(fc.overdue_unlikely, exp)},
          {"beyond_horizon", bucket_json(fc.beyond_horizon, exp)},
          {"open_receivables", format_scaled(fc.open_receivables_minor, exp)},
          {"open_orders", format_scaled(fc.open_orders_minor, exp)},
          {"total", format_scaled(fc.open_receivables_minor + fc.open_orders_minor, exp)},
          {"not_converted", unconverted},
          {"past_weeks", past},
          {"delays",
           {{"default_days", fc.delays.fallback_days},
            {"default_observed", fc.delays.fallback_observed},
            {"customers", customers}}},
          {"settings",
           {{"weeks_back", f.weeks_back},
            {"lookback_days", f.settings.lookback_days},
            {"unlikely_after_days", f.settings.unlikely_after_days},
            {"order_lead_days", f.settings.order_lead_days}}}};
}

std::string cash_forecast_csv(const CashForecast& f) {
  const int exp = exponent_of(f.currency);
  auto money = [&](int64_t v) { return format_scaled(v, exp); };
  std::string out = csv::format_record(
      {"row", "week_start", "currency", "from_invoices", "from_orders", "total", "actual", "difference"});
  for (const auto& p : f.past_weeks) {
    out += csv::format_record({"past_week", p.week_start.to_string(), f.currency,
                               money(p.forecast.from_invoices_minor), money(p.forecast.from_orders_minor),
                               money(p.forecast.total_minor()), money(p.actual_minor),
                               money(p.actual_minor - p.forecast.total_minor())});
  }
  auto row = [&](const std::string& name, const std::string& week, const reports::CashBucket& b) {
    out += csv::format_record({name, week, f.currency, money(b.from_invoices_minor), money(b.from_orders_minor),
                               money(b.total_minor()), "", ""});
  };
  const auto& fc = f.forecast;
  for (const auto& w : fc.weeks) row("week", w.week_start.to_string(), w.expected);
  row("overdue_unlikely", "", fc.overdue_unlikely);
  row("beyond_horizon", "", fc.beyond_horizon);
  row("total", "", {fc.open_receivables_minor, fc.open_orders_minor});
  return out;
}

}  // namespace o2c::app
