#pragma once
#include <functional>
#include <string>

#include "app/context.h"
#include "store/db.h"

namespace o2c::http {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  int threads = 0;  // 0 = a default from the core count
};

// Serves the API until SIGINT/SIGTERM. `on_listening` is called with the
// bound port once the socket accepts connections. Returns false if the port
// could not be bound.
bool serve(store::Database& db, const app::Clock& clock, const ServeOptions& opts,
           const std::function<void(int port)>& on_listening);

}  // namespace o2c::http
