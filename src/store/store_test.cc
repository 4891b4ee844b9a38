// The store's migrations on both engines: a fresh database, the previous
// release's database, a failing step. Each module's store operations are
// tested in its folder (src/modules/<name>/store_test.cc) on the same
// fixture (store/testing.h).
#include "store/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "app/schema.h"
#include "lib/sql/migrations.h"
#include "store/testing.h"

namespace chancery::store {
namespace {

using testing::StoreTest;

TEST_P(StoreTest, AFreshDatabaseGetsEveryModuleAndASecondRunDoesNothing) {
  auto first = sql::ApplyMigrations(db(), app::AllMigrations());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(
      *first,
      17);  // a baseline per module (and the store's), documents 002-005, org 002, search 002-006
  auto again = sql::ApplyMigrations(db(), app::AllMigrations());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), 17);
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
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), 17);
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

// The store's own tables: an idempotency key keeps the first reply per
// user (a second one under the same key is a conflict, another user's key
// is separate), and a meta fact is replaced, not added.
TEST_P(StoreTest, IdempotencyKeysKeepTheFirstReplyAndMetaFactsAreReplaced) {
  Migrated();
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(auto none, tx.GetIdempotent(7, "k1"));
    EXPECT_FALSE(none.has_value());
    CHY_TRY_STATUS(tx.PutIdempotent(7, "k1", {"hash-a", 201, "{\"id\":1}"}, testing::kT0));
    CHY_TRY_STATUS(tx.PutIdempotent(8, "k1", {"hash-b", 200, "{}"}, testing::kT0));
    CHY_TRY_STATUS(tx.PutMeta("node_name", "Bộ A"));
    return tx.PutMeta("node_name", "Bộ B");
  }));
  Status again = store().Write([&](Tx& tx) {
    return tx.PutIdempotent(7, "k1", {"hash-c", 200, "{}"}, testing::kT0);
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto first, tx.GetIdempotent(7, "k1"));
    EXPECT_TRUE(first.has_value());
    if (first) {
      EXPECT_EQ(first->request_hash, "hash-a");
      EXPECT_EQ(first->status, 201);
      EXPECT_EQ(first->body, "{\"id\":1}");
    }
    CHY_TRY(auto other, tx.GetIdempotent(8, "k1"));
    EXPECT_TRUE(other && other->request_hash == "hash-b");
    CHY_TRY(auto name, tx.GetMeta("node_name"));
    EXPECT_EQ(name.value_or(""), "Bộ B");
    CHY_TRY(auto missing, tx.GetMeta("no_such_fact"));
    EXPECT_FALSE(missing.has_value());
    return Ok();
  }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM meta WHERE key = 'node_name'"), 1);
}

CHY_STORE_TEST_BACKENDS(StoreTest);

}  // namespace
}  // namespace chancery::store
