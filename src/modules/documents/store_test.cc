// The documents module's store on both engines (store/testing.h): numbers,
// document lists (filters, folded search, the classification cap, keyset
// pages, deadline order), duplicates, optimistic updates, register books,
// recipients, files, assignments and records.
#include "modules/documents/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "modules/org/store.h"
#include "store/testing.h"

namespace chancery::documents {
namespace {

using namespace std::chrono_literals;
using store::Tx;
using store::testing::CodeOf;
using store::testing::Day;
using store::testing::kT0;

class DocumentsStoreTest : public store::testing::MigratedStoreTest {
 protected:
  // A document of root_ (outgoing draft unless said otherwise).
  static Document Doc(Id unit, const std::string& subject) {
    Document d;
    d.direction = Direction::kOutgoing;
    d.state = "draft";
    d.unit_id = unit;
    d.subject = subject;
    d.created_at = d.updated_at = kT0;
    return d;
  }
  Id Insert(const Document& d) {
    Id id = 0;
    EXPECT_TRUE(Write([&](Tx& tx) -> Status {
      CHY_TRY(id, Store(tx).InsertDocument(d));
      return Ok();
    }));
    return id;
  }
  std::vector<Id> List(const DocumentQuery& q) {
    std::vector<Id> out;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(auto docs, Store(tx).ListDocuments(q));
      for (const auto& d : docs) out.push_back(d.id);
      return Ok();
    }));
    return out;
  }
};

TEST_P(DocumentsStoreTest, NumbersAreGapFreePerYearAndSeries) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (std::int64_t want = 1; want <= 3; ++want) {
      CHY_TRY(auto n, Store(tx).NextNumber(root_, 2026, "out"));
      EXPECT_EQ(n, want);
    }
    CHY_TRY(auto other, Store(tx).NextNumber(root_, 2026, "in"));
    EXPECT_EQ(other, 1);
    CHY_TRY(auto next_year, Store(tx).NextNumber(root_, 2027, "out"));
    EXPECT_EQ(next_year, 1);
    return Ok();
  }));
  // A number taken in a transaction that rolls back is not used up.
  EXPECT_FALSE(store()
                   .Write([&](Tx& tx) -> Status {
                     CHY_TRY(auto n, Store(tx).NextNumber(root_, 2026, "out"));
                     EXPECT_EQ(n, 4);
                     return MakeError(ErrorCode::kConflict, "roll back");
                   })
                   .ok());
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(auto n, Store(tx).NextNumber(root_, 2026, "out"));
    EXPECT_EQ(n, 4);
    return Ok();
  }));
}

TEST_P(DocumentsStoreTest, ListsFilterByDirectionStateUnitAndClassification) {
  Id vp = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(vp, org::Store(tx).InsertUnit({.name = "VP", .abbreviation = "VP", .parent_id = root_},
                                          Date{}));
    return Ok();
  }));
  const Id draft = Insert(Doc(root_, "Dự thảo"));
  Document in = Doc(root_, "Văn bản đến");
  in.direction = Direction::kIncoming;
  in.state = "registered";
  const Id incoming = Insert(in);
  Document review = Doc(vp, "Chờ duyệt");
  review.state = "in_review";
  const Id in_review = Insert(review);
  Document secret = Doc(root_, "Mật");
  secret.classification = Classification::kSecret;
  const Id classified = Insert(secret);
  EXPECT_EQ(List({.max_classification = Classification::kTopSecret}),
            (std::vector<Id>{classified, in_review, incoming, draft}));
  // The cap: a normal reader's list does not show the secret document.
  EXPECT_EQ(List({}), (std::vector<Id>{in_review, incoming, draft}));
  EXPECT_EQ(List({.max_classification = Classification::kConfidential}),
            (std::vector<Id>{in_review, incoming, draft}));
  EXPECT_EQ(List({.direction = Direction::kIncoming}), (std::vector<Id>{incoming}));
  EXPECT_EQ(List({.direction = Direction::kOutgoing}), (std::vector<Id>{in_review, draft}));
  EXPECT_EQ(List({.states = {"draft", "registered"}}), (std::vector<Id>{incoming, draft}));
  EXPECT_EQ(List({.unit_ids = {vp}}), (std::vector<Id>{in_review}));
  EXPECT_EQ(List({.unit_ids = {root_},
                  .states = {"draft"},
                  .max_classification = Classification::kTopSecret}),
            (std::vector<Id>{classified, draft}));
}

