#include "domain/collections/dunning.h"

#include <algorithm>
#include <map>

#include "core/money.h"

namespace o2c::collections {
namespace {

std::string at(size_t i, const char* leaf) { return "levels[" + std::to_string(i) + "]." + leaf; }

}  // namespace

Status check_policy(const DunningPolicy& p) {
  if (p.code.empty()) return Error::invalid("required", "code is required", "code");
  for (char ch : p.code) {
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')) {
      return Error::invalid("invalid_code", "a policy code is upper-case letters, digits, '_' and '-'", "code");
    }
  }
  if (p.code.size() > 32) return Error::invalid("invalid_code", "a policy code has at most 32 characters", "code");
  if (p.name.empty()) return Error::invalid("required", "name is required", "name");
  if (p.levels.empty()) return Error::invalid("required", "a policy needs at least one level", "levels");
  if (p.levels.size() > 10) return Error::invalid("invalid_level", "a policy has at most 10 levels", "levels");
  for (size_t i = 0; i < p.levels.size(); ++i) {
    const auto& l = p.levels[i];
    if (l.level != static_cast<int>(i) + 1) {
      return Error::invalid("invalid_level", "levels are numbered 1, 2, ... in order", at(i, "level"));
    }
    if (l.days_after_due < 0 || l.days_after_due > 3660 ||
        (i > 0 && l.days_after_due <= p.levels[i - 1].days_after_due)) {
      return Error::invalid("days_not_increasing",
                            "each level comes more days after the due date than the one before (0..3660)",
                            at(i, "days_after_due"));
    }
    if (l.fee_e4 < 0) return Error::invalid("invalid_fee", "a fee is not negative", at(i, "fee"));
    if (l.interest_bp < 0 || l.interest_bp > 10000) {
      return Error::invalid("invalid_interest", "interest is 0 to 100 % a year", at(i, "interest_rate"));
    }
    if (l.action != kActionEmail && l.action != kActionLetter && l.action != kActionCreditBlock) {
      return Error::invalid("invalid_action", "action is email, letter or credit_block", at(i, "action"));
    }
    if (l.message.empty()) return Error::invalid("required", "every level has a message", at(i, "message"));
  }
  return {};
}

Result<int64_t> interest_minor(int64_t open_minor, int64_t rate_bp, int days) {
  if (open_minor <= 0 || rate_bp <= 0 || days <= 0) return int64_t{0};
  int64_t out = 0;
  if (!round_half_away(static_cast<Int128>(open_minor) * rate_bp * days, static_cast<Int128>(10000) * 365, &out)) {
    return Error::invalid("amount_overflow", "interest too large to represent");
  }
  return out;
}

Result<int64_t> fee_minor(int64_t fee_e4, Currency currency) {
  if (fee_e4 <= 0) return int64_t{0};
  Int128 num = fee_e4, den = 1;
  for (int e = currency.exponent(); e > 4; --e) num *= 10;
  for (int e = currency.exponent(); e < 4; ++e) den *= 10;
  int64_t out = 0;
  if (!round_half_away(num, den, &out)) return Error::invalid("amount_overflow", "fee too large to represent");
  return out;
}

Result<std::vector<DueNotice>> plan_dunning(const DunningPolicy& policy, const std::vector<OverdueItem>& items,
                                            Date as_of, Currency currency) {
  std::map<int, DueNotice> by_level;
  for (const auto& it : items) {
    if (it.disputed || it.open_minor <= 0) continue;
    if (it.promised_on && *it.promised_on >= as_of) continue;
    const int days = Date::days_between(it.due_date, as_of);
    if (days <= 0) continue;
    const int next = it.reached_level + 1;
    if (next > static_cast<int>(policy.levels.size())) continue;  // the last level was sent
    const DunningLevel& level = policy.levels[static_cast<size_t>(next - 1)];
    if (days < level.days_after_due) continue;
    const Date from = std::max(it.due_date, it.interest_charged_to.value_or(it.due_date));
    O2C_ASSIGN_OR_RETURN(auto interest, interest_minor(it.open_minor, level.interest_bp, Date::days_between(from, as_of)));
    auto& n = by_level[next];
    n.level = level;
    n.items.push_back({it.invoice_id, it.number, it.open_minor, days, interest});
    n.overdue_minor += it.open_minor;
    n.interest_minor += interest;
  }
  std::vector<DueNotice> out;
  for (auto& [lvl, n] : by_level) {
    O2C_ASSIGN_OR_RETURN(n.fee_minor, fee_minor(n.level.fee_e4, currency));
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace o2c::collections
