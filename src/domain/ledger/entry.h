#pragma once
// The double-entry journal: the chart's account codes, an entry as a set of
// postings in one currency, and the rule every entry must satisfy before it
// may be written (balanced, one side per posting, amounts non-negative).
// Posting rules of each business event (shipment, receipt, and later
// invoice, payment...) build entries here; the store only appends them.
#include <cstdint>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/result.h"

namespace o2c::ledger {

// Frozen codes (migration 0003 seeds the chart with them).
inline constexpr const char* kBank = "1000";
inline constexpr const char* kAccountsReceivable = "1100";
inline constexpr const char* kInventory = "1200";
inline constexpr const char* kCustomerCredit = "2100";
inline constexpr const char* kTaxPayable = "2200";
inline constexpr const char* kGoodsReceivedNotInvoiced = "2300";
inline constexpr const char* kRevenue = "4000";
inline constexpr const char* kSalesDiscounts = "4100";
inline constexpr const char* kFeeIncome = "4200";
inline constexpr const char* kCostOfGoodsSold = "5000";
inline constexpr const char* kWriteOff = "6100";
inline constexpr const char* kFxGainLoss = "6200";

struct Posting {
  std::string account;
  int64_t debit_minor = 0;
  int64_t credit_minor = 0;
};

struct Entry {
  int64_t id = 0;
  std::string entry_date;  // YYYY-MM-DD, the business date of the event
  std::string currency;    // ISO 4217; every posting is in it
  std::string source_type;
  std::string source_id;
  std::string memo;
  std::vector<Posting> postings;
};

// Errors (internal: a posting rule that builds a bad entry is a bug, never
// the user's input): at least two postings; each exactly one side non-zero
// and none negative; debits equal credits without overflow; a known
// currency; source and date present.
Status validate(const Entry& e);

// The simplest entry: `amount` debited to one account and credited to
// another. amount must not be negative; zero gives an entry with no
// postings, which callers skip (nothing to post).
Entry transfer(const std::string& debit_account, const std::string& credit_account, const Money& amount);

// Sum of debits and of credits; false when a sum overflows.
bool totals(const Entry& e, int64_t* debit, int64_t* credit);

}  // namespace o2c::ledger
