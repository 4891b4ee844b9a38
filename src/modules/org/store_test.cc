// The org module's store on both engines (store/testing.h): units and
// their history, users, sessions, the login throttle, uploads, four-eyes
// requests and the transfer of a retired unit's open work.
#include "modules/org/store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "modules/documents/store.h"
#include "store/testing.h"

namespace chancery::org {
namespace {

using namespace std::chrono_literals;
using store::Tx;
using store::testing::CodeOf;
using store::testing::Day;
using store::testing::kT0;

class OrgStoreTest : public store::testing::MigratedStoreTest {
 protected:
  Id AddUser(Tx& tx, const std::string& name, Id unit, const std::string& full_name = "") {
    User u{.username = name, .full_name = full_name.empty() ? name : full_name, .unit_id = unit};
    auto id = Store(tx).InsertUser(u, "hash-" + name, kT0);
    EXPECT_TRUE(id.ok()) << name;
    return id.ok() ? *id : 0;
  }
};

TEST_P(OrgStoreTest, UnitsBelowFollowTheTree) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id a,
            Store(tx).InsertUnit({.name = "A", .abbreviation = "A", .parent_id = root_}, Date{}));
    CHY_TRY(Id b, Store(tx).InsertUnit({.name = "B", .abbreviation = "B", .parent_id = a}, Date{}));
    CHY_TRY(auto below, Store(tx).UnitsBelow(root_));
    EXPECT_EQ(below, (std::vector<Id>{root_, a, b}));
    CHY_TRY(auto below_a, Store(tx).UnitsBelow(a));
    EXPECT_EQ(below_a, (std::vector<Id>{a, b}));
    CHY_TRY(bool within, Store(tx).IsWithin(b, root_));
    EXPECT_TRUE(within);
    CHY_TRY(bool itself, Store(tx).IsWithin(a, a));
    EXPECT_TRUE(itself);
    CHY_TRY(bool above, Store(tx).IsWithin(root_, b));
    EXPECT_FALSE(above);
    return Ok();
  }));
}

// A unit's history is a list of validity periods: "what was X on date D"
// answers from the period that covers D; a stale version or a change dated
// before the open period is refused, and the refusal leaves no new period.
TEST_P(OrgStoreTest, UnitChangesAreOptimisticAndKeepTheirHistory) {
  Id a = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(a, Store(tx).InsertUnit({.name = "Phòng Một", .abbreviation = "P1", .parent_id = root_},
                                    Day(2026, 1, 1)));
    CHY_TRY(Unit u, Store(tx).GetUnit(a));
    EXPECT_EQ(u.version, 1);
    u.name = "Phòng Hai";
    CHY_TRY_STATUS(Store(tx).UpdateUnit(u, Day(2026, 6, 1), std::nullopt));
    CHY_TRY(Unit after, Store(tx).GetUnit(a));
    EXPECT_EQ(after.version, 2);
    EXPECT_EQ(after.name, "Phòng Hai");
    u.name = "Phòng Ba";  // still version 1: someone else changed it
    EXPECT_EQ(CodeOf(Store(tx).UpdateUnit(u, Day(2026, 7, 1), std::nullopt)),
              "precondition_failed");
    Unit missing = u;
    missing.id = 999999;
    EXPECT_EQ(CodeOf(Store(tx).UpdateUnit(missing, Day(2026, 7, 1), std::nullopt)), "not_found");
    return Ok();
  }));
  // Back-dated before the open period (2026-06-01): refused, rolled back.
  Status backdated = store().Write([&](Tx& tx) -> Status {
    CHY_TRY(Unit u, Store(tx).GetUnit(a));
    u.name = "Phòng Cũ";
    return Store(tx).UpdateUnit(u, Day(2026, 5, 1), std::nullopt);
  });
  ASSERT_FALSE(backdated.ok());
  ASSERT_FALSE(backdated.error().fields.empty());
  EXPECT_EQ(backdated.error().fields[0].code, "before_current_period");
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto history, Store(tx).UnitHistory(a));
    EXPECT_EQ(history.size(), 2u);
    if (history.size() == 2) {
      EXPECT_EQ(history[0].name, "Phòng Một");
      EXPECT_EQ(history[0].valid_to, std::optional<Date>(Day(2026, 6, 1)));
      EXPECT_FALSE(history[1].valid_to.has_value());
    }
    CHY_TRY(auto march, Store(tx).UnitAsOf(a, Day(2026, 3, 1)));
    EXPECT_EQ(march.name, "Phòng Một");
    CHY_TRY(auto eve, Store(tx).UnitAsOf(a, Day(2026, 5, 31)));
    EXPECT_EQ(eve.name, "Phòng Một");
    CHY_TRY(auto day_of, Store(tx).UnitAsOf(a, Day(2026, 6, 1)));
    EXPECT_EQ(day_of.name, "Phòng Hai");
    EXPECT_EQ(day_of.parent_id, std::optional<Id>(root_));
    EXPECT_EQ(CodeOf(Store(tx).UnitAsOf(a, Day(2025, 12, 31))), "not_found");
    CHY_TRY(Unit now, Store(tx).GetUnit(a));
    EXPECT_EQ(now.name, "Phòng Hai");
    EXPECT_EQ(now.version, 2);
    return Ok();
  }));
}

