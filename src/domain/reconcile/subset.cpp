#include "domain/reconcile/subset.h"

#include <algorithm>

namespace o2c::reconcile::subset {
namespace {

struct Search {
  std::vector<Item> items;           // largest first
  std::vector<int64_t> rest_max;     // sum of the largest amounts from i on
  int64_t low = 0;
  int64_t high = 0;
  Limits limits;
  size_t nodes = 0;
  std::vector<Pick> path;
  std::vector<std::vector<Pick>> fits;

  void run(size_t i, int64_t sum) {
    if (static_cast<int>(fits.size()) >= limits.fits_max || ++nodes > limits.nodes_max) return;
    const int size = static_cast<int>(path.size());
    if (sum >= low && sum <= high && size >= limits.size_min) {
      fits.push_back(path);
      return;  // amounts are positive: adding more only overshoots
    }
    if (size >= limits.size_max || i >= items.size()) return;
    if (sum + rest_max[i] < low) return;  // even everything left is too little
    for (size_t j = i; j < items.size(); ++j) {
      if (sum + rest_max[j] < low) return;
      const Item& it = items[j];
      for (int k = 0; k < it.count; ++k) {
        const int64_t next = sum + it.amounts[k];
        if (next > high) continue;
        path.push_back(Pick{it.id, it.amounts[k]});
        run(j + 1, next);
        path.pop_back();
        if (static_cast<int>(fits.size()) >= limits.fits_max || nodes > limits.nodes_max) return;
      }
    }
  }
};

int64_t largest(const Item& it) { return it.count > 1 ? std::max(it.amounts[0], it.amounts[1]) : it.amounts[0]; }

}  // namespace

std::vector<std::vector<Pick>> find(const std::vector<Item>& items, int64_t low, int64_t high,
                                    const Limits& limits) {
  Search s;
  s.items = items;
  std::sort(s.items.begin(), s.items.end(),
            [](const Item& a, const Item& b) { return largest(a) > largest(b); });
  s.rest_max.assign(s.items.size() + 1, 0);
  for (size_t i = s.items.size(); i-- > 0;) s.rest_max[i] = s.rest_max[i + 1] + largest(s.items[i]);
  s.low = low;
  s.high = high;
  s.limits = limits;
  if (low <= 0 || high < low || limits.size_max < limits.size_min) return {};
  s.run(0, 0);
  return std::move(s.fits);
}

}  // namespace o2c::reconcile::subset
