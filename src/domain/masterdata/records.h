#pragma once
// The master-data records as the business sees them. Plain data: the store
// persists these shapes, the rules that make them valid live beside them.
#include <cstdint>
#include <optional>
#include <string>

#include "core/currency.h"
#include "core/id.h"
#include "core/money.h"

namespace o2c::masterdata {

enum class Billing { per_shipment, consolidated };
std::string_view to_string(Billing b);

enum class TaxCategory { S, Z, E, AE, K, G, O };
std::string_view to_string(TaxCategory c);
std::optional<TaxCategory> tax_category_from(std::string_view s);

struct Company {
  std::string name;
  std::optional<std::string> vat_id;
  std::optional<std::string> country;
  std::optional<std::string> address;
  std::optional<std::string> iban;
  std::optional<std::string> bic;
  std::string currency;  // functional currency, ISO 4217
  std::optional<std::string> peppol_id;
  std::optional<std::string> email;  // contact on invoices
  std::optional<std::string> phone;
  std::string time_zone = "UTC";
  // Days an invoice may be overdue before the customer's new orders go to
  // credit hold (credit/check.h).
  int overdue_grace_days = 30;
  // A short payment within this (functional currency) closes the invoice and
  // the difference is written off; 0 = never (payments/allocation.h).
  int64_t write_off_tolerance_minor = 0;
  // How sure the bank-line matcher must be (score 1..100) before it books a
  // line without a person; a run may override it (reconcile::Settings).
  int reconcile_auto_threshold = 90;
  std::string updated_at;
};

struct Customer {
  CustomerId id;
  std::string name;
  std::string email;
  std::string currency;
  int64_t credit_limit_minor = 0;  // in `currency`
  std::string payment_terms;
  std::optional<std::string> vat_id;
  std::string country;
  std::optional<std::string> address;
  std::optional<std::string> iban;
  std::optional<std::string> peppol_id;
  Billing billing = Billing::per_shipment;
  bool credit_block = false;  // orders go to credit hold
  bool blocked = false;       // may not order at all
  std::string dunning_policy = "STANDARD";
  // Set by the final dunning level, lifted when its invoices are paid; holds
  // orders like credit_block, which people set and lift.
  bool dunning_block = false;
  std::string created_at;
  std::string updated_at;
};

struct Product {
  ProductId id;
  std::string sku;
  std::string name;
  int64_t unit_price_e4 = 0;  // ten-thousandths of `currency`
  std::string currency;
  int64_t tax_rate_bp = 0;    // hundredths of a percent
  TaxCategory tax_category = TaxCategory::S;
  std::optional<int64_t> unit_cost_e4;
  std::string created_at;
};

struct Warehouse {
  WarehouseId id;
  std::string code;
  std::string name;
  int priority = 100;  // lower is tried first when reserving
  std::string created_at;
};

struct PaymentTerms {
  std::string code;
  std::string description;
  int net_days = 0;
  std::optional<int> discount_days;
  std::optional<int> discount_bp;
};

}  // namespace o2c::masterdata
