// libFuzzer target: camt.052/053/054 files come from banks and from people
// who edit them. Parsing any bytes must be safe; a refusal must name where
// (a line of the XML or a path under /Document) and return nothing; what is
// accepted must keep the promises of statement.h.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "formats/bank/statement.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "camt_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2c::formats::bank;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  const auto r = parse_camt(xml);
  if (!r.ok()) {
    const auto& e = r.error();
    if (e.code.empty() || e.message.empty() || e.field.empty()) fail("error without code, message or field", size);
    if (e.field != "/" && e.field.rfind("/Document", 0) != 0 && e.field.rfind("line ", 0) != 0) {
      fail("error located neither by path nor by line", size);
    }
    if (e.message.rfind(e.field, 0) != 0) fail("message does not start with its location", size);
    return 0;
  }
  if (r->statements.empty()) fail("accepted a file without statements", size);
  for (const auto& s : r->statements) {
    if (s.format != r->format) fail("statement format differs from the file's", size);
    if (s.currency.empty()) fail("statement without currency", size);
    for (const auto& l : s.lines) {
      if (l.details.empty()) fail("line without detail", size);
      if (l.source_path.rfind("/Document/", 0) != 0) fail("line without its path", size);
      if (!l.booking_date.empty() && l.booking_date.size() != 10) fail("booking date not YYYY-MM-DD", size);
    }
    (void)s.balances();
  }
  return 0;
}
