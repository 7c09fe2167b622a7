#pragma once
// The invoice or credit note as a PDF a customer receives: one A4 document,
// laid out with pango (UTF-8 text, wrapping, font fallback) and drawn with
// cairo into memory. Amounts are printed as the document states them; the
// renderer never adds anything up.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/invoice_document.h"

namespace o2c::formats::pdf {

// The EPC069-12 version 2 "SEPA credit transfer" QR payload (known in
// Germany and Austria as GiroCode) for paying `doc`:
//   BCD / 002 / 1 (UTF-8) / SCT / BIC / beneficiary / IBAN / EUR<amount> /
//   purpose (empty) / creditor reference / unstructured text / information
// joined by '\n'; trailing empty elements are left off, as the guideline
// allows only for the last populated element to end the payload.
// nullopt: the document calls for no QR code (a credit note, not in EUR, no
// IBAN, or an amount due outside 0.01 .. 999999999.99).
// Errors (kind unprocessable) when it does but its payment data is unusable:
// "invalid_iban" (shape or check digits), "invalid_bic",
// "invalid_creditor_reference" (ISO 11649 shape or check digits),
// "invalid_beneficiary_name" (empty or not UTF-8), "epc_payload_too_long"
// (over the 331 bytes a version 13 QR code holds at level M).
// The beneficiary name is cut to the 70 characters the guideline allows;
// without a creditor reference the document number is the unstructured
// remittance text, so that the payment can still be matched.
Result<std::optional<std::string>> epc_qr_payload(const InvoiceDocument& doc);

// The PDF bytes of `doc` on A4 pages: header with both parties, the lines
// (the table header repeated on every page), allowances and charges, the
// VAT breakdown, totals, payment terms and instructions with the EPC QR code
// when epc_qr_payload gives one, and "page n of m" in every footer.
// Errors: those of epc_qr_payload; "no_fonts" (internal) when fontconfig
// finds no font at all; internal when cairo fails.
Result<std::string> render_invoice_pdf(const InvoiceDocument& doc);

// "DE89370400440532013000" -> "DE89 3704 0044 0532 0130 00": how an IBAN
// or a creditor reference is printed for people (spaces removed first).
std::string group_by_four(std::string_view code);

// "1234567.50" -> "1,234,567.50": the exact text of Money::to_string with
// thousands separated.
std::string format_amount(const Money& amount);

}  // namespace o2c::formats::pdf
