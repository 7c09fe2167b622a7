#pragma once
// Receivables aging: open items sorted into age buckets as of a date. Pure:
// the store decides what was open on that date (from history), this decides
// where each item belongs and adds up.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace o2c::reports {

// By due date (the default: how late the customer is) or by invoice date
// (how old the sale is).
enum class AgingBasis { due_date, invoice_date };
std::string_view to_string(AgingBasis b);

enum class Bucket { current, d1_30, d31_60, d61_90, over_90 };
constexpr Bucket kBuckets[] = {Bucket::current, Bucket::d1_30, Bucket::d31_60, Bucket::d61_90, Bucket::over_90};
// The names API.md gives the buckets: "current", "1_30", ...
std::string_view to_string(Bucket b);
// days_past <= 0 is current: not yet due (or, by invoice date, issued that day).
Bucket bucket_for(int32_t days_past);

struct OpenItem {
  int64_t invoice_id = 0;
  int64_t customer_id = 0;
  Date issue_date;
  Date due_date;
  int64_t open_minor = 0;  // functional currency, as of the report date
};

int32_t days_past(const OpenItem& item, Date as_of, AgingBasis basis);

struct Buckets {
  int64_t amounts[5] = {0, 0, 0, 0, 0};
  int64_t& operator[](Bucket b) { return amounts[static_cast<int>(b)]; }
  int64_t operator[](Bucket b) const { return amounts[static_cast<int>(b)]; }
  int64_t total() const;
};

struct CustomerAging {
  int64_t customer_id = 0;
  Buckets buckets;
  int64_t items = 0;
};

struct Aging {
  Date as_of;
  AgingBasis basis = AgingBasis::due_date;
  Buckets total;
  int64_t items = 0;
  std::vector<CustomerAging> customers;  // by customer id; only customers with an open item
};

// Items with nothing open are left out.
Aging age(std::span<const OpenItem> items, Date as_of, AgingBasis basis);

}  // namespace o2c::reports
