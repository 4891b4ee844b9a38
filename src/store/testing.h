// For the store tests of the modules (src/modules/<name>/store_test.cc) and
// of the store itself: one fixture, parameterised on the engine, so every
// body runs on SQLite and on PostgreSQL (Drogon's orm_lib/tests/db_test.cc
// is the model). PostgreSQL comes from CHANCERY_TEST_PG (lib/sql/testing.h);
// `make test` starts one and sets CHANCERY_REQUIRE_PG, so the PostgreSQL
// half fails there instead of being skipped.
//
// A suite derives from StoreTest (an empty database) or MigratedStoreTest
// (every module's schema steps applied and one root unit) and is
// instantiated with CHY_STORE_TEST_BACKENDS(Suite). Times in the bodies are
// fixed instants (kT0 and offsets from it), never the wall clock.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/schema.h"
#include "core/model.h"
#include "lib/sql/testing.h"
#include "store/store.h"

namespace chancery::store::testing {

// 2027-01-15T08:00:00Z: the instant the bodies count from.
inline constexpr Timestamp kT0{std::chrono::seconds(1'800'000'000)};

inline Date Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { CHY_OPEN_TEST_DATABASE(test_db_, GetParam()); }

  sql::Database& db() { return test_db_->db(); }
  Store& store() { return *store_; }

  Status Exec(const std::string& script) {
    return db().Transact(sql::Database::Mode::kWrite,
                         [&](sql::Connection& c) { return c.ExecScript(script); });
  }

  // The single integer `query` answers (a COUNT(*)), or -1.
  std::int64_t Count(const std::string& query) {
    std::int64_t n = -1;
    Status s = db().Transact(sql::Database::Mode::kRead, [&](sql::Connection& c) -> Status {
      CHY_TRY(auto rows, c.Query(query));
      n = rows.rows.at(0).Int(0);
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << query << ": " << s.error().message;
    return n;
  }

  // A migrated store with one root unit (root_) that issues documents.
  Store& Migrated() {
    store_ = std::make_unique<Store>(db());
    Status migrated = store_->Migrate(app::AllMigrations());
    EXPECT_TRUE(migrated.ok()) << migrated.error().message;
    Write([&](Tx& tx) -> Status {
      Unit u{.name = "Bộ", .abbreviation = "B", .issues_documents = true};
      CHY_TRY(root_, org::Store(tx).InsertUnit(u, Day(2026, 1, 1)));
      return Ok();
    });
    return *store_;
  }

  // Runs `body` in one write (read) transaction of the migrated store;
  // false, and the error reported as a failure, when it does not commit.
  bool Write(const std::function<Status(Tx&)>& body) { return Run(true, body); }
  bool Read(const std::function<Status(Tx&)>& body) { return Run(false, body); }

  std::unique_ptr<sql::TestDatabase> test_db_;
  std::unique_ptr<Store> store_;
  Id root_ = 0;

 private:
  bool Run(bool write, const std::function<Status(Tx&)>& body) {
    if (!store_) {
      ADD_FAILURE() << "Migrated() first";
      return false;
    }
    Status s = write ? store_->Write(body) : store_->Read(body);
    if (!s.ok()) {
      ADD_FAILURE() << ErrorCodeName(s.error().code) << ": " << s.error().message;
    }
    return s.ok();
  }
};

// A suite whose every test starts from a migrated store with a root unit.
class MigratedStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Migrated();
  }
};

// The code of a failed result (or "ok"), for EXPECT_EQ on refusals.
template <typename T>
std::string CodeOf(const Result<T>& r) {
  return r.ok() ? "ok" : std::string(ErrorCodeName(r.error().code));
}

}  // namespace chancery::store::testing

// Runs `Suite` (a StoreTest) on both engines.
#define CHY_STORE_TEST_BACKENDS(Suite)                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgres"), \
                           [](const auto& info) { return info.param; })
