// SQLite engine. SQLite allows one writer per database file, so this process
// funnels every write unit through one connection, handed to the writers in
// the order they asked for it (waiting in our queue is cheaper and fairer
// than spinning on SQLITE_BUSY), while reads run on a pool of WAL reader
// connections that never block the writer.
//
// Group commit. A durable COMMIT costs an fsync (~0.2 ms here), which caps
// one-commit-per-unit near 4 000 units/s. So the write units that queue up
// while one runs share one outer transaction (a "batch"):
//   - the first unit of a batch runs BEGIN IMMEDIATE; every later unit runs
//     inside a SAVEPOINT of its own (the first needs none: dropped, it rolls
//     back the batch, which holds nothing else yet);
//   - commit() RELEASEs the unit's savepoint; then, when other writers are
//     queued and the batch is below its caps (kBatchMaxUnits, kBatchMaxWait),
//     it hands the writer, transaction still open, to the next writer and
//     waits; otherwise it runs the COMMIT for the whole batch and wakes the
//     units waiting on it. Each commit() returns only once its batch is
//     durable, and throws the batch's error when the COMMIT failed;
//   - a unit dropped without commit rolls back to its savepoint only; the
//     batch goes on (and its last unit commits it for the others);
//   - a statement that fails aborts its unit only (ROLLBACK TO its
//     savepoint). Deferred foreign keys are checked at each unit's commit(),
//     so one unit's violation cannot fail the batch's COMMIT for the others.
// Reader connections never see a batch before its COMMIT, and no unit of it
// has been answered before then. Between batches the file lock is free, so
// another process (o2c user add) gets in through its busy handler.
// DatabaseOptions::group_commit = false makes every batch one unit long.
#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"

namespace o2c::store {
namespace {

struct SqliteCloser {
  // close_v2 defers the close until every statement is finalized, so the
  // order of destruction of cached statements cannot leak the handle.
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

struct StringHash {
  using is_transparent = void;  // lets find() take a string_view without a copy
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using Clock = std::chrono::steady_clock;

// A batch takes no new unit once it holds this many, or once its first
// committed unit has waited this long: the units waiting in it are answered
// only at its COMMIT, so the caps bound the latency that batching adds.
constexpr int kBatchMaxUnits = 128;
constexpr std::chrono::microseconds kBatchMaxWait{2000};

// Each write unit runs inside this savepoint of the batch's transaction. The
// name is ours alone so that a unit's own savepoints cannot shadow it.
constexpr std::string_view kUnitSavepoint = "SAVEPOINT o2c_unit_of_work";
constexpr std::string_view kUnitRelease = "RELEASE o2c_unit_of_work";
constexpr std::string_view kUnitRollback = "ROLLBACK TO o2c_unit_of_work";

// The program's SQL is a fixed set of literals; a cache growing past this
// means SQL is being built from data, and we would rather re-prepare than grow.
constexpr size_t kStatementCacheMax = 512;

Error busy_error(std::string message) {
  return {ErrorKind::unavailable, "storage_busy", std::move(message), {}};
}

// "UNIQUE constraint failed: products.sku" -> "sku". A composite key
// ("stock.warehouse_id, stock.product_id") names no single field.
std::string duplicate_field(std::string_view message) {
  constexpr std::string_view marker = "failed: ";
  const size_t at = message.find(marker);
  if (at == std::string_view::npos) return {};
  std::string_view cols = message.substr(at + marker.size());
  if (cols.find(',') != std::string_view::npos) return {};
  if (const size_t dot = cols.rfind('.'); dot != std::string_view::npos)
    cols.remove_prefix(dot + 1);
  return std::string(cols);
}

Error error_from(int code, std::string message) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return busy_error(std::move(message));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        std::string field = duplicate_field(message);
        return Error::conflict("duplicate", std::move(message), std::move(field));
      }
      return Error::invalid("constraint_violation", std::move(message));
    default:
      return Error::internal("sqlite: " + message);
  }
}

// The error every unit of a batch gets when the batch's COMMIT fails (or the
// transaction was lost). The units' writes are not stored; the storage, not
// the request, failed, so the I/O-like failures are "unavailable" (a retry
// may well succeed) and the rest internal.
Error batch_error(int code, const std::string& message) {
  const std::string text = "the commit of this unit of work's batch failed: " + message;
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return {ErrorKind::unavailable, "storage_unavailable", text, {}};
    default:
      return Error::internal("sqlite: " + text);
  }
}

