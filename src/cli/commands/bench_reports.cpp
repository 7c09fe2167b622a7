#include "cli/commands/bench_reports.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/forecast.h"
#include "app/reports.h"
#include "cli/commands/bench_support.h"
#include "core/decimal.h"
#include "store/migrate.h"
#include "store/postgres/pg_db.h"
#include "store/reports_fixture.h"

namespace o2c::cli {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

template <typename T>
T ok_or_throw(Result<T> r, const std::string& what) {
  if (!r.ok()) throw ErrorException(Error::internal("bench reports: " + what + ": " + r.error().message));
  return std::move(*r);
}

std::string eur(int64_t minor) { return format_scaled(minor, 2); }

std::string days(const reports::Hundredths& h) { return h ? format_scaled(*h, 2) : std::string("-"); }

app::ReportQuery at(Date d) {
  app::ReportQuery q;
  q.as_of = d.to_string();
  return q;
}

ReportCall aging_call(Date today, Date as_of) {
  return {"aging", as_of, [today, as_of](store::UnitOfWork& uow) {
            const auto r = ok_or_throw(app::aging_report(uow, at(as_of), today), "aging");
            const std::string body = app::aging_json(r).dump();
            return std::to_string(r.aging.items) + " open items of " + std::to_string(r.aging.customers.size()) +
                   " customers, " + eur(r.aging.total.total()) + " EUR, over 90 days " +
                   eur(r.aging.total[reports::Bucket::over_90]) + " (" + std::to_string(body.size() / 1024) +
                   " KiB JSON)";
          }};
}

ReportCall dso_call(Date today, Date as_of) {
  return {"dso 90 days", as_of, [today, as_of](store::UnitOfWork& uow) {
            const auto r = ok_or_throw(app::dso_report(uow, at(as_of), today), "dso");
            (void)app::dso_json(r).dump();
            return "DSO " + days(r.dso.dso) + ", count-back " + days(r.dso.countback_dso) + ", best possible " +
                   days(r.dso.best_possible_dso) + ", CEI " + days(r.dso.cei) + " %, receivables " +
                   eur(r.inputs.receivables_minor) + " EUR";
          }};
}

ReportCall open_items_call(Date today, Date as_of) {
  return {"open items", as_of, [today, as_of](store::UnitOfWork& uow) {
            const auto r = ok_or_throw(app::open_items_report(uow, at(as_of), today), "open items");
            const std::string body = app::open_items_json(r).dump();
            return std::to_string(r.items.size()) + " open items (" + std::to_string(body.size() / 1024) +
                   " KiB JSON)";
          }};
}

ReportCall measures_call(Date today, Date as_of) {
  return {"measures 90 days", as_of, [today, as_of](store::UnitOfWork& uow) {
            const auto r = ok_or_throw(app::measures_report(uow, at(as_of), today), "measures");
            (void)app::measures_json(r).dump();
            return "DSO " + days(r.dso.dso.dso) + ", open disputes " + std::to_string(r.open_disputes) +
                   " (no orders, disputes or bank lines in the fixture)";
          }};
}

// As GET /reports/cash-forecast with as_of and weeks_back (default
// settings): weeks_back 13 makes 14 forecasts, one per past Monday.
ReportCall forecast_call(Date today, Date as_of, int weeks_back = 0) {  // weeks_back: 0 or 13
  const char* label = weeks_back == 0 ? "cash forecast" : "forecast+13 weeks";
  return {label, as_of, [today, as_of, weeks_back](store::UnitOfWork& uow) {
            app::ForecastParams p;
            p.as_of = as_of.to_string();
            if (weeks_back > 0) p.weeks_back = std::to_string(weeks_back);
            const auto request = ok_or_throw(app::forecast_request(p, today), "forecast request");
            const auto f = ok_or_throw(app::cash_forecast(uow, request), "cash forecast");
            (void)app::cash_forecast_json(f).dump();
            return "open receivables " + eur(f.forecast.open_receivables_minor) + " EUR, first week " +
                   eur(f.forecast.weeks.empty() ? 0 : f.forecast.weeks.front().expected.total_minor()) +
                   ", beyond 13 weeks " + eur(f.forecast.beyond_horizon.total_minor()) + ", overdue unlikely " +
                   eur(f.forecast.overdue_unlikely.total_minor());
          }};
}

void print_row(const std::string& engine, const std::string& step, const std::string& as_of, int runs, double min_s,
               double median_s, const std::string& result) {
  char median[16] = "-";
  if (median_s >= 0) std::snprintf(median, sizeof median, "%.3f", median_s);
  std::printf("%-9s %-17s %-10s %4d %8.3f %8s  %s\n", engine.c_str(), step.c_str(), as_of.c_str(), runs, min_s,
              median, result.c_str());
  std::fflush(stdout);
}

}  // namespace

