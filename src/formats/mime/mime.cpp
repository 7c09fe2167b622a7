#include "formats/mime/mime.h"

#include <ctime>

namespace o2c::formats::mime {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string strip_line_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

bool is_plain_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// A quoted-string parameter value may not hold '"', '\\' or controls; the
// filename is ours (a document number), so dropping them loses nothing.
std::string safe_filename(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') out.push_back(static_cast<char>(c));
  }
  return out.empty() ? "attachment" : out;
}

// '\n' line ends become CRLF, as SMTP requires, without doubling a CR.
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
    out.push_back(text[i]);
  }
  return out;
}

// Length in bytes of the UTF-8 sequence that starts with `lead` (1 for a
// stray continuation byte, so that broken input still advances).
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

}  // namespace

std::string encode_mailbox(std::string_view mailbox) {
  const std::string clean = strip_line_breaks(mailbox);
  const size_t open = clean.rfind('<');
  if (open == std::string::npos) return clean;
  std::string_view name = std::string_view(clean).substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  const std::string addr = "<" + address_of(clean) + ">";
  if (name.empty()) return addr;
  if (!is_plain_ascii(name)) return encode_header_text(name) + " " + addr;
  // A display name with '.', ',' or '@' must be quoted to stay one phrase.
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\" " + addr;
}

std::string base64(std::string_view data, size_t line_length) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4 + (line_length ? data.size() / line_length * 2 : 0) + 4);
  size_t col = 0;
  auto put = [&](char c) {
    if (line_length && col == line_length) {
      out += "\r\n";
      col = 0;
    }
    out.push_back(c);
    ++col;
  };
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t n = (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8) | uint8_t(data[i + 2]);
    put(kAlphabet[(n >> 18) & 63]);
    put(kAlphabet[(n >> 12) & 63]);
    put(kAlphabet[(n >> 6) & 63]);
    put(kAlphabet[n & 63]);
  }
  const size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t n = uint32_t(uint8_t(data[i])) << 16;
    if (rest == 2) n |= uint32_t(uint8_t(data[i + 1])) << 8;
    put(kAlphabet[(n >> 18) & 63]);
    put(kAlphabet[(n >> 12) & 63]);
    put(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    put('=');
  }
  return out;
}

std::string encode_header_text(std::string_view text) {
  const std::string clean = strip_line_breaks(text);
  if (is_plain_ascii(clean)) return clean;
  // An encoded word is at most 75 characters: "=?UTF-8?B?" + payload + "?="
  // leaves 63 characters of base64, i.e. 45 bytes of text.
  constexpr size_t kBytesPerWord = 45;
  std::string out;
  size_t i = 0;
  while (i < clean.size()) {
    size_t end = i;
    while (end < clean.size()) {
      const size_t len = utf8_length(static_cast<unsigned char>(clean[end]));
      if (end + len - i > kBytesPerWord) break;
      end += len;
    }
    if (end == i) end = std::min(clean.size(), i + utf8_length(static_cast<unsigned char>(clean[i])));
    if (!out.empty()) out += "\r\n ";  // folded: whitespace between encoded words is not displayed
    out += "=?UTF-8?B?" + base64(std::string_view(clean).substr(i, end - i), 0) + "?=";
    i = end;
  }
  return out;
}

std::string address_of(std::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  std::string_view s = mailbox;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

std::string rfc5322_date(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string build(const Email& e) {
  std::string m;
  m += "From: " + encode_mailbox(e.from) + "\r\n";
  m += "To: " + strip_line_breaks(e.to) + "\r\n";
  m += "Subject: " + encode_header_text(e.subject) + "\r\n";
  m += "Date: " + strip_line_breaks(e.date) + "\r\n";
  m += "Message-ID: <" + strip_line_breaks(e.message_id) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  const std::string text_headers =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n";
  const std::string text_body = base64(crlf(e.text)) + "\r\n";
  if (e.attachments.empty()) {
    m += text_headers + "\r\n" + text_body;
    return m;
  }
  std::string boundary = "=_o2c_";
  for (char c : e.message_id) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) boundary.push_back(c);
  }
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is a message in MIME format.\r\n";
  m += "--" + boundary + "\r\n" + text_headers + "\r\n" + text_body;
  for (const auto& a : e.attachments) {
    const std::string name = safe_filename(a.filename);
    m += "--" + boundary + "\r\n";
    m += "Content-Type: " + strip_line_breaks(a.content_type) + "; name=\"" + name + "\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n";
    m += base64(a.data) + "\r\n";
  }
  m += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace o2c::formats::mime
