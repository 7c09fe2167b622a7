#pragma once
// The demo company's history: a seeded simulation of a wholesale company
// over business days, written through the same use cases as real traffic
// (orders, credit decisions, stock receipts, shipments, invoices, card
// payments, bank statements in camt.053 reconciled, dunning, disputes,
// credit notes), each day in units of work dated by a clock pinned to that
// day. It ends on `end` (default today), so that the company's receivables
// are current: some invoices not yet due, some overdue in every aging
// bucket, some paid late, some disputed.
//
// Deterministic: the same options on a new database give the same business
// data (documents, numbers, amounts, ledger), whatever the machine; only
// tokens and password-free user secrets differ.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "app/context.h"
#include "core/date.h"
#include "core/result.h"
#include "store/db.h"
#include "store/summary_repo.h"

namespace o2c::app {

inline constexpr uint64_t kDemoSeed = 20260;  // the one `o2c serve --demo` uses
inline constexpr int kDemoDaysMin = 1, kDemoDaysMax = 2600;  // ten years of business days
inline constexpr int kDemoCustomersMin = 10, kDemoCustomersMax = 5000;
inline constexpr int kDemoProductsMin = 40, kDemoProductsMax = 5000;
inline constexpr int kDemoOrdersPerDayMin = 1, kDemoOrdersPerDayMax = 1000;

struct DemoOptions {
  uint64_t seed = kDemoSeed;
  int days = 180;            // business days (Monday to Friday)
  int customers = 200;       // the five named ones included
  int products = 500;        // the eight named ones included
  int orders_per_day = 22;   // on average; a day has 2/3 to 4/3 of it
  std::optional<Date> end;   // the last calendar day simulated (required: the caller's today, usually)
};

// What the simulation did (its own counts) and what the database holds
// afterwards (counted there).
struct DemoSummary {
  Date first_day, last_day;
  int business_days = 0;
  int64_t orders_placed = 0, orders_held = 0, holds_approved = 0, holds_rejected = 0, orders_backordered = 0,
          orders_cancelled = 0;
  int64_t shipments_partial = 0, deliveries = 0;
  int64_t card_payments = 0, bank_transfers = 0, bank_lines_generated = 0, lines_matched_by_hand = 0;
  int64_t dunning_runs = 0, disputes_opened = 0, disputes_upheld = 0, disputes_rejected = 0, returns_credited = 0;
  int64_t promises = 0;
  store::summary::Counts counts;
  double seconds = 0;
};

// Seeds the demo company (seed_demo_company) on a database without one and
// simulates `opts.days` business days ending on `opts.end` (the last one is
// `end`, or the Friday before when it falls on a weekend). Errors: 409
// demo_needs_empty_database (the database has a company); 422
// invalid_demo_option (field: the option; `end` missing); a refusal of a use case during the
// simulation is returned as it came, its message prefixed with the day and
// step (the data written before that day stays).
Result<DemoSummary> run_demo(store::Database& db, const DemoOptions& opts);

// The summary as lines of text for a terminal.
std::string demo_summary_text(const DemoSummary& s);

}  // namespace o2c::app