// A list's text filter goes through the search index: words with
// diacritics folded ("quyet dinh" finds "Quyết định"), the last one a prefix
// as typed; punctuation and wildcards are no words, so nothing has them.
TEST_P(DocumentsStoreTest, TextSearchIsFoldedAndLiteral) {
  Document qd = Doc(root_, "Quyết định về việc khen thưởng");
  qd.number_symbol = "15/QĐ-BQP";
  const Id decision = Insert(qd);
  const Id report = Insert(Doc(root_, "Báo cáo tổng kết 100% kế hoạch"));
  Document incoming = Doc(root_, "Công văn đến");
  incoming.direction = Direction::kIncoming;
  incoming.issuer_name = "Bộ Nội vụ";
  incoming.original_number_symbol = "7/BNV-TCCB";
  const Id arrival = Insert(incoming);
  EXPECT_EQ(List({.text = "quyet dinh"}), (std::vector<Id>{decision}));
  EXPECT_EQ(List({.text = "QUYẾT ĐỊNH"}), (std::vector<Id>{decision}));
  EXPECT_EQ(List({.text = "15/qd"}), (std::vector<Id>{decision}));
  EXPECT_EQ(List({.text = "noi vu"}), (std::vector<Id>{arrival}));  // the issuer
  EXPECT_EQ(List({.text = "7/bnv"}), (std::vector<Id>{arrival}));   // its own number
  EXPECT_EQ(List({.text = "100%"}), (std::vector<Id>{report}));
  EXPECT_EQ(List({.text = "tổng kết 10"}), (std::vector<Id>{report}));  // typing "100"
  EXPECT_EQ(List({.text = "khen thuong -bao"}), (std::vector<Id>{decision}));
  EXPECT_TRUE(List({.text = "%"}).empty());  // no word, and no LIKE wildcard
  EXPECT_TRUE(List({.text = "_ *"}).empty());
  EXPECT_TRUE(List({.text = "-quyet"}).empty());  // only an exclusion: nothing
  EXPECT_TRUE(List({.text = "nghị quyết"}).empty());
}

// Keyset pages: each page starts below the last id shown, so walking the
// pages sees every document once, newest first (or oldest first).
TEST_P(DocumentsStoreTest, KeysetPagesHaveNoDuplicatesOrGaps) {
  std::vector<Id> all;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 23; ++i) {
      CHY_TRY(Id id, Store(tx).InsertDocument(Doc(root_, "Văn bản " + std::to_string(i))));
      all.push_back(id);
    }
    return Ok();
  }));
  for (bool ascending : {false, true}) {
    std::vector<Id> seen;
    std::optional<Id> cursor;
    for (int page = 0; page < 10; ++page) {
      auto ids = List({.before_id = cursor, .limit = 5, .ascending = ascending});
      if (ids.empty()) break;
      EXPECT_LE(ids.size(), 5u);
      seen.insert(seen.end(), ids.begin(), ids.end());
      cursor = ids.back();
    }
    std::vector<Id> want = all;
    if (!ascending) std::reverse(want.begin(), want.end());
    EXPECT_EQ(seen, want) << (ascending ? "ascending" : "descending");
  }
}

