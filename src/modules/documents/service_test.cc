// The documents module's use cases through DocumentService, on a faked
// world and a real store (services/testing.h), on both engines: unit scope
// (outside it a document is not found, not forbidden), clearance (a
// classified document is absent from lists and counts below it), roles in
// the flow, declassification under four eyes, deadlines in working days on
// the ManualClock, uploads that expire, duplicates, issue and recall, lists,
// files and register books. Every refusal is checked to store nothing.
#include "modules/documents/service.h"

#include <gtest/gtest.h>

#include <set>

#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;
using testing::CodeOf;
using testing::Describe;
using testing::FieldCodeOf;

class DocumentsServiceTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto pb = node().org.CreateUnit(
        admin_, {.name = "Phòng B", .abbreviation = "PB", .parent_id = std::optional<Id>(root_)});
    ASSERT_TRUE(pb.ok());
    pb_ = pb->id;
    other_ = MakeUser("other", kRoleSpecialist, pb_, Classification::kNormal);
    pb_clerk_ = MakeUser("pbclerk", kRoleClerk, pb_, Classification::kTopSecret);
    low_clerk_ = MakeUser("vanthu", kRoleClerk, root_, Classification::kNormal);
    officer_ = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  }

  DocumentService& docs() { return node().documents; }

  Id Draft(const User& who, const std::string& subject,
           Classification c = Classification::kNormal) {
    DocumentInput in{.type_code = "TB", .subject = subject, .classification = c};
    in.recipient_unit_ids = std::vector<Id>{vp_};
    auto d = docs().CreateDraft(who, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    return d.ok() ? d->document.id : 0;
  }
  // An incoming document `number` from the Ministry of Finance, received
  // by `clerk` (for their own unit) and registered.
  Id Registered(const User& clerk, const std::string& number,
                Classification c = Classification::kNormal) {
    DocumentInput in{.subject = "Công văn " + number, .classification = c};
    in.issuer_name = "Bộ Tài chính";
    in.original_number_symbol = number;
    auto d = docs().ReceiveIncoming(clerk, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    if (!d.ok()) return 0;
    auto r = docs().Act(clerk, d->document.id, "register", {});
    EXPECT_TRUE(r.ok()) << Describe(r);
    return d->document.id;
  }
  void Assign(Id id, ActionInput in) {
    auto a = docs().Act(leader_, id, "assign", in);
    ASSERT_TRUE(a.ok()) << Describe(a);
  }
  // What a refused request could have changed.
  std::vector<std::int64_t> Footprint() {
    std::vector<std::int64_t> out;
    for (const char* table : {"documents", "assignments", "comments", "attachments",
                              "document_versions", "uploads", "approvals", "document_recipients"}) {
      out.push_back(Count(std::string("SELECT COUNT(*) FROM ") + table));
    }
    out.push_back(Count("SELECT COALESCE(SUM(version), 0) FROM documents"));
    out.push_back(AuditSize());
    return out;
  }
  static std::set<Id> Ids(const DocumentPage& page) {
    std::set<Id> out;
    for (const auto& d : page.items) out.insert(d.id);
    return out;
  }

  Id pb_ = 0;
  User other_, pb_clerk_, low_clerk_, officer_;
};

// Outside one's units a document does not exist: every way in answers "not
// found", never "forbidden", and nothing is written. Being named to lead the
// work opens it.
TEST_P(DocumentsServiceTest, ADocumentOutsideOnesUnitsIsNotFoundNotForbidden) {
  const Id draft = Draft(spec_, "Dự thảo của Văn phòng");
  const auto before = Footprint();
  EXPECT_EQ(CodeOf(docs().GetDocument(other_, draft)), "not_found");
  EXPECT_EQ(CodeOf(docs().AddComment(other_, draft, "xem")), "not_found");
  EXPECT_EQ(CodeOf(docs().Act(other_, draft, "submit", {})), "not_found");
  EXPECT_EQ(CodeOf(docs().UpdateDraft(other_, draft, {.subject = "Sửa"}, 1)), "not_found");
  EXPECT_EQ(CodeOf(docs().Timeline(other_, draft)), "not_found");
  EXPECT_EQ(CodeOf(docs().AddFile(other_, draft, true, "a.pdf", "%PDF-1.4", std::nullopt, "")),
            "not_found");
  auto others_list = docs().ListDocuments(other_, {});
  ASSERT_TRUE(others_list.ok());
  EXPECT_EQ(Ids(*others_list).count(draft), 0u);
  EXPECT_EQ(Footprint(), before);
  EXPECT_TRUE(docs().GetDocument(clerk_, draft).ok());  // the unit above reaches it
  // Led by someone of Phòng B, an incoming document is theirs to open.
  const Id incoming = Registered(clerk_, "1/BTC");
  EXPECT_EQ(CodeOf(docs().GetDocument(other_, incoming)), "not_found");
  Assign(incoming, {.lead_user_id = other_.id, .deadline_working_days = 5});
  EXPECT_TRUE(docs().GetDocument(other_, incoming).ok());
  auto inbox = docs().ListDocuments(other_, {.box = Box::kInbox});
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(Ids(*inbox), (std::set<Id>{incoming}));
}

// Below its clearance a classified document is in no list and no count,
// and opening it answers "not found"; a cleared reader's read is audited.
TEST_P(DocumentsServiceTest, AClassifiedDocumentIsInvisibleBelowItsClearance) {
  const Id normal = Registered(clerk_, "2/BTC");
  const Id secret = Registered(clerk_, "3/BTC", Classification::kConfidential);
  Assign(normal, {.lead_unit_id = root_});
  Assign(secret, {.lead_unit_id = root_});
  auto low = docs().ListDocuments(low_clerk_, {});
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(Ids(*low).count(secret), 0u);
  EXPECT_EQ(Ids(*low).count(normal), 1u);
  auto cleared = docs().ListDocuments(clerk_, {});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(Ids(*cleared).count(secret), 1u);
  auto low_load = docs().WorkloadOf(low_clerk_, std::nullopt);
  auto full_load = docs().WorkloadOf(clerk_, std::nullopt);
  ASSERT_TRUE(low_load.ok() && full_load.ok());
  EXPECT_EQ(low_load->units.at(0).open, 1);
  EXPECT_EQ(full_load->units.at(0).open, 2);
  const auto reads = [&] {
    return Count("SELECT COUNT(*) FROM audit_log WHERE action = 'document.read'");
  };
  const std::int64_t before = reads();
  EXPECT_EQ(CodeOf(docs().GetDocument(low_clerk_, secret)), "not_found");
  EXPECT_EQ(CodeOf(docs().Timeline(low_clerk_, secret)), "not_found");
  auto low_dups = docs().FindDuplicates(low_clerk_, "3/BTC", "Bộ Tài chính");
  ASSERT_TRUE(low_dups.ok());
  EXPECT_TRUE(low_dups->empty());
  EXPECT_EQ(reads(), before);
  ASSERT_TRUE(docs().GetDocument(clerk_, normal).ok());
  EXPECT_EQ(reads(), before);  // a normal document's read is not an event
  ASSERT_TRUE(docs().GetDocument(clerk_, secret).ok());
  EXPECT_EQ(reads(), before + 1);
  // Nobody drafts above their own clearance.
  DocumentInput above{.subject = "Mật", .classification = Classification::kSecret};
  EXPECT_EQ(FieldCodeOf(docs().CreateDraft(spec_, above)), "above_clearance");
}

// On a document one may see, one's roles decide the action; the state
// decides which actions there are. Refusals change nothing.
TEST_P(DocumentsServiceTest, RolesAndStatesDecideTheFlow) {
  const Id id = Draft(spec_, "Thông báo");
  ASSERT_TRUE(docs().Act(spec_, id, "submit", {}).ok());
  const auto before = Footprint();
  EXPECT_EQ(CodeOf(docs().Act(spec_, id, "approve", {})), "forbidden");
  EXPECT_EQ(CodeOf(docs().Act(clerk_, id, "approve", {})), "forbidden");
  auto wrong_state = docs().Act(clerk_, id, "issue", {});
  ASSERT_EQ(CodeOf(wrong_state), "invalid_transition");
  EXPECT_EQ(wrong_state.error().allowed, (std::vector<std::string>{"send_back", "approve"}));
  EXPECT_EQ(FieldCodeOf(docs().Act(leader_, id, "send_back", {})), "required");  // say why
  EXPECT_EQ(CodeOf(docs().Act(leader_, id, "approve", {.expected_version = 1})),
            "precondition_failed");
  EXPECT_EQ(Footprint(), before);
  auto approved = docs().Act(leader_, id, "approve", {.expected_version = 2});
  ASSERT_TRUE(approved.ok()) << Describe(approved);
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(CodeOf(docs().Act(spec_, id, "sign", {})), "forbidden");
}

TEST_P(DocumentsServiceTest, RefusedInputStoresNothing) {
  const Id draft = Draft(spec_, "Chưa ban hành");
  const auto before = Footprint();
  auto refused = [&](DocumentInput in) { return FieldCodeOf(docs().CreateDraft(spec_, in)); };
  EXPECT_EQ(refused({.subject = std::string(501, 'a')}), "too_long");
  EXPECT_EQ(refused({.subject = ""}), "required");
  EXPECT_EQ(refused({.type_code = "XYZ", .subject = "a"}), "not_allowed_value");
  EXPECT_EQ(refused({.subject = "a", .legal_normative = true}), "required");
  EXPECT_EQ(refused({.subject = "a", .unit_id = root_}), "out_of_scope");
  EXPECT_EQ(refused({.subject = "a", .recipient_unit_ids = std::vector<Id>{9999}}), "unknown");
  EXPECT_EQ(refused({.type_code = "TB", .subject = "a", .replaces_id = draft}), "not_issued");
  EXPECT_EQ(refused({.subject = "a", .reply_to_id = draft + 1000}), "unknown");
  DocumentInput incoming{.subject = "Đến"};
  incoming.original_number_symbol = "9/BTC";
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, incoming)), "required");  // no issuer
  incoming.issuer_name = "Bộ Tài chính";
  EXPECT_EQ(CodeOf(docs().ReceiveIncoming(spec_, incoming)), "forbidden");
  EXPECT_EQ(FieldCodeOf(docs().AddComment(spec_, draft, "")), "required");
  EXPECT_EQ(Footprint(), before);
}

