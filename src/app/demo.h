#pragma once
// The demo company: a seller, a few customers, products, two warehouses with
// stock, and one user per role. Written through the same use cases as real
// traffic, so it is audited and passes `o2c verify`.
#include <string>
#include <utility>
#include <vector>

#include "app/context.h"
#include "core/result.h"

namespace o2c::app {

// Seeds the demo data when the database has no company yet (otherwise keeps
// what is there), then issues a fresh token for each demo user.
// Returns (user name, role, token) per demo user.
struct DemoLogin {
  std::string user;
  std::string role;
  std::string token;
};
Result<std::vector<DemoLogin>> ensure_demo(store::Database& db, const Clock& clock);

}  // namespace o2c::app
