#include "store/bank_repo.h"

#include <algorithm>
#include <map>

namespace o2c::store::bank {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }
Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null(); }

constexpr const char* kStatementCols =
    "id, import_id, seq, message_id, statement_ref, account, currency, opening_minor, opening_date, opening_kind, "
    "closing_minor, closing_date, closing_kind, booked_sum_minor, balanced, lines";

Statement statement_from(const Row& r) {
  Statement s;
  s.id = r.i64(0);
  s.import_id = r.i64(1);
  s.seq = static_cast<int>(r.i64(2));
  s.message_id = r.opt_text(3);
  s.statement_ref = r.opt_text(4);
  s.account = r.text(5);
  s.currency = r.text(6);
  s.opening_minor = r.opt_i64(7);
  s.opening_date = r.opt_text(8);
  s.opening_kind = r.opt_text(9);
  s.closing_minor = r.opt_i64(10);
  s.closing_date = r.opt_text(11);
  s.closing_kind = r.opt_text(12);
  s.booked_sum_minor = r.i64(13);
  if (auto b = r.opt_i64(14)) s.balanced = *b != 0;
  s.lines = r.i64(15);
  return s;
}

constexpr const char* kLineCols =
    "id, statement_id, account, currency, amount_minor, booking_date, value_date, counterparty_name, "
    "counterparty_iban, reference, remittance, bank_reference, transaction_code, dedupe_key, status, suggestions, "
    "payment_id, ledger_entry_id, matched_account, matched_rule, matched_by, matched_at";

Line line_from(const Row& r) {
  Line l;
  l.id = r.i64(0);
  l.statement_id = r.i64(1);
  l.account = r.text(2);
  l.currency = r.text(3);
  l.amount_minor = r.i64(4);
  l.booking_date = r.text(5);
  l.value_date = r.opt_text(6);
  l.counterparty_name = r.opt_text(7);
  l.counterparty_iban = r.opt_text(8);
  l.reference = r.opt_text(9);
  l.remittance = r.opt_text(10);
  l.bank_reference = r.opt_text(11);
  l.transaction_code = r.opt_text(12);
  l.dedupe_key = r.text(13);
  l.status = r.text(14);
  l.suggestions = r.opt_text(15);
  l.payment_id = r.opt_i64(16);
  l.ledger_entry_id = r.opt_i64(17);
  l.matched_account = r.opt_text(18);
  l.matched_rule = r.opt_text(19);
  l.matched_by = r.opt_i64(20);
  l.matched_at = r.opt_text(21);
  return l;
}

CsvProfileRow profile_from(const Row& r) { return {r.i64(0), r.text(1), r.text(2), r.text(3)}; }

}  // namespace

int64_t insert_import(UnitOfWork& uow, const Import& i) {
  return uow
      .query_one(
          "INSERT INTO bank_imports (format, file_sha256, file_name, csv_profile_id, statements, lines_imported, "
          "lines_skipped_duplicate, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {i.format, i.file_sha256, opt(i.file_name), opt(i.csv_profile_id), int64_t{i.statements}, i.lines_imported,
           i.lines_skipped_duplicate, opt(i.imported_by), i.imported_at})
      ->i64(0);
}

void finish_import(UnitOfWork& uow, const Import& i) {
  uow.exec("UPDATE bank_imports SET format = ?, statements = ?, lines_imported = ?, lines_skipped_duplicate = ? "
           "WHERE id = ?",
           {i.format, int64_t{i.statements}, i.lines_imported, i.lines_skipped_duplicate, i.id});
}

std::optional<Import> find_import(UnitOfWork& uow, int64_t id) {
  auto r = uow.query_one(
      "SELECT id, format, file_sha256, file_name, csv_profile_id, statements, lines_imported, "
      "lines_skipped_duplicate, imported_by, imported_at FROM bank_imports WHERE id = ?",
      {id});
  if (!r) return std::nullopt;
  Import i;
  i.id = r->i64(0);
  i.format = r->text(1);
  i.file_sha256 = r->text(2);
  i.file_name = r->opt_text(3);
  i.csv_profile_id = r->opt_i64(4);
  i.statements = static_cast<int>(r->i64(5));
  i.lines_imported = r->i64(6);
  i.lines_skipped_duplicate = r->i64(7);
  i.imported_by = r->opt_i64(8);
  i.imported_at = r->text(9);
  return i;
}

