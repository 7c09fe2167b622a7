// The o2c command line: one binary for the server, migrations, users,
// verification, imports and benchmarks.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#ifdef O2C_WITH_MIMALLOC
#include <mimalloc.h>
#endif

#include "app/demo.h"
#include "app/demo_simulation.h"
#include "app/users.h"
#include "app/verify.h"
#include "cli/commands/report.h"
#include "cli/commands/bench.h"
#include "cli/commands/bench_billing.h"
#include "cli/commands/bench_orders.h"
#include "cli/commands/bench_payments.h"
#include "cli/commands/bench_reconcile.h"
#include "cli/commands/bench_reports.h"
#include "cli/commands/export.h"
#include "cli/commands/import.h"
#include "http/server.h"
#include "notify/worker.h"
#include "security/crypto.h"
#include "store/migrate.h"
#include "store/repos.h"

#if defined(__SANITIZE_ADDRESS__)
// The server renders invoice PDFs: fontconfig's font-matching cache lives
// for the process and LeakSanitizer cannot see pango's pointers to it (see
// tests/support/lsan_fontconfig.cpp). Only libfontconfig's allocations are exempt.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace {

using namespace o2c;

std::string default_db() {
  const char* env = std::getenv("O2C_DB");
  return env && *env ? env : "o2c.db";
}

std::unique_ptr<store::Database> open_and_migrate(const std::string& target, bool quiet = false) {
  auto db = store::open_database(target);
  auto applied = store::migrate(*db);
  if (!quiet && !applied.empty()) {
    std::fprintf(stderr, "o2c: applied %zu migration(s) to %s\n", applied.size(), db->describe().c_str());
  }
  return db;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "o2c: %s\n", message.c_str());
  return 1;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// The URL as it may appear in a log: "smtp://user:secret@host" -> "smtp://***@host".
std::string without_credentials(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  return url.substr(0, scheme + 3) + "***" + url.substr(at);
}

