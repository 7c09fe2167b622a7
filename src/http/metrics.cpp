#include "http/metrics.h"

#include <cstdio>

namespace o2c::http {

void Metrics::observe(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  auto& h = latency_[{method, route}];
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

namespace {
std::string escape_label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP o2c_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE o2c_http_requests_total counter\n";
  for (const auto& [k, v] : requests_) {
    out += "o2c_http_requests_total{method=\"" + escape_label(std::get<0>(k)) + "\",route=\"" +
           escape_label(std::get<1>(k)) + "\",status=\"" + std::to_string(std::get<2>(k)) + "\"} " +
           std::to_string(v) + "\n";
  }
  out += "# HELP o2c_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE o2c_http_request_duration_seconds histogram\n";
  for (const auto& [k, h] : latency_) {
    std::string labels = "method=\"" + escape_label(k.first) + "\",route=\"" + escape_label(k.second) + "\"";
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out += "o2c_http_request_duration_seconds_bucket{" + labels + ",le=\"" + num(kBucketsSeconds[i]) +
             "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "o2c_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += "o2c_http_request_duration_seconds_sum{" + labels + "} " + num(h.sum) + "\n";
    out += "o2c_http_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace o2c::http
