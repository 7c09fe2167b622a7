#include "domain/masterdata/rules.h"

#include <cctype>
#include <vector>

#include "core/decimal.h"
#include "core/money.h"
#include "domain/masterdata/fields.h"

namespace o2c::masterdata {

std::string_view to_string(Billing b) {
  switch (b) {
    case Billing::per_shipment: return "per_shipment";
    case Billing::consolidated: return "consolidated";
  }
  return "per_shipment";
}

std::string_view to_string(TaxCategory c) {
  switch (c) {
    case TaxCategory::S: return "S";
    case TaxCategory::Z: return "Z";
    case TaxCategory::E: return "E";
    case TaxCategory::AE: return "AE";
    case TaxCategory::K: return "K";
    case TaxCategory::G: return "G";
    case TaxCategory::O: return "O";
  }
  return "S";
}

std::optional<TaxCategory> tax_category_from(std::string_view s) {
  for (auto c : {TaxCategory::S, TaxCategory::Z, TaxCategory::E, TaxCategory::AE, TaxCategory::K,
                 TaxCategory::G, TaxCategory::O}) {
    if (to_string(c) == s) return c;
  }
  return std::nullopt;
}

namespace {

Error with_field(Error e, std::string_view field) {
  e.field = std::string(field);
  return e;
}

Result<std::optional<std::string>> optional_checked(const Text& v, std::string_view field,
                                                    bool (*check)(std::string_view),
                                                    std::string_view code, std::string_view what,
                                                    bool compact = false) {
  O2C_ASSIGN_OR_RETURN(auto t, optional_text(v, field));
  if (!t) return t;
  std::string s = compact ? compact_iban(*t) : *t;
  if (!check(s)) {
    return Error::invalid(std::string(code), "'" + *t + "' is not " + std::string(what),
                          std::string(field));
  }
  return std::optional<std::string>(s);
}

bool valid_time_zone(std::string_view tz) {
  // IANA names: "UTC" or Area/Location built from letters, digits, '_', '-', '+', '/'.
  if (tz == "UTC") return true;
  if (tz.empty() || tz.size() > 64 || tz.find('/') == std::string_view::npos) return false;
  if (tz.front() == '/' || tz.back() == '/' || tz.find("..") != std::string_view::npos) return false;
  for (char c : tz) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+' || c == '/')) {
      return false;
    }
  }
  return std::isupper(static_cast<unsigned char>(tz.front()));
}

}  // namespace

Result<Currency> parse_currency(const Text& v, std::string_view field) {
  if (!v || trim(*v).empty()) {
    return Error::invalid("required", std::string(field) + " is required", std::string(field));
  }
  auto c = Currency::of(trim(*v));
  if (!c) {
    return Error::invalid("unknown_currency", "'" + *v + "' is not an ISO 4217 currency code",
                          std::string(field));
  }
  return *c;
}

Result<int64_t> parse_amount(const Text& v, const std::string& currency, std::string_view field,
                             bool allow_negative) {
  if (!v) return Error::invalid("required", std::string(field) + " is required", std::string(field));
  auto c = Currency::of(currency);
  if (!c) return Error::invalid("unknown_currency", "unknown currency " + currency, "currency");
  auto m = Money::parse(*v, *c);
  if (!m.ok()) {
    Error e = m.take_error();
    if (e.code == "too_many_decimals") {
      e.message = std::string(field) + " has more decimals than " + currency + " allows (" +
                  std::to_string(c->exponent()) + ")";
    }
    return with_field(std::move(e), field);
  }
  if (!allow_negative && m->is_negative()) {
    return Error::invalid("negative_amount", std::string(field) + " must not be negative",
                          std::string(field));
  }
  return m->minor();
}

