#pragma once
// A payment received from a customer, as stored. Plain data; the rules of
// where its money goes live in allocation.h.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.h"

namespace o2c::payments {

// Frozen names: stored and returned by the API.
enum class PaymentStatus { received, reversed };
std::string_view to_string(PaymentStatus s);
std::optional<PaymentStatus> payment_status_from(std::string_view s);

// How the money came. Frozen names.
inline constexpr std::string_view kMethods[] = {"bank_transfer", "card", "cash", "cheque", "direct_debit", "other"};
bool is_method(std::string_view m);

// One invoice the payment settled, as the API shows it.
struct AppliedAllocation {
  int64_t invoice_id = 0;
  std::string invoice_number;
  int64_t cash_minor = 0;
  int64_t discount_minor = 0;
  int64_t write_off_minor = 0;
};

struct Payment {
  int64_t id = 0;
  CustomerId customer_id;
  std::string currency;
  int64_t amount_minor = 0;
  std::string method;
  std::optional<std::string> reference;
  std::string received_on;
  std::string functional_currency;
  int64_t fx_rate_e10 = 0;
  int64_t amount_functional_minor = 0;
  int64_t allocated_minor = 0;
  int64_t unallocated_minor = 0;
  int64_t refunded_minor = 0;
  PaymentStatus status = PaymentStatus::received;
  std::optional<std::string> reversed_on;  // a bounced payment
  std::optional<std::string> reversal_reason;
  std::optional<int64_t> ledger_entry_id;
  std::optional<UserId> created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<AppliedAllocation> allocations;  // filled on read
};

}  // namespace o2c::payments
