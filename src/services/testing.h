// For the services' tests (services_test and each module's
// src/modules/<name>/service_test.cc): a node's services wired as in
// src/app/modules.h, on a faked world — a ManualClock standing at 09:00 in
// Hanoi on Monday 22 December 2025, fixed randomness, blobs in memory, logs
// kept in memory — and a real store on the engine the suite is parameterised
// on ("sqlite", "postgres"; instantiate with CHY_SERVICE_TEST_BACKENDS).
//
// Every test starts from what `chancery init` and a first administrator
// leave: the root unit BQP (issues documents) with its sub-unit VP, the
// administrator "root" (admin + security, top secret), and people made at the
// console: a clerk (root, secret), a leader (root, top secret) and a
// specialist (VP, normal). argon2 runs at its cheapest, so logins are fast.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/modules.h"
#include "app/schema.h"
#include "core/calendar.h"
#include "core/log.h"
#include "lib/blob/blob_store.h"
#include "lib/pki/pades.h"
#include "lib/sql/testing.h"
#include "modules/audit/store.h"
#include "store/testing.h"

namespace chancery::services::testing {

using store::testing::CodeOf;

// The same "random" bytes on every run.
class FixedRandom final : public Random {
 public:
  void Fill(unsigned char* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(rng_());
  }

