// The org module's use cases through OrgService, on a faked world and a
// real store (services/testing.h), on both engines: logins and sessions
// against the ManualClock, the login throttle, who may change users and
// units, four eyes, and the unit tree's history and reorganisations. Every
// refusal is checked to leave the store as it was.
#include "modules/org/service.h"

#include <gtest/gtest.h>

#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;
using testing::CodeOf;
using testing::Describe;
using testing::FieldCodeOf;

class OrgServiceTest : public testing::ServicesTest {
 protected:
  OrgService& org() { return node().org; }
  std::string LoginToken(const std::string& name, const std::string& kind = "bearer") {
    auto r = org().Login(name, "password-" + name, kind);
    EXPECT_TRUE(r.ok()) << Describe(r);
    return r.ok() ? r->token : "";
  }
  // What a refused request could have changed.
  std::vector<std::int64_t> Footprint() {
    return {Count("SELECT COUNT(*) FROM users"),
            Count("SELECT COUNT(*) FROM units"),
            Count("SELECT COUNT(*) FROM approvals"),
            Count("SELECT COUNT(*) FROM reorganizations"),
            Count("SELECT COALESCE(SUM(version), 0) FROM users"),
            Count("SELECT COALESCE(SUM(version), 0) FROM units"),
            AuditSize()};
  }
};

TEST_P(OrgServiceTest, ALoginTokenAuthenticatesUntilItExpiresOrLogsOut) {
  const Timestamp start = clock_.Now();
  auto cookie = org().Login("spec", "password-spec", "cookie");
  ASSERT_TRUE(cookie.ok()) << Describe(cookie);
  EXPECT_EQ(cookie->token.size(), 64u);
  EXPECT_FALSE(cookie->csrf_token.empty());
  EXPECT_EQ(cookie->expires_at, start + hours(12));
  auto bearer = org().Login("spec", "password-spec", "bearer");
  ASSERT_TRUE(bearer.ok());
  EXPECT_TRUE(bearer->csrf_token.empty());
  EXPECT_EQ(bearer->expires_at, start + hours(24 * 90));
  EXPECT_NE(bearer->token, cookie->token);
  auto who = org().Authenticate(cookie->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->first.id, spec_.id);
  EXPECT_EQ(who->second.kind, "cookie");
  clock_.Advance(hours(12) - microseconds(1));
  EXPECT_TRUE(org().Authenticate(cookie->token).ok());
  clock_.Advance(microseconds(1));  // the cookie session ends at its hour
  EXPECT_EQ(CodeOf(org().Authenticate(cookie->token)), "unauthenticated");
  EXPECT_TRUE(org().Authenticate(bearer->token).ok());
  ASSERT_TRUE(org().Logout(bearer->token).ok());
  EXPECT_EQ(CodeOf(org().Authenticate(bearer->token)), "unauthenticated");
  EXPECT_EQ(CodeOf(org().Authenticate("not-a-token")), "unauthenticated");
  EXPECT_EQ(FieldCodeOf(org().Login("spec", "password-spec", "basic")), "not_allowed_value");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.logout'"), 1);
}

