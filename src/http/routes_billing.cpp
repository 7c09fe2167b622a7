// Invoices, credit notes, the billing run, exchange rates and the trial
// balance: the accountant's side of billing.
#include "app/billing.h"
#include "app/ledger.h"
#include "core/decimal.h"
#include "formats/pdf/invoice_pdf.h"
#include "formats/ubl/ubl.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"
#include "store/ledger_repo.h"

namespace o2c::http {
namespace {

Result<int64_t> document_id(const std::string& text, const char* code, const char* what) {
  auto id = InvoiceId::parse(text);
  if (!id) return Error::not_found(code, std::string("no ") + what + " '" + text + "'");
  return id->value();
}

// Staff see every document; a portal user only their own customer's, and
// another customer's document does not exist for them (404, not 403).
Status may_see(const app::Actor& actor, const billing::Invoice& v, const char* code) {
  if (actor.is_staff()) return {};
  if (actor.customer && *actor.customer == v.customer_id) return {};
  return Error::not_found(code, "no such document");
}

json invoice_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"kind", {{"type", "string"}, {"enum", {"invoice", "credit_note"}}}},
            {"number", {{"type", "string"}, {"example", "INV-2026-000001"}}},
            {"customer_id", {{"type", "string"}}},
            {"order_id", {{"type", "string"}}},
            {"status", {{"type", "string"}, {"enum", {"open", "partially_paid", "paid", "credit_noted", "issued"}}}},
            {"issue_date", {{"type", "string"}, {"format", "date"}}},
            {"due_date", {{"type", "string"}, {"format", "date"}}},
            {"currency", {{"type", "string"}}},
            {"lines", {{"type", "array"}}},
            {"tax_breakdown", {{"type", "array"}}},
            {"net_total", {{"type", "string"}}},
            {"tax_total", {{"type", "string"}}},
            {"total", {{"type", "string"}}},
            {"open_amount", {{"type", "string"}}},
            {"creditor_reference", {{"type", "string"}, {"example", "RF18539007547034"}}}}}};
}

json credit_note_request_schema() {
  return {{"type", "object"},
          {"required", {"reason"}},
          {"properties",
           {{"reason", {{"type", "string"}}},
            {"as_of", {{"type", "string"}, {"format", "date"}}},
            {"lines",
             {{"type", "array"},
              {"description", "omitted: credit everything not yet credited"},
              {"items",
               {{"type", "object"},
                {"required", {"sku", "quantity"}},
                {"properties", {{"sku", {{"type", "string"}}}, {"quantity", {{"type", "string"}}}}}}}}}}}};
}

Result<app::CreditNoteDraft> read_credit_note(const json& b) {
  app::CreditNoteDraft d;
  O2C_ASSIGN_OR_RETURN(d.reason, text_field(b, "reason"));
  O2C_ASSIGN_OR_RETURN(d.as_of, text_field(b, "as_of"));
  auto it = b.find("lines");
  if (it != b.end() && !it->is_null()) {
    if (!it->is_array()) return Error::malformed("invalid_type", "lines must be an array", "lines");
    d.lines.emplace();
    for (size_t i = 0; i < it->size(); ++i) {
      const json& l = (*it)[i];
      const std::string prefix = "lines[" + std::to_string(i) + "]";
      if (!l.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
      app::CreditNoteLineDraft ld;
      O2C_ASSIGN_OR_RETURN(ld.sku, text_field(l, "sku", prefix + "."));
      O2C_ASSIGN_OR_RETURN(ld.quantity, text_field(l, "quantity", prefix + "."));
      d.lines->push_back(std::move(ld));
    }
  }
  return d;
}

// Lists of documents, keyset-paged by id.
Result<Reply> list_documents(Request& req, store::invoices::ListFilter f) {
  if (auto c = req.query("customer_id"); c && !c->empty()) {
    f.customer = CustomerId::parse(*c);
    if (!f.customer) return Error::malformed("invalid_customer_id", "customer_id must be a customer id", "customer_id");
  }
  if (auto o = req.query("order_id"); o && !o->empty()) {
    f.order = OrderId::parse(*o);
    if (!f.order) return Error::malformed("invalid_order_id", "order_id must be an order id", "order_id");
  }
  if (auto s = req.query("status"); s && !s->empty()) {
    if (*s == "unpaid") {
      f.open_only = true;
    } else {
      f.status = billing::invoice_status_from(*s);
      if (!f.status) {
        return Error::malformed("invalid_status",
                                "status must be open, partially_paid, paid, credit_noted, issued or unpaid", "status");
      }
    }
  }
  return list_by_id<InvoiceId>(
      req, [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return app::list_invoices(uow, f, pr); },
      [](const auto& v) { return to_json(v); });
}

Result<Reply> get_document(Request& req, billing::DocumentKind kind) {
  const bool invoice = kind == billing::DocumentKind::invoice;
  const char* code = invoice ? "invoice_not_found" : "credit_note_not_found";
  O2C_ASSIGN_OR_RETURN(auto id, document_id(req.param(0), code, invoice ? "invoice" : "credit note"));
  return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
    auto v = app::get_invoice(uow, id);
    if (!v.ok() || v->kind != kind) return Error::not_found(code, std::string("no ") + (invoice ? "invoice " : "credit note ") + req.param(0));
    O2C_TRY(may_see(req.actor(), *v, code));
    return Reply::ok(to_json(*v));
  });
}

