#include "cli/commands/bench_billing.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "app/billing.h"
#include "app/masterdata.h"
#include "app/orders.h"
#include "app/shipping.h"
#include "app/users.h"
#include "app/verify.h"
#include "cli/commands/bench_support.h"
#include "core/error.h"
#include "formats/pdf/invoice_pdf.h"
#include "formats/ubl/ubl.h"
#include "store/migrate.h"
#include "store/orders_repo.h"
#include "store/postgres/pg_db.h"
#include "store/shipping_repo.h"

namespace o2c::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The order row first, as create_shipment locks it, so that a unit run
// again after a busy store cannot invoice an order twice: it finds the order
// invoiced and stops.
Result<billing::Invoice> invoice_one(app::Context& ctx, OrderId order_id, int64_t shipment_id) {
  auto o = store::orders::find(ctx.uow, order_id, true);
  if (!o) return Error::internal("order " + order_id.to_string() + " vanished");
  if (o->status != order::OrderStatus::shipped) {
    return Error::conflict("not_shipped", "order " + o->number + " is " + std::string(order::to_string(o->status)) +
                                              ", not shipped: invoiced twice, or never shipped in full");
  }
  auto s = store::shipments::find(ctx.uow, shipment_id);
  if (!s) return Error::internal("shipment " + std::to_string(shipment_id) + " vanished");
  O2C_ASSIGN_OR_RETURN(auto v, app::invoice_shipment(ctx, *o, *s));
  if (!v) return Error::internal("order " + o->number + ": no invoice issued (does the customer still bill consolidated?)");
  return std::move(*v);
}

void bill_per_shipment(store::Database& db, const app::Clock& clock, int customers) {
  in_batches(db, clock, customers, [&](app::Context& ctx, int c) {
    app::CustomerChanges ch;
    ch.billing = masterdata::Text("per_shipment");
    check_ok(app::update_customer(ctx, CustomerId(c + 1), ch), "billing of customer " + std::to_string(c + 1));
  });
}

struct Counted {
  int64_t invoices = 0;
  int64_t distinct_orders = 0;
  int64_t tax_groups = 0;
  int64_t orders_invoiced = 0;
  std::vector<int64_t> first_ids;  // the oldest invoices, for the documents
};

Counted count_billed(store::Database& db, int documents) {
  constexpr int kPage = 1000;
  Counted c;
  std::set<int64_t> orders;
  std::set<std::pair<std::string, int64_t>> groups;
  auto uow = db.begin(store::TxMode::read);
  store::invoices::ListFilter f;
  f.kind = billing::DocumentKind::invoice;
  for (store::PageRequest page{0, kPage};;) {
    auto batch = app::list_invoices(*uow, f, page);
    for (const auto& v : batch) {
      ++c.invoices;
      if (v.order_id) orders.insert(v.order_id->value());
      for (const auto& t : v.taxes) groups.emplace(std::string(masterdata::to_string(t.tax_category)), t.tax_rate_bp);
      if (static_cast<int>(c.first_ids.size()) < documents) c.first_ids.push_back(v.id);
    }
    if (static_cast<int>(batch.size()) < kPage) break;
    page.after = batch.back().id;
  }
  store::orders::ListFilter of;
  of.status = order::OrderStatus::invoiced;
  for (store::PageRequest page{0, kPage};;) {
    auto batch = app::list_orders(*uow, of, page);
    c.orders_invoiced += static_cast<int64_t>(batch.size());
    if (static_cast<int>(batch.size()) < kPage) break;
    page.after = batch.back().id.value();
  }
  c.distinct_orders = static_cast<int64_t>(orders.size());
  c.tax_groups = static_cast<int64_t>(groups.size());
  return c;
}

// What a reader of the file checks first: a PDF header, an XML declaration
// followed by the UBL root. The renderers' own tests check the rest.
std::optional<std::string> malformed(const std::string& format, const std::string& bytes) {
  if (format == "pdf") {
    if (bytes.rfind("%PDF-", 0) != 0) return "the PDF does not start with %PDF-";
    return std::nullopt;
  }
  if (bytes.empty()) return "the XML is empty";
  if (bytes.rfind("<?xml", 0) != 0 || bytes.find("<Invoice") == std::string::npos) {
    return "the XML has no declaration or no Invoice root";
  }
  return std::nullopt;
}

