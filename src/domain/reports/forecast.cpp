#include "domain/reports/forecast.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/money.h"

namespace o2c::reports {
namespace {

Status in_range(int v, int min, int max, const char* field) {
  if (v < min || v > max) {
    return Error::invalid("invalid_setting",
                          std::string(field) + " must be between " + std::to_string(min) + " and " +
                              std::to_string(max),
                          field);
  }
  return {};
}

// A settlement counts on `as_of` once applied, and until its payment bounced.
bool counts_on(const SettlementRecord& s, Date as_of) {
  return s.applied_on <= as_of && !(s.reversed_on && *s.reversed_on <= as_of);
}

int mean_days(Int128 weighted_days, Int128 weight) {
  int64_t out = 0;
  // Days times amounts over amounts: a mean of day counts, far inside int.
  round_half_away(weighted_days, weight, &out);
  return static_cast<int>(out);
}

}  // namespace

Status validate_settings(const ForecastSettings& s) {
  O2C_TRY(in_range(s.lookback_days, 1, kDelayLookbackDaysMax, "lookback_days"));
  O2C_TRY(in_range(s.unlikely_after_days, 0, kUnlikelyAfterDaysMax, "unlikely_after_days"));
  O2C_TRY(in_range(s.order_lead_days, 0, kOrderLeadDaysMax, "order_lead_days"));
  return {};
}

Date week_start(Date d) { return d.add_days(1 - d.weekday()); }

std::vector<OpenItem> open_items_as_of(const ReceivableHistory& h, Date as_of) {
  std::unordered_map<int64_t, int64_t> settled;
  for (const auto& s : h.settlements) {
    if (counts_on(s, as_of)) settled[s.invoice_id] += s.amount_minor;
  }
  std::vector<OpenItem> out;
  for (const auto& inv : h.invoices) {
    if (inv.issue_date > as_of) continue;
    auto it = settled.find(inv.invoice_id);
    const int64_t open = inv.total_minor - (it == settled.end() ? 0 : it->second);
    if (open > 0) out.push_back({inv.invoice_id, inv.customer_id, inv.issue_date, inv.due_date, open});
  }
  std::sort(out.begin(), out.end(), [](const OpenItem& a, const OpenItem& b) { return a.invoice_id < b.invoice_id; });
  return out;
}

int Delays::delay_of(int64_t customer_id) const {
  auto it = by_customer.find(customer_id);
  return it == by_customer.end() ? fallback_days : it->second;
}

std::vector<CashSample> cash_samples(const ReceivableHistory& h) {
  std::unordered_map<int64_t, const InvoiceRecord*> invoices;
  for (const auto& inv : h.invoices) invoices[inv.invoice_id] = &inv;
  std::vector<CashSample> out;
  for (const auto& s : h.settlements) {
    // Only cash says when a customer pays: credit notes, discounts and
    // write-offs are the seller's decisions, and applied customer credit was
    // paid on another day.
    if (s.kind != SettlementKind::cash || s.amount_minor <= 0) continue;
    auto it = invoices.find(s.invoice_id);
    if (it == invoices.end()) continue;
    out.push_back({it->second->customer_id, Date::days_between(it->second->due_date, s.applied_on), s.applied_on,
                   s.amount_minor, s.reversed_on});
  }
  return out;
}

DelaySums delay_sums(const std::vector<CashSample>& samples, Date as_of, int lookback_days) {
  const Date window_start = as_of.add_days(-lookback_days);  // exclusive
  // Hashed while summing (a forecast's past weeks sum ~10^5 samples per
  // day), ordered once at the end.
  std::unordered_map<int64_t, DelaySum> sums;
  for (const auto& s : samples) {
    if (s.amount_minor <= 0 || s.applied_on <= window_start || s.applied_on > as_of) continue;
    if (s.reversed_on && *s.reversed_on <= as_of) continue;
    DelaySum& sum = sums[s.customer_id];
    sum.weight += s.amount_minor;
    sum.weighted_days += static_cast<Int128>(s.days_after_due) * s.amount_minor;
  }
  return DelaySums(sums.begin(), sums.end());
}

DelaySums delay_sums(const ReceivableHistory& h, Date as_of, int lookback_days) {
  return delay_sums(cash_samples(h), as_of, lookback_days);
}

Delays delays_from(const DelaySums& sums) {
  Delays out;
  Int128 weight = 0, weighted_days = 0;
  for (const auto& [customer, sum] : sums) {
    if (sum.weight <= 0) continue;
    out.by_customer[customer] = mean_days(sum.weighted_days, sum.weight);
    weight += sum.weight;
    weighted_days += sum.weighted_days;
  }
  if (weight > 0) {
    out.fallback_days = mean_days(weighted_days, weight);
    out.fallback_observed = true;
  }
  return out;
}

Delays observed_delays(const ReceivableHistory& h, Date as_of, int lookback_days) {
  return delays_from(delay_sums(h, as_of, lookback_days));
}

Result<int64_t> uninvoiced_value(int64_t order_total_minor, const std::vector<OrderLineValue>& lines) {
  Int128 net_whole = 0;
  for (const auto& l : lines) net_whole += l.line_net_minor;
  const bool by_net = net_whole > 0;
  Int128 whole = 0, remaining = 0;
  for (const auto& l : lines) {
    if (l.quantity <= 0) continue;
    const int64_t left = l.quantity - std::clamp<int64_t>(l.invoiced, 0, l.quantity);
    if (by_net) {
      int64_t line_left = 0;
      if (!round_half_away(static_cast<Int128>(l.line_net_minor) * left, l.quantity, &line_left)) {
        return Error::invalid("amount_overflow", "the order's uninvoiced value does not fit");
      }
      whole += l.line_net_minor;
      remaining += line_left;
    } else {
      whole += l.quantity;
      remaining += left;
    }
  }
  if (whole == 0 || remaining == 0) return int64_t{0};
  if (remaining == whole) return order_total_minor;
  int64_t out = 0;
  if (!round_half_away(static_cast<Int128>(order_total_minor) * remaining, whole, &out)) {
    return Error::invalid("amount_overflow", "the order's uninvoiced value does not fit");
  }
  return out;
}

Date expected_invoice_date(const OpenOrder& o, Date as_of, int order_lead_days) {
  const Date placed = std::min(o.placed_on, as_of);
  return std::max(as_of, placed.add_days(order_lead_days));
}

Forecast forecast(const std::vector<OpenItem>& items, const std::vector<OpenOrder>& orders, const Delays& delays,
                  Date as_of, const ForecastSettings& settings) {
  Forecast f;
  f.as_of = as_of;
  // Only the delays this forecast used: the report shows them, and a
  // company's every customer would make it as long as the customer list.
  f.delays.fallback_days = delays.fallback_days;
  f.delays.fallback_observed = delays.fallback_observed;
  auto used = [&](int64_t customer) {
    auto it = delays.by_customer.find(customer);
    if (it != delays.by_customer.end()) f.delays.by_customer.insert(*it);
  };
  for (const auto& it : items) used(it.customer_id);
  for (const auto& o : orders) used(o.customer_id);
  const Date first = week_start(as_of);
  for (int w = 0; w < kForecastWeeks; ++w) f.weeks.push_back({first.add_days(7 * w), {}});
  // The bucket for cash expected on `expected`; one already late lands in
  // the current week.
  auto bucket_for = [&](Date expected) -> CashBucket& {
    if (expected < as_of) return f.weeks.front().expected;
    const int32_t week = Date::days_between(first, expected) / 7;
    return week < kForecastWeeks ? f.weeks[week].expected : f.beyond_horizon;
  };
  for (const auto& it : items) {
    f.open_receivables_minor += it.open_minor;
    const Date expected = it.due_date.add_days(delays.delay_of(it.customer_id));
    const bool long_overdue = Date::days_between(it.due_date, as_of) > settings.unlikely_after_days;
    CashBucket& b = expected < as_of && long_overdue ? f.overdue_unlikely : bucket_for(expected);
    b.from_invoices_minor += it.open_minor;
  }
  for (const auto& o : orders) {
    if (o.uninvoiced_minor <= 0) continue;
    f.open_orders_minor += o.uninvoiced_minor;
    const Date due = expected_invoice_date(o, as_of, settings.order_lead_days).add_days(o.net_days);
    bucket_for(due.add_days(delays.delay_of(o.customer_id))).from_orders_minor += o.uninvoiced_minor;
  }
  return f;
}

int64_t actual_receipts(const std::vector<CashMovement>& movements, Date monday) {
  const Date end = monday.add_days(7);
  int64_t sum = 0;
  for (const auto& m : movements) {
    if (m.on >= monday && m.on < end) sum += m.amount_minor;
  }
  return sum;
}

}  // namespace o2c::reports
