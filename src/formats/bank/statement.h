#pragma once
// What a bank says, read from its file: one model for camt.052/053/054,
// MT940/MT942 and CSV, so that the import, the matching and the tests never
// care which format a line came from. Pure: no storage, no clock.
//
// Amounts are in minor units of the statement's currency (ISO 4217
// exponent). A file whose amount has more significant decimals than its
// currency allows is refused, never rounded; trailing zeros ("18.150" EUR)
// are fine.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace o2c::formats::bank {

enum class Format { camt052, camt053, camt054, mt940, mt942, csv };
const char* format_name(Format f);  // "camt.053", "MT940", "CSV", ...

// Which balance of the statement a figure came from (camt Bal/Tp/Cd or MT
// tag), kept so that a report can say "opening taken from PRCD".
struct Balance {
  int64_t amount_minor = 0;  // signed: a debit balance is negative
  std::string date;          // YYYY-MM-DD, may be empty
  std::string kind;          // "OPBD", "PRCD", "CLBD", "60F", "60M", "62F", "62M", ...
  // Added: the currency the file states for this figure (camt Amt/@Ccy, MT
  // balance currency). Equal to the statement's in sound files; some test
  // files mix them, and amount_minor is then in this currency's minor units.
  std::string currency;
};

// One remittance of a line: a camt TxDtls, or the whole MT940 :61:/:86:
// pair. A camt entry that pays several invoices carries one per invoice.
struct Detail {
  std::optional<int64_t> amount_minor;   // the detail's own amount, when the bank gives one
  std::string end_to_end_id;             // EndToEndId / EREF+ (without "NOTPROVIDED")
  std::string structured_reference;      // CdtrRefInf/Ref (e.g. "RF18539007547034"), or a dialect's structured field
  std::string remittance;                // unstructured text, lines joined by a space
  std::string counterparty_name;         // the payer on a credit, the payee on a debit
  std::string counterparty_iban;         // compact, upper case; empty when the bank gives none
  std::string counterparty_bic;
  std::string mandate_id;                // MndtId / MREF+
};

struct Line {
  int64_t amount_minor = 0;      // signed: + money in (credit), - money out (debit)
  std::string booking_date;      // YYYY-MM-DD
  std::string value_date;        // YYYY-MM-DD, may be empty
  bool booked = true;            // camt Sts BOOK (false: PDNG/INFO, or MT942)
  bool reversal = false;         // camt RvslInd, MT940 RC/RD
  std::string bank_reference;    // AcctSvcrRef / :61: bank reference: the bank's id of the line
  std::string customer_reference;// :61: reference for the account owner / camt NtryRef
  std::string transaction_code;  // camt BkTxCd (Domn/Fmly/SubFmlyCd or Prtry), MT :61: type + :86: GVC
  std::vector<Detail> details;   // at least one
  int source_line = 0;           // 1-based line of the file where the entry starts (MT940/CSV); 0 for XML
  std::string source_path;       // XML path of the entry (camt), e.g. "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"
  // Added: the currency of amount_minor as the file states it (camt
  // Ntry/Amt/@Ccy; the statement's for MT940 and CSV). A line whose currency
  // differs from the statement's comes only from broken files; the reader
  // warns about it and the import should not book it.
  std::string currency;
};

struct Statement {
  Format format = Format::camt053;
  std::string message_id;        // GrpHdr/MsgId, or MT :20:
  std::string statement_id;      // Stmt/Id (Rpt/Id, Ntfctn/Id), or MT :28C: joined to :20:
  std::string account;           // IBAN (compact) or the bank's account id (:25:)
  std::string currency;          // ISO 4217 code as the file states it
  std::optional<Balance> opening;
  std::optional<Balance> closing;
  std::string from_date, to_date;  // YYYY-MM-DD, when stated
  std::vector<Line> lines;

  // Sum of the booked lines' amounts (MT942 lines are interim, not booked:
  // their sum is 0 here; add the lines yourself for the reported movement).
  int64_t booked_sum_minor() const;
  // opening + booked sum == closing; nullopt when either balance is missing.
  std::optional<bool> balances() const;
  // The same with the booked sum given: the lines were handed over (read_camt).
  std::optional<bool> balances_with(int64_t booked_sum_minor) const;
};

// Added: at most this many warnings are kept per file (a 1M-line file with
// an unknown tag on every line must not carry 1M strings); one more says how
// many were left out.
inline constexpr size_t kMaxWarnings = 200;

struct ParsedFile {
  Format format = Format::camt053;
  std::vector<Statement> statements;   // in file order
  std::vector<std::string> warnings;   // e.g. "line 12: unknown tag :99: skipped"
};

// Errors: Error::malformed with code "invalid_statement" (or a narrower
// one), the message naming the line ("line 14: ...") or the XML path
// ("/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt: ..."), and `field` set to
// that location. Nothing is returned on error: a file is taken whole or
// not at all.
Result<ParsedFile> parse_camt(std::string_view xml);   // camt.052 / .053 / .054, versions .01 to .10
Result<ParsedFile> parse_mt940(std::string_view text); // MT940 and MT942, several statements per file

// Where read_camt hands the lines, as they are read. Called at least once
// per statement (perhaps with no lines), statements and lines in file
// order; `header` is the statement as read so far, without lines (its
// balances are final only in read_camt's result).
class LineSink {
 public:
  virtual ~LineSink() = default;
  virtual void lines(size_t statement, const Statement& header, std::vector<Line>&& lines) = 0;
  // Everything handed over so far is void: the file is read again whole and
  // every line comes once more. Only ever before read_camt returns.
  virtual void discard() = 0;
};
// parse_camt for files of any size: a large statement is read a few
// megabytes at a time (never the whole document's tree or lines at once),
// each piece's lines handed to `sink` before the next is read. The result,
// any error, and the lines the sink received are exactly parse_camt's; the
// returned statements hold no lines. On an error the sink may have had
// lines: the caller drops them with the rest of the failed import.
Result<ParsedFile> read_camt(std::string_view xml, LineSink& sink);
// A file read whole, handed over as read_camt would: each statement's lines
// moved to the sink, the statements left without lines.
void hand_over(ParsedFile& f, LineSink& sink);

// A saved column mapping for one bank's CSV export.
struct CsvProfile {
  std::string name;
  char delimiter = ',';
  bool has_header = true;
  int skip_lines = 0;                 // lines before the header (bank preambles)
  // Columns by header name (or 1-based index as text when has_header is
  // false). Required: booking_date and either amount or credit+debit.
  std::string booking_date, value_date, amount, credit, debit, currency, counterparty_name,
      counterparty_iban, remittance, reference, bank_reference;
  std::string date_format = "YYYY-MM-DD";  // also "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY", "YYYYMMDD"
  char decimal_separator = '.';            // ',' for most European exports
  std::string account;                     // the statement's account when the file does not say
  std::string default_currency;            // when no currency column
};
Result<void> validate_profile(const CsvProfile& p);
// One statement per currency of the file (the currency column, else the
// profile's default), in the order the currencies first appear, each with
// its own lines and dates; the profile's account on each. A CSV export
// states no balances: opening and closing stay empty.
Result<ParsedFile> parse_csv(std::string_view text, const CsvProfile& profile);
// A CSV file names at most this many currencies (one statement each).
inline constexpr size_t kCsvCurrenciesMax = 20;

// By content, not by name: "<" → camt, ":20:" or "{1:" → MT940, else CSV.
Format sniff(std::string_view content);

}  // namespace o2c::formats::bank
