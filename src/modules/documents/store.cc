// Documents, numbering, register books, files, assignments and records: the store's typed
// operations on this module's tables.
#include "modules/documents/store.h"

#include <algorithm>
#include <limits>

#include "modules/search/store.h"
#include "store/rows.h"

namespace chancery::documents {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Row;
using sql::Value;

namespace {

// ---- Documents ----
constexpr std::string_view kDocumentColumns =
    "id, direction, state, unit_id, created_by, type_code, subject, urgency, classification, "
    "legal_normative, number, number_year, series, number_symbol, issued_date, book_id, "
    "issuer_name, original_number_symbol, original_date, arrival_number, arrival_date, "
    "source_document_id, signer_name, signer_position, page_count, copies, deadline, "
    "reply_to_id, replaces_id, corrects_id, record_id, return_reason, notes, created_at, "
    "updated_at, "
    "version";

Document DocumentFromRow(const Row& r) {
  Document d;
  d.id = r.Int(0);
  d.direction = r.Text(1) == "incoming" ? Direction::kIncoming : Direction::kOutgoing;
  d.state = r.Text(2);
  d.unit_id = r.Int(3);
  d.created_by = r.OptInt(4);
  d.type_code = r.Text(5);
  d.subject = r.Text(6);
  d.urgency = static_cast<Urgency>(std::clamp<std::int64_t>(r.Int(7), 0, 3));
  d.classification = static_cast<Classification>(std::clamp<std::int64_t>(r.Int(8), 0, 3));
  d.legal_normative = r.Int(9) != 0;
  d.number = r.OptInt(10);
  if (auto y = r.OptInt(11)) d.number_year = static_cast<int>(*y);
  d.series = r.Text(12);
  d.number_symbol = r.Text(13);
  d.issued_date = DateOf(r, 14);
  d.book_id = r.OptInt(15);
  d.issuer_name = r.Text(16);
  d.original_number_symbol = r.Text(17);
  d.original_date = DateOf(r, 18);
  d.arrival_number = r.OptInt(19);
  d.arrival_date = DateOf(r, 20);
  d.source_document_id = r.OptInt(21);
  d.signer_name = r.Text(22);
  d.signer_position = r.Text(23);
  if (auto v = r.OptInt(24)) d.page_count = static_cast<int>(*v);
  if (auto v = r.OptInt(25)) d.copies = static_cast<int>(*v);
  d.deadline = DateOf(r, 26);
  d.reply_to_id = r.OptInt(27);
  d.replaces_id = r.OptInt(28);
  d.corrects_id = r.OptInt(29);
  d.record_id = r.OptInt(30);
  d.return_reason = r.Text(31);
  d.notes = r.Text(32);
  d.created_at = FromMicros(r.Int(33));
  d.updated_at = FromMicros(r.Int(34));
  d.version = r.Int(35);
  return d;
}

// Values of every column but id, in kDocumentColumns order, for INSERT/UPDATE.
std::vector<Value> DocumentValues(const Document& d) {
  auto opt_int = [](std::optional<int> v) {
    return v ? Value{static_cast<std::int64_t>(*v)} : Value{nullptr};
  };
  return {std::string(DirectionName(d.direction)),
          d.state,
          d.unit_id,
          OptInt(d.created_by),
          d.type_code,
          d.subject,
          static_cast<std::int64_t>(d.urgency),
          static_cast<std::int64_t>(d.classification),
          std::int64_t{d.legal_normative},
          OptInt(d.number),
          opt_int(d.number_year),
          d.series,
          d.number_symbol,
          OptDate(d.issued_date),
          OptInt(d.book_id),
          d.issuer_name,
          d.original_number_symbol,
          OptDate(d.original_date),
          OptInt(d.arrival_number),
          OptDate(d.arrival_date),
          OptInt(d.source_document_id),
          d.signer_name,
          d.signer_position,
          opt_int(d.page_count),
          opt_int(d.copies),
          OptDate(d.deadline),
          OptInt(d.reply_to_id),
          OptInt(d.replaces_id),
          OptInt(d.corrects_id),
          OptInt(d.record_id),
          d.return_reason,
          d.notes,
          Micros(d.created_at),
          Micros(d.updated_at)};
}

std::string DocumentColumnNamesWithoutId() {
  return std::string(kDocumentColumns.substr(4, kDocumentColumns.rfind(", version") - 4));
}

// Searchable text of a document: subject and numbers, diacritics folded.
std::string SearchText(const Document& d) {
  return text::FoldVietnamese(d.subject + " " + d.number_symbol + " " + d.original_number_symbol +
                              " " + d.issuer_name);
}

}  // namespace

search::Entry SearchEntry(const Document& d, const std::string& text) {
  search::Entry e;
  e.kind = "document";
  e.ref_id = d.id;
  e.title = d.subject;
  e.number_symbol = d.number_symbol.empty() ? d.original_number_symbol : d.number_symbol;
  e.context = d.issuer_name + " " + d.signer_name + " " + d.signer_position;
  e.body = text.empty() ? d.notes : d.notes + "\n" + text;
  e.on_date = d.issued_date ? d.issued_date : d.arrival_date;
  if (!e.on_date) e.on_date = VietnamDate(d.created_at);
  e.type = d.type_code;
  e.issuer = d.issuer_name;
  e.state = d.state;
  if (d.book_id) e.tags.push_back("book_" + std::to_string(*d.book_id));
  return e;
}

Result<std::optional<Id>> IndexSome(sql::Connection& c, bool with_text, Id after,
                                    std::int64_t max) {
  Store store(c);
  std::optional<Id> last;
  for (std::int64_t done = 0; done < max;) {
    CHY_TRY(auto rows, c.Query("SELECT " + std::string(kDocumentColumns) +
                                   " FROM documents WHERE id > $1 ORDER BY id LIMIT $2",
                               {after, std::min<std::int64_t>(1000, max - done)}));
    if (rows.rows.empty()) break;
    for (const auto& r : rows.rows) {
      const Document d = DocumentFromRow(r);
      CHY_TRY_STATUS(store.PutEntry(d, !with_text));
      after = d.id;
      last = d.id;
      ++done;
    }
  }
  return last;
}

Status IndexAll(sql::Connection& c, bool with_text) {
  for (Id after = 0;;) {
    CHY_TRY(auto last, IndexSome(c, with_text, after, std::numeric_limits<std::int64_t>::max()));
    if (!last) return Ok();
    after = *last;
  }
}

Result<std::optional<Id>> IndexDocumentsAfter(sql::Connection& c, Id after, int max) {
  CHY_TRY(auto rows, c.Query("SELECT MAX(id) FROM (SELECT id FROM documents WHERE id > $1 "
                             "ORDER BY id LIMIT $2) batch",
                             {after, static_cast<std::int64_t>(max)}));
  const std::optional<Id> last = rows.rows.at(0).OptInt(0);
  if (!last) return std::optional<Id>{};
  search::Index index(c);
  CHY_TRY_STATUS(index.BeginBulk("document", after, *last));
  CHY_TRY(auto indexed, IndexSome(c, true, after, max));
  CHY_TRY_STATUS(index.EndBulk("document", after, *last));
  return indexed;
}

Status IndexAllDocuments(sql::Connection& c) { return IndexAll(c, true); }
Status IndexAllDocumentsWithoutText(sql::Connection& c) { return IndexAll(c, false); }

search::ReadRule ReadableBy(const Reader& reader, std::vector<Value>& params) {
  search::ReadRule rule;
  rule.join = "LEFT JOIN documents d ON e.kind = 'document' AND d.id = e.ref_id";
  rule.unit = "d.unit_id";
  rule.classification = "d.classification";
  const std::string me = Bind(params, reader.user_id);
  std::string units = "d.unit_id IN (";
  std::string lead_units = "a.lead_unit_id IN (";
  for (std::size_t i = 0; i < reader.reach.size(); ++i) {
    const std::string p = Bind(params, reader.reach[i]);
    units += (i ? ", " : "") + p;
    lead_units += (i ? ", " : "") + p;
  }
  if (reader.reach.empty()) {
    units = "1 = 0";
    lead_units = "1 = 0";
  } else {
    units += ")";
    lead_units += ")";
  }
  rule.readable = "d.id IS NOT NULL AND d.classification <= " +
                  Bind(params, static_cast<std::int64_t>(reader.clearance)) +
                  " AND (d.created_by = " + me + " OR " + units +
                  " OR EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id AND "
                  "(a.lead_user_id = " +
                  me + " OR " + lead_units + ")))";
  return rule;
}

namespace {

constexpr std::string_view kAssignmentColumns =
    "id, document_id, parent_id, lead_unit_id, lead_user_id, supporting_units, deadline, "
    "directive, state, assigned_by, created_at, completed_at";

Assignment AssignmentFromRow(const Row& r) {
  Assignment a;
  a.id = r.Int(0);
  a.document_id = r.Int(1);
  a.parent_id = r.OptInt(2);
  a.lead_unit_id = r.OptInt(3);
  a.lead_user_id = r.OptInt(4);
  a.supporting_unit_ids = SplitIds(r.Text(5));
  a.deadline = DateOf(r, 6);
  a.directive = r.Text(7);
  a.state = r.Text(8);
  a.assigned_by = r.Int(9);
  a.created_at = FromMicros(r.Int(10));
  if (auto c = r.OptInt(11)) a.completed_at = FromMicros(*c);
  return a;
}

}  // namespace

// ======================= Documents =======================

Result<Id> Store::InsertDocument(const Document& d) {
  std::vector<Value> params = DocumentValues(d);
  params.emplace_back(SearchText(d));
  std::string placeholders;
  for (std::size_t i = 1; i <= params.size(); ++i) {
    if (i > 1) placeholders += ", ";
    placeholders += '$' + std::to_string(i);
  }
  CHY_TRY(Id id,
          InsertedId(c_.Query("INSERT INTO documents(" + DocumentColumnNamesWithoutId() +
                                  ", subject_fold) VALUES (" + placeholders + ") RETURNING id",
                              params)));
  Document stored = d;
  stored.id = id;
  CHY_TRY_STATUS(PutEntry(stored, true));
  return id;
}

Result<Document> Store::GetDocument(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE id = $1",
                       {id}),
              "Document"));
  Document d = DocumentFromRow(r);
  CHY_TRY(auto recipients, ListRecipients(id));
  for (const auto& rc : recipients) d.recipient_unit_ids.push_back(rc.unit_id);
  CHY_TRY(d.recipient_agency_codes, ListExternalRecipients(id));
  return d;
}

