#include "app/demo_simulation.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string_view>
#include <vector>

#include "app/billing.h"
#include "app/collections.h"
#include "app/demo.h"
#include "app/masterdata.h"
#include "app/orders.h"
#include "app/payments.h"
#include "app/reconciliation.h"
#include "app/shipping.h"
#include "core/decimal.h"
#include "formats/bank/camt_writer.h"
#include "store/bank_repo.h"
#include "store/orders_repo.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using masterdata::Text;

// ---------------------------------------------------------------------------
// Randomness and time

// std::mt19937_64's sequence is fixed by the standard; the distributions of
// <random> are not (each standard library draws differently), so ranges are
// drawn here, by rejection, to give the same demo on every platform.
class DemoRng {
 public:
  explicit DemoRng(uint64_t seed) : g_(seed) {}
  // Uniform in [lo, hi] (inclusive); lo when hi < lo.
  int64_t between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x = g_();
    while (x >= limit) x = g_();
    return lo + static_cast<int64_t>(x % span);
  }
  bool chance(int per_mille) { return between(0, 999) < per_mille; }
  template <typename V>
  const auto& pick(const V& v) {
    return v[static_cast<size_t>(between(0, static_cast<int64_t>(std::size(v)) - 1))];
  }
  // An index drawn in proportion to `cumulative` (running sums of weights > 0).
  size_t weighted(const std::vector<int64_t>& cumulative) {
    const int64_t x = between(0, cumulative.back() - 1);
    return static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
  }

 private:
  std::mt19937_64 g_;
};

// The business date is the simulated day; instants advance a second per
// reading from 07:00 UTC, so that events keep their order within the day.
class SimClock : public Clock {
 public:
  explicit SimClock(Date d) : day_(d) {}
  void set(Date d) {
    day_ = d;
    tick_ = 0;
  }
  Date today() const override { return day_; }
  std::string now_rfc3339() const override {
    const int64_t s = 7 * 3600 + std::min<int64_t>(tick_++, 16 * 3600);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.000Z", day_.to_string().c_str(), static_cast<int>(s / 3600),
                  static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
    return buf;
  }

 private:
  Date day_;
  mutable int64_t tick_ = 0;
};

bool business_day(Date d) { return d.weekday() <= 5; }

std::string amount_text(int64_t minor) { return format_scaled(minor, 2); }
std::string qty_text(int64_t milli) { return format_scaled(milli, 3, /*trim=*/true); }

// A refusal where the simulation expected none: stop with the use case's words.
[[noreturn]] void fail_step(const std::string& step, Error e) {
  e.message = step + ": " + e.code + ": " + e.message + (e.field.empty() ? "" : " (" + e.field + ")");
  throw ErrorException(std::move(e));
}
template <typename T>
T must(Result<T> r, const std::string& step) {
  if (!r.ok()) fail_step(step, r.take_error());
  return std::move(r).value();
}
inline void must(Status s, const std::string& step) {
  if (!s.ok()) fail_step(step, s.take_error());
}

// ---------------------------------------------------------------------------
// The trade: who buys what, and how they pay

enum class Habit { early_discount, on_time, late, chronic, partial };
struct SimCustomer {
  CustomerId id;
  std::string name, currency, iban, terms;
  Habit habit = Habit::on_time;
  bool card = false;            // pays by card, else by bank transfer
  bool consolidated = false;    // billed weekly, not per shipment
  bool accepts_partial = true;  // takes what is in stock now, the rest later
  int64_t credit_limit_minor = 0;
  int weight = 1;               // how often it orders, relative
  int size = 1;                 // quantity multiplier
  int lines_max = 4;
  std::vector<size_t> favorites;  // product indexes
};

struct SimProduct {
  std::string sku, currency;
  int64_t price_e4 = 0, cost_e4 = 0;
  int qty_lo = 1, qty_hi = 10;
  int weight = 1;
  bool in_muc = false;
  bool lean = false;        // kept short: runs out before the supplier delivers
  int lead_days = 5;        // business days from reorder to receipt
  int64_t demand_milli = 0; // units a day (thousandths), smoothed
  int64_t today_units = 0;  // ordered today
  int64_t on_order = 0;     // units reordered, not yet received
  int64_t muc_target = 0;   // what Munich is filled up to
};

struct PendingReceipt {
  int32_t day = 0;  // arrives on this date (days since epoch)
  size_t product = 0;
  bool muc = false;
  int64_t units = 0;
  int64_t cost_e4 = 0;
};

struct SimInvoice {
  size_t customer = 0;
  std::string number, currency, reference;  // reference: the RF creditor reference
  Date issue, due;
  std::optional<Date> discount_date;
  int64_t discount_minor = 0;
  bool fee = false;
  bool disputed = false;
  bool credited = false;
  bool in_flight = false;  // a transfer is on its way (not yet on an imported statement)
};

enum class PlanKind { pay_full, pay_part, pay_rest, dispute, resolve_dispute, return_goods, pay_all };
struct Plan {
  PlanKind kind = PlanKind::pay_full;
  int64_t invoice = 0;   // or the customer index for pay_all
  int64_t dispute = 0;   // resolve_dispute
  int percent = 100;     // pay_part
};

// How a transfer's remittance looks on the statement.
enum class Noise { clean, number_in_text, no_reference, typo, fee_deducted, other_account, foreign_payer };

struct BankTransfer {
  Date booked;
  size_t customer = 0;
  std::vector<int64_t> invoices;
  int64_t amount_minor = 0;
  Noise noise = Noise::clean;
};

// A line the matcher left for a person: what it pays, known to the clerk
// who reads the remittance, looked at some days later.
struct WorkbenchItem {
  int32_t look_day = 0;
  int64_t line_id = 0;
  std::vector<int64_t> invoices;
};

// ---------------------------------------------------------------------------
// Names and catalogue

constexpr std::array<std::string_view, 12> kTrades = {"Café",     "Bäckerei", "Hotel",      "Restaurant",
                                                      "Bistro",   "Kantine",  "Konditorei", "Catering",
                                                      "Rösterei", "Feinkost", "Bar",        "Eiscafé"};
constexpr std::array<std::string_view, 40> kNames = {
    "Morgenrot",  "Am Markt",   "Lindenhof",  "Seeblick",   "Alte Post",  "Sonnenhof",  "Zur Mühle",
    "Rheinblick", "Stadtgarten", "Hafenkante", "Nordlicht",  "Kastanie",   "Elbufer",    "Altstadt",
    "Bergblick",  "Rosengarten", "Kornblume",  "Mühlbach",   "Schlossberg", "Turmblick", "Goldener Anker",
    "Lotse",      "Wiesengrund", "Domplatz",  "Kaiserhof",  "Weinberg",   "Fährhaus",   "Eichenhof",
    "Brunnen",    "Lindenblüte", "Marktplatz", "Uferweg",   "Tannenhof",  "Hafenblick", "Bahnhof",
    "Sternwarte", "Löwen",      "Krone",      "Rathaus",    "Stadtpark"};
struct City {
  const char* country;
  const char* city;
  const char* postcode;
};
constexpr std::array<City, 16> kCities = {{{"DE", "Hamburg", "20095"},  {"DE", "Berlin", "10117"},
                                           {"DE", "München", "80331"}, {"DE", "Köln", "50667"},
                                           {"DE", "Frankfurt am Main", "60311"}, {"DE", "Leipzig", "04109"},
                                           {"DE", "Bremen", "28195"},  {"DE", "Dresden", "01067"},
                                           {"DE", "Hannover", "30159"}, {"DE", "Nürnberg", "90402"},
                                           {"DE", "Stuttgart", "70173"}, {"AT", "Wien", "1010"},
                                           {"AT", "Salzburg", "5020"}, {"NL", "Utrecht", "3511"},
                                           {"BE", "Antwerpen", "2000"}, {"FR", "Strasbourg", "67000"}}};
constexpr std::array<std::string_view, 6> kForms = {"GmbH", "e.K.", "KG", "OHG", "UG", "GmbH & Co. KG"};
constexpr std::array<std::string_view, 12> kStreets = {"Hauptstraße", "Bahnhofstraße", "Marktplatz", "Kirchweg",
                                                       "Gartenstraße", "Schulstraße", "Lindenallee", "Hafenstraße",
                                                       "Mühlenweg",   "Ringstraße",  "Am Anger",    "Bergstraße"};
constexpr std::array<std::string_view, 8> kUsCities = {"Brooklyn", "Portland", "Austin", "Seattle",
                                                       "Chicago",  "Boston",   "Denver", "Oakland"};
constexpr std::array<std::string_view, 6> kUsTrades = {"Coffee Supply", "Roasters", "Provisions",
                                                       "Hospitality Group", "Bakery Co.", "Café Collective"};

