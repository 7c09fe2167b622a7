#pragma once
// ISO 4217 currencies with their minor-unit exponent (JPY 0, EUR 2, KWD 3).
#include <cstdint>
#include <optional>
#include <string_view>

namespace o2c {

class Currency {
 public:
  // The full ISO 4217 active table (codes with a numeric minor unit; funds
  // codes such as XAU with "N.A." minor units are not money here).
  // Returns nullopt for an unknown or malformed code (case-sensitive: "EUR").
  static std::optional<Currency> of(std::string_view code);

  std::string_view code() const { return code_; }
  int exponent() const { return exponent_; }   // 0..4
  int64_t scale() const;                        // 10^exponent
  uint16_t numeric() const { return numeric_; } // ISO numeric code, e.g. 978

  friend bool operator==(const Currency& a, const Currency& b) { return a.code_ == b.code_; }

 private:
  Currency(std::string_view code, int exponent, uint16_t numeric)
      : code_(code), exponent_(exponent), numeric_(numeric) {}
  std::string_view code_;  // points into the static table
  int exponent_ = 2;
  uint16_t numeric_ = 0;
};

}  // namespace o2c
