// The documents module's use cases. Documents: drafts, incoming registration, the flow, files,
// deadlines, records, register books.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "modules/audit/store.h"
#include "modules/documents/store.h"
#include "modules/org/service.h"
#include "modules/org/store.h"
#include "modules/signatures/service.h"

namespace chancery::services {

// What another module does inside the document flow, in the flow's own
// transaction: the exchange module checks and queues packages to other
// agencies. Documents names no module above it; src/app wires the hooks.
// A message for another agency — the package of an issued document or a
// status notice — signed and stored before the action's transaction; the
// transaction queues it.
struct OutgoingMessage {
  std::string peer_code;
  std::string kind;  // package, status
  std::string edxml_id;
  std::string code;         // a package's business type ("0".."3"), or the status code
  std::string description;  // a status notice's (kept here; the wire copy of a
                            // classified document's notice carries none)
  std::string payload_sha256;
  std::int64_t payload_size = 0;
};
struct PreparedMessages {
  std::int64_t document_version = 0;  // the version they were made from
  std::vector<OutgoingMessage> messages;
};

// A page of documents (core/page.h: every list pages the same way).
using DocumentPage = chancery::Page<Document>;

struct CreatedDocument {
  Document document;
  std::vector<Id> duplicates;  // same number/symbol and issuer already registered
};

struct DocumentDetail {
  Document document;
  std::vector<signatures::DocumentSignature> signatures;
  std::vector<std::string> allowed_actions;
  std::vector<Assignment> assignments;
  std::vector<documents::NamedFile> attachments;
  std::vector<documents::NamedFile> versions;
  std::vector<documents::TextEntry> comments;
  std::vector<documents::TextEntry> notes;
  std::vector<documents::Recipient> recipients;
};

enum class Box {
  kAll,
  kDrafts,
  kAwaitingApproval,
  kAwaitingAssignment,
  kInbox,
  kOutgoing,
  kIncoming,
  kReceived,  // copies arrived and not yet registered (the clerk's "Mới đến")
  kToIssue,   // signed outgoing documents waiting to be numbered, sealed, issued
};

// How many documents wait in each box a person works from: the counts on
// the menu. Each is what that box would list for this person.
struct BoxCounts {
  std::int64_t inbox = 0;
  std::int64_t awaiting_approval = 0;
  std::int64_t awaiting_assignment = 0;
  std::int64_t received = 0;
  std::int64_t to_issue = 0;
};

struct ListInput {
  Box box = Box::kAll;
  std::optional<Id> unit_id;
  std::vector<std::string> states;
  std::string text;
  std::optional<Id> reply_to_id;         // only replies to this document
  std::optional<Date> from, to;          // arrival or issue date (a draft's: made on) range
  std::optional<std::string> type_code;  // one type of Decree 30 ("" is a công văn)
  std::optional<Urgency> urgency;
  bool by_deadline = false;  // earliest deadline first instead of newest first
  std::optional<std::string> cursor;
  int limit = 50;
};

// Filters of a register book page.
struct BookFilter {
  std::string text;              // words, as typed, found in the search index
  std::optional<Date> from, to;  // entry (arrival or issue) date range
};

// Open work of one unit and everything below it, for a leader's dashboard.
struct UnitWorkload {
  Id unit_id = 0;
  std::string name;
  std::int64_t open = 0, overdue = 0, due_soon = 0;
};

struct Workload {
  Date today;
  Date due_soon_until;
  std::vector<UnitWorkload> units;  // the unit itself first, then its direct sub-units
};

struct BookEntries {
  documents::RegisterBook book;
  std::vector<Document> entries;
  std::unordered_map<Id, std::string> signature_verdicts;  // entry id -> latest indication
  std::optional<std::string> next_cursor;
};

class FlowHooks {
 public:
  virtual ~FlowHooks() = default;
  virtual Status CheckExternalRecipients(store::Tx& tx, const Document& d) = 0;
  // Outside any transaction: the messages `action` on document `id` sends —
  // a package to each agency when it is issued (with its signed main file),
  // status notices when it is recalled or when a document that came from
  // another agency moves on — signed and stored. None when the action does
  // not apply; the action's transaction then answers why.
  virtual Result<PreparedMessages> PrepareMessages(
      const Actor& actor, Id id, const std::string& action, const ActionInput& in,
      const std::optional<documents::NamedFile>& signed_main) = 0;
  // The names of the agencies in the directory, by agency code.
  virtual Result<std::map<std::string, std::string>> AgencyNames(store::Tx& tx) = 0;
  // In the action's transaction: whether `action` on `d` sends messages
  // (then they are prepared, outside it, before it runs again).
  virtual Result<bool> SendsMessages(store::Tx& tx, const Document& d, const std::string& action,
                                     const ActionInput& in) = 0;
  // In the action's transaction: queues what was prepared for `d`.
  virtual Status QueueMessages(store::Tx& tx, const Actor& actor, const Document& d,
                               const PreparedMessages& prepared) = 0;
  // In the action's transaction: what the action does to a document that
  // came from another agency besides its notice (refusing a recall restores
  // the state it had).
  virtual Status ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                                     const std::string& action, const ActionInput& in) = 0;
};

