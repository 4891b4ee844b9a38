// The store on both engines: module migrations (a fresh database, the
// previous release's database, a failing step) and each module's store
// operations, the same bodies on SQLite and on PostgreSQL.
#include "store/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "app/schema.h"
#include "lib/sql/migrations.h"
#include "lib/sql/testing.h"

namespace chancery::store {
namespace {

using sql::Database;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { CHY_OPEN_TEST_DATABASE(test_db_, GetParam()); }

  Database& db() { return test_db_->db(); }

  Status Exec(const std::string& script) {
    return db().Transact(Database::Mode::kWrite,
                         [&](sql::Connection& c) { return c.ExecScript(script); });
  }
  std::int64_t Count(const std::string& query) {
    std::int64_t n = -1;
    EXPECT_TRUE(db().Transact(Database::Mode::kRead,
                              [&](sql::Connection& c) -> Status {
                                CHY_TRY(auto rows, c.Query(query));
                                n = rows.rows.at(0).Int(0);
                                return Ok();
                              })
                    .ok());
    return n;
  }
  // A migrated store with one unit, for the modules' bodies below.
  Store& Migrated() {
    store_ = std::make_unique<Store>(db());
    EXPECT_TRUE(store_->Migrate(app::AllMigrations()).ok());
    EXPECT_TRUE(store_
                    ->Write([&](Tx& tx) -> Status {
                      Unit u{.name = "Bộ", .abbreviation = "B", .issues_documents = true};
                      CHY_TRY(root_, org::Store(tx).InsertUnit(u, Date{}));
                      return Ok();
                    })
                    .ok());
    return *store_;
  }

  std::unique_ptr<sql::TestDatabase> test_db_;
  std::unique_ptr<Store> store_;
  Id root_ = 0;
};

TEST_P(StoreTest, AFreshDatabaseGetsEveryModuleAndASecondRunDoesNothing) {
  auto first = sql::ApplyMigrations(db(), app::AllMigrations());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 6);  // one baseline per module (and the store's own)
  auto again = sql::ApplyMigrations(db(), app::AllMigrations());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), 6);
}

// A database the previous release made (its single schema file, version
// 5, with data in it) comes through: every baseline is recorded, nothing is
// lost, and the store works on it.
TEST_P(StoreTest, TheDatabaseOfThePreviousReleaseIsBroughtUpToDate) {
  std::ifstream in(CHANCERY_SOURCE_DIR "/src/store/testdata/schema_v5.sql");
  const std::string v5(std::istreambuf_iterator<char>(in), {});
  ASSERT_FALSE(v5.empty());
  ASSERT_TRUE(Exec(sql::ForDialect(v5, db().dialect())).ok());
  ASSERT_TRUE(Exec("INSERT INTO meta(key, value) VALUES ('schema_version', '5');"
                   "INSERT INTO audit_state(id, size, frontier) VALUES (1, 0, '0');"
                   "INSERT INTO units(name, abbreviation, agency_code, issues_documents, active) "
                   "VALUES ('Cục Cũ', 'CC', '', 1, 1);")
                  .ok());
  Store store(db());
  ASSERT_TRUE(store.Migrate(app::AllMigrations()).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations WHERE name = '001_baseline'"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM meta WHERE key = 'schema_version' AND value = '5'"), 1);
  ASSERT_TRUE(store
                  .Read([&](Tx& tx) -> Status {
                    CHY_TRY(auto units, org::Store(tx).ListUnits());
                    EXPECT_EQ(units.size(), 1u);
                    if (!units.empty()) {
                      EXPECT_EQ(units[0].name, "Cục Cũ");
                    }
                    return Ok();
                  })
                  .ok());
  ASSERT_TRUE(store.Migrate(app::AllMigrations()).ok());  // and once more: nothing left to do
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), 6);
}

// A step that fails leaves the database as the step before left it: its
// table is not there and it is not recorded, so the next start tries again.
TEST_P(StoreTest, AFailingStepLeavesNoTrace) {
  ASSERT_TRUE(sql::ApplyMigrations(db(), app::AllMigrations()).ok());
  const std::vector<sql::ModuleMigrations> broken{
      {"trial",
       {{1, "001_ok", "CREATE TABLE trial_a (id {{ID}});", {}},
        {2,
         "002_broken",
         "CREATE TABLE trial_b (id {{ID}}); SELECT no_such_column FROM trial_a;",
         {}}}}};
  auto r = sql::ApplyMigrations(db(), broken);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations WHERE module = 'trial'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM trial_a"), 0);
  EXPECT_FALSE(Exec("SELECT COUNT(*) FROM trial_b;").ok());
}

// ---- each module's store, the same bodies on both engines ----

