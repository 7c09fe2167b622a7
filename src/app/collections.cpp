#include "app/collections.h"

#include "app/audit.h"
#include "app/orders.h"
#include "core/decimal.h"
#include "core/money.h"
#include "domain/masterdata/fields.h"
#include "formats/csv/csv.h"
#include "formats/pdf/letter_pdf.h"
#include "store/invoices_repo.h"
#include "store/orders_repo.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using store::collections::Dispute;

Result<Date> date_or(const masterdata::Text& t, const char* field, Date fallback) {
  if (!t || masterdata::trim(*t).empty()) return fallback;
  auto d = Date::parse(masterdata::trim(*t));
  if (!d.ok()) return Error::invalid("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return *d;
}

// The invoice a dispute or a promise is about: an issued invoice with something open.
Result<billing::Invoice> open_invoice(store::UnitOfWork& uow, int64_t invoice_id) {
  auto inv = store::invoices::find(uow, invoice_id, true);
  if (!inv) return Error::not_found("invoice_not_found", "no invoice " + std::to_string(invoice_id));
  if (inv->kind != billing::DocumentKind::invoice) {
    return Error::invalid("not_an_invoice", inv->number + " is a credit note");
  }
  if (inv->open_minor <= 0) return Error::conflict("invoice_settled", "invoice " + inv->number + " has nothing open");
  return *inv;
}

nlohmann::json dispute_json(const Dispute& d) {
  return {{"dispute_id", std::to_string(d.id)},
          {"invoice_id", std::to_string(d.invoice_id)},
          {"invoice_number", d.invoice_number},
          {"reason", d.reason},
          {"status", d.status},
          {"outcome", d.outcome ? nlohmann::json(*d.outcome) : nlohmann::json()}};
}

std::string money(int64_t minor, Currency c) { return format_scaled(minor, c.exponent()); }

}  // namespace

Result<Dispute> open_dispute(Context& ctx, int64_t invoice_id, const DisputeDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto reason, masterdata::required_text(d.reason, "reason", 1000));
  O2C_ASSIGN_OR_RETURN(auto on, date_or(d.as_of, "as_of", ctx.clock.today()));
  O2C_ASSIGN_OR_RETURN(auto inv, open_invoice(ctx.uow, invoice_id));
  if (auto open = store::collections::open_dispute_of(ctx.uow, invoice_id)) {
    return Error::conflict("already_disputed",
                           "invoice " + inv.number + " is already disputed (dispute " + std::to_string(open->id) + ")");
  }
  Dispute x;
  x.invoice_id = inv.id;
  x.invoice_number = inv.number;
  x.customer_id = inv.customer_id;
  x.reason = reason;
  x.status = "open";
  x.opened_on = on.to_string();
  if (ctx.actor.id.valid()) x.opened_by = ctx.actor.id;
  x.created_at = x.updated_at = ctx.clock.now_rfc3339();
  store::collections::insert_dispute(ctx.uow, x);
  auto payload = dispute_json(x);
  record_event(ctx, "dispute", std::to_string(x.id), "opened", payload);
  store::orders::outbox_append(ctx.uow, "dispute.opened", payload.dump(), x.created_at);
  return x;
}

Result<Dispute> resolve_dispute(Context& ctx, int64_t dispute_id, const ResolveDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto outcome, masterdata::required_text(d.outcome, "outcome", 16));
  if (outcome != "upheld" && outcome != "rejected") {
    return Error::invalid("invalid_outcome", "outcome is upheld (the customer is right) or rejected", "outcome");
  }
  if (d.credit_note && outcome != "upheld") {
    return Error::invalid("credit_note_needs_upheld", "only an upheld dispute credits the invoice", "credit_note");
  }
  O2C_ASSIGN_OR_RETURN(auto resolution, masterdata::optional_text(d.resolution, "resolution", 1000));
  O2C_ASSIGN_OR_RETURN(auto on, date_or(d.as_of, "as_of", ctx.clock.today()));
  auto x = store::collections::find_dispute(ctx.uow, dispute_id, true);
  if (!x) return Error::not_found("dispute_not_found", "no dispute " + std::to_string(dispute_id));
  if (x->status != "open") {
    return Error::conflict("already_resolved", "dispute " + std::to_string(dispute_id) + " was resolved on " +
                                                   x->resolved_on.value_or("?"));
  }
  if (d.credit_note) {
    CreditNoteDraft cn = *d.credit_note;
    if (!cn.reason || masterdata::trim(*cn.reason).empty()) cn.reason = "Dispute upheld: " + x->reason;
    if (!cn.as_of) cn.as_of = on.to_string();
    auto issued = issue_credit_note(ctx, x->invoice_id, cn);
    if (!issued.ok()) {
      Error e = issued.take_error();
      e.field = e.field.empty() ? "credit_note" : "credit_note." + e.field;
      return e;
    }
    x->credit_note_id = issued->id;
  }
  x->status = "resolved";
  x->outcome = outcome;
  x->resolution = resolution;
  x->resolved_on = on.to_string();
  if (ctx.actor.id.valid()) x->resolved_by = ctx.actor.id;
  x->updated_at = ctx.clock.now_rfc3339();
  store::collections::resolve_dispute(ctx.uow, *x);
  auto payload = dispute_json(*x);
  if (x->credit_note_id) payload["credit_note_id"] = std::to_string(*x->credit_note_id);
  record_event(ctx, "dispute", std::to_string(x->id), "resolved", payload);
  store::orders::outbox_append(ctx.uow, "dispute.resolved", payload.dump(), x->updated_at);
  O2C_TRY(lift_dunning_block_if_settled(ctx, x->customer_id));
  return *x;
}

