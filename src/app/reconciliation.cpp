#include "app/reconciliation.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "app/audit.h"
#include "app/ledger.h"
#include "core/currency.h"
#include "core/decimal.h"
#include "domain/billing/invoice.h"
#include "domain/masterdata/fields.h"
#include "domain/payments/allocation.h"
#include "domain/reconcile/match.h"
#include "formats/bank/internal.h"
#include "formats/bank/statement.h"
#include "security/crypto.h"
#include "store/invoices_repo.h"
#include "store/ledger_repo.h"
#include "store/payments_repo.h"

namespace o2c::app {
namespace {

using nlohmann::json;
namespace fb = formats::bank;

constexpr size_t kTextMax = 1000;  // a remittance is 140 characters by SEPA; banks concatenate several
// Lines per unit of work of a reconciliation run: each booking takes a
// savepoint, and PostgreSQL keeps 64 subtransactions per transaction cheap.
constexpr int kRunPage = 50;
constexpr int kRunAttemptsMax = 5;
constexpr size_t kInsertBatch = 1000;  // lines handed to the store at once
constexpr size_t kDigestAsideBytes = size_t{1} << 20;

// Batches of rows from the thread that makes them to the one that stores
// them, at most a few ahead (memory stays bounded whatever the file).
struct RowBatch {
  size_t statement = 0;                   // index in the file
  std::optional<fb::Statement> begin;     // the statement's head, with its first batch
  std::vector<store::bank::Line> rows;    // statement_id still 0
  int64_t file_lines = 0;                 // the file's lines these rows came from (progress)
  int64_t not_booked = 0;                 // of those, pending or information entries
  uint64_t booked_sum = 0;                // of those, the booked amounts (wrapping, as Statement's)
  bool discard = false;                   // every batch before is void (the reader starts again)
};
class RowQueue {
 public:
  // False once the consumer has given up: the maker stops.
  bool push(RowBatch&& b) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return batches_.size() < kAhead || cancelled_; });
    if (cancelled_) return false;
    batches_.push_back(std::move(b));
    ready_.notify_one();
    return true;
  }
  // The next batch in order; nullopt once the maker has closed and all are taken.
  std::optional<RowBatch> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || closed_; });
    if (batches_.empty()) return std::nullopt;
    RowBatch b = std::move(batches_.front());
    batches_.pop_front();
    room_.notify_one();
    return b;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    room_.notify_all();
  }

 private:
  // Room for a whole camt piece's batches (~8 MB, ~13 batches): the reader
  // hands a piece over in one burst and then parses the next, and with only
  // 4 batches of room each thread waited on the other ~30 % of the time.
  static constexpr size_t kAhead = 32;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<RowBatch> batches_;
  bool closed_ = false, cancelled_ = false;
};

// Length of the valid UTF-8 sequence at s[i], 0 when the byte starts none.
size_t utf8_len(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3;
  else if (b >= 0xF0 && b <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// MT940 and CSV exports of European banks are often ISO 8859-1: a file that
// is not UTF-8 is read as Latin-1, so that "Müller" stays "Müller".
std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  return out;
}

// Stored text is valid UTF-8 (PostgreSQL refuses anything else): bytes that
// form no character become '?', and a cut never splits a character.
std::string clip(std::string_view in, size_t max = kTextMax) {
  // Nearly every text is valid and short enough: checked in one pass and
  // copied whole (a million-line import clips eight texts a line).
  if (in.size() <= max) {
    size_t i = 0;
    while (i < in.size()) {
      const size_t n = static_cast<unsigned char>(in[i]) < 0x80 ? 1 : utf8_len(in, i);
      if (n == 0) break;
      i += n;
    }
    if (i == in.size()) return std::string(in);
  }
  std::string s;
  s.reserve(std::min(in.size(), max));
  for (size_t i = 0; i < in.size();) {
    const size_t n = utf8_len(in, i);
    if (n == 0) {
      if (s.size() + 1 > max) break;
      s += '?';
      ++i;
      continue;
    }
    if (s.size() + n > max) break;
    s.append(in.substr(i, n));
    i += n;
  }
  return s;
}
std::optional<std::string> opt_text(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return clip(s);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The media type without parameters ("text/csv; charset=utf-8" -> "text/csv").
std::string media_type(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  return lower(t);
}

// Placeholders some banks write where they have no reference.
bool is_placeholder(const std::string& ref) {
  const std::string r = lower(ref);
  return r.empty() || r == "nonref" || r == "notprovided" || r == "none" || r == "n/a";
}

Result<fb::CsvProfile> profile_from_json(const std::string& text, std::string* name_out) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Error::malformed("invalid_json", "a CSV profile is a JSON object");
  fb::CsvProfile p;
  auto str = [&](const char* key, std::string& out) -> Result<void> {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_string()) return Error::invalid("invalid_field", std::string(key) + " is a string", key);
    out = j[key].get<std::string>();
    return {};
  };
  auto chr = [&](const char* key, char& out) -> Result<void> {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_string()) return Error::invalid("invalid_field", std::string(key) + " is a one-character string", key);
    std::string v = j[key].get<std::string>();
    if (v == "\\t" || lower(v) == "tab") v = "\t";
    if (v.size() != 1) return Error::invalid("invalid_field", std::string(key) + " is one character", key);
    out = v[0];
    return {};
  };
  O2C_TRY(str("name", p.name));
  O2C_TRY(chr("delimiter", p.delimiter));
  O2C_TRY(chr("decimal_separator", p.decimal_separator));
  if (j.contains("has_header") && !j["has_header"].is_null()) {
    if (!j["has_header"].is_boolean()) return Error::invalid("invalid_field", "has_header is true or false", "has_header");
    p.has_header = j["has_header"].get<bool>();
  }
  if (j.contains("skip_lines") && !j["skip_lines"].is_null()) {
    if (!j["skip_lines"].is_number_integer() || j["skip_lines"].get<int64_t>() < 0 ||
        j["skip_lines"].get<int64_t>() > 100) {
      return Error::invalid("invalid_field", "skip_lines is a whole number from 0 to 100", "skip_lines");
    }
    p.skip_lines = static_cast<int>(j["skip_lines"].get<int64_t>());
  }
  O2C_TRY(str("booking_date", p.booking_date));
  O2C_TRY(str("value_date", p.value_date));
  O2C_TRY(str("amount", p.amount));
  O2C_TRY(str("credit", p.credit));
  O2C_TRY(str("debit", p.debit));
  O2C_TRY(str("currency", p.currency));
  O2C_TRY(str("counterparty_name", p.counterparty_name));
  O2C_TRY(str("counterparty_iban", p.counterparty_iban));
  O2C_TRY(str("remittance", p.remittance));
  O2C_TRY(str("reference", p.reference));
  O2C_TRY(str("bank_reference", p.bank_reference));
  O2C_TRY(str("date_format", p.date_format));
  O2C_TRY(str("account", p.account));
  O2C_TRY(str("default_currency", p.default_currency));
  if (name_out) *name_out = p.name;
  return p;
}

