#pragma once
// A customer's statement of account: what they owed on the day before
// `from`, every movement from `from` to `to` with the running balance, and
// what they owe at the end. Balance = open invoices less unapplied credit:
// invoices and refunds raise it; credit notes, payments, discounts taken and
// write-offs lower it; a reversed (bounced) payment raises it back.
// Applying credit to an invoice moves nothing: it was already counted.
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace o2c::collections {

struct Movement {
  Date date = Date::from_days(0);
  std::string kind;      // invoice, credit_note, payment, discount, write_off, refund, reversal
  std::string document;  // INV-2026-000001, payment 12, ...
  int64_t amount_minor = 0;  // + the customer owes more, - less
  int64_t seq = 0;           // tie-break within a day: the order it happened in
};

struct StatementLine {
  Movement movement;
  int64_t balance_minor = 0;  // after it
};

struct Statement {
  Date from = Date::from_days(0);
  Date to = Date::from_days(0);
  int64_t opening_minor = 0;
  std::vector<StatementLine> lines;
  int64_t closing_minor = 0;
};

// `movements` in any order; those after `to` are ignored. invalid_range
// (field "from") when from is after to.
Result<Statement> build_statement(std::vector<Movement> movements, Date from, Date to);

}  // namespace o2c::collections
