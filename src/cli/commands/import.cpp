#include "cli/commands/import.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "app/import_orders.h"
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

}  // namespace o2c::cli
