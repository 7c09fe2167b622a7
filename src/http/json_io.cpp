#include "http/json_io.h"

namespace o2c::http {

namespace {
// Keeps every decimal number as the text the client wrote: a double would
// turn 1234567890123.4567 into 1234567890123.4568, and money must never move.
class ExactNumbers : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit ExactNumbers(json& root) : json_sax_dom_parser<json>(root, /*allow_exceptions=*/false) {}
  bool number_float(json::number_float_t /*value*/, const json::string_t& text) {
    json::string_t copy = text;
    return string(copy);
  }
};
}  // namespace

Result<json> parse_object(std::string_view body) {
  auto malformed = [] { return Error::malformed("malformed_json", "the request body is not valid JSON"); };
  // nlohmann's lexer stops at a NUL byte; what follows it must not be dropped silently.
  if (body.find('\0') != std::string_view::npos) return malformed();
  json j;
  ExactNumbers sax(j);
  if (!json::sax_parse(body, &sax, json::input_format_t::json, /*strict=*/true) || sax.is_errored()) {
    return malformed();
  }
  if (!j.is_object()) return Error::malformed("malformed_json", "the request body must be a JSON object");
  return j;
}

Result<std::optional<std::string>> text_field(const json& obj, const char* name,
                                              const std::string& path_prefix) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
  if (it->is_number()) return std::optional<std::string>(it->dump());
  return Error::malformed("invalid_type", std::string(name) + " must be a string", path_prefix + name);
}

Result<std::optional<int64_t>> int_field(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>{};
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return Error::malformed("number_out_of_range", std::string(name) + " is too large", name);
  }
  if (it->is_number_integer()) return std::optional<int64_t>(it->get<int64_t>());
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    try {
      size_t used = 0;
      long long v = std::stoll(s, &used);
      if (used == s.size()) return std::optional<int64_t>(v);
    } catch (...) {
    }
  }
  return Error::malformed("invalid_type", std::string(name) + " must be an integer", name);
}

json error_body(const Error& e) {
  json err = {{"code", e.code}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  return json{{"error", err}};
}

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

int status_of(ErrorKind k) {
  switch (k) {
    case ErrorKind::malformed: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unprocessable: return 422;
    case ErrorKind::too_many: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::internal: return 500;
  }
  return 500;
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string encode_cursor(std::string_view key) {
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : key) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(buf >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kB64[(buf << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> decode_cursor(std::string_view cursor) {
  if (cursor.size() > 200) return std::nullopt;
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : cursor) {
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (!p) return std::nullopt;
    buf = (buf << 6) | static_cast<uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace o2c::http
