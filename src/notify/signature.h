#pragma once
// How a receiver knows a webhook came from us, unchanged and recently:
// the scheme Stripe uses for its own webhooks, so receivers can reuse code
// they have. Header `O2C-Signature: t=<unix seconds>,v1=<hex>` where hex is
// HMAC-SHA256(endpoint secret, "<t>.<raw body>"). Receivers recompute it,
// compare in constant time and refuse a t too far from their clock.
#include <cstdint>
#include <string>
#include <string_view>

namespace o2c::notify {

constexpr std::string_view kSignatureHeader = "O2C-Signature";
constexpr std::string_view kEventIdHeader = "O2C-Event-Id";

std::string signature_header(std::string_view secret, int64_t unix_seconds, std::string_view body);

// A receiver's check: a v1 that matches and |now - t| <= tolerance.
bool signature_valid(std::string_view header, std::string_view secret, std::string_view body, int64_t now_unix,
                     int64_t tolerance_seconds = 300);

}  // namespace o2c::notify
