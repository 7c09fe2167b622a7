#pragma once
// Typed access to invoices and credit notes (one table, `kind`), their lines,
// allowances/charges and tax breakdown, allocations, customer credit and
// exchange rates. Every function runs in the caller's unit of work. Issued
// documents are never updated, except their settlement columns (open
// amounts and status), which only allocations move.
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/billing/invoice.h"
#include "domain/credit/exposure.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::invoices {

// Inserts the document with its lines, charges and taxes; sets inv.id.
void insert(UnitOfWork& uow, billing::Invoice& inv);
std::optional<billing::Invoice> find(UnitOfWork& uow, int64_t id, bool for_update = false);

struct ListFilter {
  std::optional<billing::DocumentKind> kind;
  std::optional<CustomerId> customer;
  std::optional<billing::InvoiceStatus> status;
  bool open_only = false;  // status open or partially_paid
  std::optional<OrderId> order;
  std::optional<int64_t> credited_invoice;
};
// Ascending id > page.after, with lines, charges and taxes.
std::vector<billing::Invoice> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page);
// The invoice issued for a shipment: (id, number).
std::optional<std::pair<int64_t, std::string>> of_shipment(UnitOfWork& uow, int64_t shipment_id);
// Credit notes against the invoice, oldest first.
std::vector<billing::Invoice> credit_notes_of(UnitOfWork& uow, int64_t invoice_id);

void set_settlement(UnitOfWork& uow, int64_t id, int64_t open_minor, int64_t open_functional_minor,
                    billing::InvoiceStatus status, const std::string& at);

void add_allocation(UnitOfWork& uow, int64_t invoice_id, const std::string& source_type, const std::string& source_id,
                    int64_t amount_minor, int64_t functional_minor, const std::string& applied_on,
                    const std::string& at);
// What settled it so far; reversed allocations (a bounced payment's) do not count.
struct Settled {
  int64_t credited_minor = 0;  // by credit notes
  int64_t paid_minor = 0;      // by anything else (payments)
};
Settled settled(UnitOfWork& uow, int64_t invoice_id);

// Customer credit: + granted, - used. Balance in the customer's currency.
// Returns the movement's id.
int64_t add_customer_credit(UnitOfWork& uow, CustomerId customer, const std::string& currency, int64_t amount_minor,
                         int64_t functional_minor, const std::string& source_type, const std::string& source_id,
                         const std::string& at);
int64_t customer_credit_minor(UnitOfWork& uow, CustomerId customer);
struct CreditBalance {
  int64_t minor = 0;             // customer's currency
  int64_t functional_minor = 0;  // what the ledger holds for it (account 2100)
};
CreditBalance customer_credit_balance(UnitOfWork& uow, CustomerId customer);

// The customer's receivable as the credit check and the customer view see it.
struct Receivable {
  int64_t open_minor = 0;     // open amounts of invoices
  int64_t overdue_minor = 0;  // of which due before as_of
  std::optional<std::string> oldest_overdue_due_date;
};
Receivable receivable_of(UnitOfWork& uow, CustomerId customer, const std::string& as_of);

// Exchange rates (functional units per foreign unit x 10^10).
// Returns true when a rate for that day existed and was replaced.
bool put_rate(UnitOfWork& uow, const std::string& currency, const std::string& date, int64_t rate_e10,
              std::optional<UserId> by, const std::string& at);
struct Rate {
  std::string currency;
  std::string date;
  int64_t rate_e10 = 0;
};
// The rate of the latest day on or before `date`.
std::optional<Rate> rate_on(UnitOfWork& uow, const std::string& currency, const std::string& date);
std::vector<Rate> rates(UnitOfWork& uow, const std::optional<std::string>& currency, int limit);

// Shipped but not yet invoiced order lines, for billing: of one order, or of
// every open order of a customer, in (order id, line no) order.
struct UninvoicedLine {
  OrderId order_id;
  std::string order_number;
  OrderLineId line_id;
  int line_no = 0;
  ProductId product_id;
  std::string sku;
  std::string name;
  int64_t quantity = 0;  // ordered
  int64_t shipped = 0;
  int64_t invoiced = 0;
  int64_t unit_price_e4 = 0;
  masterdata::TaxCategory tax_category = masterdata::TaxCategory::S;
  int64_t tax_rate_bp = 0;
  int64_t line_net_minor = 0;
};
std::vector<UninvoicedLine> uninvoiced_lines_of_customer(UnitOfWork& uow, CustomerId customer);
void set_line_invoiced(UnitOfWork& uow, OrderLineId line, int64_t invoiced);
// Consolidated-billing customers with shipped, uninvoiced lines, by id.
std::vector<CustomerId> consolidated_customers_to_bill(UnitOfWork& uow);

// Lines of the customer's orders that were granted credit and are not yet
// fully invoiced (open, partially_shipped, shipped), for the credit exposure.
std::vector<credit::ExposureLine> exposure_lines(UnitOfWork& uow, CustomerId customer, std::optional<OrderId> excluding);

// For `o2c verify`: one line per breach.
std::vector<std::string> breaches(UnitOfWork& uow);

// Invoices whose settled_on is not what set_settlement computes from their
// allocations: the day of the last allocation not reversed when nothing is
// open, else 9999-12-31. The aging as of a date skips invoices settled on or
// before it by this column alone, so a wrong value hides an open item.
// Part of breaches(); apart for a database that has no ledger to check.
std::vector<std::string> settlement_breaches(UnitOfWork& uow);
// Allocations whose copies of their invoice's customer and of the days from
// its due date to the allocation (migration 0019) disagree with the invoice.
std::vector<std::string> allocation_copy_breaches(UnitOfWork& uow);

}  // namespace o2c::store::invoices
