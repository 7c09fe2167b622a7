#pragma once
// What the journal export reads: entries in date order, a page at a time,
// and the balances before a day (the export's opening balances). Every
// function runs in the caller's unit of work.
#include <string>
#include <vector>

#include "domain/ledger/entry.h"
#include "store/db.h"

namespace o2c::store::journal {

// Where a page ends: entries after (date, id) come next.
struct Cursor {
  std::string date;  // "" = from the start
  int64_t id = 0;
};

// Entries dated from..to (inclusive; "" = open), after `cursor`, ordered by
// date then id, at most `limit`, with their postings in line order.
std::vector<ledger::Entry> entries(UnitOfWork& uow, const std::string& from, const std::string& to,
                                   const Cursor& cursor, int limit);

struct Balance {
  std::string currency;
  std::string account;
  int64_t balance_minor = 0;  // debits - credits, != 0
};
// Per currency and account, of entries dated before `day`; by currency, account.
std::vector<Balance> balances_before(UnitOfWork& uow, const std::string& day);

// Currencies of the entries dated on or before `to` ("" = all).
std::vector<std::string> currencies(UnitOfWork& uow, const std::string& to);

}  // namespace o2c::store::journal
