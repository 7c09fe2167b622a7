#include "domain/ledger/entry.h"

namespace o2c::ledger {

bool totals(const Entry& e, int64_t* debit, int64_t* credit) {
  int64_t d = 0;
  int64_t c = 0;
  for (const auto& p : e.postings) {
    if (__builtin_add_overflow(d, p.debit_minor, &d) || __builtin_add_overflow(c, p.credit_minor, &c)) return false;
  }
  *debit = d;
  *credit = c;
  return true;
}

Status validate(const Entry& e) {
  if (!Currency::of(e.currency)) return Error::internal("ledger entry in unknown currency '" + e.currency + "'");
  if (e.source_type.empty() || e.source_id.empty()) return Error::internal("ledger entry without a source");
  if (e.entry_date.size() != 10) return Error::internal("ledger entry without a date");
  if (e.postings.size() < 2) return Error::internal("a ledger entry needs at least two postings");
  for (const auto& p : e.postings) {
    if (p.account.empty()) return Error::internal("ledger posting without an account");
    if (p.debit_minor < 0 || p.credit_minor < 0) return Error::internal("negative ledger posting");
    if ((p.debit_minor == 0) == (p.credit_minor == 0)) {
      return Error::internal("a ledger posting has exactly one of debit and credit");
    }
  }
  int64_t d = 0;
  int64_t c = 0;
  if (!totals(e, &d, &c)) return Error::internal("ledger entry total overflows");
  if (d != c) {
    return Error::internal("unbalanced ledger entry: debits " + std::to_string(d) + " credits " + std::to_string(c));
  }
  return {};
}

Entry transfer(const std::string& debit_account, const std::string& credit_account, const Money& amount) {
  Entry e;
  e.currency = std::string(amount.currency().code());
  if (amount.minor() > 0) {
    e.postings.push_back({debit_account, amount.minor(), 0});
    e.postings.push_back({credit_account, 0, amount.minor()});
  }
  return e;
}

}  // namespace o2c::ledger