// The documents module's settings.
struct DocumentSettings {
  int due_soon_working_days = 3;  // "due soon": within this many working days
};

class DocumentService : public Core {
 public:
  DocumentService(const Core& core, OrgService& org, SignatureService& signatures,
                  DocumentSettings settings = {});

  // Giải mật: a leader of the issuing unit proposes, a security officer approves.
  Result<org::Approval> ProposeDeclassification(const Actor& actor, Id id, Classification to,
                                                const std::string& reason);
  // ---- Documents ----
  // Open work of `unit_id` (default: the actor's unit) and its sub-units.
  Result<Workload> WorkloadOf(const Actor& actor, std::optional<Id> unit_id);
  Result<CreatedDocument> CreateDraft(const Actor& actor, const DocumentInput& in);
  Result<CreatedDocument> ReceiveIncoming(const Actor& actor, const DocumentInput& in);
  // Incoming documents already received under this number/symbol from this
  // issuer that `actor` may open (others are not named, nor counted).
  Result<std::vector<Document>> FindDuplicates(const Actor& actor, const std::string& number_symbol,
                                               const std::string& issuer_name);
  Result<std::vector<Document>> ReadableDuplicates(store::Tx& tx, const Actor& actor,
                                                   const std::string& number_symbol,
                                                   const std::string& issuer_name);
  Result<DocumentDetail> GetDocument(const Actor& actor, Id id);
  Result<Document> UpdateDraft(const Actor& actor, Id id, const DocumentInput& in,
                               std::int64_t expected_version);
  Result<Document> Act(const Actor& actor, Id id, const std::string& action, const ActionInput& in);
  Result<DocumentPage> ListDocuments(const Actor& actor, const ListInput& in);
  Result<BoxCounts> CountBoxes(const Actor& actor);
  Result<DocumentPage> Overdue(const Actor& actor, std::optional<Id> unit_id, bool mine,
                               std::optional<std::string> cursor, int limit);
  Result<DocumentPage> DueSoon(const Actor& actor, std::optional<Id> unit_id, bool mine,
                               std::optional<std::string> cursor, int limit);
  Result<documents::TextEntry> AddComment(const Actor& actor, Id id, const std::string& body);
  Result<documents::NamedFile> AddFile(const Actor& actor, Id id, bool as_version,
                                       const std::string& file_name, std::string_view bytes,
                                       std::optional<std::string> declared_sha256,
                                       const std::string& note);
  // Stores bytes for a later incoming registration (a scanned paper document).
  Result<blob::BlobInfo> PutBlob(const Actor& actor, std::string_view bytes,
                                 std::optional<std::string> declared_sha256);
  Result<Download> GetFile(const Actor& actor, Id id, const std::string& sha256);
  Result<std::vector<audit::AuditEntry>> Timeline(const Actor& actor, Id id);
  // ---- Records (hồ sơ) ----
  Result<documents::RecordFile> CreateRecord(const Actor& actor, const documents::RecordFile& in);
  Result<std::vector<documents::RecordFile>> ListRecords(const Actor& actor,
                                                         std::optional<Id> unit_id);
  // ---- Register books ----
  Result<std::vector<documents::RegisterBook>> ListBooks(const Actor& actor,
                                                         std::optional<Id> unit_id);
  Result<BookEntries> BookPage(const Actor& actor, Id book_id, const BookFilter& filter,
                               std::optional<std::string> cursor, int limit);
  // CSV or XLSX bytes of a book: every entry, or those `filter` lets through.
  Result<std::string> ExportBook(const Actor& actor, Id book_id, const std::string& format,
                                 const BookFilter& filter = {});
  // What the exchange module does inside the document flow (src/app wires it).
  void set_flow_hooks(FlowHooks* hooks) { hooks_ = hooks; }

