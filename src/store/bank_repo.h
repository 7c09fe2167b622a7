#pragma once
// Typed access to the bank tables (imports, statements, lines, CSV profiles,
// posting rules) and the company-wide read the matcher indexes. Every
// function runs inside the caller's unit of work; none commits.
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::bank {

struct Import {
  int64_t id = 0;
  std::string format;
  std::string file_sha256;
  std::optional<std::string> file_name;
  std::optional<int64_t> csv_profile_id;
  int statements = 0;
  int64_t lines_imported = 0;
  int64_t lines_skipped_duplicate = 0;
  std::optional<int64_t> imported_by;
  std::string imported_at;
};
int64_t insert_import(UnitOfWork& uow, const Import& i);
// The figures known once the whole file is in: format, statements, lines.
void finish_import(UnitOfWork& uow, const Import& i);
std::optional<Import> find_import(UnitOfWork& uow, int64_t id);

struct Statement {
  int64_t id = 0;
  int64_t import_id = 0;
  int seq = 0;
  std::optional<std::string> message_id, statement_ref;
  std::string account, currency;
  std::optional<int64_t> opening_minor;
  std::optional<std::string> opening_date, opening_kind;
  std::optional<int64_t> closing_minor;
  std::optional<std::string> closing_date, closing_kind;
  int64_t booked_sum_minor = 0;
  std::optional<bool> balanced;
  int64_t lines = 0;
};
int64_t insert_statement(UnitOfWork& uow, const Statement& s);
// A statement's balances, booked sum and lines, known once all its lines are in.
void finish_statement(UnitOfWork& uow, const Statement& s);
std::vector<Statement> statements_of_import(UnitOfWork& uow, int64_t import_id);
// The statement with the latest closing date (then the highest id) of an
// account that states a closing balance.
std::optional<Statement> latest_closed_statement(UnitOfWork& uow, const std::string& account);
std::vector<std::string> accounts(UnitOfWork& uow);

struct Line {
  int64_t id = 0;
  int64_t statement_id = 0;
  std::string account, currency;
  int64_t amount_minor = 0;
  std::string booking_date;
  std::optional<std::string> value_date, counterparty_name, counterparty_iban, reference, remittance,
      bank_reference, transaction_code;
  std::string dedupe_key;
  std::string status = "unmatched";
  std::optional<std::string> suggestions;  // JSON text
  std::optional<int64_t> payment_id, ledger_entry_id;
  std::optional<std::string> matched_account, matched_rule;
  std::optional<int64_t> matched_by;
  std::optional<std::string> matched_at;
};
// Stores the lines in multi-row statements (an import of a million lines is
// bound by statement count), skipping those whose account already has a
// line with the same dedupe key; returns how many were new. The keys must
// differ among `lines` themselves.
int64_t insert_lines(UnitOfWork& uow, const std::vector<Line>& lines);
std::optional<Line> find_line(UnitOfWork& uow, int64_t id, bool for_update = false);
struct LineFilter {
  std::optional<std::string> status;
  std::optional<int64_t> statement_id;
};
std::vector<Line> list_lines(UnitOfWork& uow, const LineFilter& f, const PageRequest& page);
// Lines not matched yet, oldest booking first, after `after_id`, at most `limit`.
std::vector<Line> open_lines(UnitOfWork& uow, int64_t after_id, int limit);
void set_suggestions(UnitOfWork& uow, int64_t id, const std::string& status, const std::string& suggestions_json);
void set_matched(UnitOfWork& uow, int64_t id, std::optional<int64_t> payment_id, std::optional<int64_t> ledger_entry_id,
                 std::optional<std::string> account, const std::string& rule, std::optional<int64_t> by,
                 const std::string& at);
void set_unmatched(UnitOfWork& uow, int64_t id);
// The line that created a payment, if a bank line did.
std::optional<Line> line_of_payment(UnitOfWork& uow, int64_t payment_id);

struct CsvProfileRow {
  int64_t id = 0;
  std::string name;
  std::string definition;  // JSON
  std::string created_at;
};
int64_t insert_csv_profile(UnitOfWork& uow, const CsvProfileRow& p);
std::optional<CsvProfileRow> find_csv_profile(UnitOfWork& uow, int64_t id);
std::optional<CsvProfileRow> find_csv_profile_by_name(UnitOfWork& uow, const std::string& name);
std::vector<CsvProfileRow> list_csv_profiles(UnitOfWork& uow);

struct PostingRuleRow {
  int64_t id = 0;
  int position = 0;
  std::string name;
  std::optional<std::string> counterparty_contains, text_contains;
  std::optional<int> sign;
  bool bank_own_only = false;
  std::string account;
  std::string created_at;
};
std::vector<PostingRuleRow> posting_rules(UnitOfWork& uow);
int64_t insert_posting_rule(UnitOfWork& uow, const PostingRuleRow& r);

// What the matcher indexes: every open invoice of the company, with its
// references and the discount still available, and every customer with
// their IBANs (master data, and those seen on lines matched to them).
struct OpenInvoiceRow {
  int64_t invoice_id = 0;
  int64_t customer_id = 0;
  std::string number, creditor_reference, order_reference, currency, due_date;
  int64_t open_minor = 0;
  int64_t total_minor = 0;
  int64_t discount_minor = 0;  // as issued
  std::optional<std::string> discount_date;
  int64_t credited_minor = 0;
  bool disputed = false;
};
std::vector<OpenInvoiceRow> open_invoices(UnitOfWork& uow);
struct CustomerRow {
  int64_t customer_id = 0;
  std::string name;
  std::vector<std::string> ibans;
};
std::vector<CustomerRow> customers_with_ibans(UnitOfWork& uow);

int auto_threshold(UnitOfWork& uow);

// What `o2c verify` checks of the bank: a line is matched at most once and
// a matched line names what it made; a payment made from a line is that
// line's amount in its currency; per account and currency whose lines are
// all matched, the first statement's opening plus the ledger's bank
// movements from those lines is the last statement's closing balance.
std::vector<std::string> breaches(UnitOfWork& uow);  // the company's, 90 before a company exists

}  // namespace o2c::store::bank