Status Store::UpdateDocument(const Document& d) {
  std::vector<Value> params = DocumentValues(d);
  std::string sets;
  std::size_t i = 0;
  std::string names = DocumentColumnNamesWithoutId();
  std::stringstream in(names);
  std::string name;
  while (std::getline(in, name, ',')) {
    name.erase(0, name.find_first_not_of(' '));
    if (!sets.empty()) sets += ", ";
    sets += name + " = $" + std::to_string(++i);
  }
  params.emplace_back(SearchText(d));
  sets += ", subject_fold = $" + std::to_string(++i);
  params.emplace_back(d.id);
  params.emplace_back(d.version);
  CHY_TRY(auto rows,
          c_.Query("UPDATE documents SET " + sets +
                       ", version = version + 1 WHERE id "
                       "= $" +
                       std::to_string(i + 1) + " AND version = $" + std::to_string(i + 2),
                   params));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetDocument(d.id));
    return MakeError(ErrorCode::kPreconditionFailed,
                     "The document was changed by someone else; reload it and try again.");
  }
  return PutEntry(d, false);
}

Result<std::string> Store::TextOf(Id id) {
  CHY_TRY(auto rows,
          c_.Query("SELECT body FROM comments WHERE document_id = $1 "
                   "UNION ALL SELECT body FROM notes WHERE document_id = $1 "
                   "UNION ALL SELECT t.text FROM attachments a JOIN file_texts t ON t.sha256 = "
                   "a.sha256 WHERE a.document_id = $1 "
                   "UNION ALL SELECT t.text FROM document_versions v JOIN file_texts t ON "
                   "t.sha256 = v.sha256 WHERE v.document_id = $1 AND v.version_no = (SELECT "
                   "MAX(version_no) FROM document_versions WHERE document_id = $1)",
                   {id}));
  std::string out;
  for (const auto& r : rows.rows) {
    const std::string& piece = r.Text(0);
    if (piece.empty()) continue;
    if (!out.empty()) out += '\n';
    if (out.size() + piece.size() > kMaxIndexedText) {
      std::size_t keep = kMaxIndexedText > out.size() ? kMaxIndexedText - out.size() : 0;
      while (keep > 0 && (static_cast<unsigned char>(piece[keep]) & 0xC0) == 0x80) --keep;
      out.append(piece, 0, keep);
      break;
    }
    out += piece;
  }
  return out;
}