struct Category {
  const char* prefix;
  const char* item;
  std::array<const char*, 8> variants;
  std::array<const char*, 3> sizes;
  int price_lo_cents, price_hi_cents;
  const char* tax_rate;
  int qty_lo, qty_hi;
};
constexpr std::array<Category, 10> kCategories = {{
    {"BEAN", "Coffee beans", {"Brazil Santos", "Colombia Huila", "Ethiopia Sidamo", "Guatemala Antigua", "Kenya AA",
                              "Sumatra Mandheling", "Espresso Classico", "Decaf Swiss Water"},
     {"250 g", "500 g", "1 kg"}, 550, 3400, "7", 2, 20},
    {"TEA", "Tea", {"Assam", "Darjeeling", "Earl Grey", "Sencha", "Rooibos", "Peppermint", "Chamomile", "Chai"},
     {"25 bags", "100 bags", "loose 500 g"}, 290, 2200, "7", 2, 15},
    {"SYR", "Syrup", {"Vanilla", "Caramel", "Hazelnut", "Gingerbread", "Coconut", "Almond", "Cinnamon", "Mint"},
     {"0.25 l", "0.7 l", "1 l"}, 390, 1290, "7", 2, 12},
    {"MLK", "Plant drink", {"Oat", "Soy", "Almond", "Coconut", "Rice", "Pea", "Oat barista", "Soy barista"},
     {"1 l", "6 x 1 l", "12 x 1 l"}, 159, 2490, "7", 4, 30},
    {"CUP", "To-go cup", {"white", "kraft", "black", "recycled", "double wall", "ripple", "printed", "compostable"},
     {"8 oz, 50 pcs", "12 oz, 50 pcs", "16 oz, 1000 pcs"}, 390, 8900, "19", 2, 16},
    {"TBL", "Tableware", {"Espresso cup", "Cappuccino cup", "Latte glass", "Saucer", "Dessert plate",
                          "Tea glass", "Milk jug", "Sugar bowl"},
     {"single", "set of 6", "set of 12"}, 290, 6900, "19", 4, 24},
    {"CLN", "Cleaning", {"Cleaning tablets", "Descaler", "Milk system cleaner", "Grinder cleaner", "Brush set",
                         "Microfibre cloths", "Dishwasher tabs", "Surface spray"},
     {"small", "standard", "bulk"}, 590, 4900, "19", 1, 8},
    {"SNK", "Biscuit", {"Cantuccini", "Biscotti", "Amaretti", "Caramel wafer", "Chocolate square", "Shortbread",
                        "Oat cookie", "Brownie bite"},
     {"200 g", "100 pcs", "300 pcs"}, 220, 3900, "7", 3, 30},
    {"SUG", "Sweetener", {"White sugar sticks", "Brown sugar sticks", "Cane sugar cubes", "Sweetener tabs",
                          "Honey portions", "Agave syrup", "Rock candy", "Coconut blossom sugar"},
     {"500 pcs", "1000 pcs", "5 kg"}, 390, 3900, "7", 1, 10},
    {"EQP", "Equipment", {"Burr grinder", "Milk frother", "Tamper", "Knock box", "Barista scale", "Pitcher",
                          "Cold brew tower", "Water filter"},
     {"standard", "pro", "XL"}, 1490, 89000, "19", 1, 3},
}};

constexpr std::array<const char*, 4> kCarriers = {"DHL", "DPD", "UPS", "GLS"};

// What the named products of the base seed sell like: (qty_lo, qty_hi, weight).
struct NamedDemand {
  const char* sku;
  int qty_lo, qty_hi, weight;
};
constexpr std::array<NamedDemand, 8> kNamedDemand = {{{"COF-1KG", 4, 30, 12},
                                                      {"COF-250", 5, 40, 8},
                                                      {"TEA-100", 2, 12, 5},
                                                      {"MUG-01", 6, 24, 4},
                                                      {"GRN-5", 1, 2, 2},
                                                      {"FLT-100", 5, 40, 6},
                                                      {"MLK-OAT", 6, 36, 9},
                                                      {"SVC-CLN", 1, 1, 0}}};  // a service: no stock, not ordered here

// ---------------------------------------------------------------------------

class Simulation {
 public:
  Simulation(store::Database& db, const DemoOptions& opts, std::vector<Date> days)
      : db_(db), opts_(opts), days_(std::move(days)), rng_(opts.seed), clock_(days_.front().add_days(-1)) {}

  DemoSummary run() {
    const auto started = std::chrono::steady_clock::now();
    setup();
    for (size_t i = 0; i < days_.size(); ++i) {
      const Date today = days_[i];
      clock_.set(today);
      const bool new_week = i > 0 && (today.weekday() < days_[i - 1].weekday() ||
                                      Date::days_between(days_[i - 1], today) >= 7);
      if (new_week) {
        bank_statement(today);
        dunning();
      }
      simulate_day(i);
    }
    // The last days' transfers: the statement of the morning after, so
    // that the workbench shows what the bank sent most recently.
    clock_.set(days_.back());
    bank_statement(days_.back().add_days(1));
    summary_.first_day = days_.front();
    summary_.last_day = days_.back();
    summary_.business_days = static_cast<int>(days_.size());
    {
      auto uow = db_.begin(store::TxMode::read);
      summary_.counts = store::summary::counts(*uow, days_.back().to_string());
    }
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary_;
  }

 private:
  // ----- set-up -------------------------------------------------------------

  Actor actor_of(store::UnitOfWork& uow, const char* name, Role role) {
    auto u = store::users::find_by_name(uow, name);
    if (!u) throw ErrorException(Error::internal(std::string("demo user ") + name + " is missing"));
    return Actor{u->id, u->name, role, std::nullopt};
  }

  void setup() {
    const Date day0 = clock_.today();
    must(seed_demo_company(db_, clock_), "seeding the demo company");
    auto uow = db_.begin(store::TxMode::write);
    admin_ = actor_of(*uow, "admin", Role::admin);
    sales_ = actor_of(*uow, "sales", Role::sales);
    credit_ = actor_of(*uow, "credit", Role::credit);
    warehouse_ = actor_of(*uow, "warehouse", Role::warehouse);
    accountant_ = actor_of(*uow, "accountant", Role::accountant);
    Context admin{*uow, admin_, clock_};
    Context acct{*uow, accountant_, clock_};

    // The bank's interest is no customer's money: booked by a rule (its
    // charges are, by the rules every company starts with).
    must(create_posting_rule(acct, {Text("Interest from the bank"), Text("Hausbank"), Text("zinsen"), Text("in"),
                                    Text("interest"), std::nullopt, true}),
         "posting rule for interest");
    usd_rate_e6_ = 920000;
    put_rate(acct);

    make_products(admin);
    make_customers(admin);
    stock_up(*uow);
    uow->commit();
    (void)day0;
  }

  void make_products(Context& admin) {
    // The named products of the base seed first, in their order.
    for (const auto& n : kNamedDemand) {
      auto p = store::products::find_by_sku(admin.uow, n.sku);
      if (!p) throw ErrorException(Error::internal(std::string("named product ") + n.sku + " is missing"));
      SimProduct s;
      s.sku = p->sku;
      s.currency = p->currency;
      s.price_e4 = p->unit_price_e4;
      s.cost_e4 = p->unit_cost_e4.value_or(p->unit_price_e4 / 2);
      s.qty_lo = n.qty_lo;
      s.qty_hi = n.qty_hi;
      s.weight = n.weight;
      s.in_muc = s.sku == "COF-1KG" || s.sku == "MUG-01" || s.sku == "GRN-5";
      s.lead_days = static_cast<int>(rng_.between(4, 9));
      products_.push_back(std::move(s));
    }
    const int generated = opts_.products - static_cast<int>(products_.size());
    const int usd = std::max(6, generated / 12);
    std::map<std::string, int> next_no;
    for (int i = 0; i < generated; ++i) {
      const bool in_usd = i % 12 == 5 || i >= generated - (usd - generated / 12);
      const Category& c = kCategories[static_cast<size_t>(i) % kCategories.size()];
      const size_t v = static_cast<size_t>(i / static_cast<int>(kCategories.size())) % c.variants.size();
      const size_t z = static_cast<size_t>(i / static_cast<int>(kCategories.size() * c.variants.size())) % c.sizes.size();
      const int round = i / static_cast<int>(kCategories.size() * c.variants.size() * c.sizes.size());
      SimProduct s;
      const int no = ++next_no[c.prefix];
      char sku[32];
      std::snprintf(sku, sizeof sku, "%s-%03d%s", c.prefix, no, in_usd ? "-US" : "");
      s.sku = sku;
      std::string name = std::string(c.item) + ", " + c.variants[v] + ", " + c.sizes[z];
      if (round > 0) name += " (line " + std::to_string(round + 1) + ")";
      if (in_usd) name += ", export";
      s.currency = in_usd ? "USD" : "EUR";
      // Larger sizes cost more; the price list ends in .x0 or .x9.
      const int64_t span = c.price_hi_cents - c.price_lo_cents;
      int64_t cents = c.price_lo_cents + span * static_cast<int64_t>(z) / 3 + rng_.between(0, span / 3);
      cents = cents / 10 * 10 + (rng_.chance(500) ? 9 : 0);
      if (in_usd) cents = cents * 11 / 10;
      s.price_e4 = cents * 100;
      s.cost_e4 = s.price_e4 * rng_.between(45, 68) / 100;
      if (in_usd) s.cost_e4 = s.cost_e4 * 100 / 110;  // costs are in the functional currency
      s.qty_lo = c.qty_lo;
      s.qty_hi = c.qty_hi;
      s.weight = rng_.chance(80) ? static_cast<int>(rng_.between(15, 30)) : static_cast<int>(rng_.between(1, 8));
      s.in_muc = !in_usd && rng_.chance(300);
      s.lean = rng_.chance(150);
      s.lead_days = s.lean ? static_cast<int>(rng_.between(8, 16)) : static_cast<int>(rng_.between(3, 9));
      masterdata::ProductDraft d{Text(s.sku),
                                 Text(name),
                                 Text(format_scaled(s.price_e4, 4)),
                                 Text(s.currency),
                                 Text(in_usd ? "0" : c.tax_rate),
                                 Text(in_usd ? "G" : "S"),
                                 Text(format_scaled(s.cost_e4, 4))};
      must(create_product(admin, d), "product " + s.sku);
      products_.push_back(std::move(s));
    }
  }

