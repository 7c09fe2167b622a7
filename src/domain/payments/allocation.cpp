#include "domain/payments/allocation.h"

#include <algorithm>
#include <map>

#include "core/money.h"

namespace o2c::payments {
namespace {

int64_t discount_on(const OpenItem& it, Date received_on) {
  if (it.discount_minor <= 0 || !it.discount_date || received_on > *it.discount_date) return 0;
  return std::min(it.discount_minor, it.open_minor);
}

// How `cash` (0 < cash <= open) settles `it`; see the header's table.
Allocation settle(const OpenItem& it, int64_t cash, Date received_on, int64_t tolerance) {
  Allocation a;
  a.invoice_id = it.invoice_id;
  a.cash_minor = cash;
  const int64_t short_by = it.open_minor - cash;
  if (short_by == 0) {
    a.closes = true;
    return a;
  }
  const int64_t discount = discount_on(it, received_on);
  a.discount_minor = std::min(discount, short_by);
  const int64_t left = short_by - a.discount_minor;
  if (left == 0) {
    a.closes = true;
  } else if (left <= tolerance) {
    a.write_off_minor = left;
    a.closes = true;
  } else {
    a.discount_minor = 0;  // not paid in full: no discount
  }
  return a;
}

std::string at(size_t i, const char* leaf) { return "allocations[" + std::to_string(i) + "]." + leaf; }

}  // namespace

Result<Plan> plan_payment(int64_t amount_minor, Date received_on, std::vector<OpenItem> items,
                          const std::optional<std::vector<RequestedAllocation>>& requested,
                          int64_t write_off_tolerance_minor) {
  if (amount_minor <= 0) return Error::invalid("invalid_amount", "a payment's amount must be above zero", "amount");
  const int64_t tolerance = std::max<int64_t>(0, write_off_tolerance_minor);
  Plan plan;
  int64_t left = amount_minor;

  if (requested) {
    std::map<int64_t, const OpenItem*> by_id;
    for (const auto& it : items) by_id[it.invoice_id] = &it;
    std::map<int64_t, size_t> seen;
    for (size_t i = 0; i < requested->size(); ++i) {
      const auto& r = (*requested)[i];
      auto found = by_id.find(r.invoice_id);
      if (found == by_id.end()) {
        return Error::invalid("invoice_not_open",
                              "invoice " + std::to_string(r.invoice_id) +
                                  " is not an open invoice of this customer",
                              at(i, "invoice_id"));
      }
      if (!seen.emplace(r.invoice_id, i).second) {
        return Error::invalid("duplicate_invoice",
                              "invoice " + found->second->number + " is already allocated in allocations[" +
                                  std::to_string(seen[r.invoice_id]) + "]",
                              at(i, "invoice_id"));
      }
      if (r.amount_minor <= 0) return Error::invalid("invalid_amount", "an allocation must be above zero", at(i, "amount"));
      if (r.amount_minor > found->second->open_minor) {
        return Error::invalid("exceeds_open", "more than the open amount of invoice " + found->second->number,
                              at(i, "amount"));
      }
      if (r.amount_minor > left) {
        return Error::invalid("allocations_exceed_payment", "the allocations add up to more than the payment",
                              "allocations");
      }
      left -= r.amount_minor;
      plan.allocations.push_back(settle(*found->second, r.amount_minor, received_on, tolerance));
    }
    plan.unallocated_minor = left;
    return plan;
  }

  std::sort(items.begin(), items.end(), [](const OpenItem& a, const OpenItem& b) {
    if (a.due_date != b.due_date) return a.due_date < b.due_date;
    if (a.issue_date != b.issue_date) return a.issue_date < b.issue_date;
    return a.invoice_id < b.invoice_id;
  });
  for (const auto& it : items) {
    if (left == 0) break;
    if (it.disputed || it.open_minor <= 0) continue;
    const int64_t closes_with = it.open_minor - discount_on(it, received_on);
    // Enough to close it (with the discount, or within tolerance): take only
    // what closes it, and the rest goes on to the next item.
    const int64_t cash = left >= closes_with ? closes_with : left;
    if (cash == 0) continue;  // wholly discountable: nothing for cash to do (cannot happen with discount < total)
    Allocation a = settle(it, cash, received_on, tolerance);
    left -= cash;
    plan.allocations.push_back(a);
  }
  plan.unallocated_minor = left;
  return plan;
}

int64_t discount_available(int64_t discount_minor, int64_t total_minor, int64_t credited_minor) {
  if (discount_minor <= 0 || total_minor <= 0) return 0;
  const int64_t remaining = std::clamp<int64_t>(total_minor - credited_minor, 0, total_minor);
  int64_t out = 0;
  if (!round_half_away(static_cast<Int128>(discount_minor) * remaining, total_minor, &out)) return 0;
  return out;
}

Result<std::vector<DiscountShare>> split_discount(int64_t discount_minor, const std::vector<TaxGroupAmount>& groups) {
  std::vector<DiscountShare> out;
  if (discount_minor == 0 || groups.empty()) return out;
  std::vector<int64_t> weights;
  for (const auto& g : groups) weights.push_back(std::max<int64_t>(0, g.taxable_minor + g.tax_minor));
  if (std::all_of(weights.begin(), weights.end(), [](int64_t w) { return w == 0; })) {
    return Error::invalid("nothing_to_discount", "the invoice has no amount to take a discount on");
  }
  // Any currency with the right exponent does: allocate() only splits minor units.
  O2C_ASSIGN_OR_RETURN(auto parts, Money(discount_minor, *Currency::of("EUR")).allocate(weights));
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    const int64_t share = parts[i].minor();
    if (share == 0) continue;
    int64_t tax = 0;
    const int64_t gross = g.taxable_minor + g.tax_minor;
    if (gross > 0 && g.tax_minor != 0 &&
        !round_half_away(static_cast<Int128>(share) * g.tax_minor, gross, &tax)) {
      return Error::invalid("amount_overflow", "discount too large");
    }
    out.push_back({g.category, g.rate_bp, share - tax, tax});
  }
  return out;
}

}  // namespace o2c::payments
