#pragma once
// The workload of `o2c bench reconcile`: a seeded company (customers with
// names and IBANs, open invoices with RF creditor references, some with an
// order reference or an early-payment discount) and a bank statement paying
// it with the noise real remittances carry. Each line's truth (which
// invoices it pays) is kept beside the file, never in it, for scoring.
// Pure: no storage, no clock; the same seed gives the same bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/reconcile/match.h"

namespace o2c::cli::recgen {

// A company the generator invents (the in-memory phases) or reads from a
// seeded database (the booking phase).
struct Company {
  std::vector<reconcile::OpenInvoice> invoices;  // open, ascending id
  std::vector<reconcile::Customer> customers;    // ascending id
};

// What a line is, by construction. Frozen order: printed as the table's rows.
enum class Noise {
  clean,           // RF reference in the structured field, exact amount, known IBAN
  number_in_text,  // invoice number in the free text among other words, known IBAN
  ref_typo,        // invoice number with one wrong character, known IBAN
  no_reference,    // nothing but the known IBAN and the exact amount
  name_abbrev,     // unknown IBAN (another bank), payer name abbreviated/truncated, number in text
  order_ref,       // the order's external reference instead of the invoice's
  combined,        // one line pays 2..4 invoices of one customer, numbers in text
  partial,         // less than the open amount, RF reference
  discount,        // open amount less the early-payment discount, inside the window
  fee_deducted,    // a bank fee (0.50..15.00) short, RF reference
  foreign_sender,  // a foreign parent pays: foreign IBAN, other name, no reference (unmatchable)
  unknown_payer,   // no customer's money (a refund, a deposit): unmatchable
};
constexpr int kNoiseKinds = 12;
const char* noise_name(Noise n);
// False for the cases that carry nothing that identifies the invoices: a
// person must look at them, and any automatic match there is wrong.
bool matchable(Noise n);

struct Truth {
  Noise noise = Noise::clean;
  int64_t customer_id = 0;            // 0: no customer's money
  std::vector<int64_t> invoice_ids;   // what the line pays, ascending
};

struct Statement {
  std::string text;                // camt.053 or MT940
  std::vector<Truth> truth;        // one per entry, in file order
  std::string overlap_text;        // a second file repeating the last `overlap_lines` entries
  int64_t overlap_lines = 0;
};

enum class Format { camt053, mt940 };

// `customers` customers (ids 1..customers), each with a unique name and a
// valid German IBAN, and `invoices` open invoices (ids 1..invoices) spread
// over them, issued before `today`. Deterministic in seed.
Company make_company(uint64_t seed, int customers, int64_t invoices, Date today);

// A realistic name and IBAN for customer index c (0-based), as make_company
// gives them: the booking phase seeds its database customers with these.
std::string customer_name(uint64_t seed, int c);
std::string customer_iban(uint64_t seed, int c);

// `lines` entries booked on `today` paying `company`'s invoices (each
// invoice paid by at most one line). When the invoices run out, the rest are
// unknown payers. Deterministic in seed and company.
Statement make_statement(uint64_t seed, const Company& company, int64_t lines, Date today, Format format);

}  // namespace o2c::cli::recgen
