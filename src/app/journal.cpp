#include "app/journal.h"

#include <map>

#include "formats/journal/journal.h"
#include "store/journal_repo.h"
#include "store/ledger_repo.h"

namespace o2c::app {
namespace {

Result<std::optional<Date>> day_param(const std::optional<std::string>& text, const char* field) {
  if (!text || text->empty()) return std::optional<Date>();
  auto d = Date::parse(*text);
  if (!d.ok()) return Error::malformed("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return std::optional<Date>(*d);
}

}  // namespace

Result<JournalRange> journal_range(const std::optional<std::string>& from, const std::optional<std::string>& to) {
  JournalRange r;
  O2C_ASSIGN_OR_RETURN(r.from, day_param(from, "from"));
  O2C_ASSIGN_OR_RETURN(r.to, day_param(to, "to"));
  if (r.from && r.to && *r.from > *r.to) {
    return Error::invalid("invalid_range", "from must not be after to", "from");
  }
  return r;
}

Status export_journal(store::UnitOfWork& uow, const JournalRange& range,
                      const std::function<void(std::string_view)>& sink) {
  const std::string from = range.from ? range.from->to_string() : "";
  const std::string to = range.to ? range.to->to_string() : "";
  std::vector<journal::Account> chart;
  for (const auto& a : store::ledger::accounts(uow)) chart.push_back({a.code, a.name, a.type});
  O2C_ASSIGN_OR_RETURN(auto names, journal::account_names(chart));
  const std::string span = (from.empty() ? std::string("from the first") : "from " + from) +
                           (to.empty() ? std::string(" to the last") : " to " + to);
  O2C_ASSIGN_OR_RETURN(auto head, journal::header({"o2c ledger: entries dated " + span,
                                                   "Debits positive, credits negative. E<n> is ledger entry n."},
                                                  chart, store::journal::currencies(uow, to)));
  sink(head);

  if (!from.empty()) {
    // Before `from` every currency's balances sum to zero (every entry
    // balances), so each currency's opening balances form one balanced
    // transaction with no equity account to invent.
    std::map<std::string, journal::Transaction> opening;
    for (const auto& b : store::journal::balances_before(uow, from)) {
      auto& t = opening[b.currency];
      t.date = from;
      t.currency = b.currency;
      t.memo = "Opening balances";
      t.source_type = "opening_balance";
      t.postings.push_back({b.account, b.balance_minor > 0 ? b.balance_minor : 0,
                            b.balance_minor < 0 ? -b.balance_minor : 0});
    }
    for (const auto& [currency, t] : opening) {
      auto text = journal::transaction(t, names);
      if (!text.ok()) {
        return Error::internal("the balances in " + currency + " before " + from +
                               " cannot be exported: " + text.error().message);
      }
      sink(*text);
    }
  }

  store::journal::Cursor cursor;
  for (;;) {
    auto page = store::journal::entries(uow, from, to, cursor, kJournalPageEntries);
    std::string chunk;
    for (const auto& e : page) {
      journal::Transaction t{e.id, e.entry_date, e.currency, e.source_type, e.source_id, e.memo, {}};
      for (const auto& p : e.postings) t.postings.push_back({p.account, p.debit_minor, p.credit_minor});
      auto text = journal::transaction(t, names);
      if (!text.ok()) {
        return Error::internal("ledger entry " + std::to_string(e.id) + " cannot be exported: " +
                               text.error().message);
      }
      chunk += *text;
    }
    if (!chunk.empty()) sink(chunk);
    if (static_cast<int>(page.size()) < kJournalPageEntries) break;
    cursor = {page.back().entry_date, page.back().id};
  }
  return {};
}

}  // namespace o2c::app