 private:
  std::mt19937 rng_{42};
};

// "code: message (field: field code)" of a failed result, for test output.
template <typename T>
std::string Describe(const Result<T>& r) {
  if (r.ok()) return "ok";
  std::string out = std::string(ErrorCodeName(r.error().code)) + ": " + r.error().message;
  for (const auto& f : r.error().fields) out += " (" + f.field + ": " + f.code + ")";
  return out;
}

// The code of the first field a refusal names, or "".
template <typename T>
std::string FieldCodeOf(const Result<T>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields.front().code;
}

class ServicesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    CHY_OPEN_TEST_DATABASE(test_db_, GetParam(), 8);
    db_ = &test_db_->db();
    store_ = std::make_unique<store::Store>(*db_);
    ASSERT_TRUE(store_->Migrate(app::AllMigrations()).ok());
    config_.temp_dir = std::filesystem::temp_directory_path().string();
    settings_.org.argon2_memory_kib = 64;
    settings_.org.argon2_time_cost = 1;
    settings_.org.lockout_threshold = 3;
    Configure(config_, settings_);
    services_ = std::make_unique<app::Modules>(
        Core(*store_, blobs_, clock_, random_, calendar_, config_, logger_), settings_);
    Seed();
  }

  void TearDown() override {
    services_.reset();
    store_.reset();
    test_db_.reset();
  }

  // A suite's own configuration (a CA's key secret, an agency code, ...).
  virtual void Configure(Config& /*config*/, app::ModuleSettings& /*settings*/) {}

  Date Today() const { return VietnamDate(clock_.Now()); }
  app::Modules& node() { return *services_; }

  // A person made at the node's console (actor id 0): privileged roles and
  // clearances are granted at once, without a second person.
  User MakeUser(const std::string& name, std::uint32_t roles, Id unit, Classification c) {
    UserInput in;
    in.username = name;
    in.full_name = name;
    in.unit_id = unit;
    in.roles = roles;
    in.clearance = c;
    in.password = "password-" + name;
    auto u = services_->org.CreateUser(Console(), in);
    EXPECT_TRUE(u.ok()) << Describe(u);
    return u.ok() ? *u : User{};
  }
  User Console() const {
    User console = admin_;
    console.id = 0;
    return console;
  }

  // The node's CA with its node and TSA certificates (the suite's Configure
  // sets a key_secret), as `chancery pki init-ca` makes them.
  void CreateNodeCa() {
    auto ca = services_->signatures.CreateNodeCa(admin_, {});
    ASSERT_TRUE(ca.ok()) << Describe(ca);
  }

  // A draft of `type` to VP, submitted, approved and signed (paper: no file).
  Id SignedDraft(const std::string& type, Classification c = Classification::kNormal,
                 bool legal = false) {
    DocumentInput in;
    in.type_code = type;
    in.subject = "Văn bản thử";
    in.classification = c;
    in.legal_normative = legal;
    in.recipient_unit_ids = std::vector<Id>{vp_};
    const User& drafter = c == Classification::kNormal ? spec_ : leader_;
    auto d = services_->documents.CreateDraft(drafter, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    if (!d.ok()) return 0;
    const Id id = d->document.id;
    EXPECT_TRUE(services_->documents.Act(drafter, id, "submit", {}).ok());
    EXPECT_TRUE(services_->documents.Act(leader_, id, "approve", {}).ok());
    EXPECT_TRUE(services_->documents.Act(leader_, id, "sign", {}).ok());
    return id;
  }

  // Takes `actions` on document `id` in order, each by its person.
  void Walk(Id id, const std::vector<std::pair<User, std::string>>& actions) {
    for (const auto& [who, action] : actions) {
      auto r = services_->documents.Act(who, id, action, {});
      ASSERT_TRUE(r.ok()) << action << ": " << Describe(r);
    }
  }

  // The single integer `query` answers (a COUNT(*)), or -1.
  std::int64_t Count(const std::string& query) {
    std::int64_t n = -1;
    Status s = store_->Read([&](store::Tx& tx) -> Status {
      CHY_TRY(auto rows, tx.connection().Query(query));
      n = rows.rows.at(0).Int(0);
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << query << ": " << Describe(s);
    return n;
  }
  // Records in the audit log: a refused request adds none.
  std::int64_t AuditSize() { return Count("SELECT COUNT(*) FROM audit_log"); }

  std::unique_ptr<sql::TestDatabase> test_db_;
  sql::Database* db_ = nullptr;
  std::unique_ptr<store::Store> store_;
  blob::MemoryBlobStore blobs_;
  // 09:00 in Hanoi on Monday 22 December 2025.
  ManualClock clock_{std::chrono::sys_days{std::chrono::year{2025} / 12 / 22} +
                     std::chrono::hours(2)};
  FixedRandom random_;
  WorkCalendar calendar_;
  MemoryLogger logger_{clock_};
  Config config_;
  app::ModuleSettings settings_;
  std::unique_ptr<app::Modules> services_;
  Id root_ = 0, vp_ = 0;
  User admin_, clerk_, leader_, spec_;

 private:
  // A root unit and an administrator, as `chancery init` makes them; then VP
  // and the people every suite uses.
  void Seed() {
    ASSERT_TRUE(store_
                    ->Write([&](store::Tx& tx) -> Status {
                      Unit root;
                      root.name = "Bộ Quốc phòng";
                      root.abbreviation = "BQP";
                      root.issues_documents = true;
                      CHY_TRY(root_, org::Store(tx).InsertUnit(root, Today()));
                      User a;
                      a.username = "root";
                      a.full_name = "Root";
                      a.unit_id = root_;
                      a.roles = kRoleAdmin | kRoleSecurity;
                      a.clearance = Classification::kTopSecret;
                      CHY_TRY(a.id,
                              org::Store(tx).InsertUser(
                                  a, services_->org.HashPassword("root-pass-1"), clock_.Now()));
                      admin_ = a;
                      return Ok();
                    })
                    .ok());
    auto vp = services_->org.CreateUnit(
        admin_, {.name = "Văn phòng", .abbreviation = "VP", .parent_id = std::optional<Id>(root_)});
    ASSERT_TRUE(vp.ok()) << Describe(vp);
    vp_ = vp->id;
    clerk_ = MakeUser("clerk", kRoleClerk, root_, Classification::kSecret);
    leader_ = MakeUser("leader", kRoleLeader, root_, Classification::kTopSecret);
    spec_ = MakeUser("spec", kRoleSpecialist, vp_, Classification::kNormal);
  }
};

}  // namespace chancery::services::testing

// Runs `Suite` (a ServicesTest) on both engines.
#define CHY_SERVICE_TEST_BACKENDS(Suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgres"), \
                           [](const auto& info) { return info.param; })
