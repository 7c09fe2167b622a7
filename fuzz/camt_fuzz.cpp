// libFuzzer target: camt.052/053/054 files come from banks and from people
// who edit them. Parsing any bytes must be safe; a refusal must name where
// (a line of the XML or a path under /Document) and return nothing; what is
// accepted must keep the promises of statement.h. And the reading in two
// halves, and the reading in pieces handed to a sink (both tried here
// whatever the size, pieces of 64 bytes), must give what one parse gives.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "formats/bank/internal.h"
#include "formats/bank/statement.h"

namespace {

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "camt_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

using namespace o2c::formats::bank;

bool same_balance(const std::optional<Balance>& a, const std::optional<Balance>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->amount_minor == b->amount_minor && a->date == b->date && a->kind == b->kind &&
                a->currency == b->currency);
}

bool same_detail(const Detail& d, const Detail& e) {
  return d.amount_minor == e.amount_minor && d.end_to_end_id == e.end_to_end_id &&
         d.structured_reference == e.structured_reference && d.remittance == e.remittance &&
         d.counterparty_name == e.counterparty_name && d.counterparty_iban == e.counterparty_iban &&
         d.counterparty_bic == e.counterparty_bic && d.mandate_id == e.mandate_id;
}

bool same_line(const Line& l, const Line& m) {
  if (!(l.amount_minor == m.amount_minor && l.booking_date == m.booking_date && l.value_date == m.value_date &&
        l.booked == m.booked && l.reversal == m.reversal && l.bank_reference == m.bank_reference &&
        l.customer_reference == m.customer_reference && l.transaction_code == m.transaction_code &&
        l.source_line == m.source_line && l.source_path == m.source_path && l.currency == m.currency &&
        l.details.size() == m.details.size())) {
    return false;
  }
  for (size_t i = 0; i < l.details.size(); ++i) {
    if (!same_detail(l.details[i], m.details[i])) return false;
  }
  return true;
}

bool same_file(const ParsedFile& a, const ParsedFile& b) {
  if (a.format != b.format || a.warnings != b.warnings || a.statements.size() != b.statements.size()) return false;
  for (size_t i = 0; i < a.statements.size(); ++i) {
    const Statement& x = a.statements[i];
    const Statement& y = b.statements[i];
    if (x.format != y.format || x.message_id != y.message_id || x.statement_id != y.statement_id ||
        x.account != y.account || x.currency != y.currency || x.from_date != y.from_date || x.to_date != y.to_date ||
        !same_balance(x.opening, y.opening) || !same_balance(x.closing, y.closing) ||
        x.lines.size() != y.lines.size()) {
      return false;
    }
    for (size_t j = 0; j < x.lines.size(); ++j) {
      if (!same_line(x.lines[j], y.lines[j])) return false;
    }
  }
  return true;
}

// The statements a sink received; after discard() only what came after.
class Collect final : public LineSink {
 public:
  std::vector<Statement> got;
  bool out_of_order = false;
  void lines(size_t statement, const Statement& header, std::vector<Line>&& lines) override {
    if (statement == got.size()) {
      got.push_back(header);
    } else if (statement + 1 != got.size()) {
      out_of_order = true;
      return;
    }
    auto& to = got.back().lines;
    to.insert(to.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
  }
  void discard() override { got.clear(); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  const auto r = parse_camt(xml);
  const auto halves = detail::parse_camt_with(xml, detail::CamtReadOptions{0}, nullptr);
  if (r.ok() != halves.ok()) fail("two halves and one parse disagree on refusing", size);
  if (!r.ok() && (r.error().code != halves.error().code || r.error().message != halves.error().message ||
                  r.error().field != halves.error().field)) {
    fail("two halves and one parse give different errors", size);
  }
  if (r.ok() && !same_file(*r, *halves)) fail("two halves and one parse read different things", size);
  {
    Collect sink;
    auto pieces = detail::read_camt_with(xml, sink, detail::CamtStreamOptions{0, 64}, nullptr);
    if (r.ok() != pieces.ok()) fail("pieces and one parse disagree on refusing", size);
    if (!r.ok() && (r.error().code != pieces.error().code || r.error().message != pieces.error().message ||
                    r.error().field != pieces.error().field)) {
      fail("pieces and one parse give different errors", size);
    }
    if (r.ok()) {
      if (sink.out_of_order || sink.got.size() != pieces->statements.size()) fail("pieces handed over wrongly", size);
      for (size_t i = 0; i < sink.got.size(); ++i) {
        if (!pieces->statements[i].lines.empty()) fail("pieces kept lines in the result", size);
        pieces->statements[i].lines = std::move(sink.got[i].lines);
      }
      if (!same_file(*r, *pieces)) fail("pieces and one parse read different things", size);
    }
  }
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
