#include "app/ledger.h"

#include "app/audit.h"
#include "core/decimal.h"
#include "domain/billing/invoice.h"
#include "store/invoices_repo.h"
#include "store/ledger_repo.h"
#include "store/repos.h"

namespace o2c::app {

Currency functional_currency(store::UnitOfWork& uow, Currency fallback) {
  if (auto c = store::company::get(uow)) {
    if (auto cur = Currency::of(c->currency)) return *cur;
  }
  return fallback;
}

namespace {
std::string percent_text(int64_t rate_bp) { return format_scaled(rate_bp, 2) + " %"; }
}  // namespace

std::string tax_account(masterdata::TaxCategory c, int64_t rate_bp) {
  return std::string(ledger::kTaxPayable) + "-" + std::string(masterdata::to_string(c)) + "-" +
         std::to_string(rate_bp);
}

void ensure_tax_account(store::UnitOfWork& uow, masterdata::TaxCategory c, int64_t rate_bp) {
  store::ledger::ensure_account(
      uow, {tax_account(c, rate_bp),
            "Tax payable " + std::string(masterdata::to_string(c)) + " " + percent_text(rate_bp), "liability"});
}

Result<int64_t> rate_for(store::UnitOfWork& uow, Currency document, Currency functional, const std::string& date) {
  if (document == functional) return billing::kRateOne;
  auto r = store::invoices::rate_on(uow, std::string(document.code()), date);
  if (!r) {
    return Error::invalid("fx_rate_missing",
                          "no exchange rate for " + std::string(document.code()) + " on or before " + date +
                              " (POST /fx-rates); the ledger is kept in " + std::string(functional.code()),
                          "currency");
  }
  return r->rate_e10;
}

Result<std::optional<int64_t>> post_entry(Context& ctx, ledger::Entry e) {
  if (e.postings.empty()) return std::optional<int64_t>();
  if (e.entry_date.empty()) e.entry_date = ctx.clock.today().to_string();
  O2C_TRY(ledger::validate(e));
  for (const auto& p : e.postings) {
    if (!store::ledger::account_exists(ctx.uow, p.account)) {
      return Error::internal("posting to unknown account " + p.account);
    }
  }
  store::ledger::append(ctx.uow, e, ctx.actor.id.valid() ? std::optional<UserId>(ctx.actor.id) : std::nullopt,
                        ctx.clock.now_rfc3339());
  const int exponent = Currency::of(e.currency)->exponent();
  nlohmann::json postings = nlohmann::json::array();
  for (const auto& p : e.postings) {
    postings.push_back({{"account", p.account},
                        {"debit", format_scaled(p.debit_minor, exponent)},
                        {"credit", format_scaled(p.credit_minor, exponent)}});
  }
  record_event(ctx, "ledger_entry", std::to_string(e.id), "posted",
               {{"entry_date", e.entry_date},
                {"currency", e.currency},
                {"source_type", e.source_type},
                {"source_id", e.source_id},
                {"memo", e.memo},
                {"postings", postings}});
  return std::optional<int64_t>(e.id);
}

std::vector<ledger::Entry> list_entries(store::UnitOfWork& uow, const store::ledger::Filter& f,
                                        const store::PageRequest& page) {
  return store::ledger::list(uow, f, page);
}

}  // namespace o2c::app