  static std::string street_address(DemoRng& r, const City& c) {
    return std::string(r.pick(kStreets)) + " " + std::to_string(r.between(1, 120)) + ", " + c.postcode + " " + c.city;
  }

  std::string digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng_.between(0, 9));
    return s;
  }

  std::string iban_for(const std::string& country) {
    namespace fb = formats::bank;
    if (country == "AT") return fb::iban_with_check_digits("AT", digits(16));
    if (country == "NL") return fb::iban_with_check_digits("NL", "RABO" + digits(10));
    if (country == "BE") return fb::iban_with_check_digits("BE", digits(12));
    if (country == "FR") return fb::iban_with_check_digits("FR", digits(23));
    return fb::iban_with_check_digits("DE", digits(18));
  }

  std::vector<size_t> pick_favorites(const std::string& currency, int count) {
    std::vector<size_t> pool;
    std::vector<int64_t> cumulative;
    int64_t sum = 0;
    for (size_t p = 0; p < products_.size(); ++p) {
      if (products_[p].currency != currency || products_[p].weight == 0) continue;
      pool.push_back(p);
      sum += products_[p].weight;
      cumulative.push_back(sum);
    }
    std::vector<size_t> out;
    if (pool.empty()) return out;
    count = std::min<int>(count, static_cast<int>(pool.size()));
    std::set<size_t> seen;
    for (int tries = 0; static_cast<int>(out.size()) < count && tries < count * 20; ++tries) {
      const size_t p = pool[rng_.weighted(cumulative)];
      if (seen.insert(p).second) out.push_back(p);
    }
    return out;
  }

  void make_customers(Context& admin) {
    // The five named customers of the base seed, each with a character.
    struct Named {
      Habit habit;
      bool card, consolidated;
      int weight, size;
      const char* terms;
    };
    constexpr std::array<Named, 5> kNamed = {{{Habit::on_time, false, false, 6, 2, "NET30"},
                                              {Habit::early_discount, true, false, 3, 1, "2/10NET30"},
                                              {Habit::late, false, true, 5, 2, "NET14"},
                                              {Habit::on_time, true, false, 4, 2, "NET30"},
                                              {Habit::chronic, false, false, 2, 1, "DUE"}}};
    for (size_t i = 0; i < kNamed.size(); ++i) {
      auto c = store::customers::find(admin.uow, CustomerId(static_cast<int64_t>(i) + 1));
      if (!c) throw ErrorException(Error::internal("named customer " + std::to_string(i + 1) + " is missing"));
      SimCustomer s;
      s.id = c->id;
      s.name = c->name;
      s.currency = c->currency;
      s.iban = c->iban.value_or("");
      s.credit_limit_minor = c->credit_limit_minor;
      s.terms = kNamed[i].terms;
      s.habit = kNamed[i].habit;
      s.card = kNamed[i].card;
      s.consolidated = kNamed[i].consolidated;
      s.weight = kNamed[i].weight;
      s.size = kNamed[i].size;
      s.lines_max = 4;
      s.favorites = pick_favorites(s.currency, 10);
      if (s.currency == "EUR") {
        // The named products are what the named customers buy most.
        for (size_t p = 0; p < 7; ++p) {
          if (std::find(s.favorites.begin(), s.favorites.end(), p) == s.favorites.end()) s.favorites.push_back(p);
        }
      }
      customers_.push_back(std::move(s));
    }
    // The rest: habits, payment by card, consolidated billing and a small
    // credit limit in fixed rotations, so that even a small company has every
    // kind; one in fourteen buys in US dollars.
      constexpr std::array<Habit, 20> kHabits = {
        Habit::on_time, Habit::late,    Habit::on_time, Habit::early_discount, Habit::on_time,
        Habit::chronic, Habit::on_time, Habit::partial, Habit::late,           Habit::on_time,
        Habit::on_time, Habit::early_discount, Habit::on_time, Habit::late,   Habit::on_time,
        Habit::partial, Habit::on_time, Habit::late,    Habit::on_time,        Habit::on_time};
    constexpr int64_t kNameSpace = static_cast<int64_t>(kTrades.size() * kNames.size() * kCities.size());
    for (int i = 0; i < opts_.customers - static_cast<int>(kNamed.size()); ++i) {
      SimCustomer s;
      const bool usd = i % 14 == 3;
      s.habit = kHabits[static_cast<size_t>(i) % kHabits.size()];
      s.currency = usd ? "USD" : "EUR";
      const int64_t k = (static_cast<int64_t>(i) * 7919 + static_cast<int64_t>(opts_.seed % 997)) % kNameSpace;
      const City& city = kCities[static_cast<size_t>(k / static_cast<int64_t>(kTrades.size() * kNames.size()))];
      std::string country = city.country, address, vat;
      if (usd) {
        const std::string where(kUsCities[static_cast<size_t>(i / 14) % kUsCities.size()]);
        s.name = where + " " + std::string(kUsTrades[static_cast<size_t>(i / 14 / 8 + i) % kUsTrades.size()]) +
                 (i % 2 ? " LLC" : " Inc.");
        if (i >= 14 * 48) s.name += " " + std::to_string(i);
        country = "US";
        address = std::to_string(rng_.between(10, 999)) + " Main St, " + where;
      } else {
        s.name = std::string(kTrades[static_cast<size_t>(k % static_cast<int64_t>(kTrades.size()))]) + " " +
                 std::string(kNames[static_cast<size_t>(k / static_cast<int64_t>(kTrades.size()) %
                                                         static_cast<int64_t>(kNames.size()))]) +
                 " " + city.city + " " + std::string(rng_.pick(kForms));
        if (i >= kNameSpace) s.name += " " + std::to_string(i);
        address = street_address(rng_, city);
        s.iban = iban_for(country);
        vat = country == "AT" ? "ATU" + digits(8) : country == "NL" ? "NL" + digits(9) + "B01"
                              : country == "BE" ? "BE0" + digits(9) : country + digits(country == "FR" ? 11 : 9);
      }
      if (s.habit == Habit::early_discount) {
        s.terms = "2/10NET30";
      } else {
        const int64_t t = rng_.between(0, 99);
        s.terms = t < 60 ? "NET30" : t < 85 ? "NET14" : t < 93 ? "2/10NET30" : "DUE";
      }
      s.card = usd ? i % 28 != 17 : i % 7 == 4;
      s.consolidated = !usd && i % 10 == 6;
      s.accepts_partial = rng_.chance(700);
      const int64_t size = rng_.between(0, 99);
      s.weight = size < 55 ? 1 : size < 88 ? 3 : 8;
      s.size = size < 55 ? 1 : size < 88 ? 2 : 3;
      s.lines_max = static_cast<int>(rng_.between(2, 7));
      s.favorites = pick_favorites(s.currency, static_cast<int>(rng_.between(10, 35)));
      if (s.favorites.empty()) continue;  // no product in its currency
      // The limit covers what is usually open (two months of orders, or
      // five orders for those who order rarely), except for new customers
      // given a small limit to start with: their orders wait for the credit
      // desk more often than not.
      const int64_t order = expected_order_minor(s);
      const int64_t usual = std::max(order * orders_per_month(s) * 2, order * 5);
      const int64_t factor = i % 5 == 2 ? rng_.between(25, 60) : rng_.between(100, 200);
      const int64_t limit = std::max<int64_t>(200000, usual * factor / 100 / 100000 * 100000);
      s.credit_limit_minor = limit;
      masterdata::CustomerDraft d{Text(s.name),
                                  Text("ap" + std::to_string(i + 6) + "@customer.example"),
                                  Text(s.currency),
                                  Text(amount_text(limit)),
                                  Text(s.terms),
                                  vat.empty() ? Text() : Text(vat),
                                  Text(country),
                                  Text(address),
                                  s.iban.empty() ? Text() : Text(s.iban),
                                  Text(),
                                  Text(s.consolidated ? "consolidated" : "per_shipment"),
                                  Text()};
      auto created = must(create_customer(admin, d), "customer " + s.name);
      s.id = created.customer.id;
      customers_.push_back(std::move(s));
    }
    int64_t sum = 0;
    for (size_t i = 0; i < customers_.size(); ++i) {
      customer_by_id_[customers_[i].id.value()] = i;
      cumulative_weight_.push_back(sum += customers_[i].weight);
    }
    total_weight_ = sum;
  }

  // Gross value of one of the customer's orders, on average, minor units.
  int64_t expected_order_minor(const SimCustomer& c) const {
    if (c.favorites.empty()) return 0;
    int64_t per_line = 0;
    for (size_t p : c.favorites) {
      const auto& x = products_[p];
      per_line += x.price_e4 / 100 * (x.qty_lo + x.qty_hi) / 2 * (x.qty_hi > 3 ? c.size : 1);
    }
    per_line /= static_cast<int64_t>(c.favorites.size());
    return per_line * (1 + c.lines_max) / 2 * 115 / 100;
  }
  // Orders in a month (21 business days); customers are made one by one, so
  // the total weight is estimated (the average weight is about 2.5).
  int64_t orders_per_month(const SimCustomer& c) const {
    return std::max<int64_t>(1, 21LL * opts_.orders_per_day * c.weight * 2 / (static_cast<int64_t>(opts_.customers) * 5));
  }

  // Opening stock: a few weeks of expected demand, less for the lean ones.
  void stock_up(store::UnitOfWork& uow) {
    Context wh{uow, warehouse_, clock_};
    // Expected daily units per product, from the customers' favorites.
    std::vector<int64_t> demand(products_.size(), 0);  // thousandths of a unit a day
    for (const auto& c : customers_) {
      if (c.favorites.empty()) continue;
      const int64_t orders_milli = 1000LL * opts_.orders_per_day * c.weight / std::max<int64_t>(1, total_weight_);
      const int64_t lines = (1 + c.lines_max) / 2;
      for (size_t p : c.favorites) {
        const auto& x = products_[p];
        demand[p] += orders_milli * lines * (x.qty_lo + x.qty_hi) / 2 * c.size /
                     static_cast<int64_t>(c.favorites.size());
      }
    }
    for (size_t p = 0; p < products_.size(); ++p) {
      auto& x = products_[p];
      x.demand_milli = demand[p];
      if (x.weight == 0) continue;
      const int64_t per_day = std::max<int64_t>(1, demand[p] / 1000);
      const int64_t days = x.lean ? rng_.between(3, 8) : rng_.between(15, 35);
      int64_t units = per_day * days;
      if (p < kNamedDemand.size()) {
        // The base seed stocked the named products already; top them up.
        units = std::max<int64_t>(0, units - 400);
      }
      if (units > 0) receive(wh, p, false, units, x.cost_e4, "A-" + std::to_string(1 + p % 40));
      if (x.in_muc) {
        x.muc_target = std::max<int64_t>(2, units / 3);
        receive(wh, p, true, x.muc_target, x.cost_e4, "M-" + std::to_string(1 + p % 20));
      }
    }
  }

  void receive(Context& wh, size_t p, bool muc, int64_t units, int64_t cost_e4, const std::string& bin = "") {
    ReceiptDraft d{Text(muc ? "MUC" : "HAM"), Text(products_[p].sku), Text(std::to_string(units)),
                   Text(format_scaled(cost_e4, 4)), Text(), bin.empty() ? Text() : Text(bin)};
    must(receive_stock(wh, d), "stock receipt of " + products_[p].sku);
    ++receipts_;
  }

  void put_rate(Context& acct) {
    must(put_fx_rate(acct, {Text("USD"), Text(clock_.today().to_string()), Text(format_scaled(usd_rate_e6_, 6))}),
         "exchange rate");
  }

  // ----- a day -----------------------------------------------------------------

  void simulate_day(size_t index) {
    const Date today = days_[index];
    auto uow = db_.begin(store::TxMode::write);
    Context sales{*uow, sales_, clock_};
    Context credit{*uow, credit_, clock_};
    Context wh{*uow, warehouse_, clock_};
    Context acct{*uow, accountant_, clock_};

    // The dollar drifts a little every day (EUR per USD, six decimals).
    usd_rate_e6_ = std::clamp<int64_t>(usd_rate_e6_ + rng_.between(-3000, 3000), 850000, 990000);
    put_rate(acct);

    arrivals(wh, today);
    credit_desk(credit, today);
    deliveries(wh, today);
    ship(wh, sales, today);
    place_orders(sales, today);
    run_plans(acct, today);
    workbench(acct, today);
    if (today.weekday() == 5 || index + 1 == days_.size()) billing_run(acct);
    replenish(*uow, today);
    uow->commit();
  }

  void arrivals(Context& wh, Date today) {
    std::vector<PendingReceipt> later;
    for (const auto& r : pending_receipts_) {
      if (r.day > today.days()) {
        later.push_back(r);
        continue;
      }
      receive(wh, r.product, r.muc, r.units, r.cost_e4);
      if (!r.muc) products_[r.product].on_order -= r.units;
    }
    pending_receipts_ = std::move(later);
  }

  std::vector<order::Order> orders_with_status(store::UnitOfWork& uow, order::OrderStatus status) {
    std::vector<order::Order> out;
    store::PageRequest page{0, 200};
    for (;;) {
      auto batch = list_orders(uow, {status, std::nullopt}, page);
      for (auto& o : batch) out.push_back(std::move(o));
      if (static_cast<int>(batch.size()) < page.limit) break;
      page.after = out.back().id.value();
    }
    return out;
  }

  int age_days(OrderId id, Date today) const {
    auto it = placed_on_.find(id.value());
    return it == placed_on_.end() ? 1000 : today.days() - it->second;
  }

  size_t customer_index(CustomerId id) const {
    auto it = customer_by_id_.find(id.value());
    if (it == customer_by_id_.end()) throw ErrorException(Error::internal("unknown customer " + id.to_string()));
    return it->second;
  }

  // The credit team works through yesterday's held orders: most are let
  // through, those of bad payers and those far over the limit are refused.
  void credit_desk(Context& credit, Date today) {
    for (const auto& o : orders_with_status(credit.uow, order::OrderStatus::credit_hold)) {
      const int age = age_days(o.id, today);
      if (age < 1 || (age < 3 && !rng_.chance(600))) continue;
      const SimCustomer& c = customers_[customer_index(o.customer_id)];
      bool blocked = false, overdue = false;
      for (const auto& r : o.hold_reasons) {
        blocked = blocked || r.code == "credit_blocked";
        overdue = overdue || r.code == "overdue_invoices";
      }
      int approve = 800;
      if (c.habit == Habit::chronic) approve -= 500;
      if (c.habit == Habit::late) approve -= 200;
      if (blocked) approve -= 300;
      if (overdue) approve -= 150;
      if (o.total_minor > c.credit_limit_minor) approve -= 400;  // the order alone is beyond the limit
      if (rng_.chance(std::max(approve, 80))) {
        static constexpr std::array<const char*, 4> kWhy = {
            "long-standing customer, limit review pending", "prepayment agreed by phone",
            "payment confirmed by the customer's bank", "seasonal peak, approved once"};
        must(approve_order(credit, o.id, Text(rng_.pick(kWhy))), "approving " + o.number);
        ++summary_.holds_approved;
      } else {
        static constexpr std::array<const char*, 3> kWhy = {
            "overdue invoices: deliveries stop until they are paid", "over the credit limit, no security offered",
            "credit insurer declined the exposure"};
        must(reject_order(credit, o.id, Text(rng_.pick(kWhy))), "rejecting " + o.number);
        ++summary_.holds_rejected;
      }
    }
  }

  void deliveries(Context& wh, Date today) {
    std::vector<std::pair<int32_t, int64_t>> later;
    for (const auto& [day, id] : to_deliver_) {
      if (day > today.days()) {
        later.emplace_back(day, id);
        continue;
      }
      must(deliver_shipment(wh, id, Text()), "delivering shipment " + std::to_string(id));
      ++summary_.deliveries;
    }
    to_deliver_ = std::move(later);
  }

  // The warehouse ships what orders placed before today have reserved:
  // everything when it is complete; a backordered order when the customer
  // takes part deliveries or has waited long enough. Now and then a large
  // order leaves in two loads.
  void ship(Context& wh, Context& sales, Date today) {
    std::vector<order::Order> live = orders_with_status(wh.uow, order::OrderStatus::open);
    for (auto& o : orders_with_status(wh.uow, order::OrderStatus::partially_shipped)) live.push_back(std::move(o));
    std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) { return a.id.value() < b.id.value(); });
    for (const auto& o : live) {
      const int age = age_days(o.id, today);
      if (age < 1) continue;
      int64_t remaining = 0, reserved = 0;
      for (const auto& l : o.lines) {
        remaining += l.quantity - l.shipped;
        reserved += l.reserved;
      }
      const SimCustomer& c = customers_[customer_index(o.customer_id)];
      if (reserved == 0) {
        // Nothing to send for weeks: the customer buys elsewhere.
        if (o.status == order::OrderStatus::open && age > 25 && rng_.chance(200)) {
          must(cancel_order(sales, o.id, Text("customer cancelled: waited too long for stock")),
               "cancelling " + o.number);
          ++summary_.orders_cancelled;
        }
        continue;
      }
      const bool complete = reserved == remaining;
      if (!complete && !c.accepts_partial && age < 8) continue;
      ShipmentDraft d;
      d.order_id = o.id.to_string();
      d.carrier = std::string(c.currency == "USD" ? "FedEx" : rng_.pick(kCarriers));
      d.tracking_number = "JD" + digits(12);
      if (complete && o.status == order::OrderStatus::open && o.lines.size() >= 3 && rng_.chance(70)) {
        std::vector<ShipmentLineDraft> first;
        for (size_t i = 0; i < o.lines.size() / 2; ++i) {
          first.push_back({Text(o.lines[i].sku), Text(qty_text(o.lines[i].reserved))});
        }
        d.lines = std::move(first);
      }
      auto s = must(create_shipment(wh, d), "shipping " + o.number);
      if (!complete || d.lines) ++summary_.shipments_partial;
      to_deliver_.emplace_back(today.add_days(static_cast<int32_t>(rng_.between(1, 4))).days(), s.id);
      if (auto inv = invoice_of_shipment(wh.uow, s.id)) register_invoice(wh.uow, inv->first, today);
    }
  }

  void place_orders(Context& sales, Date today) {
    const int mean = opts_.orders_per_day;
    const int64_t n = rng_.between(std::max(1, mean * 2 / 3), std::max(1, mean * 4 / 3));
    for (int64_t k = 0; k < n; ++k) {
      const size_t ci = rng_.weighted(cumulative_weight_);
      const SimCustomer& c = customers_[ci];
      OrderDraft d;
      d.customer_id = c.id.to_string();
      if (rng_.chance(400)) d.external_ref = "PO-" + digits(6);
      const int64_t lines = rng_.between(1, std::min<int64_t>(c.lines_max, static_cast<int64_t>(c.favorites.size())));
      std::set<size_t> used;
      for (int64_t l = 0; l < lines; ++l) {
        const size_t p = c.favorites[static_cast<size_t>(rng_.between(0, static_cast<int64_t>(c.favorites.size()) - 1))];
        if (!used.insert(p).second) continue;
        auto& x = products_[p];
        const int64_t qty = rng_.between(x.qty_lo, x.qty_hi) * (x.qty_hi > 3 ? c.size : 1);
        x.today_units += qty;
        d.lines.push_back({Text(x.sku), Text(std::to_string(qty)), Text()});
      }
      auto o = must(place_order(sales, d), "placing an order of " + c.name);
      placed_on_[o.id.value()] = today.days();
      ++summary_.orders_placed;
      if (o.status == order::OrderStatus::credit_hold) {
        ++summary_.orders_held;
      } else {
        for (const auto& l : o.lines) {
          if (l.reserved < l.quantity) {
            ++summary_.orders_backordered;
            break;
          }
        }
      }
    }
  }

  void billing_run(Context& acct) {
    for (const auto& inv : must(run_billing(acct, Text()), "billing run")) {
      register_invoice_record(inv, clock_.today());
    }
  }

  // Reorders what will run short before a delivery could arrive, from the
  // smoothed demand; Munich is filled up when it runs low.
  void replenish(store::UnitOfWork& uow, Date today) {
    std::map<std::string, size_t> by_sku;
    for (size_t p = 0; p < products_.size(); ++p) by_sku[products_[p].sku] = p;
    std::vector<int64_t> available(products_.size(), 0), muc(products_.size(), 0);
    store::stock::Cursor after;
    for (;;) {
      auto rows = store::stock::list(uow, std::nullopt, after, 500);
      for (const auto& r : rows) {
        auto it = by_sku.find(r.sku);
        if (it == by_sku.end()) continue;
        const int64_t units = r.available().milli() / 1000;
        available[it->second] += units;
        if (r.warehouse_code == "MUC") muc[it->second] += units;
      }
      if (rows.size() < 500) break;
      after = {rows.back().product_id.value(), rows.back().warehouse_id.value()};
    }
    std::vector<int64_t> backordered(products_.size(), 0);
    for (auto status : {order::OrderStatus::open, order::OrderStatus::partially_shipped}) {
      for (const auto& o : orders_with_status(uow, status)) {
        for (const auto& l : o.lines) {
          auto it = by_sku.find(l.sku);
          if (it != by_sku.end()) backordered[it->second] += (l.quantity - l.shipped - l.reserved) / 1000;
        }
      }
    }
    for (size_t p = 0; p < products_.size(); ++p) {
      auto& x = products_[p];
      x.demand_milli = (x.demand_milli * 9 + x.today_units * 1000) / 10;
      x.today_units = 0;
      if (x.weight == 0) continue;
      const int64_t per_day = std::max<int64_t>(1, x.demand_milli / 1000);
      const int64_t position = available[p] + x.on_order - backordered[p];
      const int64_t reorder_point = per_day * (x.lead_days + (x.lean ? 0 : 4));
      if (position < reorder_point) {
        const int64_t units = reorder_point - position + per_day * (x.lean ? 8 : 20);
        const int64_t cost = x.cost_e4 * rng_.between(97, 104) / 100;
        pending_receipts_.push_back(
            {business_days_after(today, x.lead_days + static_cast<int>(rng_.between(0, 2))).days(), p, false, units,
             cost});
        x.on_order += units;
      }
      if (x.in_muc && muc[p] * 5 < x.muc_target && !muc_ordered_.count(p)) {
        pending_receipts_.push_back({business_days_after(today, 5).days(), p, true, x.muc_target, x.cost_e4});
        muc_ordered_.insert(p);
      }
    }
    // A Munich order counts as open until it arrives.
    std::set<size_t> still;
    for (const auto& r : pending_receipts_) {
      if (r.muc) still.insert(r.product);
    }
    muc_ordered_ = std::move(still);
  }

  static Date business_days_after(Date d, int n) {
    while (n > 0) {
      d = d.add_days(1);
      if (business_day(d)) --n;
    }
    return d;
  }

  // ----- invoices and what the customers do with them -----------------------

  void register_invoice(store::UnitOfWork& uow, int64_t id, Date today) {
    register_invoice_record(must(get_invoice(uow, id), "reading invoice " + std::to_string(id)), today);
  }

  void schedule(Date when, Plan p) { plans_.emplace(when.days(), p); }

  void register_invoice_record(const billing::Invoice& inv, Date today) {
    SimInvoice s;
    s.customer = customer_index(inv.customer_id);
    s.number = inv.number;
    s.currency = inv.currency;
    s.reference = inv.creditor_reference.value_or("");
    s.issue = Date::parse(inv.issue_date).value();
    s.due = Date::parse(inv.due_date).value();
    if (inv.discount_date && inv.discount_minor && *inv.discount_minor > 0) {
      s.discount_date = Date::parse(*inv.discount_date).value();
      s.discount_minor = *inv.discount_minor;
    }
    s.fee = inv.series == billing::kFeeSeries;
    invoices_[inv.id] = s;
    const SimCustomer& c = customers_[s.customer];
    if (s.fee && rng_.chance(60)) return;  // a few never pay a reminder fee
    if (!s.fee && rng_.chance(25)) {
      // The customer finds something wrong and disputes before paying.
      schedule(today.add_days(static_cast<int32_t>(rng_.between(2, 10))), {PlanKind::dispute, inv.id});
      return;
    }
    if (!s.fee && rng_.chance(12)) {
      schedule(today.add_days(static_cast<int32_t>(rng_.between(3, 12))), {PlanKind::return_goods, inv.id});
    }
    plan_payment(inv.id, c, s, today);
  }

  void plan_payment(int64_t id, const SimCustomer& c, const SimInvoice& s, Date from) {
    const Date due = std::max(s.due, from);
    switch (c.habit) {
      case Habit::early_discount:
        if (s.discount_date && *s.discount_date > from && rng_.chance(850)) {
          const int32_t window = Date::days_between(from, *s.discount_date);
          schedule(from.add_days(static_cast<int32_t>(rng_.between(1, std::max(1, window - 1)))),
                   {PlanKind::pay_full, id});
        } else {
          schedule(due.add_days(static_cast<int32_t>(rng_.between(-4, 1))), {PlanKind::pay_full, id});
        }
        return;
      case Habit::on_time:
        schedule(due.add_days(static_cast<int32_t>(rng_.chance(60) ? rng_.between(10, 25) : rng_.between(-5, 2))),
                 {PlanKind::pay_full, id});
        return;
      case Habit::late:
        schedule(due.add_days(static_cast<int32_t>(rng_.between(5, 40))), {PlanKind::pay_full, id});
        return;
      case Habit::chronic:
        if (rng_.chance(200)) return;  // waits for the final notice, or for ever
        schedule(due.add_days(static_cast<int32_t>(rng_.between(25, 120))), {PlanKind::pay_full, id});
        return;
      case Habit::partial: {
        Plan p{PlanKind::pay_part, id};
        p.percent = static_cast<int>(rng_.between(30, 70));
        schedule(due.add_days(static_cast<int32_t>(rng_.between(-3, 10))), p);
        schedule(due.add_days(static_cast<int32_t>(rng_.between(15, 40))), {PlanKind::pay_rest, id});
        return;
      }
    }
  }

  void run_plans(Context& acct, Date today) {
    std::vector<Plan> due;
    for (auto it = plans_.begin(); it != plans_.end() && it->first <= today.days();) {
      due.push_back(it->second);
      it = plans_.erase(it);
    }
    // Transfers a customer sends on one day may go as one.
    std::map<size_t, std::vector<std::pair<int64_t, int64_t>>> transfers;  // customer -> (invoice, amount)
    for (const auto& p : due) {
      switch (p.kind) {
        case PlanKind::pay_full:
        case PlanKind::pay_part:
        case PlanKind::pay_rest: pay(acct, p, today, transfers); break;
        case PlanKind::dispute: dispute(acct, p.invoice, today); break;
        case PlanKind::resolve_dispute: resolve(acct, p, today); break;
        case PlanKind::return_goods: return_goods(acct, p.invoice, today); break;
        case PlanKind::pay_all: pay_all(acct, static_cast<size_t>(p.invoice)); break;
      }
    }
    for (auto& [ci, items] : transfers) {
      const bool together = items.size() > 1 && items.size() <= 6 && rng_.chance(500);
      if (together) {
        BankTransfer t{today, ci, {}, 0, Noise::number_in_text};
        for (const auto& [inv, amount] : items) {
          t.invoices.push_back(inv);
          t.amount_minor += amount;
        }
        queue_transfer(std::move(t));
        continue;
      }
      for (const auto& [inv, amount] : items) queue_transfer({today, ci, {inv}, amount, noise()});
    }
  }

  Noise noise() {
    const int64_t x = rng_.between(0, 999);
    if (x < 640) return Noise::clean;
    if (x < 800) return Noise::number_in_text;
    if (x < 850) return Noise::no_reference;
    if (x < 890) return Noise::typo;
    if (x < 930) return Noise::fee_deducted;
    if (x < 970) return Noise::other_account;
    return Noise::foreign_payer;
  }

  void queue_transfer(BankTransfer t) {
    for (int64_t id : t.invoices) invoices_[id].in_flight = true;
    ++summary_.bank_transfers;
    transfers_.push_back(std::move(t));
  }

  // The open amount the customer would pay today, or 0 when there is
  // nothing to pay (paid, credited) or it must wait (disputed, on its way).
  int64_t payable(store::UnitOfWork& uow, int64_t id, billing::Invoice* out = nullptr) {
    auto it = invoices_.find(id);
    if (it == invoices_.end() || it->second.disputed || it->second.in_flight) return 0;
    auto inv = must(get_invoice(uow, id), "reading invoice " + std::to_string(id));
    if (out) *out = inv;
    return inv.open_minor;
  }

  void pay(Context& acct, const Plan& p, Date today,
           std::map<size_t, std::vector<std::pair<int64_t, int64_t>>>& transfers) {
    const int64_t open = payable(acct.uow, p.invoice);
    if (open <= 0) return;
    SimInvoice& s = invoices_[p.invoice];
    const SimCustomer& c = customers_[s.customer];
    int64_t amount = open;
    if (p.kind == PlanKind::pay_part) amount = std::max<int64_t>(1, open * p.percent / 100);
    if (p.kind == PlanKind::pay_full && c.habit == Habit::early_discount && s.discount_date &&
        today <= *s.discount_date && !s.credited) {
      amount = open - s.discount_minor;  // the early-payment discount, taken
    }
    if (amount <= 0) return;
    if (c.card) {
      PaymentDraft d;
      d.customer_id = c.id.to_string();
      d.amount = amount_text(amount);
      d.currency = c.currency;
      d.method = "card";
      d.reference = "card ch_" + digits(14);
      d.allocations = std::vector<AllocationDraft>{{Text(std::to_string(p.invoice)), Text(amount_text(amount))}};
      must(record_payment(acct, d), "card payment for " + s.number);
      ++summary_.card_payments;
      return;
    }
    s.in_flight = true;  // once: a promise and the old plan may fall on one day
    transfers[s.customer].emplace_back(p.invoice, amount);
  }

  // After a final notice: everything open, at once.
  void pay_all(Context& acct, size_t ci) {
    const SimCustomer& c = customers_[ci];
    store::invoices::ListFilter f;
    f.kind = billing::DocumentKind::invoice;
    f.customer = c.id;
    f.open_only = true;
    std::vector<std::pair<int64_t, int64_t>> items;
    for (const auto& inv : list_invoices(acct.uow, f, {0, 200})) {
      auto it = invoices_.find(inv.id);
      if (it == invoices_.end() || it->second.disputed || it->second.in_flight || inv.open_minor <= 0) continue;
      items.emplace_back(inv.id, inv.open_minor);
    }
    if (items.empty()) return;
    if (c.card) {
      int64_t total = 0;
      std::vector<AllocationDraft> allocations;
      for (const auto& [id, amount] : items) {
        total += amount;
        allocations.push_back({Text(std::to_string(id)), Text(amount_text(amount))});
      }
      PaymentDraft d{Text(c.id.to_string()), Text(amount_text(total)), Text(c.currency), Text("card"),
                     Text("card ch_" + digits(14)), Text(), std::move(allocations)};
      must(record_payment(acct, d), "card payment of everything open of " + c.name);
      ++summary_.card_payments;
      return;
    }
    for (size_t i = 0; i < items.size(); i += 6) {
      BankTransfer t{clock_.today(), ci, {}, 0, Noise::number_in_text};
      for (size_t k = i; k < std::min(items.size(), i + 6); ++k) {
        t.invoices.push_back(items[k].first);
        t.amount_minor += items[k].second;
      }
      queue_transfer(std::move(t));
    }
  }

  void dispute(Context& acct, int64_t id, Date today) {
    const int64_t open = payable(acct.uow, id);
    if (open <= 0) return;
    static constexpr std::array<const char*, 5> kWhy = {
        "goods arrived damaged", "quantity short of the delivery note", "price differs from the agreed price list",
        "delivered after the agreed date", "wrong item delivered"};
    auto d = must(open_dispute(acct, id, {Text(rng_.pick(kWhy)), Text()}), "opening a dispute");
    invoices_[id].disputed = true;
    ++summary_.disputes_opened;
    Plan p{PlanKind::resolve_dispute, id};
    p.dispute = d.id;
    schedule(business_days_after(today, static_cast<int>(rng_.between(4, 20))), p);
  }

  // A credit note for part of the invoice: one line, some of its quantity.
  std::optional<CreditNoteDraft> partial_credit(const billing::Invoice& inv, const char* reason) {
    if (inv.lines.empty()) return std::nullopt;
    const auto& l = inv.lines[static_cast<size_t>(rng_.between(0, static_cast<int64_t>(inv.lines.size()) - 1))];
    const int64_t units = l.quantity / 1000;
    if (units < 1) return std::nullopt;
    CreditNoteDraft cn;
    cn.reason = reason;
    if (!rng_.chance(200)) {  // else the whole invoice
      cn.lines = std::vector<CreditNoteLineDraft>{
          {Text(l.sku), Text(std::to_string(std::max<int64_t>(1, rng_.between(1, std::max<int64_t>(1, units / 3)))))}};
    }
    return cn;
  }

  void resolve(Context& acct, const Plan& p, Date today) {
    SimInvoice& s = invoices_[p.invoice];
    auto inv = must(get_invoice(acct.uow, p.invoice), "reading invoice " + std::to_string(p.invoice));
    ResolveDraft d;
    std::optional<CreditNoteDraft> cn;
    if (rng_.chance(550) && inv.open_minor > 0) cn = partial_credit(inv, "Dispute upheld");
    if (cn && credit_fits(acct.uow, inv, *cn)) {
      d.outcome = "upheld";
      d.resolution = "credited as agreed with the customer";
      d.credit_note = cn;
      ++summary_.disputes_upheld;
      s.credited = true;
    } else {
      d.outcome = "rejected";
      d.resolution = "delivery note signed without remarks";
      ++summary_.disputes_rejected;
    }
    must(resolve_dispute(acct, p.dispute, d), "resolving dispute " + std::to_string(p.dispute));
    s.disputed = false;
    const SimCustomer& c = customers_[s.customer];
    // Settled: the customer pays what is left within a couple of weeks.
    Plan pay{PlanKind::pay_full, p.invoice};
    schedule(today.add_days(static_cast<int32_t>(rng_.between(2, c.habit == Habit::chronic ? 40 : 14))), pay);
  }

  // Only credit what the invoice still has open: a credit note beyond it
  // would become customer credit, which these customers do not ask for.
  bool credit_fits(store::UnitOfWork&, const billing::Invoice& inv, const CreditNoteDraft& cn) {
    if (!cn.lines) return inv.open_minor == inv.total_minor;
    for (const auto& l : inv.lines) {
      if (l.sku != *(*cn.lines)[0].sku) continue;
      const int64_t units = std::stoll(*(*cn.lines)[0].quantity);
      const int64_t net = l.line_net_minor * units * 1000 / std::max<int64_t>(1, l.quantity);
      return net * 130 / 100 < inv.open_minor;  // tax included, with room
    }
    return false;
  }

  void return_goods(Context& acct, int64_t id, Date) {
    billing::Invoice inv;
    if (payable(acct.uow, id, &inv) <= 0) return;
    auto cn = partial_credit(inv, "Goods returned: damaged in transit");
    if (!cn || !cn->lines || !credit_fits(acct.uow, inv, *cn)) return;
    must(issue_credit_note(acct, id, *cn), "crediting returned goods on " + inv.number);
    invoices_[id].credited = true;
    ++summary_.returns_credited;
  }

  // ----- the bank --------------------------------------------------------------

  static std::string typo(std::string s, DemoRng& r) {
    std::vector<size_t> at;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] >= '0' && s[i] <= '9') at.push_back(i);
    }
    if (at.size() < 2) return s;
    const size_t i = at[at.size() - 1 - static_cast<size_t>(r.between(0, std::min<int64_t>(2, static_cast<int64_t>(at.size()) - 1)))];
    s[i] = static_cast<char>('0' + (s[i] - '0' + 1 + r.between(0, 8)) % 10);
    return s;
  }

  formats::bank::CamtEntry entry_of(const BankTransfer& t) {
    const SimCustomer& c = customers_[t.customer];
    formats::bank::CamtEntry e;
    e.amount_minor = t.amount_minor;
    e.booking_date = t.booked.to_string();
    e.bank_reference = "DEMO" + t.booked.to_string() + "-" + std::to_string(++bank_refs_);
    e.counterparty_name = c.name;
    e.counterparty_iban = c.iban;
    std::string numbers;
    for (int64_t id : t.invoices) numbers += (numbers.empty() ? "" : ", ") + invoices_[id].number;
    const SimInvoice& first = invoices_[t.invoices.front()];
    switch (t.noise) {
      case Noise::clean:
        e.structured_reference = first.reference;
        if (e.structured_reference.empty()) e.remittance = numbers;
        break;
      case Noise::number_in_text:
        e.remittance = (t.invoices.size() > 1 ? "Rechnungen " : "Rechnung ") + numbers;
        break;
      case Noise::no_reference: e.remittance = rng_.chance(500) ? "Zahlung" : ""; break;
      case Noise::typo: e.remittance = "RE " + typo(first.number, rng_); break;
      case Noise::fee_deducted:
        e.structured_reference = first.reference;
        e.amount_minor = std::max<int64_t>(1, t.amount_minor - rng_.between(50, 1500));
        break;
      case Noise::other_account:
        e.counterparty_iban = c.currency == "USD" ? "" : iban_for("DE");
        e.remittance = "Invoice " + numbers;
        break;
      case Noise::foreign_payer:
        e.counterparty_name = c.currency == "USD" ? "Northwind Holdings Ltd" : "Contoso Treasury BV";
        e.counterparty_iban = formats::bank::iban_with_check_digits("NL", "ABNA" + digits(10));
        e.remittance = "PAYMENT " + digits(6);
        break;
    }
    return e;
  }

  // Monday morning: last week's statement of each account arrives, is
  // imported and reconciled; the clerk's workbench gets what is left.
  void bank_statement(Date today) {
    struct Account {
      const char* currency;
      std::string iban;
      int64_t* balance;
    };
    const Account accounts[] = {{"EUR", kEurAccount, &eur_balance_}, {"USD", usd_account(), &usd_balance_}};
    std::vector<formats::bank::CamtStatementWithEntries> statements;
    std::map<std::string, std::vector<int64_t>> truth;  // bank reference -> invoices paid
    const std::string from = last_statement_to_.days() > 0 ? last_statement_to_.add_days(1).to_string()
                                                           : days_.front().to_string();
    const Date last_day = today.add_days(-1);
    for (const auto& a : accounts) {
      formats::bank::CamtStatementWithEntries s;
      s.statement.statement_id = std::string("STMT-") + a.currency + "-" + last_day.to_string();
      s.statement.created_date = last_day.to_string();
      s.statement.account_iban = a.iban;
      s.statement.currency = a.currency;
      s.statement.opening_minor = *a.balance;
      s.statement.opening_date = from;
      for (const auto& t : transfers_) {
        if (customers_[t.customer].currency != a.currency || t.booked >= today) continue;
        auto e = entry_of(t);
        truth[e.bank_reference] = t.invoices;
        *a.balance += e.amount_minor;
        s.entries.push_back(std::move(e));
      }
      if (std::string(a.currency) == "EUR") {
        // The bank's own lines: charges every week, interest at month end,
        // and now and then money that is nobody's invoice.
        formats::bank::CamtEntry fee;
        fee.amount_minor = -rng_.between(1290, 3990);
        fee.booking_date = last_day.to_string();
        fee.bank_reference = "DEMO" + last_day.to_string() + "-" + std::to_string(++bank_refs_);
        fee.domain = "ACMT";
        fee.family = "MDOP";
        fee.sub_family = "CHRG";
        fee.counterparty_name = "Hausbank Hamburg";
        fee.remittance = "Kontoführung und Buchungsposten";
        *a.balance += fee.amount_minor;
        s.entries.push_back(std::move(fee));
        if (last_day.add_days(7).month() != last_day.month()) {
          formats::bank::CamtEntry interest = s.entries.back();
          interest.amount_minor = rng_.between(200, 4000);
          interest.bank_reference = "DEMO" + last_day.to_string() + "-" + std::to_string(++bank_refs_);
          interest.domain = "PMNT";
          interest.family = "RCDT";
          interest.sub_family = "ESCT";
          interest.remittance = "Habenzinsen";
          *a.balance += interest.amount_minor;
          s.entries.push_back(std::move(interest));
        }
        if (rng_.chance(250)) {
          formats::bank::CamtEntry other;
          other.amount_minor = rng_.between(2000, 90000);
          other.booking_date = last_day.to_string();
          other.bank_reference = "DEMO" + last_day.to_string() + "-" + std::to_string(++bank_refs_);
          other.counterparty_name = rng_.chance(500) ? "Allianz Versicherungs-AG" : "Finanzamt Hamburg-Mitte";
          other.counterparty_iban = iban_for("DE");
          other.remittance = "Erstattung " + digits(8);
          *a.balance += other.amount_minor;
          s.entries.push_back(std::move(other));
        }
      }
      s.statement.closing_minor = *a.balance;
      s.statement.closing_date = last_day.to_string();
      summary_.bank_lines_generated += static_cast<int64_t>(s.entries.size());
      if (!s.entries.empty()) statements.push_back(std::move(s));
    }
    std::vector<BankTransfer> later;
    for (auto& t : transfers_) {
      if (t.booked >= today) later.push_back(std::move(t));
    }
    transfers_ = std::move(later);
    last_statement_to_ = last_day;
    if (statements.empty()) return;

    std::vector<int64_t> statement_ids;
    {
      auto uow = db_.begin(store::TxMode::write);
      Context acct{*uow, accountant_, clock_};
      const std::string file =
          formats::bank::write_camt053("DEMO-" + last_day.to_string(), last_day.to_string(), statements);
      StatementUpload up;
      up.content = file;
      up.content_type = "application/xml";
      up.file_name = "camt053-" + last_day.to_string() + ".xml";
      auto imported = must(import_statement(acct, up), "importing the bank statement of " + last_day.to_string());
      for (const auto& s : imported.statements) statement_ids.push_back(s.id);
      uow->commit();
    }
    must(run_reconciliation(db_, clock_, accountant_, {}), "reconciling");
    // Whatever the matcher booked or not, the transfer has arrived: a line
    // left open waits for the clerk, who knows what it pays once read.
    auto uow = db_.begin(store::TxMode::read);
    for (int64_t sid : statement_ids) {
      store::PageRequest page{0, 500};
      for (;;) {
        auto lines = store::bank::list_lines(*uow, {std::nullopt, sid}, page);
        for (const auto& l : lines) {
          auto it = truth.find(l.bank_reference.value_or(""));
          if (it == truth.end()) continue;
          if (l.status != "matched") {
            workbench_.push_back({business_days_after(today, static_cast<int>(rng_.between(2, 12))).days(), l.id,
                                  it->second});
          } else {
            for (int64_t id : it->second) invoices_[id].in_flight = false;
          }
        }
        if (static_cast<int>(lines.size()) < page.limit) break;
        page.after = lines.back().id;
      }
    }
  }

  // The clerk matches the lines the matcher could not place, by hand, when
  // the invoices they pay are still open; a few stay for the real user.
  void workbench(Context& acct, Date today) {
    std::vector<WorkbenchItem> later;
    for (auto& w : workbench_) {
      if (w.look_day > today.days()) {
        later.push_back(std::move(w));
        continue;
      }
      for (int64_t id : w.invoices) invoices_[id].in_flight = false;
      auto line = store::bank::find_line(acct.uow, w.line_id);
      if (!line || line->status == "matched" || line->amount_minor <= 0 || rng_.chance(80)) continue;
      int64_t left = line->amount_minor;
      std::vector<AllocationDraft> allocations;
      for (int64_t id : w.invoices) {
        auto inv = must(get_invoice(acct.uow, id), "reading invoice " + std::to_string(id));
        if (inv.open_minor <= 0 || invoices_[id].disputed || left <= 0) continue;
        const int64_t a = std::min(left, inv.open_minor);
        allocations.push_back({Text(std::to_string(id)), Text(amount_text(a))});
        left -= a;
      }
      if (allocations.empty()) continue;
      must(match_line(acct, w.line_id, {std::move(allocations), Text()}), "matching bank line by hand");
      ++summary_.lines_matched_by_hand;
    }
    workbench_ = std::move(later);
  }

  // ----- collections -----------------------------------------------------------

  void dunning() {
    auto uow = db_.begin(store::TxMode::write);
    Context acct{*uow, accountant_, clock_};
    auto run = must(run_dunning(acct, Text()), "dunning run");
    ++summary_.dunning_runs;
    const Date today = clock_.today();
    for (const auto& n : run.notices) {
      const size_t ci = customer_index(n.customer_id);
      const SimCustomer& c = customers_[ci];
      if (n.fee_invoice_id) register_invoice(*uow, *n.fee_invoice_id, today);
      if (n.level >= 3 && c.habit != Habit::on_time && rng_.chance(c.habit == Habit::chronic ? 500 : 800)) {
        schedule(today.add_days(static_cast<int32_t>(rng_.between(2, 10))), {PlanKind::pay_all, static_cast<int64_t>(ci)});
      } else if (n.level == 2 && rng_.chance(300)) {
        promise(acct, ci, today);
      }
    }
    uow->commit();
  }

  // On the phone after a second reminder: "we pay the oldest on ...".
  void promise(Context& acct, size_t ci, Date today) {
    int64_t oldest = 0;
    Date oldest_due = today;
    for (const auto& [id, s] : invoices_) {
      if (s.customer != ci || s.disputed || s.in_flight || s.fee || s.due >= oldest_due) continue;
      oldest = id;
      oldest_due = s.due;
    }
    if (oldest == 0 || payable(acct.uow, oldest) <= 0) return;
    const Date on = today.add_days(static_cast<int32_t>(rng_.between(5, 15)));
    must(promise_to_pay(acct, oldest, {Text(on.to_string()), Text("promised by phone")}), "promise to pay");
    schedule(on, {PlanKind::pay_full, oldest});
    ++summary_.promises;
  }

  // ----- state ---------------------------------------------------------------

  std::string usd_account() const { return formats::bank::iban_with_check_digits("DE", "512108001245126200"); }
  static constexpr const char* kEurAccount = "DE75512108001245126199";  // the company's, from the base seed

  store::Database& db_;
  DemoOptions opts_;
  std::vector<Date> days_;
  DemoRng rng_;
  SimClock clock_;
  Actor admin_, sales_, credit_, warehouse_, accountant_;
  std::vector<SimProduct> products_;
  std::vector<SimCustomer> customers_;
  std::vector<int64_t> cumulative_weight_;
  int64_t total_weight_ = 1;
  std::map<int64_t, size_t> customer_by_id_;
  std::map<int64_t, int32_t> placed_on_;  // order id -> day placed
  std::vector<PendingReceipt> pending_receipts_;
  std::set<size_t> muc_ordered_;
  std::vector<std::pair<int32_t, int64_t>> to_deliver_;  // (day, shipment id)
  std::map<int64_t, SimInvoice> invoices_;
  std::multimap<int32_t, Plan> plans_;
  std::vector<BankTransfer> transfers_;
  std::vector<WorkbenchItem> workbench_;
  Date last_statement_to_;
  int64_t eur_balance_ = 4825000, usd_balance_ = 1250000;
  int64_t bank_refs_ = 0;
  int64_t usd_rate_e6_ = 920000;
  int64_t receipts_ = 0;
  DemoSummary summary_;
};

}  // namespace

