#pragma once
// Use cases of the bank: a statement file is imported whole or not at all
// (each line once, however often the file or an overlapping one arrives);
// reconciliation matches the open lines to invoices (domain/reconcile) and
// books what it is sure of as payments through the payment rules, posts the
// lines that are no customer's money by the posting rules, and leaves the
// rest as suggestions for a person, who matches or unmatches by hand.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/context.h"
#include "app/payments.h"
#include "core/result.h"
#include "domain/masterdata/rules.h"
#include "domain/reconcile/match.h"
#include "store/bank_repo.h"

namespace o2c::app {

struct StatementUpload {
  // The file's bytes, kept alive by the caller for the call: a statement
  // may be hundreds of megabytes and is never copied.
  std::string_view content;
  std::string content_type;  // application/xml, text/plain, text/csv; empty: by content
  std::optional<std::string> file_name;
  std::optional<std::string> csv_profile;  // id or name; required for CSV
  // Called now and then while lines are stored: lines done, and the lines
  // in the file (while a large camt file is still being read, a count of
  // its entry end tags; exact at the last call).
  std::function<void(int64_t, int64_t)> progress;
  // Tests: read a camt file in pieces from this size on, this large
  // (formats/bank read_camt; by default 32 MB and 8 MB).
  std::optional<std::pair<size_t, size_t>> camt_pieces_for_testing;
};
struct StatementImport {
  store::bank::Import import;
  std::vector<store::bank::Statement> statements;
  std::vector<std::string> warnings;
  int64_t lines_not_booked = 0;  // pending/information entries: not imported until booked
};
// Errors: 400 invalid_statement (and the parser's narrower codes) with the
// line or XML path in `field`; 415 unsupported_media_type; 422
// csv_profile_required / unknown_csv_profile, empty_file.
Result<StatementImport> import_statement(Context& ctx, const StatementUpload& upload);

// What the matcher indexes, read from the store: every open invoice (with
// the discount still available after credit notes) and every customer with
// their IBANs. Ascending invoice id.
struct MatcherView {
  std::vector<reconcile::OpenInvoice> invoices;
  std::vector<reconcile::Customer> customers;
};
MatcherView matcher_view(store::UnitOfWork& uow);

struct ReconciliationRun {
  int64_t matched = 0;    // booked as payments by the matcher
  int64_t posted = 0;     // booked to an account by a posting rule (also counted in matched)
  int64_t suggested = 0;  // candidates, not sure enough: a person decides
  int64_t unmatched = 0;  // nothing found
  int auto_threshold = 0;
};
struct RunOptions {
  std::optional<int> auto_threshold;  // default: the company's
};
// Runs in units of work of its own, a page of lines each, committed as it
// goes (a run cut short keeps what it booked). Errors: 422 invalid_threshold;
// a storage failure after its retries.
Result<ReconciliationRun> run_reconciliation(store::Database& db, const Clock& clock, const Actor& actor,
                                             const RunOptions& opts);

struct ManualMatch {
  std::optional<std::vector<AllocationDraft>> allocations;
  masterdata::Text account;  // "fees", "interest", or a chart code
};
// Errors: 404 bank_line_not_found; 409 already_matched; 422 required
// (allocations or account), invoice_not_open, mixed_customers (the invoices
// are not all one customer's), currency_mismatch, allocations_exceed_line,
// unknown_account, not_a_credit (a debit line cannot pay invoices), and
// record_payment's.
Result<store::bank::Line> match_line(Context& ctx, int64_t line_id, const ManualMatch& m);
// Undoes a match: the payment it created is reversed (the invoices reopen),
// or its posting is reversed. 409 not_matched, and reverse_payment's.
Result<store::bank::Line> unmatch_line(Context& ctx, int64_t line_id);

// A CSV column mapping saved under a name (formats/bank CsvProfile as JSON).
struct CsvProfileDraft {
  std::string json;  // the request body
};
Result<store::bank::CsvProfileRow> create_csv_profile(Context& ctx, const CsvProfileDraft& d);

// A posting rule for lines that are no customer's money (bank charges,
// interest, a standing transfer): the first rule by position whose patterns
// all hold books the line to its account.
struct PostingRuleDraft {
  masterdata::Text name, counterparty_contains, text_contains, direction, account;
  std::optional<int64_t> position;  // default: after the last rule
  bool bank_own_only = false;
};
// Errors (422 unless noted): required (name, account), too_long,
// no_pattern (neither counterparty_contains nor text_contains),
// invalid_direction (in | out), unknown_account; 409 duplicate (name).
Result<store::bank::PostingRuleRow> create_posting_rule(Context& ctx, const PostingRuleDraft& d);

}  // namespace o2c::app