// Earliest deadline first, documents without one last; the cursor is the
// last row's (deadline, id), so ties across a page boundary are neither
// repeated nor skipped.
TEST_P(DocumentsStoreTest, DeadlineOrderPagesThroughTiesAndDocumentsWithout) {
  auto with = [&](std::optional<Date> deadline) {
    Document d = Doc(root_, "Hạn");
    d.deadline = deadline;
    return Insert(d);
  };
  const Id late = with(Day(2026, 3, 10));
  const Id none_a = with(std::nullopt);
  const Id early_a = with(Day(2026, 3, 2));
  const Id mid = with(Day(2026, 3, 5));
  const Id early_b = with(Day(2026, 3, 2));
  const Id none_b = with(std::nullopt);
  const Id early_c = with(Day(2026, 3, 2));
  const std::vector<Id> want{early_a, early_b, early_c, mid, late, none_a, none_b};
  EXPECT_EQ(List({.by_deadline = true}), want);
  std::vector<Id> seen;
  std::optional<std::pair<std::string, Id>> after;
  for (int page = 0; page < 10; ++page) {
    std::vector<Document> docs;
    ASSERT_TRUE(Read([&](Tx& tx) -> Status {
      CHY_TRY(docs,
              Store(tx).ListDocuments({.limit = 2, .by_deadline = true, .after_deadline = after}));
      return Ok();
    }));
    if (docs.empty()) break;
    for (const auto& d : docs) seen.push_back(d.id);
    const Document& last = docs.back();
    after = std::pair{last.deadline ? FormatDate(*last.deadline) : "9999-12-31", last.id};
  }
  EXPECT_EQ(seen, want);
  EXPECT_EQ(List({.deadline_before = Day(2026, 3, 5)}),
            (std::vector<Id>{early_c, early_b, early_a}));
  EXPECT_EQ(List({.deadline_until = Day(2026, 3, 5)}),
            (std::vector<Id>{early_c, early_b, mid, early_a}));
}

// Open assignments drive the inbox lists; a completed one does not.
TEST_P(DocumentsStoreTest, AssignmentListsShowOnlyOpenWorkAndCountIt) {
  const Id a = Insert(Doc(root_, "A"));
  const Id b = Insert(Doc(root_, "B"));
  Document secret = Doc(root_, "C");
  secret.classification = Classification::kSecret;
  const Id c = Insert(secret);
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    auto assign = [&](Id doc, std::optional<Id> user, std::optional<Date> deadline) -> Status {
      Assignment x;
      x.document_id = doc;
      x.lead_unit_id = root_;
      x.lead_user_id = user;
      x.deadline = deadline;
      x.state = "open";
      x.assigned_by = 1;
      x.created_at = kT0;
      CHY_TRY_STATUS(Store(tx).InsertAssignment(x));
      CHY_TRY(Document d, Store(tx).GetDocument(doc));
      d.state = "assigned";
      return Store(tx).UpdateDocument(d);
    };
    CHY_TRY_STATUS(assign(a, 7, Day(2026, 3, 1)));  // overdue on 3 March
    CHY_TRY_STATUS(assign(b, 8, Day(2026, 3, 4)));  // due soon
    CHY_TRY_STATUS(assign(c, 7, Day(2026, 3, 20)));
    CHY_TRY_STATUS(Store(tx).CompleteAssignments(b, kT0 + 1h));
    CHY_TRY(auto done, Store(tx).ListAssignments(b));
    EXPECT_EQ(done.size(), 1u);
    if (!done.empty()) {
      EXPECT_EQ(done[0].state, "completed");
      EXPECT_EQ(done[0].completed_at, std::optional<Timestamp>(kT0 + 1h));
    }
    CHY_TRY(auto counts, Store(tx).CountOpenWork({root_}, Day(2026, 3, 3), Day(2026, 3, 6),
                                                 Classification::kNormal));
    EXPECT_EQ(counts.size(), 1u);
    if (!counts.empty()) {
      EXPECT_EQ(counts[0].unit_id, root_);
      EXPECT_EQ(counts[0].open, 1);  // b is completed, c above the cap
      EXPECT_EQ(counts[0].overdue, 1);
      EXPECT_EQ(counts[0].due_soon, 0);
    }
    CHY_TRY(auto top, Store(tx).CountOpenWork({root_}, Day(2026, 3, 3), Day(2026, 3, 31),
                                              Classification::kTopSecret));
    if (!top.empty()) {
      EXPECT_EQ(top[0].open, 2);
      EXPECT_EQ(top[0].due_soon, 1);
    }
    return Ok();
  }));
  EXPECT_EQ(List({.assigned_user_id = 7}), (std::vector<Id>{a}));
  EXPECT_EQ(List({.assigned_user_id = 7, .max_classification = Classification::kSecret}),
            (std::vector<Id>{c, a}));
  EXPECT_TRUE(List({.assigned_user_id = 8}).empty());
  EXPECT_EQ(List({.assigned_unit_id = root_}), (std::vector<Id>{a}));
}