Status promise_to_pay(Context& ctx, int64_t invoice_id, const PromiseDraft& d) {
  if (!d.promised_on || masterdata::trim(*d.promised_on).empty()) {
    return Error::invalid("required", "promised_on is required", "promised_on");
  }
  O2C_ASSIGN_OR_RETURN(auto on, date_or(d.promised_on, "promised_on", ctx.clock.today()));
  if (on < ctx.clock.today()) {
    return Error::invalid("promise_in_past", "a promise to pay is for today or later", "promised_on");
  }
  O2C_ASSIGN_OR_RETURN(auto note, masterdata::optional_text(d.note, "note", 500));
  O2C_ASSIGN_OR_RETURN(auto inv, open_invoice(ctx.uow, invoice_id));
  const std::string now = ctx.clock.now_rfc3339();
  store::collections::add_promise(ctx.uow, inv.id, on.to_string(), note,
                                  ctx.actor.id.valid() ? std::optional<UserId>(ctx.actor.id) : std::nullopt, now);
  record_event(ctx, "invoice", std::to_string(inv.id), "promise_to_pay",
               {{"number", inv.number}, {"promised_on", on.to_string()}, {"note", note ? *note : ""}});
  return {};
}

Result<collections::DunningPolicy> put_dunning_policy(Context& ctx, const PolicyDraft& d) {
  collections::DunningPolicy p;
  O2C_ASSIGN_OR_RETURN(p.code, masterdata::required_text(d.code, "code", 32));
  O2C_ASSIGN_OR_RETURN(p.name, masterdata::required_text(d.name, "name", 200));
  for (size_t i = 0; i < d.levels.size(); ++i) {
    const auto& l = d.levels[i];
    const std::string at = "levels[" + std::to_string(i) + "].";
    collections::DunningLevel x;
    x.level = static_cast<int>(l.level.value_or(static_cast<int64_t>(i) + 1));
    if (!l.days_after_due) return Error::invalid("required", "days_after_due is required", at + "days_after_due");
    x.days_after_due = static_cast<int>(std::clamp<int64_t>(*l.days_after_due, -1, 100000));
    if (l.fee && !masterdata::trim(*l.fee).empty()) {
      auto fee = parse_scaled(masterdata::trim(*l.fee), 4);
      if (!fee.ok()) {
        Error e = fee.take_error();
        e.field = at + "fee";
        return e;
      }
      x.fee_e4 = *fee;
    }
    if (l.interest_rate && !masterdata::trim(*l.interest_rate).empty()) {
      auto rate = parse_scaled(masterdata::trim(*l.interest_rate), 2);
      if (!rate.ok()) {
        Error e = rate.take_error();
        e.field = at + "interest_rate";
        return e;
      }
      x.interest_bp = *rate;
    }
    x.message = l.message ? masterdata::trim(*l.message) : "";
    x.action = l.action && !masterdata::trim(*l.action).empty() ? masterdata::trim(*l.action) : collections::kActionEmail;
    p.levels.push_back(std::move(x));
  }
  O2C_TRY(collections::check_policy(p));
  const bool existed = store::collections::find_policy(ctx.uow, p.code).has_value();
  store::collections::put_policy(ctx.uow, p, ctx.clock.now_rfc3339());
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& l : p.levels) {
    levels.push_back({{"level", l.level}, {"days_after_due", l.days_after_due}, {"fee_e4", l.fee_e4},
                      {"interest_bp", l.interest_bp}, {"action", l.action}});
  }
  record_event(ctx, "dunning_policy", p.code, existed ? "replaced" : "created", {{"name", p.name}, {"levels", levels}});
  return p;
}