// A fresh document has nothing said about it yet: no query for its text.
Status Store::PutEntry(const Document& d, bool fresh) {
  std::string text;
  if (!fresh) {
    CHY_TRY(text, TextOf(d.id));
  }
  return search::Index(c_).Put(SearchEntry(d, text));
}

Status Store::Reindex(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE id = $1",
                       {id}),
              "Document"));
  return PutEntry(DocumentFromRow(r), false);
}

Status Store::QueueFileText(const std::string& sha256, Timestamp at) {
  return c_.Exec(
      "INSERT INTO file_texts(sha256, state, text, read_at) VALUES ($1, 'pending', '', $2) "
      "ON CONFLICT (sha256) DO NOTHING",
      {sha256, Micros(at)});
}

Result<std::vector<std::string>> Store::PendingFileTexts(int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT sha256 FROM file_texts WHERE state = 'pending' "
                              "ORDER BY read_at, sha256 LIMIT $1",
                              {static_cast<std::int64_t>(limit)}));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.Text(0));
  return out;
}

Result<bool> Store::SetFileText(const std::string& sha256, const std::string& state,
                                const std::string& text, Timestamp at) {
  CHY_TRY(auto rows, c_.Query("UPDATE file_texts SET state = $2, text = $3, read_at = $4 "
                              "WHERE sha256 = $1 AND state = 'pending'",
                              {sha256, state, text, Micros(at)}));
  return rows.affected == 1;
}

