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
#include "domain/masterdata/records.h"
#include "store/ledger_repo.h"

namespace o2c::app {

// The ledger's currency: the company's functional currency; until the
// company profile is set, `fallback` (the currency of the document being
// posted). PUT /company may not change it once entries exist in it.
Currency functional_currency(store::UnitOfWork& uow, Currency fallback);

// Appends `e` (no postings = nothing to post: returns nullopt) dated the
// business date; returns its id. An invalid entry is an internal error.
Result<std::optional<int64_t>> post_entry(Context& ctx, ledger::Entry e);

// Tax payable is kept per category and rate (2200-S-1900 = standard 19 %),
// so that the VAT return can be read off the trial balance; the account is
// added to the chart the first time it is posted to.
std::string tax_account(masterdata::TaxCategory c, int64_t rate_bp);
void ensure_tax_account(store::UnitOfWork& uow, masterdata::TaxCategory c, int64_t rate_bp);

// Functional units per one `document` unit x 10^10 on `date`: 1 for the
// functional currency itself, else the latest rate on or before the date.
// 422 fx_rate_missing (field "currency") when there is none.
Result<int64_t> rate_for(store::UnitOfWork& uow, Currency document, Currency functional, const std::string& date);

std::vector<ledger::Entry> list_entries(store::UnitOfWork& uow, const store::ledger::Filter& f,
                                        const store::PageRequest& page);

}  // namespace o2c::app
