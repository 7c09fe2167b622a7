#pragma once
// The journal: append an entry, read entries, and the checks `o2c verify`
// runs on it. There is deliberately no update or delete here.
#include <optional>
#include <string>
#include <vector>

#include "domain/ledger/entry.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::ledger {

// Appends the entry and its postings; sets e.id. The caller validated it.
void append(UnitOfWork& uow, o2c::ledger::Entry& e, std::optional<UserId> by, const std::string& at);

struct Filter {
  std::optional<std::string> source_type;
  std::optional<std::string> source_id;
  std::optional<std::string> account;  // entries with a posting to it
};
// Ascending id > page.after, with postings.
std::vector<o2c::ledger::Entry> list(UnitOfWork& uow, const Filter& f, const PageRequest& page);
// The entries a query selects (its columns: id, entry_date, currency,
// source_type, source_id, memo), in its order, each with its postings.
std::vector<o2c::ledger::Entry> load_entries(UnitOfWork& uow, const std::string& sql, const std::vector<Value>& params);

struct Account {
  std::string code;
  std::string name;
  std::string type;
};
std::vector<Account> accounts(UnitOfWork& uow);
bool account_exists(UnitOfWork& uow, const std::string& code);
// Adds the account to the chart unless it is there (sub-accounts such as tax
// payable per rate are created on first use).
void ensure_account(UnitOfWork& uow, const Account& a);

// Per account: debits, credits of entries dated on or before `as_of`
// (every account of the chart, also those without postings), in code order.
struct AccountBalance {
  Account account;
  std::string currency;  // of the entries ("" when none)
  int64_t debit_minor = 0;
  int64_t credit_minor = 0;
};
std::vector<AccountBalance> trial_balance(UnitOfWork& uow, const std::string& as_of);

// Currencies with at least one entry (the functional currency is locked
// once the ledger uses it).
std::vector<std::string> currencies_in_use(UnitOfWork& uow);

// For `o2c verify`: entries whose debits differ from credits, entries with
// fewer than two postings, and per currency a trial balance not summing to 0.
std::vector<std::string> breaches(UnitOfWork& uow);

}  // namespace o2c::store::ledger