Result<int64_t> parse_price(const Text& v, std::string_view field) {
  if (!v) return Error::invalid("required", std::string(field) + " is required", std::string(field));
  auto p = parse_scaled(*v, kPriceDecimals);
  if (!p.ok()) return with_field(p.take_error(), field);
  if (*p < 0) {
    return Error::invalid("negative_amount", std::string(field) + " must not be negative",
                          std::string(field));
  }
  return *p;
}

Result<Company> validate_company(const CompanyDraft& d) {
  Company c;
  O2C_ASSIGN_OR_RETURN(c.name, required_text(d.name, "name"));
  O2C_ASSIGN_OR_RETURN(auto cur, parse_currency(d.currency, "currency"));
  c.currency = std::string(cur.code());
  O2C_ASSIGN_OR_RETURN(c.vat_id, optional_checked(d.vat_id, "vat_id", is_valid_vat_id,
                                                  "invalid_vat_id", "a VAT identifier"));
  O2C_ASSIGN_OR_RETURN(c.country, optional_checked(d.country, "country", is_country_code,
                                                   "invalid_country", "an ISO 3166 country code"));
  O2C_ASSIGN_OR_RETURN(c.address, optional_text(d.address, "address", kAddressMax));
  O2C_ASSIGN_OR_RETURN(c.iban, optional_checked(d.iban, "iban", is_valid_iban, "invalid_iban",
                                                "a valid IBAN", /*compact=*/true));
  O2C_ASSIGN_OR_RETURN(c.bic, optional_checked(d.bic, "bic", is_valid_bic, "invalid_bic", "a BIC"));
  O2C_ASSIGN_OR_RETURN(c.peppol_id, optional_checked(d.peppol_id, "peppol_id", is_valid_peppol_id,
                                                     "invalid_peppol_id",
                                                     "a Peppol id (EAS:identifier)"));
  O2C_ASSIGN_OR_RETURN(c.email, optional_text(d.email, "email", 254));
  if (c.email && !is_valid_email(*c.email)) {
    return Error::invalid("invalid_email", "'" + *c.email + "' is not an e-mail address", "email");
  }
  O2C_ASSIGN_OR_RETURN(c.phone, optional_text(d.phone, "phone", 40));
  O2C_ASSIGN_OR_RETURN(auto tz, optional_text(d.time_zone, "time_zone", 64));
  c.time_zone = tz.value_or("UTC");
  if (!valid_time_zone(c.time_zone)) {
    return Error::invalid("invalid_time_zone", "'" + c.time_zone + "' is not an IANA time zone name",
                          "time_zone");
  }
  if (d.overdue_grace_days) {
    // Mirrors credit::kMaxGraceDays: ten years is a typo, not a policy.
    if (*d.overdue_grace_days < 0 || *d.overdue_grace_days > 3660) {
      return Error::invalid("invalid_grace_days", "overdue_grace_days is a number of days from 0 to 3660",
                            "overdue_grace_days");
    }
    c.overdue_grace_days = static_cast<int>(*d.overdue_grace_days);
  }
  if (d.reconcile_auto_threshold) {
    if (*d.reconcile_auto_threshold < kAutoThresholdMin || *d.reconcile_auto_threshold > kAutoThresholdMax) {
      return Error::invalid("invalid_threshold", "reconcile_auto_threshold is a matcher score from 1 to 100",
                            "reconcile_auto_threshold");
    }
    c.reconcile_auto_threshold = static_cast<int>(*d.reconcile_auto_threshold);
  }
  if (d.write_off_tolerance && !d.write_off_tolerance->empty()) {
    auto m = Money::parse(*d.write_off_tolerance, cur);
    if (!m.ok()) return with_field(m.take_error(), "write_off_tolerance");
    if (m->minor() < 0) {
      return Error::invalid("negative_amount", "write_off_tolerance must not be negative", "write_off_tolerance");
    }
    c.write_off_tolerance_minor = m->minor();
  }
  return c;
}