int64_t insert_statement(UnitOfWork& uow, const Statement& s) {
  return uow
      .query_one(
          "INSERT INTO bank_statements (import_id, seq, message_id, statement_ref, account, currency, opening_minor, "
          "opening_date, opening_kind, closing_minor, closing_date, closing_kind, booked_sum_minor, balanced, lines) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {s.import_id, int64_t{s.seq}, opt(s.message_id), opt(s.statement_ref), s.account, s.currency,
           opt(s.opening_minor), opt(s.opening_date), opt(s.opening_kind), opt(s.closing_minor), opt(s.closing_date),
           opt(s.closing_kind), s.booked_sum_minor, s.balanced ? Value(int64_t{*s.balanced ? 1 : 0}) : null(),
           s.lines})
      ->i64(0);
}

void finish_statement(UnitOfWork& uow, const Statement& s) {
  uow.exec("UPDATE bank_statements SET opening_minor = ?, opening_date = ?, opening_kind = ?, closing_minor = ?, "
           "closing_date = ?, closing_kind = ?, booked_sum_minor = ?, balanced = ?, lines = ? WHERE id = ?",
           {opt(s.opening_minor), opt(s.opening_date), opt(s.opening_kind), opt(s.closing_minor), opt(s.closing_date),
            opt(s.closing_kind), s.booked_sum_minor, s.balanced ? Value(int64_t{*s.balanced ? 1 : 0}) : null(), s.lines,
            s.id});
}

std::vector<Statement> statements_of_import(UnitOfWork& uow, int64_t import_id) {
  std::vector<Statement> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kStatementCols +
                                     " FROM bank_statements WHERE import_id = ? ORDER BY seq",
                                 {import_id})) {
    out.push_back(statement_from(r));
  }
  return out;
}

std::optional<Statement> latest_closed_statement(UnitOfWork& uow, const std::string& account) {
  auto r = uow.query_one(std::string("SELECT ") + kStatementCols +
                             " FROM bank_statements WHERE account = ? AND closing_minor IS NOT NULL "
                             "ORDER BY closing_date DESC, id DESC LIMIT 1",
                         {account});
  if (!r) return std::nullopt;
  return statement_from(*r);
}

std::vector<std::string> accounts(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query("SELECT DISTINCT account FROM bank_statements ORDER BY account")) {
    out.push_back(r.text(0));
  }
  return out;
}

int64_t insert_lines(UnitOfWork& uow, const std::vector<Line>& lines) {
  // 13 values a row; 100 rows stay far below either engine's parameter limit.
  constexpr size_t kRowsPerStatement = 100;
  constexpr const char* kRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unmatched')";
  int64_t inserted = 0;
  for (size_t at = 0; at < lines.size(); at += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, lines.size() - at);
    std::string sql =
        "INSERT INTO bank_lines (statement_id, account, currency, amount_minor, booking_date, value_date, "
        "counterparty_name, counterparty_iban, reference, remittance, bank_reference, transaction_code, dedupe_key, "
        "status) VALUES ";
    std::vector<Value> params;
    params.reserve(n * 13);
    for (size_t i = 0; i < n; ++i) {
      const Line& l = lines[at + i];
      if (i) sql += ", ";
      sql += kRow;
      params.insert(params.end(), {l.statement_id, l.account, l.currency, l.amount_minor, l.booking_date,
                                   opt(l.value_date), opt(l.counterparty_name), opt(l.counterparty_iban),
                                   opt(l.reference), opt(l.remittance), opt(l.bank_reference),
                                   opt(l.transaction_code), l.dedupe_key});
    }
    sql += " ON CONFLICT (account, dedupe_key) DO NOTHING";
    inserted += uow.exec(sql, params);
  }
  return inserted;
}

std::optional<Line> find_line(UnitOfWork& uow, int64_t id, bool for_update) {
  auto r = uow.query_one(std::string("SELECT ") + kLineCols + " FROM bank_lines WHERE id = ?" +
                             (for_update ? std::string(uow.for_update()) : std::string()),
                         {id});
  if (!r) return std::nullopt;
  return line_from(*r);
}

