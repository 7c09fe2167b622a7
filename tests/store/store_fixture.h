#pragma once
// Helpers of the store suite (not needed by other suites: use test_db.h).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "store/db.h"
#include "store/migrate.h"
#include "test_db.h"

namespace o2c::store {

// A migrated, empty database of the engine under test.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = test::make_test_database();
    migrate(tdb_->db());
  }
  Database& db() { return tdb_->db(); }
  bool on_postgres() const { return tdb_->engine() == Engine::postgres; }

  std::unique_ptr<test::TestDatabase> tdb_;
};

// The error `fn` throws; a test failure (and an empty Error) if it throws none.
inline Error error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ErrorException& e) {
    return e.error;
  }
  ADD_FAILURE() << "expected an ErrorException";
  return Error{ErrorKind::internal, "", "", ""};
}

// Runs `body` in a write unit and commits it, again while the storage says
// it is busy (PostgreSQL deadlock/serialization, SQLite lock wait timeout).
inline void write_with_retry(Database& db, const std::function<void(UnitOfWork&)>& body,
                             int max_attempts = 50) {
  for (int attempt = 1;; ++attempt) {
    try {
      auto tx = db.begin(TxMode::write);
      body(*tx);
      tx->commit();
      return;
    } catch (const ErrorException& e) {
      if (e.error.kind != ErrorKind::unavailable || attempt >= max_attempts) throw;
    }
  }
}

inline int64_t insert_warehouse(UnitOfWork& tx, const std::string& code) {
  return tx
      .query_one("INSERT INTO warehouses (code, name, created_at) VALUES (?, ?, ?) RETURNING id",
                 {code, "Warehouse " + code, std::string("2024-01-01T00:00:00Z")})
      ->i64(0);
}

inline int64_t insert_product(UnitOfWork& tx, const std::string& sku) {
  return tx
      .query_one(
          "INSERT INTO products (sku, name, unit_price_e4, currency, tax_rate_bp, tax_category, "
          "created_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {sku, "Product " + sku, int64_t{129900}, std::string("EUR"), int64_t{1900},
           std::string("S"), std::string("2024-01-01T00:00:00Z")})
      ->i64(0);
}

inline int64_t count_rows(Database& db, const std::string& table) {
  auto tx = db.begin(TxMode::read);
  return tx->query_one("SELECT COUNT(*) FROM " + table)->i64(0);
}

}  // namespace o2c::store
