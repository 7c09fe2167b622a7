#pragma once
// An instant in UTC as milliseconds since 1970-01-01T00:00:00Z, read from and
// written as RFC 3339 text: the form the clock gives (app::Clock::now_rfc3339)
// and the database stores. Only the UTC designator "Z" is accepted: every
// instant this program writes is UTC, so an offset means the text came from
// elsewhere and is refused rather than guessed at.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c {

// "YYYY-MM-DDTHH:MM:SSZ" or with 1 to 9 fraction digits ("...SS.123Z");
// digits past the millisecond are dropped. Else error "invalid_instant".
Result<int64_t> parse_instant_ms(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS.mmmZ": one fixed width, so that texts sort as instants.
std::string format_instant_ms(int64_t ms);

}  // namespace o2c
