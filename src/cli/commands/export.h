#pragma once
#include <string>

namespace o2c::cli {

// `o2c export journal [--from D] [--to D] [-o FILE]`: the ledger as an hledger
// journal (app/journal.h) on stdout or into FILE. FILE is written beside
// itself first and renamed into place, so a failed export leaves no half
// journal. Exit code: 0 written, 1 refused or failed (the reason on stderr).
int export_journal_command(const std::string& db_target, const std::string& from, const std::string& to,
                           const std::string& out_file);

}  // namespace o2c::cli