enum class FileFormat { pdf, ubl };

// The legal document as a file: the PDF a person reads, or the UBL 2.1 /
// Peppol BIS 3 XML an accounts-payable system reads.
Result<Reply> render_document(Request& req, billing::DocumentKind kind, FileFormat format) {
  const bool invoice = kind == billing::DocumentKind::invoice;
  const char* code = invoice ? "invoice_not_found" : "credit_note_not_found";
  O2C_ASSIGN_OR_RETURN(auto id, document_id(req.param(0), code, invoice ? "invoice" : "credit note"));
  return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
    auto v = app::get_invoice(uow, id);
    if (!v.ok() || v->kind != kind) return Error::not_found(code, std::string("no such ") + (invoice ? "invoice" : "credit note"));
    O2C_TRY(may_see(req.actor(), *v, code));
    O2C_ASSIGN_OR_RETURN(auto doc, app::document_of(uow, *v));
    if (format == FileFormat::ubl) {
      O2C_ASSIGN_OR_RETURN(auto xml, formats::ubl::to_ubl(doc));
      return Reply{200, nullptr, "application/xml", std::move(xml)};
    }
    O2C_ASSIGN_OR_RETURN(auto bytes, formats::pdf::render_invoice_pdf(doc));
    return Reply{200, nullptr, "application/pdf", std::move(bytes)};
  });
}

}  // namespace

Result<std::optional<CustomerId>> portal_scope(const Request& req) {
  const app::Actor& a = req.actor();
  if (a.is_staff()) return std::optional<CustomerId>();
  if (!a.customer) return Error::not_found("customer_not_found", "this portal user belongs to no customer");
  if (auto c = req.query("customer_id"); c && !c->empty()) {
    auto asked = CustomerId::parse(*c);
    if (asked && *asked != *a.customer) return Error::not_found("customer_not_found", "no customer '" + *c + "'");
  }
  return std::optional<CustomerId>(*a.customer);
}

