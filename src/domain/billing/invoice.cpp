#include "domain/billing/invoice.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <utility>

#include "core/decimal.h"

namespace o2c::billing {
namespace {

constexpr int64_t kBpPerWhole = 10000;

int64_t pow10(int n) {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// ISO 7064 MOD 97-10 over an alphanumeric string, letters as 10..35.
int mod97(std::string_view s) {
  int r = 0;
  for (char c : s) {
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
    r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r;
}

std::string upper_alnum(std::string_view s, bool* ok) {
  std::string out;
  *ok = true;
  for (char c : s) {
    if (c == ' ') continue;
    const auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(u))) *ok = false;
    out += u;
  }
  return out;
}

struct GroupKey {
  TaxCategory category;
  int64_t rate_bp;
  friend auto operator<=>(const GroupKey&, const GroupKey&) = default;
};

}  // namespace

std::string_view to_string(DocumentKind k) { return k == DocumentKind::invoice ? "invoice" : "credit_note"; }

std::string_view to_string(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::open: return "open";
    case InvoiceStatus::partially_paid: return "partially_paid";
    case InvoiceStatus::paid: return "paid";
    case InvoiceStatus::credit_noted: return "credit_noted";
    case InvoiceStatus::issued: return "issued";
  }
  return "open";
}

std::optional<InvoiceStatus> invoice_status_from(std::string_view s) {
  for (auto st : {InvoiceStatus::open, InvoiceStatus::partially_paid, InvoiceStatus::paid, InvoiceStatus::credit_noted,
                  InvoiceStatus::issued}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::string document_number(std::string_view series, int year, int64_t seq) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "-%04d-%06lld", year, static_cast<long long>(seq));
  return std::string(series) + buf;
}

std::string counter_name(std::string_view series, int year) {
  return std::string(series) + "-" + std::to_string(year);
}

std::string creditor_reference(std::string_view body) {
  bool ok = true;
  const std::string b = upper_alnum(body, &ok);
  const int check = 98 - mod97(b + "RF00");
  const std::string digits{static_cast<char>('0' + check / 10), static_cast<char>('0' + check % 10)};
  return "RF" + digits + b;
}

bool valid_creditor_reference(std::string_view ref) {
  bool ok = true;
  const std::string r = upper_alnum(ref, &ok);
  if (!ok || r.size() < 5 || r.size() > 25 || r.substr(0, 2) != "RF") return false;
  if (!std::isdigit(static_cast<unsigned char>(r[2])) || !std::isdigit(static_cast<unsigned char>(r[3]))) return false;
  return mod97(r.substr(4) + r.substr(0, 4)) == 1;
}

std::string creditor_reference_body(int year, int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%06lld", year, static_cast<long long>(seq));
  return buf;
}

std::string creditor_reference_body(std::string_view series, int year, int64_t seq) {
  if (series == kInvoiceSeries) return creditor_reference_body(year, seq);
  return std::string(series) + creditor_reference_body(year, seq);
}

Result<DueTerms> due_terms(const masterdata::PaymentTerms& terms, Date issue, const Money& total) {
  DueTerms d{issue.add_days(terms.net_days), std::nullopt, std::nullopt};
  if (terms.discount_days && terms.discount_bp && *terms.discount_bp > 0) {
    d.discount_date = issue.add_days(*terms.discount_days);
    O2C_ASSIGN_OR_RETURN(auto amount, total.mul_ratio(*terms.discount_bp, kBpPerWhole));
    d.discount = amount;
  }
  return d;
}

std::optional<Exemption> default_exemption(TaxCategory c) {
  switch (c) {
    case TaxCategory::E: return Exemption{"VATEX-EU-132", "Exempt from VAT"};
    case TaxCategory::AE: return Exemption{"VATEX-EU-AE", "Reverse charge"};
    case TaxCategory::K: return Exemption{"VATEX-EU-IC", "Intra-community supply"};
    case TaxCategory::G: return Exemption{"VATEX-EU-G", "Export outside the EU"};
    case TaxCategory::O: return Exemption{"VATEX-EU-O", "Not subject to VAT"};
    case TaxCategory::S:
    case TaxCategory::Z: return std::nullopt;
  }
  return std::nullopt;
}

