#pragma once
// The invoice and the credit note as the business sees them, and the pure
// rules around issuing them: numbering, due dates from payment terms, the
// structured creditor reference, the tax rules a buyer and seller must meet
// per category, conversion to the functional currency, and the status that
// follows from what has been settled.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.h"
#include "core/date.h"
#include "core/id.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/billing/totals.h"
#include "domain/masterdata/records.h"

namespace o2c::billing {

enum class DocumentKind { invoice, credit_note };
std::string_view to_string(DocumentKind k);

// Names frozen (stored, and returned by the API). Credit notes are `issued`.
enum class InvoiceStatus { open, partially_paid, paid, credit_noted, issued };
std::string_view to_string(InvoiceStatus s);
std::optional<InvoiceStatus> invoice_status_from(std::string_view s);

// Seller or buyer as they were when the document was issued: a later change
// of address never alters an issued document.
struct PartySnapshot {
  std::string name;
  std::optional<std::string> vat_id;
  std::string country;
  std::optional<std::string> address;
  std::optional<std::string> peppol_id;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> iban;
  std::optional<std::string> bic;
};

struct InvoiceLine {
  int line_no = 0;
  std::optional<OrderId> order_id;
  std::string order_number;
  std::optional<OrderLineId> order_line_id;
  std::optional<int> credited_line_no;  // credit notes
  ProductId product_id;
  std::string sku;
  std::string name;
  int64_t quantity = 0;  // thousandths, > 0
  int64_t unit_price_e4 = 0;
  TaxCategory tax_category = TaxCategory::S;
  int64_t tax_rate_bp = 0;
  int64_t line_net_minor = 0;
};

struct InvoiceCharge {
  bool is_charge = false;
  int64_t amount_minor = 0;
  std::string reason;
  TaxCategory tax_category = TaxCategory::S;
  int64_t tax_rate_bp = 0;
};

struct InvoiceTax {
  TaxCategory tax_category = TaxCategory::S;
  int64_t tax_rate_bp = 0;
  int64_t taxable_minor = 0;
  int64_t tax_minor = 0;
  std::optional<std::string> exemption_code;
  std::optional<std::string> exemption_reason;
};

struct Invoice {
  int64_t id = 0;
  DocumentKind kind = DocumentKind::invoice;
  std::string number;
  std::string series;
  int year = 0;
  int64_t seq = 0;
  CustomerId customer_id;
  std::optional<OrderId> order_id;
  std::optional<int64_t> shipment_id;
  std::optional<int64_t> credited_invoice_id;
  std::string credited_invoice_number;  // read back for credit notes
  std::string credited_invoice_date;
  InvoiceStatus status = InvoiceStatus::open;
  std::string issue_date;
  std::string due_date;
  std::optional<std::string> delivery_date;
  std::string payment_terms;
  std::optional<std::string> discount_date;
  std::optional<int64_t> discount_minor;
  std::string currency;
  int64_t net_total_minor = 0;
  int64_t allowance_total_minor = 0;
  int64_t charge_total_minor = 0;
  int64_t tax_exclusive_minor = 0;
  int64_t tax_total_minor = 0;
  int64_t total_minor = 0;
  int64_t open_minor = 0;
  std::string functional_currency;
  int64_t fx_rate_e10 = 0;
  int64_t total_functional_minor = 0;
  int64_t open_functional_minor = 0;
  std::optional<std::string> creditor_reference;
  std::optional<std::string> reason;
  std::optional<std::string> buyer_reference;
  PartySnapshot seller;
  PartySnapshot buyer;
  std::optional<UserId> created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<InvoiceLine> lines;
  std::vector<InvoiceCharge> charges;  // allowances (is_charge false) and charges
  std::vector<InvoiceTax> taxes;
};

inline constexpr const char* kInvoiceSeries = "INV";
inline constexpr const char* kCreditNoteSeries = "CN";
inline constexpr const char* kFeeSeries = "FEE";  // dunning fees and interest

// "INV-2026-000001": series, issue year, the sequence zero-padded to six
// digits (wider once it outgrows them).
std::string document_number(std::string_view series, int year, int64_t seq);
// The counter that numbers a series in a year: "INV-2026".
std::string counter_name(std::string_view series, int year);

// ISO 11649 structured creditor reference: "RF" + two check digits + the
// body (1..21 letters and digits, upper case). Check digits as in ISO 7064
// MOD 97-10: the body, then "RF00", letters as 10..35, 98 - (n mod 97).
std::string creditor_reference(std::string_view body);
// True when `ref` (spaces ignored, any case) is a well-formed reference
// whose check digits hold.
bool valid_creditor_reference(std::string_view ref);
// The body that makes an invoice's reference unique: year and sequence,
// e.g. 2026000001 (the series is implied: only invoices carry one).
std::string creditor_reference_body(int year, int64_t seq);
// The same for another series than INV: its name first (FEE2026000001), so
// that documents of two series never share a reference.
std::string creditor_reference_body(std::string_view series, int year, int64_t seq);

// Due date and early-payment discount of a document issued on `issue` for
// `total`. The discount is total x discount_bp, rounded half away from zero.
struct DueTerms {
  Date due_date;
  std::optional<Date> discount_date;
  std::optional<Money> discount;
};
Result<DueTerms> due_terms(const masterdata::PaymentTerms& terms, Date issue, const Money& total);

// The default exemption reason (code from the CEF VATEX list, and a text)
// that the VAT breakdown of categories E, AE, K, G and O must carry
// (EN 16931 BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10); nullopt for S and Z.
struct Exemption {
  std::string code;
  std::string text;
};
std::optional<Exemption> default_exemption(TaxCategory c);

// What the parties must carry for the categories on a document (EN 16931):
//   AE (reverse charge): buyer VAT id (BR-AE-02..04) and seller VAT id;
//   K (intra-community): buyer and seller VAT ids (BR-IC-02..04);
//   G (export): seller VAT id (BR-G-02);
//   O (outside scope): no other category on the same document (BR-O-11..14).
// Errors (422, field empty): buyer_vat_id_required, seller_vat_id_required,
// outside_scope_mixed.
Status check_tax_parties(const std::vector<TaxGroup>& groups, bool seller_has_vat_id, bool buyer_has_vat_id);

// An exchange rate: functional units per one document unit, as an exact
// decimal with up to 10 decimals ("1.0850", "0.0061234"), > 0. Codes:
// invalid_rate (not a positive decimal), too_many_decimals.
Result<int64_t> parse_rate_e10(std::string_view text);
std::string format_rate_e10(int64_t rate_e10);  // shortest exact form, at least one decimal
inline constexpr int64_t kRateOne = 10'000'000'000;  // 1.0 as e10

// `amount` in the functional currency at `rate_e10`, rounded half away from
// zero to the functional currency's exponent. amount_overflow when too large.
Result<Money> to_functional(const Money& amount, int64_t rate_e10, Currency functional);

// An invoice's status from its settlement: credit_noted when credit notes
// cover its whole total; paid when nothing is open; partially_paid when
// payments (not only credit notes) reduced it; open otherwise.
InvoiceStatus invoice_status(int64_t total_minor, int64_t open_minor, int64_t credited_minor, int64_t paid_minor);

// ---- Credit notes ----------------------------------------------------------

struct CreditRequestLine {
  std::string sku;
  Quantity quantity;
};

// Lines, allowances/charges and tax of a credit note against `invoice`,
// given the credit notes already issued against it. A line credits at most
// what is left of the invoice line; crediting the whole remainder of a line
// credits its remaining net exactly (not quantity x price again), and a
// credit note that takes everything left credits the remaining tax exactly,
// so that credit notes never add up to more than the invoice.
// `request` nullopt: everything still uncredited (a full credit note).
// Errors (422, with field lines[i].sku / lines[i].quantity):
//   unknown_sku (not on the invoice), non_positive_quantity,
//   quantity_exceeds_invoiced (more than is left to credit);
// 409 nothing_to_credit (the invoice is fully credited already).
struct CreditPlan {
  std::vector<InvoiceLine> lines;      // credited_line_no set; line_no 1..n
  std::vector<InvoiceCharge> charges;  // the invoice's, on a credit note that takes everything left
  std::vector<InvoiceTax> taxes;
  int64_t net_total_minor = 0;
  int64_t allowance_total_minor = 0;
  int64_t charge_total_minor = 0;
  int64_t tax_exclusive_minor = 0;
  int64_t tax_total_minor = 0;
  int64_t total_minor = 0;
};
Result<CreditPlan> plan_credit_note(const Invoice& invoice, const std::vector<Invoice>& earlier_credit_notes,
                                    const std::optional<std::vector<CreditRequestLine>>& request);

}  // namespace o2c::billing
