#pragma once
// Which of a payer's open items add up to a payment. Exponential in
// general, so bounded on every side: how many items are considered, how
// many may combine, how many nodes the search may visit, and it stops at the
// second fit (two fits are ambiguous: enough to know).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace o2c::reconcile::subset {

struct Item {
  uint32_t id = 0;          // the caller's handle
  int64_t amounts[2] = {};  // what would settle it: the open amount, and the discounted one if available
  int count = 1;            // 1 or 2 of `amounts` in use
};

struct Pick {
  uint32_t id = 0;
  int64_t amount = 0;  // one of the item's amounts
};

struct Limits {
  int size_min = 2;          // single items are another rule's business
  int size_max = 5;
  int fits_max = 2;          // stop after this many fits
  size_t nodes_max = 200000;  // a hard stop for adversarial amounts
};

// Combinations of `limits.size_min..size_max` items (each with one of its
// amounts) whose sum lies in [low, high]: a payment of `low` that is short
// by at most high - low (fees deducted) still fits. Items must have positive
// amounts. At most `fits_max` results, in no particular order.
std::vector<std::vector<Pick>> find(const std::vector<Item>& items, int64_t low, int64_t high,
                                    const Limits& limits);

}  // namespace o2c::reconcile::subset