DocumentsRun render_documents(store::Database& db, const std::vector<int64_t>& ids, const std::string& format,
                              int threads) {
  DocumentsRun d;
  d.format = format;
  d.threads = threads;
  ClientsRun p(threads);
  std::atomic<int64_t> bytes{0};
  d.seconds = run_clients(static_cast<int64_t>(ids.size()), threads, p, [&](int) {
    return [&](int64_t k) {
      const int64_t id = ids[static_cast<size_t>(k)];
      auto fail = [&](const std::string& why) {
        p.error("invoice " + std::to_string(id) + ": " + why);
        return false;
      };
      auto uow = db.begin(store::TxMode::read);
      auto v = app::get_invoice(*uow, id);
      if (!v.ok()) return fail(v.error().message);
      auto doc = app::document_of(*uow, *v);
      if (!doc.ok()) return fail(doc.error().code + ": " + doc.error().message);
      uow.reset();  // the renderer needs no database: free the connection for the other threads
      auto out = format == "pdf" ? formats::pdf::render_invoice_pdf(*doc) : formats::ubl::to_ubl(*doc);
      if (!out.ok()) {
        return fail(out.error().code + ": " + out.error().message +
                    (out.error().field.empty() ? "" : " (" + out.error().field + ")"));
      }
      if (auto why = malformed(format, *out)) return fail(*why);
      bytes.fetch_add(static_cast<int64_t>(out->size()), std::memory_order_relaxed);
      return true;
    };
  });
  d.rendered = p.done.load();
  d.failures = p.errors.load();
  d.first_failure = p.first_error;
  d.per_s = d.seconds > 0 ? static_cast<double>(d.rendered) / d.seconds : 0;
  d.p50_ms = p.p50_ms();
  d.p99_ms = p.p99_ms();
  d.avg_kb = d.rendered > 0 ? static_cast<double>(bytes.load()) / static_cast<double>(d.rendered) / 1024.0 : 0;
  return d;
}

void print_invoices_row(const BillingRun& r) {
  print_durable_row({r.engine, "invoices", r.clients, r.issued, r.invoices_per_s, r.p50_ms, r.p99_ms, r.errors, r.retries,
                     r.tx_per_commit, r.seed_seconds, r.breaches.empty()});
}

void print_documents_row(const std::string& engine, const DocumentsRun& d) {
  char check[48];
  std::snprintf(check, sizeof check, "%s, avg %.1f KB", d.failures == 0 ? "ok" : "FAILED", d.avg_kb);
  std::printf("%-9s %-8s %7d %8lld %9.0f %8.2f %8.2f %7lld %7s %8s %7s  %s\n", engine.c_str(), d.format.c_str(),
              d.threads, static_cast<long long>(d.rendered), d.per_s, d.p50_ms, d.p99_ms,
              static_cast<long long>(d.failures), "-", "-", "-", check);
  std::fflush(stdout);
}

}  // namespace

// The seller as an invoice and a German e-invoice need it: VAT id, address
// with postal code, IBAN and BIC for the payment instructions and QR code,
// e-mail and phone (Peppol's German rules).
void complete_company(masterdata::CompanyDraft& c) {
  c.vat_id = "DE811907980";
  c.address = "Benchstraße 1\n10115 Berlin";
  c.iban = "DE89370400440532013000";
  c.bic = "COBADEFFXXX";
  c.peppol_id = "9930:DE811907980";
  c.email = "billing@bench.example";
  c.phone = "+49 30 1234567";
}

// Consolidated, so that shipping issues no invoice and bench billing's
// invoices are all its timed phase's. A VAT id (the e-invoice's electronic address) and
// an address the German rules accept.
void billing_customer(masterdata::CustomerDraft& d, int c) {
  char vat[16];
  std::snprintf(vat, sizeof vat, "DE2%08d", c + 1);
  d.vat_id = std::string(vat);
  d.address = "Kundenweg " + std::to_string(c + 1) + "\n10117 Berlin";
  d.billing = std::string("consolidated");
}