Result<std::vector<Id>> Store::DocumentsWithFile(const std::string& sha256) {
  CHY_TRY(auto rows, c_.Query("SELECT document_id FROM attachments WHERE sha256 = $1 "
                              "UNION SELECT document_id FROM document_versions WHERE sha256 = $1",
                              {sha256}));
  std::vector<Id> out;
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  std::sort(out.begin(), out.end());
  return out;
}

// The content's row in file_texts, read before a document's entry is put
// with its text. On PostgreSQL it is read FOR SHARE: a reader ending that
// row at the same moment (SetFileText, then DocumentsWithFile in its
// transaction) either waits for this transaction, and then sees this file,
// or committed first, and this read sees its text. The row must exist
// already, so the file is queued (QueueFileText) before it is attached.
// True when the content has text.
Result<bool> Store::LockFileText(const std::string& sha256) {
  const char* lock = c_.dialect() == sql::Dialect::kPostgres ? " FOR SHARE" : "";
  CHY_TRY(auto rows, c_.Query("SELECT CASE WHEN text <> '' THEN 1 ELSE 0 END FROM file_texts "
                              "WHERE sha256 = $1" +
                                  std::string(lock),
                              {sha256}));
  return !rows.rows.empty() && rows.rows[0].Int(0) != 0;
}

// A file without text (a scan, an image, one not read yet) changes nothing
// the index holds: the entry is put again only for one with text.
Status Store::ReindexIfText(const NamedFile& f) {
  CHY_TRY(bool text, LockFileText(f.sha256));
  return text ? Reindex(f.document_id) : Ok();
}

Status Store::DeferFileText(const std::string& sha256, Timestamp at) {
  return c_.Exec("UPDATE file_texts SET read_at = $2 WHERE sha256 = $1 AND state = 'pending'",
                 {sha256, Micros(at)});
}

Result<std::string> Store::FileText(const std::string& sha256) {
  CHY_TRY(auto rows, c_.Query("SELECT text FROM file_texts WHERE sha256 = $1", {sha256}));
  return rows.rows.empty() ? std::string() : rows.rows[0].Text(0);
}

Result<std::string> Store::FileTextState(const std::string& sha256) {
  CHY_TRY(auto rows, c_.Query("SELECT state FROM file_texts WHERE sha256 = $1", {sha256}));
  return rows.rows.empty() ? std::string() : rows.rows[0].Text(0);
}

