// Notification rules: the retry schedule, webhook URL checks, subscribable
// topics and the e-mail templates.
#include <gtest/gtest.h>

#include "domain/notify/rules.h"

namespace o2c::notify {
namespace {

TEST(NotifyRetry, DoublesFromTheBaseUpToTheCapThenGivesUp) {
  RetryPolicy p{1000, 8000, 6};
  EXPECT_EQ(retry_delay_ms(p, 1), 1000);
  EXPECT_EQ(retry_delay_ms(p, 2), 2000);
  EXPECT_EQ(retry_delay_ms(p, 3), 4000);
  EXPECT_EQ(retry_delay_ms(p, 4), 8000);
  EXPECT_EQ(retry_delay_ms(p, 5), 8000);  // capped
  EXPECT_EQ(retry_delay_ms(p, 6), std::nullopt);  // the last attempt failed
  EXPECT_EQ(retry_delay_ms(p, 7), std::nullopt);
}

TEST(NotifyRetry, DefaultsRetryForAboutHalfAnHour) {
  RetryPolicy p;
  int64_t total = 0;
  int attempts = 1;
  for (; auto d = retry_delay_ms(p, attempts); ++attempts) total += *d;
  EXPECT_EQ(attempts, p.max_attempts);
  EXPECT_GT(total, 20 * 60 * 1000);
  EXPECT_LT(total, 60 * 60 * 1000);
}

TEST(NotifyRetry, HugeAttemptCountsDoNotOverflow) {
  RetryPolicy p{1, 3600000, 1000};
  EXPECT_EQ(retry_delay_ms(p, 999), 3600000);
}

TEST(NotifyUrl, AcceptsHttpAndHttpsWithHostPortPathQuery) {
  for (const char* ok : {"http://127.0.0.1:8080/hook", "https://hooks.example.com/o2c?x=1", "http://[::1]:9000/",
                         "https://example.com"}) {
    EXPECT_TRUE(validate_endpoint_url(ok).ok()) << ok;
  }
}

TEST(NotifyUrl, RefusesOtherSchemesCredentialsSpacesAndNoHost) {
  for (const char* bad : {"ftp://example.com/", "file:///etc/passwd", "example.com/hook", "http://", "http:///path",
                          "http://user:pw@example.com/", "http://exa mple.com/", "http://example.com/\r\nX: y",
                          "http://example.com:port/", "http://example.com:/", "gopher://x", "http://[::1/"}) {
    auto r = validate_endpoint_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_url") << bad;
    EXPECT_EQ(r.error().field, "url");
  }
  EXPECT_EQ(validate_endpoint_url("").error().code, "required");
  EXPECT_EQ(validate_endpoint_url("https://e.com/" + std::string(kUrlMax, 'a')).error().code, "invalid_url");
}

TEST(NotifyTopics, KnowsTheOutboxTopicsButNotTheWildcardOrInventions) {
  EXPECT_TRUE(is_known_topic("order.created"));
  EXPECT_TRUE(is_known_topic("invoice.issued"));
  EXPECT_TRUE(is_known_topic("payment.reversed"));
  EXPECT_TRUE(is_known_topic("dunning.notice"));
  EXPECT_FALSE(is_known_topic("*"));
  EXPECT_FALSE(is_known_topic("order.exploded"));
  EXPECT_FALSE(is_known_topic(""));
}

TEST(NotifyTemplates, ExactTopicsAndPrefixes) {
  ASSERT_NE(email_template_for("order.created"), nullptr);
  EXPECT_EQ(email_template_for("order.created")->attach, Attach::none);
  ASSERT_NE(email_template_for("invoice.issued"), nullptr);
  EXPECT_EQ(email_template_for("invoice.issued")->attach, Attach::document);
  EXPECT_EQ(email_template_for("credit_note.issued")->attach, Attach::document);
  ASSERT_NE(email_template_for("dunning.notice"), nullptr);
  EXPECT_EQ(email_template_for("dunning.notice")->topic, "dunning.");
  EXPECT_EQ(email_template_for("dunning.level_2")->topic, "dunning.");
  ASSERT_NE(email_template_for("statement.monthly"), nullptr);
  EXPECT_EQ(email_template_for("order.released"), nullptr);
  EXPECT_EQ(email_template_for("payment.received"), nullptr);
  EXPECT_EQ(email_template_for("dunning"), nullptr);
}

TEST(NotifyTemplates, ADunningLevelSentAsALetterIsNotEmailed) {
  const EmailTemplate& t = *email_template_for("dunning.notice");
  EXPECT_TRUE(wants_email(t, {{"action", "email"}}));
  EXPECT_TRUE(wants_email(t, {{"action", "credit_block"}}));
  EXPECT_TRUE(wants_email(t, {}));
  EXPECT_FALSE(wants_email(t, {{"action", "letter"}}));
  EXPECT_TRUE(wants_email(*email_template_for("order.created"), {{"action", "letter"}}));
}

TEST(NotifyTemplates, FillReplacesKnownNamesAndDropsUnknownOnes) {
  std::map<std::string, std::string> vars{{"number", "ORD-1"}, {"total", "10.00"}};
  EXPECT_EQ(fill("Order {number}: {total} {currency}", vars), "Order ORD-1: 10.00 ");
  EXPECT_EQ(fill("{{literal} {number}", vars), "{literal} ORD-1");
  EXPECT_EQ(fill("unclosed {number", vars), "unclosed {number");
  EXPECT_EQ(fill("", vars), "");
}

}  // namespace
}  // namespace o2c::notify