std::vector<Line> list_lines(UnitOfWork& uow, const LineFilter& f, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kLineCols + " FROM bank_lines WHERE id > ?";
  std::vector<Value> params{page.after};
  if (f.status) {
    sql += " AND status = ?";
    params.emplace_back(*f.status);
  }
  if (f.statement_id) {
    sql += " AND statement_id = ?";
    params.emplace_back(*f.statement_id);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<Line> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(line_from(r));
  return out;
}

std::vector<Line> open_lines(UnitOfWork& uow, int64_t after_id, int limit) {
  std::vector<Line> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kLineCols +
                                     " FROM bank_lines WHERE status <> 'matched' AND id > ? ORDER BY id LIMIT ?",
                                 {after_id, int64_t{limit}})) {
    out.push_back(line_from(r));
  }
  return out;
}

void set_suggestions(UnitOfWork& uow, int64_t id, const std::string& status, const std::string& suggestions_json) {
  uow.exec("UPDATE bank_lines SET status = ?, suggestions = ? WHERE id = ?", {status, suggestions_json, id});
}

void set_matched(UnitOfWork& uow, int64_t id, std::optional<int64_t> payment_id, std::optional<int64_t> ledger_entry_id,
                 std::optional<std::string> account, const std::string& rule, std::optional<int64_t> by,
                 const std::string& at) {
  uow.exec("UPDATE bank_lines SET status = 'matched', payment_id = ?, ledger_entry_id = ?, matched_account = ?, "
           "matched_rule = ?, matched_by = ?, matched_at = ? WHERE id = ?",
           {opt(payment_id), opt(ledger_entry_id), opt(account), rule, opt(by), at, id});
}

void set_unmatched(UnitOfWork& uow, int64_t id) {
  uow.exec("UPDATE bank_lines SET status = 'unmatched', payment_id = NULL, ledger_entry_id = NULL, "
           "matched_account = NULL, matched_rule = NULL, matched_by = NULL, matched_at = NULL WHERE id = ?",
           {id});
}

std::optional<Line> line_of_payment(UnitOfWork& uow, int64_t payment_id) {
  auto r = uow.query_one(std::string("SELECT ") + kLineCols + " FROM bank_lines WHERE payment_id = ?", {payment_id});
  if (!r) return std::nullopt;
  return line_from(*r);
}

int64_t insert_csv_profile(UnitOfWork& uow, const CsvProfileRow& p) {
  return uow
      .query_one("INSERT INTO bank_csv_profiles (name, definition, created_at) VALUES (?, ?, ?) RETURNING id",
                 {p.name, p.definition, p.created_at})
      ->i64(0);
}

std::optional<CsvProfileRow> find_csv_profile(UnitOfWork& uow, int64_t id) {
  auto r = uow.query_one("SELECT id, name, definition, created_at FROM bank_csv_profiles WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return profile_from(*r);
}

std::optional<CsvProfileRow> find_csv_profile_by_name(UnitOfWork& uow, const std::string& name) {
  auto r = uow.query_one("SELECT id, name, definition, created_at FROM bank_csv_profiles WHERE name = ?", {name});
  if (!r) return std::nullopt;
  return profile_from(*r);
}

std::vector<CsvProfileRow> list_csv_profiles(UnitOfWork& uow) {
  std::vector<CsvProfileRow> out;
  for (const auto& r : uow.query("SELECT id, name, definition, created_at FROM bank_csv_profiles ORDER BY id")) {
    out.push_back(profile_from(r));
  }
  return out;
}

std::vector<PostingRuleRow> posting_rules(UnitOfWork& uow) {
  std::vector<PostingRuleRow> out;
  for (const auto& r : uow.query("SELECT id, position, name, counterparty_contains, text_contains, sign, account, "
                                 "created_at, bank_own_only FROM bank_posting_rules ORDER BY position, id")) {
    PostingRuleRow p;
    p.id = r.i64(0);
    p.position = static_cast<int>(r.i64(1));
    p.name = r.text(2);
    p.counterparty_contains = r.opt_text(3);
    p.text_contains = r.opt_text(4);
    if (auto s = r.opt_i64(5)) p.sign = static_cast<int>(*s);
    p.account = r.text(6);
    p.created_at = r.text(7);
    p.bank_own_only = r.i64(8) != 0;
    out.push_back(std::move(p));
  }
  return out;
}

int64_t insert_posting_rule(UnitOfWork& uow, const PostingRuleRow& r) {
  return uow
      .query_one(
          "INSERT INTO bank_posting_rules (position, name, counterparty_contains, text_contains, sign, bank_own_only, "
          "account, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {int64_t{r.position}, r.name, opt(r.counterparty_contains), opt(r.text_contains),
           r.sign ? Value(int64_t{*r.sign}) : null(), int64_t{r.bank_own_only ? 1 : 0}, r.account, r.created_at})
      ->i64(0);
}