// Most SKUs at the standard rates (19 % and, for every third, 7 %), one in
// ten zero-rated and one in ten exempt, so that invoices carry several tax
// groups, the tax payable accounts per rate fill, and the e-invoices state
// exemptions.
void billing_product(masterdata::ProductDraft& d, int s) {
  if (s % 10 == 4 || s % 10 == 8) {
    d.tax_rate = std::string("0");
    d.tax_category = std::string(s % 10 == 4 ? "Z" : "E");
  }
}

Shipped place_and_ship(store::Database& db, const app::Clock& clock, const OrdersWorkload& w,
                       bool invoiced_on_shipping) {
  const int n = static_cast<int>(w.drafts.size());
  Shipped out;
  out.orders.resize(static_cast<size_t>(n));
  out.shipments.resize(static_cast<size_t>(n));
  if (invoiced_on_shipping) out.invoices.resize(static_cast<size_t>(n));
  in_batches(db, clock, n, [&](app::Context& ctx, int k) {
    auto o = app::place_order(ctx, w.drafts[static_cast<size_t>(k)]);
    check_ok(o, "order " + std::to_string(k + 1));
    const bool reserved =
        std::all_of(o->lines.begin(), o->lines.end(), [](const auto& l) { return l.reserved == l.quantity; });
    if (o->status != order::OrderStatus::open || !reserved) {
      throw ErrorException(Error::internal("bench seeding: order " + o->number + " is " +
                                           std::string(order::to_string(o->status)) +
                                           (reserved ? "" : " and not fully reserved") +
                                           "; the workload should let every order through"));
    }
    out.orders[static_cast<size_t>(k)] = o->id;
  });
  in_batches(db, clock, n, [&](app::Context& ctx, int k) {
    app::ShipmentDraft d;
    d.order_id = out.orders[static_cast<size_t>(k)].to_string();
    d.carrier = std::string("DHL");
    d.tracking_number = "BENCH" + std::to_string(k + 1);
    auto s = app::create_shipment(ctx, d);
    check_ok(s, "shipment of order " + std::to_string(k + 1));
    if (invoiced_on_shipping != s->invoice_id.has_value()) {
      throw ErrorException(Error::internal(
          "bench seeding: shipment of order " + std::to_string(k + 1) +
          (s->invoice_id ? " issued invoice " + s->invoice_number.value_or("") + "; the customers should bill consolidated"
                         : " issued no invoice; the customers should bill per shipment")));
    }
    if (s->invoice_id) out.invoices[static_cast<size_t>(k)] = *s->invoice_id;
    out.shipments[static_cast<size_t>(k)] = s->id;
  });
  return out;
}

OrdersWorkload make_billing_workload(const BenchBillingOptions& o) {
  BenchOrdersOptions oo;
  oo.orders = o.orders;
  oo.customers = o.customers;
  oo.skus = o.skus;
  oo.lines = o.lines;
  oo.clients = o.clients;
  oo.pg_url = o.pg_url;
  oo.skip_pg = o.skip_pg;
  return make_orders_workload(oo, OrdersShape{0, 0});
}

