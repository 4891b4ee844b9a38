// The audit module's use cases through AuditService, on a faked world and a
// real store (services/testing.h), on both engines: who reads the log, what
// a reader below a document's clearance sees of it, inclusion and
// consistency proofs checked with lib/merkle, and verification naming the
// first bad record, a removed tail, a rewritten head or a signed tree head
// that no longer matches.
#include "modules/audit/service.h"

#include <gtest/gtest.h>

#include "lib/merkle/merkle.h"
#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;
using testing::CodeOf;
using testing::Describe;
using testing::FieldCodeOf;

class AuditServiceTest : public testing::ServicesTest {
 protected:
  void Configure(Config& /*config*/, app::ModuleSettings& settings) override {
    settings.signatures.key_secret = "audit-test-secret";
  }
  void SetUp() override {
    ServicesTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    officer_ = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  }
  AuditService& audit() { return node().audit; }

  static merkle::Hash HashOf(const std::string& hex) {
    merkle::Hash h{};
    EXPECT_TRUE(merkle::FromHex(hex, &h)) << hex;
    return h;
  }
  static std::vector<merkle::Hash> HashesOf(const std::vector<std::string>& hex) {
    std::vector<merkle::Hash> out;
    for (const auto& h : hex) out.push_back(HashOf(h));
    return out;
  }
  std::pair<std::int64_t, std::string> Head() {
    auto head = audit().AuditHead(officer_);
    EXPECT_TRUE(head.ok()) << Describe(head);
    return head.ok() ? *head : std::pair<std::int64_t, std::string>{};
  }
  Status Sql(const std::string& statement, std::initializer_list<sql::Value> params = {}) {
    std::vector<sql::Value> values(params);
    return store_->Write([&](store::Tx& tx) { return tx.connection().Exec(statement, values); });
  }

  User officer_;
};

TEST_P(AuditServiceTest, OnlySecurityOfficersReadTheLogAndReadingWritesNothing) {
  const User admin_only = MakeUser("quantri", kRoleAdmin, root_, Classification::kTopSecret);
  const auto size = AuditSize();
  for (const User& who : {admin_only, leader_, clerk_}) {
    EXPECT_EQ(CodeOf(audit().ListAudit(who, {})), "forbidden") << who.username;
    EXPECT_EQ(CodeOf(audit().AuditHead(who)), "forbidden");
    EXPECT_EQ(CodeOf(audit().AuditInclusion(who, 0, std::nullopt)), "forbidden");
    EXPECT_EQ(CodeOf(audit().AuditConsistency(who, 1, std::nullopt)), "forbidden");
    EXPECT_EQ(CodeOf(audit().VerifyAudit(who)), "forbidden");
  }
  auto created = audit().ListAudit(officer_, {.action = "user.create", .limit = 2});
  ASSERT_TRUE(created.ok()) << Describe(created);
  ASSERT_EQ(created->size(), 2u);
  EXPECT_GT((*created)[0].seq, (*created)[1].seq);  // newest first
  auto older =
      audit().ListAudit(officer_, {.action = "user.create", .before_seq = (*created)[1].seq});
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(created->size() + older->size(), 5u);  // clerk, leader, spec, quantri, officer
  EXPECT_EQ(Head().first, size);
  EXPECT_EQ(AuditSize(), size);
}

// A day of the log is a Vietnam day: a record made at 23:30 in Hanoi is the
// 10th's, one made an hour later the 11th's, though both are the 10th in UTC.
TEST_P(AuditServiceTest, ADayOfTheLogIsAVietnamDay) {
  using namespace std::chrono;
  clock_.Set(sys_days{year{2026} / 3 / 10} + hours(16) + minutes(30));
  MakeUser("muon", kRoleSpecialist, root_, Classification::kNormal);
  clock_.Set(sys_days{year{2026} / 3 / 10} + hours(17) + minutes(30));
  MakeUser("som", kRoleSpecialist, root_, Classification::kNormal);
  auto on = [&](int d) {
    const Date day = sys_days{year{2026} / 3 / d};
    auto list = audit().ListAudit(officer_, {.action = "user.create",
                                             .at_or_after = VietnamDayStart(day),
                                             .before = VietnamDayStart(day + days{1})});
    EXPECT_TRUE(list.ok()) << Describe(list);
    std::vector<std::string> out;
    for (const auto& e : list.ok() ? *list : std::vector<audit::AuditEntry>{}) {
      out.push_back(e.record.find("\"muon\"") != std::string::npos ? "muon" : "som");
    }
    return out;
  };
  EXPECT_EQ(on(10), std::vector<std::string>{"muon"});
  EXPECT_EQ(on(11), std::vector<std::string>{"som"});
}

