#pragma once
#include <string>
#include <vector>

namespace o2c::cli {

// `o2c bench store`: durable write transactions per second on SQLite (a temp
// file) and PostgreSQL (pg_url, or a throwaway local cluster), same run.
// One line per engine and thread count; group_commit=false makes SQLite
// commit each transaction on its own, for comparison.
int bench_store_command(int seconds, const std::vector<int>& threads, const std::string& pg_url,
                        bool group_commit);

}  // namespace o2c::cli