namespace {

// The WHERE clause of a document query, without keyset or order: the same
// for a page of documents and for their count.
std::string DocumentFilter(const DocumentQuery& q, sql::Dialect dialect,
                           std::vector<Value>& params) {
  std::string sql = " FROM documents d WHERE d.classification <= " +
                    Bind(params, static_cast<std::int64_t>(q.max_classification));
  if (q.direction) {
    sql += " AND d.direction = " + Bind(params, std::string(DirectionName(*q.direction)));
  }
  if (!q.unit_ids.empty()) AppendIn(sql, params, "d.unit_id", q.unit_ids);
  if (!q.states.empty()) AppendIn(sql, params, "d.state", q.states);
  if (q.book_id) sql += " AND d.book_id = " + Bind(params, *q.book_id);
  if (q.reply_to_id) sql += " AND d.reply_to_id = " + Bind(params, *q.reply_to_id);
  if (q.assigned_user_id || q.assigned_unit_id) {
    // Driven from the assignments index (a person has thousands of open
    // assignments at most), not by probing every document: at 1 M documents
    // an EXISTS here made the deadline-ordered inbox scan the whole table.
    sql += " AND d.id IN (SELECT a.document_id FROM assignments a WHERE a.state = 'open'";
    if (q.assigned_user_id) sql += " AND a.lead_user_id = " + Bind(params, *q.assigned_user_id);
    if (q.assigned_unit_id) sql += " AND a.lead_unit_id = " + Bind(params, *q.assigned_unit_id);
    sql += ")";
  }
  if (q.deadline_before) {
    sql += " AND d.deadline < " + Bind(params, FormatDate(*q.deadline_before));
  }
  if (q.deadline_until) {
    sql += " AND d.deadline <= " + Bind(params, FormatDate(*q.deadline_until));
  }
  if (!q.text.empty()) {
    // Through the search index: every word, the last one as typed.
    // A register book's filter: the engine keeps that book's entries only.
    std::vector<std::string> narrow;
    if (q.book_id) narrow.push_back("book_" + std::to_string(*q.book_id));
    sql += " AND " + search::Index::Matching(dialect, "document", q.text, "d.id", params, narrow);
  }
  // The day a document entered the books (arrival or issue); a draft's is
  // the Vietnam day it was made on.
  constexpr std::string_view kEntered = "COALESCE(d.arrival_date, d.issued_date)";
  if (q.entered_from) {
    sql += " AND (CASE WHEN " + std::string(kEntered) + " IS NULL THEN d.created_at >= " +
           Bind(params, Micros(VietnamDayStart(*q.entered_from))) + " ELSE " +
           std::string(kEntered) + " >= " + Bind(params, FormatDate(*q.entered_from)) + " END)";
  }
  if (q.entered_to) {
    sql += " AND (CASE WHEN " + std::string(kEntered) + " IS NULL THEN d.created_at < " +
           Bind(params, Micros(VietnamDayStart(*q.entered_to + std::chrono::days{1}))) + " ELSE " +
           std::string(kEntered) + " <= " + Bind(params, FormatDate(*q.entered_to)) + " END)";
  }
  if (q.type_code) sql += " AND d.type_code = " + Bind(params, *q.type_code);
  if (q.urgency) sql += " AND d.urgency = " + Bind(params, static_cast<std::int64_t>(*q.urgency));
  return sql;
}

}  // namespace

Result<std::vector<Document>> Store::ListDocuments(const DocumentQuery& q) {
  std::vector<Value> params;
  std::string cols;
  {
    // Qualify every column with the table alias (joins below share names).
    std::stringstream in{std::string(kDocumentColumns)};
    std::string name;
    while (std::getline(in, name, ',')) {
      name.erase(0, name.find_first_not_of(' '));
      if (!cols.empty()) cols += ", ";
      cols += "d." + name;
    }
  }
  std::string sql = "SELECT " + cols + DocumentFilter(q, c_.dialect(), params);
  if (q.by_deadline) {
    constexpr std::string_view kKey = "COALESCE(d.deadline, '9999-12-31')";
    if (q.after_deadline) {
      const std::string date = Bind(params, q.after_deadline->first);
      sql += " AND (" + std::string(kKey) + " > " + date + " OR (" + std::string(kKey) + " = " +
             Bind(params, q.after_deadline->first) + " AND d.id > " +
             Bind(params, q.after_deadline->second) + "))";
    }
    sql += " ORDER BY " + std::string(kKey) + ", d.id";
  } else {
    if (q.before_id) {
      sql += (q.ascending ? " AND d.id > " : " AND d.id < ") + Bind(params, *q.before_id);
    }
    sql += q.ascending ? " ORDER BY d.id ASC" : " ORDER BY d.id DESC";
  }
  sql += " LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 500)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<Document> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(DocumentFromRow(r));
  return out;
}

