#pragma once
// Posting to the journal from the use cases: an entry is validated (balanced,
// one side per posting, known accounts), appended and audited in the caller's
// unit of work, so the ledger moves exactly when the business event commits.
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/currency.h"
#include "core/result.h"
#include "domain/ledger/entry.h"
#include "store/ledger_repo.h"

namespace o2c::app {

// The ledger's currency: the company's functional currency; until the
// company profile is set, `fallback` (the currency of the document being
// posted). PUT /company may not change it once entries exist in it.
Currency functional_currency(store::UnitOfWork& uow, Currency fallback);

// Appends `e` (no postings = nothing to post: returns nullopt) dated the
// business date; returns its id. An invalid entry is an internal error.
Result<std::optional<int64_t>> post_entry(Context& ctx, ledger::Entry e);

std::vector<ledger::Entry> list_entries(store::UnitOfWork& uow, const store::ledger::Filter& f,
                                        const store::PageRequest& page);

}  // namespace o2c::app
