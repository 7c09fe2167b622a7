#include "domain/order/status.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace o2c::order {
namespace {

using S = OrderStatus;
using E = OrderEvent;

// The whole allowed table, written out independently of the implementation.
const std::map<std::pair<S, E>, S> kAllowed = {
    {{S::credit_hold, E::approve}, S::open},
    {{S::credit_hold, E::release}, S::open},
    {{S::credit_hold, E::reject}, S::rejected},
    {{S::credit_hold, E::cancel}, S::cancelled},
    {{S::open, E::cancel}, S::cancelled},
    {{S::open, E::ship_partial}, S::partially_shipped},
    {{S::open, E::ship_complete}, S::shipped},
    {{S::partially_shipped, E::ship_partial}, S::partially_shipped},
    {{S::partially_shipped, E::ship_complete}, S::shipped},
    {{S::shipped, E::invoice}, S::invoiced},
    {{S::invoiced, E::pay}, S::paid},
    {{S::paid, E::close}, S::closed},
    {{S::paid, E::unpay}, S::invoiced},
};

// Cancelling once goods have left is a different conflict from a plain
// wrong move: the client needs a credit note or a return, not a retry.
const std::set<S> kShipped = {S::partially_shipped, S::shipped, S::invoiced, S::paid, S::closed};

TEST(OrderStatusTransition, EveryPairMatchesTheTable) {
  int allowed = 0, refused = 0;
  for (S from : kAllOrderStatuses) {
    for (E event : kAllOrderEvents) {
      auto r = transition(from, event);
      const std::string where = std::string(to_string(from)) + " + " + std::string(to_string(event));
      if (auto it = kAllowed.find({from, event}); it != kAllowed.end()) {
        ASSERT_TRUE(r.ok()) << where << ": " << r.error().code;
        EXPECT_EQ(*r, it->second) << where;
        ++allowed;
        continue;
      }
      ASSERT_FALSE(r.ok()) << where << " -> " << to_string(*r);
      const bool shipped_cancel = event == E::cancel && kShipped.count(from) > 0;
      EXPECT_EQ(r.error().code, shipped_cancel ? "already_shipped" : "invalid_transition") << where;
      EXPECT_EQ(r.error().kind, ErrorKind::conflict) << where;
      EXPECT_TRUE(r.error().field.empty()) << where;
      EXPECT_NE(r.error().message.find(to_string(from)), std::string::npos) << where << ": " << r.error().message;
      ++refused;
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(kAllowed.size()));
  EXPECT_EQ(allowed + refused, 90);
}

struct PathCase {
  const char* label;
  std::vector<E> events;
  std::optional<S> end;       // nullopt: the last event is refused
  const char* refused_code;  // when end is nullopt
};

void PrintTo(const PathCase& c, std::ostream* os) { *os << c.label; }

class OrderStatusPath : public ::testing::TestWithParam<PathCase> {};

TEST_P(OrderStatusPath, FromCreditHold) {
  const PathCase& c = GetParam();
  S s = S::credit_hold;
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    auto r = transition(s, c.events[i]);
    if (i + 1 == c.events.size() && !c.end) {
      ASSERT_FALSE(r.ok()) << c.label;
      EXPECT_EQ(r.error().code, c.refused_code) << c.label;
      return;
    }
    ASSERT_TRUE(r.ok()) << c.label << " at event " << i << ": " << r.error().message;
    s = *r;
  }
  ASSERT_TRUE(c.end.has_value());
  EXPECT_EQ(s, *c.end) << c.label << ": " << to_string(s);
}

INSTANTIATE_TEST_SUITE_P(
    OrderStatus, OrderStatusPath,
    ::testing::Values(
        PathCase{"happy path",
                 {E::approve, E::ship_complete, E::invoice, E::pay, E::close},
                 S::closed,
                 nullptr},
        PathCase{"released automatically", {E::release}, S::open, nullptr},
        PathCase{"several partial shipments",
                 {E::approve, E::ship_partial, E::ship_partial, E::ship_partial, E::ship_complete, E::invoice},
                 S::invoiced,
                 nullptr},
        PathCase{"rejected", {E::reject}, S::rejected, nullptr},
        PathCase{"cancelled on hold", {E::cancel}, S::cancelled, nullptr},
        PathCase{"cancelled while open", {E::approve, E::cancel}, S::cancelled, nullptr},
        PathCase{"cancel after partial shipment", {E::approve, E::ship_partial, E::cancel}, std::nullopt,
                 "already_shipped"},
        PathCase{"cancel after payment", {E::approve, E::ship_complete, E::invoice, E::pay, E::cancel},
                 std::nullopt, "already_shipped"},
        PathCase{"approve twice", {E::approve, E::approve}, std::nullopt, "invalid_transition"},
        PathCase{"ship on hold", {E::ship_partial}, std::nullopt, "invalid_transition"},
        PathCase{"invoice before shipping", {E::approve, E::invoice}, std::nullopt, "invalid_transition"},
        PathCase{"invoice a partial order", {E::approve, E::ship_partial, E::invoice}, std::nullopt,
                 "invalid_transition"},
        PathCase{"pay before invoicing", {E::approve, E::ship_complete, E::pay}, std::nullopt,
                 "invalid_transition"},
        PathCase{"close before paid", {E::approve, E::ship_complete, E::invoice, E::close}, std::nullopt,
                 "invalid_transition"},
        PathCase{"cancel twice", {E::cancel, E::cancel}, std::nullopt, "invalid_transition"},
        PathCase{"approve a rejected order", {E::reject, E::approve}, std::nullopt, "invalid_transition"},
        PathCase{"ship after completion", {E::approve, E::ship_complete, E::ship_partial}, std::nullopt,
                 "invalid_transition"}));

// ---------------------------------------------------------------- names

TEST(OrderStatusNames, FrozenSnakeCase) {
  // Stored and returned by the API: a rename here is a breaking change.
  const std::vector<std::pair<S, const char*>> names = {
      {S::credit_hold, "credit_hold"}, {S::open, "open"},         {S::partially_shipped, "partially_shipped"},
      {S::shipped, "shipped"},         {S::invoiced, "invoiced"}, {S::paid, "paid"},
      {S::closed, "closed"},           {S::rejected, "rejected"}, {S::cancelled, "cancelled"},
  };
  ASSERT_EQ(names.size(), kAllOrderStatuses.size());
  for (const auto& [s, name] : names) {
    EXPECT_EQ(to_string(s), name);
    EXPECT_EQ(status_from_string(name), s) << name;
  }
}

TEST(OrderStatusNames, EventsRoundTrip) {
  const std::vector<std::pair<E, const char*>> names = {
      {E::approve, "approve"},           {E::reject, "reject"},   {E::release, "release"},
      {E::cancel, "cancel"},             {E::ship_partial, "ship_partial"},
      {E::ship_complete, "ship_complete"}, {E::invoice, "invoice"}, {E::pay, "pay"},
      {E::close, "close"},               {E::unpay, "unpay"},
  };
  ASSERT_EQ(names.size(), kAllOrderEvents.size());
  for (const auto& [e, name] : names) {
    EXPECT_EQ(to_string(e), name);
    EXPECT_EQ(event_from_string(name), e) << name;
  }
}

TEST(OrderStatusNames, UnknownNamesAreRefused) {
  for (const char* bad : {"", "OPEN", "Open", " open", "open ", "credit-hold", "canceled", "unknown", "ship"}) {
    EXPECT_FALSE(status_from_string(bad).has_value()) << "'" << bad << "'";
  }
  for (const char* bad : {"", "APPROVE", "ship", "shipped", "paid", "unknown"}) {
    EXPECT_FALSE(event_from_string(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(OrderStatusNames, AllStatusesAndEventsAreDistinct) {
  std::set<std::string> statuses, events;
  for (S s : kAllOrderStatuses) statuses.emplace(to_string(s));
  for (E e : kAllOrderEvents) events.emplace(to_string(e));
  EXPECT_EQ(statuses.size(), kAllOrderStatuses.size());
  EXPECT_EQ(events.size(), kAllOrderEvents.size());
}

// ---------------------------------------------------------------- shape

TEST(OrderStatusShape, TerminalStatusesHaveNoWayOut) {
  for (S s : kAllOrderStatuses) {
    bool any = false;
    for (E e : kAllOrderEvents) any |= transition(s, e).ok();
    EXPECT_EQ(is_terminal(s), !any) << to_string(s);
  }
  EXPECT_TRUE(is_terminal(S::closed));
  EXPECT_TRUE(is_terminal(S::rejected));
  EXPECT_TRUE(is_terminal(S::cancelled));
}

TEST(OrderStatusShape, EveryStatusIsReachableFromCreditHold) {
  std::set<S> seen{S::credit_hold};
  std::vector<S> todo{S::credit_hold};
  while (!todo.empty()) {
    const S s = todo.back();
    todo.pop_back();
    for (E e : kAllOrderEvents) {
      if (auto r = transition(s, e); r.ok() && seen.insert(*r).second) todo.push_back(*r);
    }
  }
  EXPECT_EQ(seen.size(), kAllOrderStatuses.size());
}

// Random event streams: a refused event never changes anything, and the
// states visited only move forward along the life cycle, except the one step
// back a bounced payment takes (paid -> invoiced).
TEST(OrderStatusProperty, RandomWalksOnlyMoveForward) {
  const std::map<S, int> rank = {{S::credit_hold, 0}, {S::open, 1},      {S::partially_shipped, 2},
                                 {S::shipped, 3},     {S::invoiced, 4},  {S::paid, 5},
                                 {S::closed, 6},      {S::rejected, 7},  {S::cancelled, 7}};
  std::mt19937_64 rng(31337);
  int ended_terminal = 0;
  for (int walk = 0; walk < 5000; ++walk) {
    S s = S::credit_hold;
    for (int step = 0; step < 30; ++step) {
      const E e = kAllOrderEvents[rng() % kAllOrderEvents.size()];
      auto r = transition(s, e);
      if (!r.ok()) continue;  // the caller keeps the old status
      if (e == E::unpay) {
        EXPECT_EQ(s, S::paid);
        EXPECT_EQ(*r, S::invoiced);
      } else {
        EXPECT_GE(rank.at(*r), rank.at(s)) << to_string(s) << " + " << to_string(e);
      }
      if (*r == s) EXPECT_EQ(e, E::ship_partial) << "only more partial shipments stay put";
      s = *r;
    }
    if (is_terminal(s)) ++ended_terminal;
  }
  EXPECT_GT(ended_terminal, 1000);
}

}  // namespace
}  // namespace o2c::order