std::vector<std::string> company_missing_for_invoicing(const Company& c) {
  std::vector<std::string> missing;
  if (!c.vat_id) missing.emplace_back("vat_id");
  if (!c.country) missing.emplace_back("country");
  if (!c.address) missing.emplace_back("address");
  if (!c.iban) missing.emplace_back("iban");
  return missing;
}

Result<PaymentTerms> validate_payment_terms(const PaymentTermsDraft& d) {
  PaymentTerms t;
  O2C_ASSIGN_OR_RETURN(t.code, required_text(d.code, "code", 32));
  for (char ch : t.code) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '/' && ch != '-' && ch != '_' && ch != '.') {
      return Error::invalid("invalid_code", "a payment terms code has letters, digits and / - _ . only", "code");
    }
  }
  O2C_ASSIGN_OR_RETURN(t.description, required_text(d.description, "description", 200));
  if (!d.net_days) return Error::invalid("required", "net_days is required", "net_days");
  if (*d.net_days < 0 || *d.net_days > 3660) {
    return Error::invalid("invalid_days", "net_days is a number of days from 0 to 3660", "net_days");
  }
  t.net_days = static_cast<int>(*d.net_days);
  const bool has_percent = d.discount_percent && !trim(*d.discount_percent).empty();
  if (has_percent != d.discount_days.has_value()) {
    return Error::invalid("incomplete_discount", "an early-payment discount needs both discount_percent and discount_days",
                          has_percent ? "discount_days" : "discount_percent");
  }
  if (has_percent) {
    auto bp = parse_scaled(trim(*d.discount_percent), 2);
    if (!bp.ok() || *bp <= 0 || *bp >= 10000) {
      return Error::invalid("invalid_discount", "discount_percent is a percentage above 0 and below 100 (e.g. \"2\")",
                            "discount_percent");
    }
    if (*d.discount_days < 0 || *d.discount_days >= t.net_days) {
      return Error::invalid("invalid_days", "discount_days must be fewer than net_days", "discount_days");
    }
    t.discount_bp = static_cast<int>(*bp);
    t.discount_days = static_cast<int>(*d.discount_days);
  }
  return t;
}

Result<Customer> validate_customer(const CustomerDraft& d) {
  Customer c;
  O2C_ASSIGN_OR_RETURN(c.name, required_text(d.name, "name"));
  O2C_ASSIGN_OR_RETURN(c.email, required_text(d.email, "email", 254));
  if (!is_valid_email(c.email)) {
    return Error::invalid("invalid_email", "'" + c.email + "' is not an e-mail address", "email");
  }
  O2C_ASSIGN_OR_RETURN(auto cur, parse_currency(d.currency, "currency"));
  c.currency = std::string(cur.code());
  O2C_ASSIGN_OR_RETURN(c.credit_limit_minor, parse_amount(d.credit_limit, c.currency, "credit_limit"));
  O2C_ASSIGN_OR_RETURN(c.payment_terms, required_text(d.payment_terms, "payment_terms", kCodeMax));
  O2C_ASSIGN_OR_RETURN(c.country, required_text(d.country, "country", 2));
  if (!is_country_code(c.country)) {
    return Error::invalid("invalid_country", "'" + c.country + "' is not an ISO 3166 country code",
                          "country");
  }
  O2C_ASSIGN_OR_RETURN(c.vat_id, optional_checked(d.vat_id, "vat_id", is_valid_vat_id,
                                                  "invalid_vat_id", "a VAT identifier"));
  O2C_ASSIGN_OR_RETURN(c.address, optional_text(d.address, "address", kAddressMax));
  O2C_ASSIGN_OR_RETURN(c.iban, optional_checked(d.iban, "iban", is_valid_iban, "invalid_iban",
                                                "a valid IBAN", /*compact=*/true));
  O2C_ASSIGN_OR_RETURN(c.peppol_id, optional_checked(d.peppol_id, "peppol_id", is_valid_peppol_id,
                                                     "invalid_peppol_id",
                                                     "a Peppol id (EAS:identifier)"));
  if (d.billing && !trim(*d.billing).empty()) {
    std::string b = trim(*d.billing);
    if (b == "per_shipment") {
      c.billing = Billing::per_shipment;
    } else if (b == "consolidated") {
      c.billing = Billing::consolidated;
    } else {
      return Error::invalid("invalid_billing", "billing must be per_shipment or consolidated", "billing");
    }
  }
  if (d.dunning_policy && !trim(*d.dunning_policy).empty()) {
    O2C_ASSIGN_OR_RETURN(c.dunning_policy, required_text(d.dunning_policy, "dunning_policy", 32));
  }
  return c;
}