TEST_P(OrgStoreTest, UsersAreFoundByNameAndANameIsTakenOnce) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    User u{.username = "an.nv",
           .full_name = "Nguyễn Văn An",
           .unit_id = root_,
           .position = "Chánh Văn phòng",
           .roles = kRoleClerk | kRoleLeader,
           .clearance = Classification::kSecret};
    CHY_TRY(Id id, Store(tx).InsertUser(u, "argon-hash", kT0));
    CHY_TRY(StoredUser by_name, Store(tx).GetUserByName("an.nv"));
    EXPECT_EQ(by_name.user.id, id);
    EXPECT_EQ(by_name.user.full_name, "Nguyễn Văn An");
    EXPECT_EQ(by_name.user.position, "Chánh Văn phòng");
    EXPECT_EQ(by_name.user.roles, kRoleClerk | kRoleLeader);
    EXPECT_EQ(by_name.user.clearance, Classification::kSecret);
    EXPECT_EQ(by_name.user.language, "vi");
    EXPECT_EQ(by_name.password_hash, "argon-hash");
    EXPECT_EQ(by_name.failed_logins, 0);
    EXPECT_EQ(CodeOf(Store(tx).GetUserByName("An.NV")), "not_found");  // exact names
    EXPECT_EQ(CodeOf(Store(tx).GetUser(id + 100)), "not_found");
    return Ok();
  }));
  Status twice = store().Write([&](Tx& tx) -> Status {
    CHY_TRY_STATUS(Store(tx).InsertUser(
        {.username = "an.nv", .full_name = "Khác", .unit_id = root_}, "h", kT0));
    return Ok();
  });
  EXPECT_EQ(CodeOf(twice), "conflict");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
}

// UpdateUser is optimistic: it writes only over the version it read.
TEST_P(OrgStoreTest, AStaleUserUpdateIsRefusedAndChangesNothing) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id id = AddUser(tx, "binh", root_, "Trần Bình");
    CHY_TRY(StoredUser first, Store(tx).GetUser(id));
    User fresh = first.user;
    fresh.position = "Phó phòng";
    CHY_TRY_STATUS(Store(tx).UpdateUser(fresh));
    User stale = first.user;  // version 1 again
    stale.position = "Trưởng phòng";
    stale.clearance = Classification::kTopSecret;
    EXPECT_EQ(CodeOf(Store(tx).UpdateUser(stale)), "precondition_failed");
    CHY_TRY(StoredUser now, Store(tx).GetUser(id));
    EXPECT_EQ(now.user.version, 2);
    EXPECT_EQ(now.user.position, "Phó phòng");
    EXPECT_EQ(now.user.clearance, Classification::kNormal);
    // A password moves the version; the UI language does not.
    CHY_TRY_STATUS(Store(tx).SetPassword(id, "new-hash"));
    CHY_TRY_STATUS(Store(tx).SetLanguage(id, "fr"));
    CHY_TRY(StoredUser last, Store(tx).GetUser(id));
    EXPECT_EQ(last.user.version, 3);
    EXPECT_EQ(last.user.language, "fr");
    EXPECT_EQ(last.password_hash, "new-hash");
    User ghost = last.user;
    ghost.id = id + 50;
    EXPECT_EQ(CodeOf(Store(tx).UpdateUser(ghost)), "not_found");
    return Ok();
  }));
}

