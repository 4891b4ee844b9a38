// Helpers the documents module's files share: limits, cursors, pages,
// applying input to a document. Internal to src/modules/documents.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "core/document_flow.h"
#include "modules/documents/service.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace documents_detail {

constexpr std::size_t kSubjectMax = 500;  // Decree 30, appendix VI
constexpr std::size_t kReasonMax = 1000;  // return to sender
inline Error NoUpload() {
  return Error::Invalid("scan_sha256", "unknown", "Upload the scanned file first.");
}

// How long an upload waits for the document that takes it.
constexpr auto kUploadLifetime = std::chrono::hours(24);

// Documents without a deadline sort after every real date.
const std::string kNoDeadline = "9999-12-31";

// "d<YYYY-MM-DD>.<id>": where a deadline-ordered page ended.
inline Result<std::optional<std::pair<std::string, Id>>> DeadlineCursorArg(
    const std::optional<std::string>& cursor) {
  using Key = std::optional<std::pair<std::string, Id>>;
  if (!cursor || cursor->empty()) return Key{};
  const std::string& c = *cursor;
  Date date;
  const auto dot = c.find('.');
  const std::string day = dot == std::string::npos ? "" : c.substr(1, dot - 1);
  auto id = dot == std::string::npos ? std::nullopt : ParseInt(c.substr(dot + 1));
  if (c.front() != 'd' || !id || *id <= 0 || (day != kNoDeadline && !ParseDate(day, &date))) {
    return Error::Invalid("cursor", "bad_cursor", "Not a cursor this server gave out.");
  }
  return Key{std::pair{day, *id}};
}

inline DocumentPage MakePage(std::vector<Document> docs, int limit) {
  return PageOfRows(std::move(docs), limit);
}

// Applies the fields present in `in` to `d` and validates the result.
inline Status ApplyInput(Document& d, const DocumentInput& in) {
  if (in.type_code) {
    if (!FindDocumentType(*in.type_code)) {
      return Error::Invalid("type_code", "not_allowed_value", "Unknown document type.");
    }
    d.type_code = *in.type_code;
  }
  if (in.subject) d.subject = *in.subject;
  if (in.urgency) d.urgency = *in.urgency;
  if (in.classification) d.classification = *in.classification;
  if (in.legal_normative) d.legal_normative = *in.legal_normative;
  if (in.signer_name) d.signer_name = *in.signer_name;
  if (in.signer_position) d.signer_position = *in.signer_position;
  if (in.page_count) d.page_count = *in.page_count;
  if (in.copies) d.copies = *in.copies;
  if (in.reply_to_id) d.reply_to_id = *in.reply_to_id;
  if (in.replaces_id) d.replaces_id = *in.replaces_id;
  if (in.corrects_id) d.corrects_id = *in.corrects_id;
  if (in.deadline) d.deadline = *in.deadline;
  if (in.notes) d.notes = *in.notes;
  if (in.issuer_name) d.issuer_name = *in.issuer_name;
  if (in.original_number_symbol) d.original_number_symbol = *in.original_number_symbol;
  if (in.original_date) d.original_date = *in.original_date;
  if (in.recipient_unit_ids) d.recipient_unit_ids = *in.recipient_unit_ids;
  if (in.recipient_agency_codes) d.recipient_agency_codes = *in.recipient_agency_codes;
  CHY_TRY_STATUS(CheckText("subject", d.subject, kSubjectMax, true));
  CHY_TRY_STATUS(CheckText("signer_name", d.signer_name, 200, false));
  CHY_TRY_STATUS(CheckText("signer_position", d.signer_position, 200, false));
  CHY_TRY_STATUS(CheckText("issuer_name", d.issuer_name, 300, false));
  CHY_TRY_STATUS(CheckText("original_number_symbol", d.original_number_symbol, 100, false));
  CHY_TRY_STATUS(CheckText("notes", d.notes, 4000, false));
  if (d.legal_normative && d.type_code.empty()) {
    return Error::Invalid("type_code", "required",
                          "A legal-normative document has a type (its series is per type).");
  }
  return Ok();
}

inline json::object DocumentSummary(const Document& d) {
  return {{"state", d.state},
          {"subject", d.subject},
          {"number_symbol", d.number_symbol},
          {"classification", ClassificationName(d.classification)},
          {"version", d.version}};
}

}  // namespace documents_detail

}  // namespace chancery::services
