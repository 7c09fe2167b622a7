#include "cli/commands/bench_orders.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/masterdata.h"
#include "app/users.h"
#include "app/verify.h"
#include "cli/commands/bench_support.h"
#include "core/error.h"
#include "http/server.h"
#include "store/migrate.h"
#include "store/postgres/pg_db.h"

namespace o2c::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxQuantity = 5;
// Share of a SKU's stock in the first warehouse; the rest in the second, so
// that some lines reserve across both.
constexpr int64_t kFirstWarehousePercent = 60;

std::string sku_of(int s) {
  char b[16];
  std::snprintf(b, sizeof b, "B-%05d", s);
  return b;
}

// Unit price in cents: 1.00 to 50.75 EUR.
int64_t price_cents_of(int s) { return 100 + static_cast<int64_t>((s * 37) % 200) * 25; }

masterdata::Text text(std::string s) { return masterdata::Text(std::move(s)); }

struct Counts {
  int64_t orders = 0, held = 0, backordered = 0;
};

Counts count_orders(store::Database& db) {
  constexpr int kPage = 1000;
  Counts c;
  auto uow = db.begin(store::TxMode::read);
  for (store::PageRequest page{0, kPage};;) {
    auto batch = app::list_orders(*uow, {}, page);
    for (const auto& o : batch) {
      ++c.orders;
      if (o.status == order::OrderStatus::credit_hold) ++c.held;
      if (o.status == order::OrderStatus::open &&
          std::any_of(o.lines.begin(), o.lines.end(), [](const auto& l) { return l.reserved < l.quantity; })) {
        ++c.backordered;
      }
    }
    if (static_cast<int>(batch.size()) < kPage) break;
    page.after = batch.back().id.value();
  }
  return c;
}

double place_use_case(store::Database& db, const app::Clock& clock, const app::Actor& sales,
                      const OrdersWorkload& w, int clients, ClientsRun& p) {
  return run_clients(static_cast<int64_t>(w.drafts.size()), clients, p, [&](int) {
    return [&](int64_t k) {
      return write_unit(db, sales, clock, p,
                        [&](app::Context& ctx) { return app::place_order(ctx, w.drafts[static_cast<size_t>(k)]); });
    };
  });
}

double place_http(store::Database& db, const app::Clock& clock, const std::string& token, const OrdersWorkload& w,
                  int clients, ClientsRun& p) {
  // A client writing to a connection the server just closed must get EPIPE, not die.
  std::signal(SIGPIPE, SIG_IGN);
  http::ServeOptions so;
  so.host = "127.0.0.1";
  so.port = 0;
  // 100 000 log lines on stderr would bury the table; metrics still count each request.
  so.log_requests = false;
  http::Server server(db, clock, so);
  const int port = server.bind();
  if (port < 0) throw ErrorException(Error::internal("bench: the HTTP server could not bind a loopback port"));
  std::thread runner([&] { server.run(); });
  struct StopOnExit {
    http::Server& s;
    std::thread& t;
    ~StopOnExit() {
      // stop() is a no-op until run() has started accepting: wait for that first.
      for (int i = 0; i < 10000 && !s.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      s.stop();
      t.join();
    }
  } stop_on_exit{server, runner};
  for (int i = 0; i < 10000 && !server.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server.running()) throw ErrorException(Error::internal("bench: the HTTP server did not start"));

  const httplib::Headers headers{{"Authorization", "Bearer " + token}};
  return run_clients(static_cast<int64_t>(w.drafts.size()), clients, p, [&](int) {
    auto client = std::make_shared<httplib::Client>("127.0.0.1", port);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);  // else each request's body waits ~40 ms behind its headers (Nagle)
    client->set_connection_timeout(10, 0);
    client->set_read_timeout(60, 0);
    client->set_write_timeout(60, 0);
    return [&, client](int64_t k) {
      auto res = client->Post("/api/v1/orders", headers, w.bodies[static_cast<size_t>(k)], "application/json");
      if (!res) {
        p.error("no response: " + httplib::to_string(res.error()));
        return false;
      }
      if (res->status != 201) {
        p.error("HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 300));
        return false;
      }
      return true;
    };
  });
}

void print_header() {
  std::printf("%-9s %-9s %7s %8s %9s %8s %8s %7s %6s %8s %8s %7s  %s\n", "engine", "mode", "clients", "orders",
              "orders/s", "p50 ms", "p99 ms", "errors", "held", "backord", "tx/COMM", "seed s", "verify");
  std::fflush(stdout);
}

void print_row(const OrdersRun& r) {
  char commit[16] = "-";
  if (r.tx_per_commit > 0) std::snprintf(commit, sizeof commit, "%.1f", r.tx_per_commit);
  std::printf("%-9s %-9s %7d %8lld %9.0f %8.2f %8.2f %7lld %6lld %8lld %8s %7.1f  %s\n", r.engine.c_str(),
              std::string(to_string(r.mode)).c_str(), r.clients, static_cast<long long>(r.placed), r.orders_per_s,
              r.p50_ms, r.p99_ms, static_cast<long long>(r.errors), static_cast<long long>(r.held),
              static_cast<long long>(r.backordered), commit, r.seed_seconds,
              r.breaches.empty() ? "ok" : "BREACH");
  std::fflush(stdout);
}

}  // namespace

