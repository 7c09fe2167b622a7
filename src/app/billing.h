#pragma once
// Use cases of billing: issue invoices (per shipment, or the consolidated
// billing run), credit notes against them, exchange rates, and the reads.
// Issuing numbers the document gaplessly in the caller's unit of work, posts
// it to the ledger (AR / revenue + tax payable per category and rate, in the
// functional currency), moves the order lines' invoiced quantities and the
// order's status, and writes audit and outbox, all in one commit.
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/billing/invoice.h"
#include "domain/masterdata/rules.h"
#include "domain/order/records.h"
#include "domain/shipping/records.h"
#include "formats/invoice_document.h"
#include "store/invoices_repo.h"

namespace o2c::app {

// The invoice for what `shipment` shipped of `order`, when the customer bills
// per shipment (nullopt for consolidated billing). Errors: 422
// company_incomplete (the seller profile lacks what an invoice needs),
// fx_rate_missing, buyer_vat_id_required, seller_vat_id_required,
// outside_scope_mixed. `order` is the order as the shipment left it.
Result<std::optional<billing::Invoice>> invoice_shipment(Context& ctx, order::Order& order,
                                                          const shipping::Shipment& shipment);

// One invoice per consolidated-billing customer for every shipped, uninvoiced
// line, issued on `as_of` (default the business date). A second run finds
// nothing left and issues nothing. Same errors as invoice_shipment.
Result<std::vector<billing::Invoice>> run_billing(Context& ctx, const masterdata::Text& as_of);

// A document for dunning fees and interest, in the FEE series, posted to fee
// income: one line per fee or interest charge (category O, outside the scope
// of VAT). It is an invoice like any other: open, payable, allocatable.
struct FeeLine {
  std::string description;
  int64_t amount_minor = 0;  // > 0, the customer's currency
};
Result<billing::Invoice> issue_fee_invoice(Context& ctx, const masterdata::Customer& customer,
                                           const std::vector<FeeLine>& lines, Date issue_date,
                                           const std::string& reference);

struct CreditNoteLineDraft {
  masterdata::Text sku;
  masterdata::Text quantity;
};
struct CreditNoteDraft {
  std::optional<std::vector<CreditNoteLineDraft>> lines;  // nullopt: everything left
  masterdata::Text reason;
  masterdata::Text as_of;
};
// A credit note against an invoice: it reduces the invoice's open amount,
// and what exceeds it (the invoice was paid) becomes customer credit. Errors:
// 404 invoice_not_found; 422 required (reason), invalid_date, not_an_invoice,
// credit_note_before_invoice, and plan_credit_note's; 409 nothing_to_credit.
Result<billing::Invoice> issue_credit_note(Context& ctx, int64_t invoice_id, const CreditNoteDraft& draft);

Result<billing::Invoice> get_invoice(store::UnitOfWork& uow, int64_t id);
std::vector<billing::Invoice> list_invoices(store::UnitOfWork& uow, const store::invoices::ListFilter& f,
                                            const store::PageRequest& page);
// The invoice issued for a shipment, if any: (id, number).
std::optional<std::pair<int64_t, std::string>> invoice_of_shipment(store::UnitOfWork& uow, int64_t shipment_id);

// An issued document in the shape the PDF and UBL renderers take.
Result<formats::InvoiceDocument> document_of(store::UnitOfWork& uow, const billing::Invoice& inv);

struct FxRateDraft {
  masterdata::Text currency, date, rate;
};
struct FxRateResult {
  store::invoices::Rate rate;
  bool replaced = false;
};
// Errors: 422 required / unknown_currency (currency), functional_currency
// (a rate for the functional currency itself), invalid_date (date),
// invalid_rate / too_many_decimals (rate).
Result<FxRateResult> put_fx_rate(Context& ctx, const FxRateDraft& draft);

}  // namespace o2c::app
