#include "store/ledger_repo.h"

#include <map>

namespace o2c::store::ledger {

void append(UnitOfWork& uow, o2c::ledger::Entry& e, std::optional<UserId> by, const std::string& at) {
  auto r = uow.query_one(
      "INSERT INTO ledger_entries (entry_date, currency, source_type, source_id, memo, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {e.entry_date, e.currency, e.source_type, e.source_id, e.memo, by ? Value(by->value()) : null(), at});
  e.id = r->i64(0);
  int64_t line_no = 0;
  for (const auto& p : e.postings) {
    uow.exec("INSERT INTO ledger_lines (entry_id, line_no, account_code, debit_minor, credit_minor) "
             "VALUES (?, ?, ?, ?, ?)",
             {e.id, ++line_no, p.account, p.debit_minor, p.credit_minor});
  }
}

std::vector<o2c::ledger::Entry> load_entries(UnitOfWork& uow, const std::string& sql, const std::vector<Value>& params) {
  std::vector<o2c::ledger::Entry> out;
  std::map<int64_t, size_t> index;
  for (const auto& r : uow.query(sql, params)) {
    o2c::ledger::Entry e;
    e.id = r.i64(0);
    e.entry_date = r.text(1);
    e.currency = r.text(2);
    e.source_type = r.text(3);
    e.source_id = r.text(4);
    e.memo = r.text(5);
    index[e.id] = out.size();
    out.push_back(std::move(e));
  }
  if (out.empty()) return out;
  std::string lines = "SELECT entry_id, account_code, debit_minor, credit_minor FROM ledger_lines WHERE entry_id IN (";
  std::vector<Value> ids;
  for (size_t i = 0; i < out.size(); ++i) {
    lines += i ? ", ?" : "?";
    ids.emplace_back(out[i].id);
  }
  lines += ") ORDER BY entry_id, line_no";
  for (const auto& r : uow.query(lines, ids)) {
    out[index.at(r.i64(0))].postings.push_back({r.text(1), r.i64(2), r.i64(3)});
  }
  return out;
}

std::vector<o2c::ledger::Entry> list(UnitOfWork& uow, const Filter& f, const PageRequest& page) {
  std::string sql =
      "SELECT id, entry_date, currency, source_type, source_id, memo FROM ledger_entries e WHERE id > ?";
  std::vector<Value> params{page.after};
  if (f.source_type) {
    sql += " AND source_type = ?";
    params.emplace_back(*f.source_type);
  }
  if (f.source_id) {
    sql += " AND source_id = ?";
    params.emplace_back(*f.source_id);
  }
  if (f.account) {
    sql += " AND EXISTS (SELECT 1 FROM ledger_lines l WHERE l.entry_id = e.id AND l.account_code = ?)";
    params.emplace_back(*f.account);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  return load_entries(uow, sql, params);
}

std::vector<Account> accounts(UnitOfWork& uow) {
  std::vector<Account> out;
  for (const auto& r : uow.query("SELECT code, name, type FROM accounts ORDER BY code")) {
    out.push_back({r.text(0), r.text(1), r.text(2)});
  }
  return out;
}

bool account_exists(UnitOfWork& uow, const std::string& code) {
  return uow.query_one("SELECT 1 FROM accounts WHERE code = ?", {code}).has_value();
}

void ensure_account(UnitOfWork& uow, const Account& a) {
  uow.exec("INSERT INTO accounts (code, name, type) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING",
           {a.code, a.name, a.type});
}

std::vector<AccountBalance> trial_balance(UnitOfWork& uow, const std::string& as_of) {
  std::vector<AccountBalance> out;
  for (const auto& r : uow.query(
           "SELECT a.code, a.name, a.type, COALESCE(MIN(t.currency), ''), COALESCE(SUM(t.debit_minor), 0), "
           "COALESCE(SUM(t.credit_minor), 0) FROM accounts a LEFT JOIN ("
           "SELECT l.account_code, e.currency, l.debit_minor, l.credit_minor FROM ledger_lines l "
           "JOIN ledger_entries e ON e.id = l.entry_id WHERE e.entry_date <= ?) t ON t.account_code = a.code "
           "GROUP BY a.code, a.name, a.type ORDER BY a.code",
           {as_of})) {
    out.push_back({{r.text(0), r.text(1), r.text(2)}, r.text(3), r.i64(4), r.i64(5)});
  }
  return out;
}

std::vector<std::string> currencies_in_use(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query("SELECT DISTINCT currency FROM ledger_entries ORDER BY currency")) {
    out.push_back(r.text(0));
  }
  return out;
}

std::vector<std::string> breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           "SELECT e.id, COALESCE(SUM(l.debit_minor), 0), COALESCE(SUM(l.credit_minor), 0), COUNT(l.entry_id) "
           "FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id GROUP BY e.id "
           "HAVING COALESCE(SUM(l.debit_minor), 0) <> COALESCE(SUM(l.credit_minor), 0) OR COUNT(l.entry_id) < 2 "
           "ORDER BY e.id")) {
    out.push_back("ledger entry " + r.text(0) + " has debits " + r.text(1) + " and credits " + r.text(2) +
                  " (minor units) over " + r.text(3) + " postings");
  }
  for (const auto& r : uow.query(
           "SELECT e.currency, SUM(l.debit_minor) - SUM(l.credit_minor) FROM ledger_lines l "
           "JOIN ledger_entries e ON e.id = l.entry_id GROUP BY e.currency "
           "HAVING SUM(l.debit_minor) <> SUM(l.credit_minor) ORDER BY e.currency")) {
    out.push_back("trial balance in " + r.text(0) + " is off by " + r.text(1) + " minor units");
  }
  return out;
}

}  // namespace o2c::store::ledger
