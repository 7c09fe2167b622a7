#include "store/journal_repo.h"

#include "store/ledger_repo.h"

#include <map>

namespace o2c::store::journal {

std::vector<o2c::ledger::Entry> entries(UnitOfWork& uow, const std::string& from, const std::string& to,
                                   const Cursor& cursor, int limit) {
  std::string sql = "SELECT id, entry_date, currency, source_type, source_id, memo FROM ledger_entries WHERE 1 = 1";
  std::vector<Value> params;
  if (!from.empty()) {
    sql += " AND entry_date >= ?";
    params.emplace_back(from);
  }
  if (!to.empty()) {
    sql += " AND entry_date <= ?";
    params.emplace_back(to);
  }
  if (!cursor.date.empty()) {
    sql += " AND (entry_date > ? OR (entry_date = ? AND id > ?))";
    params.emplace_back(cursor.date);
    params.emplace_back(cursor.date);
    params.emplace_back(cursor.id);
  }
  sql += " ORDER BY entry_date, id LIMIT ?";
  params.emplace_back(int64_t{limit});
  return store::ledger::load_entries(uow, sql, params);
}

std::vector<Balance> balances_before(UnitOfWork& uow, const std::string& day) {
  std::vector<Balance> out;
  for (const auto& r : uow.query(
           "SELECT e.currency, l.account_code, SUM(l.debit_minor) - SUM(l.credit_minor) FROM ledger_lines l "
           "JOIN ledger_entries e ON e.id = l.entry_id WHERE e.entry_date < ? GROUP BY e.currency, l.account_code "
           "HAVING SUM(l.debit_minor) <> SUM(l.credit_minor) ORDER BY e.currency, l.account_code",
           {day})) {
    out.push_back({r.text(0), r.text(1), r.i64(2)});
  }
  return out;
}

std::vector<std::string> currencies(UnitOfWork& uow, const std::string& to) {
  std::vector<std::string> out;
  const bool all = to.empty();
  for (const auto& r : uow.query(all ? "SELECT DISTINCT currency FROM ledger_entries ORDER BY currency"
                                     : "SELECT DISTINCT currency FROM ledger_entries WHERE entry_date <= ? "
                                       "ORDER BY currency",
                                 all ? std::vector<Value>{} : std::vector<Value>{to})) {
    out.push_back(r.text(0));
  }
  return out;
}

}  // namespace o2c::store::journal
