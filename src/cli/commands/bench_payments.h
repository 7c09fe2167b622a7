#pragma once
// `o2c bench payments`: customer payments recorded per second against open
// invoices, each in its own durable unit of work through app::record_payment
// (open items read and locked, allocation oldest due first or as the payment
// says, invoices settled, customer credit for the rest, ledger bank / AR /
// customer credit, audit and outbox), on SQLite and PostgreSQL in one run,
// each run on a fresh database counted and verified afterwards.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace o2c::cli {

struct BenchPaymentsOptions {
  int payments = 100000;  // per engine x clients
  int customers = 10000;
  int invoices_per_customer = 2;
  std::vector<int> clients{8};
  std::string pg_url;  // a cluster to create scratch databases on; empty: a throwaway local one
  bool skip_pg = false;
};

// One payment of the run, fixed from the invoices seeding issued before any
// timing. Payment k goes to customer k % customers and is that customer's
// `seq`-th; a customer's payments together pay all its invoices, oldest
// first, partly and then fully, and the last one of every tenth customer
// pays more than is owed (customer credit).
struct PlannedPayment {
  int customer = 0;  // 0-based; the customer's id is customer + 1
  int seq = 0;
  int64_t amount_minor = 0;
  // Explicit allocation of the whole amount, to the invoice oldest-first
  // would start on; nullopt: oldest due first.
  std::optional<int64_t> invoice_id;
  bool operator==(const PlannedPayment&) const = default;
};

// A customer's invoices as seeding issued them: (id, total), ascending id,
// which is also their due order.
struct SeededInvoice {
  int64_t id = 0;
  int64_t total_minor = 0;
};

// Deterministic: the same invoices and n give the same payments. Roughly
// one payment in ten allocates explicitly (never a customer's last, which
// must be free to pay across invoices). `credit_minor` receives what the
// plan leaves as customer credit in all.
std::vector<PlannedPayment> plan_payments(const std::vector<std::vector<SeededInvoice>>& by_customer, int64_t n,
                                          int64_t* credit_minor = nullptr);

struct PaymentsRun {
  std::string engine;  // "sqlite" or "postgres"
  int clients = 0;
  int64_t applied = 0;   // units that recorded a payment and committed
  int64_t errors = 0;    // anything else (after retrying a busy store)
  int64_t retries = 0;   // units run again after ErrorKind::unavailable
  int64_t explicit_allocations = 0;  // planned payments with an explicit allocation
  std::string first_error;
  double seconds = 0;  // payments only, seeding excluded
  double payments_per_s = 0;
  double p50_ms = 0, p99_ms = 0;  // one payment: begin to commit returned
  double tx_per_commit = 0;       // SQLite: payments per durable COMMIT (group commit); 0 elsewhere
  double seed_seconds = 0;        // master data, orders placed, shipped and invoiced
  // Counted from the database afterwards.
  int64_t stored = 0;         // payments; must equal `applied`
  int64_t invoices = 0;       // invoices seeded
  int64_t invoices_paid = 0;  // of them, fully paid
  int64_t open_minor = 0;     // left open on all invoices; must be what the plan leaves
  int64_t expected_open_minor = 0;
  int64_t planned_credit_minor = 0;  // overpaid in all, by the plan
  std::vector<std::string> breaches;  // app::verify's, plus the counts above not matching
};

// One run on `db`, a fresh, empty database: migrates; seeds (untimed) a
// complete company, `customers` customers billing per shipment with
// generous credit limits, products and stock, and invoices_per_customer
// orders per customer placed and shipped, which issues their invoices;
// plans `payments` payments on them and records them with `clients`
// concurrent clients (timed), a customer's payments in their planned order;
// then counts and verifies. Throws ErrorException when seeding fails.
PaymentsRun run_payments_bench(store::Database& db, const std::string& engine, const BenchPaymentsOptions& options,
                               int clients);

// The whole command: every engine x clients, a table on stdout. Returns the
// exit code: 1 when any run had a breach or an error.
int bench_payments_command(const BenchPaymentsOptions& options);

}  // namespace o2c::cli