Result<DemoSummary> run_demo(store::Database& db, const DemoOptions& opts) {
  auto range = [](int v, int lo, int hi, const char* field) -> Status {
    if (v < lo || v > hi) {
      return Error::invalid("invalid_demo_option",
                            std::string(field) + " must be from " + std::to_string(lo) + " to " + std::to_string(hi),
                            field);
    }
    return {};
  };
  O2C_TRY(range(opts.days, kDemoDaysMin, kDemoDaysMax, "days"));
  O2C_TRY(range(opts.customers, kDemoCustomersMin, kDemoCustomersMax, "customers"));
  O2C_TRY(range(opts.products, kDemoProductsMin, kDemoProductsMax, "products"));
  O2C_TRY(range(opts.orders_per_day, kDemoOrdersPerDayMin, kDemoOrdersPerDayMax, "orders_per_day"));
  if (!opts.end) return Error::invalid("invalid_demo_option", "end: the last day to simulate is required", "end");
  {
    auto uow = db.begin(store::TxMode::read);
    if (store::company::get(*uow)) {
      return Error::conflict("demo_needs_empty_database",
                             "the database has a company already: the demo simulates on a new one");
    }
  }
  // The business days, oldest first, ending on `end` or the working day before it.
  std::vector<Date> days;
  for (Date d = *opts.end; static_cast<int>(days.size()) < opts.days; d = d.add_days(-1)) {
    if (business_day(d)) days.push_back(d);
  }
  std::reverse(days.begin(), days.end());
  try {
    Simulation sim(db, opts, std::move(days));
    return sim.run();
  } catch (const ErrorException& e) {
    return e.error;
  }
}