// A classification is lowered only by declassification: a leader of the
// issuing unit proposes, a security officer cleared for it approves.
TEST_P(DocumentsServiceTest, AClassificationIsLoweredOnlyUnderFourEyes) {
  const Id id = Draft(leader_, "Kế hoạch mật", Classification::kConfidential);
  const auto before = Footprint();
  EXPECT_EQ(CodeOf(docs().UpdateDraft(leader_, id, {.subject = "Sửa"}, 7)), "precondition_failed");
  EXPECT_EQ(
      FieldCodeOf(docs().UpdateDraft(leader_, id, {.classification = Classification::kNormal}, 1)),
      "declassification_required");
  EXPECT_EQ(FieldCodeOf(docs().UpdateDraft(leader_, id, {.unit_id = vp_}, 1)), "immutable");
  EXPECT_EQ(
      FieldCodeOf(docs().ProposeDeclassification(leader_, id, Classification::kSecret, "lý do")),
      "not_lower");
  EXPECT_EQ(CodeOf(docs().ProposeDeclassification(clerk_, id, Classification::kNormal, "x")),
            "forbidden");
  EXPECT_EQ(Footprint(), before);
  auto proposal =
      docs().ProposeDeclassification(leader_, id, Classification::kNormal, "Hết thời hạn mật");
  ASSERT_TRUE(proposal.ok()) << Describe(proposal);
  const User leader2 = MakeUser("leader2", kRoleLeader, root_, Classification::kTopSecret);
  EXPECT_EQ(CodeOf(node().org.DecideApproval(leader_, proposal->id, true, "")), "forbidden");
  EXPECT_EQ(CodeOf(node().org.DecideApproval(leader2, proposal->id, true, "")), "forbidden");
  EXPECT_EQ(CodeOf(docs().GetDocument(low_clerk_, id)), "not_found");
  auto decided = node().org.DecideApproval(officer_, proposal->id, true, "");
  ASSERT_TRUE(decided.ok()) << Describe(decided);
  auto now = docs().GetDocument(low_clerk_, id);
  ASSERT_TRUE(now.ok()) << Describe(now);
  EXPECT_EQ(now->document.classification, Classification::kNormal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'document.declassify'"), 1);
}

// Deadlines are working days (Decree 30): weekends and public holidays do
// not count. Lists of work due soon and overdue follow the clock.
TEST_P(DocumentsServiceTest, DeadlinesCountWorkingDaysAndListsFollowTheClock) {
  auto at = [&](int y, unsigned m, unsigned d) {  // 09:00 in Hanoi
    clock_.Set(sys_days{year{y} / month{m} / day{d}} + hours(2));
  };
  at(2025, 12, 26);  // a Friday; 1 January is a holiday
  const Id id = Registered(clerk_, "4/BTC");
  EXPECT_EQ(FieldCodeOf(docs().Act(leader_, id, "assign",
                                   {.lead_user_id = spec_.id, .deadline_working_days = -1})),
            "out_of_range");
  auto assigned =
      docs().Act(leader_, id, "assign", {.lead_user_id = spec_.id, .deadline_working_days = 4});
  ASSERT_TRUE(assigned.ok()) << Describe(assigned);
  EXPECT_EQ(FormatDate(*assigned->deadline), "2026-01-02");  // Mon, Tue, Wed, Fri
  auto due = [&] {
    auto page = docs().DueSoon(spec_, std::nullopt, true, std::nullopt, 50);
    EXPECT_TRUE(page.ok());
    return page.ok() ? Ids(*page) : std::set<Id>{};
  };
  auto overdue = [&] {
    auto page = docs().Overdue(spec_, std::nullopt, true, std::nullopt, 50);
    EXPECT_TRUE(page.ok());
    return page.ok() ? Ids(*page) : std::set<Id>{};
  };
  EXPECT_TRUE(due().empty());  // three working days from Friday reach Wednesday 31
  at(2025, 12, 30);
  EXPECT_EQ(due(), std::set<Id>{id});
  EXPECT_TRUE(overdue().empty());
  at(2026, 1, 2);
  EXPECT_EQ(due(), std::set<Id>{id});  // due today is not overdue yet
  EXPECT_TRUE(overdue().empty());
  at(2026, 1, 5);
  EXPECT_TRUE(due().empty());
  EXPECT_EQ(overdue(), std::set<Id>{id});
  ASSERT_TRUE(docs().Act(spec_, id, "complete", {}).ok());
  EXPECT_TRUE(overdue().empty());  // done work is not late
}

// A scan is uploaded first and named by its hash when the document is
// registered: only by its uploader, within a day, and once.
TEST_P(DocumentsServiceTest, AnUploadIsItsUploadersForADayAndTakenOnce) {
  EXPECT_EQ(CodeOf(docs().PutBlob(admin_, "bytes", std::nullopt)), "forbidden");
  auto scan = docs().PutBlob(clerk_, "scan of a paper letter", std::nullopt);
  ASSERT_TRUE(scan.ok()) << Describe(scan);
  DocumentInput in{.subject = "Bản quét"};
  in.issuer_name = "Bộ Y tế";
  in.original_number_symbol = "5/BYT";
  in.scan_sha256 = scan->sha256;
  const auto before = Footprint();
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(low_clerk_, in)), "unknown");  // not theirs
  clock_.Advance(hours(24));
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, in)), "unknown");  // expired
  DocumentInput never = in;
  never.scan_sha256 = std::string(64, '0');
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, never)), "unknown");
  EXPECT_EQ(Footprint(), before);
  ASSERT_TRUE(docs().PutBlob(clerk_, "scan of a paper letter", std::nullopt).ok());
  auto received = docs().ReceiveIncoming(clerk_, in);
  ASSERT_TRUE(received.ok()) << Describe(received);
  auto detail = docs().GetDocument(clerk_, received->document.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->attachments.size(), 1u);
  EXPECT_EQ(detail->attachments[0].sha256, scan->sha256);
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, in)), "unknown");  // taken
}