TEST_P(OrgStoreTest, PeopleAreFoundByFoldedNameUnitAndIdsAndOnlyWhileActive) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id other, Store(tx).InsertUnit({.name = "Khác", .abbreviation = "K"}, Date{}));
    const Id an = AddUser(tx, "an", root_, "Nguyễn Văn An");
    const Id binh = AddUser(tx, "binh", other, "Nguyễn Thị Bình");
    const Id cuong = AddUser(tx, "cuong", root_, "Lê Cường");
    CHY_TRY(StoredUser gone, Store(tx).GetUser(cuong));
    gone.user.active = false;
    CHY_TRY_STATUS(Store(tx).UpdateUser(gone.user));
    auto ids = [](const std::vector<User>& users) {
      std::vector<Id> out;
      for (const auto& u : users) out.push_back(u.id);
      return out;
    };
    CHY_TRY(auto nguyen, Store(tx).FindPeople({.text = "nguyen"}));
    EXPECT_EQ(ids(nguyen), (std::vector<Id>{binh, an}));  // by full name: "Nguyễn T" < "Nguyễn V"
    CHY_TRY(auto folded, Store(tx).FindPeople({.text = "THỊ BÌNH"}));
    EXPECT_EQ(ids(folded), (std::vector<Id>{binh}));
    CHY_TRY(auto in_root, Store(tx).FindPeople({.unit_id = root_}));
    EXPECT_EQ(ids(in_root), (std::vector<Id>{an}));  // Cường is no longer active
    CHY_TRY(auto by_id, Store(tx).FindPeople({.ids = {binh, cuong}}));
    EXPECT_EQ(ids(by_id), (std::vector<Id>{binh}));
    CHY_TRY(auto wildcard, Store(tx).FindPeople({.text = "%"}));
    EXPECT_TRUE(wildcard.empty());  // a LIKE wildcard is a literal character
    CHY_TRY(auto one, Store(tx).FindPeople({.text = "nguyen", .limit = 1}));
    EXPECT_EQ(one.size(), 1u);
    return Ok();
  }));
}

TEST_P(OrgStoreTest, UserListsPageByIdWithoutGapsOrRepeats) {
  std::vector<Id> made;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 7; ++i) made.push_back(AddUser(tx, "u" + std::to_string(i), root_));
    return Ok();
  }));
  std::vector<Id> seen;
  std::optional<Id> after;
  for (int page = 0; page < 10; ++page) {
    std::vector<User> users;
    ASSERT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(users, Store(tx).ListUsers(after, 3));
      return Ok();
    }));
    if (users.empty()) break;
    EXPECT_LE(users.size(), 3u);
    for (const auto& u : users) seen.push_back(u.id);
    after = users.back().id;
  }
  EXPECT_EQ(seen, made);
}

// DeleteSessionsOf ends every session of the person but the one named, and
// nobody else's.
TEST_P(OrgStoreTest, SessionsAreKeptByTokenHashAndEndTogether) {
  const Timestamp until = kT0 + 12h;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id a = AddUser(tx, "a", root_);
    const Id b = AddUser(tx, "b", root_);
    CHY_TRY_STATUS(Store(tx).InsertSession({"ha1", a, "cookie", "csrf-1", until}, kT0));
    CHY_TRY_STATUS(Store(tx).InsertSession({"ha2", a, "bearer", "", until}, kT0));
    CHY_TRY_STATUS(Store(tx).InsertSession({"ha3", a, "bearer", "", until}, kT0));
    CHY_TRY_STATUS(Store(tx).InsertSession({"hb1", b, "cookie", "csrf-b", until}, kT0));
    CHY_TRY(Session s, Store(tx).GetSession("ha1"));
    EXPECT_EQ(s.user_id, a);
    EXPECT_EQ(s.kind, "cookie");
    EXPECT_EQ(s.csrf_token, "csrf-1");
    EXPECT_EQ(s.expires_at, until);
    CHY_TRY_STATUS(Store(tx).DeleteSessionsOf(a, "ha2"));
    EXPECT_EQ(CodeOf(Store(tx).GetSession("ha1")), "not_found");
    EXPECT_EQ(CodeOf(Store(tx).GetSession("ha3")), "not_found");
    EXPECT_TRUE(Store(tx).GetSession("ha2").ok());
    EXPECT_TRUE(Store(tx).GetSession("hb1").ok());
    CHY_TRY_STATUS(Store(tx).DeleteSessionsOf(a, ""));
    EXPECT_EQ(CodeOf(Store(tx).GetSession("ha2")), "not_found");
    CHY_TRY_STATUS(Store(tx).DeleteSession("hb1"));
    EXPECT_EQ(CodeOf(Store(tx).GetSession("hb1")), "not_found");
    return Ok();
  }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
}