// A record about a document above the reader's clearance shows who did
// what to which document, and when, but not its content; its hashes stay,
// so the reader can still check the chain.
TEST_P(AuditServiceTest, RecordsAboveTheReadersClearanceAreRedactedButStillVerify) {
  const User low = MakeUser("baomat", kRoleSecurity, root_, Classification::kNormal);
  DocumentInput in{.type_code = "KH",
                   .subject = "Kế hoạch tác chiến",
                   .classification = Classification::kSecret};
  auto d = node().documents.CreateDraft(leader_, in);
  ASSERT_TRUE(d.ok()) << Describe(d);
  const audit::AuditQuery about{.object_type = "document", .object_id = d->document.id};
  auto full = audit().ListAudit(officer_, about);
  auto redacted = audit().ListAudit(low, about);
  ASSERT_TRUE(full.ok() && redacted.ok());
  ASSERT_EQ(full->size(), 1u);
  ASSERT_EQ(redacted->size(), 1u);
  const audit::AuditEntry& seen = full->front();
  const audit::AuditEntry& hidden = redacted->front();
  EXPECT_FALSE(seen.redacted);
  EXPECT_NE(seen.record.find("Kế hoạch tác chiến"), std::string::npos);
  EXPECT_TRUE(hidden.redacted);
  EXPECT_EQ(hidden.record.find("Kế hoạch"), std::string::npos);
  EXPECT_NE(hidden.record.find("above_clearance"), std::string::npos);
  EXPECT_NE(hidden.record.find("document.create"), std::string::npos);
  EXPECT_EQ(hidden.seq, seen.seq);
  EXPECT_EQ(hidden.actor_id, seen.actor_id);
  EXPECT_EQ(hidden.leaf_hash, seen.leaf_hash);
  EXPECT_EQ(hidden.root_after, seen.root_after);
  auto verified = audit().VerifyAudit(low);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
}

// An inclusion proof shows a record is in the tree whose root the head
// names, and in every earlier tree that holds it.
TEST_P(AuditServiceTest, InclusionProofsVerifyAgainstTheHead) {
  SignedDraft("QĐ");
  const auto head = Head();
  ASSERT_GT(head.first, 8);
  for (std::int64_t seq : {std::int64_t{0}, head.first / 2, head.first - 1}) {
    auto proof = audit().AuditInclusion(officer_, seq, std::nullopt);
    ASSERT_TRUE(proof.ok()) << Describe(proof);
    EXPECT_EQ(proof->tree_size, head.first);
    EXPECT_EQ(proof->root, head.second);
    const auto path = HashesOf(proof->path);
    EXPECT_TRUE(merkle::VerifyInclusion(HashOf(proof->leaf_hash), seq, head.first, path,
                                        HashOf(head.second)))
        << seq;
    if (seq > 0) {  // the same path does not prove another position
      EXPECT_FALSE(merkle::VerifyInclusion(HashOf(proof->leaf_hash), seq - 1, head.first, path,
                                           HashOf(head.second)));
    }
  }
  auto earlier = audit().AuditInclusion(officer_, 2, 5);
  ASSERT_TRUE(earlier.ok());
  auto records = audit().ListAudit(officer_, {.before_seq = 5, .limit = 1});
  ASSERT_TRUE(records.ok() && records->size() == 1u);
  EXPECT_EQ(earlier->root, records->front().root_after);  // the head at size 5
  EXPECT_TRUE(merkle::VerifyInclusion(HashOf(earlier->leaf_hash), 2, 5, HashesOf(earlier->path),
                                      HashOf(earlier->root)));
  EXPECT_EQ(FieldCodeOf(audit().AuditInclusion(officer_, head.first, std::nullopt)),
            "out_of_range");
  EXPECT_EQ(FieldCodeOf(audit().AuditInclusion(officer_, 5, 5)), "out_of_range");
  EXPECT_EQ(FieldCodeOf(audit().AuditInclusion(officer_, 0, head.first + 1)), "out_of_range");
  EXPECT_EQ(FieldCodeOf(audit().AuditInclusion(officer_, -1, std::nullopt)), "out_of_range");
}

