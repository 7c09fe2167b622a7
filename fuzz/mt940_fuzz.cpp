// libFuzzer target: MT940/MT942 files come from every bank's own dialect.
// Parsing any bytes must be safe and linear; a refusal must name a line of
// the input and return nothing; an accepted file keeps statement.h's
// promises (signed amounts, a detail per line, source lines in the input).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/bank/statement.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "mt940_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

int count_lines(std::string_view s) {
  int n = 1;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2c::formats::bank;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = count_lines(text);
  const auto r = parse_mt940(text);
  if (!r.ok()) {
    const auto& e = r.error();
    if (e.code.empty() || e.field.rfind("line ", 0) != 0) fail("error without code or line", size);
    const int at = std::atoi(e.field.c_str() + 5);
    if (at < 1 || at > lines) fail("error line outside the input", size);
    if (e.message.rfind(e.field + ": ", 0) != 0) fail("message does not start with its line", size);
    return 0;
  }
  if (r->statements.empty()) fail("accepted a file without statements", size);
  if (r->warnings.size() > kMaxWarnings + 1) fail("more warnings than the cap", size);
  int prev = 0;
  for (const auto& s : r->statements) {
    if (s.currency.empty()) fail("statement without currency", size);
    for (const auto& l : s.lines) {
      if (l.details.size() != 1) fail("MT940 line without exactly one detail", size);
      if (l.source_line <= prev || l.source_line > lines) fail("source lines not increasing within the input", size);
      prev = l.source_line;
      if (l.booking_date.size() != 10 || l.value_date.size() != 10) fail("date not YYYY-MM-DD", size);
      if (s.format == Format::mt942 && l.booked) fail("MT942 line marked booked", size);
    }
    (void)s.balances();
  }
  return 0;
}
