#include "cli/commands/bench_payments.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "app/billing.h"
#include "app/payments.h"
#include "app/users.h"
#include "app/verify.h"
#include "cli/commands/bench_billing.h"
#include "cli/commands/bench_support.h"
#include "core/error.h"
#include "store/migrate.h"
#include "store/postgres/pg_db.h"

namespace o2c::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Few lines per order: the invoices only need totals to pay, and seeding
// 20 000 orders is the longest part of a run.
constexpr int kLines = 2;
constexpr int kMaxSkus = 500;
// What a payment made after everything is paid brings: credit only.
constexpr int64_t kLateCreditMinor = 1000;

int payments_of(int64_t n, int customers, int c) {
  return static_cast<int>(n / customers + (c < n % customers ? 1 : 0));
}

OrdersWorkload payments_workload(const BenchPaymentsOptions& o) {
  BenchBillingOptions b;
  b.customers = std::max(1, o.customers);
  b.orders = b.customers * std::max(1, o.invoices_per_customer);
  b.skus = std::clamp(b.orders, 10, kMaxSkus);
  b.lines = kLines;
  return make_billing_workload(b);
}

struct Invoices {
  std::vector<std::vector<SeededInvoice>> by_customer;
  int64_t count = 0, paid = 0, open_minor = 0;
};

Invoices read_invoices(store::Database& db, int customers) {
  constexpr int kPage = 1000;
  Invoices out;
  out.by_customer.resize(static_cast<size_t>(customers));
  auto uow = db.begin(store::TxMode::read);
  store::invoices::ListFilter f;
  f.kind = billing::DocumentKind::invoice;
  for (store::PageRequest page{0, kPage};;) {
    auto batch = app::list_invoices(*uow, f, page);
    for (const auto& v : batch) {
      const int64_t c = v.customer_id.value() - 1;
      if (c < 0 || c >= customers) throw ErrorException(Error::internal("bench: invoice of an unknown customer"));
      out.by_customer[static_cast<size_t>(c)].push_back({v.id, v.total_minor});
      ++out.count;
      if (v.status == billing::InvoiceStatus::paid) ++out.paid;
      out.open_minor += v.open_minor;
    }
    if (static_cast<int>(batch.size()) < kPage) break;
    page.after = batch.back().id;
  }
  return out;
}

int64_t count_payments(store::Database& db) {
  constexpr int kPage = 1000;
  int64_t n = 0;
  auto uow = db.begin(store::TxMode::read);
  for (store::PageRequest page{0, kPage};;) {
    auto batch = app::list_payments(*uow, std::nullopt, page);
    n += static_cast<int64_t>(batch.size());
    if (static_cast<int>(batch.size()) < kPage) break;
    page.after = batch.back().id;
  }
  return n;
}

app::PaymentDraft draft_of(const PlannedPayment& p, int64_t k, const std::string& received_on) {
  app::PaymentDraft d;
  d.customer_id = std::to_string(p.customer + 1);
  d.amount = cents_text(p.amount_minor);
  d.currency = std::string("EUR");
  d.method = std::string("bank_transfer");
  d.reference = "BENCH-PAY-" + std::to_string(k + 1);
  d.received_on = received_on;
  if (p.invoice_id) {
    d.allocations = std::vector<app::AllocationDraft>{{std::to_string(*p.invoice_id), cents_text(p.amount_minor)}};
  }
  return d;
}

void print_row(const PaymentsRun& r) {
  print_durable_row({r.engine, "payments", r.clients, r.applied, r.payments_per_s, r.p50_ms, r.p99_ms, r.errors,
                     r.retries, r.tx_per_commit, r.seed_seconds, r.breaches.empty()});
}

}  // namespace