Result<std::int64_t> Store::CountDocuments(const DocumentQuery& q) {
  std::vector<Value> params;
  const std::string sql = "SELECT COUNT(*)" + DocumentFilter(q, c_.dialect(), params);
  CHY_TRY(auto rows, c_.Query(sql, params));
  return rows.rows.empty() ? 0 : rows.rows[0].Int(0);
}

Result<std::vector<DeadlineCount>> Store::CountOpenWork(const std::vector<Id>& unit_ids, Date today,
                                                        Date until, Classification max) {
  std::vector<DeadlineCount> out;
  if (unit_ids.empty()) return out;
  std::vector<Value> params;
  const std::string t = Bind(params, FormatDate(today));
  const std::string u = Bind(params, FormatDate(until));
  // The counters of 002_open_work.sql: a few rows per unit (one per
  // classification and deadline day); '' is "no deadline".
  std::string sql = "SELECT unit_id, SUM(n), SUM(CASE WHEN deadline <> '' AND deadline < " + t +
                    " THEN n ELSE 0 END), SUM(CASE WHEN deadline >= " + t +
                    " AND deadline <= " + u +
                    " THEN n ELSE 0 END) FROM open_work WHERE classification <= " +
                    Bind(params, static_cast<std::int64_t>(max));
  AppendIn(sql, params, "unit_id", unit_ids);
  sql += " GROUP BY unit_id HAVING SUM(n) > 0";
  CHY_TRY(auto rows, c_.Query(sql, params));
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  }
  return out;
}

Result<std::vector<Id>> Store::FindDuplicates(const std::string& number_symbol,
                                              const std::string& issuer_name, Id exclude_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id FROM documents WHERE direction = 'incoming' AND "
                              "original_number_symbol = $1 AND issuer_name = $2 AND id <> $3 "
                              "ORDER BY id LIMIT 20",
                              {number_symbol, issuer_name, exclude_id}));
  std::vector<Id> out;
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<std::int64_t> Store::NextNumber(Id issuing_unit_id, int year, const std::string& series) {
  CHY_TRY_STATUS(c_.Exec(
      "INSERT INTO number_series(unit_id, year, series, last_number) VALUES ($1, $2, $3, 0) "
      "ON CONFLICT (unit_id, year, series) DO NOTHING",
      {issuing_unit_id, std::int64_t{year}, series}));
  // The UPDATE takes the row lock (PostgreSQL) or runs under the database
  // write lock (SQLite): concurrent registrations queue here.
  CHY_TRY(Row r, One(c_.Query("UPDATE number_series SET last_number = last_number + 1 WHERE "
                              "unit_id = $1 AND year = $2 AND series = $3 RETURNING last_number",
                              {issuing_unit_id, std::int64_t{year}, series}),
                     "Number series"));
  return r.Int(0);
}

Result<RegisterBook> Store::GetOrCreateBook(Id unit_id, const std::string& kind, int year) {
  CHY_TRY_STATUS(c_.Exec(
      "INSERT INTO register_books(unit_id, original_unit_id, kind, year) VALUES ($1, $1, $2, $3) "
      "ON CONFLICT (original_unit_id, kind, year) DO NOTHING",
      {unit_id, kind, std::int64_t{year}}));
  CHY_TRY(Row r, One(c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE original_unit_id = $1 AND kind = $2 AND "
                              "year = $3",
                              {unit_id, kind, std::int64_t{year}}),
                     "Register book"));
  return RegisterBook{r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<RegisterBook> Store::GetBook(Id book_id) {
  CHY_TRY(Row r, One(c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE id = $1",
                              {book_id}),
                     "Register book"));
  return RegisterBook{r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<std::vector<RegisterBook>> Store::ListBooks(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE unit_id = $1 ORDER BY year DESC, kind",
                              {unit_id}));
  std::vector<RegisterBook> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))});
  }
  return out;
}

Status Store::InsertRecipient(Id document_id, const Recipient& r) {
  return c_.Exec(
      "INSERT INTO document_recipients(document_id, unit_id, copy_document_id) VALUES ($1, $2, "
      "$3) ON CONFLICT (document_id, unit_id) DO UPDATE SET copy_document_id = "
      "excluded.copy_document_id",
      {document_id, r.unit_id, OptInt(r.copy_document_id)});
}

Result<std::vector<Recipient>> Store::ListRecipients(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT unit_id, copy_document_id FROM document_recipients WHERE "
                              "document_id = $1 ORDER BY unit_id",
                              {document_id}));
  std::vector<Recipient> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.OptInt(1)});
  return out;
}

