#pragma once
// The part of credit exposure that orders carry: what customers owe for
// orders already granted credit but not yet invoiced. Pure arithmetic over
// the order lines the caller gathered.
#include <cstdint>
#include <vector>

#include "core/currency.h"
#include "core/id.h"
#include "core/result.h"

namespace o2c::credit {

struct ExposureLine {
  OrderId order_id;
  int64_t order_total_minor = 0;  // the order's total, tax included
  int64_t quantity = 0;           // thousandths, > 0
  int64_t invoiced = 0;           // thousandths
  int64_t line_net_minor = 0;  // negative for what an allowance still takes off
  int64_t tax_rate_bp = 0;
};

// Per order: nothing invoiced yet -> its total (to the cent what the customer
// was quoted); partly invoiced -> per line the uninvoiced share of the line
// net plus its tax, each rounded half away from zero. Lines are grouped by
// order_id (any order). amount_overflow when the sum does not fit.
Result<int64_t> uninvoiced_exposure(const std::vector<ExposureLine>& lines, Currency currency);

}  // namespace o2c::credit