BillingRun run_billing_bench(store::Database& db, const std::string& engine, const OrdersWorkload& w, int clients,
                             int documents, const std::vector<int>& document_threads) {
  clients = std::clamp(clients, 1, 256);
  BillingRun r;
  r.engine = engine;
  r.clients = clients;
  app::SystemClock clock;
  store::migrate(db);

  const Clock::time_point seed_start = Clock::now();
  seed_orders_workload(db, clock, w, {complete_company, billing_customer, billing_product});
  const Shipped shipped = place_and_ship(db, clock, w, false);
  bill_per_shipment(db, clock, w.options.customers);
  auto accountant =
      app::create_user(db, clock, {std::string("bench-accountant"), std::string("accountant"), {}, {}}, "bench");
  check_ok(accountant, "accountant user");
  r.seed_seconds = seconds_since(seed_start);

  const CommitCounter commits(db);
  ClientsRun p(clients);
  r.seconds = run_clients(static_cast<int64_t>(shipped.orders.size()), clients, p, [&](int) {
    return [&](int64_t k) {
      const auto i = static_cast<size_t>(k);
      return write_unit(db, accountant->user, clock, p,
                        [&](app::Context& ctx) { return invoice_one(ctx, shipped.orders[i], shipped.shipments[i]); });
    };
  });
  r.tx_per_commit = commits.units_per_commit();
  r.issued = p.done.load();
  r.errors = p.errors.load();
  r.retries = p.retries.load();
  r.first_error = p.first_error;
  r.invoices_per_s = r.seconds > 0 ? static_cast<double>(r.issued) / r.seconds : 0;
  r.p50_ms = p.p50_ms();
  r.p99_ms = p.p99_ms();

  const Counted c = count_billed(db, documents);
  r.stored = c.invoices;
  r.orders_invoiced = c.orders_invoiced;
  r.tax_groups = c.tax_groups;
  auto mismatch = [&](const std::string& what, int64_t got) {
    if (got != r.issued) {
      r.breaches.push_back(what + ": " + std::to_string(got) + ", but " + std::to_string(r.issued) +
                           " invoices were acknowledged");
    }
  };
  mismatch("invoices stored", c.invoices);
  mismatch("orders invoiced by them", c.distinct_orders);
  mismatch("orders with status invoiced", c.orders_invoiced);
  for (auto& b : app::verify(db).breaches) r.breaches.push_back(std::move(b));

  if (!c.first_ids.empty()) {
    for (const char* format : {"pdf", "ubl"}) {
      for (int t : document_threads) {
        r.documents.push_back(render_documents(db, c.first_ids, format, std::clamp(t, 1, 256)));
      }
    }
  }
  return r;
}

int bench_billing_command(const BenchBillingOptions& options) {
  const OrdersWorkload w = make_billing_workload(options);
  const BenchOrdersOptions& o = w.options;
  std::printf(
      "o2c bench billing: %d shipped orders per run (%d lines each, %d customers billed per shipment, %d SKUs\n"
      "at VAT S 19 %%, S 7 %%, Z and E) invoiced one per durable unit of work by app::invoice_shipment: gapless\n"
      "number under the counter's row lock, ledger AR / revenue / tax payable per rate, order -> invoiced, audit\n"
      "and outbox; answered only once durable (SQLite synchronous=FULL with group commit, PostgreSQL\n"
      "synchronous_commit=on). A fresh database per run; seeding (master data, orders placed, reserved and\n"
      "shipped) is not timed. Latency per invoice. Then the first %d invoices as documents, per document a read\n"
      "unit, app::document_of and the renderer: pdf (pango/cairo, A4 with EPC QR code) and ubl (UBL 2.1,\n"
      "Peppol BIS 3), on 1 thread and on the client count.\n\n",
      o.orders, o.lines, o.customers, o.skus, options.documents);
  print_durable_header("threads");

  std::vector<BillingRun> runs;
  auto threads_for = [](int clients) {
    std::vector<int> t{1};
    if (clients > 1) t.push_back(clients);
    return t;
  };
  const bool engines_ok = for_each_engine(
      "o2c-bench-billing", options.skip_pg, options.pg_url, [&](const std::string& engine, const ScratchMaker& make) {
        for (int clients : options.clients) {
          ScratchDb s = make();
          runs.push_back(run_billing_bench(*s.db, engine, w, clients, options.documents, threads_for(clients)));
          const BillingRun& r = runs.back();
          print_invoices_row(r);
          for (const auto& d : r.documents) print_documents_row(r.engine, d);
        }
      });
  if (!engines_ok) return 1;

  std::printf("\n");
  bool failed = false;
  for (const auto& r : runs) {
    const std::string what = r.engine + " " + std::to_string(r.clients) + " client(s)";
    std::printf("%s: %lld invoices stored, %lld orders invoiced, %lld tax groups (category x rate) used\n",
                what.c_str(), static_cast<long long>(r.stored), static_cast<long long>(r.orders_invoiced),
                static_cast<long long>(r.tax_groups));
    for (const auto& d : r.documents) {
      if (d.failures == 0) continue;
      failed = true;
      std::printf("%s: %s on %d thread(s): %lld failure(s), the first: %s\n", what.c_str(), d.format.c_str(),
                  d.threads, static_cast<long long>(d.failures), d.first_failure.c_str());
    }
    if (report_run(what, r.errors, r.first_error, r.breaches)) failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace o2c::cli
