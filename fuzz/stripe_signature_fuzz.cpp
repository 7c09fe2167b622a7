// libFuzzer target: the Stripe-Signature header reaches the server from
// anyone, before any authentication. Parsing any text must be safe, what it
// accepts must honour the documented limits, and verification must agree
// with the parser: a header that does not parse never verifies, and a header
// built from the real signature always does.
//
// Input: header bytes, then optionally "\n" and the body.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "security/stripe_signature.h"

namespace {

constexpr std::string_view kSecret = "whsec_fuzz";

[[noreturn]] void fail(const char* what, size_t size) {
  std::fprintf(stderr, "stripe_signature_fuzz: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2c::security;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t nl = bytes.find('\n');
  const std::string_view header = bytes.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? std::string_view() : bytes.substr(nl + 1);

  auto parsed = parse_stripe_signature(header);
  if (parsed.ok()) {
    if (header.size() > kStripeSignatureHeaderMax) fail("accepted an over-long header", size);
    if (parsed->v1.empty() || parsed->v1.size() > kStripeSignaturesMax) fail("v1 count out of bounds", size);
    if (parsed->timestamp < 0) fail("negative timestamp", size);
    for (const auto& v : parsed->v1) {
      if (v.empty()) fail("accepted an empty v1", size);
    }
  } else if (parsed.error().code != "invalid_signature") {
    fail("parse error with an unexpected code", size);
  }

  const int64_t now = parsed.ok() ? parsed->timestamp : 1700000000;
  auto verified = verify_stripe_signature(header, body, kSecret, now);
  if (!parsed.ok() && verified.ok()) fail("verified a header that does not parse", size);
  if (verified.ok()) {
    // A match of a fuzzed value against the real HMAC would be a 2^-256 event: it means the compare is broken.
    bool has_real = false;
    const std::string real = stripe_v1_signature(kSecret, parsed->timestamp, body);
    for (const auto& v : parsed->v1) has_real = has_real || v == real;
    if (!has_real) fail("verified without the real signature", size);
  }

  // The real signature, added to whatever the fuzzer made of the rest, verifies
  // when the header still parses and stays within its limits.
  if (parsed.ok() && parsed->v1.size() < kStripeSignaturesMax) {
    std::string with_real(header);
    with_real += ",v1=" + stripe_v1_signature(kSecret, parsed->timestamp, body);
    if (with_real.size() <= kStripeSignatureHeaderMax) {
      auto ok = verify_stripe_signature(with_real, body, kSecret, parsed->timestamp);
      if (!ok.ok()) fail("the real signature did not verify", size);
    }
  }
  return 0;
}
