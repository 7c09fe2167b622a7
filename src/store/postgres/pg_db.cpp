// PostgreSQL engine over libpq. Every statement is prepared once per
// connection and then executed by name: parse and plan work is paid once per
// connection, not per request, and parameters never pass through SQL text.
#include "store/postgres/pg_db.h"

#include <libpq-fe.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"

namespace o2c::store {
namespace {

struct ConnCloser {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct ConninfoFreer {
  void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};
using ConnHandle = std::unique_ptr<PGconn, ConnCloser>;
using ResultHandle = std::unique_ptr<PGresult, ResultClearer>;
using ConninfoHandle = std::unique_ptr<PQconninfoOption, ConninfoFreer>;

struct StringHash {
  using is_transparent = void;  // lets find() take a string_view without a copy
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// See sqlite_db.cpp: past this many distinct statements SQL is being built
// from data; we deallocate and start over rather than grow without bound.
constexpr size_t kStatementCacheMax = 512;

// Type OIDs from pg_type.h (server headers are not installed with libpq).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kNumericOid = 1700;

Error busy_error(std::string message) {
  return {ErrorKind::unavailable, "storage_busy", std::move(message), {}};
}
Error unavailable_error(std::string message) {
  return {ErrorKind::unavailable, "storage_unavailable", std::move(message), {}};
}

std::string trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The column of a unique violation: from the detail "Key (sku)=(A) already
// exists.", else from a default constraint name "<table>_<column>_key". A
// composite or expression key names no single field.
std::string duplicate_field(const PGresult* res) {
  const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
  if (detail != nullptr) {
    const std::string_view d(detail);
    const size_t open = d.find("Key (");
    const size_t close = open == std::string_view::npos ? open : d.find(")=(", open);
    if (close != std::string_view::npos) {
      const std::string_view col = d.substr(open + 5, close - open - 5);
      return is_identifier(col) ? std::string(col) : std::string();
    }
  }
  const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
  const char* table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
  if (constraint == nullptr || table == nullptr) return {};
  std::string_view c(constraint);
  const std::string prefix = std::string(table) + "_";
  if (!c.starts_with(prefix) || !c.ends_with("_key")) return {};
  c.remove_prefix(prefix.size());
  c.remove_suffix(4);
  return is_identifier(c) ? std::string(c) : std::string();
}

Error error_from(PGconn* conn, const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message =
      trimmed(res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr);
  if (message.empty()) message = trimmed(res != nullptr ? PQresultErrorMessage(res) : nullptr);
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  if (state == nullptr) {
    // libpq's own failures carry no SQLSTATE; a lost server is the usual one.
    if (PQstatus(conn) != CONNECTION_OK) return unavailable_error("postgresql: " + message);
    return Error::internal("postgresql: " + message);
  }
  const std::string_view s(state);
  if (s == "23505") {
    return Error::conflict("duplicate", std::move(message), duplicate_field(res));
  }
  if (s.starts_with("23")) return Error::invalid("constraint_violation", std::move(message));
  // Serialization failure, deadlock, lock not available, statement timeout:
  // the whole unit may simply be run again.
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014") {
    return busy_error(std::move(message));
  }
  // Connection exceptions, server shutting down, too many connections.
  if (s.starts_with("08") || s.starts_with("57P") || s == "53300") {
    return unavailable_error("postgresql: " + message);
  }
  return Error::internal("postgresql: " + message + " [" + std::string(s) + "]");
}

[[noreturn]] void fail(PGconn* conn, const PGresult* res) {
  throw ErrorException(error_from(conn, res));
}

// Runs `res` through the status check every call needs.
ResultHandle checked(PGconn* conn, PGresult* raw) {
  ResultHandle res(raw);
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    fail(conn, res.get());
  }
  return res;
}

// "postgresql://user@host:port/db" rebuilt from the parsed parameters, so
// that a password in the URL (or in ?password=) can never reach a log.
std::string describe_url(const std::string& url) {
  char* err = nullptr;
  ConninfoHandle opts(PQconninfoParse(url.c_str(), &err));
  if (err != nullptr) PQfreemem(err);
  if (!opts) return "postgresql://(invalid URL)";
  std::string user, host, port, dbname;
  for (const PQconninfoOption* o = opts.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view k(o->keyword);
    if (k == "user") user = o->val;
    if (k == "host" || (k == "hostaddr" && host.empty())) host = o->val;
    if (k == "port") port = o->val;
    if (k == "dbname") dbname = o->val;
  }
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  out += host;
  if (!port.empty()) out += ":" + port;
  return out + "/" + dbname;
}

class PgConnection {
 public:
  explicit PgConnection(ConnHandle conn) : conn_(std::move(conn)) {}

