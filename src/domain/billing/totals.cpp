#include "domain/billing/totals.h"

#include <compare>
#include <map>
#include <utility>

namespace o2c::billing {
namespace {

using masterdata::kTaxRateMaxBp;

constexpr int64_t kBpPerWhole = 10000;  // a rate in hundredths of a percent over this is a fraction

Error with_field(Error e, std::string field) {
  e.field = std::move(field);
  return e;
}

std::string join(std::string_view prefix, std::string_view suffix) {
  std::string s(prefix);
  s += suffix;
  return s;
}

std::string indexed(std::string_view name, std::size_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}

// 10^n for 0 <= n <= 7.
int64_t pow10(int n) {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

// Mirrors masterdata's product rule, so that a document built from prices
// typed in by hand (an order's unit_price override, a manual invoice) cannot
// carry a combination the e-invoice rules would reject later.
Status check_rate(TaxCategory category, int64_t rate_bp, const std::string& field) {
  if (rate_bp < 0 || rate_bp > kTaxRateMaxBp) {
    return Error::invalid("invalid_tax_rate", "the tax rate is a percentage between 0 and 100", field);
  }
  if (category == TaxCategory::S && rate_bp == 0) {
    return Error::invalid("invalid_tax_rate", "category S (standard) needs a rate above zero", field);
  }
  if (category != TaxCategory::S && rate_bp != 0) {
    return Error::invalid("invalid_tax_rate",
                          "category " + std::string(masterdata::to_string(category)) + " has a rate of 0",
                          field);
  }
  return {};
}

std::string percent(int64_t rate_bp) {
  std::string frac = std::to_string(rate_bp % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return std::to_string(rate_bp / 100) + "." + frac + " %";
}

struct GroupKey {
  TaxCategory category;
  int64_t rate_bp;
  friend auto operator<=>(const GroupKey&, const GroupKey&) = default;
};

struct GroupSums {
  Money lines;
  Money allowances;
  Money charges;
};

}  // namespace

Result<Money> line_net(const TotalsLine& line, Currency currency, std::string_view field) {
  if (!line.quantity.is_positive()) {
    return Error::invalid("non_positive_quantity", "quantity must be greater than zero",
                          join(field, ".quantity"));
  }
  if (line.unit_price_e4 < 0) {
    return Error::invalid("negative_price", "the unit price must not be negative", join(field, ".unit_price"));
  }
  // qty_milli x price_e4 is in units of 10^-7; one minor unit is
  // 10^-exponent, so minor = product / 10^(7 - exponent). Dividing instead of
  // scaling up keeps the product of two int64 (< 2^126) inside 128 bits.
  const Int128 product = static_cast<Int128>(line.quantity.milli()) * line.unit_price_e4;
  const int64_t den = pow10(Quantity::kDecimals + 4 - currency.exponent());
  int64_t gross = 0;
  if (!round_half_away(product, den, &gross)) {
    return Error::invalid("amount_overflow", "quantity x unit price is too large to represent",
                          std::string(field));
  }
  if (!line.discount) return Money(gross, currency);

  const Money& d = *line.discount;
  const std::string dfield = join(field, ".discount");
  if (!(d.currency() == currency)) {
    return Error::invalid("currency_mismatch",
                          "the discount is in " + std::string(d.currency().code()) + ", the document in " +
                              std::string(currency.code()),
                          dfield);
  }
  if (d.is_negative()) {
    return Error::invalid("negative_discount", "a line discount must not be negative", dfield);
  }
  if (d.minor() > gross) {
    return Error::invalid("discount_exceeds_line",
                          "the discount " + d.to_string() + " exceeds the line amount " +
                              Money(gross, currency).to_string(),
                          dfield);
  }
  return Money(gross - d.minor(), currency);  // 0 <= d <= gross: cannot overflow
}

Result<Totals> compute_totals(const TotalsInput& input) {
  const Currency cur = input.currency;
  const Money zero = Money::zero(cur);
  std::map<GroupKey, GroupSums> groups;  // ordered map: the breakdown order is the key order
  const auto group = [&](TaxCategory c, int64_t rate) -> GroupSums& {
    return groups.try_emplace(GroupKey{c, rate}, GroupSums{zero, zero, zero}).first->second;
  };

  Totals t{{}, zero, zero, zero, zero, zero, zero, {}};
  t.line_nets.reserve(input.lines.size());
  for (std::size_t i = 0; i < input.lines.size(); ++i) {
    const TotalsLine& line = input.lines[i];
    const std::string field = indexed("lines", i);
    O2C_TRY(check_rate(line.tax_category, line.tax_rate_bp, field + ".tax_rate"));
    O2C_ASSIGN_OR_RETURN(Money net, line_net(line, cur, field));
    GroupSums& g = group(line.tax_category, line.tax_rate_bp);
    auto group_sum = g.lines.add(net);
    if (!group_sum.ok()) return with_field(group_sum.take_error(), field);
    g.lines = *group_sum;
    auto net_sum = t.net_total.add(net);
    if (!net_sum.ok()) return with_field(net_sum.take_error(), field);
    t.net_total = *net_sum;
    t.line_nets.push_back(net);
  }

  const auto take = [&](const std::vector<AllowanceCharge>& list, std::string_view name, Money GroupSums::*slot,
                        Money* total) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const AllowanceCharge& ac = list[i];
      const std::string field = indexed(name, i);
      O2C_TRY(check_rate(ac.tax_category, ac.tax_rate_bp, field + ".tax_rate"));
      if (!(ac.amount.currency() == cur)) {
        return Error::invalid("currency_mismatch",
                              "the amount is in " + std::string(ac.amount.currency().code()) +
                                  ", the document in " + std::string(cur.code()),
                              field + ".amount");
      }
      if (ac.amount.is_negative()) {
        return Error::invalid("negative_amount", "the amount must not be negative", field + ".amount");
      }
      GroupSums& g = group(ac.tax_category, ac.tax_rate_bp);
      auto sum = (g.*slot).add(ac.amount);
      if (!sum.ok()) return with_field(sum.take_error(), field + ".amount");
      g.*slot = *sum;
      auto grand = total->add(ac.amount);
      if (!grand.ok()) return with_field(grand.take_error(), field + ".amount");
      *total = *grand;
    }
    return {};
  };
  O2C_TRY(take(input.allowances, "allowances", &GroupSums::allowances, &t.allowance_total));
  O2C_TRY(take(input.charges, "charges", &GroupSums::charges, &t.charge_total));

