#pragma once
// Quoting outside input back in error messages: short, and never cut inside
// a UTF-8 sequence (the message goes into a JSON body).
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace o2c {

constexpr size_t kQuoteMaxBytes = 40;

// "'abc'" or "'first 40 bytes...'", cut at a UTF-8 character boundary.
inline std::string quoted_excerpt(std::string_view s, size_t max_bytes = kQuoteMaxBytes) {
  if (s.size() <= max_bytes) return "'" + std::string(s) + "'";
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(s.substr(0, cut)) + "...'";
}

// A document number: prefix, then the sequence zero-padded to six digits
// (wider once it outgrows them): "SO-000001", "SH-000042".
inline std::string document_number(std::string_view prefix, int64_t seq) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(seq));
  return std::string(prefix) + digits;
}

}  // namespace o2c