// A registration names earlier ones with the same number and issuer, but
// only those the clerk may open.
TEST_P(DocumentsServiceTest, DuplicatesAreNamedOnlyToThoseWhoMaySeeThem) {
  const Id first = Registered(clerk_, "12/BTC");
  DocumentInput again{.subject = "Lần nữa"};
  again.issuer_name = "Bộ Tài chính";
  again.original_number_symbol = "12/BTC";
  // Registering it again asks why, and stores nothing until told.
  const auto before = Footprint();
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, again)), "duplicate");
  again.duplicate_reason = "  ";
  EXPECT_EQ(FieldCodeOf(docs().ReceiveIncoming(clerk_, again)), "duplicate");
  EXPECT_EQ(Footprint(), before);
  again.duplicate_reason = "Bản chính gửi sau bản fax";
  auto second = docs().ReceiveIncoming(clerk_, again);
  ASSERT_TRUE(second.ok()) << Describe(second);
  EXPECT_EQ(second->duplicates, std::vector<Id>{first});
  // The register's remarks name the original by its arrival number and day.
  auto original = docs().GetDocument(clerk_, first);
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(original->document.arrival_number.has_value());
  EXPECT_EQ(second->document.notes,
            "Trùng với văn bản đến số " + std::to_string(*original->document.arrival_number) +
                " ngày 22/12/2025. Lý do vào sổ: Bản chính gửi sau bản fax");
  // Another unit's clerk sees none of it: no warning, no reason asked.
  again.duplicate_reason.reset();
  auto elsewhere = docs().ReceiveIncoming(pb_clerk_, again);
  ASSERT_TRUE(elsewhere.ok()) << Describe(elsewhere);
  EXPECT_TRUE(elsewhere->duplicates.empty());
  auto listed = docs().FindDuplicates(pb_clerk_, "12/BTC", "Bộ Tài chính");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, elsewhere->document.id);
  EXPECT_EQ(CodeOf(docs().FindDuplicates(spec_, "12/BTC", "Bộ Tài chính")), "forbidden");
}

