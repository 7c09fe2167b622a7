#pragma once
// Cash allocation: which open invoices a payment settles, and how. Pure: the
// use case (app/payments) loads the customer's open items and carries the
// plan out (allocations, customer credit, ledger).
//
// One payment, one currency: the customer's, which is every open item's.
// All amounts are minor units of that currency.
//
// How an allocation of `cash` settles an item with `open` left:
//   - cash == open: paid.
//   - the early-payment discount is available (received on or before the
//     discount date) and open - discount <= cash < open: paid, the
//     difference is the discount taken (at most the discount).
//   - otherwise, when open - cash (less any discount available) is within
//     the write-off tolerance: paid, the difference written off.
//   - otherwise: partially paid, `open - cash` stays open.
// Without explicit allocations the payment goes to the oldest due item
// first (due date, then issue date, then id), each taking what closes it
// (its open amount less the discount available), until the money runs out.
// What no item takes is unallocated: the caller makes it customer credit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/masterdata/records.h"

namespace o2c::payments {

struct OpenItem {
  int64_t invoice_id = 0;
  std::string number;
  Date due_date = Date::from_days(0);
  Date issue_date = Date::from_days(0);
  int64_t open_minor = 0;  // > 0
  // The early-payment discount still available on this item (already
  // scaled by discount_available), and the last day it may be taken.
  int64_t discount_minor = 0;
  std::optional<Date> discount_date;
  bool disputed = false;  // skipped by oldest-first; explicit allocation still allowed
};

struct RequestedAllocation {
  int64_t invoice_id = 0;
  int64_t amount_minor = 0;  // cash to put on the invoice
};

struct Allocation {
  int64_t invoice_id = 0;
  int64_t cash_minor = 0;       // > 0 unless the whole open amount is discount/write-off
  int64_t discount_minor = 0;   // early-payment discount taken
  int64_t write_off_minor = 0;  // difference within tolerance, closed
  bool closes = false;          // nothing stays open
  int64_t settled_minor() const { return cash_minor + discount_minor + write_off_minor; }
};

struct Plan {
  std::vector<Allocation> allocations;  // in the order applied
  int64_t unallocated_minor = 0;        // becomes customer credit
};

// `items`: the customer's open invoices, any order. `requested`: explicit
// allocations, or nullopt for oldest due first. Errors (422 unless noted):
//   invalid_amount (amount <= 0, field "amount");
//   allocations[i].invoice_id: invoice_not_open (not one of `items`: another
//     customer's, paid, or a credit note), duplicate_invoice;
//   allocations[i].amount: invalid_amount (<= 0), exceeds_open (more than
//     the invoice's open amount);
//   allocations_exceed_payment (field "allocations"): they add up to more
//     than the payment.
Result<Plan> plan_payment(int64_t amount_minor, Date received_on, std::vector<OpenItem> items,
                          const std::optional<std::vector<RequestedAllocation>>& requested,
                          int64_t write_off_tolerance_minor);

// The early-payment discount left on an invoice whose stored discount is
// `discount_minor` on `total_minor`, after credit notes took `credited_minor`
// off it: the discount shrinks in proportion (a credit note lowers what the
// discount was computed on), rounded half away from zero.
int64_t discount_available(int64_t discount_minor, int64_t total_minor, int64_t credited_minor);

// The tax part of an early-payment discount. EU VAT (Directive 2006/112/EC
// art. 90; DE §17 UStG) reduces the taxable amount when a discount is taken,
// so the seller's output tax falls with it: the discount is spread over the
// invoice's tax groups in proportion to their gross (taxable + tax), and each
// share splits into net and tax at the group's own ratio. Shares sum exactly
// to the discount; each share's tax is rounded half away from zero.
struct TaxGroupAmount {
  masterdata::TaxCategory category = masterdata::TaxCategory::S;
  int64_t rate_bp = 0;
  int64_t taxable_minor = 0;
  int64_t tax_minor = 0;
};
struct DiscountShare {
  masterdata::TaxCategory category = masterdata::TaxCategory::S;
  int64_t rate_bp = 0;
  int64_t net_minor = 0;
  int64_t tax_minor = 0;
};
Result<std::vector<DiscountShare>> split_discount(int64_t discount_minor, const std::vector<TaxGroupAmount>& groups);

}  // namespace o2c::payments
