#include "app/import_orders.h"

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <thread>
#include <variant>

#include "app/orders.h"
#include "core/text.h"
#include "domain/masterdata/fields.h"
#include "formats/csv/csv.h"
#include "store/orders_repo.h"

namespace o2c::app {
namespace {

enum Col { order_ref, customer_id, sku, quantity, unit_price, currency, external_ref, ship_to, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "order_ref", "customer_id", "sku", "quantity", "unit_price", "currency", "external_ref", "ship_to"};
constexpr std::array<Col, 4> kRequired = {order_ref, customer_id, sku, quantity};
// Fields of one order, not of one line: every row of the order repeats them.
constexpr std::array<Col, 4> kOrderLevel = {customer_id, currency, external_ref, ship_to};
constexpr int kAttemptsMax = 5;

std::string column_list() {
  std::string s;
  for (auto name : kColumnNames) s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

// Where each known column sits in the header; -1 when absent.
struct Header {
  std::array<int, kColumnCount> at{};
  size_t width = 0;
};

class Errors {
 public:
  // The first error found for a row stands: it is the one to fix first.
  void add(size_t line, std::string code, std::string field, std::string message) {
    by_line_.try_emplace(line, ImportRowError{line, std::move(code), std::move(field), std::move(message)});
  }
  bool has(size_t line) const { return by_line_.count(line) != 0; }
  std::vector<ImportRowError> sorted() const {
    std::vector<ImportRowError> out;
    for (const auto& [line, e] : by_line_) out.push_back(e);
    return out;
  }

 private:
  std::map<size_t, ImportRowError> by_line_;
};

// Every problem of the header is reported, several on its one line: the
// header is fixed once for the whole file.
std::optional<Header> read_header(const csv::Record& rec, std::vector<ImportRowError>& errors) {
  Header h;
  h.at.fill(-1);
  h.width = rec.fields.size();
  bool ok = true;
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    const std::string name = masterdata::trim(rec.fields[i]);
    int col = -1;
    for (int c = 0; c < kColumnCount; ++c) {
      if (kColumnNames[c] == name) col = c;
    }
    if (col < 0) {
      errors.push_back({rec.line, "unknown_column", name,
                 "unknown column " + quoted_excerpt(name) + " (column " + std::to_string(i + 1) +
                     "); the columns are " + column_list()});
      ok = false;
    } else if (h.at[col] >= 0) {
      errors.push_back({rec.line, "duplicate_column", name, "column " + name + " appears twice in the header"});
      ok = false;
    } else {
      h.at[col] = static_cast<int>(i);
    }
  }
  for (Col c : kRequired) {
    if (h.at[c] < 0) {
      errors.push_back({rec.line, "missing_column", std::string(kColumnNames[c]),
                        "the header lacks the required column " + std::string(kColumnNames[c])});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return h;
}

// A row as the header names it. A column the header lacks, or the row is too
// short to hold, reads as absent.
struct Row {
  size_t line = 0;
  std::array<std::optional<std::string>, kColumnCount> v;
  // An optional column left empty is absent, not an empty value to validate.
  masterdata::Text opt(Col c) const {
    if (!v[c] || masterdata::trim(*v[c]).empty()) return std::nullopt;
    return v[c];
  }
};

Row read_row(const Header& h, const csv::Record& rec) {
  Row r;
  r.line = rec.line;
  for (int c = 0; c < kColumnCount; ++c) {
    if (h.at[c] >= 0 && static_cast<size_t>(h.at[c]) < rec.fields.size()) r.v[c] = rec.fields[h.at[c]];
  }
  return r;
}

bool is_blank(const csv::Record& rec) {
  for (const auto& f : rec.fields) {
    if (!masterdata::trim(f).empty()) return false;
  }
  return true;
}

struct Group {
  std::string ref;
  std::vector<Row> rows;
};

// Rows of one order must say the same about the order; the first row sets it.
void check_group(const Group& g, Errors& errors) {
  const Row& first = g.rows.front();
  for (size_t i = 1; i < g.rows.size(); ++i) {
    const Row& r = g.rows[i];
    for (Col c : kOrderLevel) {
      const std::string want = masterdata::trim(first.v[c].value_or(""));
      const std::string got = masterdata::trim(r.v[c].value_or(""));
      if (want != got) {
        const std::string name(kColumnNames[c]);
        errors.add(r.line, "group_mismatch", name,
                   "order " + quoted_excerpt(g.ref) + " has " + name + " " + quoted_excerpt(want) + " on line " +
                       std::to_string(first.line) + ", this row says " + quoted_excerpt(got));
        break;
      }
    }
  }
}

// "lines[3].quantity" -> {3, "quantity"}.
std::optional<std::pair<size_t, std::string>> line_field(const std::string& field) {
  constexpr std::string_view kPrefix = "lines[";
  if (field.rfind(kPrefix, 0) != 0) return std::nullopt;
  size_t close = field.find("].", kPrefix.size());
  if (close == std::string::npos || close == kPrefix.size()) return std::nullopt;
  size_t index = 0;
  for (size_t i = kPrefix.size(); i < close; ++i) {
    if (field[i] < '0' || field[i] > '9') return std::nullopt;
    index = index * 10 + static_cast<size_t>(field[i] - '0');
  }
  return std::make_pair(index, field.substr(close + 2));
}

struct Placed {
  order::Order order;
};
struct Skipped {
  order::Order existing;
};
struct Probed {};  // place_order accepted the rows, but the order has bad rows: rolled back
using Attempt = std::variant<Placed, Skipped, Probed, Error>;

// One unit of work. Storage that is busy is retried as the API does; an
// order refused by place_order rolls back with the dropped unit.
Attempt attempt(store::Database& db, const Clock& clock, const Actor& actor, const OrderDraft& draft,
                bool commit) {
  for (int n = 1;; ++n) {
    try {
      auto uow = db.begin(store::TxMode::write);
      Context ctx{*uow, actor, clock};
      if (commit) {
        // The customer's lock makes the check and the insert one step for
        // concurrent imports of the same file.
        auto cust = CustomerId::parse(masterdata::trim(draft.customer_id.value_or("")));
        if (cust && store::orders::lock_customer(*uow, *cust)) {
          if (auto existing = store::orders::find_by_external_ref(*uow, *cust, *draft.external_ref)) {
            uow->commit();
            return Skipped{std::move(*existing)};
          }
        }
      }
      auto placed = place_order(ctx, draft);
      if (!placed.ok()) return placed.take_error();
      if (!commit) return Probed{};
      uow->commit();
      return Placed{std::move(*placed)};
    } catch (const ErrorException& e) {
      if (e.error.kind != ErrorKind::unavailable) return e.error;
      if (n >= kAttemptsMax) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << n));
    }
  }
}

ImportedGroup import_group(store::Database& db, const Clock& clock, const Actor& actor, const Group& g,
                           Errors& errors) {
  ImportedGroup out{g.ref, g.rows.front().line, g.rows.size(), ImportOutcome::refused, {}, {}};
  const Row& first = g.rows.front();
  OrderDraft draft;
  draft.customer_id = first.v[customer_id];
  draft.currency = first.opt(currency);
  draft.ship_to = first.opt(ship_to);
  const bool ref_is_external = !first.opt(external_ref).has_value();
  draft.external_ref = ref_is_external ? g.ref : masterdata::trim(*first.opt(external_ref));

  // The rows still in play. Each line error from place_order takes its row
  // out and the rest are tried again, so that every bad row is found.
  std::vector<const Row*> live;
  bool bad = false;
  for (const auto& r : g.rows) {
    if (errors.has(r.line)) {
      bad = true;
    } else {
      live.push_back(&r);
    }
  }
  while (!live.empty()) {
    draft.lines.clear();
    for (const Row* r : live) draft.lines.push_back({r->v[sku], r->v[quantity], r->opt(unit_price)});
    Attempt a = attempt(db, clock, actor, draft, !bad);
    if (auto* p = std::get_if<Placed>(&a)) {
      out.outcome = ImportOutcome::imported;
      out.order_number = p->order.number;
      out.status = std::string(order::to_string(p->order.status));
      return out;
    }
    if (auto* s = std::get_if<Skipped>(&a)) {
      out.outcome = ImportOutcome::already_imported;
      out.order_number = s->existing.number;
      out.status = std::string(order::to_string(s->existing.status));
      return out;
    }
    if (std::holds_alternative<Probed>(a)) break;
    Error e = std::get<Error>(std::move(a));
    bad = true;
    auto at = line_field(e.field);
    if (at && at->first < live.size()) {
      errors.add(live[at->first]->line, e.code, at->second, e.message);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(at->first));
      continue;
    }
    // About the order as a whole: the first row carries the order's fields.
    std::string field = e.field;
    if (field == "external_ref" && ref_is_external) field = "order_ref";
    errors.add(first.line, e.code, field, e.message);
    break;
  }
  return out;
}

}  // namespace