Status check_tax_parties(const std::vector<TaxGroup>& groups, bool seller_has_vat_id, bool buyer_has_vat_id) {
  bool has_o = false, has_other = false;
  for (const auto& g : groups) {
    const std::string cat(masterdata::to_string(g.category));
    if (g.category == TaxCategory::O) {
      has_o = true;
    } else {
      has_other = true;
    }
    if ((g.category == TaxCategory::AE || g.category == TaxCategory::K) && !buyer_has_vat_id) {
      return Error::invalid("buyer_vat_id_required",
                            "category " + cat + " (" + default_exemption(g.category)->text +
                                ") needs the customer's VAT id; set it on the customer first");
    }
    if ((g.category == TaxCategory::AE || g.category == TaxCategory::K || g.category == TaxCategory::G) &&
        !seller_has_vat_id) {
      return Error::invalid("seller_vat_id_required", "category " + cat + " needs the company's VAT id");
    }
  }
  if (has_o && has_other) {
    return Error::invalid("outside_scope_mixed",
                          "goods outside the scope of VAT (category O) cannot share a document with taxable goods");
  }
  return {};
}

Result<int64_t> parse_rate_e10(std::string_view text) {
  auto r = parse_scaled(text, 10);
  if (!r.ok()) {
    Error e = r.take_error();
    if (e.code != "too_many_decimals") e.code = "invalid_rate";
    e.message = e.code == "too_many_decimals" ? "a rate has at most 10 decimals"
                                              : "the rate must be a positive decimal such as \"1.0850\"";
    return e;
  }
  if (*r <= 0) return Error::invalid("invalid_rate", "the rate must be greater than zero");
  return *r;
}

std::string format_rate_e10(int64_t rate_e10) { return format_scaled(rate_e10, 10, true, 1); }

Result<Money> to_functional(const Money& amount, int64_t rate_e10, Currency functional) {
  // minor_f = minor_d x rate x 10^(exp_f - exp_d); exponents are 0..4.
  const int shift = functional.exponent() - amount.currency().exponent();
  int64_t num = rate_e10;
  int64_t den = kRateOne;
  if (shift > 0) {
    den /= pow10(shift);  // 10^10 is divisible by 10^4, so this stays exact
  } else if (shift < 0) {
    Int128 n = static_cast<Int128>(den) * pow10(-shift);
    // den up to 10^14 still fits int64.
    den = static_cast<int64_t>(n);
  }
  O2C_ASSIGN_OR_RETURN(auto scaled, Money(amount.minor(), functional).mul_ratio(num, den));
  return scaled;
}

InvoiceStatus invoice_status(int64_t total_minor, int64_t open_minor, int64_t credited_minor, int64_t paid_minor) {
  if (total_minor > 0 && credited_minor >= total_minor) return InvoiceStatus::credit_noted;
  if (open_minor <= 0) return InvoiceStatus::paid;
  if (paid_minor > 0) return InvoiceStatus::partially_paid;
  return InvoiceStatus::open;
}

