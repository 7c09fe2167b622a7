#pragma once
// Records to API JSON: money as exact decimal strings in the document's
// currency, quantities as decimal strings, ids as strings.
#include "app/masterdata.h"
#include "domain/billing/invoice.h"
#include "domain/order/records.h"
#include "domain/payments/payment.h"
#include "domain/shipping/records.h"
#include "app/users.h"
#include "http/json_io.h"
#include "store/repos.h"

namespace o2c::http {

std::string money_text(int64_t minor, const std::string& currency);
std::string price_text(int64_t e4, const std::string& currency);  // at least the currency's decimals

json to_json(const app::CompanyView& c);
json to_json(const app::CustomerView& c);
json to_json(const masterdata::Product& p);
json to_json(const masterdata::Warehouse& w);
json to_json(const inventory::StockLevel& l);
json to_json(const store::Event& e);
json to_json(const app::Actor& a);
json to_json(const masterdata::PaymentTerms& t);
json to_json(const order::Order& o);
json to_json(const shipping::Shipment& s);
json to_json(const billing::Invoice& v);
json to_json(const payments::Payment& p);
json to_json(const payments::AppliedAllocation& a, const std::string& currency);

// {"data": [...], "next_cursor": "..."|null}
json page_json(json data, const std::optional<std::string>& next_key);

}  // namespace o2c::http