json profile_to_json(const fb::CsvProfile& p) {
  json j = {{"name", p.name},
            {"delimiter", std::string(1, p.delimiter)},
            {"decimal_separator", std::string(1, p.decimal_separator)},
            {"has_header", p.has_header},
            {"skip_lines", p.skip_lines},
            {"date_format", p.date_format}};
  const std::pair<const char*, const std::string*> cols[] = {
      {"booking_date", &p.booking_date}, {"value_date", &p.value_date},
      {"amount", &p.amount},             {"credit", &p.credit},
      {"debit", &p.debit},               {"currency", &p.currency},
      {"counterparty_name", &p.counterparty_name}, {"counterparty_iban", &p.counterparty_iban},
      {"remittance", &p.remittance},     {"reference", &p.reference},
      {"bank_reference", &p.bank_reference}, {"account", &p.account},
      {"default_currency", &p.default_currency}};
  for (const auto& [k, v] : cols) {
    if (!v->empty()) j[k] = *v;
  }
  return j;
}

// What one bank line of ours is made of: an entry, or one itemised detail
// of it when the bank states each detail's amount and they add up.
struct Piece {
  int64_t amount_minor = 0;
  const fb::Detail* detail = nullptr;  // nullptr: the entry's details joined
  int index = 0;                       // detail index, 0 for a whole entry
};

std::vector<Piece> pieces_of(const fb::Line& l) {
  if (l.details.size() > 1) {
    int64_t sum = 0;
    bool all = true;
    for (const auto& d : l.details) {
      if (!d.amount_minor || *d.amount_minor <= 0) {
        all = false;
        break;
      }
      sum += *d.amount_minor;
    }
    if (all && sum == (l.amount_minor < 0 ? -l.amount_minor : l.amount_minor)) {
      std::vector<Piece> out;
      for (size_t i = 0; i < l.details.size(); ++i) {
        const int64_t a = *l.details[i].amount_minor;
        out.push_back({l.amount_minor < 0 ? -a : a, &l.details[i], static_cast<int>(i + 1)});
      }
      return out;
    }
  }
  return {{l.amount_minor, l.details.size() == 1 ? &l.details[0] : nullptr, 0}};
}

std::string joined(const std::vector<fb::Detail>& ds, std::string fb::Detail::*field, const char* sep) {
  std::string out;
  for (const auto& d : ds) {
    const std::string& v = d.*field;
    if (v.empty()) continue;
    if (!out.empty()) out += sep;
    out += v;
  }
  return out;
}

std::string first_of(const std::vector<fb::Detail>& ds, std::string fb::Detail::*field) {
  for (const auto& d : ds) {
    if (!(d.*field).empty()) return d.*field;
  }
  return {};
}

store::bank::Line line_of(const fb::Statement& s, const fb::Line& l, const Piece& p, int64_t statement_id) {
  store::bank::Line out;
  out.statement_id = statement_id;
  out.account = clip(s.account, 100);
  // Each amount is in the currency the file states for it: a line in
  // another currency than its statement's (seen in a test file) keeps its own.
  out.currency = clip(l.currency.empty() ? s.currency : l.currency, 10);
  out.amount_minor = p.amount_minor;
  out.booking_date = l.booking_date;
  out.value_date = opt_text(l.value_date);
  std::string name, iban, reference, remittance, e2e;
  if (p.detail) {
    name = p.detail->counterparty_name;
    iban = p.detail->counterparty_iban;
    reference = p.detail->structured_reference;
    remittance = p.detail->remittance;
    e2e = p.detail->end_to_end_id;
  } else {
    name = first_of(l.details, &fb::Detail::counterparty_name);
    iban = first_of(l.details, &fb::Detail::counterparty_iban);
    reference = joined(l.details, &fb::Detail::structured_reference, " ");
    remittance = joined(l.details, &fb::Detail::remittance, " | ");
    e2e = first_of(l.details, &fb::Detail::end_to_end_id);
  }
  if (reference.empty() && !is_placeholder(e2e)) reference = e2e;
  if (reference.empty() && !is_placeholder(l.customer_reference)) reference = l.customer_reference;
  out.counterparty_name = opt_text(name);
  out.counterparty_iban = opt_text(iban);
  out.reference = opt_text(reference);
  out.remittance = opt_text(remittance);
  out.bank_reference = opt_text(is_placeholder(l.bank_reference) ? std::string() : l.bank_reference);
  out.transaction_code = opt_text(l.transaction_code);
  return out;
}

// The same movement in a re-sent or overlapping file gets the same key: the
// bank's own id of the entry when it gives a real one, else what the line
// says, numbered when one file has identical lines (two equal transfers on
// one day are two lines, the same transfer in two files is one).
std::string dedupe_base(const store::bank::Line& l, const Piece& p) {
  const std::string amount = std::to_string(l.amount_minor);
  if (l.bank_reference) return "B|" + *l.bank_reference + "|" + l.booking_date + "|" + amount + "|" + std::to_string(p.index);
  return "H|" + security::sha256_hex(l.booking_date + "|" + amount + "|" + l.counterparty_iban.value_or("") + "|" +
                                     l.counterparty_name.value_or("") + "|" + l.reference.value_or("") + "|" +
                                     l.remittance.value_or("") + "|" + l.value_date.value_or("") + "|" +
                                     std::to_string(p.index));
}