// Wrong passwords slow down the name tried, whether it exists or not (the
// answer tells nothing of which names exist): after the free tries each
// failure doubles the wait; a success clears the count.
TEST_P(OrgServiceTest, FailedLoginsSlowEveryNameDownAlikeAndASuccessClearsThem) {
  for (const char* name : {"ghost", "spec"}) {
    for (int i = 0; i < 3; ++i) {
      auto r = org().Login(name, "wrong-password", "bearer");
      EXPECT_EQ(CodeOf(r), "unauthenticated") << name << " " << i;
      if (!r.ok()) {
        EXPECT_EQ(r.error().message, "Wrong user name or password.");
      }
    }
    auto locked = org().Login(name, "password-spec", "bearer");
    ASSERT_EQ(CodeOf(locked), "account_locked") << name;
    EXPECT_EQ(locked.error().retry_after_seconds, 30);
  }
  // One alert per name as its throttle starts.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'security.login_burst'"), 2);
  clock_.Advance(seconds(30));
  EXPECT_EQ(CodeOf(org().Login("ghost", "wrong-password", "bearer")), "unauthenticated");
  auto doubled = org().Login("ghost", "x", "bearer");
  ASSERT_EQ(CodeOf(doubled), "account_locked");
  EXPECT_EQ(doubled.error().retry_after_seconds, 60);
  // The right password, once allowed, logs in and clears the name's count.
  ASSERT_TRUE(org().Login("spec", "password-spec", "bearer").ok());
  EXPECT_EQ(CodeOf(org().Login("spec", "wrong-password", "bearer")), "unauthenticated");
  EXPECT_EQ(CodeOf(org().Login("spec", "wrong-password", "bearer")), "unauthenticated");
  EXPECT_TRUE(org().Login("spec", "password-spec", "bearer").ok());
}

TEST_P(OrgServiceTest, AClosedAccountLosesItsSessionsAndCannotLogIn) {
  const std::string token = LoginToken("spec");
  auto closed = org().UpdateUser(admin_, spec_.id, {.active = false}, std::nullopt);
  ASSERT_TRUE(closed.ok()) << Describe(closed);
  EXPECT_EQ(CodeOf(org().Authenticate(token)), "unauthenticated");
  EXPECT_EQ(CodeOf(org().Login("spec", "password-spec", "bearer")), "unauthenticated");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE user_id = " + std::to_string(spec_.id)), 0);
}

TEST_P(OrgServiceTest, OnlyAnAdministratorMakesUsersAndUnitsAndARefusalStoresNothing) {
  const auto before = Footprint();
  UserInput good{
      .username = "moi", .full_name = "Người Mới", .unit_id = vp_, .password = "mat-khau-moi"};
  EXPECT_EQ(CodeOf(org().CreateUser(clerk_, good)), "forbidden");
  UserInput bad_name = good;
  bad_name.username = "người mới";
  EXPECT_EQ(FieldCodeOf(org().CreateUser(admin_, bad_name)), "bad_characters");
  UserInput short_password = good;
  short_password.password = "1234567";
  EXPECT_EQ(FieldCodeOf(org().CreateUser(admin_, short_password)), "too_short");
  UserInput taken = good;
  taken.username = "spec";
  EXPECT_EQ(FieldCodeOf(org().CreateUser(admin_, taken)), "taken");
  UserInput nowhere = good;
  nowhere.unit_id = vp_ + 1000;
  EXPECT_EQ(FieldCodeOf(org().CreateUser(admin_, nowhere)), "unknown");
  EXPECT_EQ(CodeOf(org().CreateUnit(clerk_, {.name = "P", .abbreviation = "P"})), "forbidden");
  EXPECT_EQ(FieldCodeOf(org().CreateUnit(admin_, {.name = "P", .abbreviation = ""})), "required");
  EXPECT_EQ(FieldCodeOf(org().CreateUnit(
                admin_, {.name = "P", .abbreviation = "P", .parent_id = std::optional<Id>(9999)})),
            "unknown");
  EXPECT_EQ(Footprint(), before);
  auto made = org().CreateUser(admin_, good);
  ASSERT_TRUE(made.ok()) << Describe(made);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), before[0] + 1);
}