Result<CreditPlan> plan_credit_note(const Invoice& inv, const std::vector<Invoice>& earlier,
                                    const std::optional<std::vector<CreditRequestLine>>& request) {
  const auto currency = Currency::of(inv.currency);
  if (!currency) return Error::internal("invoice " + inv.number + " has unknown currency " + inv.currency);

  // What is left of each invoice line, of each tax group's tax, and whether
  // the document-level allowances and charges were credited already.
  std::map<int, std::pair<int64_t, int64_t>> left;  // line_no -> (quantity, net)
  for (const auto& l : inv.lines) left[l.line_no] = {l.quantity, l.line_net_minor};
  std::map<GroupKey, int64_t> tax_left;
  for (const auto& t : inv.taxes) tax_left[{t.tax_category, t.tax_rate_bp}] = t.tax_minor;
  bool charges_credited = false;
  int64_t total_left = inv.total_minor;
  for (const auto& cn : earlier) {
    for (const auto& l : cn.lines) {
      if (!l.credited_line_no) continue;
      auto& [q, n] = left[*l.credited_line_no];
      q -= l.quantity;
      n -= l.line_net_minor;
    }
    for (const auto& t : cn.taxes) tax_left[{t.tax_category, t.tax_rate_bp}] -= t.tax_minor;
    if (!cn.charges.empty()) charges_credited = true;
    total_left -= cn.total_minor;
  }
  if (total_left <= 0) {
    return Error::conflict("nothing_to_credit", "invoice " + inv.number + " is fully credited already");
  }

  CreditPlan p;
  auto add_line = [&](const InvoiceLine& src, int64_t quantity, int64_t net) {
    InvoiceLine l = src;
    l.credited_line_no = src.line_no;
    l.line_no = static_cast<int>(p.lines.size()) + 1;
    l.quantity = quantity;
    l.line_net_minor = net;
    p.lines.push_back(std::move(l));
  };

  if (!request) {
    for (const auto& l : inv.lines) {
      auto& [q, n] = left[l.line_no];
      if (q > 0) add_line(l, q, n);
      q = 0;
      n = 0;
    }
    if (!charges_credited) p.charges = inv.charges;
  } else {
    for (size_t i = 0; i < request->size(); ++i) {
      const auto& r = (*request)[i];
      const std::string prefix = "lines[" + std::to_string(i) + "].";
      if (!r.quantity.is_positive()) {
        return Error::invalid("non_positive_quantity", "quantity must be greater than zero", prefix + "quantity");
      }
      int64_t want = r.quantity.milli();
      bool on_invoice = false;
      // Several invoice lines may carry the SKU: credit them in line order.
      for (const auto& l : inv.lines) {
        if (l.sku != r.sku) continue;
        on_invoice = true;
        auto& [q, n] = left[l.line_no];
        if (want == 0 || q <= 0) continue;
        const int64_t take = std::min(want, q);
        int64_t net = n;
        if (take < q) {
          Money gross(0, *currency);
          O2C_ASSIGN_OR_RETURN(gross, Money(l.unit_price_e4, *currency)
                                          .mul_ratio(take, Quantity::kScale * pow10(4 - currency->exponent())));
          net = std::min(gross.minor(), n);
        }
        add_line(l, take, net);
        q -= take;
        n -= net;
        want -= take;
      }
      if (!on_invoice) {
        return Error::invalid("unknown_sku", "invoice " + inv.number + " has no line with SKU '" + r.sku + "'",
                              prefix + "sku");
      }
      if (want > 0) {
        return Error::invalid("quantity_exceeds_invoiced",
                              "only " + Quantity::from_milli(r.quantity.milli() - want).to_string() + " of " + r.sku +
                                  " is left to credit on invoice " + inv.number,
                              prefix + "quantity");
      }
    }
    // A request that happens to take everything left also takes the charges.
    bool all_taken = !charges_credited;
    for (const auto& [no, ql] : left) all_taken = all_taken && ql.first == 0;
    if (all_taken) p.charges = inv.charges;
  }
  if (p.lines.empty() && p.charges.empty()) {
    return Error::conflict("nothing_to_credit", "invoice " + inv.number + " has nothing left to credit");
  }

  bool everything = !charges_credited || inv.charges.empty();
  for (const auto& [no, ql] : left) everything = everything && ql.first == 0;

  std::map<GroupKey, int64_t> taxable;
  for (const auto& l : p.lines) {
    taxable[{l.tax_category, l.tax_rate_bp}] += l.line_net_minor;
    p.net_total_minor += l.line_net_minor;
  }
  for (const auto& c : p.charges) {
    auto& t = taxable[{c.tax_category, c.tax_rate_bp}];
    if (c.is_charge) {
      t += c.amount_minor;
      p.charge_total_minor += c.amount_minor;
    } else {
      t -= c.amount_minor;
      p.allowance_total_minor += c.amount_minor;
    }
  }
  for (const auto& [key, amount] : taxable) {
    InvoiceTax t;
    t.tax_category = key.category;
    t.tax_rate_bp = key.rate_bp;
    t.taxable_minor = amount;
    if (everything) {
      t.tax_minor = tax_left[key];
    } else {
      O2C_ASSIGN_OR_RETURN(auto tax, Money(amount, *currency).mul_ratio(key.rate_bp, kBpPerWhole));
      t.tax_minor = std::min(tax.minor(), tax_left[key]);
    }
    for (const auto& it : inv.taxes) {
      if (it.tax_category == key.category && it.tax_rate_bp == key.rate_bp) {
        t.exemption_code = it.exemption_code;
        t.exemption_reason = it.exemption_reason;
      }
    }
    p.tax_total_minor += t.tax_minor;
    p.taxes.push_back(std::move(t));
  }
  p.tax_exclusive_minor = p.net_total_minor - p.allowance_total_minor + p.charge_total_minor;
  p.total_minor = p.tax_exclusive_minor + p.tax_total_minor;
  if (p.total_minor > total_left) {
    return Error::internal("credit note for invoice " + inv.number + " would exceed what is left of it");
  }
  return p;
}

}  // namespace o2c::billing
