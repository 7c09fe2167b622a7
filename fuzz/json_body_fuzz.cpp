// libFuzzer target: a request body from the network, through the same steps
// the master-data routes take (parse, read fields, validate). Nothing here
// may crash, and what validation accepts must be stable: feeding a clean
// record back in must give the same record.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.h"
#include "core/money.h"
#include "domain/masterdata/fields.h"
#include "domain/masterdata/rules.h"
#include "http/json_io.h"

namespace {

using o2c::http::json;
namespace md = o2c::masterdata;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "json_body_fuzz: %s\n", what);
  std::abort();
}

// A field the route could not read is what the route would have refused
// with 400; for the rules it is simply absent.
md::Text field(const json& body, const char* name) {
  auto r = o2c::http::text_field(body, name);
  if (!r.ok()) {
    if (r.error().field != name) fail("invalid_type error names another field");
    return std::nullopt;
  }
  return *r;
}

void check_error(const o2c::Error& e) {
  if (e.code.empty() || e.message.empty()) fail("error without code or message");
  // Serialised exactly as router.cpp's send_error does (strict UTF-8): an
  // exception here is a 500 for the client instead of the 4xx it earned.
  std::string text;
  try {
    text = o2c::http::error_body(e).dump();
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "json_body_fuzz: error_body(%s).dump() threw: %s\n  message: %s\n", e.code.c_str(),
                 ex.what(), e.message.c_str());
    std::abort();
  }
  if (text.empty()) fail("empty error body");
  const int status = o2c::http::status_of(e.kind);
  if (status < 400 || status > 599) fail("error status outside 4xx/5xx");
}

void customer(const json& body) {
  md::CustomerDraft d;
  d.name = field(body, "name");
  d.email = field(body, "email");
  d.currency = field(body, "currency");
  d.credit_limit = field(body, "credit_limit");
  d.payment_terms = field(body, "payment_terms");
  d.vat_id = field(body, "vat_id");
  d.country = field(body, "country");
  d.address = field(body, "address");
  d.iban = field(body, "iban");
  d.peppol_id = field(body, "peppol_id");
  d.billing = field(body, "billing");
  auto r = md::validate_customer(d);
  if (!r.ok()) return check_error(r.error());

  const md::Customer& c = *r;
  if (!md::is_valid_email(c.email) || !md::is_country_code(c.country)) fail("customer accepted with bad fields");
  if (c.iban && !md::is_valid_iban(*c.iban)) fail("customer accepted with an invalid IBAN");
  if (c.credit_limit_minor < 0) fail("negative credit limit accepted");

  md::CustomerDraft again;
  again.name = c.name;
  again.email = c.email;
  again.currency = c.currency;
  again.credit_limit = o2c::Money(c.credit_limit_minor, *o2c::Currency::of(c.currency)).to_string();
  again.payment_terms = c.payment_terms;
  again.vat_id = c.vat_id;
  again.country = c.country;
  again.address = c.address;
  again.iban = c.iban;
  again.peppol_id = c.peppol_id;
  again.billing = std::string(md::to_string(c.billing));
  auto r2 = md::validate_customer(again);
  if (!r2.ok()) fail("a validated customer does not validate again");
  if (r2->name != c.name || r2->email != c.email || r2->credit_limit_minor != c.credit_limit_minor ||
      r2->iban != c.iban || r2->vat_id != c.vat_id || r2->address != c.address || r2->billing != c.billing) {
    fail("customer validation is not idempotent");
  }
}

void product(const json& body) {
  md::ProductDraft d;
  d.sku = field(body, "sku");
  d.name = field(body, "name");
  d.unit_price = field(body, "unit_price");
  d.currency = field(body, "currency");
  d.tax_rate = field(body, "tax_rate");
  d.tax_category = field(body, "tax_category");
  d.unit_cost = field(body, "unit_cost");
  auto r = md::validate_product(d);
  if (!r.ok()) return check_error(r.error());

  const md::Product& p = *r;
  if (p.unit_price_e4 < 0 || p.tax_rate_bp < 0 || p.tax_rate_bp > md::kTaxRateMaxBp) fail("product out of bounds");
  md::ProductDraft again;
  again.sku = p.sku;
  again.name = p.name;
  again.unit_price = o2c::format_scaled(p.unit_price_e4, md::kPriceDecimals, true);
  again.currency = p.currency;
  again.tax_rate = o2c::format_scaled(p.tax_rate_bp, md::kTaxRateDecimals, true);
  again.tax_category = std::string(md::to_string(p.tax_category));
  if (p.unit_cost_e4) again.unit_cost = o2c::format_scaled(*p.unit_cost_e4, md::kPriceDecimals, true);
  auto r2 = md::validate_product(again);
  if (!r2.ok()) fail("a validated product does not validate again");
  if (r2->unit_price_e4 != p.unit_price_e4 || r2->tax_rate_bp != p.tax_rate_bp || r2->unit_cost_e4 != p.unit_cost_e4 ||
      r2->sku != p.sku) {
    fail("product validation is not idempotent");
  }
}

void company_and_warehouse(const json& body) {
  md::CompanyDraft c;
  c.name = field(body, "name");
  c.vat_id = field(body, "vat_id");
  c.country = field(body, "country");
  c.address = field(body, "address");
  c.iban = field(body, "iban");
  c.bic = field(body, "bic");
  c.currency = field(body, "currency");
  c.peppol_id = field(body, "peppol_id");
  c.time_zone = field(body, "time_zone");
  if (auto r = md::validate_company(c); !r.ok()) {
    check_error(r.error());
  } else {
    (void)md::company_missing_for_invoicing(*r);
  }

  md::WarehouseDraft w;
  w.code = field(body, "code");
  w.name = field(body, "name");
  if (auto p = o2c::http::int_field(body, "priority"); p.ok()) {
    w.priority = *p;
  } else {
    check_error(p.error());
  }
  if (auto r = md::validate_warehouse(w); !r.ok()) {
    check_error(r.error());
  } else if (r->priority < 0 || r->priority > 1000000) {
    fail("warehouse priority out of bounds");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = o2c::http::parse_object(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!body.ok()) {
    if (body.error().code != "malformed_json") fail("parse_object error is not malformed_json");
    check_error(body.error());
    return 0;
  }
  if (!body->is_object()) fail("parse_object returned a non-object");
  customer(*body);
  product(*body);
  company_and_warehouse(*body);
  return 0;
}
