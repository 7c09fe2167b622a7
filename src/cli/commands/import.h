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

}  // namespace o2c::cli