json line_json_for_audit(const store::bank::Line& l) {
  return {{"amount_minor", l.amount_minor}, {"currency", l.currency}, {"booking_date", l.booking_date}};
}

Result<Currency> currency_of_line(const store::bank::Line& l) {
  auto c = Currency::of(l.currency);
  if (!c) return Error::invalid("unknown_currency", "the line's currency " + l.currency + " is not one o2c books");
  return *c;
}

// "fees", "interest" or a code of the chart.
Result<std::string> account_code(store::UnitOfWork& uow, const std::string& name) {
  const std::string n = lower(name);
  if (n == "fees" || n == "bank_charges" || n == "charges") return std::string("6300");
  if (n == "interest") return std::string("4300");
  if (store::ledger::account_exists(uow, name)) {
    if (name == ledger::kAccountsReceivable || name == ledger::kBank || name == ledger::kCustomerCredit) {
      return Error::invalid("unknown_account",
                            "account " + name + " is kept by o2c itself: match the line to invoices instead", "account");
    }
    return name;
  }
  return Error::invalid("unknown_account", "no account '" + name + "': use fees, interest or a code of the chart",
                        "account");
}

// Books a line that is no customer's money to `account`.
Result<int64_t> post_to_account(Context& ctx, const store::bank::Line& l, const std::string& account,
                                const std::string& why) {
  O2C_ASSIGN_OR_RETURN(auto document, currency_of_line(l));
  const Currency functional = functional_currency(ctx.uow, document);
  O2C_ASSIGN_OR_RETURN(auto rate, rate_for(ctx.uow, document, functional, l.booking_date));
  const int64_t magnitude = l.amount_minor < 0 ? -l.amount_minor : l.amount_minor;
  O2C_ASSIGN_OR_RETURN(auto f, billing::to_functional(Money(magnitude, document), rate, functional));
  ledger::Entry e;
  e.entry_date = l.booking_date;
  e.currency = std::string(functional.code());
  e.source_type = "bank_line";
  e.source_id = std::to_string(l.id);
  e.memo = clip("Bank line " + std::to_string(l.id) + ": " + why + " " +
                    l.counterparty_name.value_or(l.remittance.value_or("")),
                200);
  if (l.amount_minor > 0) {
    e.postings.push_back({ledger::kBank, f.minor(), 0});
    e.postings.push_back({account, 0, f.minor()});
  } else {
    e.postings.push_back({account, f.minor(), 0});
    e.postings.push_back({ledger::kBank, 0, f.minor()});
  }
  O2C_ASSIGN_OR_RETURN(auto id, post_entry(ctx, e));
  if (!id) return Error::internal("a bank line of zero was posted");
  return *id;
}

reconcile::BankLine matcher_line(const store::bank::Line& l) {
  reconcile::BankLine b;
  b.amount_minor = l.amount_minor;
  b.currency = l.currency;
  if (auto d = Date::parse(l.booking_date); d.ok()) b.booking_date = *d;
  b.counterparty_name = l.counterparty_name.value_or("");
  b.counterparty_iban = l.counterparty_iban.value_or("");
  b.reference = l.reference.value_or("");
  b.remittance = l.remittance.value_or("");
  return b;
}

json suggestions_json(const reconcile::Decision& d, const std::map<int64_t, std::string>& numbers, int exp) {
  json out = json::array();
  for (const auto& c : d.candidates) {
    json ids = json::array(), allocs = json::array();
    for (const auto& a : c.allocations) {
      ids.push_back(std::to_string(a.invoice_id));
      auto it = numbers.find(a.invoice_id);
      allocs.push_back({{"invoice_id", std::to_string(a.invoice_id)},
                        {"number", it == numbers.end() ? std::string() : it->second},
                        {"amount", format_scaled(a.amount_minor, exp)}});
    }
    out.push_back({{"invoice_ids", ids},
                   {"score", c.score},
                   {"rule", reconcile::rule_name(c.rule)},
                   {"customer_id", std::to_string(c.customer_id)},
                   {"allocations", allocs},
                   {"reasons", c.reasons}});
  }
  return out;
}

Result<payments::Payment> pay_from_line(Context& ctx, const store::bank::Line& l, int64_t customer_id,
                                        const std::vector<reconcile::CandidateAllocation>& allocations, int exp) {
  PaymentDraft d;
  d.customer_id = std::to_string(customer_id);
  d.amount = format_scaled(l.amount_minor, exp);
  d.currency = l.currency;
  d.method = "bank_transfer";
  std::string ref = l.reference.value_or(l.bank_reference.value_or("bank line " + std::to_string(l.id)));
  d.reference = clip(ref, 200);
  d.received_on = l.booking_date;
  if (!allocations.empty()) {
    std::vector<AllocationDraft> a;
    for (const auto& x : allocations) a.push_back({std::to_string(x.invoice_id), format_scaled(x.amount_minor, exp)});
    d.allocations = std::move(a);
  }
  return record_payment(ctx, d);
}

// Makes the rows of the lines the reader hands over, in batches for the
// store; a file's identical lines are numbered per account (dedupe keys).
class RowMaker final : public fb::LineSink {
 public:
  struct Stopped {};  // the storing side gave up: unwinds the reader
  RowMaker(RowQueue& queue, std::optional<std::string> csv_home_currency)
      : queue_(queue), csv_home_currency_(std::move(csv_home_currency)) {}

  void lines(size_t statement, const fb::Statement& s, std::vector<fb::Line>&& lines) override {
    RowBatch batch;
    batch.statement = statement;
    if (!started_ || statement != current_) {
      started_ = true;
      current_ = statement;
      batch.begin = s;
    }
    for (const auto& l : lines) {
      ++batch.file_lines;
      if (!l.booked) {
        ++batch.not_booked;
        continue;
      }
      batch.booked_sum += static_cast<uint64_t>(l.amount_minor);
      if (l.amount_minor == 0) continue;  // a zero entry moves nothing (camt samples have them)
      for (const auto& p : pieces_of(l)) {
        store::bank::Line row = line_of(s, l, p, 0);
        std::string base = dedupe_base(row, p);
        // A CSV file may hold several currencies of one account (one
        // statement each); two lines alike but for the currency are two
        // lines. The profile's own currency keeps the key it always had.
        if (csv_home_currency_ && row.currency != *csv_home_currency_) base += "|" + row.currency;
        const int n = ++seen_[s.account + "\x1f" + base];
        row.dedupe_key = base + "#" + std::to_string(n);
        batch.rows.push_back(std::move(row));
      }
      if (batch.rows.size() >= kInsertBatch) {
        push(std::exchange(batch, RowBatch{}));
        batch.statement = statement;
      }
    }
    push(std::move(batch));
  }
  void discard() override {
    seen_.clear();
    started_ = false;
    RowBatch b;
    b.discard = true;
    push(std::move(b));
  }

