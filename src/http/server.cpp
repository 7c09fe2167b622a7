#include "http/server.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include <httplib.h>

#include "http/routes.h"

namespace o2c::http {
namespace {

constexpr int kListenBacklog = 1024;

// Debian's cpp-httplib is built with a listen backlog of 5: a burst of new
// connections overflows it and some clients see their connection dropped
// (20 concurrent clients lost ~4 requests in 1 run of 6). Linux lets listen()
// be called again on a listening socket to change the backlog, and httplib
// does not expose its socket, so find it: the listening TCP socket on our port.
void widen_listen_backlog(int port) {
  for (int fd = 3; fd < 4096; ++fd) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int bound = 0;
    if (addr.ss_family == AF_INET) {
      bound = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    }
    if (bound == port) ::listen(fd, kListenBacklog);
  }
}

}  // namespace

constexpr int kDefaultThreads = 128;

struct Server::Impl {
  Impl(store::Database& db, const app::Clock& clock, const ServeOptions& o)
      : opts(o), router(db, clock, metrics) {}
  ServeOptions opts;
  Metrics metrics;
  Router router;
  httplib::Server server;
  app::PaymentProviders providers;
  std::atomic<int> port{0};  // once bound: where the test provider posts its events
};

namespace {

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Server::Server(store::Database& db, const app::Clock& clock, const ServeOptions& opts)
    : impl_(std::make_unique<Impl>(db, clock, opts)) {
  Router& router = impl_->router;
  add_system_routes(router, impl_->metrics);
  add_masterdata_routes(router);
  add_order_routes(router);
  add_shipping_routes(router);
  add_billing_routes(router);
  add_payment_routes(router);
  add_bank_routes(router);
  add_collection_routes(router);
  add_report_routes(router);
  add_forecast_routes(router);
  add_webhook_routes(router, {opts.stripe_webhook_secret});
  if (opts.test_payments && !opts.stripe_webhook_secret.empty()) {
    app::TestProviderSettings t;
    t.webhook_secret = opts.stripe_webhook_secret;
    t.post = loopback_webhook_poster(opts.host, impl_->port);
    t.unix_now = unix_now;
    // The event's date is the business date (it becomes the payment's
    // received_on), at the time of day it is now.
    t.created_unix = [&clock] { return int64_t{clock.today().days()} * 86400 + unix_now() % 86400; };
    impl_->providers.add(app::make_test_provider(std::move(t)));
  }
  add_checkout_routes(router, impl_->providers);
  add_notify_routes(router);
  add_session_routes(router);
  add_web_routes(router);
  router.set_request_log(opts.log_requests);

  httplib::Server& server = impl_->server;
  // httplib serves a connection on one pool thread for as long as it is kept
  // alive: with fewer threads than busy keep-alive clients, the rest wait for
  // a whole keep-alive period (p99 of 780 ms measured with 16 threads and 32
  // clients). So: many threads, and connections recycled after 100 requests.
  // Nagle off, or every small response waits ~40 ms.
  int threads = opts.threads > 0 ? opts.threads : kDefaultThreads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_payload_max_length(kUploadMaxBytes);  // each route checks its own limit
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}});
  router.mount(server);
}

Server::~Server() { stop(); }

int Server::bind() {
  const ServeOptions& o = impl_->opts;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.host);
    if (port < 0) return -1;
  } else if (!impl_->server.bind_to_port(o.host, port)) {
    return -1;
  }
  widen_listen_backlog(port);
  impl_->port = port;
  return port;
}

bool Server::run() { return impl_->server.listen_after_bind(); }

void Server::stop() { impl_->server.stop(); }

bool Server::running() const { return impl_->server.is_running(); }

bool serve(store::Database& db, const app::Clock& clock, const ServeOptions& opts,
           const std::function<void(int port)>& on_listening) {
  Server server(db, clock, opts);
  const int port = server.bind();
  if (port < 0) return false;
  // SIGINT/SIGTERM are taken by one thread with sigwait, so that stopping
  // runs as ordinary code and not inside an async signal handler. The mask
  // is set before the worker threads exist, so they inherit it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  on_listening(port);
  bool ok = server.run();
  // Wake the stopper if the server ended on its own.
  pthread_kill(stopper.native_handle(), SIGUSR1);
  stopper.join();
  return ok;
}

}  // namespace o2c::http