Status Store::FillRecipients(std::vector<Document>& docs) {
  if (docs.empty()) return Ok();
  std::unordered_map<Id, Document*> by_id;
  std::vector<Id> ids;
  for (auto& d : docs) {
    by_id[d.id] = &d;
    ids.push_back(d.id);
    d.recipient_unit_ids.clear();
    d.recipient_agency_codes.clear();
  }
  for (const bool external : {false, true}) {
    std::string sql = external
                          ? "SELECT document_id, agency_code FROM external_recipients WHERE 1=1"
                          : "SELECT document_id, unit_id FROM document_recipients WHERE 1=1";
    std::vector<Value> params;
    AppendIn(sql, params, "document_id", ids);
    sql += external ? " ORDER BY document_id, agency_code" : " ORDER BY document_id, unit_id";
    CHY_TRY(auto rows, c_.Query(sql, params));
    for (const auto& r : rows.rows) {
      Document& d = *by_id.at(r.Int(0));
      if (external) {
        d.recipient_agency_codes.push_back(r.Text(1));
      } else {
        d.recipient_unit_ids.push_back(r.Int(1));
      }
    }
  }
  return Ok();
}

Result<Id> Store::InsertVersion(const NamedFile& f, Timestamp now) {
  CHY_TRY(Id id,
          InsertedId(c_.Query(
              "INSERT INTO document_versions(document_id, version_no, sha256, file_name, note, "
              "created_by, created_at) VALUES ($1, (SELECT COALESCE(MAX(version_no), 0) + 1 FROM "
              "document_versions WHERE document_id = $1), $2, $3, $4, $5, $6) RETURNING id",
              {f.document_id, f.sha256, f.file_name, f.note, f.created_by, Micros(now)})));
  CHY_TRY(bool text, LockFileText(f.sha256));
  (void)text;  // a version is the document's text: its entry is put again either way
  CHY_TRY_STATUS(Reindex(f.document_id));
  return id;
}

Result<std::vector<NamedFile>> Store::ListVersions(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, sha256, file_name, version_no, note, "
                              "created_by, created_at FROM document_versions WHERE document_id "
                              "= $1 ORDER BY version_no",
                              {document_id}));
  std::vector<NamedFile> out;
  for (const auto& r : rows.rows) {
    NamedFile f;
    f.id = r.Int(0);
    f.document_id = r.Int(1);
    f.sha256 = r.Text(2);
    f.file_name = r.Text(3);
    f.version_no = static_cast<int>(r.Int(4));
    f.note = r.Text(5);
    f.created_by = r.Int(6);
    f.created_at = FromMicros(r.Int(7));
    out.push_back(std::move(f));
  }
  return out;
}

Result<Id> Store::InsertAttachment(const NamedFile& f, Timestamp now) {
  CHY_TRY(Id id, InsertedId(c_.Query(
                     "INSERT INTO attachments(document_id, sha256, file_name, content_type, size, "
                     "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {f.document_id, f.sha256, f.file_name, f.content_type, f.size, f.created_by,
                      Micros(now)})));
  CHY_TRY_STATUS(ReindexIfText(f));
  return id;
}

Result<std::vector<NamedFile>> Store::ListAttachments(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, sha256, file_name, content_type, size, "
                              "created_by, created_at FROM attachments WHERE document_id = $1 "
                              "ORDER BY id",
                              {document_id}));
  std::vector<NamedFile> out;
  for (const auto& r : rows.rows) {
    NamedFile f;
    f.id = r.Int(0);
    f.document_id = r.Int(1);
    f.sha256 = r.Text(2);
    f.file_name = r.Text(3);
    f.content_type = r.Text(4);
    f.size = r.Int(5);
    f.created_by = r.Int(6);
    f.created_at = FromMicros(r.Int(7));
    out.push_back(std::move(f));
  }
  return out;
}

namespace {
Result<std::vector<TextEntry>> ListText(sql::Connection& c, std::string_view table, Id doc) {
  const bool notes = table == "notes";
  CHY_TRY(auto rows,
          c.Query(std::string("SELECT id, document_id, ") + (notes ? "assignment_id" : "NULL") +
                      ", user_id, body, created_at FROM " + std::string(table) +
                      " WHERE document_id = $1 ORDER BY id",
                  {doc}));
  std::vector<TextEntry> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.OptInt(2), r.Int(3), r.Text(4), FromMicros(r.Int(5))});
  }
  return out;
}
}  // namespace