std::vector<PlannedPayment> plan_payments(const std::vector<std::vector<SeededInvoice>>& by_customer, int64_t n,
                                          int64_t* credit_minor) {
  const int customers = static_cast<int>(by_customer.size());
  std::vector<PlannedPayment> out(static_cast<size_t>(std::max<int64_t>(0, n)));
  int64_t credit = 0;
  if (customers == 0) out.clear();
  for (int c = 0; c < customers && c < n; ++c) {
    const auto& inv = by_customer[static_cast<size_t>(c)];
    std::vector<int64_t> ends;  // ends[i]: what paying invoices 0..i in full takes
    int64_t owed = 0;
    for (const auto& v : inv) ends.push_back(owed += v.total_minor);
    const int count = payments_of(n, customers, c);
    // `paid` follows the state the store will be in: every payment, explicit
    // ones included, goes to the oldest open invoice first, so what is paid
    // is always a prefix of `ends`, whatever the payment's kind.
    int64_t paid = 0;
    for (int j = 0; j < count; ++j) {
      PlannedPayment p;
      p.customer = c;
      p.seq = j;
      const bool last = j == count - 1;
      if (paid >= owed) {
        p.amount_minor = kLateCreditMinor;
        credit += p.amount_minor;
      } else {
        // Even shares of what is owed: with more payments than invoices
        // each invoice is first partly, then fully paid.
        const int64_t target = owed * (j + 1) / count;
        p.amount_minor = std::max<int64_t>(target - paid, 1);
        if ((c + j) % 10 == 9 && !last) {
          // One invoice only, and no more than it has open: allocating more
          // than is open is refused, not turned into credit.
          const size_t i = static_cast<size_t>(std::upper_bound(ends.begin(), ends.end(), paid) - ends.begin());
          p.amount_minor = std::min(p.amount_minor, ends[i] - paid);
          p.invoice_id = inv[i].id;
        }
        paid += p.amount_minor;
        if (last && c % 10 == 3) {
          const int64_t extra = owed / 20 + 100;
          p.amount_minor += extra;
          credit += extra;
        }
      }
      out[static_cast<size_t>(c + static_cast<int64_t>(j) * customers)] = p;
    }
  }
  if (credit_minor) *credit_minor = credit;
  return out;
}

PaymentsRun run_payments_bench(store::Database& db, const std::string& engine, const BenchPaymentsOptions& options,
                               int clients) {
  clients = std::clamp(clients, 1, 256);
  PaymentsRun r;
  r.engine = engine;
  r.clients = clients;
  app::SystemClock clock;
  store::migrate(db);

  const OrdersWorkload w = payments_workload(options);
  const int customers = w.options.customers;
  const Clock::time_point seed_start = Clock::now();
  seed_orders_workload(db, clock, w,
                       {complete_company,
                        [](masterdata::CustomerDraft& d, int c) {
                          billing_customer(d, c);
                          d.billing = std::string("per_shipment");
                        },
                        billing_product});
  place_and_ship(db, clock, w, true);
  auto accountant =
      app::create_user(db, clock, {std::string("bench-accountant"), std::string("accountant"), {}, {}}, "bench");
  check_ok(accountant, "accountant user");
  r.seed_seconds = std::chrono::duration<double>(Clock::now() - seed_start).count();

  const Invoices seeded = read_invoices(db, customers);
  const int64_t n = std::max(0, options.payments);
  const std::vector<PlannedPayment> plan = plan_payments(seeded.by_customer, n, &r.planned_credit_minor);
  r.explicit_allocations = std::count_if(plan.begin(), plan.end(), [](const auto& p) { return p.invoice_id.has_value(); });
  for (int c = n < customers ? static_cast<int>(n) : customers; c < customers; ++c) {
    for (const auto& v : seeded.by_customer[static_cast<size_t>(c)]) r.expected_open_minor += v.total_minor;
  }
  const std::string received_on = clock.today().to_string();

  // A customer's payments are recorded in their planned order: an explicit
  // allocation is only valid against the open amounts its predecessors
  // leave. With far more customers than clients nobody ever waits here;
  // with few customers this is what keeps the run deterministic.
  auto next_seq = std::make_unique<std::atomic<int>[]>(static_cast<size_t>(customers));
  const CommitCounter commits(db);
  ClientsRun p(clients);
  r.seconds = run_clients(n, clients, p, [&](int) {
    return [&](int64_t k) {
      const PlannedPayment& pp = plan[static_cast<size_t>(k)];
      std::atomic<int>& turn = next_seq[static_cast<size_t>(pp.customer)];
      while (turn.load(std::memory_order_acquire) != pp.seq) std::this_thread::yield();
      // Passed on even when this payment throws, so that no later payment of
      // the customer waits for ever.
      struct Pass {
        std::atomic<int>& turn;
        ~Pass() { turn.fetch_add(1, std::memory_order_release); }
      } pass{turn};
      const app::PaymentDraft d = draft_of(pp, k, received_on);
      return write_unit(db, accountant->user, clock, p, [&](app::Context& ctx) { return app::record_payment(ctx, d); });
    };
  });
  r.tx_per_commit = commits.units_per_commit();
  r.applied = p.done.load();
  r.errors = p.errors.load();
  r.retries = p.retries.load();
  r.first_error = p.first_error;
  r.payments_per_s = r.seconds > 0 ? static_cast<double>(r.applied) / r.seconds : 0;
  r.p50_ms = p.p50_ms();
  r.p99_ms = p.p99_ms();

  r.stored = count_payments(db);
  const Invoices after = read_invoices(db, customers);
  r.invoices = after.count;
  r.invoices_paid = after.paid;
  r.open_minor = after.open_minor;
  if (r.stored != r.applied) {
    r.breaches.push_back("payments stored: " + std::to_string(r.stored) + ", but " + std::to_string(r.applied) +
                         " were acknowledged");
  }
  // Only a run without errors pays exactly what was planned.
  if (r.errors == 0 && r.open_minor != r.expected_open_minor) {
    r.breaches.push_back("left open on the invoices: " + cents_text(r.open_minor) + ", but the payments should leave " +
                         cents_text(r.expected_open_minor));
  }
  for (auto& b : app::verify(db).breaches) r.breaches.push_back(std::move(b));
  return r;
}

