#pragma once
// The receivables measures of docs/measures.md, from figures the store reads
// out of history. Pure and exact: amounts are integers (functional minor
// units), results are in hundredths (of a day, of a percent) rounded half
// away from zero, and a measure whose denominator is zero has no value.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/date.h"

namespace o2c::reports {

// A value in hundredths: 1234 = 12.34.
using Hundredths = std::optional<int64_t>;

// num / den in hundredths, rounded half away from zero; nullopt when den == 0.
Hundredths ratio_hundredths(int64_t num, int64_t den);
// num / den as a percentage in hundredths (1 / 3 -> 3333 = 33.33 %).
Hundredths percent_hundredths(int64_t num, int64_t den);

// Credit sales of one period, for the count-back.
struct SalesPeriod {
  int32_t days = 0;
  int64_t sales_minor = 0;
};

struct DsoInputs {
  int32_t days = 0;                       // the window: (as_of - days, as_of]
  int64_t receivables_minor = 0;          // open at as_of
  int64_t current_receivables_minor = 0;  // open at as_of and not yet due
  int64_t beginning_receivables_minor = 0;  // open at as_of - days
  int64_t credit_sales_minor = 0;         // invoiced in the window, less credit notes
  // Calendar months back from as_of, the most recent first, down to the first
  // sale: what the count-back walks through.
  std::vector<SalesPeriod> months_back;
};

struct Dso {
  Hundredths dso;                  // receivables / credit sales x days
  Hundredths countback_dso;        // days of the latest sales that make up the receivables
  Hundredths best_possible_dso;    // current receivables / credit sales x days
  Hundredths average_days_delinquent;  // dso - best possible dso
  Hundredths cei;                  // collection effectiveness index, percent
};

Dso dso(const DsoInputs& in);

// Days of the most recent sales that add up to the receivables; nullopt if the
// periods given do not reach back far enough (or there are no receivables to
// explain and no sales: 0 when receivables are 0).
Hundredths countback_days(int64_t receivables_minor, std::span<const SalesPeriod> months_back);

// The p-th percentile (0..100) of values by the nearest-rank method; nullopt
// for no values. Sorts a copy.
std::optional<int64_t> percentile(std::vector<int64_t> values, int p);
// Median in hundredths: the mean of the two middle values for an even count.
Hundredths median_hundredths(std::vector<int64_t> values);
// Mean in hundredths.
Hundredths mean_hundredths(std::span<const int64_t> values);

}  // namespace o2c::reports
