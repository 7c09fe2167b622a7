// The e-mail builder: what a mail client and every relay on the way expect
// (CRLF, 7-bit, lines within 998 characters, headers that cannot be forged
// through a subject), and attachments that decode to the bytes put in.
#include <gtest/gtest.h>

#include <string>

#include "formats/mime/mime.h"

namespace o2c::formats::mime {
namespace {

std::string decode64(const std::string& in) {
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
    int v = val(c);
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

Email sample() {
  Email e;
  e.from = "Seller GmbH <billing@seller.example>";
  e.to = "ap@buyer.example";
  e.subject = "Invoice INV-2026-000001";
  e.date = rfc5322_date(1767225600);
  e.message_id = "o2c.7.42@seller.example";
  e.text = "Dear customer,\nplease find attached.\n";
  return e;
}

TEST(MimeBase64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(MimeBase64, WrapsAt76AndRoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));
  const std::string enc = base64(bytes);
  size_t start = 0;
  for (size_t nl = enc.find("\r\n"); nl != std::string::npos; nl = enc.find("\r\n", start)) {
    EXPECT_EQ(nl - start, 76u);
    start = nl + 2;
  }
  EXPECT_LE(enc.size() - start, 76u);
  EXPECT_EQ(decode64(enc), bytes);
}

TEST(MimeHeaders, AsciiStaysNonAsciiIsEncodedLineBreaksAreRemoved) {
  EXPECT_EQ(encode_header_text("Invoice INV-1"), "Invoice INV-1");
  const std::string enc = encode_header_text("Rechnung für Müller");
  EXPECT_EQ(enc.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(decode64(enc.substr(10, enc.size() - 12)), "Rechnung für Müller");
  EXPECT_EQ(encode_header_text("Hi\r\nBcc: victim@example.com"), "HiBcc: victim@example.com");
}

TEST(MimeHeaders, LongUtf8SubjectsSplitIntoWordsBetweenCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "ü";  // 80 bytes of 2-byte characters
  const std::string enc = encode_header_text(subject);
  std::string joined;
  size_t pos = 0;
  while ((pos = enc.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const size_t end = enc.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
    const std::string part = decode64(enc.substr(pos + 10, end - pos - 10));
    EXPECT_EQ(part.size() % 2, 0u) << "a character was split";
    joined += part;
    pos = end + 2;
  }
  EXPECT_EQ(joined, subject);
}

TEST(MimeMailbox, QuotesOrEncodesTheDisplayName) {
  EXPECT_EQ(encode_mailbox("billing@seller.example"), "billing@seller.example");
  EXPECT_EQ(encode_mailbox("Seller GmbH <billing@seller.example>"), "\"Seller GmbH\" <billing@seller.example>");
  EXPECT_EQ(encode_mailbox("Seller Co., Inc. <b@s.example>"), "\"Seller Co., Inc.\" <b@s.example>");
  EXPECT_EQ(encode_mailbox("Müller <m@s.example>").rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(address_of("Seller GmbH <billing@seller.example>"), "billing@seller.example");
  EXPECT_EQ(address_of(" billing@seller.example "), "billing@seller.example");
}

TEST(MimeDate, Rfc5322InUtc) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1767225600), "Thu, 01 Jan 2026 00:00:00 +0000");
}

TEST(MimeBuild, TextOnlyIsOnePlainPart) {
  const std::string m = build(sample());
  EXPECT_NE(m.find("From: \"Seller GmbH\" <billing@seller.example>\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: ap@buyer.example\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <o2c.7.42@seller.example>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(m.find("multipart"), std::string::npos);
  const size_t body = m.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(decode64(m.substr(body + 4)), "Dear customer,\r\nplease find attached.\r\n");
}

TEST(MimeBuild, AttachmentsAreBase64PartsThatDecodeToTheirBytes) {
  Email e = sample();
  const std::string pdf = std::string("%PDF-1.5\n\x00\x01\xff binary", 20);
  e.attachments.push_back({"INV-2026-000001.pdf", "application/pdf", pdf});
  e.attachments.push_back({"INV-2026-000001.xml", "application/xml", "<Invoice/>"});
  const std::string m = build(e);
  const std::string boundary = "=_o2c_o2c742sellerexample";
  EXPECT_NE(m.find("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n--" + boundary + "--\r\n"), std::string::npos);
  const size_t pdf_part = m.find("filename=\"INV-2026-000001.pdf\"\r\n\r\n");
  ASSERT_NE(pdf_part, std::string::npos);
  const size_t pdf_start = m.find("\r\n\r\n", pdf_part) + 4;
  const size_t pdf_end = m.find("\r\n--" + boundary, pdf_start);
  EXPECT_EQ(decode64(m.substr(pdf_start, pdf_end - pdf_start)), pdf);
  EXPECT_NE(m.find("Content-Type: application/xml; name=\"INV-2026-000001.xml\""), std::string::npos);
  // 7-bit, CRLF only, no line over 998 characters.
  size_t line_start = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(m[i]);
    ASSERT_LT(c, 0x80) << "8-bit byte at " << i;
    if (c == '\n') {
      ASSERT_GT(i, 0u);
      ASSERT_EQ(m[i - 1], '\r') << "bare LF at " << i;
      EXPECT_LE(i - line_start, 999u);
      line_start = i + 1;
    }
  }
}

TEST(MimeBuild, FilenamesCannotBreakOutOfTheirQuotes) {
  Email e = sample();
  e.attachments.push_back({"a\"b\\c\r\nd.pdf", "application/pdf", "x"});
  const std::string m = build(e);
  EXPECT_NE(m.find("filename=\"abcd.pdf\""), std::string::npos);
}

}  // namespace
}  // namespace o2c::formats::mime