  static std::unique_ptr<PgConnection> connect(const std::string& url, const DatabaseOptions& opts,
                                               const std::string& described) {
    // connect_timeout comes before dbname so that the URL may override it;
    // without one, an unreachable host would hang a request indefinitely.
    const char* keys[] = {"connect_timeout", "dbname", "fallback_application_name", nullptr};
    const char* values[] = {"10", url.c_str(), "o2c", nullptr};
    auto conn = std::make_unique<PgConnection>(ConnHandle(PQconnectdbParams(keys, values, 1)));
    if (!conn->conn_) throw ErrorException(unavailable_error("postgresql: out of memory"));
    if (PQstatus(conn->get()) != CONNECTION_OK) {
      throw ErrorException(unavailable_error("cannot connect to " + described + ": " +
                                             trimmed(PQerrorMessage(conn->get()))));
    }
    conn->durable_ = opts.durable;
    conn->lock_timeout_ms_ = opts.lock_timeout_ms;
    conn->setup();
    return conn;
  }

  PGconn* get() const { return conn_.get(); }
  bool healthy() const { return PQstatus(get()) == CONNECTION_OK; }
  bool idle() const { return healthy() && PQtransactionStatus(get()) == PQTRANS_IDLE; }

  // Re-establishes a lost connection. The server forgot our prepared
  // statements with the old session, so must we.
  void reconnect() {
    prepared_.clear();
    PQreset(get());
    if (!healthy()) {
      throw ErrorException(
          unavailable_error("postgresql: reconnect failed: " + trimmed(PQerrorMessage(get()))));
    }
    setup();
  }

  ResultHandle simple(const char* sql) { return checked(get(), PQexec(get(), sql)); }

  struct Prepared {
    std::string name;
    int params = 0;
  };

  const Prepared& prepare(std::string_view sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
    if (prepared_.size() >= kStatementCacheMax) {
      simple("DEALLOCATE ALL");
      prepared_.clear();
    }
    const NumberedSql numbered = number_placeholders(sql);
    Prepared p{"o2c_" + std::to_string(++statements_made_), numbered.count};
    // No parameter types: the server infers each from its context, the way
    // SQLite accepts any value anywhere.
    checked(get(), PQprepare(get(), p.name.c_str(), numbered.text.c_str(), 0, nullptr));
    return prepared_.emplace(std::string(sql), std::move(p)).first->second;
  }

 private:
  void setup() {
    // NOTICEs ("relation already exists, skipping") are noise on stderr.
    // Row locks are held for milliseconds; a wait of lock_timeout means a
    // stuck transaction somewhere, and the request fails as busy (retried,
    // then 503) instead of hanging. A transaction left idle that long is
    // ended by the server so that its locks cannot wedge everyone else.
    // No JIT: PostgreSQL compiles a plan whose estimated cost passes a
    // threshold anew at every execution, and o2c's queries are index reads
    // that finish in less than that compilation takes (the aging as of a date
    // over 1 000 000 invoices: 0.3 s of JIT in 0.7 s, docs/decisions.md).
    std::string sql = "SET client_min_messages=warning; SET jit=off; SET lock_timeout=" +
                      std::to_string(std::max(0, lock_timeout_ms_)) +
                      "; SET idle_in_transaction_session_timeout=" +
                      std::to_string(std::max(0, lock_timeout_ms_) * 6);
    if (!durable_) sql += "; SET synchronous_commit=off";
    simple(sql.c_str());
  }

  ConnHandle conn_;
  bool durable_ = true;
  int lock_timeout_ms_ = 10000;
  uint64_t statements_made_ = 0;
  std::unordered_map<std::string, Prepared, StringHash, std::equal_to<>> prepared_;
};

struct Shared {
  Shared(std::string u, const DatabaseOptions& o)
      : url(std::move(u)), opts(o), described(describe_url(url)) {}

  const std::string url;
  const DatabaseOptions opts;
  const std::string described;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<PgConnection>> idle;  // guarded by mu
  int open = 0;                                     // guarded by mu