 private:
  void push(RowBatch&& b) {
    if (!queue_.push(std::move(b))) throw Stopped{};
  }
  RowQueue& queue_;
  std::optional<std::string> csv_home_currency_;
  std::unordered_map<std::string, int> seen_;  // per account and base key: how often this file had it
  bool started_ = false;
  size_t current_ = 0;
};

// The entries of a camt file, by their end tags ("</Ntry>", "</x:Ntry>"),
// for a progress count before the reader has seen them (a text count:
// one in a comment counts too, so it is only a hint).
int64_t count_camt_entries(std::string_view xml) {
  int64_t n = 0;
  for (size_t at = xml.find("Ntry>"); at != std::string_view::npos; at = xml.find("Ntry>", at + 5)) {
    size_t b = at;
    if (b > 0 && xml[b - 1] == ':') {
      --b;
      while (b > 0 && (std::isalnum(static_cast<unsigned char>(xml[b - 1])) || xml[b - 1] == '_' || xml[b - 1] == '-' ||
                       xml[b - 1] == '.')) {
        --b;
      }
    }
    if (b >= 2 && xml[b - 1] == '/' && xml[b - 2] == '<') ++n;
  }
  return n;
}

}  // namespace

Result<StatementImport> import_statement(Context& ctx, const StatementUpload& upload) {
  if (upload.content.empty()) return Error::invalid("empty_file", "the statement file is empty");
  const std::string type = media_type(upload.content_type);
  std::optional<fb::Format> wanted;
  if (type == "application/xml" || type == "text/xml") {
    wanted = fb::Format::camt053;
  } else if (type == "text/plain" || type == "application/x-swift-mt940") {
    wanted = fb::Format::mt940;
  } else if (type == "text/csv") {
    wanted = fb::Format::csv;
  } else if (!type.empty() && type != "application/octet-stream") {
    return Error{ErrorKind::unprocessable, "unsupported_media_type",
                 "statements come as application/xml (camt.053/052/054), text/plain (MT940) or text/csv", ""};
  }
  const fb::Format kind = wanted ? *wanted : fb::sniff(upload.content);
  // The file's digest is kept with the import. A large file's is taken on
  // another core while it is parsed (0.3 s for 644 MB here).
  std::string file_sha256;
  std::jthread digest;
  if (upload.content.size() >= kDigestAsideBytes) {
    digest = std::jthread([&] { file_sha256 = security::sha256_hex(upload.content); });
  } else {
    file_sha256 = security::sha256_hex(upload.content);
  }

  std::optional<int64_t> profile_id;
  // The currency a CSV profile's lines have when they name none; see below.
  std::optional<fb::CsvProfile> csv_profile;
  if (kind == fb::Format::csv) {
    if (!upload.csv_profile || upload.csv_profile->empty()) {
      return Error::invalid("csv_profile_required",
                            "a CSV statement needs its column mapping: ?profile= the id or name of a bank CSV profile",
                            "profile");
    }
    std::optional<store::bank::CsvProfileRow> row;
    const std::string& ref = *upload.csv_profile;
    if (std::all_of(ref.begin(), ref.end(), [](unsigned char c) { return std::isdigit(c); }) && ref.size() < 18) {
      row = store::bank::find_csv_profile(ctx.uow, std::stoll(ref));
    }
    if (!row) row = store::bank::find_csv_profile_by_name(ctx.uow, ref);
    if (!row) return Error::invalid("unknown_csv_profile", "no bank CSV profile '" + ref + "'", "profile");
    O2C_ASSIGN_OR_RETURN(auto profile, profile_from_json(row->definition, nullptr));
    profile_id = row->id;
    csv_profile = std::move(profile);
  }
  const bool xml = kind == fb::Format::camt052 || kind == fb::Format::camt053 || kind == fb::Format::camt054;
  const std::string latin1_read = !xml && !valid_utf8(upload.content) ? latin1_to_utf8(upload.content) : std::string();
  const std::string_view content = latin1_read.empty() ? upload.content : std::string_view(latin1_read);

  // The file is read on another thread, which also makes the rows (clipping,
  // dedupe keys); this one stores them as they come. A large camt file is
  // read a piece at a time (formats/bank read_camt), so storing starts after
  // the first few megabytes instead of after the whole parse, and neither
  // the whole tree nor all lines are ever held. The store is only ever used
  // from this thread.
  RowQueue queue;
  RowMaker maker(queue, csv_profile ? std::optional<std::string>(csv_profile->default_currency) : std::nullopt);
  std::atomic<int64_t> total_read{0};  // the file's lines, once a whole read knows them
  std::optional<Result<fb::ParsedFile>> parsed;
  std::exception_ptr read_error;
  std::jthread reader([&] {
    try {
      if (xml) {
        if (upload.camt_pieces_for_testing) {
          const auto [from, size] = *upload.camt_pieces_for_testing;
          parsed.emplace(fb::detail::read_camt_with(content, maker, {from, size}, nullptr));
        } else {
          parsed.emplace(fb::read_camt(content, maker));
        }
      } else {
        parsed.emplace(kind == fb::Format::csv ? fb::parse_csv(content, *csv_profile) : fb::parse_mt940(content));
        if (parsed->ok()) {
          int64_t n = 0;
          for (const auto& st : (*parsed)->statements) n += static_cast<int64_t>(st.lines.size());
          total_read = n;
          fb::hand_over(**parsed, maker);
        }
      }
    } catch (const RowMaker::Stopped&) {
    } catch (...) {
      read_error = std::current_exception();
    }
    queue.close();
  });
  // For the progress of a file read in pieces: its entries, counted on this
  // thread while the first piece is read.
  const int64_t counted = upload.progress && xml ? count_camt_entries(content) : 0;

  ctx.uow.exec("SAVEPOINT bank_import");
  StatementImport out;
  store::bank::Import imp;
  std::vector<store::bank::Statement> rows;  // by statement index
  std::vector<uint64_t> booked;
  int64_t done = 0, reported = 0, offered = 0;
  {
    // An error while storing stops the reader before it is joined.
    struct StopOnExit {
      RowQueue& q;
      ~StopOnExit() { q.cancel(); }
    } stop{queue};
    while (auto batch = queue.pop()) {
      if (batch->discard) {
        ctx.uow.exec("ROLLBACK TO SAVEPOINT bank_import");
        imp = {};
        rows.clear();
        booked.clear();
        out.lines_not_booked = done = reported = offered = 0;
        continue;
      }
      if (imp.id == 0) {
        imp.format = fb::format_name(batch->begin ? batch->begin->format : kind);
        if (digest.joinable()) digest.join();
        imp.file_sha256 = file_sha256;
        imp.file_name = upload.file_name;
        imp.csv_profile_id = profile_id;
        if (ctx.actor.id.valid()) imp.imported_by = ctx.actor.id.value();
        imp.imported_at = ctx.clock.now_rfc3339();
        imp.id = store::bank::insert_import(ctx.uow, imp);
      }
      if (batch->begin) {
        // A statement without :25: (a bank's export cut short) is still the
        // bank's word on its lines; they are kept under the empty account
        // and deduplicated among themselves.
        const fb::Statement& s = *batch->begin;
        store::bank::Statement st;
        st.import_id = imp.id;
        st.seq = static_cast<int>(batch->statement) + 1;
        st.message_id = opt_text(s.message_id);
        st.statement_ref = opt_text(s.statement_id);
        st.account = clip(s.account, 100);
        st.currency = clip(s.currency, 10);
        st.id = store::bank::insert_statement(ctx.uow, st);
        rows.resize(batch->statement + 1);
        booked.resize(batch->statement + 1);
        rows[batch->statement] = std::move(st);
      }
      store::bank::Statement& st = rows.at(batch->statement);
      booked[batch->statement] += batch->booked_sum;
      out.lines_not_booked += batch->not_booked;
      done += batch->file_lines;
      if (!batch->rows.empty()) {
        for (auto& r : batch->rows) r.statement_id = st.id;
        const int64_t n = store::bank::insert_lines(ctx.uow, batch->rows);
        st.lines += n;
        imp.lines_imported += n;
        offered += static_cast<int64_t>(batch->rows.size());
      }
      if (upload.progress && done - reported >= 4096) {
        reported = done;
        upload.progress(done, std::max({done, counted, total_read.load()}));
      }
    }
  }
  reader.join();
  if (digest.joinable()) digest.join();
  if (read_error) std::rethrow_exception(read_error);
  if (!parsed || !parsed->ok() || (*parsed)->statements.empty()) {
    // Nothing of a refused file stays, even where the caller commits.
    ctx.uow.exec("ROLLBACK TO SAVEPOINT bank_import");
    ctx.uow.exec("RELEASE SAVEPOINT bank_import");
    if (parsed && !parsed->ok()) {
      // The message may quote the file: it goes out as JSON, so as UTF-8.
      Error e = parsed->take_error();
      e.message = clip(e.message);
      e.field = clip(e.field, 300);
      return e;
    }
    return Error::malformed("invalid_statement", "the file holds no statement");
  }
  const fb::ParsedFile& file = **parsed;
  if (rows.size() != file.statements.size() || imp.id == 0) {
    return Error::internal("bank import: " + std::to_string(rows.size()) + " statements stored of " +
                           std::to_string(file.statements.size()) + " read");
  }
  for (const auto& w : file.warnings) out.warnings.push_back(clip(w));
  for (size_t i = 0; i < file.statements.size(); ++i) {
    // The balances are final only now: a bank may state them after the entries.
    const fb::Statement& s = file.statements[i];
    store::bank::Statement& st = rows[i];
    if (s.opening) {
      st.opening_minor = s.opening->amount_minor;
      st.opening_date = opt_text(s.opening->date);
      st.opening_kind = opt_text(s.opening->kind);
    }
    if (s.closing) {
      st.closing_minor = s.closing->amount_minor;
      st.closing_date = opt_text(s.closing->date);
      st.closing_kind = opt_text(s.closing->kind);
    }
    st.booked_sum_minor = static_cast<int64_t>(booked[i]);
    st.balanced = s.balances_with(st.booked_sum_minor);
    store::bank::finish_statement(ctx.uow, st);
    out.statements.push_back(st);
  }
  if (upload.progress) upload.progress(done, done);
  imp.format = fb::format_name(file.format);
  imp.statements = static_cast<int>(file.statements.size());
  imp.lines_skipped_duplicate = offered - imp.lines_imported;
  store::bank::finish_import(ctx.uow, imp);
  ctx.uow.exec("RELEASE SAVEPOINT bank_import");
  record_event(ctx, "bank_import", std::to_string(imp.id), "imported",
               {{"format", imp.format},
                {"file_sha256", imp.file_sha256},
                {"statements", imp.statements},
                {"lines_imported", imp.lines_imported},
                {"lines_skipped_duplicate", imp.lines_skipped_duplicate}});
  out.import = imp;
  return out;
}

