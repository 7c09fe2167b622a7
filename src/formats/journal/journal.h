#pragma once
// The ledger as a plain-text accounting journal that hledger (and, for the
// subset used here, Ledger) reads: directives first (decimal mark, one
// commodity per currency with its decimals, one account per chart account
// with its type), then one transaction per ledger entry:
//
//   2026-11-20 * (E42) Invoice INV-2026-000001 | invoice 12
//       ; entry:42, source_type:invoice, source_id:12
//       1100 Accounts receivable (control)            119.00 EUR
//       4000 Revenue                                 -100.00 EUR
//       2200-S-1900 Tax payable S 19.00 %             -19.00 EUR
//
// Debits are positive, credits negative; amounts are exact decimals from
// minor units with the currency's own decimals (JPY 0, KWD 3) and the ISO
// code as commodity. Text hledger gives a meaning to is replaced, never
// escaped (the format has no escapes): see account_name() and
// description_text(). Pure: no I/O.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace o2c::journal {

struct Account {
  std::string code;
  std::string name;
  std::string type;  // asset, liability, equity, revenue, expense
};

struct Posting {
  std::string account;  // a chart code
  int64_t debit_minor = 0;
  int64_t credit_minor = 0;
};

struct Transaction {
  int64_t entry_id = 0;  // 0: not a ledger entry (the opening balances)
  std::string date;      // YYYY-MM-DD
  std::string currency;  // ISO 4217
  std::string source_type, source_id, memo;
  std::vector<Posting> postings;
};

// "code name" as one hledger account name: control characters and runs of
// spaces become one space (two spaces end a name), ':' becomes '-' (it
// separates sub-accounts), ';' becomes ',' (it starts a comment), and
// brackets around the whole name are dropped (they mark virtual postings).
std::string account_name(const Account& a);

// A transaction's description or a tag value on one line: control
// characters and runs of spaces become one space, ';' becomes ',' (a
// comment), '|' becomes '/' (it splits payee from note).
std::string description_text(std::string_view text);

// 11900 EUR -> "119.00 EUR", -1000 JPY -> "-1000 JPY", 1 KWD -> "0.001 KWD".
// unknown_currency for a code that is not ISO 4217.
Result<std::string> amount_text(int64_t minor, std::string_view currency);

// The chart as hledger names. duplicate_account when two codes would get the
// same name.
Result<std::map<std::string, std::string>> account_names(const std::vector<Account>& chart);

// The directives: `comment` lines (as `;` comments), the decimal mark, a
// commodity directive per currency and an account directive per account.
Result<std::string> header(const std::vector<std::string>& comment, const std::vector<Account>& chart,
                           const std::vector<std::string>& currencies);

// One transaction, ending in an empty line. Errors (nothing written):
// invalid_date, unknown_currency, unknown_account (a posting to a code not
// in `names`), invalid_posting (not exactly one side > 0), unbalanced_entry.
Result<std::string> transaction(const Transaction& t, const std::map<std::string, std::string>& names);

}  // namespace o2c::journal
