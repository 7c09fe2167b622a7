#pragma once
// The storage seam. One interface, two engines (SQLite, PostgreSQL). SQL is
// written once with `?` placeholders in the subset both engines accept; the
// PostgreSQL driver numbers them ($1, $2, ...). All SQL of the program lives
// under src/store/.
//
// Threading: a Database is shared by all threads; a UnitOfWork belongs to
// the thread that began it and must be committed or dropped on that thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace o2c::store {

enum class Engine { sqlite, postgres };

// A bound parameter or a column value. Money and quantities are stored as
// integers (minor units, thousandths), dates as 'YYYY-MM-DD' text.
using Value = std::variant<std::monostate, int64_t, std::string>;
inline Value null() { return std::monostate{}; }

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }
  int64_t i64(size_t i) const;               // throws ErrorException if not an integer
  std::string text(size_t i) const;          // "" for NULL; integers formatted
  std::optional<std::string> opt_text(size_t i) const;
  std::optional<int64_t> opt_i64(size_t i) const;
  size_t size() const { return cols_.size(); }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;

enum class TxMode {
  read,   // a consistent snapshot, no writes
  write,  // may write; on SQLite serialized through the one writer
};

// A transaction. Destroying it without commit() rolls back. Every method
// throws ErrorException: ErrorKind::unavailable for busy/locked/connection
// failures, ErrorKind::conflict with code "duplicate" for unique violations
// (field = the constraint's column when known), internal otherwise.
// ErrorKind::unprocessable with code "constraint_violation" for CHECK,
// foreign-key and NOT NULL failures.
//
// After a statement fails the unit is aborted on both engines (PostgreSQL's
// rule, enforced on SQLite too so that code tested on one engine behaves the
// same on the other): further statements and commit() throw until a
// `ROLLBACK TO SAVEPOINT` succeeds; usually the caller just drops the unit.
//
// On SQLite with group commit (DatabaseOptions::group_commit) a write unit
// runs in a savepoint of a transaction shared with the write units just
// before it, which are committed but wait for the shared COMMIT: it may read
// their writes before they are durable. A unit that answers from what it
// read (e.g. replays a stored response) should commit(), even with no writes:
// commit() returns only once all it saw is durable. BEGIN, COMMIT and
// ROLLBACK statements are refused in a SQLite write unit (SAVEPOINT,
// RELEASE and ROLLBACK TO are fine).
//
// Parameters are untyped on PostgreSQL: the server infers each `?` from its
// context. Where the context does not say (`? IS NULL`), write CAST(? AS ...).
// Result columns: integers (and booleans, and integral NUMERIC such as a
// PostgreSQL SUM over BIGINT) are int64, NULL is monostate, the rest text.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual Engine engine() const = 0;
  // Runs a statement; returns the number of rows changed.
  virtual int64_t exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  virtual Rows query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  std::optional<Row> query_one(std::string_view sql, const std::vector<Value>& params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  // Runs several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;
  // " FOR UPDATE" on PostgreSQL, "" on SQLite (whose writer holds the lock).
  virtual std::string_view for_update() const = 0;
  virtual void commit() = 0;
};

struct DatabaseOptions {
  int pool_size = 8;                // reader connections (SQLite) / connections (PostgreSQL)
  int busy_timeout_ms = 5000;       // SQLite busy_timeout
  bool durable = true;              // synchronous=FULL on SQLite; synchronous_commit on PostgreSQL
  // Longest wait inside this process for a free connection or for the SQLite
  // writer; past it begin() throws ErrorKind::unavailable "storage_busy"
  // instead of hanging (e.g. a thread that already holds every connection).
  int pool_wait_ms = 30000;
  // SQLite: write units that queue up while one runs share one outer
  // transaction and one durable COMMIT (each in a savepoint of its own, so
  // that a failing unit takes none of the others down). commit() still
  // returns only once the unit is durable, and throws when its batch's
  // COMMIT failed. false: one COMMIT per unit. Ignored by PostgreSQL.
  bool group_commit = true;
  // PostgreSQL: longest wait for a row or advisory lock before the unit
  // fails as storage_busy (0 = wait forever, as PostgreSQL does by default).
  // Sessions idle inside a transaction for 6x this long are ended.
  int lock_timeout_ms = 10000;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  virtual std::unique_ptr<UnitOfWork> begin(TxMode mode) = 0;
  virtual std::string describe() const = 0;  // for logs: "sqlite:o2c.db", never a password
};

// "postgres://..." or "postgresql://..." opens PostgreSQL; anything else is a
// SQLite file path (created when missing). Throws ErrorException on failure.
std::unique_ptr<Database> open_database(const std::string& target, const DatabaseOptions& opts = {});

}  // namespace o2c::store
