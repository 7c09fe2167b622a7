#pragma once
// An issued invoice or credit note as the outside world reads it: the one
// shape the renderers (PDF in src/formats/pdf, UBL 2.1 / Peppol BIS 3 in
// src/formats/ubl) take. The use case fills it from the stored document;
// every amount in it is final (computed and rounded by the billing domain),
// so a renderer only formats, it never computes a total again.
//
// Codes follow EN 16931: tax categories S, Z, E, AE, K, G, O (UNCL5305),
// countries ISO 3166-1 alpha-2, currencies ISO 4217, units UN/ECE rec. 20.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/currency.h"
#include "core/date.h"
#include "core/money.h"
#include "core/quantity.h"

namespace o2c::formats {

// Money and Currency have no empty state; fields start in EUR at zero and
// the builder sets every one of them.
inline Currency default_currency() { return *Currency::of("EUR"); }
inline Money zero_money() { return Money::zero(default_currency()); }

struct Party {
  std::string name;
  std::optional<std::string> vat_id;     // with its country prefix, e.g. "DE811907980"
  std::string country;                   // ISO 3166-1 alpha-2
  // Free text as the user typed it; lines separated by '\n' or ", ". A line
  // that starts with a postal code ("10115 Berlin") is the city line.
  std::optional<std::string> address;
  // Electronic address "EAS:identifier", e.g. "9930:DE811907980" (Peppol
  // endpoint, scheme from the EAS code list). nullopt: none given.
  std::optional<std::string> peppol_id;
  std::optional<std::string> email;
  // Contact telephone (BT-42, BT-57). Peppol's German rules require the
  // seller's on invoices between two German parties (DE-R-006).
  std::optional<std::string> phone;
};

struct DocumentLine {
  std::string id;    // "1", "2", ... (BT-126)
  std::string sku;   // seller's item id (BT-155)
  std::string name;  // item name (BT-153)
  Quantity quantity; // > 0 (a credit note's quantities are positive too)
  std::string unit_code = "C62";  // "one" (UN/ECE rec. 20)
  int64_t unit_price_e4 = 0;      // net price per unit, ten-thousandths of the currency (BT-146)
  Money line_net = zero_money();                 // quantity x price rounded to the currency (BT-131)
  std::string tax_category;       // "S", "Z", "E", "AE", "K", "G", "O"
  int64_t tax_rate_bp = 0;        // hundredths of a percent: 19 % = 1900
  std::optional<std::string> order_reference;  // the order's number, when the document spans orders
};

// A document-level allowance (BG-20) or charge (BG-21).
struct AllowanceCharge {
  bool is_charge = false;
  Money amount = zero_money();
  std::string reason;
  std::string tax_category;
  int64_t tax_rate_bp = 0;
};

// One line of the VAT breakdown (BG-23).
struct TaxSubtotal {
  std::string category;
  int64_t rate_bp = 0;
  Money taxable = zero_money();
  Money tax = zero_money();
  // Required for E, AE, K, G, O (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10,
  // BR-O-10): a VATEX code (e.g. "VATEX-EU-AE") and/or a text.
  std::optional<std::string> exemption_reason_code;
  std::optional<std::string> exemption_reason;
};

enum class DocumentKind { invoice, credit_note };

struct InvoiceDocument {
  DocumentKind kind = DocumentKind::invoice;
  std::string number;  // "INV-2026-000001" / "CN-2026-000001"
  Date issue_date;
  std::optional<Date> due_date;  // invoices; nullopt on credit notes
  Currency currency = default_currency();  // document currency (BT-5)
  // The seller's functional currency when it differs from the document's:
  // the VAT total is then also stated in it (BT-6, BT-111), converted at `fx_rate`.
  std::optional<Currency> tax_currency;
  std::optional<Money> tax_total_in_tax_currency;
  std::optional<std::string> fx_rate;  // decimal text, functional units per document unit

  std::optional<std::string> buyer_reference;  // BT-10
  std::optional<std::string> order_reference;  // BT-13: the sales order number
  // Credit notes: the invoice they correct (BT-25, BT-26).
  std::optional<std::string> preceding_invoice_number;
  std::optional<Date> preceding_invoice_date;
  std::optional<std::string> note;  // BT-22, e.g. a credit note's reason

  Party seller;
  Party buyer;
  std::optional<Date> delivery_date;            // BT-72: the shipping date
  std::optional<std::string> delivery_country;  // BT-80

  // Payment instructions (BG-16, BT-20).
  std::optional<std::string> iban;                // seller's account (BT-84)
  std::optional<std::string> bic;                 // BT-86
  std::optional<std::string> creditor_reference;  // ISO 11649 "RF18539007547034" (BT-83)
  std::string payment_terms;                      // human text, e.g. "Net 30 days"
  std::optional<Date> discount_date;              // early-payment discount, if any
  std::optional<Money> discount_amount;

  std::vector<DocumentLine> lines;
  std::vector<AllowanceCharge> allowances_charges;
  std::vector<TaxSubtotal> tax_subtotals;

  // Totals (BG-22), all in `currency`.
  Money net_total = zero_money();        // sum of line nets (BT-106)
  Money allowance_total = zero_money();  // BT-107
  Money charge_total = zero_money();     // BT-108
  Money tax_exclusive = zero_money();    // BT-109
  Money tax_total = zero_money();        // BT-110
  Money total = zero_money();            // tax inclusive (BT-112)
  Money paid = zero_money();             // already paid or credited at rendering time (BT-113); usually 0
  Money payable = zero_money();          // BT-115 = total - paid
};

}  // namespace o2c::formats