[[noreturn]] void fail(sqlite3* db, int rc) {
  throw ErrorException(error_from(rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

// Consumes the word `w` (lower case) at the start of `sql`, after blanks.
bool take_word(std::string_view& sql, std::string_view w) {
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\t' || sql.front() == '\n' ||
                          sql.front() == '\r')) {
    sql.remove_prefix(1);
  }
  if (sql.size() < w.size()) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    if ((sql[i] | 0x20) != w[i]) return false;
  }
  const bool whole_word =
      sql.size() == w.size() || !(std::isalnum(static_cast<unsigned char>(sql[w.size()])) != 0 ||
                                  sql[w.size()] == '_');
  if (!whole_word) return false;
  sql.remove_prefix(w.size());
  return true;
}

// True for "ROLLBACK [TRANSACTION] TO [SAVEPOINT] x": the one statement that
// may run in an aborted unit, and which makes it usable again (as on PostgreSQL).
bool is_rollback_to(std::string_view sql) {
  if (!take_word(sql, "rollback")) return false;
  (void)take_word(sql, "transaction");
  return take_word(sql, "to");
}

// True for statements that would end or nest the transaction behind the
// unit's back: BEGIN, COMMIT, END, plain ROLLBACK. In a batch they would
// commit or roll back other units' writes.
bool is_transaction_control(std::string_view sql) {
  if (is_rollback_to(sql)) return false;
  std::string_view rest = sql;
  return take_word(rest, "begin") || take_word(rest, "commit") || take_word(rest, "end") ||
         take_word(rest, "rollback");
}

bool is_pragma(std::string_view sql) { return take_word(sql, "pragma"); }

bool mentions_pragma(std::string_view sql) {
  for (size_t at = 0; at + 6 <= sql.size(); ++at) {
    std::string_view rest = sql.substr(at);
    if ((at == 0 || std::isalnum(static_cast<unsigned char>(sql[at - 1])) == 0) &&
        take_word(rest, "pragma")) {
      return true;
    }
  }
  return false;
}

class Connection {
 public:
  enum class Role { writer, reader, checkpointer };

  explicit Connection(DbHandle db) : db_(std::move(db)) {}

  static std::unique_ptr<Connection> open(const std::string& path, const DatabaseOptions& opts,
                                          Role role) {
    // SQLite counts every allocation for sqlite3_memory_used() under one
    // global mutex; we never ask, and lock + unlock were ~7 % of a bulk
    // insert's thread. Only possible before SQLite's first use: a later call
    // is refused and changes nothing.
    static const bool memstatus_off = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
    (void)memstatus_off;
    sqlite3* raw = nullptr;
    // NOMUTEX: a connection is only ever used by one thread at a time (the
    // writer queue or the reader pool hands it over), so SQLite's own
    // per-call locking would be pure overhead.
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    auto conn = std::make_unique<Connection>(DbHandle(raw));
    if (rc != SQLITE_OK) {
      throw ErrorException({ErrorKind::unavailable,
                            "storage_unavailable",
                            "cannot open SQLite database " + path + ": " +
                                (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                            {}});
    }
    sqlite3* db = conn->db();
    sqlite3_extended_result_codes(db, 1);
    conn->busy_.limit = std::chrono::milliseconds(std::max(0, opts.busy_timeout_ms));
    if (opts.busy_timeout_ms > 0) {
      sqlite3_busy_handler(db, &Connection::on_busy, &conn->busy_);
    } else {
      sqlite3_busy_timeout(db, 0);
    }
    if (role == Role::writer) {
      // journal_mode is stored in the file; the writer sets it before any
      // reader opens, and we check it took (it cannot on some filesystems).
      sqlite3_stmt* st = conn->statement("PRAGMA journal_mode=WAL");
      const int step = sqlite3_step(st);
      const std::string mode = step == SQLITE_ROW
                                   ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0))
                                   : std::string();
      sqlite3_reset(st);
      if (step != SQLITE_ROW) fail(db, step);
      if (mode != "wal") {
        throw ErrorException(
            Error::internal("SQLite refused WAL mode for " + path + " (" + mode + ")"));
      }
    }
    conn->run("PRAGMA foreign_keys=ON");
    conn->run(opts.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    // A read unit that tries to write fails here as it would on PostgreSQL's
    // READ ONLY transaction, instead of silently taking the write lock.
    if (role == Role::reader) conn->run("PRAGMA query_only=ON");
    return conn;
  }

  sqlite3* db() const { return db_.get(); }

