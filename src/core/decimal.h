#pragma once
// Exact decimal text <-> scaled integers, for values that are not Money:
// unit prices (4 decimals), tax rates (2 decimals), costs.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c {

// "12.5" with decimals=4 -> 125000. Strict: optional '-', digits, optional
// '.' followed by 1..decimals digits. Error codes: "invalid_number",
// "too_many_decimals", "number_out_of_range". Field left empty.
Result<int64_t> parse_scaled(std::string_view text, int decimals);

// 125000 with decimals=4 -> "12.5000", or "12.5" when trim is set
// (trim keeps at least `min_decimals` digits after the point).
std::string format_scaled(int64_t value, int decimals, bool trim = false, int min_decimals = 0);

}  // namespace o2c
