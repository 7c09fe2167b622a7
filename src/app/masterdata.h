#pragma once
// Use cases of master data: the seller, customers, products, warehouses and
// stock receipts. Each validates fully before it writes anything.
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/inventory/stock.h"
#include "domain/masterdata/records.h"
#include "domain/masterdata/rules.h"
#include "store/repos.h"

namespace o2c::app {

struct CompanyView {
  masterdata::Company company;
  std::vector<std::string> missing_for_invoicing;
};
Result<CompanyView> get_company(store::UnitOfWork& uow);
Result<CompanyView> put_company(Context& ctx, const masterdata::CompanyDraft& draft);

struct CustomerView {
  masterdata::Customer customer;
  int64_t balance_minor = 0;         // open receivable
  int64_t credit_balance_minor = 0;  // unapplied customer credit
  int64_t overdue_minor = 0;
  int64_t credit_available_minor = 0;
};
Result<CustomerView> create_customer(Context& ctx, const masterdata::CustomerDraft& draft);
Result<CustomerView> get_customer(store::UnitOfWork& uow, CustomerId id, Date today);
// A partial update: fields present in `changes` replace the stored ones (a
// present-but-empty optional field clears it); the merged record is
// validated as a whole. Audited with before and after.
struct CustomerChanges {
  std::optional<masterdata::Text> name, email, currency, credit_limit, payment_terms, vat_id, country,
      address, iban, peppol_id, billing, dunning_policy;
};
Result<CustomerView> update_customer(Context& ctx, CustomerId id, const CustomerChanges& changes);
std::vector<CustomerView> list_customers(store::UnitOfWork& uow, const store::PageRequest& page, Date today);
// Customers whose name contains `text` (store::customers::search), with their balances.
std::vector<CustomerView> search_customers(store::UnitOfWork& uow, const std::string& text,
                                           const store::PageRequest& page, Date today);

// 422 duplicate_code when the code exists; terms are never changed once
// defined (issued invoices name them).
Result<masterdata::PaymentTerms> create_payment_terms(Context& ctx, const masterdata::PaymentTermsDraft& draft);

Result<masterdata::Product> create_product(Context& ctx, const masterdata::ProductDraft& draft);
Result<masterdata::Product> get_product(store::UnitOfWork& uow, ProductId id);

Result<masterdata::Warehouse> create_warehouse(Context& ctx, const masterdata::WarehouseDraft& draft);

struct ReceiptDraft {
  masterdata::Text warehouse;  // code, or id
  masterdata::Text sku;
  masterdata::Text quantity;
  masterdata::Text unit_cost;
  masterdata::Text received_on;  // default: the business date
  masterdata::Text bin;          // where it is stored in the warehouse; kept for the pick list
};
// Stock of a receipt reserved for one order's backorders.
struct BackorderFill {
  OrderId order_id;
  std::string order_number;
  std::string sku;
  Quantity quantity;
};
struct ReceiptResult {
  int64_t receipt_id = 0;
  std::optional<int64_t> ledger_entry_id;  // inventory / goods received not invoiced
  inventory::StockLevel level;  // after the receipt and the reservations for backorders
  std::vector<BackorderFill> allocated_to_backorders;  // oldest order first
};
Result<ReceiptResult> receive_stock(Context& ctx, const ReceiptDraft& draft);

}  // namespace o2c::app
