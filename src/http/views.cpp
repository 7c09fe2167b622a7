#include "http/views.h"

#include <algorithm>

#include "core/decimal.h"

namespace o2c::http {
namespace {
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(); }
int exponent_of(const std::string& currency) {
  auto c = Currency::of(currency);
  return c ? c->exponent() : 2;
}
}  // namespace

std::string money_text(int64_t minor, const std::string& currency) {
  return format_scaled(minor, exponent_of(currency));
}

std::string price_text(int64_t e4, const std::string& currency) {
  return format_scaled(e4, masterdata::kPriceDecimals, true, exponent_of(currency));
}

json to_json(const app::CompanyView& v) {
  const auto& c = v.company;
  return {{"name", c.name},
          {"vat_id", opt(c.vat_id)},
          {"country", opt(c.country)},
          {"address", opt(c.address)},
          {"iban", opt(c.iban)},
          {"bic", opt(c.bic)},
          {"currency", c.currency},
          {"peppol_id", opt(c.peppol_id)},
          {"time_zone", c.time_zone},
          {"overdue_grace_days", c.overdue_grace_days},
          {"reconcile_auto_threshold", c.reconcile_auto_threshold},
          {"write_off_tolerance", money_text(c.write_off_tolerance_minor, c.currency)},
          {"email", opt(c.email)},
          {"phone", opt(c.phone)},
          {"complete", v.missing_for_invoicing.empty()},
          {"missing_for_invoicing", v.missing_for_invoicing},
          {"updated_at", c.updated_at}};
}