// Issuing gives each recipient unit its own incoming copy; a recall (with
// its reason) withdraws every copy and closes their work.
TEST_P(DocumentsServiceTest, IssuingCopiesToRecipientsAndARecallWithdrawsThem) {
  const Id id = SignedDraft("QĐ");
  Walk(id, {{clerk_, "number"}, {clerk_, "seal"}, {clerk_, "issue"}});
  auto issued = docs().GetDocument(clerk_, id);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->document.number_symbol, "01/QĐ-BQP");
  ASSERT_EQ(issued->recipients.size(), 1u);
  ASSERT_TRUE(issued->recipients[0].copy_document_id.has_value());
  const Id copy = *issued->recipients[0].copy_document_id;
  auto seen = docs().GetDocument(spec_, copy);
  ASSERT_TRUE(seen.ok()) << Describe(seen);
  EXPECT_EQ(seen->document.direction, Direction::kIncoming);
  EXPECT_EQ(seen->document.state, "received");
  EXPECT_EQ(seen->document.source_document_id, std::optional<Id>(id));
  EXPECT_EQ(seen->document.original_number_symbol, "01/QĐ-BQP");
  const auto before = Footprint();
  EXPECT_EQ(FieldCodeOf(docs().Act(leader_, id, "recall", {})), "required");
  EXPECT_EQ(Footprint(), before);
  ASSERT_TRUE(docs().Act(leader_, id, "recall", {.reason = "Sai sót nội dung"}).ok());
  auto withdrawn = docs().GetDocument(spec_, copy);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->document.state, "recalled");
  EXPECT_EQ(withdrawn->document.return_reason, "Sai sót nội dung");
}