MatcherView matcher_view(store::UnitOfWork& uow) {
  MatcherView v;
  for (auto& r : store::bank::open_invoices(uow)) {
    reconcile::OpenInvoice o;
    o.invoice_id = r.invoice_id;
    o.customer_id = r.customer_id;
    o.number = std::move(r.number);
    o.creditor_reference = std::move(r.creditor_reference);
    o.order_reference = std::move(r.order_reference);
    o.currency = std::move(r.currency);
    o.open_minor = r.open_minor;
    if (r.discount_minor > 0 && r.discount_date) {
      if (auto d = Date::parse(*r.discount_date); d.ok()) {
        o.discount_date = *d;
        o.discount_minor = payments::discount_available(r.discount_minor, r.total_minor, r.credited_minor);
      }
    }
    if (auto d = Date::parse(r.due_date); d.ok()) o.due_date = *d;
    o.disputed = r.disputed;
    v.invoices.push_back(std::move(o));
  }
  for (auto& c : store::bank::customers_with_ibans(uow)) {
    v.customers.push_back({c.customer_id, std::move(c.name), std::move(c.ibans)});
  }
  return v;
}

namespace {

// What a run knows before it looks at the first line: read once.
struct RunState {
  std::unique_ptr<reconcile::Index> index;
  std::map<int64_t, std::string> numbers;
  std::vector<reconcile::PostingRule> rules;
  std::optional<masterdata::Company> company;
  reconcile::Settings settings;
  std::optional<int64_t> by;
  std::string now;
};

void load_state(store::UnitOfWork& uow, RunState& st) {
  MatcherView view = matcher_view(uow);
  st.numbers.clear();
  for (const auto& o : view.invoices) st.numbers[o.invoice_id] = o.number;
  st.index = std::make_unique<reconcile::Index>(std::move(view.invoices), std::move(view.customers));
  st.rules.clear();
  for (const auto& r : store::bank::posting_rules(uow)) {
    reconcile::PostingRule p{r.name, r.counterparty_contains, r.text_contains, r.sign, r.account};
    p.bank_own_only = r.bank_own_only;
    st.rules.push_back(std::move(p));
  }
  st.company = store::company::get(uow);
}

enum class Outcome { matched, posted, suggested, unmatched };

// One open line, in the caller's unit of work: booked, posted, suggested or
// left unmatched. A booking that fails (e.g. no exchange rate for its day)
// is rolled back to its savepoint and the line stays a suggestion.
Outcome reconcile_line(Context& ctx, RunState& st, const store::bank::Line& l) {
  auto currency = Currency::of(l.currency);
  if (!currency) {
    store::bank::set_suggestions(ctx.uow, l.id, "unmatched", "[]");
    return Outcome::unmatched;
  }
  const int exp = currency->exponent();
  st.settings.fee_tolerance_minor = st.company && l.currency == st.company->currency
                                        ? std::max<int64_t>(st.company->write_off_tolerance_minor, 0)
                                        : 0;
  const reconcile::BankLine bl = matcher_line(l);
  reconcile::Decision d;
  if (l.amount_minor > 0) d = st.index->match(bl, st.settings);
  if (d.auto_apply && !d.candidates.empty()) {
    const auto& best = d.candidates.front();
    ctx.uow.exec("SAVEPOINT bank_line");
    auto paid = pay_from_line(ctx, l, best.customer_id, best.allocations, exp);
    if (paid.ok()) {
      ctx.uow.exec("RELEASE SAVEPOINT bank_line");
      store::bank::set_matched(ctx.uow, l.id, paid->id, std::nullopt, std::nullopt, reconcile::rule_name(best.rule),
                               st.by, st.now);
      for (const auto& a : paid->allocations) {
        st.index->settle(a.invoice_id, a.cash_minor + a.discount_minor + a.write_off_minor);
      }
      record_event(ctx, "bank_line", std::to_string(l.id), "matched",
                   {{"rule", reconcile::rule_name(best.rule)},
                    {"score", best.score},
                    {"payment_id", std::to_string(paid->id)},
                    {"reasons", best.reasons},
                    {"line", line_json_for_audit(l)}});
      return Outcome::matched;
    }
    ctx.uow.exec("ROLLBACK TO SAVEPOINT bank_line");
    ctx.uow.exec("RELEASE SAVEPOINT bank_line");
    d.auto_apply = false;
    d.why_not = paid.error().code + ": " + paid.error().message;
  }
  if (!d.candidates.empty()) {
    json s = suggestions_json(d, st.numbers, exp);
    if (!d.why_not.empty() && !s.empty()) s[0]["why_not_applied"] = d.why_not;
    store::bank::set_suggestions(ctx.uow, l.id, "suggested", s.dump());
    return Outcome::suggested;
  }
  if (const auto* rule = reconcile::posting_rule_for(st.rules, bl)) {
    ctx.uow.exec("SAVEPOINT bank_line");
    auto entry = post_to_account(ctx, l, rule->account, rule->name);
    if (entry.ok()) {
      ctx.uow.exec("RELEASE SAVEPOINT bank_line");
      store::bank::set_matched(ctx.uow, l.id, std::nullopt, *entry, rule->account, rule->name, st.by, st.now);
      record_event(ctx, "bank_line", std::to_string(l.id), "posted",
                   {{"rule", rule->name},
                    {"account", rule->account},
                    {"ledger_entry_id", std::to_string(*entry)},
                    {"line", line_json_for_audit(l)}});
      return Outcome::posted;
    }
    ctx.uow.exec("ROLLBACK TO SAVEPOINT bank_line");
    ctx.uow.exec("RELEASE SAVEPOINT bank_line");
  }
  store::bank::set_suggestions(ctx.uow, l.id, "unmatched", "[]");
  return Outcome::unmatched;
}

}  // namespace

