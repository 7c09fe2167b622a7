#pragma once
#include <string>

namespace o2c::cli {

// `o2c import orders FILE.csv`: places the file's orders (app/import_orders.h)
// and prints one line per bad row, then a summary. As `as_user` (a sales
// user) when given, else as the system actor "import" with the sales role.
// Exit code: 0 all rows imported or already imported, 1 some row was bad,
// 2 the file or the database could not be used.
int import_orders_command(const std::string& db_target, const std::string& file, const std::string& as_user,
                          bool verbose);

// `o2c import statement FILE`: imports a bank statement file (camt.05x,
// MT940/MT942, or CSV with --profile) whole or not at all, with a progress
// bar on a terminal, prints each statement's balance check, and with
// --reconcile runs the matcher over the open lines afterwards.
// Exit code: 0 imported, 1 refused (the reason names the line or XML path),
// 2 the file or the database could not be used.
struct ImportStatementOptions {
  std::string db_target, file, format, profile;
  bool reconcile = false;
};
int import_statement_command(const ImportStatementOptions& o);

}  // namespace o2c::cli
