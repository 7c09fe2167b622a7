// Webhook signatures: the header a receiver checks, and the receiver's check
// itself refusing changed bodies, other secrets and stale timestamps.
#include <gtest/gtest.h>

#include "notify/signature.h"
#include "security/crypto.h"

namespace o2c::notify {
namespace {

TEST(WebhookSignature, IsHmacSha256OfTimestampDotBody) {
  const std::string body = R"({"id":"1","topic":"order.created"})";
  const std::string h = signature_header("whsec_test", 1767225600, body);
  EXPECT_EQ(h, "t=1767225600,v1=" + security::hmac_sha256_hex("whsec_test", "1767225600." + body));
  EXPECT_EQ(h.size(), std::string("t=1767225600,v1=").size() + 64);
}

TEST(WebhookSignature, KnownVector) {
  // Computed independently: printf '1.{}' | openssl dgst -sha256 -hmac secret
  EXPECT_EQ(signature_header("secret", 1, "{}"),
            "t=1,v1=1122767b193110cfec322b6f199b599edbf608ed087f2d27afb0b97d99523908");
}

TEST(WebhookSignature, ReceiverAcceptsOnlyTheSameBodySecretAndARecentTime) {
  const std::string body = R"({"a":1})";
  const std::string h = signature_header("s3cret", 1000, body);
  EXPECT_TRUE(signature_valid(h, "s3cret", body, 1000));
  EXPECT_TRUE(signature_valid(h, "s3cret", body, 1300));
  EXPECT_FALSE(signature_valid(h, "s3cret", body, 1301));
  EXPECT_FALSE(signature_valid(h, "s3cret", body, 699));
  EXPECT_FALSE(signature_valid(h, "other", body, 1000));
  EXPECT_FALSE(signature_valid(h, "s3cret", R"({"a":2})", 1000));
  EXPECT_FALSE(signature_valid("t=1000", "s3cret", body, 1000));
  EXPECT_FALSE(signature_valid("v1=abc", "s3cret", body, 1000));
  EXPECT_FALSE(signature_valid("t=x,v1=" + security::hmac_sha256_hex("s3cret", "x." + body), "s3cret", body, 1000));
}

}  // namespace
}  // namespace o2c::notify