// A consistency proof shows the log only grew between two heads: an old
// head a reader kept is a prefix of today's.
TEST_P(AuditServiceTest, ConsistencyProofsLinkAnOldHeadToTheNewOne) {
  const auto old_head = Head();
  SignedDraft("TB");
  const auto new_head = Head();
  ASSERT_GT(new_head.first, old_head.first);
  auto proof = audit().AuditConsistency(officer_, old_head.first, std::nullopt);
  ASSERT_TRUE(proof.ok()) << Describe(proof);
  EXPECT_EQ(proof->from_root, old_head.second);
  EXPECT_EQ(proof->to_root, new_head.second);
  const auto path = HashesOf(proof->path);
  EXPECT_TRUE(merkle::VerifyConsistency(old_head.first, new_head.first, HashOf(old_head.second),
                                        HashOf(new_head.second), path));
  EXPECT_FALSE(merkle::VerifyConsistency(old_head.first, new_head.first, HashOf(new_head.second),
                                         HashOf(new_head.second), path));
  EXPECT_EQ(FieldCodeOf(audit().AuditConsistency(officer_, 0, std::nullopt)), "out_of_range");
  EXPECT_EQ(FieldCodeOf(audit().AuditConsistency(officer_, 4, 3)), "out_of_range");
  EXPECT_EQ(FieldCodeOf(audit().AuditConsistency(officer_, 1, new_head.first + 1)), "out_of_range");
}

// Records removed from the end of the log, or a head rewritten to another
// tree of the same size, are found too.
TEST_P(AuditServiceTest, VerificationNoticesARemovedTailAndARewrittenHead) {
  const auto head = Head();
  ASSERT_TRUE(Sql("DELETE FROM audit_log WHERE seq = $1", {head.first - 1}).ok());
  auto cut = audit().VerifyAudit(officer_);
  ASSERT_TRUE(cut.ok());
  EXPECT_FALSE(cut->ok);
  EXPECT_EQ(cut->problem, "missing");
  EXPECT_EQ(cut->first_bad_seq, std::optional<std::int64_t>(head.first - 1));
  EXPECT_EQ(cut->size, head.first - 1);
  // Put the state back to match what is left, then rewrite it with another
  // tree of the same size.
  merkle::CompactTree kept, forged;
  std::vector<std::string> leaves;
  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    CHY_TRY(leaves, audit::Store(tx).AuditLeafHashes(head.first));
                    return Ok();
                  })
                  .ok());
  for (const auto& leaf : leaves) {
    kept.Append(HashOf(leaf));
    forged.Append(merkle::LeafHash("forged " + leaf));
  }
  ASSERT_TRUE(
      Sql("UPDATE audit_state SET size = $1, frontier = $2", {head.first - 1, kept.Serialize()})
          .ok());
  auto restored = audit().VerifyAudit(officer_);
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(restored->ok) << restored->problem;
  ASSERT_TRUE(Sql("UPDATE audit_state SET frontier = $1", {forged.Serialize()}).ok());
  auto rewritten = audit().VerifyAudit(officer_);
  ASSERT_TRUE(rewritten.ok());
  EXPECT_FALSE(rewritten->ok);
  EXPECT_EQ(rewritten->problem, "head mismatch");
}

// A signed tree head must name the root the log has at its size, under the
// node's signature: verification checks each one it passes.
TEST_P(AuditServiceTest, SignedTreeHeadsAreCheckedWithTheLog) {
  EXPECT_EQ(CodeOf(node().signatures.SignTreeHead(admin_)), "unavailable");  // no CA yet
  CreateNodeCa();
  EXPECT_EQ(CodeOf(node().signatures.SignTreeHead(spec_)), "forbidden");
  auto first = node().signatures.SignTreeHead(admin_);
  ASSERT_TRUE(first.ok()) << Describe(first);
  EXPECT_EQ(first->tree_size, Head().first - 1);  // signing is itself recorded after
  clock_.Advance(hours(1));
  SignedDraft("TB");
  auto second = node().signatures.SignTreeHead(admin_);
  ASSERT_TRUE(second.ok());
  auto heads = node().signatures.TreeHeads(officer_, 10);
  ASSERT_TRUE(heads.ok());
  ASSERT_EQ(heads->size(), 2u);
  EXPECT_EQ((*heads)[0].tree_size, second->tree_size);  // newest first
  auto good = audit().VerifyAudit(officer_);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->ok) << good->problem;
  EXPECT_EQ(good->tree_heads_checked, 2);
  // A head whose root was changed no longer matches the log.
  ASSERT_TRUE(Sql("UPDATE tree_heads SET root = $1 WHERE tree_size = $2",
                  {std::string(64, '0'), first->tree_size})
                  .ok());
  auto bad = audit().VerifyAudit(officer_);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->first_bad_seq, std::optional<std::int64_t>(first->tree_size - 1));
  EXPECT_EQ(bad->problem.rfind("tree head " + std::to_string(first->tree_size), 0), 0u)
      << bad->problem;
}

CHY_SERVICE_TEST_BACKENDS(AuditServiceTest);

}  // namespace
}  // namespace chancery::services