  std::chrono::milliseconds wait() const {
    return std::chrono::milliseconds(std::max(0, opts.pool_wait_ms));
  }
  int max_open() const { return std::max(1, opts.pool_size); }
};

// A connection borrowed from the pool; returned when clean (connected and
// outside any transaction), closed otherwise so the next caller gets a fresh one.
class Lease {
 public:
  Lease(std::shared_ptr<Shared> shared, std::unique_ptr<PgConnection> conn)
      : shared_(std::move(shared)), conn_(std::move(conn)) {}
  ~Lease() {
    std::unique_ptr<PgConnection> dropped;
    {
      std::lock_guard lk(shared_->mu);
      if (conn_->idle()) {
        shared_->idle.push_back(std::move(conn_));
      } else {
        dropped = std::move(conn_);
        --shared_->open;
      }
    }
    shared_->cv.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  PgConnection& conn() const { return *conn_; }

 private:
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<PgConnection> conn_;
};

class PgUnit final : public UnitOfWork {
 public:
  PgUnit(std::unique_ptr<Lease> lease, TxMode mode) : lease_(std::move(lease)) {
    PgConnection& c = lease_->conn();
    const char* begin =
        mode == TxMode::write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    if (!c.healthy()) c.reconnect();
    try {
      c.simple(begin);
    } catch (const ErrorException&) {
      // A pooled connection whose server restarted looks healthy until used.
      // Nothing has happened in this unit yet, so one retry is safe.
      if (c.healthy()) throw;
      c.reconnect();
      c.simple(begin);
    }
  }

  ~PgUnit() override {
    if (!done_ && lease_->conn().healthy()) {
      ResultHandle(PQexec(lease_->conn().get(), "ROLLBACK"));
    }
  }

  PgUnit(const PgUnit&) = delete;
  PgUnit& operator=(const PgUnit&) = delete;

  Engine engine() const override { return Engine::postgres; }

  int64_t exec(std::string_view sql, const std::vector<Value>& params) override {
    ResultHandle res = run(sql, params);
    // cmdTuples counts the rows a SELECT returned; SQLite reports 0 changed
    // rows for it, and so do we.
    if (std::string_view(PQcmdStatus(res.get())).starts_with("SELECT")) return 0;
    const std::string_view n(PQcmdTuples(res.get()));
    int64_t changed = 0;
    std::from_chars(n.data(), n.data() + n.size(), changed);
    return changed;
  }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    ResultHandle res = run(sql, params);
    const int nrows = PQntuples(res.get());
    const int ncols = PQnfields(res.get());
    Rows rows;
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) cols.push_back(column(res.get(), r, c));
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  void exec_script(std::string_view sql) override {
    check_open();
    // The simple query protocol runs several statements in one round trip,
    // inside our open transaction.
    lease_->conn().simple(std::string(sql).c_str());
  }

  std::string_view for_update() const override { return " FOR UPDATE"; }

  void commit() override {
    check_open();
    PgConnection& c = lease_->conn();
    // Whatever the answer, the server has ended the transaction (or the
    // connection is gone and the lease will drop it).
    done_ = true;
    ResultHandle res = c.simple("COMMIT");
    // COMMIT of a transaction aborted by an earlier error "succeeds" with
    // the tag ROLLBACK: it must not pass for a commit.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      throw ErrorException(
          Error::internal("transaction aborted by an earlier error; nothing was committed"));
    }
  }

 private:
  void check_open() const {
    if (done_) throw ErrorException(Error::internal("unit of work already finished"));
  }