TEST_P(DocumentsServiceTest, ListsPageWithTheirOwnCursorsOnly) {
  std::set<Id> made;
  for (int i = 0; i < 7; ++i) made.insert(Draft(spec_, "Dự thảo số " + std::to_string(i)));
  std::set<Id> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = docs().ListDocuments(spec_, {.box = Box::kDrafts, .cursor = cursor, .limit = 3});
    ASSERT_TRUE(page.ok()) << Describe(page);
    for (const auto& d : page->items) EXPECT_TRUE(seen.insert(d.id).second) << d.id;
    cursor = page->next_cursor;
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(seen, made);
  EXPECT_EQ(pages, 3);
  auto text = docs().ListDocuments(spec_, {.text = "DU THAO SO 3"});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->items.size(), 1u);
  EXPECT_EQ(FieldCodeOf(docs().ListDocuments(spec_, {.cursor = std::string("abc")})), "bad_cursor");
  EXPECT_EQ(
      FieldCodeOf(docs().ListDocuments(spec_, {.by_deadline = true, .cursor = std::string("17")})),
      "bad_cursor");
  EXPECT_EQ(FieldCodeOf(docs().ListDocuments(spec_, {.unit_id = pb_})), "out_of_scope");
}

// The filters of every list: the day a document entered the books (a
// draft's: the Vietnam day it was made, not the UTC one), its type and its
// urgency; the clerk's queues of copies to register and signed documents to
// issue; and the menu's counts, which hold only what the person may see.
TEST_P(DocumentsServiceTest, FiltersQueuesAndCountsHoldWhatOneMaySee) {
  clock_.Set(sys_days{year{2026} / 3 / 10} + hours(16) + minutes(30));  // 23:30 in Hanoi
  const Id late = Draft(spec_, "Tối ngày 10");
  clock_.Set(sys_days{year{2026} / 3 / 10} + hours(17) + minutes(30));  // 00:30 on the 11th
  const Id early = Draft(spec_, "Sáng ngày 11");
  Date day10{}, day11{};
  ASSERT_TRUE(ParseDate("2026-03-10", &day10) && ParseDate("2026-03-11", &day11));
  auto on = [&](Date d) {
    auto page = docs().ListDocuments(spec_, {.box = Box::kDrafts, .from = d, .to = d});
    EXPECT_TRUE(page.ok()) << Describe(page);
    return page.ok() ? Ids(*page) : std::set<Id>{};
  };
  EXPECT_EQ(on(day10), std::set<Id>{late});
  EXPECT_EQ(on(day11), std::set<Id>{early});
  EXPECT_EQ(FieldCodeOf(docs().ListDocuments(spec_, {.from = day11, .to = day10})), "before_from");

  DocumentInput urgent{.type_code = "BC", .subject = "Báo cáo khẩn", .urgency = Urgency::kUrgent};
  auto report = docs().CreateDraft(spec_, urgent);
  ASSERT_TRUE(report.ok()) << Describe(report);
  auto of_type = docs().ListDocuments(spec_, {.type_code = std::string("BC")});
  ASSERT_TRUE(of_type.ok());
  EXPECT_EQ(Ids(*of_type), std::set<Id>{report->document.id});
  auto of_urgency = docs().ListDocuments(spec_, {.urgency = Urgency::kUrgent});
  ASSERT_TRUE(of_urgency.ok());
  EXPECT_EQ(Ids(*of_urgency), std::set<Id>{report->document.id});

  auto counts = [&](const User& who) {
    auto c = docs().CountBoxes(who);
    EXPECT_TRUE(c.ok()) << Describe(c);
    return c.ok() ? *c : BoxCounts{};
  };
  const Id normal = SignedDraft("QĐ");
  const Id secret = SignedDraft("KH", Classification::kConfidential);
  auto queue = [&](const User& who) {
    auto page = docs().ListDocuments(who, {.box = Box::kToIssue});
    EXPECT_TRUE(page.ok()) << Describe(page);
    return page.ok() ? Ids(*page) : std::set<Id>{};
  };
  EXPECT_EQ(queue(clerk_), (std::set<Id>{normal, secret}));
  EXPECT_EQ(counts(clerk_).to_issue, 2);
  EXPECT_EQ(queue(low_clerk_), std::set<Id>{normal});
  EXPECT_EQ(counts(low_clerk_).to_issue, 1);  // the confidential one is not even counted
  EXPECT_EQ(counts(pb_clerk_).to_issue, 0);   // nor another unit's
  // Numbered and sealed it is still to issue; issued, its copy waits in
  // the recipients' "Mới đến" until a clerk registers it.
  Walk(normal, {{clerk_, "number"}, {clerk_, "seal"}});
  EXPECT_EQ(queue(clerk_), (std::set<Id>{normal, secret}));
  Walk(normal, {{clerk_, "issue"}});
  EXPECT_EQ(queue(clerk_), std::set<Id>{secret});
  auto received = docs().ListDocuments(clerk_, {.box = Box::kReceived});
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->items.size(), 1u);
  EXPECT_EQ(received->items[0].source_document_id, std::optional<Id>(normal));
  EXPECT_EQ(counts(clerk_).received, 1);
  EXPECT_EQ(counts(pb_clerk_).received, 0);
  Walk(received->items[0].id, {{clerk_, "register"}});
  const BoxCounts after = counts(clerk_);
  EXPECT_EQ(after.received, 0);
  EXPECT_EQ(after.awaiting_assignment, 1);
  EXPECT_EQ(counts(spec_).inbox, 0);
  Assign(received->items[0].id, {.lead_user_id = spec_.id, .deadline_working_days = 5});
  EXPECT_EQ(counts(spec_).inbox, 1);
  EXPECT_EQ(counts(clerk_).awaiting_assignment, 0);
}

