#pragma once
// Typed ids: a CustomerId cannot be passed where a ProductId is expected.
// On the wire an id is the decimal string of its value.
#include <charconv>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace o2c {

template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : v_(v) {}
  constexpr int64_t value() const { return v_; }
  constexpr bool valid() const { return v_ > 0; }
  std::string to_string() const { return std::to_string(v_); }
  static std::optional<Id> parse(std::string_view s) {
    int64_t v = 0;
    if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return Id(v);
  }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  int64_t v_ = 0;
};

using CustomerId = Id<struct CustomerTag>;
using ProductId = Id<struct ProductTag>;
using WarehouseId = Id<struct WarehouseTag>;
using UserId = Id<struct UserTag>;
using EventId = Id<struct EventTag>;
using OrderId = Id<struct OrderTag>;
using OrderLineId = Id<struct OrderLineTag>;
using PaymentId = Id<struct PaymentTag>;
using ShipmentId = Id<struct ShipmentTag>;
using LedgerEntryId = Id<struct LedgerEntryTag>;
using InvoiceId = Id<struct InvoiceTag>;  // invoices and credit notes share one sequence
using BankLineId = Id<struct BankLineTag>;

}  // namespace o2c
