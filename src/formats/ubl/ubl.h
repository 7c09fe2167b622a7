#pragma once
// UBL 2.1 e-invoices as Peppol BIS Billing 3.0 (a CIUS of EN 16931): an
// Invoice (type code 380) or a CreditNote (381) from an InvoiceDocument.
//
// The renderer formats; it never computes a total. It refuses (error kind
// unprocessable) a document it cannot express as a valid Peppol BIS 3
// invoice instead of writing a wrong one:
//   einvoice_currency_unsupported  a currency with more than 2 decimals (KWD,
//                                  BHD...): EN 16931 allows at most 2 (BR-DEC)
//   einvoice_incomplete            something a rule requires is missing, e.g.
//                                  the buyer's VAT id on a reverse-charge (AE)
//                                  invoice; `field` names it
//   einvoice_invalid               a value in a form the rules refuse, e.g. a
//                                  VAT id without its country prefix
//   einvoice_seller_country_unsupported  Greek and Icelandic sellers: their
//                                  national Peppol rules need data o2c lacks
// What is checked and what is followed by hand: docs/decisions.md.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/invoice_document.h"

namespace o2c::formats::ubl {

inline constexpr std::string_view kCustomizationId =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
inline constexpr std::string_view kProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

// The XML text, UTF-8, with an XML declaration.
Result<std::string> to_ubl(const InvoiceDocument& doc);

// A Peppol electronic address (BT-34 / BT-49): scheme from the EAS code list.
struct Endpoint {
  std::string scheme;      // "9930"
  std::string identifier;  // "DE811907980"
};

// The party's `peppol_id` ("EAS:identifier"), or one derived from its VAT id
// when it has none (DE811907980 -> 9930:DE811907980; the table and the
// national forms are in ubl.cpp). nullopt: neither gives one.
std::optional<Endpoint> endpoint_of(const Party& party);

// Party::address split into UBL's fields. Lines are separated by '\n' or
// ", "; the first is the street; a later line that starts with a postal code
// ("10115 Berlin", "1012 AB Amsterdam", "114 55 Stockholm", "00-950 Warszawa")
// gives the postal zone and the city; without one the last line is the city.
// Lines in between go to the additional street name, then to an address line.
struct PostalAddress {
  std::string street;             // BT-35
  std::string additional_street;  // BT-36
  std::string address_line;       // BT-162
  std::string city;               // BT-37
  std::string postal_zone;        // BT-38
};
PostalAddress parse_address(std::string_view text);

}  // namespace o2c::formats::ubl