void add_billing_routes(Router& r) {
  const auto staff = staff_roles();
  auto staff_and_portal = staff;
  staff_and_portal.push_back(Role::portal);
  const std::vector<Role> accounting = {Role::accountant, Role::admin};

  r.add({"POST", "/api/v1/billing/run", accounting, true, true,
         "Issue one invoice per consolidated-billing customer for every shipped, uninvoiced line", {},
         {{"type", "object"}, {"properties", {{"as_of", {{"type", "string"}, {"format", "date"}}}}}},
         {{"type", "object"}}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto as_of, text_field(req.body(), "as_of"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto issued, app::run_billing(ctx, as_of));
             json data = json::array();
             for (const auto& v : issued) data.push_back(to_json(v));
             return Reply::ok({{"as_of", as_of && !as_of->empty() ? *as_of : ctx.clock.today().to_string()},
                               {"invoices_created", issued.size()},
                               {"invoices", data}});
           });
         }});

  r.add({"GET", "/api/v1/invoices", staff_and_portal, true, false,
         "List invoices (a portal user: their own customer's only; customer_id naming another answers 404)",
         {{"customer_id", "one customer's invoices"},
          {"order_id", "invoices of one order"},
          {"status", "open, partially_paid, paid, credit_noted, or unpaid (open and partially_paid)"},
          {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           store::invoices::ListFilter f;
           f.kind = billing::DocumentKind::invoice;
           O2C_ASSIGN_OR_RETURN(f.customer, portal_scope(req));
           return list_documents(req, f);
         }});

  r.add({"GET", "/api/v1/invoices/{id}", staff_and_portal, true, false,
         "An invoice with lines, tax breakdown, totals and open amount", {}, {}, invoice_schema(), 200,
         [](Request& req) { return get_document(req, billing::DocumentKind::invoice); }});

  r.add({"GET", "/api/v1/invoices/{id}.pdf", staff_and_portal, true, false,
         "The invoice as a PDF (A4, payment instructions with IBAN, creditor reference and EPC QR code)", {}, {}, {},
         200, [](Request& req) { return render_document(req, billing::DocumentKind::invoice, FileFormat::pdf); }});

  r.add({"GET", "/api/v1/invoices/{id}.xml", staff_and_portal, true, false,
         "The invoice as a UBL 2.1 e-invoice following Peppol BIS Billing 3.0", {}, {}, {}, 200,
         [](Request& req) { return render_document(req, billing::DocumentKind::invoice, FileFormat::ubl); }});

  r.add({"POST", "/api/v1/invoices/{id}/credit-notes", accounting, true, true,
         "Credit an invoice in full (no lines) or by line and quantity", {}, credit_note_request_schema(),
         invoice_schema(), 201, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, document_id(req.param(0), "invoice_not_found", "invoice"));
           O2C_ASSIGN_OR_RETURN(auto d, read_credit_note(req.body()));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto cn, app::issue_credit_note(ctx, id, d));
             return Reply::created(to_json(cn));
           });
         }});

  r.add({"GET", "/api/v1/credit-notes", staff, true, false, "List credit notes",
         {{"customer_id", "one customer's credit notes"},
          {"invoice_id", "credit notes of one invoice"},
          {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           store::invoices::ListFilter f;
           f.kind = billing::DocumentKind::credit_note;
           if (auto i = req.query("invoice_id"); i && !i->empty()) {
             auto id = InvoiceId::parse(*i);
             if (!id) return Error::malformed("invalid_invoice_id", "invoice_id must be an invoice id", "invoice_id");
             f.credited_invoice = id->value();
           }
           return list_documents(req, f);
         }});

  r.add({"GET", "/api/v1/credit-notes/{id}", staff_and_portal, true, false, "A credit note", {}, {},
         invoice_schema(), 200, [](Request& req) { return get_document(req, billing::DocumentKind::credit_note); }});

  r.add({"GET", "/api/v1/credit-notes/{id}.pdf", staff_and_portal, true, false, "The credit note as a PDF", {}, {},
         {}, 200, [](Request& req) { return render_document(req, billing::DocumentKind::credit_note, FileFormat::pdf); }});

  r.add({"GET", "/api/v1/credit-notes/{id}.xml", staff_and_portal, true, false,
         "The credit note as a UBL 2.1 CreditNote following Peppol BIS Billing 3.0", {}, {}, {}, 200,
         [](Request& req) { return render_document(req, billing::DocumentKind::credit_note, FileFormat::ubl); }});

  r.add({"POST", "/api/v1/fx-rates", accounting, true, true,
         "Set the exchange rate of a currency for a day: functional units per one unit of it", {},
         {{"type", "object"},
          {"required", {"currency", "date", "rate"}},
          {"properties",
           {{"currency", {{"type", "string"}, {"example", "USD"}}},
            {"date", {{"type", "string"}, {"format", "date"}}},
            {"rate", {{"type", "string"}, {"example", "0.9215"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           app::FxRateDraft d;
           O2C_ASSIGN_OR_RETURN(d.currency, text_field(req.body(), "currency"));
           O2C_ASSIGN_OR_RETURN(d.date, text_field(req.body(), "date"));
           O2C_ASSIGN_OR_RETURN(d.rate, text_field(req.body(), "rate"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto res, app::put_fx_rate(ctx, d));
             json body = {{"currency", res.rate.currency},
                          {"date", res.rate.date},
                          {"rate", billing::format_rate_e10(res.rate.rate_e10)},
                          {"replaced", res.replaced}};
             return res.replaced ? Reply::ok(body) : Reply::created(body);
           });
         }});

  r.add({"GET", "/api/v1/fx-rates", staff, true, false, "Exchange rates, newest first per currency",
         {{"currency", "one currency's rates"}}, {}, {}, 200, [](Request& req) -> Result<Reply> {
           auto currency = req.query("currency");
           if (currency && currency->empty()) currency.reset();
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& rt : store::invoices::rates(uow, currency, 1000)) {
               data.push_back({{"currency", rt.currency},
                               {"date", rt.date},
                               {"rate", billing::format_rate_e10(rt.rate_e10)}});
             }
             return Reply::ok(page_json(std::move(data), std::nullopt));
           });
         }});
}

}  // namespace o2c::http
