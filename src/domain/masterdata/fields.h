#pragma once
// Checks shared by every master-data record: the formats of names, countries,
// IBANs, VAT ids, e-mail and Peppol addresses. Pure functions.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c::masterdata {

constexpr size_t kNameMax = 200;
constexpr size_t kAddressMax = 1000;
constexpr size_t kCodeMax = 64;

// Trims surrounding whitespace; "required" when empty, "too_long" above max.
Result<std::string> required_text(const std::optional<std::string>& v, std::string_view field,
                                  size_t max = kNameMax);
// Empty or missing -> nullopt; otherwise trimmed and length-checked.
Result<std::optional<std::string>> optional_text(const std::optional<std::string>& v,
                                                 std::string_view field, size_t max = kNameMax);

bool is_country_code(std::string_view s);  // ISO 3166-1 alpha-2, officially assigned
bool is_valid_iban(std::string_view compact);  // country, length and mod-97 check
std::string compact_iban(std::string_view s);  // strips spaces, upper-cases
bool is_valid_bic(std::string_view s);
bool is_valid_email(std::string_view s);
bool is_valid_vat_id(std::string_view s);      // 2-letter prefix + 2..13 alphanumerics
bool is_valid_peppol_id(std::string_view s);   // "EAS:identifier", EAS four digits

std::string trim(std::string_view s);

}  // namespace o2c::masterdata
