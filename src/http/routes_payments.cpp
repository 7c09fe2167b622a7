// Payments received from customers and customer credit applied to invoices:
// the accountant's side of cash.
#include "app/payments.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {
namespace {

json allocation_schema() {
  return {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"invoice_id", "amount"}},
            {"properties", {{"invoice_id", {{"type", "string"}}}, {"amount", {{"type", "string"}}}}}}}};
}

json payment_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"customer_id", {{"type", "string"}}},
            {"amount", {{"type", "string"}}},
            {"currency", {{"type", "string"}}},
            {"method", {{"type", "string"}}},
            {"reference", {{"type", "string"}}},
            {"received_on", {{"type", "string"}, {"format", "date"}}},
            {"status", {{"type", "string"}, {"enum", {"received", "reversed"}}}},
            {"allocations",
             {{"type", "array"},
              {"description", "per invoice: amount (cash), discount (early payment), write_off (within tolerance)"}}},
            {"unallocated", {{"type", "string"}, {"description", "became customer credit"}}}}}};
}

Result<std::optional<std::vector<app::AllocationDraft>>> read_allocations(const json& b) {
  std::optional<std::vector<app::AllocationDraft>> out;
  auto it = b.find("allocations");
  if (it == b.end() || it->is_null()) return out;
  if (!it->is_array()) return Error::malformed("invalid_type", "allocations must be an array", "allocations");
  out.emplace();
  for (size_t i = 0; i < it->size(); ++i) {
    const json& a = (*it)[i];
    const std::string prefix = "allocations[" + std::to_string(i) + "]";
    if (!a.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
    app::AllocationDraft d;
    O2C_ASSIGN_OR_RETURN(d.invoice_id, text_field(a, "invoice_id", prefix + "."));
    O2C_ASSIGN_OR_RETURN(d.amount, text_field(a, "amount", prefix + "."));
    out->push_back(std::move(d));
  }
  return out;
}

}  // namespace

