#pragma once
// An order's document-level allowances and charges on the invoices that bill
// it piecemeal (one per shipment): each invoice carries the share of every
// allowance and charge that matches the share of the order it bills, the way
// header conditions are spread over partial billing in ERP systems. The
// invoice that completes the order carries exactly what is left, so the
// invoices of an order add up to the order's allowances and charges to the
// cent.
//
// The base of an allowance is the order's lines in its own tax group (it
// lowers their taxable amount, and can never exceed it); the base of a
// charge is every line of the order.
#include <cstdint>
#include <vector>

#include "domain/order/records.h"

namespace o2c::billing {

struct BaseLine {
  int64_t quantity = 0;         // ordered, thousandths, > 0
  int64_t invoiced_before = 0;  // before this invoice
  int64_t invoiced_after = 0;   // with this invoice
  int64_t line_net_minor = 0;   // the order line's net
  masterdata::TaxCategory tax_category = masterdata::TaxCategory::S;
  int64_t tax_rate_bp = 0;
};

// What of `c` the invoice that moves `lines` (all lines of the order) from
// invoiced_before to invoiced_after carries: target(after) - billed, where
// target = amount x billed base / whole base, rounded down, and the whole
// amount once every base line is fully invoiced. Never negative.
int64_t charge_share(const order::OrderCharge& c, const std::vector<BaseLine>& lines);

}  // namespace o2c::billing
