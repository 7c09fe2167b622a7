#pragma once
// `o2c bench reports`: how long the receivables reports take over a large
// history. A generated history (bench_reports_gen.h: customers, invoices
// over three years, payments, bounces, credit notes) is written straight
// into a fresh database per engine in multi-row INSERTs, a few large
// transactions; then each report runs as its HTTP route runs it (the app
// function in a read unit of work, rendered as JSON) a few times, and the
// minimum and median are printed. The database is a reporting fixture: no
// ledger, no audit, no invoice lines; `o2c verify` is not run on it.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands/bench_reports_gen.h"
#include "store/db.h"

namespace o2c::cli {

struct BenchReportsOptions {
  int64_t invoices = 1000000;
  int customers = 10000;
  uint64_t seed = 42;
  int runs = 3;        // of each report
  std::string pg_url;  // a cluster to create a scratch database on; empty: a throwaway local one
  bool skip_pg = false;
  // Leave the loaded databases behind to look into (EXPLAIN): SQLite as
  // keep_dir/reports.db, PostgreSQL's scratch database on the --pg cluster.
  std::string keep_dir;
};

// Invoices per write unit while loading: a 1 000 000-invoice history is
// loaded in ten transactions.
constexpr int64_t kLoadChunk = 100000;

struct LoadRun {
  repgen::Counts counts;
  int64_t customers = 0;
  double seconds = 0;  // generating and writing, commits included
};

// Migrates `db` (fresh, empty) and writes the history of `o` into it.
LoadRun load_history(store::Database& db, const repgen::Options& o);

// One report the bench times: `run` does in a read unit of work what the
// report's route does and returns a line on what it found.
struct ReportCall {
  std::string name;
  Date as_of;
  std::function<std::string(store::UnitOfWork&)> run;
};
// The reports timed, today and 18 months back: aging, DSO over 90 days,
// the cash forecast, open items; measures today.
std::vector<ReportCall> report_calls(Date today);

struct ReportTiming {
  std::string name, as_of, result;
  std::vector<double> seconds;  // one per run, in run order
  double min() const;
  double median() const;
};
// Runs each call `runs` times, each in a fresh read unit of work.
std::vector<ReportTiming> time_reports(store::Database& db, const std::vector<ReportCall>& calls, int runs);

// The whole command; exit code 1 when an engine could not run.
int bench_reports_command(const BenchReportsOptions& options);

}  // namespace o2c::cli