  O2C_ASSIGN_OR_RETURN(Money less_allowances, t.net_total.sub(t.allowance_total));
  O2C_ASSIGN_OR_RETURN(t.tax_exclusive, less_allowances.add(t.charge_total));

  t.groups.reserve(groups.size());
  for (const auto& [key, sums] : groups) {
    O2C_ASSIGN_OR_RETURN(Money with_charges, sums.lines.add(sums.charges));
    O2C_ASSIGN_OR_RETURN(Money taxable, with_charges.sub(sums.allowances));
    if (taxable.is_negative()) {
      return Error::invalid("allowances_exceed_taxable",
                            "the allowances in category " + std::string(masterdata::to_string(key.category)) +
                                " at " + percent(key.rate_bp) + " (" + sums.allowances.to_string() +
                                ") exceed its lines and charges (" + with_charges.to_string() + ")",
                            "allowances");
    }
    // The one rounding of tax: per group, never per line (BR-CO-17).
    O2C_ASSIGN_OR_RETURN(Money tax, taxable.mul_ratio(key.rate_bp, kBpPerWhole));
    O2C_ASSIGN_OR_RETURN(t.tax_total, t.tax_total.add(tax));
    t.groups.push_back(TaxGroup{key.category, key.rate_bp, taxable, tax});
  }
  O2C_ASSIGN_OR_RETURN(t.total, t.tax_exclusive.add(t.tax_total));
  return t;
}

}  // namespace o2c::billing
