#include "app/credit.h"

#include "domain/credit/exposure.h"
#include "store/invoices_repo.h"
#include "store/repos.h"

namespace o2c::app {

Result<CreditPosition> credit_position(store::UnitOfWork& uow, const masterdata::Customer& customer, Date as_of,
                                       std::optional<OrderId> excluding) {
  auto currency = Currency::of(customer.currency);
  if (!currency) return Error::internal("customer " + customer.id.to_string() + " has an unknown currency");
  CreditPosition p;
  const auto recv = store::invoices::receivable_of(uow, customer.id, as_of.to_string());
  p.invoices_open_minor = recv.open_minor;
  p.overdue_minor = recv.overdue_minor;
  if (recv.oldest_overdue_due_date) {
    if (auto due = Date::parse(*recv.oldest_overdue_due_date); due.ok()) {
      p.oldest_overdue_days = Date::days_between(*due, as_of);
    }
  }
  p.credit_balance_minor = store::invoices::customer_credit_minor(uow, customer.id);
  p.open_receivable_minor = p.invoices_open_minor - p.credit_balance_minor;
  O2C_ASSIGN_OR_RETURN(p.open_orders_minor,
                       credit::uninvoiced_exposure(store::invoices::exposure_lines(uow, customer.id, excluding),
                                                   *currency));
  if (auto company = store::company::get(uow)) p.grace_days = company->overdue_grace_days;
  return p;
}

Result<credit::CreditInput> credit_input(const masterdata::Customer& customer, const CreditPosition& pos,
                                         int64_t order_total_minor) {
  auto currency = Currency::of(customer.currency);
  if (!currency) return Error::internal("customer " + customer.id.to_string() + " has an unknown currency");
  return credit::CreditInput{Money(customer.credit_limit_minor, *currency),
                             Money(pos.open_receivable_minor, *currency),
                             Money(pos.open_orders_minor, *currency),
                             Money(order_total_minor, *currency),
                             customer.credit_block || customer.dunning_block,
                             pos.oldest_overdue_days,
                             pos.grace_days};
}

}  // namespace o2c::app
