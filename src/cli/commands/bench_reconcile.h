#pragma once
// `o2c bench reconcile`: cash application from bank statements, measured
// phase by phase so that no phase hides in another's figure:
//   generate  a seeded company and a statement with realistic noise
//             (bench_reconcile_gen.h), the truth kept beside the file;
//   parse     the file through formats/bank (lines/s);
//   match     reconcile::Index built from the generated company, match()
//             per line with default Settings, settle() after each
//             auto-apply, scored against the truth (in memory, lines/s);
//   import    app::import_statement into a fresh database per engine, then
//             an overlapping second file whose lines must all be skipped;
//   book      a database seeded with real invoices (the bench payments
//             seeding), a statement over them imported, and
//             app::run_reconciliation booking what it is sure of through
//             record_payment (payments/s); then app::verify.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands/bench_reconcile_gen.h"
#include "formats/bank/statement.h"
#include "store/db.h"

namespace o2c::cli {

enum class ReconcilePhase { parse, match, import, book };

struct BenchReconcileOptions {
  std::vector<int64_t> lines{100000};  // one run per size
  uint64_t seed = 42;
  recgen::Format format = recgen::Format::camt053;
  std::vector<ReconcilePhase> phases{ReconcilePhase::parse, ReconcilePhase::match, ReconcilePhase::import,
                                     ReconcilePhase::book};
  int64_t book = 10000;  // lines booked by the book phase, at most the run's lines
  std::string pg_url;
  bool skip_pg = false;
  int threads = 2;  // match phase: reconcile::match_in_order's threads
};

// Customers and invoices the generator makes for `lines` lines: a tenth of
// the lines (at least 1000) customers and 1.15 invoices per line (combined
// payments take several).
int bench_customers_for(int64_t lines);
int64_t bench_invoices_for(int64_t lines);

struct NoiseScore {
  int64_t lines = 0, auto_correct = 0, auto_incomplete = 0, auto_wrong = 0, suggested = 0, suggested_top_right = 0,
          unmatched = 0;
};

// The matcher's answers against the truth. A line is auto-applied
// "correct" when the best candidate is the truth's customer and exactly its
// invoices; "incomplete" when the customer is right and the invoices a part
// of the truth's (the rest left as customer credit); anything else that is
// auto-applied is WRONG.
struct MatchScore {
  int64_t lines = 0, matchable = 0;
  int64_t auto_applied = 0, auto_applied_matchable = 0;
  int64_t auto_correct = 0, auto_incomplete = 0, auto_wrong = 0;
  int64_t suggested = 0, suggested_top_right = 0, unmatched = 0;
  std::array<NoiseScore, recgen::kNoiseKinds> by_noise{};
  std::vector<std::string> wrong_examples;  // the first few, for a person
  double index_seconds = 0, match_seconds = 0;
};

// Matches `file`'s lines (one per entry, in file order, as many as `truth`)
// against `company` and scores them. Throws ErrorException when the file's
// lines do not line up with the truth.
MatchScore score_matches(const recgen::Company& company, const formats::bank::ParsedFile& file,
                         const std::vector<recgen::Truth>& truth, int threads = 1);

struct ImportRun {
  std::string engine;
  int64_t imported = 0, skipped = 0;                  // the first file
  int64_t overlap_imported = 0, overlap_skipped = 0;  // the second: all must be skipped
  double seconds = 0, overlap_seconds = 0;            // import_statement and its commit
  std::string error;
};
// On a fresh database: migrates, imports statement.text, then overlap_text.
ImportRun run_import(store::Database& db, const std::string& engine, const recgen::Statement& statement);

struct BookRun {
  std::string engine;
  int64_t lines = 0;         // imported for booking
  int64_t matched = 0, suggested = 0, unmatched = 0;  // run_reconciliation's counts
  int64_t expected_auto = 0;  // what the in-memory matcher auto-applies on the same company and lines
  int64_t expected_wrong = 0; // of them, wrong by the truth
  int64_t payments = 0;       // stored afterwards
  double seed_seconds = 0, import_seconds = 0, seconds = 0;  // seconds: run_reconciliation with its commit
  std::vector<std::string> breaches;  // app::verify's
  std::string error;
};
// On a fresh database: seeds a company with customers (names and IBANs from
// the generator) and about `lines` shipped, invoiced orders, generates a
// statement paying them, imports it and runs the reconciliation.
BookRun run_book(store::Database& db, const std::string& engine, uint64_t seed, int64_t lines, recgen::Format format);

int bench_reconcile_command(const BenchReconcileOptions& options);

}  // namespace o2c::cli
