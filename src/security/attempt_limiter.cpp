#include "security/attempt_limiter.h"

#include <algorithm>

namespace o2c::security {

AttemptLimiter::AttemptLimiter(int max_failures, int64_t window_ms, size_t max_keys)
    : max_failures_(std::max(1, max_failures)), window_ms_(std::max<int64_t>(1, window_ms)),
      max_keys_(std::max<size_t>(1, max_keys)) {}

void AttemptLimiter::prune(std::deque<int64_t>& failures, int64_t now_ms) const {
  while (!failures.empty() && failures.front() <= now_ms - window_ms_) failures.pop_front();
}

std::optional<int64_t> AttemptLimiter::blocked_for(const std::string& key, int64_t now_ms) const {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  prune(it->second, now_ms);
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  // Free again when enough failures have left the window to allow one more.
  const int64_t frees_at = it->second[it->second.size() - static_cast<size_t>(max_failures_)] + window_ms_;
  return std::max<int64_t>(1, frees_at - now_ms);
}

void AttemptLimiter::record_failure(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (failures_.size() >= max_keys_ && !failures_.count(key)) {
    // Drop every key whose failures have all left the window; if none has,
    // the key whose last failure is oldest.
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now_ms);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_keys_) {
      auto stalest = std::min_element(failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
        return a.second.back() < b.second.back();
      });
      failures_.erase(stalest);
    }
  }
  auto& f = failures_[key];
  prune(f, now_ms);
  f.push_back(now_ms);
  // Only the last max_failures matter for blocked_for.
  while (static_cast<int>(f.size()) > max_failures_) f.pop_front();
}

void AttemptLimiter::record_success(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

size_t AttemptLimiter::keys() const {
  std::lock_guard lock(mu_);
  return failures_.size();
}

}  // namespace o2c::security
