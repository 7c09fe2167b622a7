#pragma once
// Validation of master data as it arrives. Each draft holds the fields as
// received (missing = nullopt); a rule returns the clean record or the first
// error with its field. No I/O: existence checks (duplicate SKU, unknown
// payment terms) are the use case's, against the store.
#include <optional>
#include <string>

#include "core/result.h"
#include "domain/masterdata/records.h"

namespace o2c::masterdata {

constexpr int kPriceDecimals = 4;
constexpr int kTaxRateDecimals = 2;
constexpr int64_t kTaxRateMaxBp = 10000;  // 100 %

using Text = std::optional<std::string>;

struct CompanyDraft {
  Text name, vat_id, country, address, iban, bic, currency, peppol_id, time_zone, email, phone;
  Text write_off_tolerance;  // decimal in the functional currency; nullopt: 0
  std::optional<int64_t> overdue_grace_days;  // nullopt: 30
  std::optional<int64_t> reconcile_auto_threshold;  // nullopt: 90
};
// The matcher's scores run 0..100; 0 would book every line with a candidate.
constexpr int64_t kAutoThresholdMin = 1;
constexpr int64_t kAutoThresholdMax = 100;
Result<Company> validate_company(const CompanyDraft& d);
// Fields an invoice needs from the seller that are still missing (empty when complete).
std::vector<std::string> company_missing_for_invoicing(const Company& c);

struct CustomerDraft {
  Text name, email, currency, credit_limit, payment_terms, vat_id, country, address, iban,
      peppol_id, billing, dunning_policy;
};
Result<Customer> validate_customer(const CustomerDraft& d);

// Payment terms are data: a code (e.g. "NET60", "3/15NET45"), a text for
// the invoice, net days, and optionally an early-payment discount (percent
// with up to 2 decimals, below 100) within fewer days than the net days.
struct PaymentTermsDraft {
  Text code, description, discount_percent;
  std::optional<int64_t> net_days, discount_days;
};
Result<PaymentTerms> validate_payment_terms(const PaymentTermsDraft& d);

struct ProductDraft {
  Text sku, name, unit_price, currency, tax_rate, tax_category, unit_cost;
};
Result<Product> validate_product(const ProductDraft& d);

struct WarehouseDraft {
  Text code, name;
  std::optional<int64_t> priority;
};
Result<Warehouse> validate_warehouse(const WarehouseDraft& d);

// A money amount in `currency` (non-negative unless allowed), as minor units.
Result<int64_t> parse_amount(const Text& v, const std::string& currency, std::string_view field,
                             bool allow_negative = false);
// A unit price or cost with up to 4 decimals, non-negative, as ten-thousandths.
Result<int64_t> parse_price(const Text& v, std::string_view field);
Result<Currency> parse_currency(const Text& v, std::string_view field);

}  // namespace o2c::masterdata