Result<DunningRun> run_dunning(Context& ctx, const masterdata::Text& as_of) {
  DunningRun run;
  O2C_ASSIGN_OR_RETURN(run.as_of, date_or(as_of, "as_of", ctx.clock.today()));
  const std::string on = run.as_of.to_string();
  for (const auto& customer_id : store::collections::customers_overdue(ctx.uow, on)) {
    store::orders::lock_customer(ctx.uow, customer_id);
    auto customer = store::customers::find(ctx.uow, customer_id);
    if (!customer) continue;
    auto currency = Currency::of(customer->currency);
    if (!currency) return Error::internal("customer " + customer_id.to_string() + " has an unknown currency");
    auto policy = store::collections::find_policy(ctx.uow, customer->dunning_policy);
    if (!policy) policy = store::collections::find_policy(ctx.uow, "STANDARD");
    if (!policy || policy->levels.empty()) continue;
    O2C_ASSIGN_OR_RETURN(auto plan, collections::plan_dunning(*policy, store::collections::overdue_items(
                                                                             ctx.uow, customer_id, on),
                                                              run.as_of, *currency));
    for (const auto& due : plan) {
      store::collections::Notice n;
      n.customer_id = customer_id;
      n.level = due.level.level;
      n.notice_date = on;
      n.currency = customer->currency;
      n.overdue_minor = due.overdue_minor;
      n.fee_minor = due.fee_minor;
      n.interest_minor = due.interest_minor;
      n.action = due.level.action;
      n.created_at = ctx.clock.now_rfc3339();
      // Fees and interest become receivable on a FEE invoice of their own.
      std::vector<FeeLine> fees;
      if (due.fee_minor > 0) fees.push_back({"Reminder fee, level " + std::to_string(n.level), due.fee_minor});
      for (const auto& it : due.items) {
        if (it.interest_minor <= 0) continue;
        fees.push_back({"Interest on " + it.number + " at " + format_scaled(due.level.interest_bp, 2) +
                            " % a year, to " + on,
                        it.interest_minor});
      }
      std::optional<std::string> fee_number;
      if (!fees.empty()) {
        O2C_ASSIGN_OR_RETURN(auto fee_invoice, issue_fee_invoice(ctx, *customer, fees, run.as_of,
                                                                 "Dunning level " + std::to_string(n.level)));
        n.fee_invoice_id = fee_invoice.id;
        fee_number = fee_invoice.number;
      }
      std::string text = due.level.message + "\n";
      nlohmann::json invoices = nlohmann::json::array();
      for (const auto& it : due.items) {
        text += "\n" + it.number + ": " + money(it.open_minor, *currency) + " " + customer->currency + ", " +
                std::to_string(it.days_overdue) + " days overdue";
        invoices.push_back({{"invoice_id", std::to_string(it.invoice_id)},
                            {"number", it.number},
                            {"open_amount", money(it.open_minor, *currency)},
                            {"days_overdue", it.days_overdue},
                            {"interest", money(it.interest_minor, *currency)}});
      }
      if (fee_number) {
        text += "\n\nFees and interest: " + money(due.fee_minor + due.interest_minor, *currency) + " " +
                customer->currency + " (invoice " + *fee_number + ")";
      }
      n.message = text;
      store::collections::insert_notice(ctx.uow, n, due.items);
      if (due.level.action == collections::kActionCreditBlock && !customer->dunning_block) {
        store::customers::set_dunning_block(ctx.uow, customer_id, true, n.created_at);
        customer->dunning_block = true;
      }
      nlohmann::json payload = {{"notice_id", std::to_string(n.id)},
                                {"customer_id", customer_id.to_string()},
                                {"email", customer->email},
                                {"name", customer->name},
                                {"level", n.level},
                                {"action", n.action},
                                {"notice_date", on},
                                {"currency", customer->currency},
                                {"overdue_amount", money(n.overdue_minor, *currency)},
                                {"fee", money(n.fee_minor, *currency)},
                                {"interest", money(n.interest_minor, *currency)},
                                {"fee_invoice_id", n.fee_invoice_id ? nlohmann::json(std::to_string(*n.fee_invoice_id))
                                                                    : nlohmann::json()},
                                {"invoices", invoices},
                                {"message", n.message}};
      record_event(ctx, "customer", customer_id.to_string(), "dunned", payload);
      store::orders::outbox_append(ctx.uow, "dunning.notice", payload.dump(), n.created_at);
      ++run.by_level[n.level];
      run.notices.push_back(std::move(n));
    }
  }
  record_event(ctx, "dunning_run", on, "run", {{"as_of", on}, {"notices", run.notices.size()}});
  return run;
}