TEST_P(StoreTest, OrgUnitsBelowFollowTheTree) {
  Store& store = Migrated();
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    CHY_TRY(Id a,
                            org::Store(tx).InsertUnit(
                                {.name = "A", .abbreviation = "A", .parent_id = root_}, Date{}));
                    CHY_TRY(Id b, org::Store(tx).InsertUnit(
                                      {.name = "B", .abbreviation = "B", .parent_id = a}, Date{}));
                    CHY_TRY(auto below, org::Store(tx).UnitsBelow(root_));
                    EXPECT_EQ(below.size(), 3u);
                    CHY_TRY(bool within, org::Store(tx).IsWithin(b, root_));
                    EXPECT_TRUE(within);
                    CHY_TRY(bool above, org::Store(tx).IsWithin(root_, b));
                    EXPECT_FALSE(above);
                    return Ok();
                  })
                  .ok());
}

TEST_P(StoreTest, DocumentNumbersAreGapFreePerYearAndSeries) {
  Store& store = Migrated();
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    for (std::int64_t want = 1; want <= 3; ++want) {
                      CHY_TRY(auto n, documents::Store(tx).NextNumber(root_, 2026, "out"));
                      EXPECT_EQ(n, want);
                    }
                    CHY_TRY(auto other, documents::Store(tx).NextNumber(root_, 2026, "in"));
                    EXPECT_EQ(other, 1);
                    CHY_TRY(auto next_year, documents::Store(tx).NextNumber(root_, 2027, "out"));
                    EXPECT_EQ(next_year, 1);
                    return Ok();
                  })
                  .ok());
  // A number taken in a transaction that rolls back is not used up.
  EXPECT_FALSE(store
                   .Write([&](Tx& tx) -> Status {
                     CHY_TRY(auto n, documents::Store(tx).NextNumber(root_, 2026, "out"));
                     EXPECT_EQ(n, 4);
                     return MakeError(ErrorCode::kConflict, "roll back");
                   })
                   .ok());
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    CHY_TRY(auto n, documents::Store(tx).NextNumber(root_, 2026, "out"));
                    EXPECT_EQ(n, 4);
                    return Ok();
                  })
                  .ok());
}

TEST_P(StoreTest, AuditAppendsAdvanceTheHead) {
  Store& store = Migrated();
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    CHY_TRY(auto empty, audit::Store(tx).AuditHead());
                    EXPECT_EQ(empty.first, 0);
                    for (int i = 0; i < 3; ++i) {
                      audit::AuditEntry e;
                      e.action = "trial.step";
                      e.object_type = "trial";
                      e.record = "{\"i\":" + std::to_string(i) + "}";
                      CHY_TRY(auto appended, audit::Store(tx).AppendAudit(e));
                      EXPECT_EQ(appended.seq, i);  // leaf index, from 0
                    }
                    CHY_TRY(auto head, audit::Store(tx).AuditHead());
                    EXPECT_EQ(head.first, 3);
                    EXPECT_EQ(head.second.size(), 64u);
                    return Ok();
                  })
                  .ok());
}

TEST_P(StoreTest, SigningPinAttemptsLockAtTheThreshold) {
  Store& store = Migrated();
  const Timestamp now{std::chrono::seconds(1'800'000'000)};
  const Timestamp until = now + std::chrono::minutes(15);
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    User u{.username = "leader", .full_name = "L", .unit_id = root_};
                    CHY_TRY(Id id, org::Store(tx).InsertUser(u, "hash", now));
                    for (int want = 1; want <= 4; ++want) {
                      CHY_TRY(int n, signatures::Store(tx).ReservePinAttempt(id, now, 3, until));
                      EXPECT_EQ(n, want);
                    }
                    CHY_TRY(auto state, signatures::Store(tx).GetPinAttempts(id));
                    EXPECT_TRUE(state.second.has_value());
                    return Ok();
                  })
                  .ok());
}

TEST_P(StoreTest, ExchangeOutboxPagesBelowACursor) {
  Store& store = Migrated();
  ASSERT_TRUE(store
                  .Write([&](Tx& tx) -> Status {
                    for (int i = 0; i < 5; ++i) {
                      exchange::OutboxItem o;
                      o.peer_code = "000.00.01.B01";
                      o.kind = "status";
                      o.edxml_id = "e" + std::to_string(i);
                      o.code = "01";
                      CHY_TRY(Id id, exchange::Store(tx).InsertOutbox(o));
                      (void)id;
                    }
                    CHY_TRY(auto first, exchange::Store(tx).ListOutbox(std::nullopt, "", 2));
                    EXPECT_EQ(first.size(), 2u);
                    CHY_TRY(auto rest,
                            exchange::Store(tx).ListOutbox(std::nullopt, "", 10, first.back().id));
                    EXPECT_EQ(rest.size(), 3u);
                    for (const auto& o : rest) EXPECT_LT(o.id, first.back().id);
                    return Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace chancery::store
