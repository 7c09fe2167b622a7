#pragma once
// The outbox worker inside `o2c serve`: one thread that fans out new outbox
// rows into messages and delivers the messages that are due, e-mail by SMTP
// and webhooks by HTTP POST, retrying failures with exponential backoff.
//
// Exactly-once as far as a sender can promise it: a message is claimed in a
// committed unit (a conditional UPDATE, so of two nodes on one PostgreSQL
// only one wins), sent outside any transaction, and its outcome recorded in
// another unit. Once `sent` is recorded it is never sent again. A crash
// between the send and that record leaves the claim to expire (the lease)
// and the message is sent once more, with the same Message-ID / O2C-Event-Id
// so that the receiver can recognise the copy.
//
// Threading: start() and stop() from one thread (the server's main thread);
// the worker uses the Database from its own thread.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "app/context.h"
#include "domain/notify/rules.h"
#include "store/db.h"

namespace o2c::notify {

struct WorkerOptions {
  std::string smtp_url;   // empty: e-mails wait, pending, with last_error "smtp not configured"
  std::string mail_from;  // empty: the company's e-mail at send time
  int poll_ms = 200;
  RetryPolicy retry;
  int64_t smtp_timeout_ms = 60000;
  int64_t webhook_timeout_ms = 10000;
  // How long a claim holds: longer than any one send can take, so that a
  // live sender never loses its message to another node.
  int64_t lease_ms = 5 * 60 * 1000;
  bool log = true;  // one JSON line per delivery attempt on stderr
};

class Worker {
 public:
  Worker(store::Database& db, const app::Clock& clock, WorkerOptions opts);
  ~Worker();  // stop()s
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Interrupts a send in progress (it is retried later) and joins the thread.
  void stop();

  // One pass of fan-out and delivery on the calling thread; for tests and
  // the loop. Returns whether anything was done (the loop then goes again
  // without waiting).
  bool run_once();

 private:
  void loop();
  bool fan_out_once();
  bool deliver_once();

  store::Database& db_;
  const app::Clock& clock_;
  WorkerOptions opts_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace o2c::notify