// Two deciders racing: the first wins, the second is told it was decided.
TEST_P(OrgStoreTest, AnApprovalIsDecidedOnlyOnce) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    Approval a;
    a.kind = "user.change";
    a.object_id = 42;
    a.payload = R"({"clearance":"mat"})";
    a.proposed_by = 7;
    a.proposed_at = kT0;
    CHY_TRY(Id first, Store(tx).InsertApproval(a));
    CHY_TRY(Id second, Store(tx).InsertApproval(a));
    CHY_TRY(bool won, Store(tx).DecideApproval(first, "approved", 8, kT0 + 1h, "ok"));
    EXPECT_TRUE(won);
    CHY_TRY(bool again, Store(tx).DecideApproval(first, "rejected", 9, kT0 + 2h, "no"));
    EXPECT_FALSE(again);
    CHY_TRY(Approval decided, Store(tx).GetApproval(first));
    EXPECT_EQ(decided.state, "approved");
    EXPECT_EQ(decided.decided_by, std::optional<Id>(8));
    EXPECT_EQ(decided.decided_at, std::optional<Timestamp>(kT0 + 1h));
    EXPECT_EQ(decided.reason, "ok");
    EXPECT_EQ(decided.payload, a.payload);
    EXPECT_EQ(decided.proposed_at, kT0);
    CHY_TRY(auto pending, Store(tx).ListApprovals("pending", 10));
    EXPECT_EQ(pending.size(), 1u);
    if (!pending.empty()) {
      EXPECT_EQ(pending[0].id, second);
    }
    CHY_TRY(auto approved, Store(tx).ListApprovals("approved", 10));
    EXPECT_EQ(approved.size(), 1u);
    EXPECT_EQ(CodeOf(Store(tx).GetApproval(second + 10)), "not_found");
    return Ok();
  }));
}

// Failures count per key; from the last free try on, each one doubles the
// wait up to the cap; a success clears the key; an hour after the last wait
// a count starts over.
TEST_P(OrgStoreTest, TheLoginThrottleCountsDoublesAndClears) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const std::vector<std::pair<int, std::chrono::seconds>> want{
        {1, 0s}, {2, 0s}, {3, 30s}, {4, 60s}, {5, 120s}, {6, 240s}, {7, 300s}, {8, 300s}};
    for (const auto& [failures, delay] : want) {
      CHY_TRY(auto counted, Store(tx).CountLoginFailure("user:an", kT0, 3, 30s, 300s));
      EXPECT_EQ(counted.first, failures);
      EXPECT_EQ(counted.second, kT0 + delay) << failures;
    }
    CHY_TRY(Timestamp allowed, Store(tx).LoginAllowedAt("user:an"));
    EXPECT_EQ(allowed, kT0 + 300s);
    CHY_TRY(auto other, Store(tx).CountLoginFailure("ip:10.0.0.1", kT0, 3, 30s, 300s));
    EXPECT_EQ(other.first, 1);  // keys count apart
    CHY_TRY(Timestamp unknown, Store(tx).LoginAllowedAt("user:nobody"));
    EXPECT_EQ(unknown, Timestamp{});
    CHY_TRY_STATUS(Store(tx).ClearLoginFailures("user:an"));
    CHY_TRY(Timestamp cleared, Store(tx).LoginAllowedAt("user:an"));
    EXPECT_EQ(cleared, Timestamp{});
    CHY_TRY(Timestamp still, Store(tx).LoginAllowedAt("ip:10.0.0.1"));
    EXPECT_EQ(still, kT0);
    // Long after: the address's old count is dropped and starts over.
    CHY_TRY(auto later, Store(tx).CountLoginFailure("ip:10.0.0.1", kT0 + 2h, 3, 30s, 300s));
    EXPECT_EQ(later.first, 1);
    return Ok();
  }));
}

// An upload is its uploader's until it expires or a document takes it.
TEST_P(OrgStoreTest, UploadsExpireAndAreConsumedOnce) {
  const std::string sha(64, 'a');
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id a = AddUser(tx, "a", root_);
    const Id b = AddUser(tx, "b", root_);
    CHY_TRY_STATUS(Store(tx).PutUpload(a, sha, kT0, kT0 + 24h));
    CHY_TRY(bool fresh, Store(tx).HasUpload(a, sha, kT0 + 23h));
    EXPECT_TRUE(fresh);
    CHY_TRY(bool someone_else, Store(tx).HasUpload(b, sha, kT0));
    EXPECT_FALSE(someone_else);
    CHY_TRY(bool expired, Store(tx).HasUpload(a, sha, kT0 + 24h));
    EXPECT_FALSE(expired);
    // Uploading the same bytes again starts the day over.
    CHY_TRY_STATUS(Store(tx).PutUpload(a, sha, kT0 + 20h, kT0 + 44h));
    CHY_TRY(bool renewed, Store(tx).HasUpload(a, sha, kT0 + 30h));
    EXPECT_TRUE(renewed);
    CHY_TRY_STATUS(Store(tx).ConsumeUpload(a, sha));
    CHY_TRY(bool consumed, Store(tx).HasUpload(a, sha, kT0 + 21h));
    EXPECT_FALSE(consumed);
    return Ok();
  }));
}

