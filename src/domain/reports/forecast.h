#pragma once
// The cash forecast: when the receivable and the orders not yet invoiced are
// expected to turn into cash, per ISO week (Monday start) for the 13 weeks
// starting with the week of `as_of`, in the functional currency.
//
// Everything is read from immutable history, so the forecast "as of" a past
// date is the one that would have been made on that date:
// - an invoice is open on D by its total less what settled it on or before
//   D (cash, customer credit, credit notes, discounts, write-offs), cash and
//   what came with it counting only until the payment was reversed;
// - a customer's payment delay is the amount-weighted mean of (cash applied
//   on - due date) over the cash applied to its invoices in the lookback
//   window before D (negative when it pays early); a customer without any
//   takes the same mean over all customers, and with no history at all 0;
// - an invoice is expected on due date + delay. Expected before D: in the
//   first week, unless it is more than `unlikely_after_days` past due, then
//   in overdue_unlikely. After the 13 weeks: beyond_horizon;
// - an order is expected to be invoiced `order_lead_days` after it was
//   placed (not before D), then due after its customer's net days, then paid
//   with the customer's delay.
// Every amount lands in exactly one bucket: the buckets add up to the open
// receivable plus the uninvoiced order value. docs/measures.md has the
// formulas. Pure: no I/O, no clock.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/reports/aging.h"