json to_json(const app::CustomerView& v) {
  const auto& c = v.customer;
  return {{"id", c.id.to_string()},
          {"name", c.name},
          {"email", c.email},
          {"currency", c.currency},
          {"credit_limit", money_text(c.credit_limit_minor, c.currency)},
          {"payment_terms", c.payment_terms},
          {"vat_id", opt(c.vat_id)},
          {"country", c.country},
          {"address", opt(c.address)},
          {"iban", opt(c.iban)},
          {"peppol_id", opt(c.peppol_id)},
          {"billing", std::string(masterdata::to_string(c.billing))},
          {"credit_block", c.credit_block || c.dunning_block},
          {"manual_credit_block", c.credit_block},
          {"dunning_block", c.dunning_block},
          {"dunning_policy", c.dunning_policy},
          {"blocked", c.blocked},
          {"balance", money_text(v.balance_minor, c.currency)},
          {"credit_balance", money_text(v.credit_balance_minor, c.currency)},
          {"credit_available", money_text(v.credit_available_minor, c.currency)},
          {"overdue_amount", money_text(v.overdue_minor, c.currency)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

json to_json(const masterdata::Product& p) {
  return {{"id", p.id.to_string()},
          {"sku", p.sku},
          {"name", p.name},
          {"unit_price", price_text(p.unit_price_e4, p.currency)},
          {"currency", p.currency},
          {"tax_rate", format_scaled(p.tax_rate_bp, masterdata::kTaxRateDecimals)},
          {"tax_category", std::string(masterdata::to_string(p.tax_category))},
          {"unit_cost", p.unit_cost_e4 ? json(price_text(*p.unit_cost_e4, p.currency)) : json()},
          {"created_at", p.created_at}};
}

json to_json(const masterdata::Warehouse& w) {
  return {{"id", w.id.to_string()}, {"code", w.code}, {"name", w.name}, {"priority", w.priority},
          {"created_at", w.created_at}};
}

json to_json(const inventory::StockLevel& l) {
  return {{"sku", l.sku},
          {"product_id", l.product_id.to_string()},
          {"warehouse", l.warehouse_code},
          {"warehouse_id", l.warehouse_id.to_string()},
          {"on_hand", l.on_hand.to_string()},
          {"reserved", l.reserved.to_string()},
          {"available", l.available().to_string()},
          {"average_cost", format_scaled(l.avg_cost_e4, masterdata::kPriceDecimals, true, 2)}};
}

json to_json(const store::Event& e) {
  json payload = json::parse(e.payload, nullptr, false);
  if (payload.is_discarded()) payload = e.payload;
  return {{"seq", e.seq},        {"id", std::to_string(e.seq)}, {"at", e.at},
          {"actor", e.actor},    {"entity", e.entity},          {"entity_id", e.entity_id},
          {"action", e.action},  {"payload", payload},          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

json to_json(const app::Actor& a) {
  json j = {{"id", a.id.to_string()}, {"name", a.name}, {"role", std::string(app::to_string(a.role))}};
  j["customer_id"] = a.customer ? json(a.customer->to_string()) : json();
  return j;
}

json to_json(const masterdata::PaymentTerms& t) {
  json j = {{"code", t.code}, {"description", t.description}, {"net_days", t.net_days}};
  j["discount_days"] = t.discount_days ? json(*t.discount_days) : json();
  j["discount_percent"] = t.discount_bp ? json(format_scaled(*t.discount_bp, 2)) : json();
  return j;
}

json to_json(const order::Order& o) {
  auto qty = [](int64_t milli) { return Quantity::from_milli(milli).to_string(); };
  json lines = json::array();
  for (const auto& l : o.lines) {
    lines.push_back({{"id", l.id.to_string()},
                     {"line_no", l.line_no},
                     {"sku", l.sku},
                     {"product_id", l.product_id.to_string()},
                     {"quantity", qty(l.quantity)},
                     {"reserved", qty(l.reserved)},
                     {"backordered", qty(std::max<int64_t>(0, l.quantity - l.reserved - l.shipped))},
                     {"shipped", qty(l.shipped)},
                     {"invoiced", qty(l.invoiced)},
                     {"unit_price", price_text(l.unit_price_e4, o.currency)},
                     {"price_overridden", l.price_overridden},
                     {"line_net", money_text(l.line_net_minor, o.currency)},
                     {"tax_category", std::string(masterdata::to_string(l.tax_category))},
                     {"tax_rate", format_scaled(l.tax_rate_bp, masterdata::kTaxRateDecimals)}});
  }
  json allowances = json::array(), charges = json::array();
  int64_t allowance_total = 0, charge_total = 0;
  for (const auto& c : o.charges) {
    (c.is_charge ? charges : allowances)
        .push_back({{"amount", money_text(c.amount_minor, o.currency)},
                    {"reason", c.reason},
                    {"tax_category", std::string(masterdata::to_string(c.tax_category))},
                    {"tax_rate", format_scaled(c.tax_rate_bp, masterdata::kTaxRateDecimals)},
                    {"billed", money_text(c.billed_minor, o.currency)}});
    (c.is_charge ? charge_total : allowance_total) += c.amount_minor;
  }
  json reasons = json::array();
  if (o.status == order::OrderStatus::credit_hold) {
    for (const auto& r : o.hold_reasons) reasons.push_back({{"code", r.code}, {"message", r.message}});
  }
  return {{"id", o.id.to_string()},
          {"number", o.number},
          {"status", std::string(order::to_string(o.status))},
          {"customer_id", o.customer_id.to_string()},
          {"currency", o.currency},
          {"external_ref", opt(o.external_ref)},
          {"ship_to", opt(o.ship_to)},
          {"lines", lines},
          {"allowances", allowances},
          {"charges", charges},
          {"net_total", money_text(o.net_total_minor, o.currency)},
          {"allowance_total", money_text(allowance_total, o.currency)},
          {"charge_total", money_text(charge_total, o.currency)},
          {"tax_total", money_text(o.tax_total_minor, o.currency)},
          {"total", money_text(o.total_minor, o.currency)},
          {"hold_reasons", reasons},
          {"created_at", o.created_at},
          {"updated_at", o.updated_at}};
}

json to_json(const shipping::Shipment& s) {
  json lines = json::array();
  for (const auto& l : s.lines) {
    lines.push_back({{"order_line_id", l.order_line_id.to_string()},
                     {"sku", l.sku},
                     {"name", l.product_name},
                     {"warehouse", l.warehouse_code},
                     {"warehouse_id", l.warehouse_id.to_string()},
                     {"bin", opt(l.bin)},
                     {"quantity", Quantity::from_milli(l.quantity).to_string()},
                     {"unit_cost", price_text(l.unit_cost_e4, s.cost_currency)},
                     {"cost", money_text(l.cost_minor, s.cost_currency)}});
  }
  return {{"id", std::to_string(s.id)},
          {"number", s.number},
          {"order_id", s.order_id.to_string()},
          {"order_number", s.order_number},
          {"status", shipping::to_string(s.status)},
          {"carrier", opt(s.carrier)},
          {"tracking_number", opt(s.tracking_number)},
          {"ship_to", opt(s.ship_to)},
          {"shipped_on", s.shipped_on},
          {"delivered_on", opt(s.delivered_on)},
          {"cost", money_text(s.cost_minor, s.cost_currency)},
          {"cost_currency", s.cost_currency},
          {"lines", lines},
          {"invoice_id", s.invoice_id ? json(std::to_string(*s.invoice_id)) : json()},
          {"invoice_number", opt(s.invoice_number)},
          {"created_at", s.created_at}};
}

json to_json(const billing::Invoice& v) {
  const auto& c = v.currency;
  auto rate = [](int64_t bp) { return format_scaled(bp, masterdata::kTaxRateDecimals); };
  json lines = json::array();
  for (const auto& l : v.lines) {
    json j = {{"line_no", l.line_no},
              {"sku", l.sku},
              {"name", l.name},
              {"quantity", Quantity::from_milli(l.quantity).to_string()},
              {"unit_price", price_text(l.unit_price_e4, c)},
              {"tax_category", std::string(masterdata::to_string(l.tax_category))},
              {"tax_rate", rate(l.tax_rate_bp)},
              {"line_net", money_text(l.line_net_minor, c)},
              {"order_id", l.order_id ? json(l.order_id->to_string()) : json()},
              {"order_number", l.order_number.empty() ? json() : json(l.order_number)},
              {"order_line_id", l.order_line_id ? json(l.order_line_id->to_string()) : json()}};
    if (l.credited_line_no) j["credited_line_no"] = *l.credited_line_no;
    lines.push_back(std::move(j));
  }
  json allowances = json::array(), charges = json::array();
  for (const auto& ch : v.charges) {
    (ch.is_charge ? charges : allowances)
        .push_back({{"amount", money_text(ch.amount_minor, c)},
                    {"reason", ch.reason},
                    {"tax_category", std::string(masterdata::to_string(ch.tax_category))},
                    {"tax_rate", rate(ch.tax_rate_bp)}});
  }
  json taxes = json::array();
  for (const auto& t : v.taxes) {
    taxes.push_back({{"tax_category", std::string(masterdata::to_string(t.tax_category))},
                     {"tax_rate", rate(t.tax_rate_bp)},
                     {"taxable", money_text(t.taxable_minor, c)},
                     {"tax", money_text(t.tax_minor, c)},
                     {"exemption_reason_code", opt(t.exemption_code)},
                     {"exemption_reason", opt(t.exemption_reason)}});
  }
  auto party = [](const billing::PartySnapshot& p) {
    return json{{"name", p.name},          {"vat_id", opt(p.vat_id)},       {"country", p.country},
                {"address", opt(p.address)}, {"peppol_id", opt(p.peppol_id)}};
  };
  const bool invoice = v.kind == billing::DocumentKind::invoice;
  json j = {{"id", std::to_string(v.id)},
            {"kind", std::string(billing::to_string(v.kind))},
            {"number", v.number},
            {"customer_id", v.customer_id.to_string()},
            {"order_id", v.order_id ? json(v.order_id->to_string()) : json()},
            {"shipment_id", v.shipment_id ? json(std::to_string(*v.shipment_id)) : json()},
            {"status", std::string(billing::to_string(v.status))},
            {"issue_date", v.issue_date},
            {"due_date", v.due_date},
            {"delivery_date", opt(v.delivery_date)},
            {"payment_terms", v.payment_terms},
            {"discount_date", opt(v.discount_date)},
            {"discount_amount", v.discount_minor ? json(money_text(*v.discount_minor, c)) : json()},
            {"currency", c},
            {"lines", lines},
            {"allowances", allowances},
            {"charges", charges},
            {"tax_breakdown", taxes},
            {"net_total", money_text(v.net_total_minor, c)},
            {"allowance_total", money_text(v.allowance_total_minor, c)},
            {"charge_total", money_text(v.charge_total_minor, c)},
            {"tax_exclusive", money_text(v.tax_exclusive_minor, c)},
            {"tax_total", money_text(v.tax_total_minor, c)},
            {"total", money_text(v.total_minor, c)},
            {"open_amount", money_text(invoice ? v.open_minor : 0, c)},
            {"functional_currency", v.functional_currency},
            {"fx_rate", billing::format_rate_e10(v.fx_rate_e10)},
            {"total_functional", money_text(v.total_functional_minor, v.functional_currency)},
            {"creditor_reference", opt(v.creditor_reference)},
            {"buyer_reference", opt(v.buyer_reference)},
            {"seller", party(v.seller)},
            {"buyer", party(v.buyer)},
            {"created_at", v.created_at}};
  if (!invoice) {
    j["credited_invoice_id"] = v.credited_invoice_id ? json(std::to_string(*v.credited_invoice_id)) : json();
    j["credited_invoice_number"] = v.credited_invoice_number;
    j["reason"] = opt(v.reason);
  }
  return j;
}

json to_json(const payments::AppliedAllocation& a, const std::string& currency) {
  return {{"invoice_id", std::to_string(a.invoice_id)},
          {"invoice_number", a.invoice_number},
          {"amount", money_text(a.cash_minor, currency)},
          {"discount", money_text(a.discount_minor, currency)},
          {"write_off", money_text(a.write_off_minor, currency)}};
}

json to_json(const payments::Payment& p) {
  json allocations = json::array();
  for (const auto& a : p.allocations) allocations.push_back(to_json(a, p.currency));
  return {{"id", std::to_string(p.id)},
          {"customer_id", p.customer_id.to_string()},
          {"amount", money_text(p.amount_minor, p.currency)},
          {"currency", p.currency},
          {"method", p.method},
          {"reference", p.reference ? json(*p.reference) : json()},
          {"received_on", p.received_on},
          {"status", std::string(payments::to_string(p.status))},
          {"reversed_on", p.reversed_on ? json(*p.reversed_on) : json()},
          {"reversal_reason", p.reversal_reason ? json(*p.reversal_reason) : json()},
          {"allocations", allocations},
          {"allocated", money_text(p.allocated_minor, p.currency)},
          {"unallocated", money_text(p.unallocated_minor, p.currency)},
          {"refunded", money_text(p.refunded_minor, p.currency)},
          {"functional_currency", p.functional_currency},
          {"fx_rate", billing::format_rate_e10(p.fx_rate_e10)},
          {"amount_functional", money_text(p.amount_functional_minor, p.functional_currency)},
          {"ledger_entry_id", p.ledger_entry_id ? json(std::to_string(*p.ledger_entry_id)) : json()},
          {"created_at", p.created_at}};
}

json page_json(json data, const std::optional<std::string>& next_key) {
  return {{"data", std::move(data)}, {"next_cursor", next_key ? json(encode_cursor(*next_key)) : json()}};
}

}  // namespace o2c::http
