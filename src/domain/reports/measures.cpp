#include "domain/reports/measures.h"

#include <algorithm>

#include "core/money.h"

namespace o2c::reports {
namespace {

// a / b rounded half away from zero; b > 0. Inputs are functional minor units
// times at most 100 x 36 500 days, far from int64 overflow for any real ledger;
// Int128 keeps it exact even so.
int64_t div_round(Int128 a, Int128 b) {
  if (b < 0) {
    a = -a;
    b = -b;
  }
  const Int128 q = (a >= 0 ? a + b / 2 : a - b / 2) / b;
  return static_cast<int64_t>(q);
}

}  // namespace

Hundredths ratio_hundredths(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return div_round(static_cast<Int128>(num) * 100, den);
}

Hundredths percent_hundredths(int64_t num, int64_t den) {
  if (den == 0) return std::nullopt;
  return div_round(static_cast<Int128>(num) * 10000, den);
}

Hundredths countback_days(int64_t receivables_minor, std::span<const SalesPeriod> months_back) {
  if (receivables_minor <= 0) return 0;
  Int128 remaining = receivables_minor;
  int64_t whole_days = 0;
  for (const auto& p : months_back) {
    if (p.sales_minor <= 0) {
      // A month without net sales explains none of the receivables but they
      // are at least that old.
      whole_days += p.days;
      continue;
    }
    if (remaining >= p.sales_minor) {
      remaining -= p.sales_minor;
      whole_days += p.days;
      if (remaining == 0) return whole_days * 100;
      continue;
    }
    return whole_days * 100 + div_round(remaining * p.days * 100, p.sales_minor);
  }
  return std::nullopt;
}

Dso dso(const DsoInputs& in) {
  Dso out;
  if (in.credit_sales_minor > 0) {
    out.dso = div_round(static_cast<Int128>(in.receivables_minor) * in.days * 100, in.credit_sales_minor);
    out.best_possible_dso =
        div_round(static_cast<Int128>(in.current_receivables_minor) * in.days * 100, in.credit_sales_minor);
    // As defined: the difference of the two figures shown, so that they add up.
    out.average_days_delinquent = *out.dso - *out.best_possible_dso;
  }
  out.countback_dso = countback_days(in.receivables_minor, in.months_back);
  const int64_t collectible = in.beginning_receivables_minor + in.credit_sales_minor;
  out.cei = percent_hundredths(collectible - in.receivables_minor, collectible - in.current_receivables_minor);
  return out;
}

std::optional<int64_t> percentile(std::vector<int64_t> values, int p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  p = std::clamp(p, 0, 100);
  // Nearest rank: the smallest value with at least p % of the values at or below it.
  size_t rank = (static_cast<size_t>(p) * values.size() + 99) / 100;
  if (rank == 0) rank = 1;
  return values[rank - 1];
}

Hundredths median_hundredths(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2] * 100;
  return div_round(static_cast<Int128>(values[n / 2 - 1] + values[n / 2]) * 100, 2);
}

Hundredths mean_hundredths(std::span<const int64_t> values) {
  if (values.empty()) return std::nullopt;
  Int128 sum = 0;
  for (int64_t v : values) sum += v;
  return div_round(sum * 100, static_cast<Int128>(values.size()));
}

}  // namespace o2c::reports