namespace o2c::reports {

inline constexpr int kForecastWeeks = 13;
inline constexpr int kWeeksBackMax = 52;
inline constexpr int kDelayLookbackDaysDefault = 365;
inline constexpr int kUnlikelyAfterDaysDefault = 90;
inline constexpr int kOrderLeadDaysDefault = 7;
// Bounds of the settings a caller may choose (tested at max and max + 1).
inline constexpr int kDelayLookbackDaysMax = 3650;
inline constexpr int kUnlikelyAfterDaysMax = 3650;
inline constexpr int kOrderLeadDaysMax = 365;

struct ForecastSettings {
  int lookback_days = kDelayLookbackDaysDefault;  // delays observed in (as_of - lookback, as_of]
  int unlikely_after_days = kUnlikelyAfterDaysDefault;
  int order_lead_days = kOrderLeadDaysDefault;
};
// invalid_setting with the field at fault when a value is outside 0..max
// (lookback_days must be at least 1).
Status validate_settings(const ForecastSettings& s);

// The Monday of the ISO week that holds `d`.
Date week_start(Date d);

// ---- History of the receivable, functional currency ------------------------

enum class SettlementKind {
  cash,             // a payment applied to the invoice
  customer_credit,  // unapplied cash applied later: the money came earlier
  credit_note,
  discount,
  write_off,
  other,  // a kind this report does not know: lowers the open amount, says nothing of delay
};

struct InvoiceRecord {
  int64_t invoice_id = 0;
  int64_t customer_id = 0;
  Date issue_date;
  Date due_date;
  int64_t total_minor = 0;
};

struct SettlementRecord {
  int64_t invoice_id = 0;
  SettlementKind kind = SettlementKind::cash;
  Date applied_on;
  int64_t amount_minor = 0;  // > 0
  // The day the payment behind it bounced; from then on it no longer counts.
  std::optional<Date> reversed_on;
};

struct ReceivableHistory {
  std::vector<InvoiceRecord> invoices;
  std::vector<SettlementRecord> settlements;  // any order; unknown invoices are ignored
};

// Invoices issued on or before `as_of` with something open on that day
// (reports::OpenItem of aging.h, open_minor > 0), in invoice order.
std::vector<OpenItem> open_items_as_of(const ReceivableHistory& h, Date as_of);

struct Delays {
  std::map<int64_t, int> by_customer;  // customers with cash observed in the window
  int fallback_days = 0;               // everybody else
  bool fallback_observed = false;      // false: no cash at all in the window, 0 assumed
  int delay_of(int64_t customer_id) const;
};

// What a customer's delay is the mean of: the cash applied to its invoices
// in the window (weight) and that cash times the days it came after the due
// date (weighted_days).
struct DelaySum {
  Int128 weight = 0;
  Int128 weighted_days = 0;
  bool operator==(const DelaySum&) const = default;
};
using DelaySums = std::map<int64_t, DelaySum>;  // by customer

// A cash settlement as the delays see it: whose invoice it paid, and how many
// days after that invoice's due date (negative: early).
struct CashSample {
  int64_t customer_id = 0;
  int32_t days_after_due = 0;
  Date applied_on;
  int64_t amount_minor = 0;
  std::optional<Date> reversed_on;
};

// The cash settlements of h with a positive amount, on invoices of h.
std::vector<CashSample> cash_samples(const ReceivableHistory& h);

// Over the samples applied in (as_of - lookback_days, as_of] and not
// reversed on or before as_of.
DelaySums delay_sums(const std::vector<CashSample>& samples, Date as_of, int lookback_days);

// delay_sums(cash_samples(h), ...): the reference the store's summed copies
// (store::forecast::delay_sums, cash_samples) are tested against.
DelaySums delay_sums(const ReceivableHistory& h, Date as_of, int lookback_days);

// Each customer's amount-weighted mean of (applied_on - due_date), and the
// same over all customers; rounded half away from zero to days. Customers
// whose weight is not positive have no observed delay.
Delays delays_from(const DelaySums& sums);

// delays_from(delay_sums(h, as_of, lookback_days)).
Delays observed_delays(const ReceivableHistory& h, Date as_of, int lookback_days);

// ---- Orders ----------------------------------------------------------------

struct OrderLineValue {
  int64_t quantity = 0;  // ordered, > 0
  int64_t invoiced = 0;  // on invoices issued on or before the day asked about
  int64_t line_net_minor = 0;
};

// What of an order is still to be invoiced, in the order's currency: its
// total (tax, allowances and charges included) times the share of its net
// not yet invoiced (the share of its quantity when the lines are free).
// Exact at both ends: the total when nothing is invoiced, 0 when everything
// is. amount_overflow when the result does not fit (only possible with
// negative lines).
Result<int64_t> uninvoiced_value(int64_t order_total_minor, const std::vector<OrderLineValue>& lines);

struct OpenOrder {
  int64_t order_id = 0;
  int64_t customer_id = 0;
  Date placed_on;
  int net_days = 0;                // the customer's payment terms
  int64_t uninvoiced_minor = 0;    // functional currency, >= 0
};

// ---- The forecast ----------------------------------------------------------

struct CashBucket {
  int64_t from_invoices_minor = 0;
  int64_t from_orders_minor = 0;
  int64_t total_minor() const { return from_invoices_minor + from_orders_minor; }
};

struct ForecastWeek {
  Date week_start;
  CashBucket expected;
};

struct Forecast {
  Date as_of;
  std::vector<ForecastWeek> weeks;  // kForecastWeeks, the first holds as_of
  CashBucket overdue_unlikely;  // orders never land here
  CashBucket beyond_horizon;
  int64_t open_receivables_minor = 0;  // sum of the open items
  int64_t open_orders_minor = 0;       // sum of the orders' uninvoiced value
  Delays delays;  // the fallback, and the observed delays of the customers in this forecast
};

// The day an order is expected to be invoiced: `order_lead_days` after it was
// placed, but not before as_of (an order placed after as_of counts as placed
// on as_of).
Date expected_invoice_date(const OpenOrder& o, Date as_of, int order_lead_days);

Forecast forecast(const std::vector<OpenItem>& items, const std::vector<OpenOrder>& orders, const Delays& delays,
                  Date as_of, const ForecastSettings& settings);

// ---- Forecast against actual ------------------------------------------------

// Money in (+: payments received) and back out (-: payments reversed,
// refunds), functional currency.
struct CashMovement {
  Date on;
  int64_t amount_minor = 0;
};

// The net of the movements in the week starting `monday`.
int64_t actual_receipts(const std::vector<CashMovement>& movements, Date monday);

struct PastWeek {
  Date week_start;
  CashBucket forecast;  // the first week of the forecast made as of that Monday
  int64_t actual_minor = 0;
};

}  // namespace o2c::reports
