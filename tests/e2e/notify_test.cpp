// Notifications through HTTP, received by real servers on loopback: an SMTP
// server (tests/e2e/smtp/sink.py, Debian's python3-aiosmtpd, which parses
// what arrives with Python's own e-mail package) and a webhook receiver
// (cpp-httplib inside this process). Order confirmations reach the customer,
// invoices arrive with their PDF and UBL XML, a dunning run's reminder is
// e-mailed, webhooks are signed and retried
// until accepted, e-mails wait while no SMTP server is configured, and two
// nodes on one database never deliver a message twice. GET /messages shows
// each message's state. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "helpers.h"
#include "security/crypto.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string base64_decode(const std::string& in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int buf = 0, bits = 0;
  for (char c : in) {
    const int v = val(c);
    if (v < 0) continue;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  return out;
}

// Polls `done` until it holds or `seconds` pass.
bool eventually(const std::function<bool()>& done, int seconds = 30) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// The SMTP sink as a child process: started on a free loopback port, its
// folder of received messages read back as JSON, stopped and removed with
// the object.
class SmtpSink {
 public:
  explicit SmtpSink(int fail_first = 0) {
    dir_ = fs::temp_directory_path() / ("o2c_smtp_" + std::to_string(getpid()) + "_" + unique_suffix());
    fs::create_directories(dir_);
    const std::string script = std::string(O2C_SOURCE_DIR) + "/tests/e2e/smtp/sink.py";
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      // Debian's interpreter, where python3-aiosmtpd is installed (a pyenv
      // python3 first on PATH would not have it).
      std::vector<std::string> argv = {"/usr/bin/python3", script, dir_.string(), "--fail-first",
                                       std::to_string(fail_first)};
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    std::string seen;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline && seen.find('\n') == std::string::npos) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      const ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    if (seen.rfind("PORT ", 0) == 0) port_ = std::atoi(seen.c_str() + 5);
    if (port_ <= 0) {
      stop();
      throw std::runtime_error("the SMTP sink did not start (is python3-aiosmtpd installed? "
                               "scripts/install-deps.sh --test): " + seen);
    }
  }
  ~SmtpSink() {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Every message received so far, in arrival order.
  std::vector<json> received() const {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".json" && e.path().filename().string()[0] != '.') files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<json> out;
    for (const auto& f : files) {
      std::ifstream in(f);
      out.push_back(json::parse(in, nullptr, false));
    }
    return out;
  }
  std::vector<json> received_by(const std::string& address) const {
    std::vector<json> out;
    for (auto& m : received()) {
      for (const auto& r : m["rcpt_tos"]) {
        if (r == address) out.push_back(m);
      }
    }
    return out;
  }

 private:
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A webhook receiver on loopback. Each path answers from a script of status
// codes (the last one repeats); every request is kept.
class WebhookReceiver {
 public:
  struct Hit {
    std::string path;
    std::string body;
    httplib::Headers headers;
    int answered = 0;
  };

