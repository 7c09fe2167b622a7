#pragma once
// Writing a generated receivables history straight into the tables, for
// `o2c bench reports` and its test: customers, invoices and credit notes,
// payments and their allocations, in multi-row INSERTs with the ids the
// generator chose. Not a use case: no ledger, no audit, no checks beyond the
// schema's. The rows must already be what the use cases would have left
// (open amounts, status, settled_on); the generator is responsible for that.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "store/db.h"

namespace o2c::store::fixture {

struct CustomerRow {
  int64_t id = 0;
  std::string name, email, currency, payment_terms, country, created_at;
  int64_t credit_limit_minor = 0;
};

// An invoice or a credit note (kind), every NOT NULL column of `invoices`.
struct InvoiceRow {
  int64_t id = 0;
  std::string kind;    // "invoice" | "credit_note"
  std::string number;  // series-year-seq
  std::string series;
  int year = 0;
  int64_t seq = 0;
  int64_t customer_id = 0;
  std::optional<int64_t> credited_invoice_id;
  std::string status;
  std::string issue_date, due_date, payment_terms, currency;
  int64_t net_total_minor = 0, tax_total_minor = 0, total_minor = 0, open_minor = 0;
  int64_t fx_rate_e10 = 0, total_functional_minor = 0, open_functional_minor = 0;
  std::string settled_on;
  std::optional<std::string> reason;
  std::string seller, buyer;  // JSON snapshots
  std::string created_at;
};

struct PaymentRow {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string currency, method, reference, received_on;
  int64_t amount_minor = 0, fx_rate_e10 = 0, amount_functional_minor = 0;
  std::string status;  // received | reversed
  std::optional<std::string> reversed_on, reversal_reason;
  std::string created_at;
};

struct AllocationRow {
  int64_t id = 0;
  int64_t invoice_id = 0;
  std::string source_type, source_id;
  int64_t amount_minor = 0, functional_minor = 0;
  std::string applied_on;
  std::optional<std::string> reversed_on;  // reversed_at is that day at noon
  std::string created_at;
  int64_t customer_id = 0;     // the invoice's
  int64_t days_after_due = 0;  // applied_on - the invoice's due date
};

// The seller (functional currency EUR) and a NET60 payment term next to the
// seeded ones. Call once, on a freshly migrated database.
void insert_company(UnitOfWork& uow, const std::string& name, const std::string& at);

// Each in multi-row statements; parents first (customers, then invoices
// before the credit notes that name them, payments before allocations).
void insert_customers(UnitOfWork& uow, std::span<const CustomerRow> rows);
void insert_invoices(UnitOfWork& uow, std::span<const InvoiceRow> rows);
void insert_payments(UnitOfWork& uow, std::span<const PaymentRow> rows);
void insert_allocations(UnitOfWork& uow, std::span<const AllocationRow> rows);

// After the load: PostgreSQL's identity columns continue after the ids the
// fixture chose, so that a use case run on this database later does not
// collide with them. No-op on SQLite (INTEGER PRIMARY KEY takes max + 1).
void continue_ids(UnitOfWork& uow);

}  // namespace o2c::store::fixture
