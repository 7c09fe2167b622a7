#pragma once
// `o2c bench orders`: orders placed per second through the use-case layer and
// through the HTTP API, credit-checked and reserved, durable, on SQLite and
// PostgreSQL in one run, each run on a fresh database that is verified
// afterwards.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/orders.h"
#include "domain/masterdata/rules.h"
#include "store/db.h"

namespace o2c::cli {

enum class OrdersMode { use_case, http };
std::string_view to_string(OrdersMode m);

struct BenchOrdersOptions {
  int orders = 100000;  // per engine x mode x clients
  int customers = 1000;
  int skus = 500;
  int lines = 3;        // distinct SKUs per order, at most `skus`
  std::vector<int> clients{8};
  std::vector<OrdersMode> modes{OrdersMode::use_case, OrdersMode::http};
  std::string pg_url;   // a cluster to create scratch databases on; empty: a throwaway local one
  bool skip_pg = false;
};

// What every run places, fixed before any timing so that all runs place the
// same orders and the generator costs nothing measured: the drafts, and the
// master data sized from them (credit limits, stock per SKU).
struct OrdersWorkload {
  BenchOrdersOptions options;
  std::vector<app::OrderDraft> drafts;        // drafts[k] is the k-th order
  std::vector<std::string> bodies;            // the same orders as POST /api/v1/orders JSON
  std::vector<std::string> credit_limits;     // per customer, decimal EUR
  std::vector<int64_t> stock_units;           // per SKU, in all warehouses together
};

// How the orders meet credit and stock. The defaults are what `bench orders`
// measures, the refusals included; `bench billing` sets both to 0 so that
// every order reserves in full and can ship and be invoiced.
struct OrdersShape {
  int limited_customer_every = 20;  // 0: no customer is limited
  int short_sku_every = 25;         // 0: every SKU holds more than its orders ask for
};

// Deterministic: the same options give the same workload. With the default
// shape roughly 1 customer in 20 has a credit limit of half what its orders
// are worth, so a few percent of orders go to credit hold; 1 SKU in 25 has
// half the stock its orders ask for, so some lines backorder; everything
// else passes and reserves, across two warehouses.
OrdersWorkload make_orders_workload(const BenchOrdersOptions& options, const OrdersShape& shape = {});

// What another benchmark changes in the master data seed_orders_workload
// creates, before each record is validated and stored (customers and SKUs
// are numbered from 0 in the order the workload uses them).
struct SeedProfile {
  std::function<void(masterdata::CompanyDraft&)> company;
  std::function<void(masterdata::CustomerDraft&, int customer)> customer;
  std::function<void(masterdata::ProductDraft&, int sku)> product;
};

// On a migrated, empty database: the company, two warehouses, the
// workload's customers (credit limits from it), products and their stock,
// through the use cases, kSeedBatch records per unit of work. Customer k
// gets id k + 1 and SKU s the code B-<s>, as the drafts expect. Throws
// ErrorException when a use case refuses a record.
void seed_orders_workload(store::Database& db, const app::Clock& clock, const OrdersWorkload& w,
                          const SeedProfile& profile = {});

struct OrdersRun {
  std::string engine;  // "sqlite" or "postgres"
  OrdersMode mode = OrdersMode::use_case;
  int clients = 0;
  int64_t placed = 0;   // place_order committed / 201 received
  int64_t errors = 0;   // anything else (after retrying a busy store, as the API does)
  int64_t retries = 0;  // use-case mode: units run again after ErrorKind::unavailable
  std::string first_error;
  double seconds = 0;   // placing only, seeding excluded
  double orders_per_s = 0;
  double p50_ms = 0, p99_ms = 0;  // one order: begin to commit returned / request to response
  double seed_seconds = 0;
  // Counted from the database afterwards.
  int64_t stored = 0;       // orders in the database; must equal `placed`
  int64_t held = 0;         // on credit_hold
  int64_t backordered = 0;  // open, with a line not fully reserved
  double tx_per_commit = 0; // SQLite: orders per durable COMMIT (group commit); 0 elsewhere
  std::vector<std::string> breaches;  // app::verify's, plus stored != placed
};

// One run on `db`, a fresh, empty database: migrates, seeds the master data
// through the use cases (many records per unit of work), creates a sales
// user, places every order of the workload with `clients` concurrent
// clients, then counts and verifies. Throws ErrorException when seeding or
// starting the server fails.
OrdersRun run_orders(store::Database& db, const std::string& engine, const OrdersWorkload& workload,
                     OrdersMode mode, int clients);

// The whole command: every engine x mode x clients, a table on stdout.
// Returns the exit code: 1 when any run had a breach or an error.
int bench_orders_command(const BenchOrdersOptions& options);

}  // namespace o2c::cli