std::string_view to_string(OrdersMode m) { return m == OrdersMode::http ? "http" : "use-case"; }

void seed_orders_workload(store::Database& db, const app::Clock& clock, const OrdersWorkload& w,
                          const SeedProfile& profile) {
  const BenchOrdersOptions& o = w.options;
  in_batches(db, clock, 1, [&](app::Context& ctx, int) {
    masterdata::CompanyDraft c;
    c.name = "o2c Bench GmbH";
    c.country = "DE";
    c.currency = "EUR";
    c.time_zone = "Europe/Berlin";
    if (profile.company) profile.company(c);
    check_ok(app::put_company(ctx, c), "company");
    check_ok(app::create_warehouse(ctx, {text("W1"), text("Bench main"), int64_t{10}}), "warehouse W1");
    check_ok(app::create_warehouse(ctx, {text("W2"), text("Bench overflow"), int64_t{20}}), "warehouse W2");
  });
  in_batches(db, clock, o.customers, [&](app::Context& ctx, int c) {
    masterdata::CustomerDraft d;
    d.name = "Bench customer " + std::to_string(c + 1);
    d.email = "ap" + std::to_string(c + 1) + "@bench.example";
    d.currency = "EUR";
    d.credit_limit = w.credit_limits[static_cast<size_t>(c)];
    d.payment_terms = "NET30";
    d.country = "DE";
    if (profile.customer) profile.customer(d, c);
    check_ok(app::create_customer(ctx, d), "customer " + std::to_string(c + 1));
  });
  in_batches(db, clock, o.skus, [&](app::Context& ctx, int s) {
    const int64_t price = price_cents_of(s);
    masterdata::ProductDraft d{text(sku_of(s)),          text("Bench item " + std::to_string(s)),
                               text(cents_text(price)),  text("EUR"),
                               text(s % 3 == 0 ? "7" : "19"), text("S"),
                               text(cents_text(price / 2))};
    if (profile.product) profile.product(d, s);
    check_ok(app::create_product(ctx, d), "product " + sku_of(s));
  });
  in_batches(db, clock, o.skus, [&](app::Context& ctx, int s) {
    const int64_t units = w.stock_units[static_cast<size_t>(s)];
    const int64_t first = units * kFirstWarehousePercent / 100;
    const std::string cost = cents_text(price_cents_of(s) / 2);
    for (const auto& [wh, qty] : {std::pair{"W1", first}, std::pair{"W2", units - first}}) {
      if (qty <= 0) continue;  // a receipt of nothing is refused, rightly
      check_ok(app::receive_stock(ctx, {text(wh), text(sku_of(s)), text(std::to_string(qty)), text(cost), {}}),
               "stock of " + sku_of(s));
    }
  });
}