// What is signed may not change under the signature: files are added while
// drafting, each one moving the document's version.
TEST_P(DocumentsServiceTest, FilesAreAddedWhileDraftingAndReadOnlyWhereVisible) {
  const Id id = Draft(spec_, "Có tệp");
  const std::string pdf = "%PDF-1.4\n% du thao\n%%EOF\n";
  const auto before = Footprint();
  EXPECT_EQ(CodeOf(docs().AddFile(spec_, id, true, "a.pdf", pdf, std::string(64, 'f'), "")),
            "hash_mismatch");
  EXPECT_EQ(FieldCodeOf(docs().AddFile(spec_, id, true, "../a.pdf", pdf, std::nullopt, "")),
            "bad_characters");
  EXPECT_EQ(Footprint(), before);
  auto v1 = docs().AddFile(spec_, id, true, "du-thao.pdf", pdf, std::nullopt, "bản đầu");
  ASSERT_TRUE(v1.ok()) << Describe(v1);
  EXPECT_EQ(v1->version_no, 1);
  auto file = docs().GetFile(spec_, id, v1->sha256);
  ASSERT_TRUE(file.ok()) << Describe(file);
  EXPECT_EQ(file->bytes, pdf);
  EXPECT_EQ(CodeOf(docs().GetFile(other_, id, v1->sha256)), "not_found");
  EXPECT_EQ(CodeOf(docs().GetFile(spec_, id, std::string(64, 'f'))), "not_found");
  ASSERT_TRUE(docs().Act(spec_, id, "submit", {}).ok());
  auto approved = docs().Act(leader_, id, "approve", {.expected_version = 3});  // file moved it
  ASSERT_TRUE(approved.ok()) << Describe(approved);
  const auto frozen = Footprint();
  EXPECT_EQ(CodeOf(docs().AddFile(spec_, id, true, "b.pdf", pdf + " ", std::nullopt, "")),
            "invalid_transition");
  EXPECT_EQ(CodeOf(docs().AddFile(spec_, id, false, "c.pdf", pdf + "  ", std::nullopt, "")),
            "invalid_transition");
  EXPECT_EQ(Footprint(), frozen);
}