  WebhookReceiver() {
    server_.Post(R"(/hooks/([A-Za-z0-9_-]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      auto& script = scripts_[req.path];
      int status = 200;
      if (!script.empty()) {
        status = script.front();
        if (script.size() > 1) script.erase(script.begin());
      }
      hits_.push_back({req.path, req.body, req.headers, status});
      res.status = status;
      res.set_content(status < 300 ? "ok" : "not now", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("webhook receiver could not bind");
    // Bound and listening already: connections wait in the backlog until the loop accepts.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }

  // A fresh path answering `statuses` in turn (the last one from then on).
  std::string path(std::vector<int> statuses = {200}) {
    std::lock_guard lock(mu_);
    std::string p = "/hooks/h" + unique_suffix();
    scripts_[p] = std::move(statuses);
    return p;
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Hit> hits(const std::string& path) const {
    std::lock_guard lock(mu_);
    std::vector<Hit> out;
    for (const auto& h : hits_) {
      if (h.path == path) out.push_back(h);
    }
    return out;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<int>> scripts_;
  std::vector<Hit> hits_;
};

std::string header_of(const httplib::Headers& h, const std::string& name) {
  auto it = h.find(name);
  return it == h.end() ? "" : it->second;
}

// What a receiver does with O2C-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>.
bool signature_ok(const std::string& header, const std::string& secret, const std::string& body) {
  const size_t t_at = header.find("t=");
  const size_t v_at = header.find(",v1=");
  if (t_at != 0 || v_at == std::string::npos) return false;
  const std::string t = header.substr(2, v_at - 2);
  const std::string v1 = header.substr(v_at + 4);
  const long long age = static_cast<long long>(std::time(nullptr)) - std::atoll(t.c_str());
  return age >= -300 && age <= 300 && security::constant_time_equal(security::hmac_sha256_hex(secret, t + "." + body), v1);
}

const std::vector<std::string> kFastRetries = {"--notify-poll-ms", "50", "--notify-retry-ms", "200",
                                               "--notify-retry-max-ms", "400"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A seller, a warehouse and helpers to make customers, products and orders
// on a given server.
struct Shop {
  const ServerProcess& server;
  std::string sales, warehouse, accountant, wh;

  explicit Shop(const ServerProcess& s) : server(s) {
    sales = s.add_user("n-sales-" + unique_suffix(), "sales");
    warehouse = s.add_user("n-wh-" + unique_suffix(), "warehouse");
    accountant = s.add_user("n-acc-" + unique_suffix(), "accountant");
    auto c = s.put("/api/v1/company", s.admin_token(), complete_company());
    EXPECT_EQ(c.status, 200) << c.raw;
    wh = "WN" + unique_suffix();
    auto w = s.post("/api/v1/warehouses", s.admin_token(), {{"code", wh}, {"name", "Notify"}});
    EXPECT_EQ(w.status, 201) << w.raw;
  }
  // A customer whose e-mail no other test uses, able to receive e-invoices
  // (German VAT id and a postal address: what the UBL rules need).
  std::pair<std::string, std::string> customer() const {
    const std::string email = "ap" + unique_suffix() + "@buyer.example";
    json c = valid_customer("Notify Customer " + unique_suffix());
    c["email"] = email;
    c["credit_limit"] = "100000.00";
    c["vat_id"] = "DE123456789";
    c["address"] = "Kundenweg 5\n80331 München";
    auto r = server.post("/api/v1/customers", server.admin_token(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return {r.body.value("id", ""), email};
  }
  std::string product() const {
    const std::string sku = "NT-" + unique_suffix();
    auto r = server.post("/api/v1/products", server.admin_token(),
                         {{"sku", sku}, {"name", "Widget " + sku}, {"unit_price", "12.50"}, {"currency", "EUR"},
                          {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server.post("/api/v1/stock/receipts", warehouse,
                         {{"warehouse", wh}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "4.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  json order(const std::string& customer_id, const std::string& sku, const std::string& qty = "2") const {
    auto r = server.post("/api/v1/orders", sales,
                         {{"customer_id", customer_id}, {"lines", json::array({{{"sku", sku}, {"quantity", qty}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  json messages(const std::string& query) const {
    return list_all(server, "/api/v1/messages?" + query, accountant);
  }
};

class Notify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sink_ = new SmtpSink();
    receiver_ = new WebhookReceiver();
    server_ = new ServerProcess(with({"--smtp-url", sink_->url()}, kFastRetries));
    shop_ = new Shop(*server_);
  }
  static void TearDownTestSuite() {
    delete shop_;
    delete server_;
    delete receiver_;
    delete sink_;
    shop_ = nullptr;
    server_ = nullptr;
  }
  void TearDown() override { expect_verify_ok(*server_); }

  static const std::string& admin() { return server_->admin_token(); }
  static json endpoint(const std::string& url, const json& events) {
    auto r = server_->post("/api/v1/webhook-endpoints", admin(), {{"url", url}, {"events", events}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }
  // The message of an announcement to one recipient, once it is no longer pending.
  static json settled(const std::string& topic, const std::string& recipient) {
    json found;
    eventually([&] {
      for (const auto& m : shop_->messages("topic=" + topic)) {
        if (m["recipient"] == recipient && (m["status"] == "sent" || m["status"] == "failed")) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  static SmtpSink* sink_;
  static WebhookReceiver* receiver_;
  static ServerProcess* server_;
  static Shop* shop_;
};
SmtpSink* Notify::sink_ = nullptr;
WebhookReceiver* Notify::receiver_ = nullptr;
ServerProcess* Notify::server_ = nullptr;
Shop* Notify::shop_ = nullptr;

TEST_F(Notify, AnOrderPlacedSendsAConfirmationToTheCustomer) {
  const auto [customer_id, email] = shop_->customer();
  const auto order = shop_->order(customer_id, shop_->product(), "3");
  const std::string number = order["number"];

  ASSERT_TRUE(eventually([&] { return !sink_->received_by(email).empty(); })) << "no e-mail reached " << email;
  const auto mails = sink_->received_by(email);
  ASSERT_EQ(mails.size(), 1u);
  const json& m = mails[0];
  EXPECT_EQ(m["mail_from"], "billing@seller.example");  // the company's e-mail, no --mail-from given
  EXPECT_EQ(m["to"], email);
  EXPECT_EQ(m["from"], "Seller GmbH <billing@seller.example>");
  EXPECT_EQ(m["subject"], "Order confirmation " + number);
  EXPECT_TRUE(m["defects"].empty()) << m.dump();
  ASSERT_EQ(m["parts"].size(), 1u);
  EXPECT_EQ(m["parts"][0]["content_type"], "text/plain");
  const std::string text = m["parts"][0]["text"];
  EXPECT_NE(text.find(number), std::string::npos) << text;
  EXPECT_NE(text.find(order["total"].get<std::string>() + " EUR"), std::string::npos) << text;
  EXPECT_NE(text.find("Seller GmbH"), std::string::npos) << text;

  const json msg = settled("order.created", email);
  ASSERT_FALSE(msg.is_null());
  EXPECT_EQ(msg["status"], "sent");
  EXPECT_EQ(msg["attempts"], 1);
  EXPECT_EQ(msg["channel"], "email");
  EXPECT_EQ(msg["subject"], "Order confirmation " + number);
  EXPECT_TRUE(msg["last_error"].is_null());
  EXPECT_TRUE(msg["sent_at"].is_string());
  // The Message-ID is the message's own, the same on any resend.
  EXPECT_EQ(m["message_id"], "<o2c." + msg["id"].get<std::string>() + "." + msg["event_id"].get<std::string>() +
                                 "@seller.example>");
  // Only announcements with a template become e-mails: order.released did not.
  for (const auto& other : shop_->messages("topic=order.released")) EXPECT_NE(other["recipient"], email);
}

TEST_F(Notify, AShipmentSendsTheInvoiceWithItsPdfAndUblXml) {
  const auto [customer_id, email] = shop_->customer();
  const auto order = shop_->order(customer_id, shop_->product(), "4");
  auto s = server_->post("/api/v1/shipments", shop_->warehouse, {{"order_id", order["id"]}});
  ASSERT_EQ(s.status, 201) << s.raw;
  const std::string invoice_id = s.body.value("invoice_id", "");
  auto inv = server_->get("/api/v1/invoices/" + invoice_id, shop_->accountant);
  ASSERT_EQ(inv.status, 200) << inv.raw;
  const std::string number = inv.body["number"];

  json mail;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : sink_->received_by(email)) {
      if (m["subject"] == "Invoice " + number) mail = m;
    }
    return !mail.is_null();
  })) << "no invoice e-mail reached " << email;
  EXPECT_TRUE(mail["defects"].empty()) << mail.dump();
  ASSERT_EQ(mail["parts"].size(), 3u) << mail.dump();
  EXPECT_EQ(mail["parts"][0]["content_type"], "text/plain");
  EXPECT_NE(mail["parts"][0]["text"].get<std::string>().find(number), std::string::npos);

  const json& pdf = mail["parts"][1];
  EXPECT_EQ(pdf["content_type"], "application/pdf");
  EXPECT_EQ(pdf["filename"], number + ".pdf");
  const std::string pdf_bytes = base64_decode(pdf["data_base64"]);
  EXPECT_EQ(pdf_bytes.rfind("%PDF", 0), 0u);
  // The same document the API serves.
  auto served = server_->get("/api/v1/invoices/" + invoice_id + ".pdf", shop_->accountant);
  EXPECT_EQ(served.raw, pdf_bytes);

  const json& xml = mail["parts"][2];
  EXPECT_EQ(xml["content_type"], "application/xml");
  EXPECT_EQ(xml["filename"], number + ".xml");
  const std::string xml_text = base64_decode(xml["data_base64"]);
  EXPECT_NE(xml_text.find("<cbc:ID>" + number + "</cbc:ID>"), std::string::npos) << xml_text.substr(0, 600);
  EXPECT_NE(xml_text.find("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"), std::string::npos);

  const json msg = settled("invoice.issued", email);
  ASSERT_FALSE(msg.is_null());
  EXPECT_EQ(msg["status"], "sent");
  EXPECT_EQ(msg["attempts"], 1);
}

TEST_F(Notify, ADunningNoticeIsEmailedAsAReminder) {
  ServerProcess server(with({"--smtp-url", sink_->url(), "--today", "2026-01-05"}, kFastRetries));
  Shop shop(server);
  const auto [customer_id, email] = shop.customer();  // NET30
  const auto order = shop.order(customer_id, shop.product(), "2");
  auto s = server.post("/api/v1/shipments", shop.warehouse, {{"order_id", order["id"]}, {"as_of", "2026-01-05"}});
  ASSERT_EQ(s.status, 201) << s.raw;
  auto inv = server.get("/api/v1/invoices/" + s.body.value("invoice_id", ""), shop.accountant);
  ASSERT_EQ(inv.status, 200) << inv.raw;
  ASSERT_EQ(inv.body["due_date"], "2026-02-04");
  // The standard policy's first level: 7 days after the due date.
  auto run = server.post("/api/v1/dunning/run", shop.accountant, {{"as_of", "2026-02-11"}});
  ASSERT_EQ(run.status, 200) << run.raw;
  ASSERT_EQ(run.body["notices_created"], 1) << run.raw;

  json reminder;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : sink_->received_by(email)) {
      if (m["subject"].get<std::string>().rfind("Payment reminder", 0) == 0) reminder = m;
    }
    return !reminder.is_null();
  })) << "no reminder reached " << email;
  EXPECT_EQ(reminder["subject"], "Payment reminder: " + inv.body["total"].get<std::string>() + " EUR overdue");
  const std::string text = reminder["parts"][0]["text"];
  EXPECT_NE(text.find("Friendly reminder"), std::string::npos) << text;
  EXPECT_NE(text.find(inv.body["number"].get<std::string>()), std::string::npos) << text;
  // The letter goes along as the PDF finance would print.
  ASSERT_EQ(reminder["parts"].size(), 2u) << reminder.dump().substr(0, 800);
  const json& letter = reminder["parts"][1];
  EXPECT_EQ(letter["content_type"], "application/pdf");
  const std::string notice_id = run.body["notices"][0]["id"];
  EXPECT_EQ(letter["filename"], "reminder-" + notice_id + ".pdf");
  const std::string letter_bytes = base64_decode(letter["data_base64"]);
  EXPECT_EQ(letter_bytes.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(server.get("/api/v1/dunning/notices/" + notice_id + ".pdf", shop.accountant).raw, letter_bytes);
  json msg;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : shop.messages("topic=dunning.notice&status=sent")) {
      if (m["recipient"] == email) msg = m;
    }
    return !msg.is_null();
  }));
  EXPECT_EQ(msg["attempts"], 1);
  expect_verify_ok(server);

  // Levels 2 and 3 on their dates: each e-mailed, fees charged, the last one
  // blocks the customer's credit until the invoices are paid.
  for (const auto& [as_of, level] : {std::pair<const char*, int>{"2026-02-25", 2}, {"2026-03-11", 3}}) {
    auto r = server.post("/api/v1/dunning/run", shop.accountant, {{"as_of", as_of}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["notices_created"], 1) << r.raw;
    EXPECT_EQ(r.body["notices"][0]["level"], level);
    EXPECT_NE(r.body["notices"][0]["fee"], "0.00") << "levels 2 and 3 charge a fee";
  }
  ASSERT_TRUE(eventually([&] {
    int reminders = 0;
    for (const auto& m : sink_->received_by(email)) {
      if (m["subject"].get<std::string>().rfind("Payment reminder", 0) == 0) ++reminders;
    }
    return reminders == 3;
  })) << "three reminders, one per level, reach " << email;
  auto blocked = server.get("/api/v1/customers/" + customer_id, shop.accountant);
  EXPECT_EQ(blocked.body["dunning_block"], true) << blocked.raw;
  const std::string owed = blocked.body["balance"];
  auto paid = server.post("/api/v1/payments", shop.accountant,
                          {{"customer_id", customer_id}, {"amount", owed}, {"currency", "EUR"},
                           {"method", "bank_transfer"}, {"received_on", "2026-03-12"}});
  ASSERT_EQ(paid.status, 201) << paid.raw;
  auto unblocked = server.get("/api/v1/customers/" + customer_id, shop.accountant);
  EXPECT_EQ(unblocked.body["dunning_block"], false) << unblocked.raw;
  EXPECT_EQ(unblocked.body["balance"], "0.00");
  expect_verify_ok(server);
}

TEST_F(Notify, AWebhookEndpointReceivesSignedEventsItSubscribedTo) {
  const std::string path = receiver_->path();
  const json ep = endpoint(receiver_->url(path), json::array({"order.created"}));
  const std::string secret = ep.value("secret", "");
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u) << ep.dump();
  EXPECT_EQ(ep["events"], json::array({"order.created"}));
  EXPECT_EQ(ep["active"], true);
  // The secret is shown once: listings leave it out.
  for (const auto& e : list_all(*server_, "/api/v1/webhook-endpoints", admin())) EXPECT_FALSE(e.contains("secret"));

  const auto [customer_id, email] = shop_->customer();
  const auto order = shop_->order(customer_id, shop_->product());
  std::vector<WebhookReceiver::Hit> hits;
  ASSERT_TRUE(eventually([&] {
    hits = receiver_->hits(path);
    for (const auto& h : hits) {
      const json b = json::parse(h.body, nullptr, false);
      if (b.is_object() && b["data"]["order_id"] == order["id"]) return true;
    }
    return false;
  })) << "the endpoint got no order.created for " << order["id"];
  for (const auto& h : hits) {
    const json b = json::parse(h.body, nullptr, false);
    ASSERT_TRUE(b.is_object()) << h.body;
    // Only what it subscribed to: no order.released, no order.credit_hold.
    EXPECT_EQ(b["topic"], "order.created");
    EXPECT_EQ(header_of(h.headers, "Content-Type"), "application/json");
    EXPECT_TRUE(signature_ok(header_of(h.headers, "O2C-Signature"), secret, h.body))
        << header_of(h.headers, "O2C-Signature");
    EXPECT_FALSE(signature_ok(header_of(h.headers, "O2C-Signature"), secret + "x", h.body));
    EXPECT_EQ(header_of(h.headers, "O2C-Event-Id"), b["id"]);
    EXPECT_TRUE(b["created_at"].is_string());
    if (b["data"]["order_id"] == order["id"]) {
      EXPECT_EQ(b["data"]["number"], order["number"]);
      EXPECT_EQ(b["data"]["total"], order["total"]);
    }
  }
  const json msg = settled("order.created", ep["id"]);
  ASSERT_FALSE(msg.is_null());
  EXPECT_EQ(msg["channel"], "webhook");
  EXPECT_EQ(msg["status"], "sent");
  EXPECT_EQ(msg["endpoint_id"], ep["id"]);
}

TEST_F(Notify, AFailingEndpointIsRetriedWithBackoffUntilItAccepts) {
  const std::string path = receiver_->path({500, 500, 200});
  const json ep = endpoint(receiver_->url(path), json::array({"order.created"}));
  const auto [customer_id, email] = shop_->customer();
  const auto order = shop_->order(customer_id, shop_->product());

  json msg;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : shop_->messages("topic=order.created")) {
      if (m["recipient"] == ep["id"] && m["status"] == "sent") msg = m;
    }
    return !msg.is_null();
  })) << "never delivered";
  EXPECT_EQ(msg["attempts"], 3);
  const auto hits = receiver_->hits(path);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].answered, 500);
  EXPECT_EQ(hits[1].answered, 500);
  EXPECT_EQ(hits[2].answered, 200);
  // One event: the same id and body each time; each attempt signed afresh.
  for (const auto& h : hits) {
    EXPECT_EQ(h.body, hits[0].body);
    EXPECT_EQ(header_of(h.headers, "O2C-Event-Id"), msg["event_id"]);
    EXPECT_TRUE(signature_ok(header_of(h.headers, "O2C-Signature"), ep["secret"], h.body));
  }
  EXPECT_EQ(header_of(hits[2].headers, "O2C-Delivery-Attempt"), "3");
  const json b = json::parse(hits[0].body);
  EXPECT_EQ(b["data"]["order_id"], order["id"]);
}

TEST_F(Notify, AnEndpointThatNeverAcceptsIsGivenUpAndShownAsFailed) {
  // A server of its own, allowing two attempts.
  ServerProcess server(with({"--smtp-url", sink_->url(), "--notify-max-attempts", "2"}, kFastRetries));
  Shop shop(server);
  const std::string path = receiver_->path({503});
  auto ep = server.post("/api/v1/webhook-endpoints", server.admin_token(),
                        {{"url", receiver_->url(path)}, {"events", "*"}});
  ASSERT_EQ(ep.status, 201) << ep.raw;
  EXPECT_EQ(ep.body["events"], json::array({"*"}));
  const auto [customer_id, email] = shop.customer();
  shop.order(customer_id, shop.product());

  json failed;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : shop.messages("status=failed")) {
      if (m["recipient"] == ep.body["id"] && m["topic"] == "order.created") failed = m;
    }
    return !failed.is_null();
  }));
  EXPECT_EQ(failed["attempts"], 2);
  EXPECT_NE(failed["last_error"].get<std::string>().find("503"), std::string::npos) << failed.dump();
  // "*" subscribed it to every topic: order.released was attempted too.
  EXPECT_TRUE(eventually([&] {
    for (const auto& m : shop.messages("topic=order.released")) {
      if (m["recipient"] == ep.body["id"]) return true;
    }
    return false;
  }));
  expect_verify_ok(server);
}

TEST_F(Notify, EndpointsAreValidated) {
  const std::string& a = admin();
  auto bad_url = server_->post("/api/v1/webhook-endpoints", a, {{"url", "ftp://example.com/x"}, {"events", "*"}});
  EXPECT_EQ(bad_url.status, 422) << bad_url.raw;
  EXPECT_EQ(error_code(bad_url), "invalid_url");
  EXPECT_EQ(error_field(bad_url), "url");
  auto unknown = server_->post("/api/v1/webhook-endpoints", a,
                               {{"url", "https://example.com/h"}, {"events", json::array({"order.created", "order.exploded"})}});
  EXPECT_EQ(unknown.status, 422) << unknown.raw;
  EXPECT_EQ(error_code(unknown), "unknown_event");
  EXPECT_EQ(error_field(unknown), "events[1]");
  auto none = server_->post("/api/v1/webhook-endpoints", a, {{"url", "https://example.com/h"}});
  EXPECT_EQ(none.status, 422) << none.raw;
  EXPECT_EQ(error_code(none), "required");
  auto wrong_type = server_->post("/api/v1/webhook-endpoints", a, {{"url", "https://example.com/h"}, {"events", 5}});
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.raw;
  auto by_sales = server_->post("/api/v1/webhook-endpoints", shop_->sales, {{"url", "https://example.com/h"}, {"events", "*"}});
  EXPECT_EQ(by_sales.status, 403);
  auto bad_status = server_->get("/api/v1/messages?status=lost", shop_->accountant);
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_EQ(error_code(bad_status), "invalid_status");
  // The creation is audited, without the secret.
  const std::string path = receiver_->path();
  const json ep = endpoint(receiver_->url(path), json::array({"invoice.paid"}));
  bool audited = false;
  for (const auto& e : list_all(*server_, "/api/v1/events", a)) {
    if (e.value("entity", "") == "webhook_endpoint" && e.value("entity_id", "") == ep["id"]) {
      audited = true;
      EXPECT_EQ(e.dump().find(ep["secret"].get<std::string>()), std::string::npos);
    }
  }
  EXPECT_TRUE(audited);
}

TEST_F(Notify, ATemporarySmtpFailureIsRetried) {
  SmtpSink picky(/*fail_first=*/1);
  ServerProcess server(with({"--smtp-url", picky.url(), "--mail-from", "Billing <noreply@o2c.example>"}, kFastRetries));
  Shop shop(server);
  const auto [customer_id, email] = shop.customer();
  const auto order = shop.order(customer_id, shop.product());
  ASSERT_TRUE(eventually([&] { return !picky.received_by(email).empty(); }));
  const auto mails = picky.received_by(email);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["mail_from"], "noreply@o2c.example");
  EXPECT_EQ(mails[0]["from"], "Billing <noreply@o2c.example>");
  json msg;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : shop.messages("topic=order.created&status=sent")) {
      if (m["recipient"] == email) msg = m;
    }
    return !msg.is_null();
  }));
  EXPECT_EQ(msg["attempts"], 2);
  EXPECT_EQ(mails[0]["message_id"], "<o2c." + msg["id"].get<std::string>() + "." +
                                        msg["event_id"].get<std::string>() + "@o2c.example>");
  expect_verify_ok(server);
}