// A person granting a privileged role or a clearance makes the plain
// account; the rest waits for a second person of the right role, and the
// proposer is never that person.
TEST_P(OrgServiceTest, GrantingAClearanceWaitsForASecondPerson) {
  const User officer = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  std::optional<org::Approval> pending;
  UserInput in{.username = "thu.ky",
               .full_name = "Thư ký",
               .unit_id = root_,
               .roles = kRoleClerk | kRoleSecurity,
               .clearance = Classification::kSecret,
               .password = "mat-khau-thu-ky"};
  auto made = org().CreateUser(admin_, in, &pending);
  ASSERT_TRUE(made.ok()) << Describe(made);
  EXPECT_EQ(made->roles, static_cast<std::uint32_t>(kRoleClerk));
  EXPECT_EQ(made->clearance, Classification::kNormal);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->kind, "user.change");
  EXPECT_EQ(pending->object_id, made->id);
  EXPECT_EQ(CodeOf(org().DecideApproval(admin_, pending->id, true, "")), "forbidden");
  EXPECT_EQ(CodeOf(org().DecideApproval(spec_, pending->id, true, "")), "forbidden");  // role
  auto listed = org().ListApprovals(officer, "pending");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  auto approved = org().DecideApproval(officer, pending->id, true, "");
  ASSERT_TRUE(approved.ok()) << Describe(approved);
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(approved->decided_by, std::optional<Id>(officer.id));
  auto now = org().GetUser(admin_, made->id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->clearance, Classification::kSecret);
  EXPECT_EQ(now->roles, static_cast<std::uint32_t>(kRoleClerk | kRoleSecurity));
  EXPECT_EQ(CodeOf(org().DecideApproval(officer, pending->id, false, "late")), "conflict");
  auto after = org().ListApprovals(officer, "pending");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_P(OrgServiceTest, NobodyChangesTheirOwnPowersNorApprovesTheirOwnChange) {
  auto self = org().UpdateUser(admin_, admin_.id, {.roles = kRoleAdmin}, std::nullopt);
  ASSERT_EQ(CodeOf(self), "forbidden");
  EXPECT_EQ(FieldCodeOf(self), "self_change");
  const User officer = MakeUser("officer", kRoleSecurity, root_, Classification::kSecret);
  const auto before = Footprint();
  auto raise =
      org().UpdateUser(admin_, officer.id, {.clearance = Classification::kTopSecret}, std::nullopt);
  ASSERT_TRUE(raise.ok()) << Describe(raise);
  ASSERT_TRUE(raise->pending.has_value());
  EXPECT_EQ(raise->user.clearance, Classification::kSecret);  // unchanged until decided
  EXPECT_EQ(CodeOf(org().DecideApproval(officer, raise->pending->id, true, "")), "forbidden");
  auto still = org().GetUser(officer, officer.id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->clearance, Classification::kSecret);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM approvals WHERE state = 'pending'"), before[2] + 1);
  // Rejecting says why.
  EXPECT_EQ(FieldCodeOf(org().DecideApproval(admin_, raise->pending->id, false, "")), "required");
}

TEST_P(OrgServiceTest, AStaleVersionIsRefusedAndChangesNothing) {
  const auto before = Footprint();
  auto stale = org().UpdateUser(admin_, spec_.id, {.position = "Trưởng phòng"}, spec_.version + 1);
  EXPECT_EQ(CodeOf(stale), "precondition_failed");
  auto unit_stale = org().UpdateUnit(admin_, vp_, {.name = "Văn phòng Bộ"}, 99);
  EXPECT_EQ(CodeOf(unit_stale), "precondition_failed");
  EXPECT_EQ(Footprint(), before);
  auto fresh = org().UpdateUser(admin_, spec_.id, {.position = "Trưởng phòng"}, spec_.version);
  ASSERT_TRUE(fresh.ok()) << Describe(fresh);
  EXPECT_EQ(fresh->user.version, spec_.version + 1);
}

// New powers, a new unit or a new password end the person's sessions; a
// new position does not.
TEST_P(OrgServiceTest, ChangingAPersonsPowersEndsTheirSessions) {
  const std::string token = LoginToken("spec");
  ASSERT_TRUE(
      org().UpdateUser(admin_, spec_.id, {.position = "Chuyên viên chính"}, std::nullopt).ok());
  EXPECT_TRUE(org().Authenticate(token).ok());
  auto more =
      org().UpdateUser(admin_, spec_.id, {.roles = kRoleSpecialist | kRoleClerk}, std::nullopt);
  ASSERT_TRUE(more.ok()) << Describe(more);
  EXPECT_FALSE(more->pending.has_value());  // not a privileged role: no second person
  EXPECT_EQ(CodeOf(org().Authenticate(token)), "unauthenticated");
}

