#pragma once
// Reading request bodies and writing API JSON. No business rule here.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace o2c::http {

using json = nlohmann::json;

// Parses a request body that must be a JSON object (400 malformed_json otherwise).
Result<json> parse_object(std::string_view body);

// Reads a scalar field as text: strings as they are, integers and decimals
// in their JSON spelling (so 12.5 reads as "12.5"), null or absent as nullopt.
// Objects, arrays and booleans are 400 invalid_type with the field named.
Result<std::optional<std::string>> text_field(const json& obj, const char* name,
                                              const std::string& path_prefix = "");
Result<std::optional<int64_t>> int_field(const json& obj, const char* name);

json error_body(const Error& e);
// Serializes for the wire; bytes that are not UTF-8 become U+FFFD instead of throwing.
std::string dump_json(const json& j);
int status_of(ErrorKind k);

// Opaque keyset cursors: base64url of the last key seen.
std::string encode_cursor(std::string_view key);
std::optional<std::string> decode_cursor(std::string_view cursor);

}  // namespace o2c::http
