#pragma once
// RFC 4180 CSV: comma-separated fields, optionally in double quotes (a quote
// inside is doubled; commas and line breaks inside are data). Lines end in
// CRLF, LF or a lone CR. A UTF-8 byte order mark at the start is dropped.
// Files come from spreadsheets and other systems, so the reader is strict
// where leniency would guess: a NUL byte, invalid UTF-8, a quote inside an
// unquoted field, text after a closing quote and an unterminated quote are
// errors with the line they are on. Pure: no I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o2c::csv {

struct Record {
  size_t line = 0;  // the file line (1-based) the record starts on
  std::vector<std::string> fields;
};

struct SyntaxError {
  size_t line = 0;
  // nul_byte, invalid_utf8, stray_quote, text_after_quote, unterminated_quote
  std::string code;
  std::string message;
};

struct Parsed {
  std::vector<Record> records;  // all of them, or those before the error
  std::optional<SyntaxError> error;
  bool ok() const { return !error.has_value(); }
};

// A line break ending the input ends the last record; it does not start an
// empty one. An empty line in the middle is a record of one empty field.
Parsed parse(std::string_view text);
// The same with another field separator (';' or a tab in bank exports).
// REQUIRES: delimiter is not '"', '\r' or '\n'.
Parsed parse(std::string_view text, char delimiter);

// One record as a line (ending in LF) that parse() reads back to the same
// fields: fields are quoted only when they must be.
std::string format_record(const std::vector<std::string>& fields);

}  // namespace o2c::csv