namespace {

// The letterhead and address window every letter to a customer shares.
formats::pdf::Letter letter_to(const std::optional<masterdata::Company>& company, const masterdata::Customer& customer) {
  formats::pdf::Letter l;
  const std::string seller = company ? company->name : std::string("o2c");
  l.closing = seller;
  l.sender = seller + (company && company->address ? " · " + *company->address : "");
  for (char& ch : l.sender) {
    if (ch == '\n') ch = ' ';
  }
  l.recipient.push_back(customer.name);
  if (customer.address) {
    size_t start = 0;
    const std::string& a = *customer.address;
    while (start <= a.size()) {
      size_t end = a.find_first_of("\n,", start);
      if (end == std::string::npos) end = a.size();
      std::string part = masterdata::trim(a.substr(start, end - start));
      if (!part.empty()) l.recipient.push_back(part);
      start = end + 1;
    }
  }
  l.recipient.push_back(customer.country);
  return l;
}

}  // namespace

Result<std::string> notice_letter_pdf(store::UnitOfWork& uow, int64_t notice_id) {
  auto n = store::collections::find_notice(uow, notice_id);
  if (!n) return Error::not_found("notice_not_found", "no dunning notice " + std::to_string(notice_id));
  auto customer = store::customers::find(uow, n->customer_id);
  if (!customer) return Error::internal("notice " + std::to_string(notice_id) + " has no customer");
  auto company = store::company::get(uow);
  formats::pdf::Letter l = letter_to(company, *customer);
  l.place_and_date = n->notice_date;
  l.date = n->notice_date;
  l.subject = (n->level == 1 ? std::string("Payment reminder") : "Reminder, level " + std::to_string(n->level)) +
              " (" + customer->currency + ")";
  l.body = "Dear " + customer->name + ",\n\n" + n->message + "\n\nPlease pay by bank transfer quoting the invoice numbers" +
           (company && company->iban ? " to IBAN " + *company->iban : std::string()) + ".";
  return formats::pdf::render_letter_pdf(l);
}

Result<CustomerStatement> customer_statement(store::UnitOfWork& uow, CustomerId customer_id, const masterdata::Text& from,
                                             const masterdata::Text& to, Date today) {
  auto customer = store::customers::find(uow, customer_id);
  if (!customer) return Error::not_found("customer_not_found", "no customer " + customer_id.to_string());
  O2C_ASSIGN_OR_RETURN(auto end, date_or(to, "to", today));
  O2C_ASSIGN_OR_RETURN(auto first, Date::from_ymd(end.year(), end.month(), 1));
  O2C_ASSIGN_OR_RETURN(auto start, date_or(from, "from", first));
  O2C_ASSIGN_OR_RETURN(auto st, collections::build_statement(
                                    store::collections::statement_movements(uow, customer_id, end.to_string()), start, end));
  return CustomerStatement{*customer, std::move(st)};
}

nlohmann::json statement_json(const CustomerStatement& s) {
  auto c = Currency::of(s.customer.currency);
  const int exp = c ? c->exponent() : 2;
  nlohmann::json movements = nlohmann::json::array();
  for (const auto& l : s.statement.lines) {
    movements.push_back({{"date", l.movement.date.to_string()},
                         {"kind", l.movement.kind},
                         {"document", l.movement.document},
                         {"amount", format_scaled(l.movement.amount_minor, exp)},
                         {"balance", format_scaled(l.balance_minor, exp)}});
  }
  return {{"customer_id", s.customer.id.to_string()},
          {"currency", s.customer.currency},
          {"from", s.statement.from.to_string()},
          {"to", s.statement.to.to_string()},
          {"opening_balance", format_scaled(s.statement.opening_minor, exp)},
          {"movements", movements},
          {"closing_balance", format_scaled(s.statement.closing_minor, exp)}};
}

