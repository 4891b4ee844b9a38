// Documents, register books and numbering, files, comments, assignments and records: the rows of
// this module's tables and the typed operations on them (store.cc), written once in SQL that SQLite
// and PostgreSQL both accept. A `Store` works inside one transaction of store::Store (Write or
// Read) and must not outlive it; several modules' stores may share one transaction, so a change and
// its audit record commit together.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/migrations.h"
#include "modules/search/store.h"
#include "store/store.h"

namespace chancery::documents {

struct RegisterBook {
  Id id = 0;
  Id unit_id = 0;           // current holder
  Id original_unit_id = 0;  // unit that opened it
  std::string kind;         // "incoming" or "outgoing"
  int year = 0;
};

// Filters for document lists. Every list is keyset-paginated by id
// (descending), so a page costs the same at 1 M documents as at 100.
struct DocumentQuery {
  std::optional<Direction> direction;
  std::vector<Id> unit_ids;         // empty = any unit
  std::vector<std::string> states;  // empty = any state
  std::optional<Id> book_id;
  std::optional<Id> reply_to_id;        // replies to this document
  std::optional<Id> assigned_user_id;   // open assignments led by this user
  std::optional<Id> assigned_unit_id;   // open assignments led by this unit
  std::optional<Date> deadline_before;  // deadline < this date (overdue)
  std::optional<Date> deadline_until;   // deadline <= this date (due soon)
  std::string text;                     // words, as typed, found in the search index
  Classification max_classification = Classification::kNormal;
  std::optional<Date> entered_from;      // arrival (incoming) or issue (outgoing) date >=
  std::optional<Date> entered_to;        // ... <= this date (a draft: the day it was made)
  std::optional<std::string> type_code;  // "" is a công văn
  std::optional<Urgency> urgency;
  std::optional<Id> before_id;  // cursor
  int limit = 50;
  bool ascending = false;  // register books read in number order
  // Earliest deadline first (none last), keyset on (deadline, id): the
  // cursor is the last row's (deadline or "9999-12-31", id).
  bool by_deadline = false;
  std::optional<std::pair<std::string, Id>> after_deadline;
};

struct DeadlineCount {
  Id unit_id = 0;
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
};

struct NamedFile {
  Id id = 0;
  Id document_id = 0;
  std::string sha256;
  std::string file_name;
  std::string content_type;
  std::int64_t size = 0;
  int version_no = 0;  // for versions
  std::string note;
  Id created_by = 0;
  Timestamp created_at{};
};

struct TextEntry {  // comments and processing notes
  Id id = 0;
  Id document_id = 0;
  std::optional<Id> assignment_id;
  Id user_id = 0;
  std::string body;
  Timestamp created_at{};
};

struct Recipient {
  Id unit_id = 0;
  std::optional<Id> copy_document_id;
};

struct RecordFile {  // hồ sơ
  Id id = 0;
  Id unit_id = 0;
  std::string code;
  std::string title;
  int year = 0;
};

// This module's tables, in the transaction `tx` belongs to.
// Who reads, for the rule of who may find a document in search.
struct Reader {
  Id user_id = 0;
  Classification clearance = Classification::kNormal;
  std::vector<Id> reach;  // the reader's unit and every unit below it
};

// What the search index holds of a document: its subject, number/symbol,
// issuer, signer and notes; its date, type and state for the facets. The
// store adds `text`: its comments, processing notes and the text of its
// attachments and current version (file_texts), at most kMaxIndexedText.
search::Entry SearchEntry(const Document& d, const std::string& text = "");
inline constexpr std::size_t kMaxIndexedText = 128 * 1024;

// A document's entry is found by whoever may read the document
// (services::Core::ReadableDocument): cleared for its classification, and
// its maker, or in a unit the reader reaches, or led by the reader or a
// unit they reach. A supporting unit's people open such a document from
// their lists but do not find it in search: the rule is never wider than
// reading, and a little narrower.
search::ReadRule ReadableBy(const Reader& reader, std::vector<sql::Value>& params);

// Puts every stored document's entry in the search index (a schema step),
// with its text, or (before file_texts existed) without.
Status IndexAllDocuments(sql::Connection& c);
// Up to `max` documents after id `after`, in id order; the last one's id,
// or nothing when none was left (a rebuild in several transactions). The
// batch is one bulk write of the search index (search::Index::BeginBulk).
Result<std::optional<Id>> IndexDocumentsAfter(sql::Connection& c, Id after, int max);
Status IndexAllDocumentsWithoutText(sql::Connection& c);

class Store {
 public:
  explicit Store(store::Tx& tx) : c_(tx.connection()) {}

