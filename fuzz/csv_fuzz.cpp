// libFuzzer target: CSV files arrive from other systems and spreadsheets
// (`o2c import orders`). Parsing any bytes must be safe; what parses must
// come back unchanged through format_record, on the same lines, and every
// refusal must name a line of the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/csv/csv.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "csv_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

// Line breaks as the parser counts them: CRLF, LF and a lone CR each end one.
size_t count_lines(std::string_view s) {
  size_t lines = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++lines;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = o2c::csv::parse(text);
  const size_t lines = count_lines(text);

  size_t prev = 0;
  for (const auto& r : parsed.records) {
    if (r.line <= prev || r.line > lines) fail("record lines not increasing within the input", size);
    if (r.fields.empty()) fail("record without fields", size);
    prev = r.line;
    for (const auto& f : r.fields) {
      if (f.find('\0') != std::string::npos) fail("NUL byte in an accepted field", size);
    }
  }
  if (!parsed.ok()) {
    const auto& e = *parsed.error;
    if (e.code.empty() || e.message.empty()) fail("error without code or message", size);
    if (e.line < std::max<size_t>(prev, 1) || e.line > lines) fail("error line outside the input", size);
    // Nothing after a NUL byte is read: the refusal is on its line or before.
    const size_t nul = text.find('\0');
    if (nul != std::string_view::npos && e.line > count_lines(text.substr(0, nul))) {
      fail("a NUL byte was passed over", size);
    }
    return 0;
  }
  if (text.find('\0') != std::string_view::npos) fail("input with a NUL byte accepted", size);

  std::string again;
  for (const auto& r : parsed.records) again += o2c::csv::format_record(r.fields);
  const auto back = o2c::csv::parse(again);
  if (!back.ok()) fail("formatted records do not parse", size);
  if (back.records.size() != parsed.records.size()) fail("round trip changed the number of records", size);
  for (size_t i = 0; i < back.records.size(); ++i) {
    if (back.records[i].fields != parsed.records[i].fields) fail("round trip changed a field", size);
    if (back.records[i].line != parsed.records[i].line) fail("round trip moved a record to another line", size);
  }
  return 0;
}