Result<ReconciliationRun> run_reconciliation(store::Database& db, const Clock& clock, const Actor& actor,
                                             const RunOptions& opts) {
  ReconciliationRun run;
  RunState st;
  {
    auto uow = db.begin(store::TxMode::read);
    run.auto_threshold = opts.auto_threshold.value_or(store::bank::auto_threshold(*uow));
    if (run.auto_threshold < 1 || run.auto_threshold > 100) {
      return Error::invalid("invalid_threshold", "auto_threshold is a score from 1 to 100", "auto_threshold");
    }
    // The index is the whole company's open items, read once: the matcher
    // then answers each line from memory.
    load_state(*uow, st);
  }
  st.settings.auto_threshold = run.auto_threshold;
  st.now = clock.now_rfc3339();
  if (actor.id.valid()) st.by = actor.id.value();

  // A unit of work per page of lines, committed as it goes: a few dozen
  // savepoints per transaction at most (PostgreSQL slows down for the rest
  // of a transaction once it holds more than 64 subtransactions), and a run
  // cut short keeps what it booked; running again carries on.
  int64_t after = 0;
  for (;;) {
    std::vector<store::bank::Line> page;
    {
      auto uow = db.begin(store::TxMode::read);
      page = store::bank::open_lines(*uow, after, kRunPage);
    }
    if (page.empty()) break;
    for (int attempt = 1;; ++attempt) {
      try {
        ReconciliationRun counts;
        auto uow = db.begin(store::TxMode::write);
        Context ctx{*uow, actor, clock};
        for (const auto& seen : page) {
          // Matched meanwhile by a person or another run: not again.
          auto l = store::bank::find_line(*uow, seen.id, true);
          if (!l || l->status == "matched") continue;
          switch (reconcile_line(ctx, st, *l)) {
            case Outcome::matched: ++counts.matched; break;
            case Outcome::posted: ++counts.matched, ++counts.posted; break;
            case Outcome::suggested: ++counts.suggested; break;
            case Outcome::unmatched: ++counts.unmatched; break;
          }
        }
        uow->commit();
        run.matched += counts.matched;
        run.posted += counts.posted;
        run.suggested += counts.suggested;
        run.unmatched += counts.unmatched;
        break;
      } catch (const ErrorException& e) {
        if (e.error.kind != ErrorKind::unavailable || attempt >= kRunAttemptsMax) return e.error;
        // The index was told of payments that were rolled back: read it again.
        auto uow = db.begin(store::TxMode::read);
        load_state(*uow, st);
      }
    }
    after = page.back().id;
  }
  for (int attempt = 1;; ++attempt) {
    try {
      auto uow = db.begin(store::TxMode::write);
      Context ctx{*uow, actor, clock};
      record_event(ctx, "reconciliation", st.now, "run",
                   {{"matched", run.matched}, {"posted", run.posted}, {"suggested", run.suggested},
                    {"unmatched", run.unmatched}, {"auto_threshold", run.auto_threshold}});
      uow->commit();
      break;
    } catch (const ErrorException& e) {
      if (e.error.kind != ErrorKind::unavailable || attempt >= kRunAttemptsMax) return e.error;
    }
  }
  return run;
}

