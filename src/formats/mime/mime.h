#pragma once
// An e-mail as RFC 5322 / MIME text, ready for SMTP DATA: CRLF line ends,
// 7-bit only (every body part base64, non-ASCII header text as RFC 2047
// encoded words), so that no relay on the way needs 8BITMIME.
#include <string>
#include <string_view>
#include <vector>

namespace o2c::formats::mime {

struct Attachment {
  std::string filename;      // ASCII is safest; quotes, backslashes and controls are dropped
  std::string content_type;  // "application/pdf"
  std::string data;          // raw bytes
};

struct Email {
  std::string from;        // "Seller GmbH <billing@seller.example>" or a bare address
  std::string to;          // a bare address
  std::string subject;     // UTF-8
  std::string date;        // RFC 5322 date, e.g. rfc5322_date()
  std::string message_id;  // without the angle brackets: "o2c.12@seller.example"
  std::string text;        // UTF-8 plain text, '\n' line ends
  std::vector<Attachment> attachments;
};

// The whole message. Without attachments it is one text/plain part, with
// them multipart/mixed (text first). The boundary is derived from the
// message id and cannot occur inside base64 text ("=_" is not base64).
std::string build(const Email& e);

// Standard base64 (RFC 4648) in lines of at most `line_length` characters
// joined by CRLF (0 = one line).
std::string base64(std::string_view data, size_t line_length = 76);
// A header value as is when it is printable ASCII, else as RFC 2047
// "=?UTF-8?B?...?=" words (each at most 75 characters, split between
// characters, never inside one). CR and LF are removed in either case:
// a header value can never start another header.
std::string encode_header_text(std::string_view text);
// A From value: "Name <addr>" with the name quoted (ASCII) or encoded
// (UTF-8); a bare address as is.
std::string encode_mailbox(std::string_view mailbox);
// The address inside "Name <addr>", or the text itself.
std::string address_of(std::string_view mailbox);
// "Thu, 01 Jan 2026 12:00:00 +0000" for a Unix time.
std::string rfc5322_date(int64_t unix_seconds);

}  // namespace o2c::formats::mime