int run_serve(const std::string& db_target, const std::string& host, int port, const std::string& today,
              bool demo, bool test_payments, int threads, notify::WorkerOptions notify_opts) {
  std::optional<Date> pinned;
  if (!today.empty()) {
    auto d = Date::parse(today);
    if (!d.ok()) return fail("--today must be a date YYYY-MM-DD, got '" + today + "'");
    pinned = *d;
  }
  app::SystemClock clock(pinned);
  auto db = open_and_migrate(db_target);

  std::vector<app::DemoLogin> logins;
  if (demo) {
    bool has_company = false;
    {
      auto uow = db->begin(store::TxMode::read);
      has_company = store::company::get(*uow).has_value();
    }
    if (!has_company) {
      // A new database: the demo company with half a year of trade behind
      // it, ending on the business date, so that every report has a story.
      app::DemoOptions o;
      o.end = clock.today();
      std::fprintf(stderr, "o2c: simulating the demo company's last %d business days...\n", o.days);
      auto r = app::run_demo(*db, o);
      if (!r.ok()) return fail("demo simulation failed: " + r.error().message);
      std::fputs(app::demo_summary_text(*r).c_str(), stderr);
    }
    logins = app::issue_demo_tokens(*db, clock);
  } else {
    int64_t users = 0;
    {
      auto uow = db->begin(store::TxMode::read);
      users = store::users::count(*uow);
    }
    if (users == 0) {
      auto created = app::create_user(*db, clock, {std::string("admin"), std::string("admin"), {}, {}}, "serve");
      if (!created.ok()) return fail("could not create the first admin: " + created.error().message);
      logins.push_back({"admin", "admin", created->token});
    }
  }

  http::ServeOptions opts;
  opts.host = host;
  opts.port = port;
  opts.threads = threads;
  // From the environment, not a flag: a secret on the command line shows in `ps`.
  if (const char* secret = std::getenv("O2C_STRIPE_WEBHOOK_SECRET")) opts.stripe_webhook_secret = secret;
  opts.test_payments = demo || test_payments;
  // The test provider signs its events as Stripe does; without a configured
  // secret it gets one for this process only, which nobody else knows.
  const bool generated_secret = opts.test_payments && opts.stripe_webhook_secret.empty();
  if (generated_secret) opts.stripe_webhook_secret = "whsec_" + security::random_hex(24);
  // Started once the socket listens, so that a server that cannot bind
  // sends nothing; stopped (joined) when serving ends.
  notify::Worker worker(*db, clock, notify_opts);
  bool ok = http::serve(*db, clock, opts, [&](int bound) {
    worker.start();
    std::string url = "http://" + host + ":" + std::to_string(bound);
    std::printf("o2c serving %s on %s\n", db->describe().c_str(), url.c_str());
    std::printf("  console:  %s/   (sign in with a token below, or a user's name and password)\n", url.c_str());
    std::printf("  API:      %s/api/v1   (OpenAPI: %s/api/v1/openapi.json)\n", url.c_str(), url.c_str());
    std::printf("  business date: %s%s\n", clock.today().to_string().c_str(), pinned ? " (pinned)" : "");
    std::printf("  Stripe webhook: %s\n", opts.stripe_webhook_secret.empty()
                                             ? "off (set O2C_STRIPE_WEBHOOK_SECRET)"
                                             : generated_secret
                                                   ? "POST /api/v1/webhooks/stripe (signed with a random secret made "
                                                     "for this process: no O2C_STRIPE_WEBHOOK_SECRET)"
                                                   : "POST /api/v1/webhooks/stripe (signed with O2C_STRIPE_WEBHOOK_SECRET)");
    std::printf("  portal:   %s/portal   (customers: invoices, statement, disputes%s)\n", url.c_str(),
                opts.test_payments ? ", card payments through the test provider" : "");
    std::printf("  e-mail:   %s\n", notify_opts.smtp_url.empty()
                                        ? "no SMTP server (--smtp-url): e-mails wait as pending messages"
                                        : ("via " + without_credentials(notify_opts.smtp_url)).c_str());
    if (!logins.empty()) {
      std::printf("  tokens (new for this run; send as 'Authorization: Bearer <token>'):\n");
      for (const auto& l : logins) {
        std::printf("    %-11s %-10s %s\n", l.role.c_str(), l.user.c_str(), l.token.c_str());
      }
      std::printf("  try: curl -H 'Authorization: Bearer %s' %s/api/v1/customers\n", logins.front().token.c_str(),
                  url.c_str());
    }
    std::fflush(stdout);
  });
  worker.stop();
  if (!ok) return fail("could not listen on " + host + ":" + std::to_string(port) + " (is the port in use?)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef O2C_WITH_MIMALLOC
  // Ask the kernel for 2 MiB pages (THP madvise) for mimalloc's segments: a
  // 1 000 000-line statement touches gigabytes once, and on this kind of VM
  // each 4 KiB first-touch fault cost more than the parse itself.
  // MIMALLOC_LARGE_OS_PAGES=0 in the environment turns it off.
  if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) mi_option_enable(mi_option_large_os_pages);
#endif
  CLI::App cli{"o2c: order-to-cash. Orders, credit, stock, shipping, invoices, payments, collections, reconciliation."};
  cli.require_subcommand(1);
  std::string db_target = default_db();

  auto* serve = cli.add_subcommand("serve", "Run the HTTP API server (migrates the database first)");
  std::string host = "127.0.0.1", today;
  int port = 8080, threads = 0;
  bool demo = false;
  bool test_payments = false;
  serve->add_option("--db", db_target, "SQLite file, or postgres://user@host:port/db (env O2C_DB)");
  serve->add_option("--port", port, "TCP port; 0 picks a free one")->check(CLI::Range(0, 65535));
  serve->add_option("--host", host, "address to listen on");
  serve->add_option("--today", today, "pin the business date (YYYY-MM-DD), for tests and demos");
  serve->add_option("--threads", threads, "worker threads, one per open connection (default 128)");
  serve->add_flag("--demo", demo, "seed the demo company if the database is empty; print a token per role");
  serve->add_flag("--test-payments", test_payments,
                  "turn on the test payment provider: portal checkouts complete by posting a signed Stripe event "
                  "to this server's own webhook (implied by --demo; without O2C_STRIPE_WEBHOOK_SECRET a random "
                  "secret is made for the process)");
  notify::WorkerOptions notify_opts;
  notify_opts.smtp_url = env_or("O2C_SMTP_URL", "");
  notify_opts.mail_from = env_or("O2C_MAIL_FROM", "");
  serve->add_option("--smtp-url", notify_opts.smtp_url,
                    "SMTP server for outgoing e-mail: smtp://host:port or smtps://user:password@host:port "
                    "(env O2C_SMTP_URL); without it e-mails wait, pending");
  serve->add_option("--mail-from", notify_opts.mail_from,
                    "sender of e-mails, 'Name <address>' or an address (env O2C_MAIL_FROM; default: the company's email)");
  serve->add_option("--notify-poll-ms", notify_opts.poll_ms, "how often the outbox worker looks for work")
      ->check(CLI::Range(10, 60000));
  serve->add_option("--notify-retry-ms", notify_opts.retry.base_ms,
                    "wait after a message's first failed attempt; doubles with each further one")
      ->check(CLI::Range(int64_t{1}, int64_t{86400000}));
  serve->add_option("--notify-retry-max-ms", notify_opts.retry.max_ms, "longest wait between two attempts")
      ->check(CLI::Range(int64_t{1}, int64_t{86400000}));
  serve->add_option("--notify-max-attempts", notify_opts.retry.max_attempts,
                    "attempts before a message is given up (status failed)")
      ->check(CLI::Range(1, 100));

  auto* demo_cmd = cli.add_subcommand(
      "demo", "Create the demo company on a new database: a seeded simulation of its trade over business days "
              "(orders, credit holds, backorders, shipments, invoices in EUR and USD, card and bank payments, camt.053 "
              "statements reconciled, dunning, disputes, credit notes), then print what it did");
  app::DemoOptions demo_opts;
  std::string demo_end;
  demo_cmd->add_option("--db", db_target, "a new SQLite file or postgres:// URL (env O2C_DB)");
  demo_cmd->add_option("--seed", demo_opts.seed, "the simulation's seed: the same seed gives the same company");
  demo_cmd->add_option("--days", demo_opts.days, "business days simulated (default 180)")
      ->check(CLI::Range(app::kDemoDaysMin, app::kDemoDaysMax));
  demo_cmd->add_option("--customers", demo_opts.customers, "customers, the five named ones included (default 200)")
      ->check(CLI::Range(app::kDemoCustomersMin, app::kDemoCustomersMax));
  demo_cmd->add_option("--products", demo_opts.products, "products, the eight named ones included (default 500)")
      ->check(CLI::Range(app::kDemoProductsMin, app::kDemoProductsMax));
  demo_cmd->add_option("--orders-per-day", demo_opts.orders_per_day, "orders on an average day (default 22)")
      ->check(CLI::Range(app::kDemoOrdersPerDayMin, app::kDemoOrdersPerDayMax));
  demo_cmd->add_option("--end", demo_end, "the last day simulated, YYYY-MM-DD (default today)");

  auto* migrate = cli.add_subcommand("migrate", "Apply the schema migrations that are missing (idempotent)");
  migrate->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");

  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user and print its API token alone on stdout");
  std::string user_name, role, customer, password_env;
  user_add->add_option("NAME", user_name, "user name")->required();
  user_add->add_option("--role", role, "admin|sales|credit|warehouse|accountant|viewer|portal")->required();
  user_add->add_option("--customer", customer, "customer id (portal users)");
  user_add->add_option("--password-env", password_env, "name of an environment variable holding a password");
  user_add->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");

  auto* verify = cli.add_subcommand("verify", "Check every invariant; exit 1 on any breach");
  verify->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");

  auto* bench = cli.add_subcommand("bench", "Benchmarks");
  bench->require_subcommand(1);
  auto* bench_store = bench->add_subcommand("store", "Durable write transactions per second, SQLite and PostgreSQL");
  int bench_seconds = 5;
  std::vector<int> bench_threads{1, 8};
  bool bench_no_group_commit = false;
  std::string bench_pg;
  bench_store->add_option("--seconds", bench_seconds, "duration per engine and thread count")
      ->check(CLI::Range(1, 600));
  bench_store->add_option("--threads", bench_threads, "concurrent writers, a comma-separated list (default 1,8)")
      ->delimiter(',')
      ->check(CLI::Range(1, 64));
  bench_store->add_flag("--no-group-commit", bench_no_group_commit, "SQLite: one COMMIT per transaction");
  bench_store->add_option("--pg", bench_pg,
                          "PostgreSQL URL to use; default: a throwaway local cluster (initdb/pg_ctl)");

  auto* bench_orders = bench->add_subcommand(
      "orders",
      "Orders placed per second with credit check and reservation, durable, through the use cases and over "
      "HTTP, on SQLite and PostgreSQL; each run on a fresh database, verified afterwards (exit 1 on a breach "
      "or an error)");
  o2c::cli::BenchOrdersOptions orders_opts;
  std::string orders_only;
  bench_orders->add_option("--orders", orders_opts.orders, "orders per engine, mode and client count")
      ->check(CLI::Range(1, 10000000));
  bench_orders->add_option("--customers", orders_opts.customers, "customers")->check(CLI::Range(1, 1000000));
  bench_orders->add_option("--skus", orders_opts.skus, "products")->check(CLI::Range(1, 1000000));
  bench_orders->add_option("--lines", orders_opts.lines, "lines per order (distinct SKUs, at most --skus)")
      ->check(CLI::Range(1, 100));
  bench_orders->add_option("--clients", orders_opts.clients, "concurrent clients, a comma-separated list (default 8)")
      ->delimiter(',')
      ->check(CLI::Range(1, 256));
  bench_orders->add_option("--pg", orders_opts.pg_url,
                           "PostgreSQL URL of a cluster to create scratch databases on (needs CREATEDB); "
                           "default: a throwaway local cluster (initdb/pg_ctl)");
  bench_orders->add_flag("--skip-pg", orders_opts.skip_pg, "SQLite only");
  bench_orders->add_option("--only", orders_only, "one mode only")->check(CLI::IsMember({"use-case", "http"}));

  auto* bench_billing = bench->add_subcommand(
      "billing",
      "Invoices issued per second for shipped orders (gapless numbering, ledger posting, durable), on SQLite and "
      "PostgreSQL, each run on a fresh database verified afterwards; then PDFs and UBL e-invoices rendered per "
      "second (exit 1 on a breach, an error or a bad document)");
  o2c::cli::BenchBillingOptions billing_opts;
  bench_billing->add_option("--orders", billing_opts.orders, "shipped orders to invoice per engine and client count")
      ->check(CLI::Range(1, 10000000));
  bench_billing->add_option("--customers", billing_opts.customers, "customers")->check(CLI::Range(1, 1000000));
  bench_billing->add_option("--skus", billing_opts.skus, "products")->check(CLI::Range(1, 1000000));
  bench_billing->add_option("--lines", billing_opts.lines, "lines per order (distinct SKUs, at most --skus)")
      ->check(CLI::Range(1, 100));
  bench_billing->add_option("--clients", billing_opts.clients,
                            "concurrent clients issuing invoices, a comma-separated list (default 8); also the "
                            "thread count of the second rendering pass")
      ->delimiter(',')
      ->check(CLI::Range(1, 256));
  bench_billing->add_option("--documents", billing_opts.documents,
                            "invoices rendered as PDF and as UBL per run (the oldest; at most --orders)")
      ->check(CLI::Range(0, 10000000));
  bench_billing->add_option("--pg", billing_opts.pg_url,
                            "PostgreSQL URL of a cluster to create scratch databases on (needs CREATEDB); "
                            "default: a throwaway local cluster (initdb/pg_ctl)");
  bench_billing->add_flag("--skip-pg", billing_opts.skip_pg, "SQLite only");

  auto* bench_payments = bench->add_subcommand(
      "payments",
      "Customer payments recorded per second against open invoices (oldest due first or explicit allocation, "
      "customer credit, ledger, durable), on SQLite and PostgreSQL, each run on a fresh database counted and "
      "verified afterwards (exit 1 on a breach or an error)");
  o2c::cli::BenchPaymentsOptions payments_opts;
  bench_payments->add_option("--payments", payments_opts.payments, "payments per engine and client count")
      ->check(CLI::Range(1, 10000000));
  bench_payments->add_option("--customers", payments_opts.customers, "customers")->check(CLI::Range(1, 1000000));
  bench_payments->add_option("--invoices-per-customer", payments_opts.invoices_per_customer,
                             "invoices seeded per customer (one shipped order each)")
      ->check(CLI::Range(1, 100));
  bench_payments->add_option("--clients", payments_opts.clients,
                             "concurrent clients recording payments, a comma-separated list (default 8)")
      ->delimiter(',')
      ->check(CLI::Range(1, 256));
  bench_payments->add_option("--pg", payments_opts.pg_url,
                             "PostgreSQL URL of a cluster to create scratch databases on (needs CREATEDB); "
                             "default: a throwaway local cluster (initdb/pg_ctl)");
  bench_payments->add_flag("--skip-pg", payments_opts.skip_pg, "SQLite only");

  auto* bench_reconcile = bench->add_subcommand(
      "reconcile",
      "Cash application from bank statements: a seeded company and a statement with realistic remittance noise; "
      "parse, match in memory (auto-match rate, wrong matches, suggestions), durable import with dedupe, and "
      "booking through run_reconciliation, each phase timed apart (exit 1 on a wrong match or a breach)");
  o2c::cli::BenchReconcileOptions reconcile_opts;
  std::string reconcile_format = "camt";
  std::vector<std::string> reconcile_phases;
  bench_reconcile->add_option("--lines", reconcile_opts.lines, "statement lines, a comma-separated list (default 100000)")
      ->delimiter(',')
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  bench_reconcile->add_option("--seed", reconcile_opts.seed, "generator seed (default 42)");
  bench_reconcile->add_option("--format", reconcile_format, "statement format: camt (camt.053, default) or mt940")
      ->check(CLI::IsMember({"camt", "mt940"}));
  bench_reconcile->add_option("--phases", reconcile_phases,
                              "phases to run, a comma-separated list of parse, match, import, book (default all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"parse", "match", "import", "book"}));
  bench_reconcile->add_option("--book", reconcile_opts.book,
                              "lines booked by the book phase (at most --lines; default 10000)")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  bench_reconcile->add_option("--pg", reconcile_opts.pg_url,
                              "PostgreSQL URL of a cluster to create scratch databases on (needs CREATEDB); "
                              "default: a throwaway local cluster (initdb/pg_ctl)");
  bench_reconcile->add_flag("--skip-pg", reconcile_opts.skip_pg, "SQLite only");
  bench_reconcile->add_option("--threads", reconcile_opts.threads,
                              "threads for the match phase: the lines ahead are prepared on the others while one "
                              "decides and settles in line order (default 2; 1 = match() line by line)")
      ->check(CLI::Range(1, 64));

  auto* bench_reports = bench->add_subcommand(
      "reports",
      "Receivables reports over a large history: a generated history of invoices, payments, bounces and credit "
      "notes written straight into a fresh database per engine (a reporting fixture, no ledger), then aging, DSO, "
      "the cash forecast and open items today and 18 months back, each run as its HTTP route runs it; min and "
      "median seconds");
  o2c::cli::BenchReportsOptions reports_opts;
  bench_reports->add_option("--invoices", reports_opts.invoices, "invoices in the history (default 1000000)")
      ->check(CLI::Range(int64_t{1}, int64_t{20000000}));
  bench_reports->add_option("--customers", reports_opts.customers, "customers (default 10000)")
      ->check(CLI::Range(1, 1000000));
  bench_reports->add_option("--seed", reports_opts.seed, "generator seed (default 42)");
  bench_reports->add_option("--runs", reports_opts.runs, "runs of each report (default 3)")->check(CLI::Range(1, 100));
  bench_reports->add_option("--pg", reports_opts.pg_url,
                            "PostgreSQL URL of a cluster to create a scratch database on (needs CREATEDB); "
                            "default: a throwaway local cluster (initdb/pg_ctl)");
  bench_reports->add_flag("--skip-pg", reports_opts.skip_pg, "SQLite only");
  bench_reports->add_option("--keep", reports_opts.keep_dir,
                            "leave the loaded databases behind to look into: SQLite as DIR/reports.db, PostgreSQL's "
                            "scratch database on the --pg cluster (needs --pg)");


  auto* import_cmd = cli.add_subcommand("import", "Import documents from files");
  import_cmd->require_subcommand(1);
  auto* import_orders = import_cmd->add_subcommand(
      "orders", "Place the orders of a CSV file, one row per order line grouped by order_ref; exit 1 on any bad row");
  std::string import_file, import_as;
  bool import_verbose = false;
  import_orders->add_option("FILE", import_file, "CSV with the header order_ref,customer_id,sku,quantity"
                                                 "[,unit_price,currency,external_ref,ship_to]")
      ->required();
  import_orders->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");
  import_orders->add_option("--as", import_as, "a sales user to place the orders as (default: the system actor 'import')");
  import_orders->add_flag("-v,--verbose", import_verbose, "also print each order placed");

  auto* import_statement = import_cmd->add_subcommand(
      "statement", "Import a bank statement (camt.053/052/054, MT940/MT942, or CSV with --profile); exit 1 if refused");
  o2c::cli::ImportStatementOptions statement_opts;
  import_statement->add_option("FILE", statement_opts.file, "the statement file")->required();
  import_statement->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");
  import_statement->add_option("--format", statement_opts.format, "camt, mt940, csv or auto (default: by content)");
  import_statement->add_option("--profile", statement_opts.profile, "CSV: the id or name of a bank CSV profile");
  import_statement->add_flag("--reconcile", statement_opts.reconcile, "run reconciliation over the open lines afterwards");

  auto* report = cli.add_subcommand("report", "Print a report as JSON or CSV (the API's reports, from the CLI)");
  o2c::cli::ReportOptions report_opts;
  report->add_option("NAME", report_opts.name, std::string("the report: ") + o2c::cli::report_names())->required();
  report->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");
  report->add_option("--as-of", report_opts.as_of, "YYYY-MM-DD (default: today); the statement's end date");
  report->add_option("--basis", report_opts.basis, "aging: due_date (default) or invoice_date");
  report->add_option("--days", report_opts.days, "dso: the window in days (default 90)");
  report->add_option("--customer", report_opts.customer, "aging, open-items: one customer; statement: required");
  report->add_option("--from", report_opts.from, "statement: first day (default: the first of the end's month)");
  report->add_option("--to", report_opts.to, "statement: last day (default: --as-of, else today)");
  report->add_option("--format", report_opts.format, "json (default) or csv; pdf for the statement");
  report->add_option("-o,--output", report_opts.output, "write to FILE instead of stdout");
  report->add_option("--today", report_opts.today, "the business date defaults count from (default: today, UTC)");
  report->add_option("--weeks-back", report_opts.weeks_back, "cash-forecast: past weeks of forecast against actual, 0 to 52");
  report->add_option("--lookback-days", report_opts.lookback_days,
                     "cash-forecast: days of payment history behind each customer's delay, 1 to 3650 (default 365)");
  report->add_option("--unlikely-after-days", report_opts.unlikely_after_days,
                     "cash-forecast: days past due after which a late invoice is not expected, 0 to 3650 (default 90)");
  report->add_option("--order-lead-days", report_opts.order_lead_days,
                     "cash-forecast: days from an order to its invoice, 0 to 365 (default 7)");

  auto* export_cmd = cli.add_subcommand("export", "Export data to files");
  export_cmd->require_subcommand(1);
  auto* export_journal = export_cmd->add_subcommand(
      "journal", "The ledger as an hledger journal (plain-text accounting), on stdout or into a file");
  std::string journal_from, journal_to, journal_out;
  export_journal->add_option("--from", journal_from, "first entry date YYYY-MM-DD; earlier entries become "
                                                     "opening balances");
  export_journal->add_option("--to", journal_to, "last entry date YYYY-MM-DD");
  export_journal->add_option("-o,--output", journal_out, "file to write (default: stdout)");
  export_journal->add_option("--db", db_target, "SQLite file or postgres:// URL (env O2C_DB)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = cli.exit(e);
    // The import promises 2 for usage errors, which scripts tell from 1 (bad rows).
    return rc != 0 && import_cmd->parsed() ? 2 : rc;
  }

  try {
    if (*serve) return run_serve(db_target, host, port, today, demo, test_payments, threads, notify_opts);
    if (*report) {
      report_opts.db_target = db_target;
      return o2c::cli::report_command(report_opts);
    }
    if (*demo_cmd) {
      if (!demo_end.empty()) {
        auto d = Date::parse(demo_end);
        if (!d.ok()) return fail("--end must be a date YYYY-MM-DD, got '" + demo_end + "'");
        demo_opts.end = *d;
      } else {
        demo_opts.end = Date::today_utc();
      }
      auto db = open_and_migrate(db_target, /*quiet=*/true);
      auto r = app::run_demo(*db, demo_opts);
      if (!r.ok()) return fail(r.error().message);
      std::fputs(app::demo_summary_text(*r).c_str(), stdout);
      std::printf("serve it: o2c serve --db %s --demo   (a token per role; `o2c verify --db %s` checks it)\n",
                  db_target.c_str(), db_target.c_str());
      return 0;
    }
    if (*migrate) {
      auto db = store::open_database(db_target);
      auto applied = store::migrate(*db);
      std::printf("%zu migration(s) applied; %s is at version %d\n", applied.size(), db->describe().c_str(),
                  store::embedded_migrations().empty() ? 0 : store::embedded_migrations().back().version);
      return 0;
    }
    if (*user_add) {
      auto db = open_and_migrate(db_target, /*quiet=*/true);
      app::SystemClock clock;
      app::NewUser nu{user_name, role, std::nullopt, std::nullopt};
      if (!customer.empty()) nu.customer_id = customer;
      if (!password_env.empty()) {
        const char* pw = std::getenv(password_env.c_str());
        if (!pw) return fail("environment variable " + password_env + " is not set");
        nu.password = pw;
      }
      auto created = app::create_user(*db, clock, nu, "cli");
      if (!created.ok()) {
        const auto& e = created.error();
        return fail(e.message + (e.field.empty() ? "" : " (" + e.field + ")"));
      }
      std::printf("%s\n", created->token.c_str());
      return 0;
    }
    if (*verify) {
      auto db = open_and_migrate(db_target, /*quiet=*/true);
      auto report = app::verify(*db);
      for (const auto& c : report.checks) std::printf("check: %s\n", c.c_str());
      for (const auto& b : report.breaches) std::printf("BREACH: %s\n", b.c_str());
      std::printf("%s: %zu check(s), %zu breach(es)\n", report.ok() ? "ok" : "FAILED", report.checks.size(),
                  report.breaches.size());
      return report.ok() ? 0 : 1;
    }
    if (*bench_orders) {
      if (orders_opts.lines > orders_opts.skus) return fail("--lines must not exceed --skus");
      if (orders_only == "use-case") orders_opts.modes = {o2c::cli::OrdersMode::use_case};
      if (orders_only == "http") orders_opts.modes = {o2c::cli::OrdersMode::http};
      return o2c::cli::bench_orders_command(orders_opts);
    }
    if (*bench_billing) {
      if (billing_opts.lines > billing_opts.skus) return fail("--lines must not exceed --skus");
      return o2c::cli::bench_billing_command(billing_opts);
    }
    if (*bench_payments) return o2c::cli::bench_payments_command(payments_opts);
    if (*bench_reports) {
      if (!reports_opts.keep_dir.empty() && !reports_opts.skip_pg && reports_opts.pg_url.empty()) {
        return fail("--keep needs --pg URL (a throwaway cluster goes with its databases) or --skip-pg");
      }
      return o2c::cli::bench_reports_command(reports_opts);
    }
    if (*bench_reconcile) {
      reconcile_opts.format =
          reconcile_format == "mt940" ? o2c::cli::recgen::Format::mt940 : o2c::cli::recgen::Format::camt053;
      if (!reconcile_phases.empty()) {
        reconcile_opts.phases.clear();
        for (const auto& p : reconcile_phases) {
          using P = o2c::cli::ReconcilePhase;
          reconcile_opts.phases.push_back(p == "parse" ? P::parse : p == "match" ? P::match : p == "import" ? P::import : P::book);
        }
      }
      return o2c::cli::bench_reconcile_command(reconcile_opts);
    }
    if (*import_orders) return o2c::cli::import_orders_command(db_target, import_file, import_as, import_verbose);
    if (*import_statement) {
      statement_opts.db_target = db_target;
      return o2c::cli::import_statement_command(statement_opts);
    }
    if (*export_journal) return o2c::cli::export_journal_command(db_target, journal_from, journal_to, journal_out);
    if (*bench_store) return o2c::cli::bench_store_command(bench_seconds, bench_threads, bench_pg, !bench_no_group_commit);
  } catch (const ErrorException& e) {
    return fail(e.error.message);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 0;
}
