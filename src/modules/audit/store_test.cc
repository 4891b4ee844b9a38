// The audit module's store on both engines (store/testing.h): appends,
// the head, filtered and paged reads, ranges, and leaf hashes that agree
// with the Merkle tree (lib/merkle) the head is the root of.
#include "modules/audit/store.h"

#include <gtest/gtest.h>

#include "lib/merkle/merkle.h"
#include "store/testing.h"

namespace chancery::audit {
namespace {

using namespace std::chrono_literals;
using store::Tx;
using store::testing::kT0;

class AuditStoreTest : public store::testing::MigratedStoreTest {
 protected:
  // Appends `n` records: actors 1 and 2 in turn, documents 10, 11, 12 in
  // turn, every third one a "document.read"; records "{"i":<seq>}".
  void AppendMany(int n) {
    ASSERT_TRUE(Write([&](Tx& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        AuditEntry e;
        e.at = kT0 + std::chrono::seconds(i);
        e.actor_id = 1 + i % 2;
        e.action = i % 3 == 0 ? "document.read" : "document.update";
        e.object_type = "document";
        e.object_id = 10 + i % 3;
        e.record = "{\"i\":" + std::to_string(i) + "}";
        CHY_TRY_STATUS(Store(tx).AppendAudit(e));
      }
      return Ok();
    }));
  }
  std::vector<std::int64_t> Seqs(const AuditQuery& q) {
    std::vector<std::int64_t> out;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(auto entries, Store(tx).ListAudit(q));
      for (const auto& e : entries) out.push_back(e.seq);
      return Ok();
    }));
    return out;
  }
};

TEST_P(AuditStoreTest, AppendsAdvanceTheHead) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(auto empty, Store(tx).AuditHead());
    EXPECT_EQ(empty.first, 0);
    EXPECT_EQ(empty.second, merkle::ToHex(merkle::EmptyRoot()));
    for (int i = 0; i < 3; ++i) {
      AuditEntry e;
      e.action = "trial.step";
      e.object_type = "trial";
      e.record = "{\"i\":" + std::to_string(i) + "}";
      CHY_TRY(auto appended, Store(tx).AppendAudit(e));
      EXPECT_EQ(appended.seq, i);  // leaf index, from 0
      // The record names its own position: its leaf is over "<seq>\n<record>".
      EXPECT_EQ(appended.leaf_hash,
                merkle::ToHex(merkle::LeafHash(std::to_string(i) + "\n" + e.record)));
    }
    CHY_TRY(auto head, Store(tx).AuditHead());
    EXPECT_EQ(head.first, 3);
    EXPECT_EQ(head.second.size(), 64u);
    return Ok();
  }));
}

// An append in a transaction that rolls back leaves no record and no trace
// in the head: the next append takes the same position.
TEST_P(AuditStoreTest, ARolledBackAppendLeavesNoTrace) {
  AppendMany(2);
  std::pair<std::int64_t, std::string> before;
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(before, Store(tx).AuditHead());
    return Ok();
  }));
  EXPECT_FALSE(store()
                   .Write([&](Tx& tx) -> Status {
                     CHY_TRY_STATUS(Store(tx).AppendAudit({.action = "lost", .record = "{}"}));
                     return MakeError(ErrorCode::kConflict, "roll back");
                   })
                   .ok());
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(auto head, Store(tx).AuditHead());
    EXPECT_EQ(head, before);
    CHY_TRY(auto next, Store(tx).AppendAudit({.action = "kept", .record = "{}"}));
    EXPECT_EQ(next.seq, 2);
    return Ok();
  }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'lost'"), 0);
}

TEST_P(AuditStoreTest, ListsFilterAndPageNewestFirstBelowASeq) {
  AppendMany(12);
  EXPECT_EQ(Seqs({.limit = 3}), (std::vector<std::int64_t>{11, 10, 9}));
  EXPECT_EQ(Seqs({.object_id = 11}), (std::vector<std::int64_t>{10, 7, 4, 1}));
  EXPECT_EQ(Seqs({.actor_id = 1, .limit = 3}), (std::vector<std::int64_t>{10, 8, 6}));
  EXPECT_EQ(Seqs({.action = "document.read"}), (std::vector<std::int64_t>{9, 6, 3, 0}));
  EXPECT_EQ(Seqs({.object_type = "document", .object_id = 10, .actor_id = 2}),
            (std::vector<std::int64_t>{9, 3}));
  EXPECT_TRUE(Seqs({.object_type = "user"}).empty());
  // Paging: each page below the last seq shown, until nothing is left.
  std::vector<std::int64_t> seen;
  std::optional<std::int64_t> before;
  for (int page = 0; page < 10; ++page) {
    auto seqs = Seqs({.before_seq = before, .limit = 5});
    if (seqs.empty()) break;
    seen.insert(seen.end(), seqs.begin(), seqs.end());
    before = seqs.back();
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  EXPECT_EQ(Seqs({.before_seq = 4, .limit = 0}), (std::vector<std::int64_t>{3}));  // at least one
}

TEST_P(AuditStoreTest, RangesAreHalfOpenAndKeepEveryField) {
  AppendMany(6);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto range, Store(tx).AuditRange(2, 5));
    EXPECT_EQ(range.size(), 3u);
    if (range.size() == 3) {
      EXPECT_EQ(range[0].seq, 2);
      EXPECT_EQ(range[2].seq, 4);
      EXPECT_EQ(range[0].at, kT0 + 2s);
      EXPECT_EQ(range[0].actor_id, std::optional<Id>(1));
      EXPECT_EQ(range[0].object_id, std::optional<Id>(12));
      EXPECT_EQ(range[0].action, "document.update");
      EXPECT_EQ(range[0].record, "{\"i\":2}");
    }
    CHY_TRY(auto past_end, Store(tx).AuditRange(5, 100));
    EXPECT_EQ(past_end.size(), 1u);
    CHY_TRY(auto none, Store(tx).AuditRange(3, 3));
    EXPECT_TRUE(none.empty());
    return Ok();
  }));
}

// The stored leaf hashes are the tree: the root of the first k leaves is
// the head each record stored when it was appended, and the last one is
// the head.
TEST_P(AuditStoreTest, LeafHashesAgreeWithTheMerkleRoots) {
  AppendMany(9);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto all, Store(tx).AuditRange(0, 9));
    CHY_TRY(auto head, Store(tx).AuditHead());
    for (std::int64_t k = 1; k <= 9; ++k) {
      CHY_TRY(auto hex, Store(tx).AuditLeafHashes(k));
      EXPECT_EQ(hex.size(), static_cast<std::size_t>(k));
      std::vector<merkle::Hash> leaves(hex.size());
      for (std::size_t i = 0; i < hex.size(); ++i) EXPECT_TRUE(merkle::FromHex(hex[i], &leaves[i]));
      EXPECT_EQ(merkle::ToHex(merkle::RootOf(leaves)), all[k - 1].root_after) << k;
      if (k == 9) {
        EXPECT_EQ(merkle::ToHex(merkle::RootOf(leaves)), head.second);
      }
    }
    return Ok();
  }));
}

CHY_STORE_TEST_BACKENDS(AuditStoreTest);

}  // namespace
}  // namespace chancery::audit