  ResultHandle run(std::string_view sql, const std::vector<Value>& params) {
    check_open();
    PgConnection& c = lease_->conn();
    const PgConnection::Prepared& p = c.prepare(sql);
    if (static_cast<size_t>(p.params) != params.size()) {
      throw ErrorException(Error::internal("statement has " + std::to_string(p.params) +
                                           " placeholders, " + std::to_string(params.size()) +
                                           " values given: " + std::string(sql)));
    }
    std::vector<std::string> numbers(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        numbers[i] = std::to_string(*n);
        values[i] = numbers[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    return checked(c.get(), PQexecPrepared(c.get(), p.name.c_str(), static_cast<int>(params.size()),
                                           values.data(), nullptr, nullptr, 0));
  }

  static Value column(const PGresult* res, int r, int c) {
    if (PQgetisnull(res, r, c) != 0) return std::monostate{};
    const char* v = PQgetvalue(res, r, c);
    const std::string_view text(v, static_cast<size_t>(PQgetlength(res, r, c)));
    int64_t n = 0;
    auto whole_integer = [&] {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      return ec == std::errc() && end == text.data() + text.size();
    };
    switch (PQftype(res, c)) {
      case kInt8Oid:
      case kInt4Oid:
      case kInt2Oid:
        if (!whole_integer())
          throw ErrorException(Error::internal("postgresql: bad integer " + std::string(text)));
        return n;
      case kBoolOid:
        // SQLite has no boolean: a comparison yields 1 or 0 there.
        return int64_t{text == "t" ? 1 : 0};
      case kNumericOid:
        // SUM over BIGINT is NUMERIC here but INTEGER on SQLite; a whole
        // number that fits is an integer on both.
        if (whole_integer()) return n;
        return std::string(text);
      default:
        return std::string(text);
    }
  }

  std::unique_ptr<Lease> lease_;
  bool done_ = false;
};

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  Engine engine() const override { return Engine::postgres; }

  std::unique_ptr<UnitOfWork> begin(TxMode mode) override {
    return std::make_unique<PgUnit>(acquire(), mode);
  }

  std::string describe() const override { return shared_->described; }

 private:
  std::unique_ptr<Lease> acquire() {
    std::unique_lock lk(shared_->mu);
    const bool free = shared_->cv.wait_for(lk, shared_->wait(), [this] {
      return !shared_->idle.empty() || shared_->open < shared_->max_open();
    });
    if (!free) throw ErrorException(busy_error("timed out waiting for a PostgreSQL connection"));
    if (!shared_->idle.empty()) {
      auto conn = std::move(shared_->idle.back());
      shared_->idle.pop_back();
      return std::make_unique<Lease>(shared_, std::move(conn));
    }
    ++shared_->open;
    lk.unlock();
    try {
      return std::make_unique<Lease>(
          shared_, PgConnection::connect(shared_->url, shared_->opts, shared_->described));
    } catch (...) {
      lk.lock();
      --shared_->open;
      lk.unlock();
      shared_->cv.notify_one();
      throw;
    }
  }

  std::shared_ptr<Shared> shared_;
};

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

NumberedSql number_placeholders(std::string_view sql) {
  NumberedSql out;
  out.text.reserve(sql.size() + 16);
  const size_t n = sql.size();
  size_t i = 0;
  // Copies sql[i, end) verbatim and moves past it.
  auto copy_to = [&](size_t end) {
    end = std::min(end, n);
    out.text.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"') {
      // A doubled quote inside ends this run and starts the next one at
      // once, which copies the same text; E'' strings also escape with '\'.
      const bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !ident_char(sql[i - 2]));
      size_t j = i + 1;
      while (j < n && sql[j] != c) j += (escapes && sql[j] == '\\') ? 2 : 1;
      copy_to(j + 1);
    } else if (c == '-' && next == '-') {
      const size_t eol = sql.find('\n', i);
      copy_to(eol == std::string_view::npos ? n : eol + 1);
    } else if (c == '/' && next == '*') {
      const size_t close = sql.find("*/", i + 2);
      copy_to(close == std::string_view::npos ? n : close + 2);
    } else if (c == '?') {
      out.text += '$';
      out.text += std::to_string(++out.count);
      ++i;
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& opts) {
  {
    char* err = nullptr;
    ConninfoHandle parsed(PQconninfoParse(url.c_str(), &err));
    const std::string why = trimmed(err);
    if (err != nullptr) PQfreemem(err);
    if (!parsed) throw ErrorException(Error::internal("invalid PostgreSQL URL: " + why));
  }
  auto shared = std::make_shared<Shared>(url, opts);
  shared->idle.push_back(PgConnection::connect(shared->url, shared->opts, shared->described));
  shared->open = 1;
  return std::make_unique<PgDatabase>(std::move(shared));
}

namespace {

// One statement outside any transaction, on a connection of its own.
void admin_exec(const std::string& url, const std::string& sql) {
  ConnHandle conn(PQconnectdb(url.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    throw ErrorException(unavailable_error("postgresql: cannot connect to " + describe_url(url) + ": " +
                                           trimmed(conn ? PQerrorMessage(conn.get()) : "out of memory")));
  }
  checked(conn.get(), PQexec(conn.get(), sql.c_str()));
}

}  // namespace

void pg_vacuum_analyze(const std::string& url) { admin_exec(url, "VACUUM (ANALYZE)"); }

std::string pg_url_with_database(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t query = url.find('?', authority);
  const size_t path = url.find('/', authority);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  const size_t cut = (path != std::string::npos && (query == std::string::npos || path < query)) ? path
                     : query != std::string::npos                                                 ? query
                                                                                                  : url.size();
  return url.substr(0, cut) + "/" + name + tail;
}

PgScratchDatabase::PgScratchDatabase(const std::string& cluster_url, const std::string& prefix)
    : cluster_url_(cluster_url) {
  const bool plain = !prefix.empty() && std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!plain) throw ErrorException(Error::internal("scratch database prefix '" + prefix + "' is not plain"));
  // Unique across the runs of this process and across processes sharing the
  // cluster, without asking the server which names are taken.
  static std::atomic<int> serial{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  name_ = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(serial.fetch_add(1)) + "_" +
          std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count() % 1000000);
  admin_exec(cluster_url_, "CREATE DATABASE " + name_);
  url_ = pg_url_with_database(cluster_url_, name_);
}

PgScratchDatabase::~PgScratchDatabase() {
  if (keep_) return;
  try {
    admin_exec(cluster_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const ErrorException&) {
    // A destructor cannot report; the database is left behind, named by its prefix.
  }
}

}  // namespace o2c::store
