// libFuzzer target: the decimal parsers that read amounts, quantities and
// prices from API bodies and CSV files. Any accepted text must survive a
// format -> parse round trip unchanged, and parsers that share a grammar
// must agree with each other.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/currency.h"
#include "core/decimal.h"
#include "core/money.h"
#include "core/quantity.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "money_parse_fuzz: %s\n  input: '%.*s'\n  %s\n", what, static_cast<int>(input.size()),
               input.data(), detail.c_str());
  std::abort();
}

void check_money(std::string_view text, const o2c::Currency& cur) {
  auto m = o2c::Money::parse(text, cur);
  if (!m.ok()) {
    if (m.error().code.empty()) fail("Money error without a code", text, std::string(cur.code()));
    return;
  }
  const std::string shown = m->to_string();
  auto back = o2c::Money::parse(shown, cur);
  if (!back.ok()) fail("Money::to_string not parseable", text, shown + " " + back.error().code);
  if (!(*back == *m)) fail("Money round trip changed the value", text, shown);
  // to_string is canonical: formatting the re-parsed value gives the same text.
  if (back->to_string() != shown) fail("Money::to_string not canonical", text, shown);

  // parse_scaled reads the same grammar; where both accept, the values agree.
  auto scaled = o2c::parse_scaled(text, cur.exponent());
  if (scaled.ok() && *scaled != m->minor()) {
    fail("parse_scaled disagrees with Money::parse", text, std::to_string(*scaled) + " vs " + std::to_string(m->minor()));
  }
}

void check_quantity(std::string_view text, const o2c::Currency& three_decimals) {
  auto q = o2c::Quantity::parse(text);
  // Quantity and a 3-decimal currency share grammar and range: they must
  // accept exactly the same texts and read the same number from them.
  auto m = o2c::Money::parse(text, three_decimals);
  if (q.ok() != m.ok()) fail("Quantity::parse and Money::parse(KWD) disagree on validity", text, "");
  if (!q.ok()) return;
  if (q->milli() != m->minor()) fail("Quantity and Money(KWD) read different values", text, q->to_string());
  const std::string shown = q->to_string();
  auto back = o2c::Quantity::parse(shown);
  if (!back.ok()) fail("Quantity::to_string not parseable", text, shown + " " + back.error().code);
  if (*back != *q) fail("Quantity round trip changed the value", text, shown);
}

void check_scaled(std::string_view text) {
  for (int decimals = 0; decimals <= 4; ++decimals) {
    auto v = o2c::parse_scaled(text, decimals);
    if (!v.ok()) continue;
    for (bool trim : {false, true}) {
      const std::string shown = o2c::format_scaled(*v, decimals, trim);
      auto back = o2c::parse_scaled(shown, decimals);
      if (!back.ok()) fail("format_scaled not parseable", text, shown + " " + back.error().code);
      if (*back != *v) fail("parse_scaled round trip changed the value", text, shown);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const o2c::Currency kEur = *o2c::Currency::of("EUR");
  static const o2c::Currency kJpy = *o2c::Currency::of("JPY");
  static const o2c::Currency kKwd = *o2c::Currency::of("KWD");
  static const o2c::Currency kClf = *o2c::Currency::of("CLF");
  for (const auto& cur : {kEur, kJpy, kKwd, kClf}) check_money(text, cur);
  check_quantity(text, kKwd);
  check_scaled(text);
  return 0;
}