Result<store::bank::Line> match_line(Context& ctx, int64_t line_id, const ManualMatch& m) {
  auto line = store::bank::find_line(ctx.uow, line_id, true);
  if (!line) return Error::not_found("bank_line_not_found", "no bank line " + std::to_string(line_id));
  if (line->status == "matched") {
    return Error::conflict("already_matched", "bank line " + std::to_string(line_id) + " is matched already; unmatch it first");
  }
  const bool has_alloc = m.allocations.has_value();
  const bool has_account = m.account.has_value() && !m.account->empty();
  if (has_alloc == has_account) {
    return Error::invalid("required", "give either allocations (invoices the line pays) or account (fees, interest)",
                          has_alloc ? "account" : "allocations");
  }
  const std::string now = ctx.clock.now_rfc3339();
  const std::optional<int64_t> by = ctx.actor.id.valid() ? std::optional<int64_t>(ctx.actor.id.value()) : std::nullopt;
  if (has_account) {
    O2C_ASSIGN_OR_RETURN(auto code, account_code(ctx.uow, *m.account));
    O2C_ASSIGN_OR_RETURN(auto entry, post_to_account(ctx, *line, code, "booked by hand to " + code));
    store::bank::set_matched(ctx.uow, line_id, std::nullopt, entry, code, "manual", by, now);
    record_event(ctx, "bank_line", std::to_string(line_id), "posted",
                 {{"rule", "manual"}, {"account", code}, {"ledger_entry_id", std::to_string(entry)},
                  {"line", line_json_for_audit(*line)}});
    return *store::bank::find_line(ctx.uow, line_id);
  }
  if (line->amount_minor <= 0) {
    return Error::invalid("not_a_credit", "money going out cannot pay invoices: post it to an account", "allocations");
  }
  O2C_ASSIGN_OR_RETURN(auto currency, currency_of_line(*line));
  const auto& allocs = *m.allocations;
  if (allocs.empty()) return Error::invalid("required", "allocations is empty", "allocations");
  std::optional<CustomerId> customer;
  int64_t sum = 0;
  std::vector<reconcile::CandidateAllocation> plan;
  for (size_t i = 0; i < allocs.size(); ++i) {
    const std::string prefix = "allocations[" + std::to_string(i) + "].";
    if (!allocs[i].invoice_id || allocs[i].invoice_id->empty()) {
      return Error::invalid("required", "invoice_id is required", prefix + "invoice_id");
    }
    auto id = InvoiceId::parse(*allocs[i].invoice_id);
    auto inv = id ? store::invoices::find(ctx.uow, id->value()) : std::nullopt;
    if (!inv || inv->kind != billing::DocumentKind::invoice) {
      return Error::invalid("invoice_not_open", "no invoice '" + *allocs[i].invoice_id + "'", prefix + "invoice_id");
    }
    if (customer && *customer != inv->customer_id) {
      return Error::invalid("mixed_customers", "one bank line pays one customer's invoices", prefix + "invoice_id");
    }
    customer = inv->customer_id;
    if (inv->currency != line->currency) {
      return Error::invalid("currency_mismatch",
                            "invoice " + inv->number + " is in " + inv->currency + ", the line in " + line->currency,
                            prefix + "invoice_id");
    }
    if (!allocs[i].amount || allocs[i].amount->empty()) {
      return Error::invalid("required", "amount is required", prefix + "amount");
    }
    auto amount = Money::parse(*allocs[i].amount, currency);
    if (!amount.ok()) {
      Error e = amount.take_error();
      e.field = prefix + "amount";
      return e;
    }
    sum += amount->minor();
    plan.push_back({inv->id, amount->minor()});
  }
  if (sum > line->amount_minor) {
    return Error::invalid("allocations_exceed_line",
                          "the allocations add up to more than the line's " +
                              format_scaled(line->amount_minor, currency.exponent()),
                          "allocations");
  }
  O2C_ASSIGN_OR_RETURN(auto paid, pay_from_line(ctx, *line, customer->value(), plan, currency.exponent()));
  store::bank::set_matched(ctx.uow, line_id, paid.id, std::nullopt, std::nullopt, "manual", by, now);
  record_event(ctx, "bank_line", std::to_string(line_id), "matched",
               {{"rule", "manual"}, {"payment_id", std::to_string(paid.id)}, {"line", line_json_for_audit(*line)}});
  return *store::bank::find_line(ctx.uow, line_id);
}