LoadRun load_history(store::Database& db, const repgen::Options& o) {
  LoadRun r;
  store::migrate(db);
  const Clock::time_point t0 = Clock::now();
  const auto customers = repgen::make_customers(o);
  {
    auto uow = db.begin(store::TxMode::write);
    store::fixture::insert_company(*uow, "Nordlicht Kaffee GmbH",
                                   o.today.add_days(-repgen::kHistoryDays - 30).to_string() + "T08:00:00Z");
    store::fixture::insert_customers(*uow, customers);
    uow->commit();
  }
  r.customers = static_cast<int64_t>(customers.size());
  repgen::History history(o);
  repgen::Chunk chunk;
  while (history.next(kLoadChunk, chunk)) {
    auto uow = db.begin(store::TxMode::write);
    store::fixture::insert_invoices(*uow, chunk.invoices);
    store::fixture::insert_invoices(*uow, chunk.credit_notes);
    store::fixture::insert_payments(*uow, chunk.payments);
    store::fixture::insert_allocations(*uow, chunk.allocations);
    uow->commit();
  }
  {
    auto uow = db.begin(store::TxMode::write);
    store::fixture::continue_ids(*uow);
    uow->commit();
  }
  r.counts = history.counts();
  r.seconds = since(t0);
  return r;
}

std::vector<ReportCall> report_calls(Date today) {
  const Date past = today.add_months(-18);
  return {aging_call(today, today),      aging_call(today, past),         dso_call(today, today),
          dso_call(today, past),         forecast_call(today, today),     forecast_call(today, past),
          forecast_call(today, today, 13),
          open_items_call(today, today), open_items_call(today, past),    measures_call(today, today)};
}

double ReportTiming::min() const { return seconds.empty() ? 0 : *std::min_element(seconds.begin(), seconds.end()); }

double ReportTiming::median() const {
  if (seconds.empty()) return 0;
  std::vector<double> s = seconds;
  std::sort(s.begin(), s.end());
  return s[s.size() / 2];
}

std::vector<ReportTiming> time_reports(store::Database& db, const std::vector<ReportCall>& calls, int runs) {
  std::vector<ReportTiming> out;
  for (const auto& c : calls) {
    ReportTiming t;
    t.name = c.name;
    t.as_of = c.as_of.to_string();
    for (int i = 0; i < std::max(1, runs); ++i) {
      const Clock::time_point t0 = Clock::now();
      auto uow = db.begin(store::TxMode::read);
      t.result = c.run(*uow);
      uow.reset();
      t.seconds.push_back(since(t0));
    }
    out.push_back(std::move(t));
  }
  return out;
}

int bench_reports_command(const BenchReportsOptions& options) {
  repgen::Options o;
  o.invoices = std::max<int64_t>(1, options.invoices);
  o.customers = std::max(1, options.customers);
  o.seed = options.seed;
  o.today = Date::today_utc();
  std::printf(
      "o2c bench reports: %lld invoices issued evenly over the %d days up to %s for %d customers (seed %llu),\n"
      "with what followed up to today: ~89 %% paid in one payment (most near the due date, some late), 4 %% in\n"
      "two, 1 %% bounced (most paid again), 2.5 %% credited in part or whole, 3.5 %% never paid in full.\n"
      "Written straight into a fresh database per engine in multi-row INSERTs, %lld invoices per transaction.\n"
      "A REPORTING FIXTURE: no ledger, audit, invoice lines or orders; `o2c verify` does not apply to it.\n"
      "Then each report as its HTTP route runs it (app function in a read unit of work, JSON rendered),\n"
      "%d times; min and median seconds. PostgreSQL: VACUUM ANALYZE after the load, as autovacuum would.\n\n",
      static_cast<long long>(o.invoices), repgen::kHistoryDays, o.today.to_string().c_str(), o.customers,
      static_cast<unsigned long long>(o.seed), static_cast<long long>(kLoadChunk), options.runs);
  std::printf("%-9s %-17s %-10s %4s %8s %8s  %s\n", "engine", "step", "as_of", "runs", "min s", "median", "result");
  const auto calls = report_calls(o.today);
  const bool engines_ok =
      for_each_engine("o2c-bench-reports", options.skip_pg, options.pg_url,
                      [&](const std::string& engine, const ScratchMaker& make) {
                        ScratchDb s;
                        if (!options.keep_dir.empty() && engine == "sqlite") {
                          const std::string file = options.keep_dir + "/reports.db";
                          if (std::filesystem::exists(file)) {
                            throw ErrorException(Error::invalid("exists", file + " exists; --keep wants a new file"));
                          }
                          s.db = store::open_database(file);
                        } else {
                          s = make();
                        }
                        if (!options.keep_dir.empty() && s.pg) {
                          s.pg->keep();
                          std::printf("postgres: database %s kept\n", s.pg->name().c_str());
                        }
                        const LoadRun load = load_history(*s.db, o);
                        const auto& c = load.counts;
                        print_row(engine, "load", "-", 1, load.seconds, -1,
                                  std::to_string(c.invoices) + " invoices (" + std::to_string(c.open) +
                                      " open today, " + eur(c.open_minor) + " EUR), " + std::to_string(c.credit_notes) +
                                      " credit notes, " + std::to_string(c.payments) + " payments (" +
                                      std::to_string(c.reversed_payments) + " bounced), " +
                                      std::to_string(c.allocations) + " allocations, " +
                                      std::to_string(load.customers) + " customers");
                        if (s.pg) {
                          const Clock::time_point t0 = Clock::now();
                          store::pg_vacuum_analyze(s.pg->url());
                          print_row(engine, "vacuum analyze", "-", 1, since(t0), -1, "");
                        }
                        for (const auto& t : time_reports(*s.db, calls, options.runs)) {
                          print_row(engine, t.name, t.as_of, static_cast<int>(t.seconds.size()), t.min(), t.median(),
                                    t.result);
                        }
                      });
  return engines_ok ? 0 : 1;
}

}  // namespace o2c::cli