// The workload chart's counters (002_open_work.sql) against a count over
// the assignments themselves, after each kind of change that moves work:
// a document starting or ending handling, its deadline or classification
// changed, the assignment's lead, deadline or state changed, a sub-
// assignment (never counted), a lead person moved to another unit, and an
// assignment removed.
TEST_P(DocumentsStoreTest, TheWorkloadCountersFollowEveryChangeThatMovesWork) {
  Id other = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    Unit u{.name = "Cục", .abbreviation = "C", .parent_id = root_};
    CHY_TRY(other, org::Store(tx).InsertUnit(u, Day(2026, 1, 1)));
    return Ok();
  }));
  ASSERT_TRUE(Exec("INSERT INTO users(username, full_name, unit_id, password_hash, created_at) "
                   "VALUES ('alice', 'Alice', " +
                   std::to_string(other) + ", 'x', 0)")
                  .ok());
  const Id alice = Count("SELECT id FROM users WHERE username = 'alice'");
  const Date today = Day(2026, 3, 10), until = Day(2026, 3, 15);

  auto check = [&](const std::string& step) {
    for (Id unit : {root_, other}) {
      for (Classification max : {Classification::kNormal, Classification::kTopSecret}) {
        const std::string open =
            "SELECT COUNT(*) FROM assignments a JOIN documents d ON d.id = a.document_id "
            "LEFT JOIN users p ON p.id = a.lead_user_id WHERE a.state = 'open' AND "
            "a.parent_id IS NULL AND d.state IN ('assigned', 'in_progress') AND "
            "COALESCE(a.lead_unit_id, p.unit_id) = " +
            std::to_string(unit) +
            " AND d.classification <= " + std::to_string(static_cast<int>(max));
        const std::string deadline = " AND COALESCE(a.deadline, d.deadline) ";
        const std::int64_t want_open = Count(open);
        const std::int64_t want_overdue = Count(open + deadline + "< '2026-03-10'");
        const std::int64_t want_soon =
            Count(open + deadline + "BETWEEN '2026-03-10' AND '2026-03-15'");
        DeadlineCount got{unit, 0, 0, 0};
        EXPECT_TRUE(Read([&](Tx& tx) -> Status {
          CHY_TRY(auto rows, Store(tx).CountOpenWork({unit}, today, until, max));
          if (!rows.empty()) got = rows[0];
          EXPECT_LE(rows.size(), 1u);
          return Ok();
        }));
        const std::string where = step + ", unit " + std::to_string(unit) + ", up to class " +
                                  std::to_string(static_cast<int>(max));
        EXPECT_EQ(got.open, want_open) << where;
        EXPECT_EQ(got.overdue, want_overdue) << where;
        EXPECT_EQ(got.due_soon, want_soon) << where;
      }
    }
  };
  auto set = [&](const std::string& sql) { ASSERT_TRUE(Exec(sql).ok()) << sql; };
  const std::string a_doc = std::to_string(Insert(Doc(root_, "A")));
  Document secret = Doc(root_, "B");
  secret.classification = Classification::kSecret;
  secret.deadline = Day(2026, 3, 12);
  const std::string b_doc = std::to_string(Insert(secret));
  Id a_work = 0, b_work = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    Assignment x;
    x.document_id = std::stoll(a_doc);
    x.lead_unit_id = root_;
    x.deadline = Day(2026, 3, 9);
    x.state = "open";
    x.assigned_by = 1;
    x.created_at = kT0;
    CHY_TRY(a_work, Store(tx).InsertAssignment(x));
    x.parent_id = a_work;  // a sub-assignment: the lead's own split of the work
    CHY_TRY(Id sub, Store(tx).InsertAssignment(x));
    EXPECT_GT(sub, a_work);
    Assignment y = x;
    y.document_id = std::stoll(b_doc);
    y.parent_id.reset();
    y.lead_unit_id.reset();
    y.lead_user_id = alice;
    y.deadline.reset();  // the document's deadline counts
    CHY_TRY(b_work, Store(tx).InsertAssignment(y));
    return Ok();
  }));
  check("assigned, documents not yet in handling");
  set("UPDATE documents SET state = 'assigned' WHERE id IN (" + a_doc + ", " + b_doc + ")");
  check("documents in handling");
  set("UPDATE documents SET deadline = '2026-03-01' WHERE id = " + a_doc);
  set("UPDATE documents SET deadline = '2026-03-20' WHERE id = " + b_doc);
  check("document deadlines changed");
  set("UPDATE documents SET classification = 0 WHERE id = " + b_doc);
  check("classification lowered");
  set("UPDATE users SET unit_id = " + std::to_string(root_) +
      " WHERE id = " + std::to_string(alice));
  check("lead person moved");
  set("UPDATE assignments SET deadline = '2026-03-14', lead_unit_id = " + std::to_string(other) +
      " WHERE id = " + std::to_string(a_work));
  check("assignment lead and deadline changed");
  set("UPDATE documents SET state = 'in_progress' WHERE id = " + a_doc);
  check("in progress");
  ASSERT_TRUE(Write([&](Tx& tx) { return Store(tx).CompleteAssignments(std::stoll(a_doc), kT0); }));
  check("work completed");
  set("DELETE FROM assignments WHERE id = " + std::to_string(b_work));
  check("assignment removed");
  EXPECT_EQ(Count("SELECT COALESCE(SUM(n), 0) FROM open_work"), 0);
}