TEST_P(OrgServiceTest, ChangingOnesOwnPasswordNeedsTheCurrentOne) {
  const std::string token = LoginToken("spec");
  UserInput change{.password = "mat-khau-moi-1"};
  EXPECT_EQ(FieldCodeOf(org().UpdateUser(spec_, spec_.id, change, std::nullopt)), "required");
  change.current_password = "not-my-password";
  EXPECT_EQ(FieldCodeOf(org().UpdateUser(spec_, spec_.id, change, std::nullopt)), "wrong");
  EXPECT_TRUE(org().Authenticate(token).ok());  // nothing changed
  change.current_password = "password-spec";
  ASSERT_TRUE(org().UpdateUser(spec_, spec_.id, change, std::nullopt).ok());
  EXPECT_EQ(CodeOf(org().Authenticate(token)), "unauthenticated");
  EXPECT_EQ(CodeOf(org().Login("spec", "password-spec", "bearer")), "unauthenticated");
  EXPECT_TRUE(org().Login("spec", "mat-khau-moi-1", "bearer").ok());
  // Someone else's password is reset by an administrator only.
  EXPECT_EQ(CodeOf(org().UpdateUser(clerk_, spec_.id, {.password = "mat-khau-khac"}, std::nullopt)),
            "forbidden");
}

// Units never move under themselves; their history is append-only and
// answers "what was this unit on that day".
TEST_P(OrgServiceTest, UnitsKeepASoundTreeAndAnAppendOnlyHistory) {
  auto a = org().CreateUnit(admin_, {.name = "Phòng Cũ",
                                     .abbreviation = "PC",
                                     .parent_id = std::optional<Id>(root_),
                                     .effective_date = Today() - days(30)});
  ASSERT_TRUE(a.ok()) << Describe(a);
  auto b = org().CreateUnit(
      admin_, {.name = "Tổ", .abbreviation = "T", .parent_id = std::optional<Id>(a->id)});
  ASSERT_TRUE(b.ok());
  auto before = Footprint();
  EXPECT_EQ(FieldCodeOf(org().UpdateUnit(admin_, a->id, {.parent_id = std::optional<Id>(b->id)},
                                         std::nullopt)),
            "cycle");
  EXPECT_EQ(FieldCodeOf(org().UpdateUnit(admin_, a->id, {.parent_id = std::optional<Id>(a->id)},
                                         std::nullopt)),
            "cycle");
  EXPECT_EQ(Footprint(), before);
  auto renamed = org().UpdateUnit(
      admin_, a->id, {.name = "Phòng Mới", .effective_date = Today() - days(10)}, std::nullopt);
  ASSERT_TRUE(renamed.ok()) << Describe(renamed);
  before = Footprint();
  auto rewrite = org().UpdateUnit(
      admin_, a->id, {.name = "Phòng Khác", .effective_date = Today() - days(20)}, std::nullopt);
  EXPECT_EQ(FieldCodeOf(rewrite), "before_current_period");
  EXPECT_EQ(Footprint(), before);
  auto then = org().UnitAsOf(spec_, a->id, Today() - days(20));
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->name, "Phòng Cũ");
  auto now = org().UnitAsOf(spec_, a->id, Today());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->name, "Phòng Mới");
  EXPECT_EQ(CodeOf(org().UnitAsOf(spec_, a->id, Today() - days(31))), "not_found");
  auto history = org().UnitHistory(spec_, a->id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);
}

