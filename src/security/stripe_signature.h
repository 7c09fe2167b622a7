#pragma once
// Stripe's webhook signature scheme: the `Stripe-Signature` header is
// `t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]`, and each v1 is
// HMAC-SHA256(secret, "<t>.<raw body>") in lower-case hex. Several v1 values
// appear while a secret is being rolled; one match is enough. The timestamp
// is signed too, so a tolerance around it refuses replays of old deliveries.
//
// Pure: the caller passes the current time, so that the tolerance can be
// tested without a clock.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace o2c::security {

// Stripe's own libraries default to 5 minutes.
constexpr int64_t kStripeToleranceSeconds = 300;
// Limits on input from anyone: a header longer than this, or with more v1
// values, is refused before any HMAC is computed.
constexpr size_t kStripeSignatureHeaderMax = 4096;
constexpr size_t kStripeSignaturesMax = 16;

struct StripeSignatureHeader {
  int64_t timestamp = 0;            // unix seconds
  std::vector<std::string> v1;      // in header order; never empty
};

// Errors, all ErrorKind::malformed with code "invalid_signature": empty or
// over-long header; an item without '='; no t, more than one t, or a t that
// is not 1..12 decimal digits; no v1, an empty v1, or more than
// kStripeSignaturesMax of them. Keys other than t and v1 (v0, future schemes)
// are ignored, as Stripe asks.
Result<StripeSignatureHeader> parse_stripe_signature(std::string_view header);

// The v1 signature of `payload` at `timestamp`, as Stripe computes it.
std::string stripe_v1_signature(std::string_view secret, int64_t timestamp, std::string_view payload);
// The whole Stripe-Signature header a sender writes: "t=<timestamp>,v1=<hex>".
std::string stripe_signature_header(std::string_view secret, int64_t timestamp, std::string_view payload);

// Accepts when one v1 value matches (compared in constant time) and the
// timestamp is within `tolerance_s` of `now_unix`, before or after. Errors
// (malformed): invalid_signature (parse errors above, or no v1 matches);
// stale_signature (a matching signature outside the tolerance). The match is
// checked first, so that a forger learns nothing about the time window.
Status verify_stripe_signature(std::string_view header, std::string_view payload, std::string_view secret,
                               int64_t now_unix, int64_t tolerance_s = kStripeToleranceSeconds);

}  // namespace o2c::security