  // A prepared statement for `sql`, from the cache when seen before. The
  // caller must reset it after use (StatementUse does).
  sqlite3_stmt* statement(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();
    if (cache_.size() >= kStatementCacheMax) cache_.clear();
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) fail(db(), rc);
    if (!stmt) throw ErrorException(Error::internal("empty SQL statement"));
    const std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
    if (!is_blank(rest) && has_statement(rest)) {
      // Otherwise everything after the first statement would be silently ignored.
      throw ErrorException(
          Error::internal("one statement per call (use exec_script): " + std::string(sql)));
    }
    sqlite3_stmt* out = stmt.get();
    cache_.emplace(std::string(sql), std::move(stmt));
    return out;
  }

  void run(const char* sql) {
    const int rc = sqlite3_exec(db(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(db(), rc);
  }

  // Runs one parameterless statement from the cache; throws on failure.
  void step(std::string_view sql) {
    const int rc = try_step(sql);
    if (rc != SQLITE_OK) fail(db(), rc);
  }

  // Runs one parameterless statement from the cache; SQLITE_OK, or the error
  // code with its message in last_error().
  int try_step(std::string_view sql) {
    sqlite3_stmt* st = statement(sql);
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
      sqlite3_reset(st);
      return SQLITE_OK;
    }
    std::string message = sqlite3_errmsg(db());
    sqlite3_reset(st);
    last_error_ = std::move(message);
    return rc;
  }
  const std::string& last_error() const { return last_error_; }

  bool in_transaction() const { return sqlite3_get_autocommit(db()) == 0; }

 private:
  // SQLite's own busy_timeout sleeps ever longer between tries (up to 100 ms),
  // so a writer of another process would rarely hit the short gap between
  // two of our batches. Trying every millisecond at most finds it.
  struct BusyWait {
    std::chrono::milliseconds limit{0};
    Clock::time_point started;
  };
  static int on_busy(void* arg, int count) noexcept {
    auto* wait = static_cast<BusyWait*>(arg);
    const Clock::time_point now = Clock::now();
    if (count == 0) wait->started = now;
    if (now - wait->started >= wait->limit) return 0;
    const int64_t pause_us = std::min<int64_t>(1000, int64_t{50} << std::min(count, 5));
    std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
    return 1;
  }

  bool has_statement(std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    const int rc =
        sqlite3_prepare_v2(db(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    StmtHandle stmt(raw);
    return rc != SQLITE_OK || stmt != nullptr;  // a comment-only tail prepares to nothing
  }

  DbHandle db_;  // declared first so that it is destroyed after the statements
  std::unordered_map<std::string, StmtHandle, StringHash, std::equal_to<>> cache_;
  BusyWait busy_;
  std::string last_error_;
};

// Resets a cached statement however its use ends, so that it holds no read
// snapshot or bound text once the call returns.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* s) : s_(s) {}
  ~StatementUse() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* s_;
};


// One outer transaction on the writer connection and the units in it.
struct Batch {
  // Guarded by Shared::writer_mu.
  int units = 0;    // units begun in it
  int waiting = 0;  // units committed into it, waiting for its COMMIT
  Clock::time_point first_waiting;  // when `waiting` became 1
  bool ended = false;
  std::optional<Error> error;  // set when it ended without being stored
  std::condition_variable ended_cv;
};

// A thread waiting for the writer, in line. Lives on the waiter's stack.
struct Ticket {
  std::condition_variable cv;
  bool granted = false;  // guarded by Shared::writer_mu
};

// Copies the WAL back into the database file on a thread of its own. SQLite
// does it by default inside the COMMIT that takes the WAL past 1 000 pages,
// so the unit that happens to commit then pays for the work of all before
// it: 1.5 s of a 1 000 000-line statement import's 7 here. The writer's WAL
// hook only nudges this thread, which runs a PASSIVE checkpoint (it never
// waits for or blocks the writer or the readers, and stops where a reader
// still needs the WAL; the next nudge goes on from there). The WAL is still
// written before every COMMIT returns: durability does not change, only who
// copies it on and when.
class Checkpointer {
 public:
  Checkpointer(std::string path, DatabaseOptions opts) : path_(std::move(path)), opts_(std::move(opts)) {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }
  ~Checkpointer() {
    thread_.request_stop();
    cv_.notify_all();
  }
  // The WAL holds `pages` frames after a commit. Cheap: the writer calls it.
  void nudge(int pages) {
    if (pages < kWalPages) return;
    {
      std::lock_guard lk(mu_);
      wanted_ = true;
    }
    cv_.notify_one();
  }
  // SQLite's own default threshold for checkpointing.
  static constexpr int kWalPages = 1000;

 private:
  void run(std::stop_token stop) {
    std::unique_ptr<Connection> conn;
    std::unique_lock lk(mu_);
    while (true) {
      cv_.wait(lk, stop, [&] { return wanted_; });
      if (stop.stop_requested()) break;
      wanted_ = false;
      lk.unlock();
      try {
        if (!conn) conn = open();
        // Failure (SQLITE_BUSY from another process's checkpoint, an I/O
        // error) leaves the frames in the WAL, where readers still find
        // them; the next commit nudges again.
        sqlite3_wal_checkpoint_v2(conn->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      } catch (const ErrorException&) {
        conn.reset();
      }
      lk.lock();
    }
  }
  std::unique_ptr<Connection> open();

  const std::string path_;
  const DatabaseOptions opts_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool wanted_ = false;
  std::jthread thread_;  // last: stopped and joined before the rest goes
};

std::unique_ptr<Connection> Checkpointer::open() { return Connection::open(path_, opts_, Connection::Role::checkpointer); }

struct Shared {
  Shared(std::string p, const DatabaseOptions& o) : path(std::move(p)), opts(o) {}

  const std::string path;
  const DatabaseOptions opts;
  // Before the connections: destroyed after them, so that its thread (and
  // its connection) outlives no hook call of the writer.
  Checkpointer checkpointer{path, opts};

  // The writer: held by one write unit at a time, handed over in FIFO order.
  // std::timed_mutex would be unfair (a thread arriving as the mutex is freed
  // often wins over one that has waited for long) and its timed lock goes
  // through pthread_mutex_clocklock, which ThreadSanitizer does not see.
  std::mutex writer_mu;
  bool writer_held = false;          // guarded by writer_mu
  std::deque<Ticket*> writer_line;   // guarded by writer_mu
  std::shared_ptr<Batch> batch;      // guarded by writer_mu; set and cleared by the holder only
  SqliteWriterStats stats;           // guarded by writer_mu (queued is computed on read)
  int batch_max_units = kBatchMaxUnits;                 // guarded by writer_mu (test hook)
  std::chrono::microseconds batch_max_wait = kBatchMaxWait;  // likewise

  // Used by the writer's holder only (the hand-over through writer_mu orders
  // the accesses); reopened when dropped after a failure.
  std::unique_ptr<Connection> writer;
  // A unit of the open batch ran a PRAGMA: defer_foreign_keys lasts until the
  // transaction ends, so the next unit of the batch turns it off again.
  bool reset_defer_fk = false;

  // The thread holding the writer, to refuse a nested write unit on that
  // thread (it would wait on itself forever).
  std::atomic<std::thread::id> writer_thread{};

  std::atomic<int> fail_commits{0};  // test hook: COMMITs to turn into failures

  std::mutex pool_mu;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<Connection>> idle_readers;  // guarded by pool_mu
  int open_readers = 0;                                   // guarded by pool_mu

  std::chrono::milliseconds wait() const {
    return std::chrono::milliseconds(std::max(0, opts.pool_wait_ms));
  }
  int max_readers() const { return std::max(1, opts.pool_size); }

  std::unique_ptr<Connection> open_writer() {
    auto conn = Connection::open(path, opts, Connection::Role::writer);
    sqlite3_commit_hook(conn->db(), &Shared::commit_hook, &fail_commits);
    // Replaces SQLite's checkpoint-on-commit (see Checkpointer).
    sqlite3_wal_hook(conn->db(), &Shared::wal_hook, &checkpointer);
    return conn;
  }

  // Waits in line for the writer, at most `wait`. False on timeout.
  bool acquire_writer(std::chrono::milliseconds wait) {
    std::unique_lock lk(writer_mu);
    if (!writer_held && writer_line.empty()) {
      writer_held = true;
      return true;
    }
    Ticket me;
    writer_line.push_back(&me);
    if (me.cv.wait_for(lk, wait, [&] { return me.granted; })) return true;
    writer_line.erase(std::find(writer_line.begin(), writer_line.end(), &me));
    return false;
  }

  // Gives the writer to the first in line, or frees it. Needs writer_mu.
  void pass_writer_locked() {
    writer_thread.store(std::thread::id());
    if (writer_line.empty()) {
      writer_held = false;
      return;
    }
    Ticket* next = writer_line.front();
    writer_line.pop_front();
    next->granted = true;
    // Under the lock: once granted, the waiter may return and destroy it.
    next->cv.notify_one();
  }

  void release_writer() {
    std::lock_guard lk(writer_mu);
    pass_writer_locked();
  }

  // Called by the holder when its unit is done with the connection: it has
  // released its savepoint into the batch (committed) or rolled back to it.
  // Hands the open batch to the next writer in line, or ends the batch:
  // COMMIT when it holds committed units, else ROLLBACK. With `committed`,
  // returns once the batch is durable and throws its error if it failed.
  // `end_batch`: end it in any case (its first unit, which has no savepoint,
  // was dropped).
  void end_turn(bool committed, bool end_batch = false) {
    std::unique_lock lk(writer_mu);
    const std::shared_ptr<Batch> b = batch;
    if (b && committed && b->waiting++ == 0) b->first_waiting = Clock::now();
    if (b && !end_batch && opts.group_commit && !writer_line.empty() &&
        b->units < batch_max_units &&
        (b->waiting == 0 || Clock::now() - b->first_waiting < batch_max_wait)) {
      pass_writer_locked();
      if (!committed) return;
      b->ended_cv.wait(lk, [&] { return b->ended; });
      if (b->error) throw ErrorException(*b->error);
      return;
    }
    if (!b) {  // the transaction was lost earlier; its units know
      pass_writer_locked();
      return;
    }
    const int units = b->waiting;
    lk.unlock();
    std::optional<Error> error = units > 0 ? commit_batch() : rollback_batch();
    lk.lock();
    b->ended = true;
    b->error = error;
    batch.reset();
    if (units > 0) {
      ++stats.commits;
      if (error) {
        ++stats.failed_commits;
      } else {
        stats.units_committed += units;
        stats.largest_batch = std::max<int64_t>(stats.largest_batch, units);
      }
    }
    pass_writer_locked();
    lk.unlock();
    b->ended_cv.notify_all();
    if (committed && error) throw ErrorException(*error);
  }

  // Ends the open batch without its COMMIT (its transaction is gone or
  // unusable): every unit waiting in it gets `why`. Holder only.
  void lose_batch(const Error& why) {
    std::shared_ptr<Batch> b;
    {
      std::lock_guard lk(writer_mu);
      b = std::move(batch);
      batch.reset();
      if (!b) return;
      b->ended = true;
      b->error = why;
      if (b->waiting > 0) {
        ++stats.commits;
        ++stats.failed_commits;
      }
    }
    b->ended_cv.notify_all();
    if (writer && writer->in_transaction()) {
      sqlite3_exec(writer->db(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    if (writer && writer->in_transaction()) writer.reset();  // start afresh next time
  }

  SqliteWriterStats read_stats() {
    std::lock_guard lk(writer_mu);
    SqliteWriterStats out = stats;
    out.queued = static_cast<int>(writer_line.size());
    return out;
  }

 private:
  std::optional<Error> commit_batch() {
    const int rc = writer->try_step("COMMIT");
    if (rc == SQLITE_OK) return std::nullopt;
    Error error = batch_error(rc, writer->last_error());
    // A failed COMMIT may leave the transaction open (SQLITE_BUSY) or have
    // rolled it back already; either way none of the batch is kept.
    if (writer->in_transaction()) {
      sqlite3_exec(writer->db(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    if (writer->in_transaction()) writer.reset();
    return error;
  }

  std::optional<Error> rollback_batch() {
    if (writer->in_transaction()) (void)writer->try_step("ROLLBACK");
    if (writer->in_transaction()) writer.reset();  // start afresh next time
    return std::nullopt;
  }

  static int wal_hook(void* arg, sqlite3*, const char*, int pages) noexcept {
    static_cast<Checkpointer*>(arg)->nudge(pages);
    return SQLITE_OK;
  }

  static int commit_hook(void* arg) noexcept {
    auto* left = static_cast<std::atomic<int>*>(arg);
    int n = left->load();
    while (n > 0) {
      if (left->compare_exchange_weak(n, n - 1)) return 1;  // non-zero: the COMMIT fails
    }
    return 0;
  }
};

class SqliteUnit : public UnitOfWork {
 public:
  Engine engine() const override { return Engine::sqlite; }

  int64_t exec(std::string_view sql, const std::vector<Value>& params) override {
    check_usable(is_rollback_to(sql));  // before touching the connection
    sqlite3* db = conn_->db();
    const int64_t before = sqlite3_total_changes64(db);
    run(sql, params, [](sqlite3_stmt*) {});
    // changes64() keeps the count of the last INSERT/UPDATE/DELETE, so a DDL
    // statement would report a stale number; total_changes tells them apart.
    return sqlite3_total_changes64(db) == before ? 0 : sqlite3_changes64(db);
  }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    run(sql, params, [&rows](sqlite3_stmt* st) {
      const int n = sqlite3_column_count(st);
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) cols.push_back(column(st, c));
      rows.emplace_back(std::move(cols));
    });
    return rows;
  }

  void exec_script(std::string_view sql) override {
    check_usable(false);
    try {
      before_script(sql);
      conn_->run(std::string(sql).c_str());
    } catch (const ErrorException&) {
      failed_ = true;
      after_statement(false);
      throw;
    }
    after_statement(true);
  }

  std::string_view for_update() const override { return ""; }

 protected:
  explicit SqliteUnit(Connection* conn) : conn_(conn) {}

  // Hooks of the write unit around each statement. after_statement may mark
  // the unit broken and, when the statement itself succeeded, throw.
  virtual void before_statement(std::string_view /*sql*/) {}
  virtual void before_script(std::string_view /*sql*/) {}
  virtual void after_statement(bool /*ok*/) {}

  void check_usable(bool rollback_to) const {
    if (done_) throw ErrorException(Error::internal("unit of work already finished"));
    if (failed_ && (!rollback_to || broken_)) {
      throw ErrorException(
          Error::internal(broken_ ? "the transaction of this unit of work has ended; drop it"
                                  : "transaction aborted by an earlier error; drop this unit of "
                                    "work or ROLLBACK TO a savepoint"));
    }
  }

  Connection* conn_;
  bool done_ = false;
  bool failed_ = false;
  bool broken_ = false;  // the transaction is gone: nothing, not even ROLLBACK TO, can run

 private:
  static Value column(sqlite3_stmt* st, int c) {
    switch (sqlite3_column_type(st, c)) {
      case SQLITE_INTEGER:
        return sqlite3_column_int64(st, c);
      case SQLITE_NULL:
        return std::monostate{};
      case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
        return std::string(p != nullptr ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c)));
      }
      default: {  // TEXT, and FLOAT rendered as SQLite prints it
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
        if (p == nullptr)
          throw ErrorException(Error::internal("sqlite: out of memory reading a column"));
        return std::string(p, static_cast<size_t>(sqlite3_column_bytes(st, c)));
      }
    }
  }

  template <typename OnRow>
  void run(std::string_view sql, const std::vector<Value>& params, OnRow on_row) {
    const bool rollback_to = is_rollback_to(sql);
    check_usable(rollback_to);
    try {
      before_statement(sql);
      sqlite3* db = conn_->db();
      sqlite3_stmt* st = conn_->statement(sql);
      StatementUse use(st);
      if (static_cast<size_t>(sqlite3_bind_parameter_count(st)) != params.size()) {
        throw ErrorException(Error::internal("statement has " +
                                             std::to_string(sqlite3_bind_parameter_count(st)) +
                                             " placeholders, " + std::to_string(params.size()) +
                                             " values given: " + std::string(sql)));
      }
      for (size_t i = 0; i < params.size(); ++i) {
        const int at = static_cast<int>(i) + 1;
        const Value& v = params[i];
        int rc = SQLITE_OK;
        if (const auto* n = std::get_if<int64_t>(&v)) {
          rc = sqlite3_bind_int64(st, at, *n);
        } else if (const auto* s = std::get_if<std::string>(&v)) {
          rc = sqlite3_bind_text64(st, at, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        } else {
          rc = sqlite3_bind_null(st, at);
        }
        if (rc != SQLITE_OK) fail(db, rc);
      }
      for (;;) {
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
          on_row(st);
        } else if (rc == SQLITE_DONE) {
          break;
        } else {
          fail(db, rc);
        }
      }
    } catch (const ErrorException&) {
      failed_ = true;
      after_statement(false);
      throw;
    }
    after_statement(true);
    if (rollback_to) failed_ = false;
  }
};

// A write unit: a savepoint in the writer's open batch (see the top of the
// file), or, when it opened the batch, the batch's transaction itself (a lone
// writer then costs exactly BEGIN IMMEDIATE ... COMMIT). Holds the writer from
// begin until commit() or its destruction.
class WriteUnit final : public SqliteUnit {
 public:
  WriteUnit(std::shared_ptr<Shared> shared, bool has_savepoint)
      : SqliteUnit(shared->writer.get()),
        shared_(std::move(shared)),
        has_savepoint_(has_savepoint) {}

  ~WriteUnit() override {
    if (done_) return;  // committed: the writer was handed on already
    if (!has_savepoint_) {
      // First of its batch: nothing but its own writes in the transaction.
      shared_->end_turn(false, /*end_batch=*/true);
      return;
    }
    if (!broken_) {
      // The unit's writes go; the batch, with the others' writes, stays.
      const bool undone = conn_->try_step(kUnitRollback) == SQLITE_OK &&
                          conn_->try_step(kUnitRelease) == SQLITE_OK && conn_->in_transaction();
      if (!undone) {
        shared_->lose_batch({ErrorKind::unavailable, "storage_unavailable",
                             "the batch of this unit of work was rolled back: undoing another "
                             "unit in it failed: " + conn_->last_error(),
                             {}});
      }
    }
    shared_->end_turn(false);
  }

  WriteUnit(const WriteUnit&) = delete;
  WriteUnit& operator=(const WriteUnit&) = delete;

  void commit() override {
    check_usable(false);
    try {
      // A unit's deferred foreign keys are its own: checked here, they fail
      // this commit() as a COMMIT would, instead of the batch's COMMIT.
      int pending = 0;
      int highest = 0;
      sqlite3_db_status(conn_->db(), SQLITE_DBSTATUS_DEFERRED_FKS, &pending, &highest, 0);
      if (pending != 0) {
        throw ErrorException(
            Error::invalid("constraint_violation", "FOREIGN KEY constraint failed"));
      }
      if (has_savepoint_) conn_->step(kUnitRelease);
    } catch (const ErrorException&) {
      failed_ = true;
      after_statement(false);
      throw;
    }
    after_statement(true);
    done_ = true;
    shared_->end_turn(true);  // returns once the batch is durable
  }

 protected:
  void before_statement(std::string_view sql) override {
    if (is_transaction_control(sql)) {
      throw ErrorException(Error::internal(
          "a unit of work runs no BEGIN, COMMIT or ROLLBACK: call commit() or drop it: " +
          std::string(sql)));
    }
    if (is_pragma(sql)) shared_->reset_defer_fk = true;
  }

  void before_script(std::string_view sql) override {
    if (mentions_pragma(sql)) shared_->reset_defer_fk = true;
  }

  // A statement that ends the transaction (a script's COMMIT, an error that
  // rolls the whole transaction back, such as a full disk or OR ROLLBACK)
  // takes the batch with it: its waiting units get an error, and this unit
  // refuses everything until dropped.
  void after_statement(bool ok) override {
    if (broken_ || conn_->in_transaction()) return;
    broken_ = true;
    failed_ = true;
    shared_->lose_batch({ErrorKind::unavailable, "storage_unavailable",
                         "the batch of this unit of work was rolled back by a statement of "
                         "another unit in it",
                         {}});
    if (ok) {
      throw ErrorException(
          Error::internal("a statement ended the transaction of the unit of work"));
    }
  }

 private:
  std::shared_ptr<Shared> shared_;
  const bool has_savepoint_;
};

// Hands a reader connection back to the pool when the read unit ends, or
// closes it when it could not be returned clean.
class ReaderLease {
 public:
  ReaderLease(std::shared_ptr<Shared> shared, std::unique_ptr<Connection> conn)
      : shared_(std::move(shared)), conn_(std::move(conn)) {}
  ~ReaderLease() {
    const bool reusable = sqlite3_get_autocommit(conn_->db()) != 0;
    std::unique_ptr<Connection> dropped;
    {
      std::lock_guard lk(shared_->pool_mu);
      if (reusable) {
        shared_->idle_readers.push_back(std::move(conn_));
      } else {
        dropped = std::move(conn_);
        --shared_->open_readers;
      }
    }
    shared_->pool_cv.notify_one();
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;

  Connection* get() const { return conn_.get(); }

 private:
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<Connection> conn_;
};

class ReadUnit final : public SqliteUnit {
 public:
  explicit ReadUnit(std::unique_ptr<ReaderLease> lease)
      : SqliteUnit(lease->get()), lease_(std::move(lease)) {
    // Deferred: the WAL snapshot is taken by the first read and then held
    // until the unit ends, so every query in it sees the same data.
    conn_->step("BEGIN");
  }
  ~ReadUnit() override {
    if (!done_) sqlite3_exec(conn_->db(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  ReadUnit(const ReadUnit&) = delete;
  ReadUnit& operator=(const ReadUnit&) = delete;

  void commit() override {
    check_usable(false);
    try {
      conn_->step("COMMIT");
    } catch (const ErrorException&) {
      failed_ = true;
      throw;
    }
    done_ = true;
  }

 private:
  std::unique_ptr<ReaderLease> lease_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  Engine engine() const override { return Engine::sqlite; }

  std::unique_ptr<UnitOfWork> begin(TxMode mode) override {
    switch (mode) {
      case TxMode::write:
        return begin_write();
      case TxMode::read:
        return std::make_unique<ReadUnit>(acquire_reader());
    }
    throw ErrorException(Error::internal("unknown transaction mode"));
  }

  std::string describe() const override { return "sqlite:" + shared_->path; }

  Shared& shared() { return *shared_; }

 private:
  std::unique_ptr<UnitOfWork> begin_write() {
    Shared& s = *shared_;
    if (s.writer_thread.load() == std::this_thread::get_id()) {
      throw ErrorException(Error::internal(
          "this thread already holds the SQLite write unit; a nested one would wait forever"));
    }
    if (!s.acquire_writer(s.wait())) {
      throw ErrorException(busy_error("timed out waiting for the SQLite writer"));
    }
    s.writer_thread.store(std::this_thread::get_id());
    // Only the holder sets or clears the batch, so reading it needs no lock.
    std::shared_ptr<Batch> batch = s.batch;
    const bool opens_batch = !batch;
    if (opens_batch) {
      try {
        if (!s.writer) s.writer = s.open_writer();
        // IMMEDIATE takes the file's write lock now, so that a second process
        // fails at begin (after busy_timeout) rather than mid-unit on upgrade.
        s.writer->step("BEGIN IMMEDIATE");
      } catch (...) {
        s.release_writer();
        throw;
      }
      batch = std::make_shared<Batch>();
      s.reset_defer_fk = false;  // the pragma ended with the last transaction
      std::lock_guard lk(s.writer_mu);
      s.batch = batch;
    }
    try {
      if (!opens_batch) {
        if (s.reset_defer_fk) {
          s.writer->step("PRAGMA defer_foreign_keys=OFF");
          s.reset_defer_fk = false;
        }
        s.writer->step(kUnitSavepoint);
      }
      {
        std::lock_guard lk(s.writer_mu);
        ++batch->units;
      }
      return std::make_unique<WriteUnit>(shared_, !opens_batch);
    } catch (...) {
      s.end_turn(false);  // the batch goes on without this unit
      throw;
    }
  }

  std::unique_ptr<ReaderLease> acquire_reader() {
    std::unique_lock lk(shared_->pool_mu);
    const bool free = shared_->pool_cv.wait_for(lk, shared_->wait(), [this] {
      return !shared_->idle_readers.empty() || shared_->open_readers < shared_->max_readers();
    });
    if (!free) throw ErrorException(busy_error("timed out waiting for a SQLite reader connection"));
    if (!shared_->idle_readers.empty()) {
      auto conn = std::move(shared_->idle_readers.back());
      shared_->idle_readers.pop_back();
      return std::make_unique<ReaderLease>(shared_, std::move(conn));
    }
    ++shared_->open_readers;
    lk.unlock();
    try {
      return std::make_unique<ReaderLease>(
          shared_, Connection::open(shared_->path, shared_->opts, Connection::Role::reader));
    } catch (...) {
      lk.lock();
      --shared_->open_readers;
      lk.unlock();
      shared_->pool_cv.notify_one();
      throw;
    }
  }

  std::shared_ptr<Shared> shared_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& opts) {
  if (path.empty() || path == ":memory:" || path.starts_with("file::memory:")) {
    throw ErrorException(Error::internal(
        "SQLite needs a database file: an in-memory database is private to one connection"));
  }
  auto shared = std::make_shared<Shared>(path, opts);
  // The writer opens eagerly: it creates the file and switches it to WAL
  // before any reader looks at it, and a bad path fails here, not later.
  shared->writer = shared->open_writer();
  return std::make_unique<SqliteDatabase>(std::move(shared));
}

std::optional<SqliteWriterStats> sqlite_writer_stats(Database& db) {
  auto* sqlite = dynamic_cast<SqliteDatabase*>(&db);
  if (sqlite == nullptr) return std::nullopt;
  return sqlite->shared().read_stats();
}

void sqlite_set_batch_limits_for_testing(Database& db, int max_units,
                                         std::chrono::microseconds max_wait) {
  auto* sqlite = dynamic_cast<SqliteDatabase*>(&db);
  if (sqlite == nullptr) throw ErrorException(Error::internal("not a SQLite database"));
  Shared& s = sqlite->shared();
  std::lock_guard lk(s.writer_mu);
  s.batch_max_units = std::max(1, max_units);
  s.batch_max_wait = max_wait;
}

void sqlite_fail_next_commits_for_testing(Database& db, int n) {
  auto* sqlite = dynamic_cast<SqliteDatabase*>(&db);
  if (sqlite == nullptr) throw ErrorException(Error::internal("not a SQLite database"));
  sqlite->shared().fail_commits.store(std::max(0, n));
}

}  // namespace o2c::store