TEST_F(Notify, WithoutSmtpEmailsWaitVisiblyAndGoOutOnceAServerHasIt) {
  ServerProcess quiet(kFastRetries);  // no --smtp-url
  Shop shop(quiet);
  const auto [customer_id, email] = shop.customer();
  shop.order(customer_id, shop.product());
  json waiting;
  ASSERT_TRUE(eventually([&] {
    for (const auto& m : shop.messages("topic=order.created&status=pending")) {
      if (m["recipient"] == email) waiting = m;
    }
    return !waiting.is_null();
  }));
  EXPECT_EQ(waiting["last_error"], "smtp not configured");
  EXPECT_EQ(waiting["attempts"], 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(sink_->received_by(email).empty());

  // A second node on the same database, with SMTP, sends it.
  ServerProcess mailer(quiet, with({"--smtp-url", sink_->url()}, kFastRetries));
  ASSERT_TRUE(eventually([&] { return !sink_->received_by(email).empty(); }));
  EXPECT_EQ(sink_->received_by(email).size(), 1u);
  expect_verify_ok(quiet);
}

TEST_F(Notify, TwoNodesOnOneDatabaseNeverDeliverAMessageTwice) {
  // Both nodes run a worker with SMTP and see the same webhook endpoint.
  ServerProcess a(with({"--smtp-url", sink_->url()}, kFastRetries));
  ServerProcess b(a, with({"--smtp-url", sink_->url()}, kFastRetries));
  Shop shop(a);
  const std::string path = receiver_->path();
  auto ep = a.post("/api/v1/webhook-endpoints", a.admin_token(),
                   {{"url", receiver_->url(path)}, {"events", json::array({"order.created", "order.released"})}});
  ASSERT_EQ(ep.status, 201) << ep.raw;
  const std::string sku = shop.product();
  constexpr int kOrders = 12;
  std::vector<std::string> emails;
  std::set<std::string> order_ids;
  for (int i = 0; i < kOrders; ++i) {
    auto [customer_id, email] = shop.customer();
    emails.push_back(email);
    // Alternate the nodes that take the orders.
    const ServerProcess& node = i % 2 ? b : a;
    auto r = node.post("/api/v1/orders", shop.sales,
                       {{"customer_id", customer_id}, {"lines", json::array({{{"sku", sku}, {"quantity", "1"}}})}});
    ASSERT_EQ(r.status, 201) << r.raw;
    order_ids.insert(r.body["id"].get<std::string>());
  }
  // Every message settles as sent...
  ASSERT_TRUE(eventually([&] {
    int sent = 0;
    for (const auto& m : shop.messages("status=sent")) {
      if (m["recipient"] == ep.body["id"] || std::find(emails.begin(), emails.end(), m["recipient"]) != emails.end()) {
        ++sent;
      }
    }
    return sent == kOrders * 3;  // a confirmation, order.created and order.released per order
  }, 60));
  // ...and stays delivered once, also after both workers had time to err.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (const auto& email : emails) EXPECT_EQ(sink_->received_by(email).size(), 1u) << email;
  std::map<std::string, int> per_event;
  std::set<std::string> orders_seen;
  for (const auto& h : receiver_->hits(path)) {
    ++per_event[header_of(h.headers, "O2C-Event-Id")];
    const json b = json::parse(h.body);
    if (b["topic"] == "order.created") orders_seen.insert(b["data"]["order_id"].get<std::string>());
  }
  EXPECT_EQ(per_event.size(), static_cast<size_t>(kOrders * 2));
  for (const auto& [event, n] : per_event) EXPECT_EQ(n, 1) << "event " << event << " delivered " << n << " times";
  EXPECT_EQ(orders_seen, order_ids);
  for (const auto& m : shop.messages("")) EXPECT_LE(m["attempts"].get<int>(), 1) << m.dump();
  expect_verify_ok(a);
}

}  // namespace
}  // namespace o2c::e2e
