#include "formats/csv/csv.h"

namespace o2c::csv {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Offset of the first NUL byte or invalid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included), or npos. Checked
// before parsing so that every field the parser returns is valid UTF-8,
// which the JSON of the audit trail and the API requires.
size_t first_bad_byte(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (!is_continuation(p[i + k])) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

bool needs_quotes(std::string_view f) {
  return f.find_first_of(",\"\r\n") != std::string_view::npos || f.substr(0, kBom.size()) == kBom;
}

}  // namespace

Parsed parse(std::string_view text) { return parse(text, ','); }

Parsed parse(std::string_view text, char delimiter) {
  Parsed out;
  size_t pos = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  const size_t n = text.size();
  const size_t bad = first_bad_byte(text);

  enum class State { field_start, unquoted, quoted, after_quote };
  State st = State::field_start;
  size_t line = 1;
  size_t quote_line = 0;   // where the open quoted field began
  bool in_record = false;  // bytes of the current record were consumed
  Record rec{line, {}};
  std::string field;

  auto fail = [&](size_t at, std::string code, std::string message) {
    out.error = SyntaxError{at, std::move(code), "line " + std::to_string(at) + ": " + std::move(message)};
    return out;
  };
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
  };
  // Consumes the line break at pos (CRLF counts as one) and starts a new line.
  auto line_break = [&] {
    pos += (text[pos] == '\r' && pos + 1 < n && text[pos + 1] == '\n') ? 2 : 1;
    ++line;
  };
  auto end_record = [&] {
    end_field();
    out.records.push_back(std::move(rec));
    rec = Record{line, {}};
    in_record = false;
    st = State::field_start;
  };

  while (pos < n) {
    if (pos == bad) {
      if (text[pos] == '\0') return fail(line, "nul_byte", "a NUL byte is not allowed in a CSV file");
      return fail(line, "invalid_utf8", "the text is not valid UTF-8");
    }
    const char c = text[pos];
    in_record = true;
    switch (st) {
      case State::field_start:
        if (c == '"') {
          st = State::quoted;
          quote_line = line;
          ++pos;
          continue;
        }
        st = State::unquoted;
        [[fallthrough]];
      case State::unquoted:
        if (c == delimiter) {
          end_field();
          st = State::field_start;
          ++pos;
        } else if (c == '\n' || c == '\r') {
          line_break();
          end_record();
        } else if (c == '"') {
          return fail(line, "stray_quote",
                      "a double quote inside an unquoted field; quote the whole field and double the quote");
        } else {
          field += c;
          ++pos;
        }
        break;
      case State::quoted:
        if (c == '"') {
          if (pos + 1 < n && text[pos + 1] == '"') {
            field += '"';
            pos += 2;
          } else {
            st = State::after_quote;
            ++pos;
          }
        } else if (c == '\n' || c == '\r') {
          const size_t from = pos;
          line_break();
          field.append(text.substr(from, pos - from));
        } else {
          field += c;
          ++pos;
        }
        break;
      case State::after_quote:
        if (c == delimiter) {
          end_field();
          st = State::field_start;
          ++pos;
        } else if (c == '\n' || c == '\r') {
          line_break();
          end_record();
        } else {
          return fail(line, "text_after_quote", "text after the closing quote of a field; a field is quoted whole");
        }
        break;
    }
  }
  if (st == State::quoted) {
    return fail(quote_line, "unterminated_quote",
                "the quoted field that starts here is never closed (a missing double quote)");
  }
  if (in_record) end_record();
  return out;
}

std::string format_record(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    if (needs_quotes(f)) {
      out += '"';
      for (char c : f) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    } else {
      out += f;
    }
  }
  out += '\n';
  return out;
}

}  // namespace o2c::csv
