#pragma once
// The ledger export as an hledger journal (formats/journal), shared by
// GET /api/v1/reports/journal and `o2c export journal`. With a `from` day the
// journal opens with the balances of every account before it, one balanced
// transaction per currency dated `from`, so that the journal's balances at
// `to` are the trial balance's at `to` whatever the range.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "store/db.h"

namespace o2c::app {

struct JournalRange {
  std::optional<Date> from, to;  // inclusive; absent = open
};

// Errors: 400 invalid_date (field from / to); 422 invalid_range (field from)
// when from is after to.
Result<JournalRange> journal_range(const std::optional<std::string>& from, const std::optional<std::string>& to);

// Entries read and written per page: bounds the memory of a large export.
inline constexpr int kJournalPageEntries = 1000;

// Writes the journal to `sink` a piece at a time: the directives, the opening
// balances, then every entry in the range by date and id. Reads everything in
// `uow` (one snapshot). A ledger entry the format refuses (which `o2c verify`
// would report) stops the export with the error, naming the entry.
Status export_journal(store::UnitOfWork& uow, const JournalRange& range,
                      const std::function<void(std::string_view)>& sink);

}  // namespace o2c::app
