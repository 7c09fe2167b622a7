#include "domain/reports/aging.h"

#include <algorithm>
#include <map>

namespace o2c::reports {

std::string_view to_string(AgingBasis b) { return b == AgingBasis::due_date ? "due_date" : "invoice_date"; }

std::string_view to_string(Bucket b) {
  switch (b) {
    case Bucket::current: return "current";
    case Bucket::d1_30: return "1_30";
    case Bucket::d31_60: return "31_60";
    case Bucket::d61_90: return "61_90";
    case Bucket::over_90: return "over_90";
  }
  return "current";
}

Bucket bucket_for(int32_t days_past) {
  if (days_past <= 0) return Bucket::current;
  if (days_past <= 30) return Bucket::d1_30;
  if (days_past <= 60) return Bucket::d31_60;
  if (days_past <= 90) return Bucket::d61_90;
  return Bucket::over_90;
}

int32_t days_past(const OpenItem& item, Date as_of, AgingBasis basis) {
  return Date::days_between(basis == AgingBasis::due_date ? item.due_date : item.issue_date, as_of);
}

int64_t Buckets::total() const {
  int64_t t = 0;
  for (int64_t a : amounts) t += a;
  return t;
}

Aging age(std::span<const OpenItem> items, Date as_of, AgingBasis basis) {
  Aging out;
  out.as_of = as_of;
  out.basis = basis;
  std::map<int64_t, CustomerAging> by_customer;
  for (const auto& it : items) {
    if (it.open_minor == 0) continue;
    const Bucket b = bucket_for(days_past(it, as_of, basis));
    auto& c = by_customer[it.customer_id];
    c.customer_id = it.customer_id;
    c.buckets[b] += it.open_minor;
    ++c.items;
    out.total[b] += it.open_minor;
    ++out.items;
  }
  out.customers.reserve(by_customer.size());
  for (auto& [id, c] : by_customer) out.customers.push_back(c);
  return out;
}

}  // namespace o2c::reports
