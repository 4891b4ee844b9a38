// Row mapping and SQL-building helpers shared by the modules' store files
// (src/modules/<name>/store.cc). Internal to the store: not for services.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/page.h"
#include "lib/text/fold.h"
#include "store/store.h"

namespace chancery::store::rows {

using sql::Row;
using sql::Value;

inline std::int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(std::int64_t v) { return Timestamp{std::chrono::microseconds{v}}; }

inline Value OptInt(std::optional<std::int64_t> v) { return v ? Value{*v} : Value{nullptr}; }
inline Value OptDate(std::optional<Date> d) { return d ? Value{FormatDate(*d)} : Value{nullptr}; }
inline std::optional<Date> DateOf(const Row& r, std::size_t i) {
  auto s = r.OptText(i);
  Date d;
  if (!s || !ParseDate(*s, &d)) return std::nullopt;
  return d;
}
inline Date DateOr(const Row& r, std::size_t i) { return DateOf(r, i).value_or(Date{}); }

inline std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}
inline std::vector<Id> SplitIds(const std::string& s) {
  std::vector<Id> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (auto id = ParseInt(part)) out.push_back(*id);
  }
  return out;
}

inline Error NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

// Returns the first row or kNotFound.
inline Result<Row> One(Result<sql::Rows> rows, std::string_view what) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return NotFound(what);
  return std::move(rows->rows.front());
}

inline Result<Id> InsertedId(Result<sql::Rows> rows) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return MakeError(ErrorCode::kInternal, "INSERT returned no id.");
  return rows->rows.front().Int(0);
}

// Appends " AND col IN ($n, $n+1, ...)" with the values bound.
template <typename T>
inline void AppendIn(std::string& sql, std::vector<Value>& params, std::string_view column,
                     const std::vector<T>& values) {
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    if (i) sql += ',';
    sql += '$' + std::to_string(params.size());
  }
  sql += ')';
}

// `text` matched literally inside a LIKE pattern with ESCAPE '\'.
inline std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

inline std::string Bind(std::vector<Value>& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

// ---- Units ----
constexpr std::string_view kUnitColumns =
    "id, name, abbreviation, agency_code, parent_id, issues_documents, active, retired_on, "
    "successor_id, version";

inline Unit UnitFromRow(const Row& r) {
  Unit u;
  u.id = r.Int(0);
  u.name = r.Text(1);
  u.abbreviation = r.Text(2);
  u.agency_code = r.Text(3);
  u.parent_id = r.OptInt(4);
  u.issues_documents = r.Int(5) != 0;
  u.active = r.Int(6) != 0;
  u.retired_on = DateOf(r, 7);
  u.successor_id = r.OptInt(8);
  u.version = r.Int(9);
  return u;
}

inline UnitVersion UnitVersionFromRow(const Row& r) {
  return UnitVersion{r.Int(0),  DateOr(r, 1), DateOf(r, 2), r.Text(3),
                     r.Text(4), r.OptInt(5),  r.Int(6) != 0};
}
constexpr std::string_view kUnitVersionColumns =
    "unit_id, valid_from, valid_to, name, abbreviation, parent_id, active";

// ---- Users ----
constexpr std::string_view kUserColumns =
    "id, username, full_name, unit_id, position, roles, clearance, active, version, "
    "password_hash, failed_logins, locked_until, language";

inline StoredUser UserFromRow(const Row& r) {
  StoredUser s;
  s.user.id = r.Int(0);
  s.user.username = r.Text(1);
  s.user.full_name = r.Text(2);
  s.user.unit_id = r.Int(3);
  s.user.position = r.Text(4);
  s.user.roles = static_cast<std::uint32_t>(r.Int(5));
  s.user.clearance = static_cast<Classification>(std::clamp<std::int64_t>(r.Int(6), 0, 3));
  s.user.active = r.Int(7) != 0;
  s.user.version = r.Int(8);
  s.password_hash = r.Text(9);
  s.failed_logins = static_cast<int>(r.Int(10));
  s.locked_until = FromMicros(r.Int(11));
  s.user.language = r.Text(12);
  return s;
}

// ---- Documents ----
constexpr std::string_view kDocumentColumns =
    "id, direction, state, unit_id, created_by, type_code, subject, urgency, classification, "
    "legal_normative, number, number_year, series, number_symbol, issued_date, book_id, "
    "issuer_name, original_number_symbol, original_date, arrival_number, arrival_date, "
    "source_document_id, signer_name, signer_position, page_count, copies, deadline, "
    "reply_to_id, replaces_id, corrects_id, record_id, return_reason, notes, created_at, "
    "updated_at, "
    "version";

inline Document DocumentFromRow(const Row& r) {
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
inline std::vector<Value> DocumentValues(const Document& d) {
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

inline std::string DocumentColumnNamesWithoutId() {
  return std::string(kDocumentColumns.substr(4, kDocumentColumns.rfind(", version") - 4));
}

// Searchable text of a document: subject and numbers, diacritics folded.
inline std::string SearchText(const Document& d) {
  return FoldVietnamese(d.subject + " " + d.number_symbol + " " + d.original_number_symbol + " " +
                        d.issuer_name);
}

constexpr std::string_view kAssignmentColumns =
    "id, document_id, parent_id, lead_unit_id, lead_user_id, supporting_units, deadline, "
    "directive, state, assigned_by, created_at, completed_at";

inline Assignment AssignmentFromRow(const Row& r) {
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

constexpr std::string_view kAuditColumns =
    "seq, at, actor_id, action, object_type, object_id, record, leaf_hash, root_after";

inline AuditEntry AuditFromRow(const Row& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.at = FromMicros(r.Int(1));
  e.actor_id = r.OptInt(2);
  e.action = r.Text(3);
  e.object_type = r.Text(4);
  e.object_id = r.OptInt(5);
  e.record = r.Text(6);
  e.leaf_hash = r.Text(7);
  e.root_after = r.Text(8);
  return e;
}

}  // namespace chancery::store::rows
