// Services: construction and the helpers every module's services share
// (audit records, unit scope, the one way to read a document).
#include "services/services.h"

#include <argon2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "core/digest.h"
#include "core/document_flow.h"
#include "lib/text/tokens.h"
#include "modules/audit/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

Status CheckText(std::string_view field, const std::string& value, std::size_t max_chars,
                 bool required) {
  if (required && value.empty()) return Error::Invalid(std::string(field), "required", "Required.");
  if (Utf8Length(value) > max_chars) {
    return Error::Invalid(std::string(field), "too_long",
                          "At most " + std::to_string(max_chars) + " characters.");
  }
  return Ok();
}

Status Core::Audit(store::Tx& tx, const Actor* actor, std::string_view action,
                   std::string_view object_type, std::optional<Id> object_id,
                   const std::string& details_json) {
  audit::AuditEntry e;
  e.at = clock_.Now();
  if (actor) e.actor_id = actor->id;
  e.action = action;
  e.object_type = object_type;
  e.object_id = object_id;
  json::object rec;
  rec["at"] = FormatTimestamp(e.at);
  rec["actor"] = actor ? json::value(actor->id) : json::value(nullptr);
  rec["actor_name"] = actor ? json::value(actor->username) : json::value("system");
  rec["action"] = action;
  rec["object_type"] = object_type;
  rec["object_id"] = object_id ? json::value(*object_id) : json::value(nullptr);
  std::error_code ec;
  json::value details = json::parse(details_json.empty() ? "{}" : details_json, ec);
  rec["details"] = ec ? json::value(details_json) : details;
  e.record = json::serialize(rec);
  CHY_TRY_STATUS(audit::Store(tx).AppendAudit(e));
  return Ok();
}

// ---------------------------------------------------------------- scope

Result<Core::Scope> Core::ScopeOf(store::Tx& tx, const Actor& actor) {
  Scope s;
  CHY_TRY(s.reach, org::Store(tx).UnitsBelow(actor.unit_id));
  return s;
}

Result<Id> Core::IssuingUnitOf(store::Tx& tx, Id unit_id) {
  std::optional<Id> current = unit_id;
  Id last = unit_id;
  for (int depth = 0; current && depth < 64; ++depth) {
    CHY_TRY(Unit u, org::Store(tx).GetUnit(*current));
    if (u.issues_documents) return u.id;
    last = u.id;
    current = u.parent_id;
  }
  return last;  // the root issues when no unit says it does
}

Result<Document> Core::ReadableDocument(store::Tx& tx, const Actor& actor, Id id) {
  auto doc = documents::Store(tx).GetDocument(id);
  if (!doc.ok()) return std::move(doc).error();
  const Error hidden = MakeError(ErrorCode::kNotFound, "Document not found.");
  if (!actor.MayRead(doc->classification)) return hidden;
  if (doc->created_by == actor.id) return doc;
  // The hot path: one walk up the unit tree instead of the whole subtree.
  CHY_TRY(bool within, org::Store(tx).IsWithin(doc->unit_id, actor.unit_id));
  if (within) return doc;
  CHY_TRY(Scope scope, ScopeOf(tx, actor));
  CHY_TRY(auto assignments, documents::Store(tx).ListAssignments(id));
  for (const auto& a : assignments) {
    if (a.lead_user_id == actor.id) return doc;
    if (a.lead_unit_id && scope.Reaches(*a.lead_unit_id)) return doc;
    for (Id u : a.supporting_unit_ids) {
      if (scope.Reaches(u)) return doc;
    }
  }
  return hidden;
}

Status Core::ReadDocument(const Actor& actor, Id id, std::string_view purpose,
                          const DocumentReader& read, const std::string& details_json) {
  // Peek at the classification first: a classified read is itself an event
  // and is written to the audit log in the same transaction as the read.
  bool classified = false;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    classified = d.classification != Classification::kNormal;
    return classified ? Ok() : read(tx, d);
  }));
  if (!classified) return Ok();
  return store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    CHY_TRY_STATUS(read(tx, d));
    std::error_code ec;
    json::value extra = json::parse(details_json.empty() ? "{}" : details_json, ec);
    json::object details = extra.is_object() && !ec ? extra.as_object() : json::object{};
    details["classification"] = ClassificationName(d.classification);
    details["purpose"] = purpose;
    return Audit(tx, &actor, "document.read", "document", id, json::serialize(details));
  });
}

Status Core::QueueFileText(store::Tx& tx, const std::string& sha256, std::string_view bytes) {
  const auto format = extract::FormatOf(bytes);
  if (format != extract::Format::kPdf && format != extract::Format::kDocx) return Ok();
  return documents::Store(tx).QueueFileText(sha256, clock_.Now());
}

// One content: its bytes through the reader, then in one transaction its
// row ended and the entries of the documents holding it put again.
Status Core::ReadFileText(const std::string& sha256) {
  std::string state = "read", body;
  auto info = blobs_.Stat(sha256);
  if (!info.ok() && info.error().code != ErrorCode::kNotFound) return info.error();
  if (!info.ok()) {
    state = "file_unreadable";  // its bytes are gone: nothing to read, ever
  } else {
    CHY_TRY(std::string bytes, blobs_.Read(sha256, 0, info->size));
    const auto format = extract::FormatOf(bytes);
    auto text = format == extract::Format::kPdf || format == extract::Format::kDocx
                    ? text_reader_(bytes)
                    : Result<std::string>(Error::Invalid("file", "file_format", "No text."));
    if (text.ok()) {
      body = text::Nfc(*text);
    } else if (text.error().code == ErrorCode::kInvalidArgument && !text.error().fields.empty()) {
      state = text.error().fields[0].code;
    } else {
      return text.error();
    }
  }
  return store_.Write([&](store::Tx& tx) -> Status {
    documents::Store docs(tx);
    CHY_TRY(bool ended, docs.SetFileText(sha256, state, body, clock_.Now()));
    if (!ended || body.empty()) return Ok();
    CHY_TRY(auto ids, docs.DocumentsWithFile(sha256));
    for (Id id : ids) CHY_TRY_STATUS(docs.Reindex(id));
    return Ok();
  });
}

Result<int> Core::ReadQueuedFileTexts(int max) {
  std::vector<std::string> pending;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(pending, documents::Store(tx).PendingFileTexts(max));
    return Ok();
  }));
  for (const auto& sha256 : pending) {
    const Status read = ReadFileText(sha256);
    if (read.ok()) continue;
    // Behind the others, so that one file that cannot be read now does not
    // hold back the rest.
    LogIfFailed(store_.Write([&](store::Tx& tx) -> Status {
      return documents::Store(tx).DeferFileText(sha256, clock_.Now());
    }),
                "file_text.defer_failed");
    return read.error();
  }
  return static_cast<int>(pending.size());
}

Status Core::ReadFileTextsNow(const std::vector<std::string>& sha256s) {
  std::vector<std::string> pending;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    for (const auto& sha256 : sha256s) {
      CHY_TRY(std::string state, documents::Store(tx).FileTextState(sha256));
      if (state == "pending") pending.push_back(sha256);
    }
    return Ok();
  }));
  for (const auto& sha256 : pending) CHY_TRY_STATUS(ReadFileText(sha256));
  return Ok();
}

}  // namespace chancery::services