Result<Id> Store::InsertComment(const TextEntry& e) {
  CHY_TRY(Id id, InsertedId(c_.Query("INSERT INTO comments(document_id, user_id, body, "
                                     "created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                                     {e.document_id, e.user_id, e.body, Micros(e.created_at)})));
  CHY_TRY_STATUS(Reindex(e.document_id));
  return id;
}
Result<std::vector<TextEntry>> Store::ListComments(Id document_id) {
  return ListText(c_, "comments", document_id);
}
Result<Id> Store::InsertNote(const TextEntry& e) {
  CHY_TRY(Id id,
          InsertedId(c_.Query(
              "INSERT INTO notes(document_id, assignment_id, user_id, body, created_at) "
              "VALUES ($1, $2, $3, $4, $5) RETURNING id",
              {e.document_id, OptInt(e.assignment_id), e.user_id, e.body, Micros(e.created_at)})));
  CHY_TRY_STATUS(Reindex(e.document_id));
  return id;
}
Result<std::vector<TextEntry>> Store::ListNotes(Id document_id) {
  return ListText(c_, "notes", document_id);
}

Result<Id> Store::InsertAssignment(const Assignment& a) {
  return InsertedId(c_.Query(
      "INSERT INTO assignments(document_id, parent_id, lead_unit_id, lead_user_id, "
      "supporting_units, deadline, directive, state, assigned_by, created_at) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {a.document_id, OptInt(a.parent_id), OptInt(a.lead_unit_id), OptInt(a.lead_user_id),
       JoinIds(a.supporting_unit_ids), OptDate(a.deadline), a.directive, a.state, a.assigned_by,
       Micros(a.created_at)}));
}

Result<Assignment> Store::GetAssignment(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kAssignmentColumns) +
                                  " FROM assignments WHERE id = $1",
                              {id}),
                     "Assignment"));
  return AssignmentFromRow(r);
}

Result<std::vector<Assignment>> Store::ListAssignments(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kAssignmentColumns) +
                                  " FROM assignments WHERE document_id = $1 ORDER BY id",
                              {document_id}));
  std::vector<Assignment> out;
  for (const auto& r : rows.rows) out.push_back(AssignmentFromRow(r));
  return out;
}

Status Store::CompleteAssignments(Id document_id, Timestamp at) {
  return c_.Exec(
      "UPDATE assignments SET state = 'completed', completed_at = $1 WHERE "
      "document_id = $2 AND state = 'open'",
      {Micros(at), document_id});
}

Result<Id> Store::InsertRecord(const RecordFile& r, Timestamp now) {
  return InsertedId(c_.Query(
      "INSERT INTO records(unit_id, code, title, year, created_at) VALUES ($1, $2, $3, $4, $5) "
      "RETURNING id",
      {r.unit_id, r.code, r.title, std::int64_t{r.year}, Micros(now)}));
}

Result<RecordFile> Store::GetRecord(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT id, unit_id, code, title, year FROM records WHERE id = $1", {id}),
              "Record"));
  return RecordFile{r.Int(0), r.Int(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<std::vector<RecordFile>> Store::ListRecords(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, unit_id, code, title, year FROM records WHERE unit_id "
                              "= $1 ORDER BY year DESC, code",
                              {unit_id}));
  std::vector<RecordFile> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4))});
  }
  return out;
}

// Recipients in other agencies (peers of the exchange, by agency code).
Status Store::SetExternalRecipients(Id document_id, const std::vector<std::string>& agency_codes) {
  CHY_TRY_STATUS(c_.Exec("DELETE FROM external_recipients WHERE document_id = $1", {document_id}));
  for (const auto& code : agency_codes) {
    CHY_TRY_STATUS(
        c_.Exec("INSERT INTO external_recipients(document_id, agency_code) VALUES ($1, $2) "
                "ON CONFLICT DO NOTHING",
                {document_id, code}));
  }
  return Ok();
}

Result<std::vector<std::string>> Store::ListExternalRecipients(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT agency_code FROM external_recipients WHERE document_id = $1 "
                              "ORDER BY agency_code",
                              {document_id}));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.Text(0));
  return out;
}

}  // namespace chancery::documents
