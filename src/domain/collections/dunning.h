#pragma once
// Dunning: which reminders are due for a customer's overdue invoices on a
// business date, under the customer's policy (levels are data: days after
// due, fee, yearly interest, message, action). Pure; the run in
// app/collections carries the plan out.
//
// Rules:
//   - An invoice climbs one level per run: the next level above the one it
//     reached, once it is that many days overdue. A first run long after the
//     due date sends the first reminder, not the last: every level is sent.
//   - Disputed invoices, and invoices with a promise to pay on or after the
//     business date, are left alone.
//   - One notice per level reached: all the customer's invoices reaching that
//     level together. The level's fee is charged once per notice; interest
//     per invoice on its open amount, for the days since it was last charged
//     (or since the due date), at the level's yearly rate, act/365.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/currency.h"
#include "core/date.h"
#include "core/result.h"

namespace o2c::collections {

// Frozen names: stored and returned by the API.
inline constexpr const char* kActionEmail = "email";
inline constexpr const char* kActionLetter = "letter";
inline constexpr const char* kActionCreditBlock = "credit_block";

struct DunningLevel {
  int level = 0;             // 1, 2, ...
  int days_after_due = 0;    // strictly increasing with the level
  int64_t fee_e4 = 0;        // in the customer's currency, ten-thousandths
  int64_t interest_bp = 0;   // per year
  std::string message;
  std::string action;        // email, letter, credit_block
};

struct DunningPolicy {
  std::string code;
  std::string name;
  std::vector<DunningLevel> levels;  // by level
};

// Levels numbered 1..n in order, days strictly increasing, fee >= 0,
// interest 0..100 % a year, a known action, a message. Codes (field):
// required (code, name, levels, levels[i].message), invalid_code (code),
// invalid_level (levels[i].level), days_not_increasing (levels[i].days_after_due),
// invalid_fee, invalid_interest, invalid_action (levels[i].…).
Status check_policy(const DunningPolicy& p);

struct OverdueItem {
  int64_t invoice_id = 0;
  std::string number;
  Date due_date = Date::from_days(0);
  int64_t open_minor = 0;
  int reached_level = 0;                 // 0: never reminded
  std::optional<Date> interest_charged_to;  // the last day interest covered
  bool disputed = false;
  std::optional<Date> promised_on;       // latest promise to pay
};

struct NoticeItem {
  int64_t invoice_id = 0;
  std::string number;
  int64_t open_minor = 0;
  int days_overdue = 0;
  int64_t interest_minor = 0;
};

struct DueNotice {
  DunningLevel level;
  std::vector<NoticeItem> items;
  int64_t overdue_minor = 0;
  int64_t fee_minor = 0;
  int64_t interest_minor = 0;
};

// By level, ascending. amount_overflow when an amount does not fit.
Result<std::vector<DueNotice>> plan_dunning(const DunningPolicy& policy, const std::vector<OverdueItem>& items,
                                            Date as_of, Currency currency);

// open x rate_bp / 10000 x days / 365, rounded half away from zero.
Result<int64_t> interest_minor(int64_t open_minor, int64_t rate_bp, int days);
// A policy amount in the customer's currency, rounded half away from zero.
Result<int64_t> fee_minor(int64_t fee_e4, Currency currency);

}  // namespace o2c::collections
