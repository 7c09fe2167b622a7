// libFuzzer target: page cursors arrive in query strings from anyone, and
// the keys they carry come back from the store. Encoding must be lossless;
// decoding any text must be safe.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/json_io.h"

namespace {

// decode_cursor refuses cursors over 200 characters (a cheap guard on the
// query string), which is where keys above 150 bytes end up.
constexpr size_t kMaxKeyBytes = 150;

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "cursor_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const std::string cursor = o2c::http::encode_cursor(bytes);
  if (cursor.size() != (size * 8 + 5) / 6) fail("unexpected cursor length", size);
  const auto back = o2c::http::decode_cursor(cursor);
  if (size <= kMaxKeyBytes) {
    if (!back) fail("own cursor refused", size);
    if (*back != bytes) fail("round trip changed the key", size);
  } else if (back && *back != bytes) {
    fail("long cursor decoded to a different key", size);
  }

  // The raw input as a cursor: whatever decodes must be stable, so that a
  // client re-sending next_cursor always lands on the same key.
  if (const auto key = o2c::http::decode_cursor(bytes)) {
    if (key->size() != size * 6 / 8) fail("decoded length does not match input length", size);
    const auto again = o2c::http::decode_cursor(o2c::http::encode_cursor(*key));
    if (!again || *again != *key) fail("re-encoded cursor decodes differently", size);
  }
  return 0;
}
