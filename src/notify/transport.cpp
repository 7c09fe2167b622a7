#include "notify/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace o2c::notify {
namespace {

constexpr size_t kReplyKeepBytes = 200;

// curl_global_init is not thread-safe in every libcurl build: once, first.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlFree {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using Handle = std::unique_ptr<CURL, CurlFree>;
using Slist = std::unique_ptr<curl_slist, SlistFree>;

Slist append(Slist list, const std::string& item) {
  curl_slist* raw = curl_slist_append(list.get(), item.c_str());
  if (raw == nullptr) throw std::bad_alloc();
  list.release();
  return Slist(raw);
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * nitems, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

size_t keep_reply(char* ptr, size_t size, size_t nmemb, void* userdata) {
  auto* out = static_cast<std::string*>(userdata);
  const size_t n = size * nmemb;
  if (out->size() < kReplyKeepBytes) out->append(ptr, std::min(n, kReplyKeepBytes - out->size()));
  return n;
}

// Non-zero aborts the transfer: how a shutdown interrupts a slow peer.
int check_abort(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(clientp)->load() ? 1 : 0;
}

void common_options(CURL* c, const std::string& url, int64_t timeout_ms, const std::atomic<bool>& abort,
                    char* errbuf) {
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded server
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(timeout_ms, 10000)));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_abort);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&abort));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

std::string curl_error(CURLcode rc, const char* errbuf) {
  return std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
}

}  // namespace

Result<void> smtp_send(const SmtpSettings& s, const std::string& from_addr, const std::string& to_addr,
                       const std::string& message, const std::atomic<bool>& abort) {
  global_init();
  Handle c(curl_easy_init());
  if (!c) return Error::internal("curl_easy_init failed");
  char errbuf[CURL_ERROR_SIZE] = {0};
  common_options(c.get(), s.url, s.timeout_ms, abort, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // Upgrade to TLS whenever the server offers it (certificates verified).
  curl_easy_setopt(c.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  const std::string from = "<" + from_addr + ">";
  curl_easy_setopt(c.get(), CURLOPT_MAIL_FROM, from.c_str());
  Slist rcpt = append(nullptr, "<" + to_addr + ">");
  curl_easy_setopt(c.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  Upload up{&message, 0};
  curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c.get(), CURLOPT_READDATA, &up);
  curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  const CURLcode rc = curl_easy_perform(c.get());
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &code);
    return Error{ErrorKind::unavailable, "smtp_failed",
                 "smtp: " + curl_error(rc, errbuf) + (code ? " (server replied " + std::to_string(code) + ")" : ""),
                 ""};
  }
  return {};
}

Result<HttpReply> http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body, int64_t timeout_ms, const std::atomic<bool>& abort) {
  global_init();
  Handle c(curl_easy_init());
  if (!c) return Error::internal("curl_easy_init failed");
  char errbuf[CURL_ERROR_SIZE] = {0};
  common_options(c.get(), url, timeout_ms, abort, errbuf);
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 0L);
  Slist list = append(nullptr, "Content-Type: application/json");
  list = append(std::move(list), "User-Agent: o2c-webhooks/1");
  // curl would otherwise send "Expect: 100-continue" for larger bodies and wait for it.
  list = append(std::move(list), "Expect:");
  for (const auto& [name, value] : headers) list = append(std::move(list), name + ": " + value);
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  HttpReply reply;
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, keep_reply);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &reply.body_start);
  const CURLcode rc = curl_easy_perform(c.get());
  if (rc != CURLE_OK) {
    return Error{ErrorKind::unavailable, "http_failed", "webhook: " + curl_error(rc, errbuf), ""};
  }
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace o2c::notify