size_t ImportOrdersReport::count(ImportOutcome o) const {
  size_t n = 0;
  for (const auto& g : groups) n += g.outcome == o ? 1 : 0;
  return n;
}

size_t ImportOrdersReport::lines_imported() const {
  size_t n = 0;
  for (const auto& g : groups) n += g.outcome == ImportOutcome::imported ? g.rows : 0;
  return n;
}

ImportOrdersReport import_orders(store::Database& db, const Clock& clock, const Actor& actor,
                                 std::string_view csv_text) {
  ImportOrdersReport report;
  Errors errors;
  auto parsed = csv::parse(csv_text);
  if (!parsed.ok()) {
    // Past a syntax error no row boundary can be trusted: nothing is imported.
    const auto& se = *parsed.error;
    report.errors.push_back({se.line, se.code, "", se.message});
    return report;
  }
  auto& records = parsed.records;
  if (records.empty() || is_blank(records.front())) {
    report.errors.push_back({1, "empty_file", "", "the first line must be the header: " + column_list()});
    return report;
  }
  auto header = read_header(records.front(), report.errors);
  if (!header) return report;

  std::vector<Group> groups;
  std::map<std::string, size_t> group_of;
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    if (is_blank(rec)) continue;  // spreadsheets leave empty lines and ",,," rows at the end
    Row row = read_row(*header, rec);
    if (rec.fields.size() != header->width) {
      std::string field;
      if (rec.fields.size() < header->width) field = masterdata::trim(records.front().fields[rec.fields.size()]);
      errors.add(rec.line, "field_count", field,
                 std::to_string(rec.fields.size()) + " field(s), the header has " + std::to_string(header->width));
    }
    auto ref = masterdata::required_text(row.v[order_ref], "order_ref", masterdata::kNameMax);
    if (!ref.ok()) {
      // Without a reference the row belongs to no order.
      errors.add(rec.line, ref.error().code, "order_ref", ref.error().message);
      continue;
    }
    auto [it, added] = group_of.try_emplace(*ref, groups.size());
    if (added) groups.push_back({*ref, {}});
    groups[it->second].rows.push_back(std::move(row));
  }

  for (const auto& g : groups) check_group(g, errors);
  for (const auto& g : groups) report.groups.push_back(import_group(db, clock, actor, g, errors));
  report.errors = errors.sorted();
  return report;
}

}  // namespace o2c::app
