#pragma once
// Typed access to payments, and the open items a payment may settle. Every
// function runs in the caller's unit of work. A payment's allocations are
// rows of invoice_allocations whose source_id is the payment's id:
//   'payment'            cash on the invoice;
//   'payment_discount'   early-payment discount taken with it;
//   'payment_write_off'  a short difference within tolerance, written off.
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/payments/allocation.h"
#include "domain/payments/payment.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::payments {

inline constexpr const char* kCash = "payment";
inline constexpr const char* kDiscount = "payment_discount";
inline constexpr const char* kWriteOff = "payment_write_off";

// Sets p.id.
void insert(UnitOfWork& uow, o2c::payments::Payment& p);
// With its allocations.
std::optional<o2c::payments::Payment> find(UnitOfWork& uow, int64_t id, bool for_update = false);
// Ascending id > page.after, with allocations.
std::vector<o2c::payments::Payment> list(UnitOfWork& uow, std::optional<CustomerId> customer, const PageRequest& page);
void set_ledger_entry(UnitOfWork& uow, int64_t id, int64_t entry_id);
// The newest payment with this method and reference (a card provider's id).
std::optional<o2c::payments::Payment> find_by_reference(UnitOfWork& uow, const std::string& method,
                                                        const std::string& reference);

// The customer's invoices with something open, with the discount still
// available on each (scaled down by credit notes) and the tax breakdown the
// discount would be split over. Locked for update.
struct OpenInvoice {
  o2c::payments::OpenItem item;
  int64_t total_minor = 0;
  int64_t open_functional_minor = 0;
  int64_t fx_rate_e10 = 0;
  std::vector<o2c::payments::TaxGroupAmount> taxes;
};
std::vector<OpenInvoice> open_invoices_of_customer(UnitOfWork& uow, CustomerId customer);

// Orders with lines on the invoice (several for a consolidated invoice).
std::vector<OrderId> orders_of_invoice(UnitOfWork& uow, int64_t invoice_id);
// True when every invoice with lines of the order is settled (nothing open).
bool order_fully_settled(UnitOfWork& uow, OrderId order);

void set_refunded(UnitOfWork& uow, int64_t id, int64_t refunded_minor, const std::string& at);
struct Refund {
  int64_t payment_id = 0;
  int64_t amount_minor = 0;
  std::string refunded_on;
  int64_t fx_rate_e10 = 0;
  int64_t amount_functional_minor = 0;
  std::optional<std::string> reason;
  std::optional<int64_t> ledger_entry_id;
  std::optional<UserId> created_by;
  std::string created_at;
};
// Returns the refund's id.
int64_t insert_refund(UnitOfWork& uow, const Refund& r);

// The payment's allocation rows still in force, per invoice: what they took
// off its open amount, in the document and the functional currency.
struct Cleared {
  int64_t invoice_id = 0;
  int64_t amount_minor = 0;
  int64_t functional_minor = 0;
};
std::vector<Cleared> cleared_by(UnitOfWork& uow, const std::string& source_id);
// Marks those rows reversed (they stay, for the record).
void reverse_allocations(UnitOfWork& uow, const std::string& source_id, const std::string& on, const std::string& at);
void set_reversed(UnitOfWork& uow, int64_t id, const std::string& on, const std::string& reason, const std::string& at);
// Net customer credit (document, functional) that movements of this source made.
std::pair<int64_t, int64_t> credit_from(UnitOfWork& uow, const std::string& source_type, const std::string& source_id);

// For `o2c verify`: one line per breach.
std::vector<std::string> breaches(UnitOfWork& uow);

}  // namespace o2c::store::payments