std::string demo_summary_text(const DemoSummary& s) {
  const auto& c = s.counts;
  auto get = [](const std::map<std::string, int64_t>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? int64_t{0} : it->second;
  };
  auto join = [](const std::map<std::string, int64_t>& m) {
    std::string out;
    for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
    return out.empty() ? std::string("none") : out;
  };
  char buf[2048];
  std::string out;
  std::snprintf(buf, sizeof buf, "demo company: %d business days, %s to %s, in %.1f s\n", s.business_days,
                s.first_day.to_string().c_str(), s.last_day.to_string().c_str(), s.seconds);
  out += buf;
  std::snprintf(buf, sizeof buf, "  customers   %lld (%lld in USD), products %lld, warehouses %lld\n",
                static_cast<long long>(c.customers), static_cast<long long>(c.customers_usd),
                static_cast<long long>(c.products), static_cast<long long>(c.warehouses));
  out += buf;
  std::snprintf(buf, sizeof buf,
                "  orders      %lld placed: %lld on credit hold (%lld approved, %lld rejected by the credit desk), "
                "%lld backordered, %lld cancelled\n",
                static_cast<long long>(s.orders_placed), static_cast<long long>(s.orders_held),
                static_cast<long long>(s.holds_approved), static_cast<long long>(s.holds_rejected),
                static_cast<long long>(s.orders_backordered), static_cast<long long>(s.orders_cancelled));
  out += buf;
  out += "              now " + join(c.orders_by_status) + "\n";
  std::snprintf(buf, sizeof buf,
                "  stock       %lld receipts; shipments %lld (%lld partial, %lld orders shipped in parts), %lld "
                "delivered\n",
                static_cast<long long>(c.stock_receipts), static_cast<long long>(c.shipments),
                static_cast<long long>(s.shipments_partial), static_cast<long long>(c.orders_shipped_in_parts),
                static_cast<long long>(s.deliveries));
  out += buf;
  int64_t invoices = 0;
  for (const auto& [k, v] : c.invoices_by_status) invoices += v;
  std::snprintf(buf, sizeof buf,
                "  invoices    %lld (%lld in USD, %lld dunning fee invoices): %s; %lld overdue on %s\n",
                static_cast<long long>(invoices), static_cast<long long>(c.invoices_usd),
                static_cast<long long>(c.fee_invoices), join(c.invoices_by_status).c_str(),
                static_cast<long long>(c.invoices_overdue), s.last_day.to_string().c_str());
  out += buf;
  std::snprintf(buf, sizeof buf, "  credit notes %lld (%lld for returns, %lld for upheld disputes)\n",
                static_cast<long long>(c.credit_notes), static_cast<long long>(s.returns_credited),
                static_cast<long long>(s.disputes_upheld));
  out += buf;
  out += "  payments    " + join(c.payments_by_method) + "\n";
  std::snprintf(buf, sizeof buf,
                "  bank        %lld statements, %lld lines: %lld matched (%lld by posting rule, %lld by hand), "
                "%lld suggested, %lld unmatched\n",
                static_cast<long long>(c.bank_statements), static_cast<long long>(s.bank_lines_generated),
                static_cast<long long>(get(c.bank_lines_by_status, "matched")),
                static_cast<long long>(c.bank_lines_posted), static_cast<long long>(s.lines_matched_by_hand),
                static_cast<long long>(get(c.bank_lines_by_status, "suggested")),
                static_cast<long long>(get(c.bank_lines_by_status, "unmatched")));
  out += buf;
  std::string levels;
  int64_t notices = 0;
  for (const auto& [l, n] : c.notices_by_level) {
    levels += (levels.empty() ? "" : ", ") + ("level " + std::to_string(l)) + " " + std::to_string(n);
    notices += n;
  }
  std::snprintf(buf, sizeof buf, "  dunning     %lld runs, %lld notices (%s), %lld promises to pay\n",
                static_cast<long long>(s.dunning_runs), static_cast<long long>(notices),
                levels.empty() ? "none" : levels.c_str(), static_cast<long long>(c.promises));
  out += buf;
  std::snprintf(buf, sizeof buf, "  disputes    %lld opened: %lld upheld, %lld rejected, %lld open\n",
                static_cast<long long>(s.disputes_opened), static_cast<long long>(s.disputes_upheld),
                static_cast<long long>(s.disputes_rejected),
                static_cast<long long>(get(c.disputes_by_status, "open")));
  out += buf;
  std::snprintf(buf, sizeof buf, "  ledger      %lld entries; audit trail %lld events\n",
                static_cast<long long>(c.ledger_entries), static_cast<long long>(c.audit_events));
  out += buf;
  return out;
}

}  // namespace o2c::app