// Duplicates are incoming documents with the same number and issuer.
TEST_P(DocumentsStoreTest, DuplicatesAreIncomingWithTheSameNumberAndIssuer) {
  auto incoming = [&](const std::string& number, const std::string& issuer, Direction dir) {
    Document d = Doc(root_, "Đến");
    d.direction = dir;
    d.original_number_symbol = number;
    d.issuer_name = issuer;
    return Insert(d);
  };
  const Id first = incoming("12/BTC", "Bộ Tài chính", Direction::kIncoming);
  const Id second = incoming("12/BTC", "Bộ Tài chính", Direction::kIncoming);
  incoming("12/BTC", "Bộ Y tế", Direction::kIncoming);
  incoming("13/BTC", "Bộ Tài chính", Direction::kIncoming);
  incoming("12/BTC", "Bộ Tài chính", Direction::kOutgoing);
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    CHY_TRY(auto all, Store(tx).FindDuplicates("12/BTC", "Bộ Tài chính", 0));
    EXPECT_EQ(all, (std::vector<Id>{first, second}));
    CHY_TRY(auto others, Store(tx).FindDuplicates("12/BTC", "Bộ Tài chính", first));
    EXPECT_EQ(others, (std::vector<Id>{second}));
    CHY_TRY(auto none, Store(tx).FindDuplicates("14/BTC", "Bộ Tài chính", 0));
    EXPECT_TRUE(none.empty());
    return Ok();
  }));
}

// UpdateDocument writes only over the version it read, and keeps the
// search text in step with the subject.
TEST_P(DocumentsStoreTest, AStaleDocumentUpdateIsRefusedAndSearchFollowsTheSubject) {
  const Id id = Insert(Doc(root_, "Kế hoạch cũ"));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Document d, Store(tx).GetDocument(id));
    Document stale = d;
    d.subject = "Chỉ thị mới";
    d.deadline = Day(2026, 5, 5);
    CHY_TRY_STATUS(Store(tx).UpdateDocument(d));
    stale.subject = "Ghi đè";
    EXPECT_EQ(CodeOf(Store(tx).UpdateDocument(stale)), "precondition_failed");
    Document missing = d;
    missing.id = id + 100;
    EXPECT_EQ(CodeOf(Store(tx).UpdateDocument(missing)), "not_found");
    CHY_TRY(Document now, Store(tx).GetDocument(id));
    EXPECT_EQ(now.subject, "Chỉ thị mới");
    EXPECT_EQ(now.deadline, std::optional<Date>(Day(2026, 5, 5)));
    EXPECT_EQ(now.version, 2);
    return Ok();
  }));
  EXPECT_EQ(List({.text = "chi thi"}), (std::vector<Id>{id}));
  EXPECT_TRUE(List({.text = "ke hoach"}).empty());
}

