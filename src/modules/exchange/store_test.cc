// The exchange module's store on both engines (store/testing.h): the
// directory of peers, the outbox (in order per peer), the inbox (once per
// package), the quarantine and the status history.
#include "modules/exchange/store.h"

#include <gtest/gtest.h>

#include "modules/documents/store.h"
#include "store/testing.h"

namespace chancery::exchange {
namespace {

using namespace std::chrono_literals;
using store::Tx;
using store::testing::CodeOf;
using store::testing::kT0;

constexpr const char* kB = "000.00.01.B01";
constexpr const char* kC = "000.00.01.C01";

class ExchangeStoreTest : public store::testing::MigratedStoreTest {
 protected:
  static OutboxItem Item(const std::string& peer, const std::string& edxml_id,
                         Timestamp due = kT0) {
    OutboxItem o;
    o.peer_code = peer;
    o.kind = "package";
    o.edxml_id = edxml_id;
    o.payload_sha256 = std::string(64, 'e');
    o.payload_size = 100;
    o.next_attempt_at = due;
    o.created_at = kT0;
    return o;
  }
  Id Put(const OutboxItem& o) {
    Id id = 0;
    EXPECT_TRUE(Write([&](Tx& tx) -> Status {
      CHY_TRY(id, Store(tx).InsertOutbox(o));
      return Ok();
    }));
    return id;
  }
  std::vector<Id> Due(Timestamp now, int limit = 10) {
    std::vector<Id> out;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(auto due, Store(tx).DueOutbox(now, limit));
      for (const auto& o : due) out.push_back(o.id);
      return Ok();
    }));
    return out;
  }
  void Finish(Id id, const std::string& state) {
    EXPECT_TRUE(Write([&](Tx& tx) -> Status {
      CHY_TRY(OutboxItem o, Store(tx).GetOutbox(id));
      o.state = state;
      o.done_at = kT0 + 1min;
      return Store(tx).UpdateOutbox(o);
    }));
  }
  Id NewDocument() {
    Id id = 0;
    EXPECT_TRUE(Write([&](Tx& tx) -> Status {
      Document d;
      d.state = "issued";
      d.unit_id = root_;
      d.subject = "Liên thông";
      d.created_at = d.updated_at = kT0;
      CHY_TRY(id, documents::Store(tx).InsertDocument(d));
      return Ok();
    }));
    return id;
  }
};

TEST_P(ExchangeStoreTest, OutboxPagesBelowACursor) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      OutboxItem o = Item(kB, "e" + std::to_string(i));
      o.kind = "status";
      o.code = "01";
      CHY_TRY_STATUS(Store(tx).InsertOutbox(o));
    }
    CHY_TRY(auto first, Store(tx).ListOutbox(std::nullopt, "", 2));
    EXPECT_EQ(first.size(), 2u);
    if (first.size() != 2) return Ok();
    EXPECT_GT(first[0].id, first[1].id);
    CHY_TRY(auto rest, Store(tx).ListOutbox(std::nullopt, "", 10, first.back().id));
    EXPECT_EQ(rest.size(), 3u);
    for (const auto& o : rest) EXPECT_LT(o.id, first.back().id);
    return Ok();
  }));
}

TEST_P(ExchangeStoreTest, OutboxListsFilterByDocumentAndState) {
  const Id doc = NewDocument();
  OutboxItem of_doc = Item(kB, "d1");
  of_doc.document_id = doc;
  const Id a = Put(of_doc);
  const Id b = Put(Item(kC, "x1"));
  Finish(b, "delivered");
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto by_doc, Store(tx).ListOutbox(doc, "", 10));
    EXPECT_EQ(by_doc.size(), 1u);
    if (!by_doc.empty()) {
      EXPECT_EQ(by_doc[0].id, a);
    }
    CHY_TRY(auto delivered, Store(tx).ListOutbox(std::nullopt, "delivered", 10));
    EXPECT_EQ(delivered.size(), 1u);
    if (!delivered.empty()) {
      EXPECT_EQ(delivered[0].id, b);
      EXPECT_EQ(delivered[0].done_at, std::optional<Timestamp>(kT0 + 1min));
    }
    CHY_TRY(auto of_package, Store(tx).DocumentOfPackage("d1", kB));
    EXPECT_EQ(of_package, std::optional<Id>(doc));
    CHY_TRY(auto other_peer, Store(tx).DocumentOfPackage("d1", kC));
    EXPECT_FALSE(other_peer.has_value());
    return Ok();
  }));
}