  // Documents.
  Result<Id> InsertDocument(const Document& doc);
  Result<Document> GetDocument(Id id);
  // Optimistic on doc.version (kPreconditionFailed when stale); bumps it.
  Status UpdateDocument(const Document& doc);
  Result<std::vector<Document>> ListDocuments(const DocumentQuery& q);
  // How many documents match `q` (its keyset, order and limit ignored).
  Result<std::int64_t> CountDocuments(const DocumentQuery& q);
  // Open assignments (top level) led by each unit or by someone in it: how
  // many, how many past their deadline (< today) and due by `until`.
  Result<std::vector<DeadlineCount>> CountOpenWork(const std::vector<Id>& unit_ids, Date today,
                                                   Date until, Classification max);
  Result<std::vector<Id>> FindDuplicates(const std::string& number_symbol,
                                         const std::string& issuer_name, Id exclude_id);
  // Next number of a yearly series: gap-free because it commits with the
  // registration or not at all.
  Result<std::int64_t> NextNumber(Id issuing_unit_id, int year, const std::string& series);
  Result<RegisterBook> GetOrCreateBook(Id unit_id, const std::string& kind, int year);
  Result<RegisterBook> GetBook(Id book_id);
  Result<std::vector<RegisterBook>> ListBooks(Id unit_id);
  Status InsertRecipient(Id document_id, const Recipient& r);
  Result<std::vector<Recipient>> ListRecipients(Id document_id);
  // The recipient units and agencies of each of `docs` (lists load rows only).
  Status FillRecipients(std::vector<Document>& docs);
  // Each of the four below puts the document's search entry again.
  Result<Id> InsertVersion(const NamedFile& f, Timestamp now);
  Result<std::vector<NamedFile>> ListVersions(Id document_id);
  Result<Id> InsertAttachment(const NamedFile& f, Timestamp now);
  Result<std::vector<NamedFile>> ListAttachments(Id document_id);
  Result<Id> InsertComment(const TextEntry& e);
  Result<std::vector<TextEntry>> ListComments(Id document_id);
  Result<Id> InsertNote(const TextEntry& e);
  Result<std::vector<TextEntry>> ListNotes(Id document_id);
  Result<Id> InsertAssignment(const Assignment& a);
  Result<Assignment> GetAssignment(Id id);
  Result<std::vector<Assignment>> ListAssignments(Id document_id);
  Status CompleteAssignments(Id document_id, Timestamp at);
  Result<Id> InsertRecord(const RecordFile& r, Timestamp now);
  Result<RecordFile> GetRecord(Id id);
  Result<std::vector<RecordFile>> ListRecords(Id unit_id);
  // Recipients in other agencies, by agency code.
  Status SetExternalRecipients(Id document_id, const std::vector<std::string>& agency_codes);
  Result<std::vector<std::string>> ListExternalRecipients(Id document_id);

  // The text of a file's content (file_texts), kept once per hash: a row
  // is queued as `pending` when the content first arrives and is read
  // later, off the request (services::Core::ReadQueuedFileTexts).
  Status QueueFileText(const std::string& sha256, Timestamp at);
  Result<std::vector<std::string>> PendingFileTexts(int limit);  // oldest first
  // Ends a pending row: `state` is 'read' or the reader's refusal. False
  // if it was no longer pending (read meanwhile by another server).
  Result<bool> SetFileText(const std::string& sha256, const std::string& state,
                           const std::string& text, Timestamp at);
  // 'pending', 'read', a refusal's code, or "" when the content has no row.
  Result<std::string> FileTextState(const std::string& sha256);
  Result<std::string> FileText(const std::string& sha256);  // "" if none (yet)
  // Puts a pending row behind the others (its reading failed; it is tried
  // again after them).
  Status DeferFileText(const std::string& sha256, Timestamp at);
  // The documents that hold this content as an attachment or a version.
  Result<std::vector<Id>> DocumentsWithFile(const std::string& sha256);

  // Puts document `id`'s search entry again, with its text.
  Status Reindex(Id id);

 private:
  friend Result<std::optional<Id>> IndexSome(sql::Connection& c, bool with_text, Id after,
                                             std::int64_t max);
  explicit Store(sql::Connection& c) : c_(c) {}
  // What is said about document `id` beyond its own fields: comments,
  // processing notes, the text of its attachments and current version.
  Result<std::string> TextOf(Id id);
  Status PutEntry(const Document& d, bool fresh);
  Status ReindexIfText(const NamedFile& f);
  Result<bool> LockFileText(const std::string& sha256);

  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::documents