Result<Product> validate_product(const ProductDraft& d) {
  Product p;
  O2C_ASSIGN_OR_RETURN(p.sku, required_text(d.sku, "sku", kCodeMax));
  for (char ch : p.sku) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' ||
          ch == '/')) {
      return Error::invalid("invalid_sku", "a SKU holds letters, digits and - _ . / only", "sku");
    }
  }
  O2C_ASSIGN_OR_RETURN(p.name, required_text(d.name, "name"));
  O2C_ASSIGN_OR_RETURN(auto cur, parse_currency(d.currency, "currency"));
  p.currency = std::string(cur.code());
  O2C_ASSIGN_OR_RETURN(p.unit_price_e4, parse_price(d.unit_price, "unit_price"));
  if (!d.tax_rate) return Error::invalid("required", "tax_rate is required", "tax_rate");
  auto rate = parse_scaled(*d.tax_rate, kTaxRateDecimals);
  if (!rate.ok()) return with_field(rate.take_error(), "tax_rate");
  if (*rate < 0 || *rate > kTaxRateMaxBp) {
    return Error::invalid("invalid_tax_rate", "tax_rate is a percentage between 0 and 100", "tax_rate");
  }
  p.tax_rate_bp = *rate;
  if (!d.tax_category) return Error::invalid("required", "tax_category is required", "tax_category");
  auto cat = tax_category_from(trim(*d.tax_category));
  if (!cat) {
    return Error::invalid("invalid_tax_category",
                          "tax_category must be one of S, Z, E, AE, K, G, O (EN 16931 UNCL5305)",
                          "tax_category");
  }
  p.tax_category = *cat;
  // EN 16931: only the standard category carries a positive rate (BR-S-05, BR-Z-05, BR-E-05 ...).
  if (p.tax_category == TaxCategory::S && p.tax_rate_bp == 0) {
    return Error::invalid("invalid_tax_rate", "category S (standard) needs a rate above zero", "tax_rate");
  }
  if (p.tax_category != TaxCategory::S && p.tax_rate_bp != 0) {
    return Error::invalid("invalid_tax_rate",
                          "category " + std::string(to_string(p.tax_category)) + " has a rate of 0",
                          "tax_rate");
  }
  if (d.unit_cost && !trim(*d.unit_cost).empty()) {  // blank = not given, as for every optional field
    O2C_ASSIGN_OR_RETURN(auto cost, parse_price(d.unit_cost, "unit_cost"));
    p.unit_cost_e4 = cost;
  }
  return p;
}

Result<Warehouse> validate_warehouse(const WarehouseDraft& d) {
  Warehouse w;
  O2C_ASSIGN_OR_RETURN(w.code, required_text(d.code, "code", kCodeMax));
  for (char ch : w.code) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) {
      return Error::invalid("invalid_code", "a warehouse code holds letters, digits, - and _ only", "code");
    }
  }
  O2C_ASSIGN_OR_RETURN(w.name, required_text(d.name, "name"));
  if (d.priority) {
    if (*d.priority < 0 || *d.priority > 1000000) {
      return Error::invalid("invalid_priority", "priority is between 0 and 1000000", "priority");
    }
    w.priority = static_cast<int>(*d.priority);
  }
  return w;
}

}  // namespace o2c::masterdata
