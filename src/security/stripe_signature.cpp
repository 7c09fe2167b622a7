#include "security/stripe_signature.h"

#include "security/crypto.h"

namespace o2c::security {
namespace {

constexpr size_t kTimestampDigitsMax = 12;  // unix seconds until the year 33658

Error invalid(std::string message) { return Error::malformed("invalid_signature", std::move(message)); }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<StripeSignatureHeader> parse_stripe_signature(std::string_view header) {
  if (header.empty()) return invalid("the Stripe-Signature header is missing");
  if (header.size() > kStripeSignatureHeaderMax) {
    return invalid("the Stripe-Signature header is longer than " + std::to_string(kStripeSignatureHeaderMax) +
                   " characters");
  }
  StripeSignatureHeader out;
  bool have_t = false;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    const std::string_view item = trim_spaces(header.substr(pos, comma - pos));
    pos = comma + 1;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return invalid("Stripe-Signature: every item is key=value");
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      // Two timestamps would let the signed one and the checked one differ.
      if (have_t) return invalid("Stripe-Signature has more than one t");
      if (value.empty() || value.size() > kTimestampDigitsMax) return invalid("Stripe-Signature: t is not a timestamp");
      int64_t t = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return invalid("Stripe-Signature: t is not a timestamp");
        t = t * 10 + (c - '0');
      }
      out.timestamp = t;
      have_t = true;
    } else if (key == "v1") {
      if (value.empty()) return invalid("Stripe-Signature: an empty v1");
      if (out.v1.size() == kStripeSignaturesMax) {
        return invalid("Stripe-Signature has more than " + std::to_string(kStripeSignaturesMax) + " v1 values");
      }
      out.v1.emplace_back(value);
    }
  }
  if (!have_t) return invalid("Stripe-Signature has no timestamp t");
  if (out.v1.empty()) return invalid("Stripe-Signature has no v1 signature");
  return out;
}

std::string stripe_v1_signature(std::string_view secret, int64_t timestamp, std::string_view payload) {
  std::string signed_text = std::to_string(timestamp);
  signed_text += '.';
  signed_text.append(payload.data(), payload.size());
  return hmac_sha256_hex(secret, signed_text);
}

std::string stripe_signature_header(std::string_view secret, int64_t timestamp, std::string_view payload) {
  return "t=" + std::to_string(timestamp) + ",v1=" + stripe_v1_signature(secret, timestamp, payload);
}

Status verify_stripe_signature(std::string_view header, std::string_view payload, std::string_view secret,
                               int64_t now_unix, int64_t tolerance_s) {
  O2C_ASSIGN_OR_RETURN(auto parsed, parse_stripe_signature(header));
  const std::string expected = stripe_v1_signature(secret, parsed.timestamp, payload);
  bool matched = false;
  // Every candidate is compared, so that the time taken does not tell which one matched.
  for (const auto& v : parsed.v1) matched = constant_time_equal(expected, v) || matched;
  if (!matched) return invalid("no v1 signature of Stripe-Signature matches the body");
  const int64_t age = now_unix - parsed.timestamp;
  if (age > tolerance_s || age < -tolerance_s) {
    return Error::malformed("stale_signature", "the Stripe-Signature timestamp is more than " +
                                                   std::to_string(tolerance_s) + " seconds from now");
  }
  return {};
}

}  // namespace o2c::security
