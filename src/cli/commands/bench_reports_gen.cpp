#include "cli/commands/bench_reports_gen.h"

#include <algorithm>

#include "cli/commands/bench_support.h"
#include "core/currency.h"
#include "core/error.h"
#include "domain/billing/invoice.h"

namespace o2c::cli::repgen {
namespace {

using store::fixture::AllocationRow;
using store::fixture::CustomerRow;
using store::fixture::InvoiceRow;
using store::fixture::PaymentRow;

constexpr const char* kOpenEnded = "9999-12-31";
constexpr int64_t kEurRateE10 = 10000000000;
constexpr const char* kSeller = R"({"name":"Nordlicht Kaffee GmbH","country":"DE","vat_id":"DE811907980"})";

// A draw for (seed, what, salt): independent streams per purpose, so that
// changing how one thing is drawn leaves the others as they were.
uint64_t draw(uint64_t seed, uint64_t what, uint64_t salt) {
  return mix(seed ^ mix(what * 0x9e3779b97f4a7c15ULL + salt));
}

enum Salt : uint64_t {
  kCustomerTerms = 1,
  kCustomerKind,
  kCustomerDelay,
  kCustomerName,
  kInvoiceCustomer,
  kInvoiceAmount,
  kInvoiceFate,
  kInvoiceDetail,
  kInvoiceNoise,
};

constexpr const char* kSurnames[] = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
                                     "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf",
                                     "Schröder", "Neumann", "Zimmermann", "Braun", "Krüger", "Hartmann"};
constexpr const char* kTrades[] = {"Kaffeehaus", "Hotel", "Bäckerei", "Feinkost", "Catering", "Bistro",
                                   "Büroservice", "Kantine", "Rösterei", "Handel"};

Money money(int64_t minor, const std::string& code) { return Money(minor, *Currency::of(code)); }

int64_t functional(int64_t minor, const std::string& currency, int64_t rate_e10) {
  if (rate_e10 == kEurRateE10) return minor;
  auto m = billing::to_functional(money(minor, currency), rate_e10, *Currency::of("EUR"));
  if (!m.ok()) throw ErrorException(Error::internal("bench reports: " + m.error().message));
  return m->minor();
}

std::string day_time(Date d, const char* time) { return d.to_string() + time; }

}  // namespace

int64_t usd_rate_e10(Date d) {
  return 9100000000 + static_cast<int64_t>((static_cast<uint32_t>(d.days()) * 7919u) % 400u) * 1000000;
}

std::vector<CustomerRow> make_customers(const Options& o) {
  std::vector<CustomerRow> out;
  out.reserve(static_cast<size_t>(o.customers));
  const std::string at = day_time(o.today.add_days(-kHistoryDays - 30), "T08:00:00Z");
  for (int c = 0; c < o.customers; ++c) {
    const uint64_t t = draw(o.seed, static_cast<uint64_t>(c), kCustomerTerms);
    const uint64_t k = draw(o.seed, static_cast<uint64_t>(c), kCustomerKind);
    const uint64_t n = draw(o.seed, static_cast<uint64_t>(c), kCustomerName);
    CustomerRow r;
    r.id = c + 1;
    const bool usd = k % 100 < 5;
    r.name = std::string(kSurnames[n % std::size(kSurnames)]) + " " + kTrades[(n >> 8) % std::size(kTrades)] +
             (usd ? " Inc. " : " GmbH ") + std::to_string(c + 1);
    r.email = "ap" + std::to_string(c + 1) + "@customer.example";
    r.currency = usd ? "USD" : "EUR";
    r.country = usd ? "US" : "DE";
    const int terms = static_cast<int>(t % 10);
    r.payment_terms = terms < 3 ? "NET14" : terms < 8 ? "NET30" : "NET60";
    r.credit_limit_minor = static_cast<int64_t>(1 + (k >> 8) % 50) * 1000000;
    r.created_at = at;
    out.push_back(std::move(r));
  }
  return out;
}

History::History(const Options& o) : o_(o) {
  for (const auto& r : make_customers(o)) {
    const uint64_t k = draw(o.seed, static_cast<uint64_t>(r.id - 1), kCustomerKind);
    const uint64_t d = draw(o.seed, static_cast<uint64_t>(r.id - 1), kCustomerDelay);
    Customer c;
    c.terms = r.payment_terms;
    c.terms_days = r.payment_terms == "NET14" ? 14 : r.payment_terms == "NET30" ? 30 : 60;
    c.usd = r.currency == "USD";
    c.direct_debit = (k >> 16) % 10 == 0;
    // How customers pay: most near the due date, some a little early, some
    // late, a few very late.
    const int habit = static_cast<int>(d % 100);
    if (c.direct_debit || habit < 40) {
      c.delay_base = -5, c.delay_spread = 9;
    } else if (habit < 75) {
      c.delay_base = 0, c.delay_spread = 21;
    } else if (habit < 95) {
      c.delay_base = 10, c.delay_spread = 36;
    } else {
      c.delay_base = 30, c.delay_spread = 91;
    }
    c.buyer = R"({"name":")" + r.name + R"(","country":")" + r.country + R"("})";
    customers_.push_back(std::move(c));
  }
}

