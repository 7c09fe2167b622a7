#include "cli/commands/import.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include <unistd.h>
#include <vector>

#include "app/import_orders.h"
#include "app/reconciliation.h"
#include "core/decimal.h"
#include "core/currency.h"
#include "store/migrate.h"
#include "store/repos.h"

namespace o2c::cli {
namespace {

constexpr int kExitBadRows = 1;
constexpr int kExitUsage = 2;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "o2c: %s\n", message.c_str());
  return kExitUsage;
}

std::string row_line(const char* prefix, size_t line, const std::string& code, const std::string& field,
                     const std::string& message) {
  std::string s = std::string(prefix) + "line " + std::to_string(line) + ": " + code;
  if (!field.empty()) s += " (" + field + ")";
  return s + ": " + message;
}

}  // namespace

int import_orders_command(const std::string& db_target, const std::string& file, const std::string& as_user,
                          bool verbose) {
  std::string text;
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) return usage_error("cannot open " + file + ": " + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return usage_error("cannot read " + file);
    text = std::move(buf).str();
  }

  std::unique_ptr<store::Database> db;
  app::Actor actor{UserId(), "import", app::Role::sales, std::nullopt};
  try {
    db = store::open_database(db_target);
    (void)store::migrate(*db);
    if (!as_user.empty()) {
      auto uow = db->begin(store::TxMode::read);
      auto u = store::users::find_by_name(*uow, as_user);
      if (!u) return usage_error("no user named '" + as_user + "'");
      // Orders are placed by sales; an explicit unit_price needs that role too.
      if (u->role != "sales") return usage_error("user " + as_user + " has role " + u->role + ", not sales");
      actor = app::Actor{u->id, u->name, app::Role::sales, std::nullopt};
    }
  } catch (const ErrorException& e) {
    return usage_error(e.error.message);
  }

  app::SystemClock clock;
  app::ImportOrdersReport report;
  try {
    report = app::import_orders(*db, clock, actor, text);
  } catch (const ErrorException& e) {
    // The orders before this one are committed; running the file again
    // skips them and carries on.
    return usage_error("the database failed during the import: " + e.error.message);
  }

  std::vector<std::pair<size_t, std::string>> out;
  for (const auto& e : report.errors) out.emplace_back(e.line, row_line("", e.line, e.code, e.field, e.message));
  for (const auto& g : report.groups) {
    if (g.outcome == app::ImportOutcome::already_imported) {
      out.emplace_back(g.first_line, row_line("skipped: ", g.first_line, "already_imported", "order_ref",
                                              "order '" + g.order_ref + "' is " + g.order_number + " (" + g.status +
                                                  "), placed before"));
    } else if (verbose && g.outcome == app::ImportOutcome::imported) {
      out.emplace_back(g.first_line, "imported: line " + std::to_string(g.first_line) + ": order '" + g.order_ref +
                                         "' as " + g.order_number + " (" + g.status + "), " +
                                         std::to_string(g.rows) + " line(s)");
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, text_line] : out) std::printf("%s\n", text_line.c_str());
  std::printf("imported %zu orders (%zu lines), refused %zu orders, skipped %zu already imported\n",
              report.count(app::ImportOutcome::imported), report.lines_imported(),
              report.count(app::ImportOutcome::refused), report.count(app::ImportOutcome::already_imported));
  return report.ok() ? 0 : kExitBadRows;
}

