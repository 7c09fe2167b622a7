#include "notify/worker.h"

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/notifications.h"
#include "formats/mime/mime.h"
#include "notify/signature.h"
#include "notify/transport.h"
#include "store/messages_repo.h"

namespace o2c::notify {
namespace {

constexpr int kClaimScan = 8;              // due messages read per claim attempt
constexpr size_t kLastErrorMax = 500;      // bytes of an error kept on the message

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string clip(std::string s) {
  if (s.size() > kLastErrorMax) s.resize(kLastErrorMax);
  return s;
}

enum class Outcome { sent, retry, give_up, released };

}  // namespace

Worker::Worker(store::Database& db, const app::Clock& clock, WorkerOptions opts)
    : db_(db), clock_(clock), opts_(std::move(opts)) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::loop() {
  while (!stopping_) {
    bool busy = false;
    try {
      busy = run_once();
    } catch (const std::exception& e) {
      // A busy or unreachable database: the next poll tries again.
      if (opts_.log) {
        std::fprintf(stderr, "%s\n", nlohmann::json{{"at", clock_.now_rfc3339()}, {"notify", "error"},
                                                    {"error", e.what()}}.dump().c_str());
      }
    }
    if (busy) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(opts_.poll_ms), [this] { return stopping_.load(); });
  }
}

bool Worker::run_once() {
  bool did = fan_out_once();
  if (!stopping_) did = deliver_once() || did;
  return did;
}

bool Worker::fan_out_once() {
  app::FanOutOptions fo;
  fo.email_configured = !opts_.smtp_url.empty();
  auto uow = db_.begin(store::TxMode::write);
  const int done = app::fan_out(*uow, clock_, now_ms(), fo);
  uow->commit();
  return done > 0;
}

bool Worker::deliver_once() {
  const bool email = !opts_.smtp_url.empty();
  // Claim one message in its own committed unit.
  std::optional<store::messages::Message> mine;
  {
    auto uow = db_.begin(store::TxMode::write);
    const int64_t now = now_ms();
    for (auto& m : store::messages::due(*uow, now, email, /*webhook=*/true, kClaimScan)) {
      if (store::messages::claim(*uow, m.id, m.attempts, now, now + opts_.lease_ms)) {
        m.attempts += 1;
        m.status = "sending";
        mine = std::move(m);
        break;
      }
    }
    uow->commit();
  }
  if (!mine) return false;
  const store::messages::Message& m = *mine;

  // Compose on a read snapshot, send with no transaction open.
  Outcome outcome = Outcome::retry;
  std::string error;
  try {
    if (m.channel == "email") {
      Result<formats::mime::Email> email_msg = Error::internal("not composed");
      {
        auto uow = db_.begin(store::TxMode::read);
        email_msg = app::compose_email(*uow, m, opts_.mail_from, now_ms() / 1000);
      }
      if (!email_msg.ok()) {
        error = email_msg.error().message;
      } else {
        const std::string text = formats::mime::build(*email_msg);
        auto sent = smtp_send({opts_.smtp_url, opts_.smtp_timeout_ms}, formats::mime::address_of(email_msg->from),
                              m.recipient, text, stopping_);
        if (sent.ok()) {
          outcome = Outcome::sent;
        } else {
          error = sent.error().message;
        }
      }
    } else {
      Result<app::WebhookDelivery> d = Error::internal("not composed");
      {
        auto uow = db_.begin(store::TxMode::read);
        d = app::compose_webhook(*uow, m);
      }
      if (!d.ok()) {
        error = d.error().message;
        if (d.error().code == "endpoint_inactive") outcome = Outcome::give_up;
      } else {
        const int64_t t = now_ms() / 1000;
        auto reply = http_post(d->url,
                               {{std::string(kSignatureHeader), signature_header(d->secret, t, d->body)},
                                {std::string(kEventIdHeader), d->event_id},
                                {"O2C-Delivery-Id", std::to_string(m.id)},
                                {"O2C-Delivery-Attempt", std::to_string(m.attempts)}},
                               d->body, opts_.webhook_timeout_ms, stopping_);
        if (!reply.ok()) {
          error = reply.error().message;
        } else if (reply->status >= 200 && reply->status < 300) {
          outcome = Outcome::sent;
        } else {
          error = "webhook: HTTP " + std::to_string(reply->status) +
                  (reply->body_start.empty() ? "" : ": " + reply->body_start);
        }
      }
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (outcome == Outcome::retry && stopping_) {
    // Cut off by shutdown: not the receiver's fault, so not an attempt.
    outcome = Outcome::released;
  }

  // Record the outcome; the unit is retried on a busy store, since losing
  // this write would mean sending the message again after the lease.
  std::optional<int64_t> delay;
  if (outcome == Outcome::retry) {
    delay = retry_delay_ms(opts_.retry, m.attempts);
    if (!delay) outcome = Outcome::give_up;
  }
  for (int attempt = 1;; ++attempt) {
    try {
      auto uow = db_.begin(store::TxMode::write);
      switch (outcome) {
        case Outcome::sent:
          store::messages::record_sent(*uow, m.id, m.attempts, clock_.now_rfc3339());
          break;
        case Outcome::retry:
          store::messages::record_retry(*uow, m.id, m.attempts, clip(error), now_ms() + *delay);
          break;
        case Outcome::give_up:
          store::messages::record_failed(*uow, m.id, m.attempts, clip(error));
          break;
        case Outcome::released:
          store::messages::release(*uow, m.id, m.attempts, "interrupted by shutdown: " + clip(error));
          break;
      }
      uow->commit();
      break;
    } catch (const ErrorException& e) {
      if (e.error.kind != ErrorKind::unavailable || attempt >= 5) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
    }
  }
  if (opts_.log) {
    static constexpr const char* kNames[] = {"sent", "retry", "failed", "released"};
    nlohmann::json line = {{"at", clock_.now_rfc3339()},       {"notify", kNames[static_cast<int>(outcome)]},
                           {"message_id", std::to_string(m.id)}, {"channel", m.channel},
                           {"topic", m.topic},                   {"attempt", m.attempts}};
    if (!error.empty()) line["error"] = error;
    std::fprintf(stderr, "%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  return true;
}

}  // namespace o2c::notify