std::vector<OpenInvoiceRow> open_invoices(UnitOfWork& uow) {
  std::vector<OpenInvoiceRow> out;
  // Credit notes and disputes are summed once per table and joined, not
  // looked up per invoice: the matcher reads every open invoice at once.
  for (const auto& r : uow.query(
           "SELECT i.id, i.customer_id, i.number, i.creditor_reference, "
           "(SELECT MIN(o.external_ref) FROM invoice_lines l JOIN orders o ON o.id = l.order_id "
           " WHERE l.invoice_id = i.id), "
           "i.currency, i.due_date, i.open_minor, i.total_minor, i.discount_minor, i.discount_date, "
           "COALESCE(c.credited, 0), COALESCE(d.open_disputes, 0) "
           "FROM invoices i "
           "LEFT JOIN (SELECT credited_invoice_id, SUM(total_minor) AS credited FROM invoices "
           "           WHERE credited_invoice_id IS NOT NULL GROUP BY credited_invoice_id) c "
           "  ON c.credited_invoice_id = i.id "
           "LEFT JOIN (SELECT invoice_id, COUNT(*) AS open_disputes FROM disputes WHERE status = 'open' "
           "           GROUP BY invoice_id) d ON d.invoice_id = i.id "
           "WHERE i.kind = 'invoice' AND i.open_minor > 0 ORDER BY i.id")) {
    OpenInvoiceRow o;
    o.invoice_id = r.i64(0);
    o.customer_id = r.i64(1);
    o.number = r.text(2);
    o.creditor_reference = r.text(3);
    o.order_reference = r.text(4);
    o.currency = r.text(5);
    o.due_date = r.text(6);
    o.open_minor = r.i64(7);
    o.total_minor = r.i64(8);
    o.discount_minor = r.opt_i64(9).value_or(0);
    o.discount_date = r.opt_text(10);
    o.credited_minor = r.i64(11);
    o.disputed = r.i64(12) > 0;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<CustomerRow> customers_with_ibans(UnitOfWork& uow) {
  std::vector<CustomerRow> out;
  std::map<int64_t, size_t> at;
  for (const auto& r : uow.query("SELECT id, name, iban FROM customers ORDER BY id")) {
    CustomerRow c;
    c.customer_id = r.i64(0);
    c.name = r.text(1);
    if (auto iban = r.opt_text(2); iban && !iban->empty()) c.ibans.push_back(*iban);
    at[c.customer_id] = out.size();
    out.push_back(std::move(c));
  }
  // A payer's account seen on a line matched to them identifies them next time.
  for (const auto& r : uow.query("SELECT DISTINCT p.customer_id, l.counterparty_iban FROM bank_lines l "
                                 "JOIN payments p ON p.id = l.payment_id WHERE l.status = 'matched' "
                                 "AND l.counterparty_iban IS NOT NULL AND p.status = 'received'")) {
    auto it = at.find(r.i64(0));
    if (it == at.end()) continue;
    auto& ibans = out[it->second].ibans;
    const std::string iban = r.text(1);
    bool seen = false;
    for (const auto& x : ibans) seen = seen || x == iban;
    if (!seen && !iban.empty()) ibans.push_back(iban);
  }
  return out;
}

int auto_threshold(UnitOfWork& uow) {
  auto r = uow.query_one("SELECT reconcile_auto_threshold FROM company WHERE id = 1");
  return r ? static_cast<int>(r->i64(0)) : 90;
}

std::vector<std::string> breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           "SELECT id, status, payment_id, ledger_entry_id FROM bank_lines WHERE "
           "(status = 'matched' AND payment_id IS NULL AND ledger_entry_id IS NULL) OR "
           "(status <> 'matched' AND (payment_id IS NOT NULL OR ledger_entry_id IS NOT NULL)) OR "
           "(payment_id IS NOT NULL AND ledger_entry_id IS NOT NULL)")) {
    out.push_back("bank line " + r.text(0) + " is " + r.text(1) + " but names payment '" + r.text(2) +
                  "' and ledger entry '" + r.text(3) + "'");
  }
  for (const auto& r : uow.query("SELECT payment_id, COUNT(*) FROM bank_lines WHERE payment_id IS NOT NULL "
                                 "GROUP BY payment_id HAVING COUNT(*) > 1")) {
    out.push_back("payment " + r.text(0) + " was made from " + r.text(1) + " bank lines");
  }
  for (const auto& r : uow.query("SELECT ledger_entry_id, COUNT(*) FROM bank_lines WHERE ledger_entry_id IS NOT NULL "
                                 "GROUP BY ledger_entry_id HAVING COUNT(*) > 1")) {
    out.push_back("ledger entry " + r.text(0) + " posts " + r.text(1) + " bank lines");
  }
  for (const auto& r : uow.query("SELECT l.id, l.amount_minor, l.currency, p.id, p.amount_minor, p.currency "
                                 "FROM bank_lines l JOIN payments p ON p.id = l.payment_id "
                                 "WHERE p.amount_minor <> l.amount_minor OR p.currency <> l.currency")) {
    out.push_back("bank line " + r.text(0) + " of " + r.text(1) + " " + r.text(2) + " made payment " + r.text(3) +
                  " of " + r.text(4) + " " + r.text(5));
  }
  // Bank movements of the ledger that came from lines: the payment entries
  // and the posted lines' entries, each line's own entry only (a reversal
  // of an unmatched line's entry cancels with it and the line is open).
  for (const auto& acct : uow.query(
           "SELECT s.account, s.currency FROM bank_statements s GROUP BY s.account, s.currency "
           "HAVING NOT EXISTS (SELECT 1 FROM bank_lines l WHERE l.account = s.account AND l.currency = s.currency "
           "AND l.status <> 'matched')")) {
    const std::string account = acct.text(0), currency = acct.text(1);
    auto first = uow.query_one("SELECT opening_minor FROM bank_statements WHERE account = ? AND currency = ? "
                               "AND opening_minor IS NOT NULL ORDER BY COALESCE(opening_date, ''), id LIMIT 1",
                               {account, currency});
    auto last = uow.query_one("SELECT closing_minor, balanced FROM bank_statements WHERE account = ? AND currency = ? "
                              "AND closing_minor IS NOT NULL ORDER BY COALESCE(closing_date, '') DESC, id DESC LIMIT 1",
                              {account, currency});
    if (!first || !last) continue;
    // A bank whose own figures do not add up cannot be held to them.
    if (uow.query_one("SELECT 1 FROM bank_statements WHERE account = ? AND currency = ? AND balanced = 0",
                      {account, currency})) {
      continue;
    }
    auto functional = uow.query_one("SELECT currency FROM company WHERE id = 1");
    if (!functional || functional->text(0) != currency) continue;  // FX: the ledger holds converted amounts
    auto moved = uow.query_one(
        "SELECT COALESCE(SUM(x.debit_minor - x.credit_minor), 0) FROM ledger_lines x WHERE x.account_code = '1000' "
        "AND x.entry_id IN (SELECT p.ledger_entry_id FROM bank_lines l JOIN payments p ON p.id = l.payment_id "
        "WHERE l.account = ? AND l.currency = ? UNION SELECT l.ledger_entry_id FROM bank_lines l "
        "WHERE l.account = ? AND l.currency = ? AND l.ledger_entry_id IS NOT NULL)",
        {account, currency, account, currency});
    const int64_t opening = first->i64(0), closing = last->i64(0), ledger = moved ? moved->i64(0) : 0;
    if (opening + ledger != closing) {
      out.push_back("bank account " + account + " " + currency + ": opening " + std::to_string(opening) +
                    " + ledger bank movements from its lines " + std::to_string(ledger) + " = " +
                    std::to_string(opening + ledger) + ", but the last statement closes at " + std::to_string(closing));
    }
  }
  return out;
}

}  // namespace o2c::store::bank
