#include "app/reports.h"

#include "core/currency.h"
#include "core/decimal.h"
#include "formats/csv/csv.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using nlohmann::json;

Result<ReportHeader> header_of(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  ReportHeader h;
  O2C_ASSIGN_OR_RETURN(h.as_of, report_date(q.as_of, today));
  auto company = store::company::get(uow);
  h.currency = company ? company->currency : std::string("EUR");
  if (auto c = Currency::of(h.currency)) h.exponent = c->exponent();
  return h;
}

std::map<int64_t, std::string> names_of(store::UnitOfWork& uow) {
  std::map<int64_t, std::string> out;
  for (auto& [id, name] : store::reports::customer_names(uow)) out.emplace(id, std::move(name));
  return out;
}

Result<std::optional<CustomerId>> customer_filter(store::UnitOfWork& uow, const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::optional<CustomerId>();
  auto id = CustomerId::parse(*text);
  if (!id || !store::customers::find(uow, *id)) {
    return Error::invalid("unknown_customer", "no customer '" + *text + "'", "customer_id");
  }
  return std::optional<CustomerId>(*id);
}

json buckets_json(const reports::Buckets& b, int exp) {
  json out = json::object();
  for (auto k : reports::kBuckets) out[std::string(reports::to_string(k))] = format_scaled(b[k], exp);
  out["total"] = format_scaled(b.total(), exp);
  return out;
}

std::string csv_line(const std::vector<std::string>& fields) { return csv::format_record(fields); }

int exponent_of(const std::string& currency) {
  auto c = Currency::of(currency);
  return c ? c->exponent() : 2;
}

}  // namespace

