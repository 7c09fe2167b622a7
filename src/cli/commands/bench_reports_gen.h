#pragma once
// The receivables history `o2c bench reports` loads: customers, and invoices
// issued evenly over the three years up to `today`, each with what happened
// to it afterwards — paid on time or late, in one or two payments, a payment
// that bounced and was paid again, a credit note, or nothing — cut off at
// today. Deterministic: the same options give the same rows on any machine.
//
// The rows are what the use cases would have left in the tables: open
// amounts equal total minus the allocations not reversed (in the document
// and the functional currency, the closing allocation taking exactly what is
// open), statuses by billing::invoice_status, settled_on as
// store::invoices::set_settlement sets it, a payment per cash allocation with
// its reversal day, a credit-note row per credit note. What the use cases
// would also have written and the reports do not read is left out: ledger
// entries, audit events, invoice lines and taxes, orders and shipments. So a
// database loaded from here is a reporting fixture, not a company that
// `o2c verify` could pass.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "store/reports_fixture.h"

namespace o2c::cli::repgen {

// Issue dates cover this many days, the last one being today.
constexpr int32_t kHistoryDays = 1096;

struct Options {
  int64_t invoices = 1000000;
  int customers = 10000;
  uint64_t seed = 42;
  Date today;
};

// Rows for invoices [first, first + n) in id order and what follows from
// them: credit notes (ids after every invoice's), payments and allocations.
struct Chunk {
  std::vector<store::fixture::InvoiceRow> invoices;
  std::vector<store::fixture::InvoiceRow> credit_notes;
  std::vector<store::fixture::PaymentRow> payments;
  std::vector<store::fixture::AllocationRow> allocations;
};

struct Counts {
  int64_t invoices = 0, credit_notes = 0, payments = 0, reversed_payments = 0, allocations = 0;
  int64_t paid = 0;         // invoices with nothing open today
  int64_t open = 0;         // invoices with something open today
  int64_t open_minor = 0;   // what they hold, functional currency
};

std::vector<store::fixture::CustomerRow> make_customers(const Options& o);

// Hands out the invoices in order, a chunk at a time. Ids, numbers and the
// counters of credit notes and payments run on from chunk to chunk, so the
// chunks must be taken in order, each once.
class History {
 public:
  explicit History(const Options& o);
  // The next up to `n` invoices into `out` (cleared first); false when none
  // is left.
  bool next(int64_t n, Chunk& out);
  const Counts& counts() const { return counts_; }

 private:
  struct Customer {
    int terms_days = 30;
    bool usd = false;
    bool direct_debit = false;
    int delay_base = 0, delay_spread = 1;  // days past due it pays: base + [0, spread)
    std::string terms, buyer;
  };
  void one(int64_t k, Chunk& out);

  Options o_;
  std::vector<Customer> customers_;
  int64_t next_invoice_ = 0;
  int64_t next_payment_id_ = 1, next_allocation_id_ = 1, credit_notes_ = 0;
  int invoice_year_ = 0;
  int64_t invoice_seq_ = 0;
  std::map<int, int64_t> credit_seq_;  // year -> last credit note number of that year
  Counts counts_;
};

// EUR per USD on a day, in ten-billionths (0.91 to 0.95, varying by day).
int64_t usd_rate_e10(Date d);

}  // namespace o2c::cli::repgen