  // ---- for the modules above this one ----
  // The one way an incoming document is made from what arrives — a clerk's
  // registration, a package from another agency, an edXML file, an issued
  // document's copy for a recipient unit: its fields from `in`, checked as
  // a registration's are. Not stored.
  Result<Document> IncomingDocument(Id unit_id, Id created_by, const DocumentInput& in,
                                    Timestamp now) const;
  // An incoming document with its scan: an upload of the clerk's own
  // (checked and taken) or a file the service unpacked itself.
  Result<CreatedDocument> Receive(const Actor& actor, const DocumentInput& in,
                                  const std::optional<blob::BlobInfo>& scan,
                                  bool scan_is_an_upload);

 private:
  // The effects of the flow's actions (flow.cc), in its transaction.
  struct ActionClock {
    Timestamp now{};
    Date today{};
    int year = 0;
    // "issue": its signatures, checked before the transaction.
    const SignatureService::IssueCheck* issue = nullptr;
    // Messages for other agencies, prepared before the transaction.
    const PreparedMessages* messages = nullptr;
  };
  Status Number(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                const ActionClock& at, std::string& details);
  Status Issue(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
               const ActionClock& at, std::string& details);
  Status EnterLegalDatabase(store::Tx& tx, const Actor& actor, const Document& d,
                            const Unit& issuer,
                            const std::optional<documents::NamedFile>& signed_main, Timestamp now);
  Status ReadTextsForLegalDatabase(Id id);
  Status Recall(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                const ActionClock& at, std::string& details);
  Status RegisterArrival(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                         const ActionClock& at, std::string& details);
  Status ReturnToSender(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                        const ActionClock& at, std::string& details);
  Status Withdraw(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                  const ActionClock& at, std::string& details);
  Status Assign(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                const ActionClock& at, std::string& details);
  Status AddNote(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                 const ActionClock& at, std::string& details);
  Status Complete(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                  const ActionClock& at, std::string& details);
  Status FileInRecord(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                      const ActionClock& at, std::string& details);
  Result<DocumentDetail> LoadDocument(const Actor& actor, Id id, std::string_view purpose,
                                      const std::string& details_json);
  Status CheckLinks(store::Tx& tx, const Actor& actor, const Document& d);
  Result<DocumentPage> DeadlineList(const Actor& actor, std::optional<Id> unit_id, bool mine,
                                    std::optional<Date> before, std::optional<Date> until,
                                    std::optional<std::string> cursor, int limit);
  Status ApplyAction(store::Tx& tx, const Actor& actor, Document& doc, const std::string& action,
                     const ActionInput& in, const ActionClock& at, std::string& details);
  Status ApplyDeclassification(store::Tx& tx, const Actor& actor, const org::Approval& a);

  Status CheckExternalRecipients(store::Tx& tx, const Document& d) {
    return hooks_ ? hooks_->CheckExternalRecipients(tx, d) : Ok();
  }
  Result<PreparedMessages> PrepareMessages(const Actor& actor, Id id, const std::string& action,
                                           const ActionInput& in,
                                           const std::optional<documents::NamedFile>& signed_main) {
    if (!hooks_) return PreparedMessages{};
    return hooks_->PrepareMessages(actor, id, action, in, signed_main);
  }
  Status QueueMessages(store::Tx& tx, const Actor& actor, const Document& d,
                       const PreparedMessages& prepared) {
    return hooks_ ? hooks_->QueueMessages(tx, actor, d, prepared) : Ok();
  }
  Status ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                             const std::string& action, const ActionInput& in) {
    return hooks_ ? hooks_->ExchangeAfterAction(tx, actor, d, action, in) : Ok();
  }

  DocumentSettings settings_;
  OrgService& org_;
  SignatureService& signatures_;
  FlowHooks* hooks_ = nullptr;
};

}  // namespace chancery::services
