#pragma once
// Use cases of collections: disputes (a disputed invoice is not dunned and
// not taken by oldest-first payments), promises to pay, dunning policies,
// and the dunning run that sends the reminders that are due, charges their
// fees and interest on a FEE invoice, and blocks the customer's credit at a
// final level until the invoices that reached it are paid.
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/billing.h"
#include "app/context.h"
#include "core/result.h"
#include "domain/collections/dunning.h"
#include "store/collections_repo.h"

namespace o2c::app {

struct DisputeDraft {
  masterdata::Text reason, as_of;
};
// Errors: 404 invoice_not_found; 422 required (reason), invalid_date,
// not_an_invoice (a credit note); 409 invoice_settled (nothing open),
// already_disputed.
Result<store::collections::Dispute> open_dispute(Context& ctx, int64_t invoice_id, const DisputeDraft& draft);

struct ResolveDraft {
  masterdata::Text outcome, resolution, as_of;
  std::optional<CreditNoteDraft> credit_note;  // upheld: credit the invoice in the same commit
};
// Errors: 404 dispute_not_found; 409 already_resolved; 422 invalid_outcome
// (upheld or rejected), credit_note_needs_upheld, and issue_credit_note's.
Result<store::collections::Dispute> resolve_dispute(Context& ctx, int64_t dispute_id, const ResolveDraft& draft);

struct PromiseDraft {
  masterdata::Text promised_on, note;
};
// Dunning leaves the invoice alone until that date. Errors: 404
// invoice_not_found; 422 required / invalid_date / promise_in_past
// (promised_on), not_an_invoice; 409 invoice_settled.
Status promise_to_pay(Context& ctx, int64_t invoice_id, const PromiseDraft& draft);

struct LevelDraft {
  std::optional<int64_t> level;  // default: its position
  std::optional<int64_t> days_after_due;
  masterdata::Text fee, interest_rate, message, action;
};
struct PolicyDraft {
  masterdata::Text code, name;
  std::vector<LevelDraft> levels;
};
// Creates or replaces a policy. Errors: collections::check_policy's, and the
// amount parser's for fee (levels[i].fee) and interest_rate.
Result<collections::DunningPolicy> put_dunning_policy(Context& ctx, const PolicyDraft& draft);

struct DunningRun {
  Date as_of = Date::from_days(0);
  std::vector<store::collections::Notice> notices;
  std::map<int, int> by_level;
};
// Every notice due on `as_of` (default the business date). Running the same
// day again finds nothing new. Errors: 422 invalid_date (as_of), and
// issue_fee_invoice's (company_incomplete when a fee must be invoiced).
Result<DunningRun> run_dunning(Context& ctx, const masterdata::Text& as_of);

// A notice as the letter that is posted (levels whose action is `letter`,
// or any notice printed). 404 notice_not_found.
Result<std::string> notice_letter_pdf(store::UnitOfWork& uow, int64_t notice_id);

struct CustomerStatement {
  masterdata::Customer customer;
  collections::Statement statement;
};
// The statement from `from` (default the first of to's month) to `to`
// (default the business date). Errors: 404 customer_not_found; 422
// invalid_date (from, to), invalid_range.
Result<CustomerStatement> customer_statement(store::UnitOfWork& uow, CustomerId customer, const masterdata::Text& from,
                                             const masterdata::Text& to, Date today);
nlohmann::json statement_json(const CustomerStatement& s);
// One row per movement between an opening and a closing row.
std::string statement_csv(const CustomerStatement& s);
// The statement as a letter to the customer (A4 PDF), dated `today`.
Result<std::string> statement_pdf(store::UnitOfWork& uow, const CustomerStatement& s, Date today);
// Sends the statement to the customer's e-mail (through the outbox: topic
// statement.sent). Same errors as customer_statement.
Result<CustomerStatement> send_statement(Context& ctx, CustomerId customer, const masterdata::Text& from,
                                         const masterdata::Text& to);

// Lifts the final-level credit block once every invoice that reached a
// credit-blocking level is settled, and lets held orders through.
Status lift_dunning_block_if_settled(Context& ctx, CustomerId customer);

}  // namespace o2c::app