Result<store::bank::Line> unmatch_line(Context& ctx, int64_t line_id) {
  auto line = store::bank::find_line(ctx.uow, line_id, true);
  if (!line) return Error::not_found("bank_line_not_found", "no bank line " + std::to_string(line_id));
  if (line->status != "matched") {
    return Error::conflict("not_matched", "bank line " + std::to_string(line_id) + " is not matched");
  }
  json audit = {{"rule", line->matched_rule.value_or("")}};
  if (line->payment_id) {
    ReversalDraft r;
    r.reason = "bank line " + std::to_string(line_id) + " unmatched";
    O2C_ASSIGN_OR_RETURN(auto reversed, reverse_payment(ctx, *line->payment_id, r));
    audit["payment_id"] = std::to_string(reversed.id);
  } else if (line->ledger_entry_id) {
    store::ledger::Filter f;
    f.source_type = "bank_line";
    f.source_id = std::to_string(line_id);
    auto found = store::ledger::list(ctx.uow, f, {*line->ledger_entry_id - 1, 1});
    if (found.empty() || found[0].id != *line->ledger_entry_id) {
      return Error::internal("bank line " + std::to_string(line_id) + " names a missing ledger entry");
    }
    const auto* original = &found[0];
    ledger::Entry e;
    e.entry_date = ctx.clock.today().to_string();
    e.currency = original->currency;
    e.source_type = "bank_line";
    e.source_id = std::to_string(line_id);
    e.memo = "Reversal of entry " + std::to_string(original->id) + ": bank line " + std::to_string(line_id) + " unmatched";
    for (const auto& p : original->postings) e.postings.push_back({p.account, p.credit_minor, p.debit_minor});
    O2C_ASSIGN_OR_RETURN(auto id, post_entry(ctx, e));
    if (id) audit["reversing_entry_id"] = std::to_string(*id);
  }
  store::bank::set_unmatched(ctx.uow, line_id);
  record_event(ctx, "bank_line", std::to_string(line_id), "unmatched", audit);
  return *store::bank::find_line(ctx.uow, line_id);
}

Result<store::bank::CsvProfileRow> create_csv_profile(Context& ctx, const CsvProfileDraft& d) {
  std::string name;
  O2C_ASSIGN_OR_RETURN(auto p, profile_from_json(d.json, &name));
  if (name.empty()) return Error::invalid("required", "name is required", "name");
  if (name.size() > 100) return Error::invalid("too_long", "name is at most 100 characters", "name");
  O2C_TRY(fb::validate_profile(p));
  if (store::bank::find_csv_profile_by_name(ctx.uow, name)) {
    return Error::conflict("duplicate", "a bank CSV profile named '" + name + "' exists", "name");
  }
  store::bank::CsvProfileRow row;
  row.name = name;
  row.definition = profile_to_json(p).dump();
  row.created_at = ctx.clock.now_rfc3339();
  row.id = store::bank::insert_csv_profile(ctx.uow, row);
  record_event(ctx, "bank_csv_profile", std::to_string(row.id), "created", json::parse(row.definition));
  return row;
}

Result<store::bank::PostingRuleRow> create_posting_rule(Context& ctx, const PostingRuleDraft& d) {
  auto text = [](const masterdata::Text& t) { return t ? masterdata::trim(*t) : std::string(); };
  store::bank::PostingRuleRow r;
  r.name = text(d.name);
  if (r.name.empty()) return Error::invalid("required", "name is required", "name");
  if (r.name.size() > 100) return Error::invalid("too_long", "name is at most 100 characters", "name");
  const std::string party = text(d.counterparty_contains), words = text(d.text_contains);
  if (party.empty() && words.empty()) {
    return Error::invalid("no_pattern", "a rule needs counterparty_contains or text_contains (or both)",
                          "text_contains");
  }
  if (party.size() > 200) return Error::invalid("too_long", "at most 200 characters", "counterparty_contains");
  if (words.size() > 200) return Error::invalid("too_long", "at most 200 characters", "text_contains");
  if (!party.empty()) r.counterparty_contains = party;
  if (!words.empty()) r.text_contains = words;
  const std::string direction = lower(text(d.direction));
  if (direction == "in") {
    r.sign = 1;
  } else if (direction == "out") {
    r.sign = -1;
  } else if (!direction.empty()) {
    return Error::invalid("invalid_direction", "direction is in (money received) or out (money paid)", "direction");
  }
  if (text(d.account).empty()) return Error::invalid("required", "account is required", "account");
  O2C_ASSIGN_OR_RETURN(r.account, account_code(ctx.uow, text(d.account)));
  r.bank_own_only = d.bank_own_only;
  const auto existing = store::bank::posting_rules(ctx.uow);
  for (const auto& e : existing) {
    if (lower(e.name) == lower(r.name)) {
      return Error::conflict("duplicate", "a posting rule named '" + e.name + "' exists", "name");
    }
  }
  if (d.position) {
    if (*d.position < 0 || *d.position > 1000000) {
      return Error::invalid("invalid_position", "position is a whole number from 0 to 1000000", "position");
    }
    r.position = static_cast<int>(*d.position);
  } else {
    r.position = existing.empty() ? 10 : existing.back().position + 10;
  }
  r.created_at = ctx.clock.now_rfc3339();
  r.id = store::bank::insert_posting_rule(ctx.uow, r);
  record_event(ctx, "bank_posting_rule", std::to_string(r.id), "created",
               {{"name", r.name},
                {"position", r.position},
                {"counterparty_contains", r.counterparty_contains ? json(*r.counterparty_contains) : json()},
                {"text_contains", r.text_contains ? json(*r.text_contains) : json()},
                {"sign", r.sign ? json(*r.sign) : json()},
                {"bank_own_only", r.bank_own_only},
                {"account", r.account}});
  return r;
}

}  // namespace o2c::app
