#pragma once
// Automatic cash application: which open invoices a bank line pays, how
// sure we are, and whether that is sure enough to book without a person.
// Pure: app/reconciliation loads the open items and the customers, asks
// here, and books what comes back through the payment rules.
//
// Rules, in order of trust (a line gets candidates from every rule that
// fires; the best score wins):
//   reference    a structured reference (RF creditor reference, invoice
//                number, the order's external reference) found in the
//                line's reference or remittance text, tolerant of spaces,
//                case, separators, leading zeros and one typo; checked
//                against the amount.
//   payer_amount the payer identified (IBAN, then fuzzy name) and the amount
//                equal to one of their open invoices, or to its discounted
//                amount inside the discount window.
//   payer_subset the amount equal to a subset of that payer's open invoices
//                (bounded search).
//   partial      less than the open amount of a single clearly referenced
//                invoice.
// A candidate at or above `auto_threshold` is applied when no other
// candidate is within `ambiguity_margin` of it; anything else is a
// suggestion. Never auto-apply when in doubt: a wrong match costs more than
// a manual one.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace o2c::reconcile {

// One open invoice, as the matcher sees it. Amounts in minor units of the
// invoice's currency.
struct OpenInvoice {
  int64_t invoice_id = 0;
  int64_t customer_id = 0;
  std::string number;              // "INV-2026-000042"
  std::string creditor_reference;  // "RF18 2026 0000 42"-like, compact; may be empty
  std::string order_reference;     // the order's external reference; may be empty
  std::string currency;
  int64_t open_minor = 0;          // > 0
  int64_t discount_minor = 0;      // early-payment discount still available
  std::optional<Date> discount_date;
  Date due_date = Date::from_days(0);
  bool disputed = false;           // never auto-applied
};

struct Customer {
  int64_t customer_id = 0;
  std::string name;
  std::vector<std::string> ibans;  // compact, upper case: master data and IBANs seen on earlier matched lines
};

// The bank line, as the matcher sees it (one per camt TxDtls when the bank
// itemises an entry, else one per entry).
struct BankLine {
  int64_t amount_minor = 0;        // signed; only money in (> 0) is matched to invoices
  std::string currency;
  Date booking_date = Date::from_days(0);
  std::string counterparty_name;
  std::string counterparty_iban;   // compact, upper case, may be empty
  std::string reference;           // structured reference / end-to-end id
  std::string remittance;          // free text
};

enum class Rule { reference, payer_amount, payer_subset, partial };
const char* rule_name(Rule r);  // "reference", "payer_amount", "payer_subset", "partial"

struct CandidateAllocation {
  int64_t invoice_id = 0;
  int64_t amount_minor = 0;  // cash the line puts on the invoice
};

struct Candidate {
  Rule rule = Rule::reference;
  int score = 0;  // 0..100
  int64_t customer_id = 0;
  std::vector<CandidateAllocation> allocations;  // sum <= line amount; the rest becomes customer credit
  // Why, for a person: which fields matched and how, e.g.
  // {"reference 'RF18...' in remittance (1 typo)", "amount equals open 119.00"}.
  std::vector<std::string> reasons;
};

struct Settings {
  int auto_threshold = 90;
  int ambiguity_margin = 10;   // a runner-up this close blocks auto-apply
  int subset_max_invoices = 12;  // of one payer's open items considered for payer_subset
  int subset_max_size = 5;       // invoices in one combination
  int64_t fee_tolerance_minor = 0;  // a line short by at most this still matches exactly (bank fees deducted)
};

struct Decision {
  std::vector<Candidate> candidates;  // best first, at most a handful
  bool auto_apply = false;            // candidates[0] may be booked without a person
  std::string why_not;                // when !auto_apply and candidates exist: "ambiguous", "below threshold", ...
};

// The open items and customers are the whole company's; the matcher indexes
// them once (Index) and is then asked per line, so that a million lines
// cost a million lookups, not a million scans.
//
// Threads: match() only reads and may run on several threads at once;
// settle() writes and needs the index to itself.
class Index;

// What prepare() found out about a line: who may have paid and which
// invoices its text names, before any open amount is looked at.
class PreparedLine {
 public:
  PreparedLine();
  ~PreparedLine();
  PreparedLine(PreparedLine&&) noexcept;
  PreparedLine& operator=(PreparedLine&&) noexcept;

 private:
  friend class Index;
  struct Data;
  std::unique_ptr<Data> d_;
};

class Index {
 public:
  // Invoices with open_minor <= 0 and repeated ids (after the first) are
  // left out; so are repeated customer ids. Invoices of a customer not in
  // `customers` are found by reference only.
  Index(std::vector<OpenInvoice> invoices, std::vector<Customer> customers);
  // Candidates for one line. why_not, when !auto_apply: "not money in"
  // (amount <= 0), "no candidate", "below threshold", "ambiguous" (another
  // allocation scores within ambiguity_margin), "disputed".
  Decision match(const BankLine& line, const Settings& s) const;
  // match() in two halves, so that the lines ahead can be prepared on other
  // threads while this one decides and settles: prepare() reads only what
  // settle() never changes (customers' names and IBANs, the references of
  // the invoices) and may run on any thread, even during settle();
  // decide() reads the open amounts, as match() does.
  // match(l, s) is decide(l, prepare(l), s).
  PreparedLine prepare(const BankLine& line) const;
  Decision decide(const BankLine& line, const PreparedLine& prepared, const Settings& s) const;
  // After a line is booked its invoices' open amounts change: the caller
  // tells the index so that the next line sees them. `amount_minor` is what
  // the invoice's open amount falls by: the cash applied plus any discount
  // taken or difference written off. At 0 open the invoice stops being a
  // candidate, but its references are still recognised: a second line
  // naming it (a duplicate payment) is not auto-applied to another invoice.
  // Unknown ids and amounts <= 0 are ignored.
  void settle(int64_t invoice_id, int64_t amount_minor);
  size_t open_invoices() const;  // still open, for tests and metrics

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Matches `lines` in order and calls on_decision(k, decision) for each
// before the next line is decided, so that it may settle() what it books:
// the decisions are exactly those of match() called line by line. prepare()
// of the lines ahead runs on `threads` - 1 more threads (1: none); the
// calling thread prepares a block itself when no other has. An exception
// from on_decision stops the others and is passed on.
void match_in_order(Index& index, const std::vector<BankLine>& lines, const Settings& s, int threads,
                    const std::function<void(size_t, Decision&&)>& on_decision);

// Lines that are not customer payments (bank fees, interest, refunds out):
// the first rule whose pattern matches posts the line to its account.
struct PostingRule {
  std::string name;
  std::optional<std::string> counterparty_contains;  // case-insensitive
  std::optional<std::string> text_contains;          // remittance or reference, case-insensitive
  std::optional<int> sign;                           // +1 credits only, -1 debits only
  std::string account;                               // ledger account code
  // Only lines that name no counterparty account: the bank's own entries
  // (charges, interest). A payment to a supplier whose text says "service
  // fee" carries the supplier's IBAN and is not a bank charge.
  bool bank_own_only = false;
};
const PostingRule* posting_rule_for(const std::vector<PostingRule>& rules, const BankLine& line);

}  // namespace o2c::reconcile
