#pragma once
// Slows down guessing: counts failed attempts per key (a client address, a
// user name) in a sliding window and refuses further attempts once a key has
// failed too often, until its oldest failure leaves the window. Pure and in
// memory: the caller passes the time, so tests need no clock; one mutex, so
// a server's threads may share one limiter. Forgotten on restart, which is
// acceptable for a brake on online guessing (scrypt is the real defence).
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace o2c::security {

class AttemptLimiter {
 public:
  // At most max_failures failures per key within window_ms; at most
  // max_keys keys remembered (the stalest are dropped first, so a flood of
  // fresh addresses cannot exhaust memory).
  AttemptLimiter(int max_failures, int64_t window_ms, size_t max_keys = 10000);

  // Milliseconds until the key may try again; nullopt when it may now.
  std::optional<int64_t> blocked_for(const std::string& key, int64_t now_ms) const;
  void record_failure(const std::string& key, int64_t now_ms);
  // A success clears the key's failures (the user got in: no guessing).
  void record_success(const std::string& key);
  size_t keys() const;

 private:
  void prune(std::deque<int64_t>& failures, int64_t now_ms) const;
  int max_failures_;
  int64_t window_ms_;
  size_t max_keys_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace o2c::security