// A reorganisation takes effect today or earlier and never makes a cycle;
// a refused one stores nothing. Merged units hand their open work over.
TEST_P(OrgServiceTest, ReorganisationsAreCheckedBeforeTheyMoveAnyWork) {
  std::vector<Id> units;
  for (const char* abbr : {"A", "B"}) {
    auto u = org().CreateUnit(
        admin_, {.name = abbr, .abbreviation = abbr, .parent_id = std::optional<Id>(root_)});
    ASSERT_TRUE(u.ok());
    units.push_back(u->id);
    DocumentInput in{.subject = "Việc của " + std::string(abbr), .unit_id = u->id};
    in.issuer_name = "Bộ Nội vụ";
    in.original_number_symbol = std::string("1/") + abbr;
    ASSERT_TRUE(node().documents.ReceiveIncoming(clerk_, in).ok());
  }
  const Unit merged{.name = "AB", .abbreviation = "AB", .parent_id = root_};
  const auto before = Footprint();
  ReorganizationInput future{"merge", Today() + days(1), units, {}, {merged}};
  EXPECT_EQ(FieldCodeOf(org().Reorganize(admin_, future)), "future");
  ReorganizationInput one{"merge", Today(), {units[0]}, {}, {merged}};
  EXPECT_EQ(FieldCodeOf(org().Reorganize(admin_, one)), "shape");
  ReorganizationInput inside{"dissolve", Today(), {root_}, {units[0]}, {}};
  EXPECT_EQ(FieldCodeOf(org().Reorganize(admin_, inside)), "cycle");
  ReorganizationInput by_clerk{"merge", Today(), units, {}, {merged}};
  EXPECT_EQ(CodeOf(org().Reorganize(clerk_, by_clerk)), "forbidden");
  EXPECT_EQ(Footprint(), before);
  auto done = org().Reorganize(admin_, by_clerk);
  ASSERT_TRUE(done.ok()) << Describe(done);
  EXPECT_EQ(done->transferred, 2);
  ASSERT_EQ(done->created_unit_ids.size(), 1u);
  for (Id u : units) {
    auto gone = org().GetUnit(admin_, u);
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE(gone->active);
    EXPECT_EQ(gone->successor_id, std::optional<Id>(done->created_unit_ids[0]));
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents WHERE unit_id = " +
                  std::to_string(done->created_unit_ids[0])),
            2);
  auto check = org().CheckUnitTree();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->empty());
}

TEST_P(OrgServiceTest, TheUserListNeedsARoleWhileTheDirectoryIsForEveryone) {
  EXPECT_EQ(CodeOf(org().ListUsers(spec_, std::nullopt, 10)), "forbidden");
  EXPECT_TRUE(org().GetUser(spec_, spec_.id).ok());
  EXPECT_EQ(CodeOf(org().GetUser(spec_, admin_.id)), "forbidden");
  auto first = org().ListUsers(clerk_, std::nullopt, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  auto rest = org().ListUsers(clerk_, first->back().id, 10);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(first->size() + rest->size(), 4u);  // root, clerk, leader, spec
  MakeUser("nguyen", kRoleSpecialist, vp_, Classification::kNormal);
  ASSERT_TRUE(
      org().UpdateUser(admin_, spec_.id, {.full_name = "Nguyễn Thị Hoa"}, std::nullopt).ok());
  auto found = org().FindPeople(spec_, {.text = "NGUYEN THI"});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().id, spec_.id);
  org::PeopleQuery too_many;
  too_many.ids.assign(201, 1);
  EXPECT_EQ(FieldCodeOf(org().FindPeople(spec_, too_many)), "too_many");
}

TEST_P(OrgServiceTest, TheLanguageIsAPreferenceNotAnAccountChange) {
  auto set = org().SetLanguage(spec_, "en");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->language, "en");
  auto after = org().GetUser(spec_, spec_.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->language, "en");
  EXPECT_EQ(after->version, spec_.version);  // an ETag held elsewhere stays valid
  EXPECT_EQ(FieldCodeOf(org().SetLanguage(spec_, "de")), "not_allowed_value");
}

CHY_SERVICE_TEST_BACKENDS(OrgServiceTest);

}  // namespace
}  // namespace chancery::services