// Delivery keeps each peer's order: only the oldest undelivered item of a
// peer is due, and only once its time has come; a later item waits for it.
TEST_P(ExchangeStoreTest, DueItemsAreTheOldestUndeliveredOfEachPeer) {
  const Id b1 = Put(Item(kB, "b1"));
  const Id b2 = Put(Item(kB, "b2"));
  const Id c1 = Put(Item(kC, "c1", kT0 + 10min));  // retried later
  const Id c2 = Put(Item(kC, "c2"));
  const Id b3 = Put(Item(kB, "b3"));
  EXPECT_EQ(Due(kT0), (std::vector<Id>{b1}));  // c2 waits behind c1
  EXPECT_EQ(Due(kT0 + 10min), (std::vector<Id>{b1, c1}));
  EXPECT_EQ(Due(kT0 + 10min, 1), (std::vector<Id>{b1}));
  Finish(b1, "delivered");
  EXPECT_EQ(Due(kT0), (std::vector<Id>{b2}));
  Finish(b2, "refused");  // refused and failed items are done too
  Finish(c1, "failed");
  EXPECT_EQ(Due(kT0), (std::vector<Id>{c2, b3}));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(OutboxItem o, Store(tx).GetOutbox(c2));
    o.attempts = 2;
    o.next_attempt_at = kT0 + 1h;
    o.last_error = "Cannot connect.";
    CHY_TRY_STATUS(Store(tx).UpdateOutbox(o));
    CHY_TRY(OutboxItem back, Store(tx).GetOutbox(c2));
    EXPECT_EQ(back.attempts, 2);
    EXPECT_EQ(back.state, "pending");
    EXPECT_EQ(back.last_error, "Cannot connect.");
    EXPECT_EQ(back.next_attempt_at, kT0 + 1h);
    EXPECT_FALSE(back.done_at.has_value());
    EXPECT_EQ(CodeOf(Store(tx).GetOutbox(c2 + 100)), "not_found");
    return Ok();
  }));
  EXPECT_EQ(Due(kT0), (std::vector<Id>{b3}));
}

// A peer is its agency code: putting it again changes the entry in place.
TEST_P(ExchangeStoreTest, PeersAreUpsertedByAgencyCode) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    Peer c{.agency_code = kC, .name = "C", .endpoint = "https://c", .certificate_sha256 = "fc"};
    c.updated_at = kT0;
    CHY_TRY(Id c_id, Store(tx).UpsertPeer(c));
    Peer b{
        .agency_code = kB, .name = "B", .endpoint = "https://b:8443", .certificate_sha256 = "fb"};
    b.max_classification = Classification::kSecret;
    b.updated_at = kT0;
    CHY_TRY(Id b_id, Store(tx).UpsertPeer(b));
    b.name = "B mới";
    b.endpoint = "https://b2:8443";
    b.active = false;
    b.updated_at = kT0 + 1h;
    CHY_TRY(Id again, Store(tx).UpsertPeer(b));
    EXPECT_EQ(again, b_id);
    CHY_TRY(Peer got, Store(tx).GetPeer(kB));
    EXPECT_EQ(got.name, "B mới");
    EXPECT_EQ(got.endpoint, "https://b2:8443");
    EXPECT_EQ(got.max_classification, Classification::kSecret);
    EXPECT_FALSE(got.active);
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(got.updated_at, kT0 + 1h);
    CHY_TRY(auto peers, Store(tx).ListPeers());
    EXPECT_EQ(peers.size(), 2u);
    if (peers.size() == 2) {
      EXPECT_EQ(peers[0].agency_code, kB);  // by agency code
      EXPECT_EQ(peers[1].id, c_id);
    }
    // Callers are known by certificate, and only while active.
    CHY_TRY(Peer by_cert, Store(tx).GetPeerByCertificate("fc"));
    EXPECT_EQ(by_cert.agency_code, kC);
    EXPECT_EQ(CodeOf(Store(tx).GetPeerByCertificate("fb")), "not_found");
    EXPECT_EQ(CodeOf(Store(tx).GetPeer("000.00.09.Z99")), "not_found");
    return Ok();
  }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM peers"), 2);
}

// An arrival is stored once per dedupe key: a second one is a conflict.
TEST_P(ExchangeStoreTest, AnArrivalIsStoredOncePerDedupeKey) {
  const Id copy = NewDocument();
  InboxItem package{.dedupe_key = "package|B|1",
                    .sender_code = kB,
                    .kind = "package",
                    .edxml_id = "B/1",
                    .payload_sha256 = std::string(64, 'p'),
                    .document_id = copy,
                    .receipt = "receipt-1"};
  package.received_at = kT0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id id, Store(tx).InsertInbox(package));
    CHY_TRY(auto found, Store(tx).FindInbox("package|B|1"));
    EXPECT_TRUE(found && found->id == id && found->receipt == "receipt-1");
    CHY_TRY(auto missing, Store(tx).FindInbox("package|B|2"));
    EXPECT_FALSE(missing.has_value());
    return Ok();
  }));
  InboxItem repeat = package;
  repeat.receipt = "receipt-2";
  Status again = store().Write([&](Tx& tx) -> Status {
    CHY_TRY_STATUS(Store(tx).InsertInbox(repeat));
    return Ok();
  });
  EXPECT_EQ(CodeOf(again), "conflict");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbox"), 1);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto first, Store(tx).FindInbox("package|B|1"));
    EXPECT_TRUE(first && first->receipt == "receipt-1");
    return Ok();
  }));
}

