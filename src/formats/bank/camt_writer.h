#pragma once
// Writing ISO 20022 camt.053 (BkToCstmrStmt, version 001.02): what a bank
// sends, produced by the benchmark's generator and the demo company's
// simulated bank. Pure: text in, text out; the same input gives the same
// bytes. The reader (statement.h) takes everything written here.
//
// A document is written in pieces so that a large one can be built once
// and cut (the benchmark re-sends its last lines as a second file):
//   camt053_document_head + (camt053_statement_head + entries...
//   + camt053_statement_tail)... + camt053_document_tail.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace o2c::formats::bank {

struct CamtEntry {
  int64_t amount_minor = 0;          // > 0 money in (CRDT), < 0 money out (DBIT); never 0
  std::string booking_date;          // YYYY-MM-DD
  std::string value_date;            // YYYY-MM-DD; empty: the booking date
  std::string bank_reference;        // AcctSvcrRef: the bank's id of the entry
  std::string end_to_end_id = "NOTPROVIDED";
  // Bank transaction code (Domn/Fmly/SubFmly); empty family: a received
  // SEPA credit transfer (PMNT/RCDT/ESCT) for money in, an issued one
  // (PMNT/ICDT/ESCT) for money out.
  std::string domain, family, sub_family;
  std::string counterparty_name;     // the payer of money in, the payee of money out
  std::string counterparty_iban;     // may be empty
  std::string structured_reference;  // SCOR creditor reference (RF...), may be empty
  std::string remittance;            // unstructured text, may be empty
};

struct CamtStatement {
  std::string statement_id;
  std::string created_date;  // YYYY-MM-DD (created at 18:00)
  std::string account_iban;
  std::string currency;      // ISO 4217; amounts use its exponent
  int64_t opening_minor = 0;  // signed: a debit balance is negative
  std::string opening_date;
  int64_t closing_minor = 0;
  std::string closing_date;
};

std::string camt053_document_head(std::string_view message_id, std::string_view created_date);
// The statement's header with its opening (OPBD) and closing (CLBD) balance.
std::string camt053_statement_head(const CamtStatement& s);
// Appends one booked entry in `currency` to `out`.
void camt053_append_entry(std::string& out, const CamtEntry& e, std::string_view currency);
inline constexpr std::string_view kCamt053StatementTail = "</Stmt>";
inline constexpr std::string_view kCamt053DocumentTail = "</BkToCstmrStmt></Document>\n";

// A whole document of one or more statements, each with its entries.
struct CamtStatementWithEntries {
  CamtStatement statement;
  std::vector<CamtEntry> entries;
};
std::string write_camt053(std::string_view message_id, std::string_view created_date,
                          const std::vector<CamtStatementWithEntries>& statements);

// "DE" + check digits + BBAN: the ISO 13616 check digits (MOD 97-10) over
// an upper-case alphanumeric BBAN.
std::string iban_with_check_digits(std::string_view country, std::string_view bban);

}  // namespace o2c::formats::bank
