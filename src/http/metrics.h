#pragma once
// Request counters and a latency histogram, exposed in the Prometheus text
// format. Labels are the route pattern, never the raw path, so that the
// number of series stays bounded.
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace o2c::http {

class Metrics {
 public:
  static constexpr std::array<double, 13> kBucketsSeconds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

  void observe(const std::string& method, const std::string& route, int status, double seconds);
  std::string render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsSeconds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
};

}  // namespace o2c::http