void add_payment_routes(Router& r) {
  const std::vector<Role> accounting = {Role::accountant, Role::admin};
  const std::vector<Role> readers = {Role::accountant, Role::admin, Role::viewer};

  r.add({"POST", "/api/v1/payments", accounting, true, true,
         "Record a payment: explicit allocations, or oldest due first; the rest becomes customer credit", {},
         {{"type", "object"},
          {"required", {"customer_id", "amount", "currency", "method"}},
          {"properties",
           {{"customer_id", {{"type", "string"}}},
            {"amount", {{"type", "string"}, {"example", "1190.00"}}},
            {"currency", {{"type", "string"}}},
            {"method", {{"type", "string"}, {"enum", {"bank_transfer", "card", "cash", "cheque", "direct_debit", "other"}}}},
            {"reference", {{"type", "string"}}},
            {"received_on", {{"type", "string"}, {"format", "date"}}},
            {"allocations", allocation_schema()}}}},
         payment_schema(), 201, [](Request& req) -> Result<Reply> {
           app::PaymentDraft d;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(d.customer_id, text_field(b, "customer_id"));
           O2C_ASSIGN_OR_RETURN(d.amount, text_field(b, "amount"));
           O2C_ASSIGN_OR_RETURN(d.currency, text_field(b, "currency"));
           O2C_ASSIGN_OR_RETURN(d.method, text_field(b, "method"));
           O2C_ASSIGN_OR_RETURN(d.reference, text_field(b, "reference"));
           O2C_ASSIGN_OR_RETURN(d.received_on, text_field(b, "received_on"));
           O2C_ASSIGN_OR_RETURN(d.allocations, read_allocations(b));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::record_payment(ctx, d));
             return Reply::created(to_json(p));
           });
         }});

  r.add({"GET", "/api/v1/payments", readers, true, false, "List payments, oldest first",
         {{"customer_id", "one customer's payments"}, {"limit", "page size (1..200)"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           std::optional<CustomerId> customer;
           if (auto c = req.query("customer_id"); c && !c->empty()) {
             customer = CustomerId::parse(*c);
             if (!customer) return Error::malformed("invalid_customer_id", "customer_id must be a customer id", "customer_id");
           }
           return list_by_id<PaymentId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return app::list_payments(uow, customer, pr); },
               [](const payments::Payment& p) { return to_json(p); });
         }});

  r.add({"GET", "/api/v1/payments/{id}", readers, true, false, "A payment with the invoices it settled", {}, {},
         payment_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = PaymentId::parse(req.param(0));
           if (!id) return Error::not_found("payment_not_found", "no payment '" + req.param(0) + "'");
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::get_payment(uow, id->value()));
             return Reply::ok(to_json(p));
           });
         }});

  r.add({"POST", "/api/v1/payments/{id}/refund", accounting, true, true,
         "Pay part or all of a payment back to the customer, out of the customer's unapplied credit", {},
         {{"type", "object"},
          {"required", {"amount"}},
          {"properties",
           {{"amount", {{"type", "string"}}},
            {"reason", {{"type", "string"}}},
            {"as_of", {{"type", "string"}, {"format", "date"}}}}}},
         payment_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = PaymentId::parse(req.param(0));
           if (!id) return Error::not_found("payment_not_found", "no payment '" + req.param(0) + "'");
           app::RefundDraft d;
           O2C_ASSIGN_OR_RETURN(d.amount, text_field(req.body(), "amount"));
           O2C_ASSIGN_OR_RETURN(d.reason, text_field(req.body(), "reason"));
           O2C_ASSIGN_OR_RETURN(d.as_of, text_field(req.body(), "as_of"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::refund_payment(ctx, id->value(), d));
             return Reply::ok(to_json(p));
           });
         }});

  r.add({"POST", "/api/v1/payments/{id}/reverse", accounting, true, true,
         "A payment bounced: undo it (invoices reopen, its credit is taken back, the ledger entry is reversed)", {},
         {{"type", "object"},
          {"required", {"reason"}},
          {"properties", {{"reason", {{"type", "string"}}}, {"as_of", {{"type", "string"}, {"format", "date"}}}}}},
         payment_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = PaymentId::parse(req.param(0));
           if (!id) return Error::not_found("payment_not_found", "no payment '" + req.param(0) + "'");
           app::ReversalDraft d;
           O2C_ASSIGN_OR_RETURN(d.reason, text_field(req.body(), "reason"));
           O2C_ASSIGN_OR_RETURN(d.as_of, text_field(req.body(), "as_of"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::reverse_payment(ctx, id->value(), d));
             return Reply::ok(to_json(p));
           });
         }});

  r.add({"POST", "/api/v1/customers/{id}/apply-credit", accounting, true, true,
         "Apply the customer's unapplied credit to open invoices (explicit allocations, or oldest due first)", {},
         {{"type", "object"},
          {"properties",
           {{"amount", {{"type", "string"}, {"description", "at most this much (default: all the credit)"}}},
            {"as_of", {{"type", "string"}, {"format", "date"}}},
            {"allocations", allocation_schema()}}}},
         {{"type", "object"}}, 200, [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           if (!id) return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           app::ApplyCreditDraft d;
           const json& b = req.body();
           O2C_ASSIGN_OR_RETURN(d.amount, text_field(b, "amount"));
           O2C_ASSIGN_OR_RETURN(d.as_of, text_field(b, "as_of"));
           O2C_ASSIGN_OR_RETURN(d.allocations, read_allocations(b));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto a, app::apply_customer_credit(ctx, *id, d));
             json allocations = json::array();
             for (const auto& x : a.allocations) allocations.push_back(to_json(x, a.currency));
             return Reply::ok({{"customer_id", a.customer_id.to_string()},
                               {"currency", a.currency},
                               {"applied", money_text(a.applied_minor, a.currency)},
                               {"credit_balance", money_text(a.credit_left_minor, a.currency)},
                               {"allocations", allocations}});
           });
         }});
}

}  // namespace o2c::http