// The copy a package made is found by sender and edXML id (the newest
// package; status notices and arrivals without a copy are not copies).
TEST_P(ExchangeStoreTest, TheCopyOfAPackageIsFoundBySenderAndEdxmlId) {
  const Id old_copy = NewDocument();
  const Id new_copy = NewDocument();
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    auto arrive = [&](const std::string& key, const std::string& kind, std::optional<Id> doc,
                      const std::string& sender) {
      InboxItem i{.dedupe_key = key, .sender_code = sender, .kind = kind, .edxml_id = "B/7"};
      i.payload_sha256 = std::string(64, 'q');
      i.document_id = doc;
      i.received_at = kT0;
      return Store(tx).InsertInbox(i);
    };
    CHY_TRY_STATUS(arrive("k1", "package", old_copy, kB));
    CHY_TRY_STATUS(arrive("k2", "package", new_copy, kB));
    CHY_TRY_STATUS(arrive("k3", "status", new_copy + 1000, kB));
    CHY_TRY_STATUS(arrive("k4", "package", std::nullopt, kB));
    CHY_TRY(auto found, Store(tx).InboxOfPackage(kB, "B/7"));
    EXPECT_TRUE(found && found->document_id == std::optional<Id>(new_copy));
    CHY_TRY(auto from_other, Store(tx).InboxOfPackage(kC, "B/7"));
    EXPECT_FALSE(from_other.has_value());
    CHY_TRY(auto of_doc, Store(tx).InboxOfDocument(old_copy));
    EXPECT_TRUE(of_doc && of_doc->dedupe_key == "k1");
    if (of_doc) {
      CHY_TRY_STATUS(Store(tx).SetInboxPriorState(of_doc->id, "assigned"));
      CHY_TRY(auto frozen, Store(tx).FindInbox("k1"));
      EXPECT_TRUE(frozen && frozen->prior_state == "assigned");
    }
    return Ok();
  }));
}

TEST_P(ExchangeStoreTest, QuarantinePagesNewestFirstBelowACursor) {
  std::vector<Id> made;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      QuarantineItem q{.received_at = kT0 + std::chrono::seconds(i),
                       .claimed_sender = kB,
                       .tls_subject = "CN=B",
                       .reason_code = i % 2 ? "FORMAT" : "IMPERSONATION",
                       .message = "refused " + std::to_string(i),
                       .payload_size = 10 + i};
      CHY_TRY(Id id, Store(tx).InsertQuarantine(q));
      made.push_back(id);
    }
    return Ok();
  }));
  std::vector<Id> seen;
  std::optional<Id> before;
  for (int page = 0; page < 5; ++page) {
    std::vector<QuarantineItem> items;
    ASSERT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(items, Store(tx).ListQuarantine(2, before));
      return Ok();
    }));
    if (items.empty()) break;
    EXPECT_LE(items.size(), 2u);
    for (const auto& q : items) seen.push_back(q.id);
    before = items.back().id;
    if (items.front().id == made[3]) {
      EXPECT_EQ(items.front().reason_code, "FORMAT");
      EXPECT_EQ(items.front().message, "refused 3");
      EXPECT_EQ(items.front().received_at, kT0 + 3s);
      EXPECT_EQ(items.front().payload_size, 13);
    }
  }
  EXPECT_EQ(seen, (std::vector<Id>(made.rbegin(), made.rend())));
}

TEST_P(ExchangeStoreTest, StatusesAreTheDocumentsHistoryInOrder) {
  const Id doc = NewDocument();
  const Id other = NewDocument();
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY_STATUS(Store(tx).InsertExchangeStatus({0, doc, kB, "in", "01", "", kT0}));
    CHY_TRY_STATUS(Store(tx).InsertExchangeStatus({0, other, kB, "in", "01", "", kT0}));
    CHY_TRY_STATUS(Store(tx).InsertExchangeStatus({0, doc, kB, "in", "03", "Đã vào sổ", kT0 + 1h}));
    CHY_TRY(auto history, Store(tx).ListExchangeStatuses(doc));
    EXPECT_EQ(history.size(), 2u);
    if (history.size() == 2) {
      EXPECT_EQ(history[0].code, "01");
      EXPECT_EQ(history[1].code, "03");
      EXPECT_EQ(history[1].description, "Đã vào sổ");
      EXPECT_EQ(history[1].at, kT0 + 1h);
      EXPECT_EQ(history[1].agency_code, kB);
    }
    return Ok();
  }));
}

CHY_STORE_TEST_BACKENDS(ExchangeStoreTest);

}  // namespace
}  // namespace chancery::exchange
