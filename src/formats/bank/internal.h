#pragma once
// Helpers shared by the bank statement readers (camt, MT940, CSV). Not part
// of the public interface: statement.h is.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/bank/statement.h"

namespace o2c::formats::bank::detail {

// Decimal text -> minor units at `exponent` decimals. `sep` is the decimal
// separator ('.' for camt, ',' for MT940). Trailing zeros beyond the
// exponent are accepted ("18.150" EUR); a significant digit beyond it is
// refused, never rounded. A leading '-' is accepted only when allow_sign.
// Error codes: "invalid_amount", "too_many_decimals", "amount_out_of_range";
// the message says what is wrong without a location (the caller adds it).
Result<int64_t> parse_amount(std::string_view text, int exponent, char sep, bool allow_sign);

// The exponent of an ISO 4217 code. Codes missing from the active table
// (withdrawn ones such as DEM still appear in old MT940 samples) are read
// with 2 decimals; `known` tells the caller so that it can warn.
int currency_exponent(std::string_view code, bool* known);

// Plausible ISO 4217 code: three upper-case ASCII letters.
bool looks_like_currency(std::string_view s);

// Calendar checks: 1..12 and 1..31 are required; a day past the end of its
// month (30 February) is reported separately so that a reader can decide.
enum class DateCheck { valid, impossible_day, invalid };
DateCheck check_date(int year, int month, int day);
std::string iso_date(int year, int month, int day);  // "2016-02-30" for any values given

// "YYYY-MM-DD" at the start of a camt Dt or DtTm; false when it is not.
bool iso_date_prefix(std::string_view text, std::string* out);

// Collapse runs of white space (and control characters) into one space and
// trim both ends.
std::string squeeze_spaces(std::string_view s);
void append_squeezed(std::string& out, std::string_view s);  // out += " " + squeezed s, when s has text

// IBAN as stored: spaces removed, upper case.
std::string compact_iban(std::string_view s);
bool looks_like_iban(std::string_view compact);
bool looks_like_bic(std::string_view s);

std::string_view trim(std::string_view s);

// Errors shaped as statement.h promises: malformed, the location in the
// message and in `field`.
Error at_line(int line, std::string_view what, std::string code = "invalid_statement");
Error at_path(std::string_view path, std::string_view what, std::string code = "invalid_statement");

}  // namespace o2c::formats::bank::detail

namespace o2c::formats::bank::detail {

// How parse_camt reads a document (statement.h's parse_camt uses the
// defaults; tests compare the two ways on the same text).
struct CamtReadOptions {
  // From this size on, the document is parsed as two halves on two threads
  // when it can be cut safely before an entry; below it, or when it cannot,
  // as one document. Either way the result, and any error, is the same.
  size_t split_min_bytes = size_t{4} << 20;
};
struct CamtReadInfo {
  bool split = false;  // the two halves were used
};
Result<ParsedFile> parse_camt_with(std::string_view xml, const CamtReadOptions& options, CamtReadInfo* info);

// How read_camt cuts a document (tests use small pieces on small files).
struct CamtStreamOptions {
  size_t stream_min_bytes = size_t{32} << 20;  // below: parsed whole, then handed over
  size_t piece_bytes = size_t{8} << 20;        // about this much text per piece
};
struct CamtStreamInfo {
  bool streamed = false;  // read in pieces (false: whole, perhaps after a discard)
  size_t pieces = 0;
  bool discarded = false;  // the pieces were given up for a whole read
};
Result<ParsedFile> read_camt_with(std::string_view xml, LineSink& sink, const CamtStreamOptions& options,
                                  CamtStreamInfo* info);

}  // namespace o2c::formats::bank::detail