std::string statement_csv(const CustomerStatement& s) {
  auto c = Currency::of(s.customer.currency);
  const int exp = c ? c->exponent() : 2;
  std::string out = csv::format_record({"date", "kind", "document", "amount", "balance", "currency"});
  const std::string cur = s.customer.currency;
  out += csv::format_record({s.statement.from.to_string(), "opening_balance", "", "",
                             format_scaled(s.statement.opening_minor, exp), cur});
  for (const auto& l : s.statement.lines) {
    out += csv::format_record({l.movement.date.to_string(), l.movement.kind, l.movement.document,
                               format_scaled(l.movement.amount_minor, exp), format_scaled(l.balance_minor, exp), cur});
  }
  out += csv::format_record({s.statement.to.to_string(), "closing_balance", "", "",
                             format_scaled(s.statement.closing_minor, exp), cur});
  return out;
}

Result<std::string> statement_pdf(store::UnitOfWork& uow, const CustomerStatement& s, Date today) {
  auto c = Currency::of(s.customer.currency);
  const int exp = c ? c->exponent() : 2;
  const std::string cur = s.customer.currency;
  formats::pdf::Letter l = letter_to(store::company::get(uow), s.customer);
  l.place_and_date = today.to_string();
  l.date = today.to_string();
  l.subject = "Statement of account " + s.statement.from.to_string() + " to " + s.statement.to.to_string() + " (" +
              cur + ")";
  l.body = "Dear " + s.customer.name + ",\n\nhere is your account with us: what you owed on " +
           s.statement.from.add_days(-1).to_string() + ", every invoice, credit note and payment since, and the "
           "balance after each.";
  l.table.header = {"Date", "Document", "Kind", "Amount", "Balance"};
  l.table.weights = {2, 3.2, 2, 2, 2};
  l.table.right = {false, false, false, true, true};
  l.table.rows.push_back({s.statement.from.to_string(), "", "Opening balance", "",
                          format_scaled(s.statement.opening_minor, exp)});
  for (const auto& line : s.statement.lines) {
    std::string kind = line.movement.kind;
    for (char& ch : kind) {
      if (ch == '_') ch = ' ';
    }
    l.table.rows.push_back({line.movement.date.to_string(), line.movement.document, kind,
                            format_scaled(line.movement.amount_minor, exp), format_scaled(line.balance_minor, exp)});
  }
  l.after_table = "Balance on " + s.statement.to.to_string() + ": " + format_scaled(s.statement.closing_minor, exp) +
                  " " + cur;
  return formats::pdf::render_letter_pdf(l);
}

Result<CustomerStatement> send_statement(Context& ctx, CustomerId customer, const masterdata::Text& from,
                                         const masterdata::Text& to) {
  O2C_ASSIGN_OR_RETURN(auto s, customer_statement(ctx.uow, customer, from, to, ctx.clock.today()));
  nlohmann::json payload = statement_json(s);
  payload["email"] = s.customer.email;
  // The e-mail template lists `lines` (date, document, amount, balance).
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& m : payload["movements"]) {
    lines.push_back({{"date", m["date"]}, {"document", m["document"]}, {"amount", m["amount"]}, {"balance", m["balance"]}});
  }
  payload["lines"] = lines;
  const std::string now = ctx.clock.now_rfc3339();
  record_event(ctx, "customer", customer.to_string(), "statement_sent",
               {{"from", payload["from"]}, {"to", payload["to"]}, {"closing_balance", payload["closing_balance"]}});
  store::orders::outbox_append(ctx.uow, "statement.sent", payload.dump(), now);
  return s;
}

Status lift_dunning_block_if_settled(Context& ctx, CustomerId customer_id) {
  auto customer = store::customers::find(ctx.uow, customer_id);
  if (!customer || !customer->dunning_block) return {};
  if (store::collections::has_open_blocking_items(ctx.uow, customer_id)) return {};
  store::customers::set_dunning_block(ctx.uow, customer_id, false, ctx.clock.now_rfc3339());
  record_event(ctx, "customer", customer_id.to_string(), "dunning_block_lifted", {{"reason", "final-level invoices paid"}});
  store::orders::outbox_append(ctx.uow, "customer.dunning_block_lifted",
                               nlohmann::json{{"customer_id", customer_id.to_string()}}.dump(), ctx.clock.now_rfc3339());
  O2C_TRY(reevaluate_credit_holds(ctx, customer_id, "dunning block lifted"));
  return {};
}

}  // namespace o2c::app
