#pragma once
// The receivables reports: aging, open items and the DSO family, as of any
// business date, each as JSON (the API's shape) and CSV (one row per line of
// the report, for spreadsheets). Read-only: they run in a read unit of work.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/id.h"
#include "core/result.h"
#include "domain/reports/aging.h"
#include "domain/reports/measures.h"
#include "domain/reports/process.h"
#include "store/db.h"
#include "store/ledger_repo.h"
#include "store/reports_repo.h"

namespace o2c::app {

// Query parameters as given (empty = default), checked here so that the API
// and the CLI refuse the same things with the same messages.
struct ReportQuery {
  std::optional<std::string> as_of;  // default: today
  std::optional<std::string> basis;  // due_date (default) | invoice_date
  std::optional<std::string> days;   // DSO window, default 90
  std::optional<std::string> customer_id;
};

struct ReportHeader {
  Date as_of;
  std::string currency;  // functional
  int exponent = 2;
};

struct AgingReport {
  ReportHeader header;
  reports::Aging aging;
  std::map<int64_t, std::string> names;
};
Result<AgingReport> aging_report(store::UnitOfWork& uow, const ReportQuery& q, Date today);
nlohmann::json aging_json(const AgingReport& r);
std::string aging_csv(const AgingReport& r);

struct OpenItemsReport {
  ReportHeader header;
  std::vector<store::reports::OpenItemRow> items;
  std::map<int64_t, std::string> names;
};
Result<OpenItemsReport> open_items_report(store::UnitOfWork& uow, const ReportQuery& q, Date today);
nlohmann::json open_items_json(const OpenItemsReport& r);
std::string open_items_csv(const OpenItemsReport& r);

struct DsoReport {
  ReportHeader header;
  int32_t days = 90;
  reports::DsoInputs inputs;
  reports::Dso dso;
  int64_t over_90_minor = 0;
  reports::Hundredths percent_over_90;
};
Result<DsoReport> dso_report(store::UnitOfWork& uow, const ReportQuery& q, Date today);
nlohmann::json dso_json(const DsoReport& r);
std::string dso_csv(const DsoReport& r);

// Every measure of docs/measures.md over the `days` before as_of.
struct MeasuresReport {
  DsoReport dso;
  int64_t open_disputes = 0;
  int64_t disputed_minor = 0;
  reports::Hundredths average_dispute_age_days;
  store::reports::Placed placed;
  reports::Hundredths credit_hold_rate;
  int64_t holds_decided = 0;
  reports::Hundredths average_hold_hours;
  int64_t orders_completed = 0;
  reports::CycleTimes cycle;
  reports::PerfectOrders perfect;
  store::reports::BankLines bank;
  reports::Hundredths auto_match_rate;
};
// An order ships "on time" within this many days of being placed (o2c has no
// promised delivery date yet).
constexpr int32_t kShipWithinDays = 2;
Result<MeasuresReport> measures_report(store::UnitOfWork& uow, const ReportQuery& q, Date today);
nlohmann::json measures_json(const MeasuresReport& r);
std::string measures_csv(const MeasuresReport& r);

struct TrialBalanceReport {
  ReportHeader header;
  std::vector<store::ledger::AccountBalance> rows;
};
Result<TrialBalanceReport> trial_balance_report(store::UnitOfWork& uow, const ReportQuery& q, Date today);
nlohmann::json trial_balance_json(const TrialBalanceReport& r);
std::string trial_balance_csv(const TrialBalanceReport& r);

// A value in hundredths as a JSON number (12.34), or null when undefined.
nlohmann::json hundredths_json(const reports::Hundredths& h);
// The same as text for CSV: "12.34", or empty.
std::string hundredths_text(const reports::Hundredths& h);
// as_of from a query: empty = today; else YYYY-MM-DD or a 400 naming "as_of".
Result<Date> report_date(const std::optional<std::string>& text, Date today, const char* field = "as_of");

}  // namespace o2c::app
