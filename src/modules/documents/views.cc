#include "modules/documents/views.h"

#include <boost/json.hpp>

#include "lib/http/handler_kit.h"
#include "modules/documents/store.h"
#include "modules/signatures/store.h"

namespace chancery::documents {

namespace json = boost::json;
using http::OptDate;
using http::OptId;

json::object DuplicateView(const Document& d) {
  return json::object{
      {"id", d.id},
      {"arrival_number", d.arrival_number ? json::value(*d.arrival_number) : json::value(nullptr)},
      {"arrival_date", OptDate(d.arrival_date)},
      {"received_at", FormatTimestamp(d.created_at)},
      {"state", d.state}};
}

json::object DocumentView(const Document& d) {
  json::object o{
      {"id", d.id},
      {"direction", DirectionName(d.direction)},
      {"state", d.state},
      {"unit_id", d.unit_id},
      {"created_by", OptId(d.created_by)},
      {"type_code", d.type_code},
      {"subject", d.subject},
      {"urgency", UrgencyName(d.urgency)},
      {"classification", ClassificationName(d.classification)},
      {"classification_label", ClassificationLabelVi(d.classification)},
      {"legal_normative", d.legal_normative},
      {"number", d.number ? json::value(*d.number) : json::value(nullptr)},
      {"number_year", d.number_year ? json::value(*d.number_year) : json::value(nullptr)},
      {"series", d.series},
      {"number_symbol", d.number_symbol},
      {"issued_date", OptDate(d.issued_date)},
      {"book_id", OptId(d.book_id)},
      {"issuer_name", d.issuer_name},
      {"original_number_symbol", d.original_number_symbol},
      {"original_date", OptDate(d.original_date)},
      {"arrival_number", d.arrival_number ? json::value(*d.arrival_number) : json::value(nullptr)},
      {"arrival_date", OptDate(d.arrival_date)},
      {"source_document_id", OptId(d.source_document_id)},
      {"signer_name", d.signer_name},
      {"signer_position", d.signer_position},
      {"page_count", d.page_count ? json::value(*d.page_count) : json::value(nullptr)},
      {"copies", d.copies ? json::value(*d.copies) : json::value(nullptr)},
      {"deadline", OptDate(d.deadline)},
      {"reply_to_id", OptId(d.reply_to_id)},
      {"replaces_id", OptId(d.replaces_id)},
      {"corrects_id", OptId(d.corrects_id)},
      {"record_id", OptId(d.record_id)},
      {"return_reason", d.return_reason},
      {"notes", d.notes},
      {"created_at", FormatTimestamp(d.created_at)},
      {"updated_at", FormatTimestamp(d.updated_at)},
      {"version", d.version},
      {"recipient_unit_ids", json::value_from(d.recipient_unit_ids)},
      {"recipient_agency_codes", json::value_from(d.recipient_agency_codes)}};
  return o;
}

json::object FileView(const documents::NamedFile& f) {
  json::object o{{"id", f.id},
                 {"sha256", f.sha256},
                 {"file_name", f.file_name},
                 {"content_type", f.content_type},
                 {"size", f.size},
                 {"created_by", f.created_by},
                 {"created_at", FormatTimestamp(f.created_at)}};
  if (f.version_no) {
    o["version_no"] = f.version_no;
    o["note"] = f.note;
  }
  return o;
}

json::object TextView(const documents::TextEntry& e) {
  return {{"id", e.id},
          {"user_id", e.user_id},
          {"assignment_id", OptId(e.assignment_id)},
          {"body", e.body},
          {"created_at", FormatTimestamp(e.created_at)}};
}

json::object AssignmentView(const Assignment& a) {
  return {{"id", a.id},
          {"parent_id", OptId(a.parent_id)},
          {"lead_unit_id", OptId(a.lead_unit_id)},
          {"lead_user_id", OptId(a.lead_user_id)},
          {"supporting_unit_ids", json::value_from(a.supporting_unit_ids)},
          {"deadline", OptDate(a.deadline)},
          {"directive", a.directive},
          {"state", a.state},
          {"assigned_by", a.assigned_by},
          {"created_at", FormatTimestamp(a.created_at)}};
}

json::object PageView(const services::DocumentPage& p) { return http::PageJson(p, DocumentView); }

json::object SignatureView(const signatures::DocumentSignature& sig) {
  json::object o{{"id", sig.id},
                 {"kind", sig.kind},
                 {"sha256", sig.sha256},
                 {"file_name", sig.file_name},
                 {"signer", sig.signer},
                 {"certificate_serial", sig.certificate_serial},
                 {"level", sig.level},
                 {"indication", sig.indication},
                 {"created_at", FormatTimestamp(sig.created_at)}};
  std::error_code ec;
  o["report"] = sig.report.empty() ? json::value(nullptr) : json::parse(sig.report, ec);
  return o;
}

}  // namespace chancery::documents