OrdersWorkload make_orders_workload(const BenchOrdersOptions& options, const OrdersShape& shape) {
  OrdersWorkload w;
  w.options = options;
  const int customers = std::max(1, options.customers);
  const int skus = std::max(1, options.skus);
  const int lines = std::clamp(options.lines, 1, skus);
  w.options.customers = customers;
  w.options.skus = skus;
  w.options.lines = lines;
  const auto n = static_cast<size_t>(std::max(0, options.orders));
  std::vector<int64_t> net_cents(static_cast<size_t>(customers), 0);
  std::vector<int64_t> demand(static_cast<size_t>(skus), 0);
  w.drafts.reserve(n);
  w.bodies.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    // Consecutive orders go to consecutive customers, so concurrent clients
    // rarely wait on one customer's row lock: the run measures the engine,
    // not a queue on one customer.
    const int customer = static_cast<int>(k % static_cast<size_t>(customers));
    app::OrderDraft d;
    d.customer_id = std::to_string(customer + 1);  // ids are given in insertion order on a fresh database
    nlohmann::json body = {{"customer_id", *d.customer_id}, {"lines", nlohmann::json::array()}};
    std::vector<int> chosen;
    for (uint64_t h = mix(k); static_cast<int>(chosen.size()) < lines; h = mix(h)) {
      const int s = static_cast<int>(h % static_cast<uint64_t>(skus));
      if (std::find(chosen.begin(), chosen.end(), s) != chosen.end()) continue;
      chosen.push_back(s);
      const int qty = 1 + static_cast<int>((h >> 32) % kMaxQuantity);
      d.lines.push_back({text(sku_of(s)), text(std::to_string(qty)), {}});
      body["lines"].push_back({{"sku", sku_of(s)}, {"quantity", std::to_string(qty)}});
      net_cents[static_cast<size_t>(customer)] += qty * price_cents_of(s);
      demand[static_cast<size_t>(s)] += qty;
    }
    w.drafts.push_back(std::move(d));
    w.bodies.push_back(body.dump());
  }
  for (int c = 0; c < customers; ++c) {
    const int64_t net = net_cents[static_cast<size_t>(c)];
    // Twice the net covers the total with any tax rate used here (<= 19 %),
    // so only the limited customers are ever held.
    const bool limited = shape.limited_customer_every > 0 && c % shape.limited_customer_every == 0;
    w.credit_limits.push_back(cents_text(limited ? net / 2 : 2 * net + 100000));
  }
  for (int s = 0; s < skus; ++s) {
    const int64_t d = demand[static_cast<size_t>(s)];
    const bool short_sku = shape.short_sku_every > 0 && s % shape.short_sku_every == 0;
    w.stock_units.push_back(short_sku ? d / 2 : d + d / 10 + 5);
  }
  return w;
}

OrdersRun run_orders(store::Database& db, const std::string& engine, const OrdersWorkload& w, OrdersMode mode,
                     int clients) {
  clients = std::clamp(clients, 1, 256);
  OrdersRun r;
  r.engine = engine;
  r.mode = mode;
  r.clients = clients;
  app::SystemClock clock;
  store::migrate(db);

  const Clock::time_point seed_start = Clock::now();
  seed_orders_workload(db, clock, w);
  auto sales = app::create_user(db, clock, {std::string("bench-sales"), std::string("sales"), {}, {}}, "bench");
  check_ok(sales, "sales user");
  r.seed_seconds = std::chrono::duration<double>(Clock::now() - seed_start).count();

  const CommitCounter commits(db);
  ClientsRun p(clients);
  r.seconds = mode == OrdersMode::use_case ? place_use_case(db, clock, sales->user, w, clients, p)
                                           : place_http(db, clock, sales->token, w, clients, p);
  r.tx_per_commit = commits.units_per_commit();

  r.placed = p.done.load();
  r.errors = p.errors.load();
  r.retries = p.retries.load();
  r.first_error = p.first_error;
  r.orders_per_s = r.seconds > 0 ? static_cast<double>(r.placed) / r.seconds : 0;
  r.p50_ms = p.p50_ms();
  r.p99_ms = p.p99_ms();

  const Counts c = count_orders(db);
  r.stored = c.orders;
  r.held = c.held;
  r.backordered = c.backordered;
  if (r.stored != r.placed) {
    r.breaches.push_back("orders: " + std::to_string(r.placed) + " acknowledged but " + std::to_string(r.stored) +
                         " stored");
  }
  for (auto& b : app::verify(db).breaches) r.breaches.push_back(std::move(b));
  return r;
}

int bench_orders_command(const BenchOrdersOptions& options) {
  const OrdersWorkload w = make_orders_workload(options);
  const BenchOrdersOptions& o = w.options;
  std::printf("o2c bench orders: %d orders per run (%d lines each, %d customers, %d SKUs, 2 warehouses),\n"
              "placed with credit check and reservation, each durable before it is answered (SQLite\n"
              "synchronous=FULL with group commit, PostgreSQL synchronous_commit=on); a fresh database per run.\n"
              "use-case: app::place_order in its own write unit of work per order; http: POST /api/v1/orders\n"
              "to the server in this process (request log off), keep-alive clients. Latency per order.\n\n",
              o.orders, o.lines, o.customers, o.skus);
  print_header();

  std::vector<OrdersRun> runs;
  const bool engines_ok = for_each_engine(
      "o2c-bench-orders", o.skip_pg, o.pg_url, [&](const std::string& engine, const ScratchMaker& make) {
        for (int clients : o.clients) {
          for (OrdersMode mode : o.modes) {
            ScratchDb s = make();
            runs.push_back(run_orders(*s.db, engine, w, mode, clients));
            print_row(runs.back());
          }
        }
      });
  if (!engines_ok) return 1;

  std::printf("\n");
  bool failed = false;
  for (const auto& r : runs) {
    const std::string what = r.engine + " " + std::string(to_string(r.mode)) + " " + std::to_string(r.clients) +
                             " client(s)";
    if (report_run(what, r.errors, r.first_error, r.breaches)) failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace o2c::cli
