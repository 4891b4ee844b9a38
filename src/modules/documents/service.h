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
class FlowHooks {
 public:
  virtual ~FlowHooks() = default;
  virtual Status CheckExternalRecipients(store::Tx& tx, const Document& d) = 0;
  virtual Result<std::vector<std::string>> QueuePackages(
      store::Tx& tx, const Actor& actor, const Document& d, const Unit& issuer,
      const std::optional<documents::NamedFile>& signed_main) = 0;
  virtual Status ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                                     const std::string& action, const ActionInput& in,
                                     const std::string& from_state) = 0;
};

class DocumentService : public Core {
 public:
  DocumentService(const Core& core, OrgService& org, SignatureService& signatures);

  // Giải mật: a leader of the issuing unit proposes, a security officer approves.
  Result<org::Approval> ProposeDeclassification(const Actor& actor, Id id, Classification to,
                                                const std::string& reason);
  // ---- Documents ----
  // Open work of `unit_id` (default: the actor's unit) and its sub-units.
  Result<Workload> WorkloadOf(const Actor& actor, std::optional<Id> unit_id);
  Result<CreatedDocument> CreateDraft(const Actor& actor, const DocumentInput& in);
  Result<CreatedDocument> ReceiveIncoming(const Actor& actor, const DocumentInput& in);
  Result<std::vector<Id>> FindDuplicates(const Actor& actor, const std::string& number_symbol,
                                         const std::string& issuer_name);
  Result<DocumentDetail> GetDocument(const Actor& actor, Id id);
  Result<Document> UpdateDraft(const Actor& actor, Id id, const DocumentInput& in,
                               std::int64_t expected_version);
  Result<Document> Act(const Actor& actor, Id id, const std::string& action, const ActionInput& in);
  Result<DocumentPage> ListDocuments(const Actor& actor, const ListInput& in);
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
  };
  Status Number(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                const ActionClock& at, std::string& details);
  Status Issue(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
               const ActionClock& at, std::string& details);
  Status Recall(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                const ActionClock& at, std::string& details);
  Status RegisterArrival(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
                         const ActionClock& at, std::string& details);
  Status ReturnToSender(store::Tx& tx, const Actor& actor, Document& d, const ActionInput& in,
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
                     const ActionInput& in, const SignatureService::IssueCheck* issue,
                     std::string& details);
  Status ApplyDeclassification(store::Tx& tx, const Actor& actor, const org::Approval& a);

  Status CheckExternalRecipients(store::Tx& tx, const Document& d) {
    return hooks_ ? hooks_->CheckExternalRecipients(tx, d) : Ok();
  }
  Result<std::vector<std::string>> QueuePackages(
      store::Tx& tx, const Actor& actor, const Document& d, const Unit& issuer,
      const std::optional<documents::NamedFile>& signed_main) {
    if (!hooks_) return std::vector<std::string>{};
    return hooks_->QueuePackages(tx, actor, d, issuer, signed_main);
  }
  Status ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                             const std::string& action, const ActionInput& in,
                             const std::string& from_state) {
    return hooks_ ? hooks_->ExchangeAfterAction(tx, actor, d, action, in, from_state) : Ok();
  }

  OrgService& org_;
  SignatureService& signatures_;
  FlowHooks* hooks_ = nullptr;
};

}  // namespace chancery::services
