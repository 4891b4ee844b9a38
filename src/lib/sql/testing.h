// For tests: a fresh, empty database on either engine, so one test body
// runs on SQLite and on PostgreSQL (parameterise the suite on "sqlite" and
// "postgres"). PostgreSQL comes from CHANCERY_TEST_PG (`make test` starts a
// server); each database is a schema of its own, dropped at the end.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "lib/sql/sql.h"

namespace chancery::sql {

class TestDatabase {
 public:
  // `connections`: PostgreSQL pool size (SQLite keeps 4 readers).
  // Null (and the test skipped, or failed under CHANCERY_REQUIRE_PG) when
  // PostgreSQL is asked for and none is configured.
  static std::unique_ptr<TestDatabase> Open(const std::string& backend, int connections = 4) {
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase);
    std::random_device rd;
    const std::string tag = "t" + std::to_string(rd());
    if (backend == "postgres") {
      const char* pg = std::getenv("CHANCERY_TEST_PG");
      if (!pg || !*pg) return nullptr;
      auto admin = OpenPostgres({pg, 1});
      if (!admin.ok()) return nullptr;
      if (!(*admin)
               ->Transact(Database::Mode::kWrite,
                          [&](Connection& c) { return c.Exec("CREATE SCHEMA " + tag); })
               .ok()) {
        return nullptr;
      }
      t->pg_base_ = pg;
      t->schema_ = tag;
      auto db = OpenPostgres({std::string(pg) + " options=-csearch_path=" + tag, connections});
      if (!db.ok()) return nullptr;
      t->db_ = std::move(*db);
    } else {
      t->dir_ = std::filesystem::temp_directory_path() / ("chancery-store-" + tag);
      std::filesystem::create_directories(t->dir_);
      auto db = OpenSqlite({(t->dir_ / "test.db").string(), 4, false, 30000});
      if (!db.ok()) return nullptr;
      t->db_ = std::move(*db);
    }
    return t;
  }

  ~TestDatabase() {
    db_.reset();
    if (!schema_.empty()) {
      if (auto admin = OpenPostgres({pg_base_, 1}); admin.ok()) {
        (void)(*admin)->Transact(Database::Mode::kWrite, [&](Connection& c) {
          return c.Exec("DROP SCHEMA " + schema_ + " CASCADE");
        });
      }
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Database& db() { return *db_; }

 private:
  TestDatabase() = default;
  std::unique_ptr<Database> db_;
  std::string pg_base_, schema_;
  std::filesystem::path dir_;
};

// In a parameterised test's SetUp: opens the backend or skips the test.
#define CHY_OPEN_TEST_DATABASE(var, backend, ...)                                \
  var = ::chancery::sql::TestDatabase::Open(backend __VA_OPT__(, ) __VA_ARGS__); \
  if (!var) {                                                                    \
    if ((backend) == "postgres" && std::getenv("CHANCERY_REQUIRE_PG")) {         \
      FAIL() << "CHANCERY_TEST_PG is not set or not reachable";                  \
    }                                                                            \
    GTEST_SKIP() << "no " << (backend) << " database (set CHANCERY_TEST_PG)";    \
  }

}  // namespace chancery::sql