TEST_P(DocumentsServiceTest, ARegisterBookIsReadInItsOwnUnitOnly) {
  const Id id = Registered(clerk_, "8/BTC");
  auto books = docs().ListBooks(clerk_, std::nullopt);
  ASSERT_TRUE(books.ok());
  ASSERT_EQ(books->size(), 1u);
  const documents::RegisterBook book = books->front();
  EXPECT_EQ(book.kind, "incoming");
  EXPECT_EQ(book.year, 2025);
  auto page = docs().BookPage(clerk_, book.id, {}, std::nullopt, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].id, id);
  EXPECT_EQ(page->entries[0].arrival_number, std::optional<std::int64_t>(1));
  EXPECT_EQ(CodeOf(docs().BookPage(pb_clerk_, book.id, {}, std::nullopt, 10)), "not_found");
  EXPECT_EQ(CodeOf(docs().BookPage(spec_, book.id, {}, std::nullopt, 10)), "forbidden");
  auto csv = docs().ExportBook(clerk_, book.id, "csv");
  ASSERT_TRUE(csv.ok()) << Describe(csv);
  EXPECT_NE(csv->find("8/BTC"), std::string::npos);
  EXPECT_EQ(FieldCodeOf(docs().ExportBook(clerk_, book.id, "pdf")), "not_allowed_value");
}

CHY_SERVICE_TEST_BACKENDS(DocumentsServiceTest);

}  // namespace
}  // namespace chancery::services
