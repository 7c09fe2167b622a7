#pragma once
#include <functional>
#include <memory>
#include <string>

#include "app/context.h"
#include "store/db.h"

namespace o2c::http {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  int threads = 0;  // 0 = a default from the core count
  bool log_requests = true;  // one JSON line per request on stderr
  // Signing secret of POST /webhooks/stripe; empty: the route answers 503.
  std::string stripe_webhook_secret;
  // The built-in test payment provider (o2c serve --test-payments, --demo):
  // it signs its events with stripe_webhook_secret, which must be set.
  bool test_payments = false;
};

// The API, configured as `o2c serve` runs it, for a caller that owns the
// thread it runs on and decides when it ends (serve() below; an in-process
// benchmark or test).
class Server {
 public:
  Server(store::Database& db, const app::Clock& clock, const ServeOptions& opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens on opts.host:opts.port; returns the port (the one
  // picked when opts.port is 0), or -1. Connections made from here on wait
  // in the backlog until run() accepts them.
  int bind();
  // Serves on the calling thread until stop(); false if it could not.
  bool run();
  // From any thread; run() returns soon after.
  void stop();
  // Whether run() has started accepting (and not yet stopped).
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serves the API until SIGINT/SIGTERM. `on_listening` is called with the
// bound port once the socket accepts connections. Returns false if the port
// could not be bound.
bool serve(store::Database& db, const app::Clock& clock, const ServeOptions& opts,
           const std::function<void(int port)>& on_listening);

}  // namespace o2c::http
