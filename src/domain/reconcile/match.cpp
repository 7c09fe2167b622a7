#include "domain/reconcile/match.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "domain/reconcile/names.h"
#include "domain/reconcile/reference.h"
#include "domain/reconcile/subset.h"

namespace o2c::reconcile {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// ---- The scoring table (docs/decisions.md, "Cash application") ----------
// A candidate's score is what names the invoices + how the amount fits +
// what the payer says, clamped to 0..100. The numbers are set so that, with
// the default threshold 90, exactly these auto-apply: a reference printed in
// full (or RF) with a fitting amount; a weaker reference (short form, typo,
// order reference) only when the payer confirms it; the payer's IBAN (or
// exact name) with an amount that fits one invoice or one set of them.

// Reference strength.
constexpr int kRefRf = 70;             // check digits hold: no typo can produce it
constexpr int kRefNumberFull = 65;     // "INV-2026-000042", "inv2026000042", "Rechnung 2026-000042"
constexpr int kRefNumberShort = 58;    // "2026 42": could be something else that looks alike
constexpr int kRefOrder = 62;          // the customer's own order reference
constexpr int kRefTypo = 55;           // one edit from exactly one invoice
constexpr int kRefRfBadCheck = 55;     // RF whose check digits fail, body found as text
constexpr int kRefTypoAmbiguous = 40;  // one edit from several invoices: never enough

// Amount against the referenced invoice(s).
constexpr int kAmtExact = 25;          // open, discounted inside the window, or short by fees within tolerance
constexpr int kAmtPartialClear = 15;   // less than the open amount of the one invoice the line names exactly
constexpr int kAmtOverpaid = 10;       // more than is open: the rest becomes customer credit
constexpr int kAmtOther = 0;

// Payer against the referenced invoice's customer.
constexpr int kPayerIbanConfirms = 10;
constexpr int kPayerSharedIbanConfirms = 5;
constexpr int kPayerNameExactConfirms = 6;
constexpr int kPayerNameFuzzyConfirms = 3;
constexpr int kPayerIbanContradicts = -30;      // the money came from another customer's account
constexpr int kPayerNameContradicts = -10;  // a payer name that resembles someone else

// Payer rules: who paid, then how the amount fits that payer's open items.
constexpr int kPayerIban = 65;
constexpr int kPayerSharedIban = 50;  // an account several customers share, the name does not settle it
constexpr int kPayerNameExact = 62;
constexpr int kPayerNameFuzzy = 50;
constexpr int kPayerNameAmbiguous = 45;
constexpr int kAmtOneInvoice = 28;
constexpr int kAmtOneInvoiceFee = 25;
constexpr int kAmtSubset = 25;
constexpr int kAmtSubsetFee = 22;

// Penalties on amount-only candidates.
constexpr int kNamesOtherInvoice = -20;  // the text names an invoice this candidate leaves out
constexpr int kSameAsJustPaid = -15;     // a paid invoice of this payer had exactly this amount: a duplicate?
// On a partial payment of a named invoice, when the amount settles another
// invoice of that customer in full.
constexpr int kAmountFitsAnother = -15;

constexpr int kCorroboration = 5;  // two independent rules found the same allocation

constexpr size_t kCandidatesMax = 5;
constexpr size_t kPayersMax = 3;
constexpr size_t kGroupInvoicesMax = 50;
constexpr size_t kTypoHitsMax = 8;
constexpr size_t kSubsetScanMax = 256;  // items looked at to fill the subset pool

// Name lookup bounds: a token that a great many customers share ("group")
// does not narrow anything down and would cost a scan.
constexpr size_t kPostingMax = 2000;
constexpr size_t kNameCandidatesMax = 40;  // more sharing two tokens: the name is too common to be exact
constexpr double kNameFuzzyMin = 0.6;
constexpr double kNameExact = 0.999;
constexpr double kNameOtherClose = 0.85;  // another customer this close makes an exact name ambiguous
constexpr double kNameRunnerUpGap = 0.15;

enum class RefKind { rf, number_full, number_short, order, typo, rf_bad_check, typo_ambiguous };

int ref_points(RefKind k) {
  switch (k) {
    case RefKind::rf: return kRefRf;
    case RefKind::number_full: return kRefNumberFull;
    case RefKind::number_short: return kRefNumberShort;
    case RefKind::order: return kRefOrder;
    case RefKind::typo: return kRefTypo;
    case RefKind::rf_bad_check: return kRefRfBadCheck;
    case RefKind::typo_ambiguous: return kRefTypoAmbiguous;
  }
  return 0;
}

bool exact_kind(RefKind k) { return k != RefKind::typo && k != RefKind::typo_ambiguous; }

const char* ref_label(RefKind k) {
  switch (k) {
    case RefKind::rf: return "RF creditor reference";
    case RefKind::number_full: return "invoice number";
    case RefKind::number_short: return "invoice number (short form)";
    case RefKind::order: return "order reference";
    case RefKind::typo: return "invoice number with 1 typo";
    case RefKind::rf_bad_check: return "RF reference with wrong check digits, read as text";
    case RefKind::typo_ambiguous: return "invoice number with 1 typo, also 1 typo from another invoice";
  }
  return "";
}

enum class PayerHow { iban, iban_shared, name_exact, name_fuzzy, name_ambiguous };

struct Payer {
  uint32_t cust = kNone;
  PayerHow how = PayerHow::iban;
  double similarity = 0.0;
};

int payer_points(PayerHow h) {
  switch (h) {
    case PayerHow::iban: return kPayerIban;
    case PayerHow::iban_shared: return kPayerSharedIban;
    case PayerHow::name_exact: return kPayerNameExact;
    case PayerHow::name_fuzzy: return kPayerNameFuzzy;
    case PayerHow::name_ambiguous: return kPayerNameAmbiguous;
  }
  return 0;
}

std::string money(int64_t minor) {
  const bool neg = minor < 0;
  const uint64_t a = neg ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return (neg ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

// IBANs are compared compact and upper case, whatever the caller passed.
std::string compact_iban(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' || c == '-') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Open amounts by customer: (customer, amount) -> invoices, for the exact
// lookups every line makes. One flat open-addressing table (linear probing)
// instead of a node-based map of vectors: building 1M entries and removing
// them again in settle() costs no allocation per entry and touches one
// cache line per lookup. Several invoices may share a key; each() gives
// them in the order they were added, as a list per key would.
class AmountIndex {
 public:
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap *= 2;
    if (cap > slots_.size()) rehash(cap);
  }
  void add(uint32_t c, int64_t amount, uint32_t i) {
    if ((used_ + gone_ + 1) * 10 > slots_.size() * 7) rehash(std::max<size_t>(16, slots_.size() * (used_ * 4 > slots_.size() ? 2 : 1)));
    put({amount, c, i, next_seq_++});
  }
  void remove(uint32_t c, int64_t amount, uint32_t i) {
    if (slots_.empty()) return;
    for (size_t k = home(c, amount);; k = (k + 1) & mask_) {
      Slot& s = slots_[k];
      if (s.inv == kEmpty) return;
      if (s.inv == i && s.cust == c && s.amount == amount) {
        s.inv = kGone;
        --used_;
        ++gone_;
        return;
      }
    }
  }
  // f(invoice) for each entry of customer c with this amount, until f returns true.
  template <typename F>
  void each(uint32_t c, int64_t amount, F&& f) const {
    if (slots_.empty()) return;
    // Most keys hold one invoice; a few (round amounts) several, which are
    // put back in the order they were added.
    const Slot* first = nullptr;
    std::vector<const Slot*> more;
    for (size_t k = home(c, amount);; k = (k + 1) & mask_) {
      const Slot& s = slots_[k];
      if (s.inv == kEmpty) break;
      if (s.inv == kGone || s.cust != c || s.amount != amount) continue;
      if (!first) {
        first = &s;
      } else {
        more.push_back(&s);
      }
    }
    if (!first) return;
    if (more.empty()) {
      f(first->inv);
      return;
    }
    more.push_back(first);
    std::sort(more.begin(), more.end(), [](const Slot* a, const Slot* b) { return a->seq < b->seq; });
    for (const Slot* s : more) {
      if (f(s->inv)) return;
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr uint32_t kGone = UINT32_MAX - 1;
  struct Slot {
    int64_t amount = 0;
    uint32_t cust = 0;
    uint32_t inv = kEmpty;
    uint64_t seq = 0;
  };
  size_t home(uint32_t c, int64_t amount) const {
    return static_cast<size_t>(mix64((static_cast<uint64_t>(c) * 0x9E3779B97F4A7C15ULL) ^ static_cast<uint64_t>(amount))) & mask_;
  }
  void put(const Slot& v) {
    size_t k = home(v.cust, v.amount);
    while (slots_[k].inv != kEmpty) k = (k + 1) & mask_;  // never into a tombstone: keeps the order of a key's entries
    slots_[k] = v;
    ++used_;
  }
  void rehash(size_t cap) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    used_ = 0;
    gone_ = 0;
    for (const Slot& s : old) {
      if (s.inv != kEmpty && s.inv != kGone) put(s);
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0, used_ = 0, gone_ = 0;
  uint64_t next_seq_ = 0;
};

// 64-bit keys to invoice positions, several per key: the reference maps of
// the index. Built once from all its entries and never changed, so one flat
// open-addressing table (linear probing, sized for a load under 1/2) holds
// them: a node-based map of vectors made two allocations per invoice, and
// for a million invoices that was a third of building the index. A key's
// positions come out in the order they were added (no rehash, no removal:
// each later one lies further along the probe sequence).
class KeyTable {
 public:
  void build(const std::vector<std::pair<uint64_t, uint32_t>>& entries) {
    size_t cap = 16;
    while (cap < entries.size() * 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const auto& [k, v] : entries) {
      size_t i = home(k);
      while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
      slots_[i] = {k, v};
    }
    size_ = entries.size();
  }
  bool empty() const { return size_ == 0; }
  // f(position) for each entry of key k; false when there is none.
  template <typename F>
  bool each(uint64_t k, F&& f) const {
    if (slots_.empty()) return false;
    bool any = false;
    for (size_t i = home(k);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return any;
      if (s.key == k) {
        any = true;
        f(s.value);
      }
    }
  }
  bool contains(uint64_t k) const {
    return each(k, [](uint32_t) {});
  }
  // f(key, position) for every entry, in no particular order.
  template <typename F>
  void each_entry(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.value != kEmpty) f(s.key, s.value);
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t key = 0;
    uint32_t value = kEmpty;
  };
  size_t home(uint64_t k) const { return static_cast<size_t>(mix64(k)) & mask_; }
  std::vector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
};

// External ids (invoice, customer) to positions: a direct table when the
// ids are dense (database ids usually are), else a hash map.
class IdMap {
 public:
  void build(const std::vector<int64_t>& ids) {
    int64_t lo = 0, hi = -1;
    for (int64_t id : ids) {
      if (lo > hi) {
        lo = hi = id;
      } else {
        lo = std::min(lo, id);
        hi = std::max(hi, id);
      }
    }
    const bool dense = lo >= 0 && hi >= lo && static_cast<uint64_t>(hi - lo) < ids.size() * 4 + 1024;
    if (dense) {
      base_ = lo;
      direct_.assign(static_cast<size_t>(hi - lo + 1), kNone);
    } else {
      hashed_.reserve(ids.size());
    }
    dense_ = dense;
  }
  // False when the id is there already.
  bool emplace(int64_t id, uint32_t pos) {
    if (dense_) {
      uint32_t& slot = direct_[static_cast<size_t>(id - base_)];
      if (slot != kNone) return false;
      slot = pos;
      return true;
    }
    return hashed_.emplace(id, pos).second;
  }
  uint32_t find(int64_t id) const {
    if (dense_) {
      if (id < base_ || id - base_ >= static_cast<int64_t>(direct_.size())) return kNone;
      return direct_[static_cast<size_t>(id - base_)];
    }
    auto f = hashed_.find(id);
    return f == hashed_.end() ? kNone : f->second;
  }

 private:
  bool dense_ = false;
  int64_t base_ = 0;
  std::vector<uint32_t> direct_;
  std::unordered_map<int64_t, uint32_t> hashed_;
};

// What the text names, before any open amount is looked at (prepare()):
// the add_hit() calls to make, in order, and the flags known already.
struct RefEvent {
  uint32_t inv = kNone;
  RefKind kind = RefKind::number_full;
  bool flag_if_closed = false;  // only sets names_other when the invoice is no longer open
  std::string shown;
};
struct RawRefs {
  std::vector<RefEvent> events;
  bool names_other = false;
  std::vector<ref::Found> printed;
};

struct Hit {
  uint32_t inv = kNone;
  RefKind kind = RefKind::number_full;
  std::string shown;
};

struct Built {
  Candidate c;
  std::string signature;  // the allocation, to merge and to tell allocations apart
  bool disputed = false;
  bool exact_amount = false;  // the amount settles the allocated invoices in full
};

}  // namespace

const char* rule_name(Rule r) {
  switch (r) {
    case Rule::reference: return "reference";
    case Rule::payer_amount: return "payer_amount";
    case Rule::payer_subset: return "payer_subset";
    case Rule::partial: return "partial";
  }
  return "";
}

struct Index::Impl {
  struct Inv {
    OpenInvoice d;
    uint32_t cust = kNone;
    int64_t original_open = 0;
    std::string generic;  // the order reference's generic key, or ""
    std::string key;      // the invoice key of its number, or ""
  };
  struct Cust {
    Customer d;
    names::Name name;
    std::vector<uint32_t> open;  // oldest due first; closed ones removed by settle
  };

  std::vector<Inv> inv;
  std::vector<Cust> cust;
  IdMap inv_by_id;
  IdMap cust_by_id;
  // Invoice key -> invoices, the key packed into a number (see pack()) so
  // that the ~200 lookups of a typo search allocate nothing.
  KeyTable by_key;
  std::unordered_map<std::string, uint64_t> series_ids;  // "" (INV) is 0

  // series id, year and sequence in one number; nullopt when `digits`
  // (year + sequence, any leading zeros) is no key (as invoice_key_of_digits).
  static std::optional<uint64_t> pack(uint64_t series, std::string_view digits) {
    if (digits.size() < 5) return std::nullopt;
    uint64_t year = 0;
    for (size_t i = 0; i < 4; ++i) {
      if (digits[i] < '0' || digits[i] > '9') return std::nullopt;
      year = year * 10 + static_cast<uint64_t>(digits[i] - '0');
    }
    if (year < static_cast<uint64_t>(ref::kYearMin) || year > static_cast<uint64_t>(ref::kYearMax)) return std::nullopt;
    uint64_t seq = 0;
    size_t significant = 0;
    for (size_t i = 4; i < digits.size(); ++i) {
      if (digits[i] < '0' || digits[i] > '9') return std::nullopt;
      seq = seq * 10 + static_cast<uint64_t>(digits[i] - '0');
      if (seq > 0) ++significant;
    }
    if (seq == 0 || significant > ref::kSeqDigitsMax) return std::nullopt;
    return (series << 42) | (year << 30) | seq;
  }
  std::optional<uint64_t> series_of(const std::string& series) const {
    if (series.empty()) return 0;
    auto f = series_ids.find(series);
    if (f == series_ids.end()) return std::nullopt;
    return f->second;
  }
  // f(invoice) for each invoice of this number; false when none.
  template <typename F>
  bool each_by_digits(const std::string& series, std::string_view digits, F&& f) const {
    const auto sid = series_of(series);
    if (!sid) return false;
    const auto k = pack(*sid, digits);
    if (!k) return false;
    return by_key.each(*k, f);
  }
  // RF body (creditor reference without "RF" and check digits) -> invoices,
  // by a hash of the body; each hit is checked against the invoice's own.
  KeyTable by_rf;
  static std::string rf_body(std::string_view creditor_reference) {
    std::string rf;
    for (char ch : creditor_reference) {
      if (ch == ' ') continue;
      rf.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch);
    }
    if (rf.size() > 4 && rf.compare(0, 2, "RF") == 0) return rf.substr(4);
    return {};
  }
  static uint64_t rf_hash(std::string_view body) { return std::hash<std::string_view>{}(body); }
  template <typename F>
  bool each_by_rf(const std::string& body, F&& f) const {
    bool any = false;
    by_rf.each(rf_hash(body), [&](uint32_t i) {
      if (rf_body(inv[i].d.creditor_reference) != body) return;
      any = true;
      f(i);
    });
    return any;
  }
  KeyTable by_generic;
  // One bit per generic-key hash (top bits), so that most text windows are
  // turned away without touching the (large, cache-cold) map.
  static constexpr int kFilterBits = 22;
  std::vector<uint64_t> generic_filter = std::vector<uint64_t>((size_t{1} << kFilterBits) / 64, 0);
  void filter_add(uint64_t h) {
    const uint64_t b = h >> (64 - kFilterBits);
    generic_filter[b / 64] |= uint64_t{1} << (b % 64);
  }
  bool filter_has(uint64_t h) const {
    const uint64_t b = h >> (64 - kFilterBits);
    return (generic_filter[b / 64] >> (b % 64)) & 1;
  }
  size_t generic_len_max = 0;
  std::unordered_set<std::string> series;
  std::unordered_map<std::string, std::vector<uint32_t>> cust_by_iban;
  std::unordered_map<std::string, std::vector<uint32_t>> cust_by_token;
  std::unordered_map<std::string, std::vector<uint32_t>> cust_by_prefix;
  std::unordered_map<std::string, std::vector<uint32_t>> cust_by_initials;
  std::unordered_map<std::string, std::vector<uint32_t>> cust_by_joined;
  AmountIndex open_amounts;        // (customer, open) -> invoices
  AmountIndex discounted_amounts;  // (customer, open - discount) -> invoices, where a discount exists
  std::unordered_set<uint64_t> paid_amounts;  // (customer, amount) of invoices closed by settle

  static uint64_t cust_amount(uint32_t c, int64_t amount) {
    return (static_cast<uint64_t>(c) << 40) ^ static_cast<uint64_t>(amount);
  }
  bool open(uint32_t i) const { return inv[i].d.open_minor > 0; }

  void add_amounts(uint32_t i) {
    const Inv& v = inv[i];
    if (v.cust == kNone || v.d.open_minor <= 0) return;
    open_amounts.add(v.cust, v.d.open_minor, i);
    if (has_discounted_amount(v.d)) {
      discounted_amounts.add(v.cust, v.d.open_minor - v.d.discount_minor, i);
    }
  }
  static bool has_discounted_amount(const OpenInvoice& d) {
    return d.discount_minor > 0 && d.discount_date && d.discount_minor < d.open_minor;
  }
  // f(invoice) for each open invoice of customer c whose open amount (or,
  // `discounted`, its amount less the discount) lies in lo..hi, by amount
  // and then position, until f returns true.
  template <typename F>
  void amounts_in(bool discounted, uint32_t c, int64_t lo, int64_t hi, F&& f) const {
    if (lo == hi) {
      (discounted ? discounted_amounts : open_amounts).each(c, lo, f);
      return;
    }
    // A range (a fee tolerance is set): the customer's open items scanned,
    // rather than an ordered index kept up to date for every line.
    std::vector<std::pair<int64_t, uint32_t>> in;
    for (uint32_t i : cust[c].open) {
      const OpenInvoice& d = inv[i].d;
      if (d.open_minor <= 0 || (discounted && !has_discounted_amount(d))) continue;
      const int64_t a = discounted ? d.open_minor - d.discount_minor : d.open_minor;
      if (a >= lo && a <= hi) in.emplace_back(a, i);
    }
    std::sort(in.begin(), in.end());
    for (const auto& [a, i] : in) {
      if (f(i)) return;
    }
  }
  void remove_amounts(uint32_t i) {
    const Inv& v = inv[i];
    if (v.cust == kNone) return;
    open_amounts.remove(v.cust, v.d.open_minor, i);
    if (v.d.discount_minor > 0) discounted_amounts.remove(v.cust, v.d.open_minor - v.d.discount_minor, i);
  }

  // ---- payer -----------------------------------------------------------
  // Customers whose name resembles `n`, best first. A customer close enough
  // to matter shares at least two of the name's tokens (one, when the name
  // has one): a token as it is, or, when no customer has it, by its
  // abbreviation prefix. A token shared by more than kPostingMax
  // customers is not looked at; `complete` then says that a close customer
  // may have been missed.
  std::vector<std::pair<uint32_t, double>> name_matches(const names::Name& n, bool* complete) const {
    *complete = true;
    std::vector<uint32_t> picked;
    auto list = [&](const auto& map, const std::string& k) -> const std::vector<uint32_t>* {
      auto f = map.find(k);
      if (f == map.end()) return nullptr;
      if (f->second.size() > kPostingMax) {
        *complete = false;
        return nullptr;
      }
      return &f->second;
    };
    for (const auto* whole : {list(cust_by_joined, n.joined),
                              n.tokens.size() == 1 ? list(cust_by_initials, n.tokens[0]) : list(cust_by_joined, n.initials)}) {
      if (whole) picked.insert(picked.end(), whole->begin(), whole->end());
    }
    std::vector<const std::vector<uint32_t>*> groups;
    for (const auto& t : n.tokens) {
      const auto* l = list(cust_by_token, t);
      if (!l && t.size() >= names::kPrefixMin) l = list(cust_by_prefix, t.substr(0, names::kPrefixMin - 1));
      if (l) groups.push_back(l);
    }
    std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    if (n.tokens.size() == 1) {
      for (const auto* g : groups) picked.insert(picked.end(), g->begin(), g->end());
    } else if (groups.size() >= 2) {
      // Count each customer's lists with a per-thread stamp array: linear in
      // the lists, no sort, and match() stays safe on several threads.
      thread_local std::vector<uint32_t> stamp;
      thread_local std::vector<uint8_t> count;
      thread_local uint32_t generation = 0;
      if (stamp.size() < cust.size()) {
        stamp.assign(cust.size(), 0);
        count.assign(cust.size(), 0);
      }
      if (++generation == 0) {
        std::fill(stamp.begin(), stamp.end(), 0);
        generation = 1;
      }
      for (const auto* g : groups) {
        for (uint32_t c : *g) {
          if (stamp[c] != generation) {
            stamp[c] = generation;
            count[c] = 0;
          }
          if (++count[c] == 2) picked.push_back(c);
        }
      }
    }
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    if (picked.size() > kNameCandidatesMax) {
      picked.resize(kNameCandidatesMax);
      *complete = false;
    }
    std::vector<std::pair<uint32_t, double>> out;
    for (uint32_t c : picked) {
      const double s = names::similarity(n, cust[c].name);
      if (s >= kNameFuzzyMin) out.emplace_back(c, s);
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    return out;
  }

  std::vector<Payer> payers(const BankLine& line, const names::Name& toks, std::vector<std::string>* reasons_out) const {
    std::vector<Payer> out;
    if (!line.counterparty_iban.empty()) {
      auto f = cust_by_iban.find(compact_iban(line.counterparty_iban));
      if (f != cust_by_iban.end() && !f->second.empty()) {
        if (f->second.size() == 1) {
          out.push_back({f->second[0], PayerHow::iban, 1.0});
          return out;
        }
        // An account several customers share (a group paying for its
        // companies): the name may tell which.
        std::vector<std::pair<uint32_t, double>> sims;
        for (uint32_t c : f->second) sims.emplace_back(c, names::similarity(toks, cust[c].name));
        std::sort(sims.begin(), sims.end(), [](auto& a, auto& b) { return a.second > b.second; });
        if (sims[0].second >= kNameFuzzyMin && (sims.size() < 2 || sims[1].second < sims[0].second - kNameRunnerUpGap)) {
          out.push_back({sims[0].first, PayerHow::iban, sims[0].second});
          return out;
        }
        for (size_t i = 0; i < sims.size() && i < kPayersMax; ++i) out.push_back({sims[i].first, PayerHow::iban_shared, sims[i].second});
        return out;
      }
    }
    if (toks.tokens.empty()) return out;
    bool complete = true;
    const auto m = name_matches(toks, &complete);
    if (m.empty()) return out;
    const double best = m[0].second;
    // An exact name is only unique if every customer that could resemble it
    // was looked at.
    if (best >= kNameExact && complete) {
      size_t close = 1;
      while (close < m.size() && m[close].second >= kNameOtherClose) ++close;
      if (close == 1) {
        out.push_back({m[0].first, PayerHow::name_exact, best});
        return out;
      }
      for (size_t i = 0; i < close && i < kPayersMax; ++i) out.push_back({m[i].first, PayerHow::name_ambiguous, m[i].second});
      if (reasons_out) reasons_out->push_back("payer name resembles " + std::to_string(close) + " customers");
      return out;
    }
    size_t close = 1;
    while (close < m.size() && m[close].second >= best - kNameRunnerUpGap) ++close;
    if (close == 1) {
      out.push_back({m[0].first, PayerHow::name_fuzzy, best});
      return out;
    }
    for (size_t i = 0; i < close && i < kPayersMax; ++i) out.push_back({m[i].first, PayerHow::name_ambiguous, m[i].second});
    if (reasons_out) reasons_out->push_back("payer name resembles " + std::to_string(close) + " customers");
    return out;
  }

  std::string payer_reason(const Payer& p, const BankLine& line) const {
    const std::string& name = cust[p.cust].d.name;
    switch (p.how) {
      case PayerHow::iban: return "payer IBAN " + line.counterparty_iban + " is " + name + "'s";
      case PayerHow::iban_shared: return "payer IBAN " + line.counterparty_iban + " is shared by several customers, among them " + name;
      case PayerHow::name_exact: return "payer name '" + line.counterparty_name + "' is " + name;
      case PayerHow::name_fuzzy: return "payer name '" + line.counterparty_name + "' resembles " + name;
      case PayerHow::name_ambiguous: return "payer name '" + line.counterparty_name + "' resembles " + name + " and others";
    }
    return "";
  }

  // How the payer bears on an invoice of customer `c`, for reference candidates.
  int payer_modifier(const std::vector<Payer>& ps, const names::Name& payer_name, uint32_t c, const BankLine& line,
                     std::string* reason) const {
    for (const auto& p : ps) {
      if (p.cust != c) continue;
      *reason = payer_reason(p, line);
      switch (p.how) {
        case PayerHow::iban: return kPayerIbanConfirms;
        case PayerHow::iban_shared: return kPayerSharedIbanConfirms;
        case PayerHow::name_exact: return kPayerNameExactConfirms;
        case PayerHow::name_fuzzy: return kPayerNameFuzzyConfirms;
        case PayerHow::name_ambiguous: return 0;
      }
    }
    if (!ps.empty() && (ps[0].how == PayerHow::iban || ps[0].how == PayerHow::iban_shared)) {
      *reason = "but the payer IBAN is " + cust[ps[0].cust].d.name + "'s" + (ps.size() > 1 ? " (and others')" : "") +
                ", another customer";
      return kPayerIbanContradicts;
    }
    // No account to go by: the name must at least resemble the customer's,
    // or a typo that hits another customer's invoice would pass unseen.
    if (c != kNone && !payer_name.tokens.empty() && names::similarity(payer_name, cust[c].name) < kNameFuzzyMin) {
      *reason = "but the payer name '" + line.counterparty_name + "' does not resemble " + cust[c].d.name;
      return kPayerNameContradicts;
    }
    return 0;
  }

  // ---- references --------------------------------------------------------
  struct Refs {
    std::vector<Hit> hits;          // open invoices named, best kind per invoice
    bool names_other = false;       // the text names a paid or unknown invoice
    std::vector<ref::Found> printed;  // invoice numbers as printed (not valid RFs)
  };

  // The half of references() that reads open amounts (decide()).
  Refs resolve(const RawRefs& raw, const BankLine& line) const {
    Refs r;
    r.names_other = raw.names_other;
    r.printed = raw.printed;
    for (const auto& e : raw.events) {
      if (e.flag_if_closed) {
        if (!open(e.inv)) r.names_other = true;
        continue;
      }
      add_hit(r, e.inv, e.kind, e.shown, line);
    }
    return r;
  }

  void add_hit(Refs& r, uint32_t i, RefKind k, const std::string& shown, const BankLine& line) const {
    if (inv[i].d.currency != line.currency) return;
    if (!open(i)) {
      if (exact_kind(k)) r.names_other = true;
      return;
    }
    for (auto& h : r.hits) {
      if (h.inv != i) continue;
      if (ref_points(k) > ref_points(h.kind)) {
        h.kind = k;
        h.shown = shown;
      }
      return;
    }
    r.hits.push_back({i, k, shown});
  }

  // The half of the reference lookup that reads only what settle() never
  // changes (the text and the reference maps).
  RawRefs raw_references(const BankLine& line) const {
    RawRefs r;
    const ref::Tokens t = ref::tokenize(line.reference, line.remittance);
    for (const auto& f : ref::find_references(t, series)) {
      if (f.kind == ref::Found::Kind::rf) {
        auto named = [&](uint32_t i) { r.events.push_back({i, RefKind::rf, false, f.shown}); };
        if (!each_by_rf(f.key, named) && !each_by_digits("", f.key, named)) {
          r.names_other = true;  // a valid RF we do not know: someone else's, or paid before
        }
        continue;
      }
      r.printed.push_back(f);
      const RefKind exact = f.kind == ref::Found::Kind::rf_bad_check ? RefKind::rf_bad_check
                            : f.full_form                            ? RefKind::number_full
                                                                     : RefKind::number_short;
      const auto sid = series_of(f.series);
      const auto packed = sid ? pack(*sid, f.digits) : std::nullopt;
      if (!packed) continue;
      if (by_key.each(*packed, [&](uint32_t i) { r.events.push_back({i, exact, false, f.shown}); })) continue;
      // Not an invoice as written: one typo away from one? The variants are
      // generated, not searched for, so this costs ~200 lookups, not a scan.
      std::vector<uint32_t> near;
      ref::for_each_typo(f.digits, [&](std::string_view v) {
        if (near.size() > kTypoHitsMax) return;
        const auto key = pack(*sid, v);
        if (!key || *key == *packed) return;
        by_key.each(*key, [&](uint32_t i) {
          if (std::find(near.begin(), near.end(), i) == near.end()) near.push_back(i);
        });
      });
      if (near.empty()) {
        if (f.full_form) r.names_other = true;
        continue;
      }
      // Closeness counts paid invoices too: a typo of a paid invoice's
      // number is as likely as a typo of an open one's.
      const RefKind k = near.size() == 1 ? RefKind::typo : RefKind::typo_ambiguous;
      if (k == RefKind::typo_ambiguous) {
        r.names_other = true;
      } else {
        r.events.push_back({near[0], k, true, std::string()});
      }
      for (uint32_t i : near) r.events.push_back({i, k, false, f.shown});
    }
    // Order references (and invoice numbers of no known shape): windows of
    // up to kGenericGroupsMax groups, hashed as they grow.
    if (!by_generic.empty()) {
      const size_t n = t.groups.size();
      for (size_t s = 0; s < n; ++s) {
        uint64_t h = ref::hash_start();
        size_t len = 0;
        for (size_t e = s; e < n && e < s + ref::kGenericGroupsMax; ++e) {
          if (e > s && t.groups[e].hard_gap) break;
          const std::string_view part = ref::generic_part(t.at(e), t.groups[e].digits);
          h = ref::hash_add(h, part);
          len += part.size();
          if (len > generic_len_max) break;
          if (len < ref::kGenericKeyMin || !filter_has(h)) continue;
          if (!by_generic.contains(h)) continue;
          std::string key;
          for (size_t k = s; k <= e; ++k) key.append(ref::generic_part(t.at(k), t.groups[k].digits));
          const std::string shown = t.text.substr(t.groups[s].begin, t.groups[e].end - t.groups[s].begin);
          by_generic.each(h, [&](uint32_t i) {
            if (inv[i].generic == key) r.events.push_back({i, RefKind::order, false, shown});
          });
        }
      }
    }
    return r;
  }

  // ---- amounts ------------------------------------------------------------
  bool discount_open(const Inv& v, Date on) const {
    return v.d.discount_minor > 0 && v.d.discount_date && on <= *v.d.discount_date &&
           v.d.discount_minor < v.d.open_minor;
  }

  // How `amount` settles invoice v fully: "open", "discount", "fee", or "".
  const char* fit(const Inv& v, int64_t amount, const BankLine& line, int64_t tol) const {
    if (amount == v.d.open_minor) return "open";
    if (discount_open(v, line.booking_date) && amount == v.d.open_minor - v.d.discount_minor) return "discount";
    if (amount < v.d.open_minor && v.d.open_minor - amount <= tol) return "fee";
    if (discount_open(v, line.booking_date) && amount < v.d.open_minor - v.d.discount_minor &&
        v.d.open_minor - v.d.discount_minor - amount <= tol) {
      return "discount_fee";
    }
    return "";
  }

  std::string fit_reason(const Inv& v, const char* how, int64_t amount) const {
    const std::string f = how;
    if (f == "open") return "amount equals open " + money(v.d.open_minor) + " of " + v.d.number;
    if (f == "discount") {
      return "amount equals " + v.d.number + "'s " + money(v.d.open_minor) + " less the discount " +
             money(v.d.discount_minor) + " (until " + v.d.discount_date->to_string() + ")";
    }
    if (f == "fee") return "amount is " + money(v.d.open_minor - amount) + " short of " + v.d.number + "'s open " + money(v.d.open_minor) + " (fees)";
    return "amount is " + money(v.d.open_minor - v.d.discount_minor - amount) + " short of " + v.d.number +
           "'s discounted amount (fees)";
  }

  // An open invoice of customer c other than `except` that `amount` settles
  // in full, or kNone.
  uint32_t amount_fits_other(uint32_t c, int64_t amount, const BankLine& line, int64_t tol, uint32_t except) const {
    if (c == kNone) return kNone;
    uint32_t found = kNone;
    for (const bool discounted : {false, true}) {
      amounts_in(discounted, c, amount, amount + tol, [&](uint32_t i) {
        if (i != except && inv[i].d.currency == line.currency && *fit(inv[i], amount, line, tol)) found = i;
        return found != kNone;
      });
      if (found != kNone) return found;
    }
    return kNone;
  }

  CandidateAllocation alloc(uint32_t i, int64_t amount) const { return {inv[i].d.invoice_id, amount}; }

  static std::string signature(std::vector<CandidateAllocation> a) {
    std::sort(a.begin(), a.end(), [](auto& x, auto& y) { return x.invoice_id < y.invoice_id; });
    std::string s;
    for (const auto& x : a) s += std::to_string(x.invoice_id) + ":" + std::to_string(x.amount_minor) + ";";
    return s;
  }

  Built make(Rule rule, int score, uint32_t c, std::vector<CandidateAllocation> a, std::vector<std::string> reasons) const {
    Built b;
    b.c.rule = rule;
    b.c.score = std::clamp(score, 0, 100);
    b.c.customer_id = c == kNone ? 0 : cust[c].d.customer_id;
    b.signature = signature(a);
    for (const auto& x : a) b.disputed = b.disputed || inv[inv_by_id.find(x.invoice_id)].d.disputed;
    b.c.allocations = std::move(a);
    b.c.reasons = std::move(reasons);
    return b;
  }

  void reference_candidates(const BankLine& line, const Settings& s, const Refs& r, const std::vector<Payer>& ps,
                            const names::Name& payer_name, std::vector<Built>* out) const {
    const int64_t amt = line.amount_minor;
    const int64_t tol = std::max<int64_t>(0, s.fee_tolerance_minor);
    size_t exact_hits = 0;
    for (const auto& h : r.hits) exact_hits += exact_kind(h.kind) ? 1 : 0;
    // One by one.
    for (const auto& h : r.hits) {
      const Inv& v = inv[h.inv];
      std::vector<std::string> why{std::string(ref_label(h.kind)) + " '" + h.shown + "' names " + v.d.number};
      std::string pr;
      const int pm = payer_modifier(ps, payer_name, v.cust, line, &pr);
      if (!pr.empty()) why.push_back(pr);
      const char* how = fit(v, amt, line, tol);
      if (*how) {
        why.push_back(fit_reason(v, how, amt));
        out->push_back(make(Rule::reference, ref_points(h.kind) + kAmtExact + pm, v.cust, {alloc(h.inv, amt)}, why));
        out->back().exact_amount = true;
      } else if (amt > v.d.open_minor) {
        why.push_back("amount " + money(amt) + " is more than open " + money(v.d.open_minor) + ": " +
                      money(amt - v.d.open_minor) + " becomes customer credit");
        int other = 0;
        if (const uint32_t o = amount_fits_other(v.cust, amt, line, tol, h.inv); o != kNone) {
          other = kAmountFitsAnother;
          why.push_back("but the amount settles " + inv[o].d.number + " of the same customer exactly");
        }
        out->push_back(make(Rule::reference, ref_points(h.kind) + kAmtOverpaid + pm + other, v.cust,
                            {alloc(h.inv, v.d.open_minor)}, why));
      } else {
        // Less than open: a partial payment, believed only when this is the
        // one invoice the line names, and named exactly.
        const bool clear = exact_kind(h.kind) && exact_hits == 1 && r.hits.size() == 1;
        why.push_back("amount " + money(amt) + " is less than open " + money(v.d.open_minor) + " (partial payment" +
                      (clear ? ")" : ", and the line names other invoices too)"));
        int other = 0;
        // The amount settling another invoice of the same customer exactly is
        // the likelier story: the payer typed the wrong number.
        if (const uint32_t o = amount_fits_other(v.cust, amt, line, tol, h.inv); o != kNone) {
          other = kAmountFitsAnother;
          why.push_back("but the amount settles " + inv[o].d.number + " of the same customer exactly");
        }
        out->push_back(make(Rule::partial, ref_points(h.kind) + (clear ? kAmtPartialClear : kAmtOther) + pm + other,
                            v.cust, {alloc(h.inv, amt)}, why));
      }
    }
    // Several named invoices of one customer: one candidate covering them.
    std::unordered_map<uint32_t, std::vector<const Hit*>> by_cust;
    for (const auto& h : r.hits) {
      if (exact_kind(h.kind)) by_cust[inv[h.inv].cust].push_back(&h);
    }
    for (auto& [c, hs] : by_cust) {
      if (hs.size() < 2 || hs.size() > kGroupInvoicesMax) continue;
      std::sort(hs.begin(), hs.end(), [&](const Hit* a, const Hit* b) {
        const auto& x = inv[a->inv].d;
        const auto& y = inv[b->inv].d;
        return x.due_date != y.due_date ? x.due_date < y.due_date : x.invoice_id < y.invoice_id;
      });
      int64_t sum_open = 0, sum_disc = 0;
      int points = 100;
      std::string numbers;
      for (const Hit* h : hs) {
        const Inv& v = inv[h->inv];
        sum_open += v.d.open_minor;
        sum_disc += discount_open(v, line.booking_date) ? v.d.open_minor - v.d.discount_minor : v.d.open_minor;
        points = std::min(points, ref_points(h->kind));
        numbers += (numbers.empty() ? "" : ", ") + v.d.number;
      }
      std::vector<std::string> why{"the line names " + std::to_string(hs.size()) + " invoices: " + numbers};
      std::string pr;
      const int pm = payer_modifier(ps, payer_name, c, line, &pr);
      if (!pr.empty()) why.push_back(pr);
      std::vector<CandidateAllocation> a;
      const bool use_disc = amt <= sum_disc && sum_disc - amt <= tol && sum_disc != sum_open;
      const int64_t target = use_disc ? sum_disc : sum_open;
      if (amt <= target && target - amt <= tol) {
        for (const Hit* h : hs) {
          const Inv& v = inv[h->inv];
          a.push_back(alloc(h->inv, use_disc && discount_open(v, line.booking_date) ? v.d.open_minor - v.d.discount_minor : v.d.open_minor));
        }
        a.back().amount_minor -= target - amt;  // fees come off the last
        why.push_back(target == amt ? std::string("amount equals their ") + (use_disc ? "discounted" : "open") + " total " + money(target)
                                    : "amount is " + money(target - amt) + " short of their total " + money(target) + " (fees)");
        out->push_back(make(Rule::reference, points + kAmtExact + pm, c, a, why));
        out->back().exact_amount = true;
      } else if (amt > sum_open) {
        for (const Hit* h : hs) a.push_back(alloc(h->inv, inv[h->inv].d.open_minor));
        why.push_back("amount " + money(amt) + " is more than their open total " + money(sum_open) + ": " +
                      money(amt - sum_open) + " becomes customer credit");
        out->push_back(make(Rule::reference, points + kAmtOverpaid + pm, c, a, why));
      } else {
        int64_t left = amt;
        for (const Hit* h : hs) {
          if (left == 0) break;
          const int64_t take = std::min(left, inv[h->inv].d.open_minor);
          a.push_back(alloc(h->inv, take));
          left -= take;
        }
        why.push_back("amount " + money(amt) + " is less than their open total " + money(sum_open) + ": oldest due first");
        out->push_back(make(Rule::reference, points + kAmtOther + pm, c, a, why));
      }
    }
  }

  // `search_subsets` false: a named invoice already fits the amount exactly,
  // so any subset (all amounts positive) would have to leave it out and take
  // the "names another invoice" penalty: it could never compete.
  void payer_candidates(const BankLine& line, const Settings& s, const Refs& r, const std::vector<Payer>& ps,
                        bool search_subsets, std::vector<Built>* out) const {
    const int64_t amt = line.amount_minor;
    const int64_t tol = std::max<int64_t>(0, s.fee_tolerance_minor);
    for (const auto& p : ps) {
      const int base = payer_points(p.how);
      const std::string who = payer_reason(p, line);
      // Penalties that say the amount alone is not the whole story.
      int penalty = 0;
      std::vector<std::string> warn;
      if (paid_amounts.count(cust_amount(p.cust, amt))) {
        penalty += kSameAsJustPaid;
        warn.push_back("an invoice of this payer with the same amount was just paid (a duplicate payment?)");
      }
      // Does the text name invoices this allocation leaves out? A number one
      // typo from one of its invoices names that invoice, with a typo.
      auto names_others = [&](const std::vector<CandidateAllocation>& a, std::vector<std::string>* why) {
        if (!r.names_other && r.hits.empty()) return false;
        for (const auto& x : a) {
          for (const auto& h : r.hits) {
            if (inv[h.inv].d.invoice_id == x.invoice_id && exact_kind(h.kind)) return false;
          }
        }
        for (const auto& x : a) {
          const std::string& key = inv[inv_by_id.find(x.invoice_id)].key;
          for (const auto& f : r.printed) {
            // A number that names an open invoice the amount settles names
            // that one, not a typo of this one.
            bool names_a_fit = false;
            each_by_digits(f.series, f.digits, [&](uint32_t i) {
              names_a_fit = names_a_fit || (open(i) && inv[i].d.currency == line.currency && *fit(inv[i], amt, line, tol));
            });
            if (names_a_fit) continue;
            if (!key.empty() && (ref::one_edit_apart(f.key, key) || ref::one_edit_apart(f.digits, key))) {
              why->push_back("the text's '" + f.shown + "' is 1 typo from " + inv[inv_by_id.find(x.invoice_id)].d.number);
              return false;
            }
          }
        }
        return true;
      };
      auto finish = [&](Rule rule, int pts, std::vector<CandidateAllocation> a, std::vector<std::string> why) {
        int score = pts + penalty;
        for (const auto& w : warn) why.push_back(w);
        if (names_others(a, &why)) {
          score += kNamesOtherInvoice;
          why.push_back("but the text names another invoice");
        }
        out->push_back(make(rule, score, p.cust, std::move(a), std::move(why)));
      };
      std::vector<uint32_t> done;
      auto one = [&](uint32_t i) {
        const Inv& v = inv[i];
        if (v.d.currency != line.currency || !open(i)) return;
        if (std::find(done.begin(), done.end(), i) != done.end()) return;
        const char* how = fit(v, amt, line, tol);
        if (!*how) return;
        done.push_back(i);
        const std::string f = how;
        std::vector<std::string> why{who, fit_reason(v, how, amt)};
        int twin = 0;
        // The same discounted amount on another invoice whose window has
        // closed: the payer may have meant that one, and taken it late.
        if (f == "discount" || f == "discount_fee") {
          const int64_t d = v.d.open_minor - v.d.discount_minor;
          discounted_amounts.each(p.cust, d, [&](uint32_t t) {
            if (t == i || inv[t].d.currency != line.currency) return false;
            twin = kAmountFitsAnother;
            why.push_back("but it is also " + inv[t].d.number + "'s discounted amount (discount taken late?)");
            return true;
          });
        }
        finish(Rule::payer_amount, base + (f == "open" || f == "discount" ? kAmtOneInvoice : kAmtOneInvoiceFee) + twin,
               {alloc(i, amt)}, why);
      };
      amounts_in(false, p.cust, amt, amt + tol, [&](uint32_t i) {
        one(i);
        return false;
      });
      amounts_in(true, p.cust, amt, amt + tol, [&](uint32_t i) {
        one(i);
        return false;
      });
      // Subsets of the oldest open items.
      const auto& items = cust[p.cust].open;
      if (!search_subsets || items.size() < 2 || s.subset_max_size < 2) continue;
      // The oldest items that could be part of a set at all (each must be
      // less than the payment, fees aside), looking at most kSubsetScanMax
      // items; whether every item was looked at decides whether a unique fit
      // is unique.
      std::vector<subset::Item> pool;
      size_t scanned = 0;
      for (uint32_t i : items) {
        if (static_cast<int>(pool.size()) >= s.subset_max_invoices || scanned >= kSubsetScanMax) break;
        ++scanned;
        const Inv& v = inv[i];
        if (!open(i) || v.d.currency != line.currency) continue;
        if (v.d.open_minor - (discount_open(v, line.booking_date) ? v.d.discount_minor : 0) >= amt + tol) continue;
        subset::Item it;
        it.id = i;
        it.amounts[0] = v.d.open_minor;
        if (discount_open(v, line.booking_date)) {
          it.amounts[1] = v.d.open_minor - v.d.discount_minor;
          it.count = 2;
        }
        pool.push_back(it);
      }
      subset::Limits lim;
      lim.size_max = s.subset_max_size;
      const auto fits = subset::find(pool, amt, amt + tol, lim);
      for (const auto& f : fits) {
        std::vector<CandidateAllocation> a;
        int64_t sum = 0;
        std::string numbers;
        for (const auto& pk : f) {
          a.push_back(alloc(pk.id, pk.amount));
          sum += pk.amount;
          numbers += (numbers.empty() ? "" : ", ") + inv[pk.id].d.number;
        }
        std::sort(a.begin(), a.end(), [&](auto& x, auto& y) {
          const auto& dx = inv[inv_by_id.find(x.invoice_id)].d;
          const auto& dy = inv[inv_by_id.find(y.invoice_id)].d;
          return dx.due_date != dy.due_date ? dx.due_date < dy.due_date : dx.invoice_id < dy.invoice_id;
        });
        a.back().amount_minor -= sum - amt;
        std::vector<std::string> why{who, "amount equals the total of " + std::to_string(f.size()) + " open invoices (" + numbers + ")" +
                                               (sum != amt ? " less " + money(sum - amt) + " fees" : "")};
        if (fits.size() > 1) why.push_back("another set of this payer's invoices adds up to the same amount");
        // A fit that is unique among the oldest items is not unique among
        // all of them: the payer may have meant newer ones.
        // It still counts in full as a rival to other candidates: a set that
        // fits is a reason to doubt a single invoice of the same amount.
        int pts = base + (sum == amt ? kAmtSubset : kAmtSubsetFee);
        if (scanned < items.size()) {
          pts = std::min(pts, s.auto_threshold - 1);
          why.push_back("only the oldest " + std::to_string(pool.size()) + " of " + std::to_string(items.size()) +
                        " open invoices were searched: not applied without a person");
        }
        finish(Rule::payer_subset, pts, a, why);
      }
    }
  }
};

Index::Index(std::vector<OpenInvoice> invoices, std::vector<Customer> customers) : impl_(std::make_shared<Impl>()) {
  Impl& m = *impl_;
  {
    std::vector<int64_t> ids;
    ids.reserve(std::max(customers.size(), invoices.size()));
    for (const auto& c : customers) ids.push_back(c.customer_id);
    m.cust_by_id.build(ids);
    ids.clear();
    for (const auto& d : invoices) ids.push_back(d.invoice_id);
    m.inv_by_id.build(ids);
  }
  std::vector<std::pair<uint64_t, uint32_t>> by_key, by_rf, by_generic;
  by_key.reserve(invoices.size());
  by_rf.reserve(invoices.size());
  m.open_amounts.reserve(invoices.size());
  m.cust.reserve(customers.size());
  for (auto& c : customers) {
    const auto idx = static_cast<uint32_t>(m.cust.size());
    if (!m.cust_by_id.emplace(c.customer_id, idx)) continue;  // first one wins
    Impl::Cust k;
    k.name = names::parse(c.name);
    for (const auto& iban : c.ibans) {
      if (!iban.empty()) m.cust_by_iban[compact_iban(iban)].push_back(idx);
    }
    if (!k.name.tokens.empty()) {
      m.cust_by_joined[k.name.joined].push_back(idx);
      std::unordered_set<std::string> seen;
      for (const auto& t : k.name.tokens) {
        if (seen.insert(t).second) m.cust_by_token[t].push_back(idx);
        // Abbreviations share the first letters: "maschb" finds "maschinenbau".
        if (t.size() >= names::kPrefixMin && seen.insert("^" + t.substr(0, names::kPrefixMin - 1)).second) {
          m.cust_by_prefix[t.substr(0, names::kPrefixMin - 1)].push_back(idx);
        }
      }
      if (k.name.initials.size() >= 2) m.cust_by_initials[k.name.initials].push_back(idx);
    }
    k.d = std::move(c);
    m.cust.push_back(std::move(k));
  }
  for (auto& [iban, cs] : m.cust_by_iban) {
    std::sort(cs.begin(), cs.end());
    cs.erase(std::unique(cs.begin(), cs.end()), cs.end());
  }
  m.inv.reserve(invoices.size());
  for (auto& d : invoices) {
    if (d.open_minor <= 0) continue;
    const auto idx = static_cast<uint32_t>(m.inv.size());
    if (!m.inv_by_id.emplace(d.invoice_id, idx)) continue;
    Impl::Inv v;
    v.cust = m.cust_by_id.find(d.customer_id);
    v.original_open = d.open_minor;
    if (auto k = ref::invoice_key_of_number(d.number)) {
      const uint64_t sid =
          k->series.empty() ? 0 : m.series_ids.emplace(k->series, m.series_ids.size() + 1).first->second;
      if (auto packed = Impl::pack(sid, std::string_view(k->key).substr(k->series.size()))) {
        by_key.emplace_back(*packed, idx);
      }
      v.key = k->key;
      if (!k->series.empty()) m.series.insert(k->series);
    } else if (!d.number.empty()) {
      // No year and sequence: matched as the customer would retype any code.
      const std::string g = ref::generic_key(d.number);
      if (g.size() >= ref::kGenericKeyMin) by_generic.emplace_back(ref::hash_add(ref::hash_start(), g), idx);
    }
    if (!d.creditor_reference.empty()) {
      const std::string body = Impl::rf_body(d.creditor_reference);
      if (!body.empty()) by_rf.emplace_back(Impl::rf_hash(body), idx);
    }
    if (!d.order_reference.empty()) {
      v.generic = ref::generic_key(d.order_reference);
      if (v.generic.size() >= ref::kGenericKeyMin) {
        by_generic.emplace_back(ref::hash_add(ref::hash_start(), v.generic), idx);
        m.generic_len_max = std::max(m.generic_len_max, v.generic.size());
      } else {
        v.generic.clear();
      }
    }
    v.d = std::move(d);
    m.inv.push_back(std::move(v));
  }
  // Unparsed invoice numbers share the generic map; their keys are checked
  // against the number, so store it where the check looks.
  m.by_key.build(by_key);
  m.by_rf.build(by_rf);
  m.by_generic.build(by_generic);
  for (const auto& [h, i] : by_generic) {
    m.filter_add(h);
    auto& v = m.inv[i];
    if (v.generic.empty()) {
      v.generic = ref::generic_key(v.d.number);
      m.generic_len_max = std::max(m.generic_len_max, v.generic.size());
    }
  }
  for (uint32_t i = 0; i < m.inv.size(); ++i) {
    if (m.inv[i].cust != kNone) m.cust[m.inv[i].cust].open.push_back(i);
    m.add_amounts(i);
  }
  for (auto& c : m.cust) {
    std::sort(c.open.begin(), c.open.end(), [&](uint32_t a, uint32_t b) {
      const auto& x = m.inv[a].d;
      const auto& y = m.inv[b].d;
      return x.due_date != y.due_date ? x.due_date < y.due_date : x.invoice_id < y.invoice_id;
    });
  }
}

size_t Index::open_invoices() const {
  size_t n = 0;
  for (const auto& v : impl_->inv) n += v.d.open_minor > 0 ? 1 : 0;
  return n;
}

void Index::settle(int64_t invoice_id, int64_t amount_minor) {
  Impl& m = *impl_;
  const uint32_t i = m.inv_by_id.find(invoice_id);
  if (i == kNone || amount_minor <= 0) return;
  auto& v = m.inv[i];
  if (v.d.open_minor <= 0) return;
  m.remove_amounts(i);
  v.d.open_minor -= std::min(amount_minor, v.d.open_minor);
  if (v.d.open_minor > 0) {
    m.add_amounts(i);
    return;
  }
  if (v.cust != kNone) {
    auto& open = m.cust[v.cust].open;
    open.erase(std::remove(open.begin(), open.end(), i), open.end());
    m.paid_amounts.insert(Impl::cust_amount(v.cust, v.original_open));
    if (v.d.discount_minor > 0 && v.d.discount_minor < v.original_open) {
      m.paid_amounts.insert(Impl::cust_amount(v.cust, v.original_open - v.d.discount_minor));
    }
  }
}

struct PreparedLine::Data {
  bool money_in = false;
  names::Name payer_name;
  std::vector<Payer> payers;
  std::vector<std::string> payer_notes;
  RawRefs refs;
};

PreparedLine::PreparedLine() = default;
PreparedLine::~PreparedLine() = default;
PreparedLine::PreparedLine(PreparedLine&&) noexcept = default;
PreparedLine& PreparedLine::operator=(PreparedLine&&) noexcept = default;

PreparedLine Index::prepare(const BankLine& line) const {
  const Impl& m = *impl_;
  PreparedLine p;
  p.d_ = std::make_unique<PreparedLine::Data>();
  PreparedLine::Data& d = *p.d_;
  if (line.amount_minor <= 0) return p;
  d.money_in = true;
  d.payer_name = names::parse(line.counterparty_name);
  d.payers = m.payers(line, d.payer_name, &d.payer_notes);
  d.refs = m.raw_references(line);
  return p;
}

Decision Index::match(const BankLine& line, const Settings& s) const { return decide(line, prepare(line), s); }

Decision Index::decide(const BankLine& line, const PreparedLine& prepared, const Settings& s) const {
  const Impl& m = *impl_;
  Decision d;
  if (!prepared.d_ || !prepared.d_->money_in || line.amount_minor <= 0) {
    d.why_not = "not money in";
    return d;
  }
  const PreparedLine::Data& pl = *prepared.d_;
  const auto& payer_notes = pl.payer_notes;
  const names::Name& payer_name = pl.payer_name;
  const auto& ps = pl.payers;
  const auto refs = m.resolve(pl.refs, line);
  std::vector<Built> all;
  m.reference_candidates(line, s, refs, ps, payer_name, &all);
  bool named_fits = false;
  for (const auto& b : all) {
    named_fits = named_fits || (b.c.rule == Rule::reference && b.c.score >= s.auto_threshold && b.exact_amount);
  }
  m.payer_candidates(line, s, refs, ps, !named_fits, &all);

  // The same allocation found by two rules is one candidate, surer for it.
  std::vector<Built> merged;
  for (auto& b : all) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const Built& x) { return x.signature == b.signature; });
    if (same == merged.end()) {
      merged.push_back(std::move(b));
      continue;
    }
    Built& x = *same;
    const bool other_rule = (x.c.rule == Rule::reference || x.c.rule == Rule::partial) !=
                            (b.c.rule == Rule::reference || b.c.rule == Rule::partial);
    Built& best = b.c.score > x.c.score ? b : x;
    Built& other = b.c.score > x.c.score ? x : b;
    int score = best.c.score + (other_rule && other.c.score > 0 ? kCorroboration : 0);
    for (auto& r : other.c.reasons) {
      if (std::find(best.c.reasons.begin(), best.c.reasons.end(), r) == best.c.reasons.end()) best.c.reasons.push_back(r);
    }
    best.c.rule = std::min(best.c.rule, other.c.rule);
    best.c.score = std::clamp(score, 0, 100);
    if (&best != &x) x = std::move(best);
  }
  std::sort(merged.begin(), merged.end(), [](const Built& a, const Built& b) {
    if (a.c.score != b.c.score) return a.c.score > b.c.score;
    if (a.c.rule != b.c.rule) return a.c.rule < b.c.rule;
    return a.signature < b.signature;
  });
  if (merged.empty()) {
    d.why_not = "no candidate";
    return d;
  }
  const Built& top = merged[0];
  bool ambiguous = false;
  for (size_t i = 1; i < merged.size(); ++i) {
    if (merged[i].c.score >= top.c.score - s.ambiguity_margin) ambiguous = true;
  }
  // "ambiguous" first: it tells the person that there is a choice to make.
  if (ambiguous) {
    d.why_not = "ambiguous";
  } else if (top.c.score < s.auto_threshold) {
    d.why_not = "below threshold";
  } else if (top.disputed) {
    d.why_not = "disputed";
  } else {
    d.auto_apply = true;
  }
  for (size_t i = 0; i < merged.size() && i < kCandidatesMax; ++i) {
    Candidate c = std::move(merged[i].c);
    if (merged[i].disputed) c.reasons.push_back("an invoice is disputed: never applied without a person");
    for (const auto& n : payer_notes) c.reasons.push_back(n);
    d.candidates.push_back(std::move(c));
  }
  return d;
}

void match_in_order(Index& index, const std::vector<BankLine>& lines, const Settings& s, int threads,
                    const std::function<void(size_t, Decision&&)>& on_decision) {
  // Blocks of lines are prepared ahead, at most kWindow blocks beyond the
  // one being decided (bounded memory); the decisions stay in line order on
  // the calling thread, so the result does not depend on the threads.
  constexpr size_t kBlock = 512;
  constexpr size_t kWindow = 16;
  const size_t n = lines.size();
  const size_t blocks = (n + kBlock - 1) / kBlock;
  if (threads <= 1 || blocks < 2) {
    for (size_t k = 0; k < n; ++k) on_decision(k, index.match(lines[k], s));
    return;
  }
  std::vector<std::vector<PreparedLine>> ring(kWindow);
  std::vector<char> ready(blocks, 0);
  std::mutex mu;
  std::condition_variable cv;
  size_t next_claim = 0;  // the next block nobody prepares yet
  size_t decided = 0;     // blocks below this are done with their ring slot
  bool stop = false;
  std::exception_ptr worker_error;
  auto prepare_block = [&](size_t b) {
    auto& out = ring[b % kWindow];
    out.clear();
    for (size_t k = b * kBlock; k < std::min(n, (b + 1) * kBlock); ++k) out.push_back(index.prepare(lines[k]));
  };
  auto worker = [&] {
    for (;;) {
      size_t b = 0;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stop || next_claim >= blocks || next_claim < decided + kWindow; });
        if (stop || next_claim >= blocks) return;
        b = next_claim++;
      }
      try {
        prepare_block(b);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!worker_error) worker_error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        ready[b] = 1;
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& t : pool) t.join();
  };
  try {
    for (size_t b = 0; b < blocks; ++b) {
      bool mine = false;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (next_claim == b) {
          ++next_claim;
          mine = true;
        } else {
          cv.wait(lock, [&] { return ready[b] != 0; });
          if (worker_error) std::rethrow_exception(worker_error);
        }
      }
      if (mine) prepare_block(b);
      const auto& prepared = ring[b % kWindow];
      for (size_t k = b * kBlock; k < std::min(n, (b + 1) * kBlock); ++k) {
        on_decision(k, index.decide(lines[k], prepared[k - b * kBlock], s));
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        decided = b + 1;
      }
      cv.notify_all();
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

const PostingRule* posting_rule_for(const std::vector<PostingRule>& rules, const BankLine& line) {
  const std::string party = lower_ascii(line.counterparty_name);
  const std::string text = lower_ascii(line.reference) + "\n" + lower_ascii(line.remittance);
  const int sign = line.amount_minor > 0 ? 1 : line.amount_minor < 0 ? -1 : 0;
  for (const auto& r : rules) {
    if (r.sign && *r.sign != sign) continue;
    if (r.bank_own_only && !line.counterparty_iban.empty()) continue;
    if (r.counterparty_contains && party.find(lower_ascii(*r.counterparty_contains)) == std::string::npos) continue;
    if (r.text_contains && text.find(lower_ascii(*r.text_contains)) == std::string::npos) continue;
    if (!r.counterparty_contains && !r.text_contains && !r.sign) continue;  // a rule with no pattern matches nothing
    return &r;
  }
  return nullptr;
}

}  // namespace o2c::reconcile
