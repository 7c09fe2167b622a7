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

// The demo company's base: the seller, five named customers, eight named
// products, two warehouses with stock and one user per role (admin, sales,
// credit, warehouse, accountant, viewer, and a portal user of customer 1),
// in one unit of work dated by `clock`. The database must have no company;
// a user it already has under a demo user's name is kept as it is.
Status seed_demo_company(store::Database& db, const Clock& clock);

// The demo users' names, one per role, as seed_demo_company creates them.
inline constexpr const char* kDemoUsers[][2] = {
    {"admin", "admin"},         {"sales", "sales"},           {"credit", "credit"},
    {"warehouse", "warehouse"}, {"accountant", "accountant"}, {"viewer", "viewer"},
    {"portal", "portal"},
};

// (user name, role, token) of one demo user.
struct DemoLogin {
  std::string user;
  std::string role;
  std::string token;
};

// A fresh token for each demo user (old ones cannot be shown again); users
// missing from a database seeded by hand are left out.
std::vector<DemoLogin> issue_demo_tokens(store::Database& db, const Clock& clock);

}  // namespace o2c::app