// A register book per issuing unit, kind and year, made once: asking again
// (or after the book passed to another unit) finds the same book.
TEST_P(DocumentsStoreTest, RegisterBooksAreMadeOncePerUnitKindAndYear) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id other, org::Store(tx).InsertUnit({.name = "K", .abbreviation = "K"}, Date{}));
    CHY_TRY(auto first, Store(tx).GetOrCreateBook(root_, "outgoing", 2026));
    CHY_TRY(auto again, Store(tx).GetOrCreateBook(root_, "outgoing", 2026));
    EXPECT_EQ(first.id, again.id);
    EXPECT_EQ(first.kind, "outgoing");
    EXPECT_EQ(first.year, 2026);
    CHY_TRY(auto incoming, Store(tx).GetOrCreateBook(root_, "incoming", 2026));
    CHY_TRY(auto next_year, Store(tx).GetOrCreateBook(root_, "outgoing", 2027));
    CHY_TRY(auto others, Store(tx).GetOrCreateBook(other, "outgoing", 2026));
    EXPECT_EQ((std::set<Id>{first.id, incoming.id, next_year.id, others.id}).size(), 4u);
    CHY_TRY(auto books, Store(tx).ListBooks(root_));
    std::vector<Id> order;
    for (const auto& b : books) order.push_back(b.id);
    EXPECT_EQ(order, (std::vector<Id>{next_year.id, incoming.id, first.id}));  // year, kind
    EXPECT_EQ(CodeOf(Store(tx).GetBook(others.id + 100)), "not_found");
    return Ok();
  }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM register_books"), 4);
}

TEST_P(DocumentsStoreTest, RecipientsAreKeptPerUnitAndPerAgency) {
  const Id id = Insert(Doc(root_, "Gửi nhiều nơi"));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id b, org::Store(tx).InsertUnit({.name = "B", .abbreviation = "B"}, Date{}));
    CHY_TRY(Id a, org::Store(tx).InsertUnit({.name = "A", .abbreviation = "A"}, Date{}));
    CHY_TRY_STATUS(Store(tx).InsertRecipient(id, {b, std::nullopt}));
    CHY_TRY_STATUS(Store(tx).InsertRecipient(id, {a, std::nullopt}));
    CHY_TRY(Id copy, Store(tx).InsertDocument(Doc(b, "Bản sao")));
    CHY_TRY_STATUS(Store(tx).InsertRecipient(id, {b, copy}));  // the copy, once issued
    CHY_TRY(auto recipients, Store(tx).ListRecipients(id));
    EXPECT_EQ(recipients.size(), 2u);
    if (recipients.size() == 2) {
      EXPECT_EQ(recipients[0].unit_id, b);  // by unit id
      EXPECT_EQ(recipients[0].copy_document_id, std::optional<Id>(copy));
      EXPECT_EQ(recipients[1].unit_id, a);
      EXPECT_FALSE(recipients[1].copy_document_id.has_value());
    }
    CHY_TRY_STATUS(
        Store(tx).SetExternalRecipients(id, {"000.00.02.B", "000.00.01.A", "000.00.02.B"}));
    CHY_TRY(auto agencies, Store(tx).ListExternalRecipients(id));
    EXPECT_EQ(agencies, (std::vector<std::string>{"000.00.01.A", "000.00.02.B"}));
    CHY_TRY_STATUS(Store(tx).SetExternalRecipients(id, {"000.00.03.C"}));  // replaces the set
    CHY_TRY(Document d, Store(tx).GetDocument(id));
    EXPECT_EQ(d.recipient_unit_ids, (std::vector<Id>{b, a}));
    EXPECT_EQ(d.recipient_agency_codes, (std::vector<std::string>{"000.00.03.C"}));
    return Ok();
  }));
}

