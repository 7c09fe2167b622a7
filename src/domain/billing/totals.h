#pragma once
// Document totals: one computation shared by orders and invoices, so that an
// invoice for a whole order shows to the cent the amounts the order showed.
//
// Rounding happens in exactly two places, each once:
//   - a line's gross (quantity x unit price) to the currency's exponent;
//   - each tax group's tax (taxable amount x rate), EN 16931 BR-CO-17 style.
// Everything else is exact integer arithmetic on minor units, checked for
// overflow (code "amount_overflow"; nothing ever wraps).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "core/money.h"
#include "core/quantity.h"
#include "core/result.h"
#include "domain/masterdata/records.h"
#include "domain/masterdata/rules.h"

namespace o2c::billing {

using masterdata::TaxCategory;

struct TotalsLine {
  // > 0. The caller validates it against the request, but it is checked here
  // too ("non_positive_quantity"): a negative line would be an allowance in
  // disguise, outside the allowance rules.
  Quantity quantity;
  int64_t unit_price_e4 = 0;       // ten-thousandths of the document currency, >= 0
  std::optional<Money> discount;   // line allowance in the document currency, 0 <= discount <= gross
  TaxCategory tax_category = TaxCategory::S;
  int64_t tax_rate_bp = 0;         // hundredths of a percent
};

// A document-level allowance (EN 16931 BG-20) or charge (BG-21). It belongs
// to one tax group and moves that group's taxable amount.
struct AllowanceCharge {
  Money amount;  // >= 0, in the document currency
  TaxCategory tax_category = TaxCategory::S;
  int64_t tax_rate_bp = 0;
  std::string reason;  // carried to the invoice (BT-97 / BT-104); not checked here
};

struct TotalsInput {
  Currency currency;
  std::vector<TotalsLine> lines;
  std::vector<AllowanceCharge> allowances;
  std::vector<AllowanceCharge> charges;
};

// One line of the tax breakdown (EN 16931 BG-23).
struct TaxGroup {
  TaxCategory category;
  int64_t rate_bp;
  Money taxable;  // line nets + charges - allowances of this group; never negative
  Money tax;      // taxable x rate, rounded half away from zero once
};

struct Totals {
  std::vector<Money> line_nets;  // one per input line, in input order
  Money net_total;               // sum of line nets (BT-106)
  Money allowance_total;         // BT-107
  Money charge_total;            // BT-108
  Money tax_exclusive;           // net - allowances + charges (BT-109)
  Money tax_total;               // sum of the groups' tax (BT-110)
  Money total;                   // tax_exclusive + tax_total (BT-112)
  // Ordered by category in the declaration order of TaxCategory (S, Z, E,
  // AE, K, G, O), then by rate ascending: the same input in any line order
  // gives the same breakdown. A group exists when at least one line,
  // allowance or charge names it.
  std::vector<TaxGroup> groups;
};

// The net of one line: gross = quantity x unit price rounded half away from
// zero to the currency's exponent (128-bit intermediate), net = gross -
// discount. The discount is already in minor units, so subtracting it after
// rounding is the same as rounding (quantity x price - discount) once, and it
// can never make a net negative.
// `field` names the line in errors, e.g. "lines[2]"; codes (field suffix):
//   non_positive_quantity (.quantity), negative_price (.unit_price),
//   currency_mismatch / negative_discount / discount_exceeds_line (.discount),
//   amount_overflow (the line itself: `field`).
Result<Money> line_net(const TotalsLine& line, Currency currency, std::string_view field);

// All totals of a document. Errors, each with the field at fault:
//   any line_net error with field "lines[i]...";
//   invalid_tax_rate: a rate outside 0..100 %, category S with rate 0, or
//     another category with a rate above 0 (EN 16931 BR-S-05, BR-Z-05 ...);
//   currency_mismatch / negative_amount: "allowances[i].amount", "charges[i].amount";
//   allowances_exceed_taxable: a group whose allowances exceed its line nets
//     and charges (field "allowances"); a negative amount is a credit note's job;
//   amount_overflow: any amount or sum that does not fit int64 minor units
//     (field: the line, allowance or charge that overflowed a sum; none for
//     the document's subtotals and tax).
Result<Totals> compute_totals(const TotalsInput& input);

}  // namespace o2c::billing