Result<Date> report_date(const std::optional<std::string>& text, Date today, const char* field) {
  if (!text || text->empty()) return today;
  auto d = Date::parse(*text);
  if (!d.ok()) return Error::malformed("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return *d;
}

json hundredths_json(const reports::Hundredths& h) {
  if (!h) return nullptr;
  // Days and percentages, not money: shown as JSON numbers with two decimals,
  // which a double renders exactly enough (it round-trips 12.34 as 12.34).
  return static_cast<double>(*h) / 100.0;
}

std::string hundredths_text(const reports::Hundredths& h) { return h ? format_scaled(*h, 2) : std::string(); }

Result<AgingReport> aging_report(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  AgingReport r;
  O2C_ASSIGN_OR_RETURN(r.header, header_of(uow, q, today));
  reports::AgingBasis basis = reports::AgingBasis::due_date;
  if (q.basis && !q.basis->empty()) {
    if (*q.basis == "invoice_date") {
      basis = reports::AgingBasis::invoice_date;
    } else if (*q.basis != "due_date") {
      return Error::invalid("invalid_basis", "basis must be due_date or invoice_date", "basis");
    }
  }
  O2C_ASSIGN_OR_RETURN(auto customer, customer_filter(uow, q.customer_id));
  const auto rows = store::reports::open_items(uow, r.header.as_of, customer);
  std::vector<reports::OpenItem> items;
  items.reserve(rows.size());
  for (const auto& row : rows) items.push_back(row.item);
  r.aging = reports::age(items, r.header.as_of, basis);
  r.names = names_of(uow);
  return r;
}

json aging_json(const AgingReport& r) {
  const int exp = r.header.exponent;
  json customers = json::array();
  for (const auto& c : r.aging.customers) {
    json row = buckets_json(c.buckets, exp);
    row["customer_id"] = std::to_string(c.customer_id);
    auto n = r.names.find(c.customer_id);
    row["name"] = n == r.names.end() ? std::string() : n->second;
    row["items"] = c.items;
    customers.push_back(std::move(row));
  }
  return {{"as_of", r.header.as_of.to_string()},
          {"basis", std::string(reports::to_string(r.aging.basis))},
          {"currency", r.header.currency},
          {"total", buckets_json(r.aging.total, exp)},
          {"items", r.aging.items},
          {"customers", std::move(customers)}};
}

std::string aging_csv(const AgingReport& r) {
  const int exp = r.header.exponent;
  std::vector<std::string> head = {"customer_id", "name"};
  for (auto k : reports::kBuckets) head.emplace_back(reports::to_string(k));
  head.insert(head.end(), {"total", "currency", "as_of", "basis"});
  std::string out = csv_line(head);
  auto line = [&](const std::string& id, const std::string& name, const reports::Buckets& b) {
    std::vector<std::string> f = {id, name};
    for (auto k : reports::kBuckets) f.push_back(format_scaled(b[k], exp));
    f.insert(f.end(), {format_scaled(b.total(), exp), r.header.currency, r.header.as_of.to_string(),
                       std::string(reports::to_string(r.aging.basis))});
    out += csv_line(f);
  };
  for (const auto& c : r.aging.customers) {
    auto n = r.names.find(c.customer_id);
    line(std::to_string(c.customer_id), n == r.names.end() ? std::string() : n->second, c.buckets);
  }
  line("", "Total", r.aging.total);
  return out;
}

Result<OpenItemsReport> open_items_report(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  OpenItemsReport r;
  O2C_ASSIGN_OR_RETURN(r.header, header_of(uow, q, today));
  O2C_ASSIGN_OR_RETURN(auto customer, customer_filter(uow, q.customer_id));
  r.items = store::reports::open_items(uow, r.header.as_of, customer);
  r.names = names_of(uow);
  return r;
}

json open_items_json(const OpenItemsReport& r) {
  const int fexp = r.header.exponent;
  json items = json::array();
  int64_t total = 0;
  for (const auto& row : r.items) {
    const int exp = exponent_of(row.currency);
    const int32_t overdue = Date::days_between(row.item.due_date, r.header.as_of);
    auto n = r.names.find(row.item.customer_id);
    total += row.item.open_minor;
    items.push_back({{"invoice_id", std::to_string(row.item.invoice_id)},
                     {"number", row.number},
                     {"customer_id", std::to_string(row.item.customer_id)},
                     {"name", n == r.names.end() ? std::string() : n->second},
                     {"issue_date", row.item.issue_date.to_string()},
                     {"due_date", row.item.due_date.to_string()},
                     {"days_overdue", overdue > 0 ? overdue : 0},
                     {"bucket", std::string(reports::to_string(reports::bucket_for(overdue)))},
                     {"currency", row.currency},
                     {"total", format_scaled(row.total_minor, exp)},
                     {"open_amount", format_scaled(row.open_document_minor, exp)},
                     {"open_functional", format_scaled(row.item.open_minor, fexp)}});
  }
  return {{"as_of", r.header.as_of.to_string()},
          {"currency", r.header.currency},
          {"total", format_scaled(total, fexp)},
          {"items", std::move(items)}};
}

std::string open_items_csv(const OpenItemsReport& r) {
  const int fexp = r.header.exponent;
  std::string out = csv_line({"invoice_id", "number", "customer_id", "name", "issue_date", "due_date", "days_overdue",
                              "bucket", "currency", "total", "open_amount", "open_functional", "functional_currency"});
  for (const auto& row : r.items) {
    const int exp = exponent_of(row.currency);
    const int32_t overdue = Date::days_between(row.item.due_date, r.header.as_of);
    auto n = r.names.find(row.item.customer_id);
    out += csv_line({std::to_string(row.item.invoice_id), row.number, std::to_string(row.item.customer_id),
                     n == r.names.end() ? std::string() : n->second, row.item.issue_date.to_string(),
                     row.item.due_date.to_string(), std::to_string(overdue > 0 ? overdue : 0),
                     std::string(reports::to_string(reports::bucket_for(overdue))), row.currency,
                     format_scaled(row.total_minor, exp), format_scaled(row.open_document_minor, exp),
                     format_scaled(row.item.open_minor, fexp), r.header.currency});
  }
  return out;
}

Result<DsoReport> dso_report(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  DsoReport r;
  O2C_ASSIGN_OR_RETURN(r.header, header_of(uow, q, today));
  if (q.days && !q.days->empty()) {
    int64_t days = 0;
    bool ok = q.days->size() <= 5;
    for (char ch : *q.days) ok = ok && ch >= '0' && ch <= '9';
    if (ok) days = std::stoll(*q.days);
    if (!ok || days < 1 || days > 3660) {
      return Error::invalid("invalid_days", "days must be a whole number of days from 1 to 3660", "days");
    }
    r.days = static_cast<int32_t>(days);
  }
  const Date as_of = r.header.as_of;
  auto& in = r.inputs;
  in.days = r.days;
  for (const auto& row : store::reports::open_items(uow, as_of)) {
    in.receivables_minor += row.item.open_minor;
    const int32_t past = Date::days_between(row.item.due_date, as_of);
    if (past <= 0) in.current_receivables_minor += row.item.open_minor;
    if (reports::bucket_for(past) == reports::Bucket::over_90) r.over_90_minor += row.item.open_minor;
  }
  for (const auto& row : store::reports::open_items(uow, as_of.add_days(-r.days))) {
    in.beginning_receivables_minor += row.item.open_minor;
  }
  in.credit_sales_minor = store::reports::credit_sales(uow, as_of.add_days(-r.days), as_of);
  // The count-back needs only as many months as it takes to explain the
  // receivables, and never more than the history has.
  if (auto first = store::reports::first_issue_date(uow); first && in.receivables_minor > 0) {
    int64_t covered = 0;
    for (int k = 1; covered < in.receivables_minor; ++k) {
      const Date end = as_of.add_months(-(k - 1));
      const Date start = as_of.add_months(-k);
      if (end < *first) break;
      const int64_t sales = store::reports::credit_sales(uow, start, end);
      in.months_back.push_back({Date::days_between(start, end), sales});
      covered += sales;
    }
  }
  r.dso = reports::dso(in);
  r.percent_over_90 = reports::percent_hundredths(r.over_90_minor, in.receivables_minor);
  return r;
}

json dso_json(const DsoReport& r) {
  const int exp = r.header.exponent;
  const auto& in = r.inputs;
  return {{"as_of", r.header.as_of.to_string()},
          {"days", r.days},
          {"currency", r.header.currency},
          {"dso", hundredths_json(r.dso.dso)},
          {"countback_dso", hundredths_json(r.dso.countback_dso)},
          {"best_possible_dso", hundredths_json(r.dso.best_possible_dso)},
          {"cei", hundredths_json(r.dso.cei)},
          {"average_days_delinquent", hundredths_json(r.dso.average_days_delinquent)},
          {"percent_over_90", hundredths_json(r.percent_over_90)},
          {"receivables", format_scaled(in.receivables_minor, exp)},
          {"current_receivables", format_scaled(in.current_receivables_minor, exp)},
          {"beginning_receivables", format_scaled(in.beginning_receivables_minor, exp)},
          {"credit_sales", format_scaled(in.credit_sales_minor, exp)},
          {"over_90", format_scaled(r.over_90_minor, exp)}};
}

std::string dso_csv(const DsoReport& r) {
  const int exp = r.header.exponent;
  const auto& in = r.inputs;
  std::string out = csv_line({"measure", "value", "unit"});
  out += csv_line({"as_of", r.header.as_of.to_string(), "date"});
  out += csv_line({"days", std::to_string(r.days), "days"});
  out += csv_line({"dso", hundredths_text(r.dso.dso), "days"});
  out += csv_line({"countback_dso", hundredths_text(r.dso.countback_dso), "days"});
  out += csv_line({"best_possible_dso", hundredths_text(r.dso.best_possible_dso), "days"});
  out += csv_line({"average_days_delinquent", hundredths_text(r.dso.average_days_delinquent), "days"});
  out += csv_line({"cei", hundredths_text(r.dso.cei), "percent"});
  out += csv_line({"percent_over_90", hundredths_text(r.percent_over_90), "percent"});
  out += csv_line({"receivables", format_scaled(in.receivables_minor, exp), r.header.currency});
  out += csv_line({"current_receivables", format_scaled(in.current_receivables_minor, exp), r.header.currency});
  out += csv_line({"beginning_receivables", format_scaled(in.beginning_receivables_minor, exp), r.header.currency});
  out += csv_line({"credit_sales", format_scaled(in.credit_sales_minor, exp), r.header.currency});
  out += csv_line({"over_90", format_scaled(r.over_90_minor, exp), r.header.currency});
  return out;
}

namespace {

// Seconds since the epoch of an RFC 3339 instant as o2c writes them
// ("2026-11-20T10:15:00.123Z", UTC); nullopt if it is not one.
std::optional<int64_t> epoch_seconds(const std::string& t) {
  if (t.size() < 19 || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
  auto d = Date::parse(t.substr(0, 10));
  if (!d.ok()) return std::nullopt;
  auto num = [&](size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
  for (size_t at : {11u, 14u, 17u}) {
    if (t[at] < '0' || t[at] > '9' || t[at + 1] < '0' || t[at + 1] > '9') return std::nullopt;
  }
  return int64_t{d->days()} * 86400 + num(11) * 3600 + num(14) * 60 + num(17);
}

json step_json(const reports::StepTime& s) {
  return {{"median_days", hundredths_json(s.median_days)},
          {"p90_days", s.p90_days ? json(*s.p90_days) : json(nullptr)},
          {"orders", s.orders}};
}

}  // namespace

Result<MeasuresReport> measures_report(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  MeasuresReport m;
  O2C_ASSIGN_OR_RETURN(m.dso, dso_report(uow, q, today));
  const Date as_of = m.dso.header.as_of;
  const Date from = as_of.add_days(-m.dso.days);

  // Disputes open on as_of: what they hold up, and for how long.
  std::map<int64_t, int64_t> open_by_invoice;
  for (const auto& row : store::reports::open_items(uow, as_of)) open_by_invoice[row.item.invoice_id] = row.item.open_minor;
  std::vector<int64_t> ages;
  for (const auto& d : store::reports::disputes_open_on(uow, as_of)) {
    ++m.open_disputes;
    auto it = open_by_invoice.find(d.invoice_id);
    if (it != open_by_invoice.end()) m.disputed_minor += it->second;
    ages.push_back(Date::days_between(d.opened_on, as_of));
  }
  m.average_dispute_age_days = reports::mean_hundredths(ages);

  m.placed = store::reports::orders_placed(uow, from, as_of);
  m.credit_hold_rate = reports::percent_hundredths(m.placed.held, m.placed.orders);
  std::vector<int64_t> hold_seconds;
  for (const auto& [held, decided] : store::reports::holds_decided(uow, from, as_of)) {
    auto a = epoch_seconds(held), b = epoch_seconds(decided);
    if (a && b && *b >= *a) hold_seconds.push_back(*b - *a);
  }
  m.holds_decided = static_cast<int64_t>(hold_seconds.size());
  if (auto mean = reports::mean_hundredths(hold_seconds)) {
    m.average_hold_hours = reports::ratio_hundredths(*mean, 360000);  // hundredths of a second -> of an hour
  }

  const auto completed = store::reports::orders_paid(uow, from, as_of);
  m.orders_completed = static_cast<int64_t>(completed.size());
  m.cycle = reports::cycle_times(completed);
  m.perfect = reports::perfect_orders(completed, kShipWithinDays);

  m.bank = store::reports::bank_lines_booked(uow, from, as_of);
  m.auto_match_rate = reports::percent_hundredths(m.bank.auto_applied, m.bank.lines);
  return m;
}

json measures_json(const MeasuresReport& m) {
  json out = dso_json(m.dso);
  const int exp = m.dso.header.exponent;
  out["open_disputes"] = m.open_disputes;
  out["disputed_amount"] = format_scaled(m.disputed_minor, exp);
  out["average_dispute_age_days"] = hundredths_json(m.average_dispute_age_days);
  out["orders_placed"] = m.placed.orders;
  out["orders_held"] = m.placed.held;
  out["credit_hold_rate"] = hundredths_json(m.credit_hold_rate);
  out["holds_decided"] = m.holds_decided;
  out["average_hold_hours"] = hundredths_json(m.average_hold_hours);
  out["orders_completed"] = m.orders_completed;
  out["cycle_time"] = {{"order_to_shipped", step_json(m.cycle.order_to_ship)},
                       {"shipped_to_invoiced", step_json(m.cycle.ship_to_invoice)},
                       {"invoiced_to_paid", step_json(m.cycle.invoice_to_pay)},
                       {"order_to_paid", step_json(m.cycle.order_to_cash)}};
  out["perfect_orders"] = m.perfect.perfect;
  out["perfect_order_rate"] = hundredths_json(m.perfect.rate);
  out["ship_within_days"] = kShipWithinDays;
  out["bank_lines"] = m.bank.lines;
  out["bank_lines_auto_applied"] = m.bank.auto_applied;
  out["auto_match_rate"] = hundredths_json(m.auto_match_rate);
  return out;
}

std::string measures_csv(const MeasuresReport& m) {
  std::string out = dso_csv(m.dso);
  const int exp = m.dso.header.exponent;
  const std::string& cur = m.dso.header.currency;
  out += csv_line({"open_disputes", std::to_string(m.open_disputes), "count"});
  out += csv_line({"disputed_amount", format_scaled(m.disputed_minor, exp), cur});
  out += csv_line({"average_dispute_age_days", hundredths_text(m.average_dispute_age_days), "days"});
  out += csv_line({"orders_placed", std::to_string(m.placed.orders), "count"});
  out += csv_line({"orders_held", std::to_string(m.placed.held), "count"});
  out += csv_line({"credit_hold_rate", hundredths_text(m.credit_hold_rate), "percent"});
  out += csv_line({"holds_decided", std::to_string(m.holds_decided), "count"});
  out += csv_line({"average_hold_hours", hundredths_text(m.average_hold_hours), "hours"});
  out += csv_line({"orders_completed", std::to_string(m.orders_completed), "count"});
  auto step = [&](const char* name, const reports::StepTime& s) {
    out += csv_line({std::string(name) + "_median", hundredths_text(s.median_days), "days"});
    out += csv_line({std::string(name) + "_p90", s.p90_days ? std::to_string(*s.p90_days) : "", "days"});
  };
  step("order_to_shipped", m.cycle.order_to_ship);
  step("shipped_to_invoiced", m.cycle.ship_to_invoice);
  step("invoiced_to_paid", m.cycle.invoice_to_pay);
  step("order_to_paid", m.cycle.order_to_cash);
  out += csv_line({"perfect_orders", std::to_string(m.perfect.perfect), "count"});
  out += csv_line({"perfect_order_rate", hundredths_text(m.perfect.rate), "percent"});
  out += csv_line({"bank_lines", std::to_string(m.bank.lines), "count"});
  out += csv_line({"bank_lines_auto_applied", std::to_string(m.bank.auto_applied), "count"});
  out += csv_line({"auto_match_rate", hundredths_text(m.auto_match_rate), "percent"});
  return out;
}

Result<TrialBalanceReport> trial_balance_report(store::UnitOfWork& uow, const ReportQuery& q, Date today) {
  TrialBalanceReport r;
  O2C_ASSIGN_OR_RETURN(r.header, header_of(uow, q, today));
  r.rows = store::ledger::trial_balance(uow, r.header.as_of.to_string());
  for (const auto& row : r.rows) {
    if (!row.currency.empty()) r.header.currency = row.currency;
  }
  r.header.exponent = exponent_of(r.header.currency);
  return r;
}

json trial_balance_json(const TrialBalanceReport& r) {
  const int exp = r.header.exponent;
  json accounts = json::array();
  int64_t debit = 0, credit = 0;
  for (const auto& row : r.rows) {
    debit += row.debit_minor;
    credit += row.credit_minor;
    accounts.push_back({{"code", row.account.code},
                        {"name", row.account.name},
                        {"type", row.account.type},
                        {"debit", format_scaled(row.debit_minor, exp)},
                        {"credit", format_scaled(row.credit_minor, exp)},
                        {"balance", format_scaled(row.debit_minor - row.credit_minor, exp)}});
  }
  return {{"as_of", r.header.as_of.to_string()},
          {"currency", r.header.currency},
          {"accounts", std::move(accounts)},
          {"total_debit", format_scaled(debit, exp)},
          {"total_credit", format_scaled(credit, exp)},
          {"balanced", debit == credit}};
}

std::string trial_balance_csv(const TrialBalanceReport& r) {
  const int exp = r.header.exponent;
  std::string out = csv_line({"code", "name", "type", "debit", "credit", "balance", "currency", "as_of"});
  int64_t debit = 0, credit = 0;
  for (const auto& row : r.rows) {
    debit += row.debit_minor;
    credit += row.credit_minor;
    out += csv_line({row.account.code, row.account.name, row.account.type, format_scaled(row.debit_minor, exp),
                     format_scaled(row.credit_minor, exp), format_scaled(row.debit_minor - row.credit_minor, exp),
                     r.header.currency, r.header.as_of.to_string()});
  }
  out += csv_line({"", "Total", "", format_scaled(debit, exp), format_scaled(credit, exp),
                   format_scaled(debit - credit, exp), r.header.currency, r.header.as_of.to_string()});
  return out;
}

}  // namespace o2c::app
