#pragma once
// What the benchmarks (`o2c bench store`, `o2c bench orders`) share: scratch
// places for the databases they fill and throw away.
#include <string>

namespace o2c::cli {

// A new folder under /tmp (prefix + random suffix), deleted with its contents
// by the destructor. path() is empty when it could not be made.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A PostgreSQL cluster made for one benchmark run: initdb into a temp folder,
// pg_ctl start on a free loopback port, stop and delete in the destructor.
// As root the server runs as the `postgres` user, since PostgreSQL refuses
// root. On failure error() says why and url() is empty.
class ThrowawayPostgres {
 public:
  ThrowawayPostgres();
  ~ThrowawayPostgres();
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // The cluster's maintenance database, as user o2c (trust auth, superuser).
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_, url_, error_, stop_cmd_;
};

}  // namespace o2c::cli
