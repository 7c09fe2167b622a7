#pragma once
// The invariants of ARCHITECTURE.md that exist so far, checked against the
// whole database. Run by `o2c verify` and by the tests after every scenario.
#include <string>
#include <vector>

#include "store/db.h"

namespace o2c::app {

struct VerifyReport {
  std::vector<std::string> checks;    // what was checked
  std::vector<std::string> breaches;  // empty when every invariant holds
  bool ok() const { return breaches.empty(); }
};

VerifyReport verify(store::Database& db);

}  // namespace o2c::app