// A reorganisation names units by id: unit 1 is not unit 11.
TEST_P(OrgStoreTest, ReorganisationsAreFoundByTheUnitsTheyName) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    Reorganization merge{0, "merge", Day(2026, 3, 1), "sáp nhập", {11, 12}, {13}};
    Reorganization split{0, "split", Day(2026, 4, 1), "", {1}, {14, 15}};
    CHY_TRY(Id m, Store(tx).InsertReorganization(merge, 5, kT0));
    CHY_TRY(Id s, Store(tx).InsertReorganization(split, std::nullopt, kT0));
    CHY_TRY(auto of_one, Store(tx).ReorganizationsOf(1));
    EXPECT_EQ(of_one.size(), 1u);
    if (!of_one.empty()) {
      EXPECT_EQ(of_one[0].id, s);
      EXPECT_EQ(of_one[0].targets, (std::vector<Id>{14, 15}));
    }
    CHY_TRY(auto of_target, Store(tx).ReorganizationsOf(13));
    EXPECT_EQ(of_target.size(), 1u);
    if (!of_target.empty()) {
      EXPECT_EQ(of_target[0].id, m);
      EXPECT_EQ(of_target[0].kind, "merge");
      EXPECT_EQ(of_target[0].effective_date, Day(2026, 3, 1));
      EXPECT_EQ(of_target[0].sources, (std::vector<Id>{11, 12}));
    }
    CHY_TRY(auto none, Store(tx).ReorganizationsOf(2));
    EXPECT_TRUE(none.empty());
    return Ok();
  }));
}

// A retired unit's open work passes to its successor, one transfer row per
// moved object; what is closed (an issued document) stays where it was.
TEST_P(OrgStoreTest, OpenWorkIsTransferredAndClosedWorkStays) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id from, Store(tx).InsertUnit({.name = "Cũ", .abbreviation = "C"}, Date{}));
    CHY_TRY(Id to, Store(tx).InsertUnit({.name = "Mới", .abbreviation = "M"}, Date{}));
    const Id person = AddUser(tx, "p", from);
    documents::Store docs(tx);
    auto doc = [&](const std::string& state) {
      Document d;
      d.state = state;
      d.unit_id = from;
      d.subject = state;
      d.created_at = d.updated_at = kT0;
      auto id = docs.InsertDocument(d);
      EXPECT_TRUE(id.ok());
      return id.ok() ? *id : 0;
    };
    const Id open = doc("draft");
    const Id closed = doc("issued");
    CHY_TRY(auto book, docs.GetOrCreateBook(from, "outgoing", 2026));
    CHY_TRY(Id reorg, Store(tx).InsertReorganization(
                          {0, "dissolve", Day(2026, 2, 1), "", {from}, {to}}, 1, kT0));
    CHY_TRY(int moved, Store(tx).TransferOpenWork(from, to, reorg));
    EXPECT_EQ(moved, 3);  // the draft, the book, the person
    CHY_TRY(Document d_open, docs.GetDocument(open));
    EXPECT_EQ(d_open.unit_id, to);
    EXPECT_EQ(d_open.version, 2);
    CHY_TRY(Document d_closed, docs.GetDocument(closed));
    EXPECT_EQ(d_closed.unit_id, from);
    CHY_TRY(auto moved_book, docs.GetBook(book.id));
    EXPECT_EQ(moved_book.unit_id, to);
    EXPECT_EQ(moved_book.original_unit_id, from);
    CHY_TRY(StoredUser p, Store(tx).GetUser(person));
    EXPECT_EQ(p.user.unit_id, to);
    CHY_TRY(auto transfers, Store(tx).TransfersFrom(from));
    std::vector<std::pair<std::string, Id>> rows;
    for (const auto& t : transfers) {
      EXPECT_EQ(t.reorganization_id, reorg);
      EXPECT_EQ(t.to_unit_id, to);
      rows.emplace_back(t.object_type, t.object_id);
    }
    EXPECT_EQ(rows, (std::vector<std::pair<std::string, Id>>{
                        {"document", open}, {"register_book", book.id}, {"user", person}}));
    CHY_TRY(auto nothing, Store(tx).TransfersFrom(to));
    EXPECT_TRUE(nothing.empty());
    return Ok();
  }));
}

CHY_STORE_TEST_BACKENDS(OrgStoreTest);

}  // namespace
}  // namespace chancery::org