bool History::next(int64_t n, Chunk& out) {
  out.invoices.clear();
  out.credit_notes.clear();
  out.payments.clear();
  out.allocations.clear();
  if (next_invoice_ >= o_.invoices || o_.customers < 1) return false;
  const int64_t end = std::min(o_.invoices, next_invoice_ + std::max<int64_t>(1, n));
  for (; next_invoice_ < end; ++next_invoice_) one(next_invoice_, out);
  return true;
}

void History::one(int64_t k, Chunk& out) {
  const uint64_t uk = static_cast<uint64_t>(k);
  const Date first = o_.today.add_days(-(kHistoryDays - 1));
  const Date issue = first.add_days(static_cast<int32_t>(k * kHistoryDays / o_.invoices));

  // Half the invoices go to the tenth of the customers that buy most.
  const uint64_t rc = draw(o_.seed, uk, kInvoiceCustomer);
  const int big = std::max(1, o_.customers / 10);
  const int ci = static_cast<int>((rc & 1) ? (rc >> 1) % static_cast<uint64_t>(big)
                                           : (rc >> 1) % static_cast<uint64_t>(o_.customers));
  const Customer& cu = customers_[static_cast<size_t>(ci)];

  InvoiceRow v;
  v.id = k + 1;
  v.kind = "invoice";
  v.series = billing::kInvoiceSeries;
  v.year = issue.year();
  if (v.year != invoice_year_) invoice_year_ = v.year, invoice_seq_ = 0;
  v.seq = ++invoice_seq_;
  v.number = billing::document_number(v.series, v.year, v.seq);
  v.customer_id = ci + 1;
  v.issue_date = issue.to_string();
  const Date due = issue.add_days(cu.terms_days);
  v.due_date = due.to_string();
  v.payment_terms = cu.terms;
  v.currency = cu.usd ? "USD" : "EUR";
  v.fx_rate_e10 = cu.usd ? usd_rate_e10(issue) : kEurRateE10;
  // Many small invoices, fewer large ones: 20-500, 500-5 000, 5 000-50 000.
  const uint64_t ra = draw(o_.seed, uk, kInvoiceAmount);
  const uint64_t size = ra % 1000, amount = ra >> 10;
  v.net_total_minor = static_cast<int64_t>(size < 600   ? 2000 + amount % 48000
                                           : size < 950 ? 50000 + amount % 450000
                                                        : 500000 + amount % 4500000);
  const int64_t rate_bp = (ra >> 40) % 10 == 0 ? 700 : 1900;
  v.tax_total_minor = (v.net_total_minor * rate_bp + 5000) / 10000;
  v.total_minor = v.net_total_minor + v.tax_total_minor;
  v.total_functional_minor = functional(v.total_minor, v.currency, v.fx_rate_e10);
  v.seller = kSeller;
  v.buyer = cu.buyer;
  v.created_at = day_time(issue, "T10:00:00Z");

  // What happens to it, each event no earlier than the one before; the
  // history stops at today.
  const uint64_t rf = draw(o_.seed, uk, kInvoiceFate);
  const uint64_t rd = draw(o_.seed, uk, kInvoiceDetail);
  const uint64_t rn = draw(o_.seed, uk, kInvoiceNoise);
  const int fate = static_cast<int>(rf % 1000);
  const int32_t noise = static_cast<int32_t>(rn % 11) - 3;
  Date pay = due.add_days(cu.delay_base + static_cast<int32_t>((rf >> 10) % static_cast<uint64_t>(cu.delay_spread)) +
                          noise);
  if (pay < issue) pay = issue;
  const int pct = 30 + static_cast<int>((rd >> 8) % 41);  // a part: 30-70 %

  enum class Kind { pay, credit, bounce };
  struct Event {
    Kind kind;
    Date on;
    int64_t amount_minor;  // 0: whatever is open then
  };
  std::vector<Event> events;
  const int64_t part = std::max<int64_t>(1, v.total_minor * pct / 100);
  if (fate < 20) {
    // Never paid.
  } else if (fate < 35) {
    events.push_back({Kind::pay, pay, part});
  } else if (fate < 75) {
    events.push_back({Kind::pay, pay, part});
    events.push_back({Kind::pay, pay.add_days(10 + static_cast<int32_t>((rd >> 20) % 31)), 0});
  } else if (fate < 85) {
    const Date bounced = pay.add_days(3 + static_cast<int32_t>((rd >> 20) % 8));
    events.push_back({Kind::pay, pay, 0});
    events.push_back({Kind::bounce, bounced, 0});
    if ((rd >> 32) % 4 != 0) events.push_back({Kind::pay, bounced.add_days(5 + static_cast<int32_t>((rd >> 36) % 26)), 0});
  } else if (fate < 110) {
    const Date credited = issue.add_days(2 + static_cast<int32_t>((rd >> 20) % 24));
    const bool whole = (rd >> 32) % 4 == 0;
    events.push_back({Kind::credit, credited, whole ? 0 : std::max<int64_t>(1, v.total_minor * (pct - 20) / 100)});
    if (!whole) events.push_back({Kind::pay, std::max(pay, credited), 0});
  } else {
    events.push_back({Kind::pay, pay, 0});
  }

  int64_t open = v.total_minor, open_f = v.total_functional_minor;
  size_t last_payment = 0;  // index in out.payments of the latest payment (for a bounce)
  size_t last_allocation = 0;
  for (const Event& e : events) {
    if (e.on > o_.today) break;
    const std::string on = e.on.to_string();
    if (e.kind == Kind::bounce) {
      PaymentRow& p = out.payments[last_payment];
      AllocationRow& a = out.allocations[last_allocation];
      p.status = "reversed";
      p.reversed_on = on;
      p.reversal_reason = "returned by the bank: insufficient funds";
      a.reversed_on = on;
      open += a.amount_minor;
      open_f += a.functional_minor;
      ++counts_.reversed_payments;
      continue;
    }
    const int64_t amount = e.amount_minor == 0 ? open : std::min(e.amount_minor, open);
    if (amount <= 0) continue;
    // The item closes at exactly its open functional amount; a part at the
    // invoice's rate, never more than is open.
    const int64_t amount_f =
        amount == open ? open_f : std::min(functional(amount, v.currency, v.fx_rate_e10), open_f);
    AllocationRow a;
    a.id = next_allocation_id_++;
    a.invoice_id = v.id;
    a.amount_minor = amount;
    a.functional_minor = amount_f;
    a.applied_on = on;
    a.created_at = day_time(e.on, "T12:00:00Z");
    a.customer_id = v.customer_id;
    a.days_after_due = Date::days_between(due, e.on);
    if (e.kind == Kind::credit) {
      InvoiceRow cn;
      cn.id = o_.invoices + 1 + credit_notes_++;
      cn.kind = "credit_note";
      cn.series = billing::kCreditNoteSeries;
      cn.year = e.on.year();
      cn.seq = ++credit_seq_[cn.year];
      cn.number = billing::document_number(cn.series, cn.year, cn.seq);
      cn.customer_id = v.customer_id;
      cn.credited_invoice_id = v.id;
      cn.status = "issued";
      cn.issue_date = cn.due_date = on;
      cn.payment_terms = v.payment_terms;
      cn.currency = v.currency;
      cn.net_total_minor = amount * v.net_total_minor / v.total_minor;
      cn.tax_total_minor = amount - cn.net_total_minor;
      cn.total_minor = amount;
      cn.fx_rate_e10 = v.fx_rate_e10;  // a credit note undoes the invoice at its rate
      cn.total_functional_minor = functional(amount, v.currency, v.fx_rate_e10);
      cn.settled_on = kOpenEnded;  // as issue_credit_note leaves it: credit notes are not aged
      cn.reason = (rd >> 44) % 2 ? "damaged in transit" : "price correction";
      cn.seller = kSeller;
      cn.buyer = cu.buyer;
      cn.created_at = a.created_at;
      a.source_type = "credit_note";
      a.source_id = std::to_string(cn.id);
      out.credit_notes.push_back(std::move(cn));
      ++counts_.credit_notes;
    } else {
      PaymentRow p;
      p.id = next_payment_id_++;
      p.customer_id = v.customer_id;
      p.currency = v.currency;
      p.method = cu.direct_debit ? "direct_debit" : "bank_transfer";
      p.reference = v.number;
      p.received_on = on;
      p.amount_minor = amount;
      p.fx_rate_e10 = cu.usd ? usd_rate_e10(e.on) : kEurRateE10;
      p.amount_functional_minor = functional(amount, v.currency, p.fx_rate_e10);
      p.status = "received";
      p.created_at = day_time(e.on, "T11:00:00Z");
      a.source_type = "payment";
      a.source_id = std::to_string(p.id);
      last_payment = out.payments.size();
      out.payments.push_back(std::move(p));
      ++counts_.payments;
    }
    open -= amount;
    open_f -= amount_f;
    last_allocation = out.allocations.size();
    out.allocations.push_back(std::move(a));
    ++counts_.allocations;
  }

  // Status and settled_on from the live allocations, as the use cases set
  // them (billing::invoice_status, invoices_repo set_settlement).
  int64_t credited = 0, paid = 0;
  std::string last_live;
  for (auto it = out.allocations.rbegin(); it != out.allocations.rend() && it->invoice_id == v.id; ++it) {
    if (it->reversed_on) continue;
    (it->source_type == "credit_note" ? credited : paid) += it->amount_minor;
    last_live = std::max(last_live, it->applied_on);
  }
  v.open_minor = open;
  v.open_functional_minor = open_f;
  v.status = std::string(billing::to_string(billing::invoice_status(v.total_minor, open, credited, paid)));
  v.settled_on = open == 0 ? (last_live.empty() ? v.issue_date : last_live) : kOpenEnded;
  ++counts_.invoices;
  if (open == 0) {
    ++counts_.paid;
  } else {
    ++counts_.open;
    counts_.open_minor += open_f;
  }
  out.invoices.push_back(std::move(v));
}

}  // namespace o2c::cli::repgen
