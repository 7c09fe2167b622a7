#include "cli/commands/export.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/journal.h"
#include "store/migrate.h"

namespace o2c::cli {
namespace {

int failed(const std::string& message) {
  std::fprintf(stderr, "o2c export journal: %s\n", message.c_str());
  return 1;
}

std::optional<std::string> given(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

int export_journal_command(const std::string& db_target, const std::string& from, const std::string& to,
                           const std::string& out_file) {
  auto range = app::journal_range(given(from), given(to));
  if (!range.ok()) return failed(range.error().message);
  namespace fs = std::filesystem;
  const fs::path target = out_file;
  const fs::path partial = out_file.empty() ? fs::path() : fs::path(out_file + ".partial");
  std::ofstream file;
  if (!out_file.empty()) {
    file.open(partial, std::ios::binary | std::ios::trunc);
    if (!file) return failed("cannot write " + partial.string() + ": " + std::strerror(errno));
  }
  auto sink = [&](std::string_view piece) {
    if (out_file.empty()) {
      std::fwrite(piece.data(), 1, piece.size(), stdout);
    } else {
      file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    }
  };
  auto discard = [&](const std::string& message) {
    if (!out_file.empty()) {
      file.close();
      std::error_code ignored;
      fs::remove(partial, ignored);
    }
    return failed(message);
  };
  try {
    auto db = store::open_database(db_target);
    (void)store::migrate(*db);
    auto uow = db->begin(store::TxMode::read);
    auto done = app::export_journal(*uow, *range, sink);
    if (!done.ok()) return discard(done.error().message);
  } catch (const ErrorException& e) {
    return discard(e.error.message);
  }
  if (out_file.empty()) return std::fflush(stdout) == 0 ? 0 : failed("cannot write to stdout");
  file.close();
  if (!file) return discard("cannot write " + partial.string());
  std::error_code ec;
  fs::rename(partial, target, ec);
  if (ec) return discard("cannot rename " + partial.string() + " to " + target.string() + ": " + ec.message());
  return 0;
}

}  // namespace o2c::cli
