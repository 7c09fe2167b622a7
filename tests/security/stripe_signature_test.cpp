#include "security/stripe_signature.h"

#include <gtest/gtest.h>

#include <string>

namespace o2c::security {
namespace {

constexpr int64_t kT = 1700000000;
const std::string kSecret = "whsec_test_secret";
const std::string kBody = R"({"id":"evt_1","object":"event"})";
// From `openssl dgst -sha256 -hmac whsec_test_secret` over "1700000000." + kBody:
// pins the signed text to Stripe's "<t>.<body>", not just agreement with ourselves.
const std::string kSig = "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";

std::string header(int64_t t, const std::string& v1) { return "t=" + std::to_string(t) + ",v1=" + v1; }

std::string code_of(const Status& s) { return s.ok() ? "ok" : s.error().code; }

TEST(StripeSignature, KnownVector) { EXPECT_EQ(stripe_v1_signature(kSecret, kT, kBody), kSig); }

TEST(StripeSignature, AcceptsAMatchingSignatureWithinTheTolerance) {
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT)), "ok");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 300)), "ok");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT - 300)), "ok");
}

TEST(StripeSignature, AnyOfSeveralV1ValuesMayMatch) {
  const std::string other(64, 'a');
  const std::string h = "t=" + std::to_string(kT) + ",v1=" + other + ",v1=" + kSig + ",v0=" + other;
  EXPECT_EQ(code_of(verify_stripe_signature(h, kBody, kSecret, kT)), "ok");
  const std::string first = "t=" + std::to_string(kT) + ",v1=" + kSig + ",v1=" + other;
  EXPECT_EQ(code_of(verify_stripe_signature(first, kBody, kSecret, kT)), "ok");
  // Order of items does not matter either.
  EXPECT_EQ(code_of(verify_stripe_signature("v1=" + kSig + ",t=" + std::to_string(kT), kBody, kSecret, kT)), "ok");
}

TEST(StripeSignature, WrongSecretIsInvalid) {
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, "whsec_other", kT)), "invalid_signature");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, "", kT)), "invalid_signature");
}

TEST(StripeSignature, TamperedBodyOrTimestampIsInvalid) {
  std::string tampered = kBody;
  tampered[8] = '2';
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), tampered, kSecret, kT)), "invalid_signature");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody + " ", kSecret, kT)), "invalid_signature");
  // A fresh timestamp on an old signature: t is part of what was signed.
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT + 1000, kSig), kBody, kSecret, kT + 1000)),
            "invalid_signature");
}

TEST(StripeSignature, OnlyV0OrAnUpperCaseSignatureDoesNotMatch) {
  EXPECT_EQ(code_of(verify_stripe_signature("t=" + std::to_string(kT) + ",v0=" + kSig, kBody, kSecret, kT)),
            "invalid_signature");
  std::string upper = kSig;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, upper), kBody, kSecret, kT)), "invalid_signature");
}

TEST(StripeSignature, StaleOrFutureTimestampIsStale) {
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 301)), "stale_signature");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT - 301)), "stale_signature");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 86400)), "stale_signature");
  // A forged signature is invalid whatever its age: the time window is not revealed.
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, std::string(64, '0')), kBody, kSecret, kT + 86400)),
            "invalid_signature");
  EXPECT_EQ(code_of(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 60, 30)), "stale_signature");
}

TEST(StripeSignature, MalformedHeadersAreInvalid) {
  const std::string t = "t=" + std::to_string(kT);
  for (const std::string& h : {std::string(), std::string(","), t, "v1=" + kSig, t + ",v1=", t + ",v1", t + ",",
                               "," + t + ",v1=" + kSig, "t=,v1=" + kSig, "t=12x,v1=" + kSig, "t=-5,v1=" + kSig,
                               "t=1234567890123,v1=" + kSig, t + "," + t + ",v1=" + kSig, std::string("garbage")}) {
    SCOPED_TRACE(h);
    auto parsed = parse_stripe_signature(h);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, "invalid_signature");
    EXPECT_EQ(parsed.error().kind, ErrorKind::malformed);
    EXPECT_EQ(code_of(verify_stripe_signature(h, kBody, kSecret, kT)), "invalid_signature");
  }
}

TEST(StripeSignature, ParsesTimestampAndEverySignatureInOrder) {
  auto p = parse_stripe_signature("t=42, v1=abc ,v0=zzz,v1=def,scheme=x=y");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->timestamp, 42);
  EXPECT_EQ(p->v1, (std::vector<std::string>{"abc", "def"}));
}

TEST(StripeSignature, LimitsAtMaxAndMaxPlusOne) {
  std::string h = "t=" + std::to_string(kT);
  for (size_t i = 1; i < kStripeSignaturesMax; ++i) h += ",v1=" + std::string(64, 'b');
  EXPECT_EQ(code_of(verify_stripe_signature(h + ",v1=" + kSig, kBody, kSecret, kT)), "ok");
  EXPECT_EQ(code_of(verify_stripe_signature(h + ",v1=" + std::string(64, 'c') + ",v1=" + kSig, kBody, kSecret, kT)),
            "invalid_signature");

  std::string at_max = header(kT, kSig) + ",v0=";
  at_max += std::string(kStripeSignatureHeaderMax - at_max.size(), 'x');
  ASSERT_EQ(at_max.size(), kStripeSignatureHeaderMax);
  EXPECT_EQ(code_of(verify_stripe_signature(at_max, kBody, kSecret, kT)), "ok");
  EXPECT_EQ(code_of(verify_stripe_signature(at_max + "x", kBody, kSecret, kT)), "invalid_signature");
}

}  // namespace
}  // namespace o2c::security
