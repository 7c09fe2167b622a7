#pragma once
// `o2c bench billing`: invoices issued per second for shipped orders, each
// in its own durable unit of work through the real issuing code (gapless
// number under the counter's row lock, ledger posting AR / revenue / tax
// payable, order moved to invoiced, audit and outbox), on SQLite and
// PostgreSQL in one run, each run on a fresh database verified afterwards;
// then the first invoices rendered as PDF and as UBL documents per second.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands/bench_orders.h"
#include "store/db.h"

namespace o2c::cli {

struct BenchBillingOptions {
  int orders = 100000;  // shipped orders to invoice, per engine x clients
  int customers = 1000;
  int skus = 500;
  int lines = 3;        // distinct SKUs per order, at most `skus`
  std::vector<int> clients{8};
  int documents = 1000;  // invoices rendered per format and thread count
  std::string pg_url;    // a cluster to create scratch databases on; empty: a throwaway local one
  bool skip_pg = false;
};

// The orders every run ships and invoices: bench orders' generator with no
// customer limited and no SKU short, so that every order reserves in full,
// ships in one shipment and gets one invoice.
OrdersWorkload make_billing_workload(const BenchBillingOptions& options);

// The master data profile every invoicing benchmark seeds with (`bench
// payments` too): a company complete enough for PDF and UBL, customers with
// VAT id and address billing `consolidated` (a caller may override it), and
// SKUs across the tax categories.
void complete_company(masterdata::CompanyDraft& c);
void billing_customer(masterdata::CustomerDraft& d, int customer);
void billing_product(masterdata::ProductDraft& d, int sku);

struct Shipped {
  std::vector<OrderId> orders;     // [k]: the k-th order of the workload
  std::vector<int64_t> shipments;  // [k]: its one shipment
  std::vector<int64_t> invoices;   // [k]: the invoice its shipment issued; empty unless invoiced_on_shipping
};

// Every order of the workload placed, then shipped in full, in batches.
// invoiced_on_shipping says what the customers' billing makes shipping do:
// false (consolidated) issues nothing, true (per shipment) one invoice per
// shipment; anything else throws, since the workload would be wrong.
Shipped place_and_ship(store::Database& db, const app::Clock& clock, const OrdersWorkload& w,
                       bool invoiced_on_shipping);

// One pass over the first invoices: per document a read unit of work, the
// invoice, app::document_of and the renderer, as GET /invoices/{id}.pdf|.xml
// does it without HTTP.
struct DocumentsRun {
  std::string format;  // "pdf" or "ubl"
  int threads = 0;
  int64_t rendered = 0;  // documents that came out well-formed at first sight
  int64_t failures = 0;  // a refusal, or a PDF not starting with %PDF-, or an XML without its root
  std::string first_failure;
  double seconds = 0;
  double per_s = 0;
  double p50_ms = 0, p99_ms = 0;
  double avg_kb = 0;
};

struct BillingRun {
  std::string engine;  // "sqlite" or "postgres"
  int clients = 0;
  int64_t issued = 0;   // units that issued an invoice and committed
  int64_t errors = 0;   // anything else (after retrying a busy store)
  int64_t retries = 0;  // units run again after ErrorKind::unavailable
  std::string first_error;
  double seconds = 0;   // issuing only, seeding excluded
  double invoices_per_s = 0;
  double p50_ms = 0, p99_ms = 0;  // one invoice: begin to commit returned
  double tx_per_commit = 0;       // SQLite: invoices per durable COMMIT (group commit); 0 elsewhere
  double seed_seconds = 0;        // master data, orders placed and shipped
  // Counted from the database afterwards.
  int64_t stored = 0;           // invoices; must equal `issued`
  int64_t orders_invoiced = 0;  // orders with status invoiced; must equal `issued`
  int64_t tax_groups = 0;       // distinct (category, rate) pairs on the invoices
  std::vector<DocumentsRun> documents;
  std::vector<std::string> breaches;  // app::verify's, plus the counts above not matching
};

// One run on `db`, a fresh, empty database: migrates; seeds (untimed) a
// complete company, the workload's customers billing `consolidated`, the
// products across tax categories, stock; places and ships every order
// through the use cases, many per unit of work, so that nothing is invoiced
// yet; switches the customers to per-shipment billing. Then issues one
// invoice per shipment with `clients` concurrent clients (timed), counts and
// verifies; renders the first `documents` invoices as PDF and as UBL on each
// of `document_threads`. Throws ErrorException when seeding fails.
BillingRun run_billing_bench(store::Database& db, const std::string& engine, const OrdersWorkload& workload,
                             int clients, int documents, const std::vector<int>& document_threads);

// The whole command: every engine x clients, a table on stdout. Returns the
// exit code: 1 when any run had a breach, an error or a document failure.
int bench_billing_command(const BenchBillingOptions& options);

}  // namespace o2c::cli
