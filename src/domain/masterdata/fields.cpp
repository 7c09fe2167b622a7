#include "domain/masterdata/fields.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace o2c::masterdata {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

Result<std::string> required_text(const std::optional<std::string>& v, std::string_view field,
                                  size_t max) {
  if (!v) return Error::invalid("required", std::string(field) + " is required", std::string(field));
  std::string t = trim(*v);
  if (t.empty()) {
    return Error::invalid("required", std::string(field) + " must not be empty", std::string(field));
  }
  if (t.size() > max) {
    return Error::invalid("too_long", std::string(field) + " is longer than " + std::to_string(max) +
                                          " characters", std::string(field));
  }
  return t;
}

Result<std::optional<std::string>> optional_text(const std::optional<std::string>& v,
                                                 std::string_view field, size_t max) {
  if (!v) return std::optional<std::string>{};
  std::string t = trim(*v);
  if (t.empty()) return std::optional<std::string>{};
  if (t.size() > max) {
    return Error::invalid("too_long", std::string(field) + " is longer than " + std::to_string(max) +
                                          " characters", std::string(field));
  }
  return std::optional<std::string>(t);
}

namespace {
// ISO 3166-1 alpha-2, officially assigned codes.
constexpr std::array<std::string_view, 249> kCountries = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};

// IBAN lengths by country (SWIFT IBAN registry).
struct IbanLen {
  std::string_view cc;
  size_t len;
};
constexpr IbanLen kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30}};

bool is_upper_alpha(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum_upper(char c) { return is_upper_alpha(c) || is_digit(c); }
}  // namespace

bool is_country_code(std::string_view s) {
  return s.size() == 2 && std::binary_search(kCountries.begin(), kCountries.end(), s);
}

std::string compact_iban(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

bool is_valid_iban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!is_upper_alpha(iban[0]) || !is_upper_alpha(iban[1]) || !is_digit(iban[2]) || !is_digit(iban[3])) {
    return false;
  }
  for (char c : iban) {
    if (!is_alnum_upper(c)) return false;
  }
  // Only countries with an IBAN scheme, at their registered length.
  bool known = false;
  for (const auto& e : kIbanLengths) {
    if (e.cc == iban.substr(0, 2)) {
      if (e.len != iban.size()) return false;
      known = true;
    }
  }
  if (!known) return false;
  // ISO 13616: move the first four characters to the end, letters become 10..35, mod 97 == 1.
  int rem = 0;
  auto feed = [&](char c) {
    if (is_digit(c)) {
      rem = (rem * 10 + (c - '0')) % 97;
    } else {
      int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    }
  };
  for (size_t i = 4; i < iban.size(); ++i) feed(iban[i]);
  for (size_t i = 0; i < 4; ++i) feed(iban[i]);
  return rem == 1;
}

bool is_valid_bic(std::string_view s) {
  if (s.size() != 8 && s.size() != 11) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!is_upper_alpha(s[i])) return false;
  }
  for (size_t i = 6; i < s.size(); ++i) {
    if (!is_alnum_upper(s[i])) return false;
  }
  return is_country_code(s.substr(4, 2));
}

bool is_valid_email(std::string_view s) {
  if (s.size() < 3 || s.size() > 254) return false;
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at != s.rfind('@')) return false;
  std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == ',' || c == ';') {
      return false;
    }
  }
  return domain.find('.') != std::string_view::npos;
}

bool is_valid_vat_id(std::string_view s) {
  if (s.size() < 4 || s.size() > 15) return false;
  if (!is_upper_alpha(s[0]) || !is_upper_alpha(s[1])) return false;
  for (size_t i = 2; i < s.size(); ++i) {
    if (!is_alnum_upper(s[i])) return false;
  }
  return true;
}

bool is_valid_peppol_id(std::string_view s) {
  size_t colon = s.find(':');
  if (colon != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if (!is_digit(s[i])) return false;
  }
  std::string_view ident = s.substr(5);
  if (ident.empty() || ident.size() > 100) return false;
  for (char c : ident) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ':') return false;
  }
  return true;
}

}  // namespace o2c::masterdata