int bench_payments_command(const BenchPaymentsOptions& options) {
  const int customers = std::max(1, options.customers);
  const int per_customer = std::max(1, options.invoices_per_customer);
  std::printf(
      "o2c bench payments: %d payments per run across %d customers' %d invoices (%d each, %d lines), recorded\n"
      "one per durable unit of work by app::record_payment: the customer's open items read and locked, oldest due\n"
      "first (every ~10th payment allocated explicitly to one invoice), invoices settled, the rest customer credit,\n"
      "ledger bank / AR / customer credit, audit and outbox; answered only once durable (SQLite synchronous=FULL\n"
      "with group commit, PostgreSQL synchronous_commit=on). Amounts pay each customer's invoices partly, then\n"
      "fully; the last payment of every 10th customer overpays. A fresh database per run; seeding (master data,\n"
      "orders placed, shipped and invoiced per shipment) is not timed. Latency per payment.\n\n",
      options.payments, customers, customers * per_customer, per_customer, kLines);
  print_durable_header("clients");

  std::vector<PaymentsRun> runs;
  const bool engines_ok = for_each_engine(
      "o2c-bench-payments", options.skip_pg, options.pg_url, [&](const std::string& engine, const ScratchMaker& make) {
        for (int clients : options.clients) {
          ScratchDb s = make();
          runs.push_back(run_payments_bench(*s.db, engine, options, clients));
          print_row(runs.back());
        }
      });
  if (!engines_ok) return 1;

  std::printf("\n");
  bool failed = false;
  for (const auto& r : runs) {
    const std::string what = r.engine + " " + std::to_string(r.clients) + " client(s)";
    std::printf("%s: %lld payments stored (%lld allocated explicitly), %lld of %lld invoices paid, %s open, %s "
                "overpaid as credit\n",
                what.c_str(), static_cast<long long>(r.stored), static_cast<long long>(r.explicit_allocations),
                static_cast<long long>(r.invoices_paid), static_cast<long long>(r.invoices),
                cents_text(r.open_minor).c_str(), cents_text(r.planned_credit_minor).c_str());
    if (report_run(what, r.errors, r.first_error, r.breaches)) failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace o2c::cli
