// The notification tables on each engine: one message per outbox row,
// channel and recipient; a message is claimed by one sender per attempt; a
// sender that died gives its message back when its lease runs out; an
// outcome recorded under a lost lease changes nothing. due() locks what it
// returns, so the tests read it in a write unit they then drop.
#include <gtest/gtest.h>

#include "store/messages_repo.h"
#include "store/orders_repo.h"
#include "store_fixture.h"

namespace o2c::store {
namespace {

using messages::Message;
using messages::NewMessage;

constexpr const char* kAt = "2026-01-05T10:00:00Z";

class MessagesRepo : public StoreTest {
 protected:
  // One outbox row, fanned out to one e-mail; returns the message id.
  int64_t one_email(const std::string& topic = "invoice.issued") {
    int64_t id = 0;
    write_with_retry(db(), [&](UnitOfWork& tx) {
      orders::outbox_append(tx, topic, R"({"invoice_id":"1"})", kAt);
      auto rows = messages::lock_not_fanned_out(tx, 10);
      ASSERT_EQ(rows.size(), 1u);
      NewMessage m;
      m.outbox_id = rows[0].id;
      m.channel = "email";
      m.recipient = "buyer@example.com";
      m.subject = "Invoice 1";
      m.topic = topic;
      m.next_attempt_at_ms = 1000;
      m.created_at = kAt;
      ASSERT_TRUE(messages::insert(tx, m));
      EXPECT_FALSE(messages::insert(tx, m)) << "a second message for one row, channel and recipient";
      messages::mark_fanned_out(tx, rows[0].id, kAt);
      EXPECT_TRUE(messages::lock_not_fanned_out(tx, 10).empty());
      auto due = messages::due(tx, 1000, true, true, 10);
      ASSERT_EQ(due.size(), 1u);
      id = due[0].id;
    });
    return id;
  }
  Message read(int64_t id) {
    auto tx = db().begin(TxMode::read);
    auto m = messages::find(*tx, id);
    EXPECT_TRUE(m.has_value());
    return m.value_or(Message{});
  }
  bool write(const std::function<bool(UnitOfWork&)>& fn) {
    bool out = false;
    write_with_retry(db(), [&](UnitOfWork& tx) { out = fn(tx); });
    return out;
  }
};

TEST_F(MessagesRepo, AMessageIsDueOnlyFromItsTimeAndOnlyOnItsChannel) {
  const int64_t id = one_email();
  auto tx = db().begin(TxMode::write);
  EXPECT_TRUE(messages::due(*tx, 999, true, true, 10).empty()) << "due before its time";
  EXPECT_TRUE(messages::due(*tx, 1000, false, true, 10).empty()) << "an e-mail offered to a webhook-only sender";
  auto due = messages::due(*tx, 1000, true, false, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, id);
  EXPECT_EQ(due[0].status, "pending");
  EXPECT_EQ(due[0].attempts, 0);
}

TEST_F(MessagesRepo, OneSenderWinsTheClaimAndItsOutcomeSticks) {
  const int64_t id = one_email();
  EXPECT_TRUE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 0, 1000, 61000); }));
  EXPECT_FALSE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 0, 1000, 61000); }))
      << "a second sender that read the same attempt count took it too";
  {
    auto tx = db().begin(TxMode::write);
    EXPECT_TRUE(messages::due(*tx, 2000, true, true, 10).empty()) << "a leased message is offered again";
  }
  EXPECT_TRUE(write([&](UnitOfWork& tx) { return messages::record_sent(tx, id, 1, kAt); }));
  const Message m = read(id);
  EXPECT_EQ(m.status, "sent");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.sent_at.value_or(""), kAt);
  EXPECT_FALSE(m.lease_until_ms.has_value());
  EXPECT_FALSE(write([&](UnitOfWork& tx) { return messages::record_failed(tx, id, 1, "late"); }))
      << "a sent message was marked failed afterwards";
  EXPECT_EQ(read(id).status, "sent");
}

TEST_F(MessagesRepo, AnExpiredLeaseGivesTheMessageToTheNextSenderAndTheOldOutcomeIsIgnored) {
  const int64_t id = one_email();
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 0, 1000, 5000); }));
  {
    auto tx = db().begin(TxMode::write);
    auto due = messages::due(*tx, 5000, true, true, 10);
    ASSERT_EQ(due.size(), 1u) << "a message whose sender died is never sent";
    EXPECT_EQ(due[0].status, "sending");
    EXPECT_EQ(due[0].attempts, 1);
  }
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 1, 5000, 65000); }));
  EXPECT_FALSE(write([&](UnitOfWork& tx) { return messages::record_sent(tx, id, 1, kAt); }))
      << "the dead sender's outcome overwrote the live attempt";
  EXPECT_TRUE(write([&](UnitOfWork& tx) { return messages::record_retry(tx, id, 2, "421 try later", 90000); }));
  Message m = read(id);
  EXPECT_EQ(m.status, "pending");
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(m.next_attempt_at_ms, 90000);
  EXPECT_EQ(m.last_error.value_or(""), "421 try later");
}

TEST_F(MessagesRepo, ReleaseGivesBackTheAttemptAndFailedIsFinal) {
  const int64_t id = one_email();
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 0, 1000, 61000); }));
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::release(tx, id, 1, "shutting down"); }));
  EXPECT_EQ(read(id).status, "pending");
  EXPECT_EQ(read(id).attempts, 0);
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::claim(tx, id, 0, 1000, 61000); }));
  ASSERT_TRUE(write([&](UnitOfWork& tx) { return messages::record_failed(tx, id, 1, "550 no such user"); }));
  auto tx = db().begin(TxMode::write);
  EXPECT_TRUE(messages::due(*tx, 10'000'000, true, true, 10).empty()) << "a failed message was offered again";
  auto failed = messages::list(*tx, {std::string("failed"), std::nullopt}, {});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].id, id);
  EXPECT_TRUE(messages::list(*tx, {std::string("pending"), std::nullopt}, {}).empty());
}

TEST_F(MessagesRepo, EndpointsKeepTheirSecretAndOnlyActiveOnesAreListedForDelivery) {
  webhook_endpoints::Endpoint e;
  e.url = "https://erp.example.com/hooks";
  e.events = R"(["invoice.issued"])";
  e.secret = "whsec_abc";
  e.created_at = kAt;
  int64_t on = 0, off = 0;
  write_with_retry(db(), [&](UnitOfWork& tx) {
    on = webhook_endpoints::insert(tx, e);
    e.active = false;
    e.url = "https://old.example.com/hooks";
    off = webhook_endpoints::insert(tx, e);
  });
  auto tx = db().begin(TxMode::read);
  auto found = webhook_endpoints::find(*tx, on);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->secret, "whsec_abc");
  EXPECT_EQ(found->events, R"(["invoice.issued"])");
  EXPECT_TRUE(found->active);
  auto active = webhook_endpoints::active(*tx);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, on);
  EXPECT_EQ(webhook_endpoints::list(*tx, {}).size(), 2u);
  EXPECT_FALSE(webhook_endpoints::find(*tx, off + 100).has_value());
}

}  // namespace
}  // namespace o2c::store