// Versions are numbered per document; comments and notes keep their order.
TEST_P(DocumentsStoreTest, FilesAndTextsBelongToTheirDocument) {
  const Id a = Insert(Doc(root_, "A"));
  const Id b = Insert(Doc(root_, "B"));
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (Id doc : {a, b, a}) {
      NamedFile f{.document_id = doc, .sha256 = std::string(64, 'c'), .file_name = "v.pdf"};
      CHY_TRY_STATUS(Store(tx).InsertVersion(f, kT0));
    }
    CHY_TRY(auto versions, Store(tx).ListVersions(a));
    EXPECT_EQ(versions.size(), 2u);
    if (versions.size() == 2) {
      EXPECT_EQ(versions[0].version_no, 1);
      EXPECT_EQ(versions[1].version_no, 2);
    }
    CHY_TRY(auto of_b, Store(tx).ListVersions(b));
    EXPECT_EQ(of_b.size(), 1u);
    NamedFile att{.document_id = a,
                  .sha256 = std::string(64, 'd'),
                  .file_name = "phu-luc.pdf",
                  .content_type = "application/pdf",
                  .size = 1234};
    CHY_TRY_STATUS(Store(tx).InsertAttachment(att, kT0));
    CHY_TRY(auto attachments, Store(tx).ListAttachments(a));
    EXPECT_EQ(attachments.size(), 1u);
    if (!attachments.empty()) {
      EXPECT_EQ(attachments[0].size, 1234);
      EXPECT_EQ(attachments[0].content_type, "application/pdf");
    }
    CHY_TRY(auto none, Store(tx).ListAttachments(b));
    EXPECT_TRUE(none.empty());
    CHY_TRY_STATUS(Store(tx).InsertComment({0, a, std::nullopt, 3, "một", kT0}));
    CHY_TRY_STATUS(Store(tx).InsertComment({0, a, std::nullopt, 4, "hai", kT0 + 1s}));
    CHY_TRY_STATUS(Store(tx).InsertNote({0, a, 99, 3, "ghi chú", kT0}));
    CHY_TRY(auto comments, Store(tx).ListComments(a));
    EXPECT_EQ(comments.size(), 2u);
    if (comments.size() == 2) {
      EXPECT_EQ(comments[1].body, "hai");
    }
    CHY_TRY(auto notes, Store(tx).ListNotes(a));
    EXPECT_EQ(notes.size(), 1u);
    if (!notes.empty()) {
      EXPECT_EQ(notes[0].assignment_id, std::optional<Id>(99));
    }
    return Ok();
  }));
}

TEST_P(DocumentsStoreTest, ARecordCodeIsTakenOncePerUnitAndYear) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(Id r, Store(tx).InsertRecord({0, root_, "HS-01", "Hồ sơ một", 2026}, kT0));
    CHY_TRY_STATUS(Store(tx).InsertRecord({0, root_, "HS-01", "Năm sau", 2027}, kT0));
    CHY_TRY(RecordFile got, Store(tx).GetRecord(r));
    EXPECT_EQ(got.title, "Hồ sơ một");
    CHY_TRY(auto list, Store(tx).ListRecords(root_));
    EXPECT_EQ(list.size(), 2u);
    if (!list.empty()) {
      EXPECT_EQ(list[0].year, 2027);  // newest year first
    }
    return Ok();
  }));
  Status twice = store().Write([&](Tx& tx) -> Status {
    CHY_TRY_STATUS(Store(tx).InsertRecord({0, root_, "HS-01", "Lần hai", 2026}, kT0));
    return Ok();
  });
  EXPECT_EQ(CodeOf(twice), "conflict");
}

CHY_STORE_TEST_BACKENDS(DocumentsStoreTest);

}  // namespace
}  // namespace chancery::documents
