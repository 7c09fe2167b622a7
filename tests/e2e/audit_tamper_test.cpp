// `o2c verify` against a tampered audit trail. The test edits the database
// behind the server's back, as an insider with database access could, and
// expects verify to exit 1 with a BREACH line. Each tamper gets its own
// server: a broken chain cannot be shared.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "helpers.h"
#include "server_process.h"
#include "store/db.h"

namespace o2c::e2e {
namespace {

class AuditTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    const std::string& admin = server_->admin_token();
    // A few writes of different kinds, so the chain has several links.
    for (int i = 0; i < 3; ++i) {
      auto r = server_->post("/api/v1/customers", admin, valid_customer("Tamper " + std::to_string(i)));
      ASSERT_EQ(r.status, 201) << r.raw;
    }
    auto w = server_->post("/api/v1/warehouses", admin, {{"code", "TW1"}, {"name", "Tamper"}});
    ASSERT_EQ(w.status, 201) << w.raw;
    events_ = list_all(*server_, "/api/v1/events", admin).size();
    ASSERT_GE(events_, 5u);
    // The untouched trail verifies; what follows is the tamper's doing.
    expect_verify_ok(*server_);
  }

  // Runs one statement on the server's database from this process, the way
  // someone with database access (not with the API) would.
  void tamper(const std::string& sql) {
    auto db = store::open_database(server_->db_target());
    auto uow = db->begin(store::TxMode::write);
    int64_t changed = uow->exec(sql);
    uow->commit();
    ASSERT_EQ(changed, 1) << sql;
  }

  // verify must fail loudly: exit 1 and a line that starts with BREACH.
  void expect_breach(const std::string& about) {
    std::string out;
    int rc = server_->cli({"verify"}, &out);
    EXPECT_EQ(rc, 1) << out;
    bool breach_line = false;
    bool mentions = false;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("BREACH") != std::string::npos) {
        breach_line = true;
        if (line.find(about) != std::string::npos) mentions = true;
      }
    }
    EXPECT_TRUE(breach_line) << out;
    EXPECT_TRUE(mentions) << "no BREACH line mentions '" << about << "':\n" << out;
  }

  std::unique_ptr<ServerProcess> server_;
  size_t events_ = 0;
};

TEST_F(AuditTamper, UntouchedTrailVerifies) {
  std::string out;
  EXPECT_EQ(server_->cli({"verify"}, &out), 0) << out;
  EXPECT_EQ(out.find("BREACH"), std::string::npos) << out;
}

TEST_F(AuditTamper, EditedPayloadIsDetected) {
  tamper("UPDATE events SET payload = '{\"x\":1}' WHERE seq = 2");
  expect_breach("event 2");
}

TEST_F(AuditTamper, DeletedEventInTheMiddleIsDetected) {
  tamper("DELETE FROM events WHERE seq = 3");
  expect_breach("event 3");
}

TEST_F(AuditTamper, DeletedLastEventIsDetected) {
  tamper("DELETE FROM events WHERE seq = " + std::to_string(events_));
  expect_breach("event " + std::to_string(events_));
}

TEST_F(AuditTamper, RewrittenEventWithRecomputedLinkIsStillDetected) {
  // Changing the stored hash along with the payload breaks the next link.
  tamper("UPDATE events SET payload = '{\"x\":1}', hash = '" + std::string(64, 'a') + "' WHERE seq = 2");
  expect_breach("event 3");
}

}  // namespace
}  // namespace o2c::e2e