namespace {

std::string amount_text(const std::optional<int64_t>& minor, const std::string& currency) {
  if (!minor) return "-";
  auto c = Currency::of(currency);
  return format_scaled(*minor, c ? c->exponent() : 2);
}

// One line redrawn in place on a terminal; nothing when stderr is a file.
class ProgressBar {
 public:
  ProgressBar() : on_(isatty(STDERR_FILENO) == 1) {}
  void operator()(int64_t done, int64_t total) {
    if (!on_ || total <= 0) return;
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(done * kWidth / total);
    std::fprintf(stderr, "\r[%s%s] %lld/%lld lines", std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(kWidth - filled), ' ').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
    if (done >= total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool on_;
};

}  // namespace

int import_statement_command(const ImportStatementOptions& o) {
  std::string text;
  {
    // Read straight into one string of the file's size: a statement may be
    // hundreds of megabytes, and a stream buffer would hold it twice.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.file, ec)) {
      return usage_error("cannot read " + o.file + ": " + (ec ? ec.message() : std::string("not a file")));
    }
    const auto size = std::filesystem::file_size(o.file, ec);
    if (ec) return usage_error("cannot read " + o.file + ": " + ec.message());
    std::ifstream in(o.file, std::ios::binary);
    if (!in) return usage_error("cannot open " + o.file + ": " + std::strerror(errno));
    text.resize(static_cast<size_t>(size));
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) return usage_error("cannot read " + o.file);
  }
  app::StatementUpload u;
  u.content = text;
  if (o.format == "camt") u.content_type = "application/xml";
  else if (o.format == "mt940") u.content_type = "text/plain";
  else if (o.format == "csv") u.content_type = "text/csv";
  else if (!o.format.empty() && o.format != "auto") return usage_error("--format is camt, mt940, csv or auto");
  if (!o.profile.empty()) u.csv_profile = o.profile;
  const size_t slash = o.file.find_last_of('/');
  u.file_name = slash == std::string::npos ? o.file : o.file.substr(slash + 1);
  ProgressBar bar;
  u.progress = [&bar](int64_t done, int64_t total) { bar(done, total); };

  std::unique_ptr<store::Database> db;
  try {
    db = store::open_database(o.db_target);
    (void)store::migrate(*db);
  } catch (const ErrorException& e) {
    return usage_error(e.error.message);
  }
  app::SystemClock clock;
  const app::Actor actor{UserId(), "import", app::Role::accountant, std::nullopt};
  app::StatementImport imp;
  try {
    auto uow = db->begin(store::TxMode::write);
    app::Context ctx{*uow, actor, clock};
    auto r = app::import_statement(ctx, u);
    if (!r.ok()) {
      const auto& e = r.error();
      std::fprintf(stderr, "refused: %s%s%s: %s\n", e.code.c_str(), e.field.empty() ? "" : " at ",
                   e.field.c_str(), e.message.c_str());
      return kExitBadRows;
    }
    imp = std::move(r).value();
    uow->commit();
  } catch (const ErrorException& e) {
    return usage_error("the database failed during the import: " + e.error.message);
  }
  for (const auto& w : imp.warnings) std::printf("warning: %s\n", w.c_str());
  for (const auto& s : imp.statements) {
    const char* check = !s.balanced ? "no balances stated" : *s.balanced ? "balanced" : "DOES NOT BALANCE";
    std::printf("statement %d %s %s %s: opening %s + lines %s = closing %s (%s), %lld line(s) new\n", s.seq,
                s.statement_ref.value_or("-").c_str(), s.account.c_str(), s.currency.c_str(),
                amount_text(s.opening_minor, s.currency).c_str(), amount_text(s.booked_sum_minor, s.currency).c_str(),
                amount_text(s.closing_minor, s.currency).c_str(), check, static_cast<long long>(s.lines));
  }
  std::printf("import %lld (%s): %lld line(s) imported, %lld skipped as already imported, %lld not booked yet\n",
              static_cast<long long>(imp.import.id), imp.import.format.c_str(),
              static_cast<long long>(imp.import.lines_imported),
              static_cast<long long>(imp.import.lines_skipped_duplicate), static_cast<long long>(imp.lines_not_booked));
  if (!o.reconcile) return 0;
  try {
    auto run = app::run_reconciliation(*db, clock, actor, {});
    if (!run.ok()) return usage_error(run.error().message);
    std::printf("reconciliation: %lld matched (%lld posted to accounts), %lld suggested, %lld unmatched\n",
                static_cast<long long>(run->matched), static_cast<long long>(run->posted),
                static_cast<long long>(run->suggested), static_cast<long long>(run->unmatched));
  } catch (const ErrorException& e) {
    return usage_error("the database failed during reconciliation: " + e.error.message);
  }
  return 0;
}

}  // namespace o2c::cli
