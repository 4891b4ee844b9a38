#include "modules/documents/schemas.h"

#include "core/model.h"
#include "lib/http/json_schema.h"

namespace chancery::documents {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

namespace {

// DocumentView.
json::value DocumentSchema() {
  return Object(
      {{"id", Integer()},
       {"direction", Enum({std::string(DirectionName(Direction::kOutgoing)),
                           std::string(DirectionName(Direction::kIncoming))})},
       {"state", String("draft, submitted, approved, signed, numbered, sealed, issued, …")},
       {"unit_id", Integer("Drafting unit (outgoing) or receiving unit (incoming).")},
       {"created_by", Nullable(Integer())},
       {"type_code", String("Decree 30 type abbreviation; empty for a công văn.")},
       {"subject", String("Trích yếu")},
       {"urgency", Ref("Urgency")},
       {"classification", Ref("Classification")},
       {"classification_label", String("The classification as stamped: \"Mật\", …; empty.")},
       {"legal_normative", Boolean()},
       {"number", Nullable(Integer())},
       {"number_year", Nullable(Integer())},
       {"series", String("regular, secret, legal:<type>")},
       {"number_symbol", String("Số, ký hiệu: \"15/QĐ-BQP\"")},
       {"issued_date", Nullable(IsoDate())},
       {"book_id", Nullable(Integer("The register book it is entered in."))},
       {"issuer_name", String("Incoming: cơ quan ban hành.")},
       {"original_number_symbol", String()},
       {"original_date", Nullable(IsoDate())},
       {"arrival_number", Nullable(Integer("Số đến"))},
       {"arrival_date", Nullable(IsoDate())},
       {"source_document_id", Nullable(Integer("The outgoing document this is a copy of."))},
       {"signer_name", String()},
       {"signer_position", String()},
       {"page_count", Nullable(Integer())},
       {"copies", Nullable(Integer())},
       {"deadline", Nullable(IsoDate())},
       {"reply_to_id", Nullable(Integer())},
       {"replaces_id", Nullable(Integer())},
       {"corrects_id", Nullable(Integer())},
       {"record_id", Nullable(Integer("Hồ sơ"))},
       {"return_reason", String()},
       {"notes", String()},
       {"created_at", IsoTimestamp()},
       {"updated_at", IsoTimestamp()},
       {"version", Integer("The ETag's version (If-Match: \"v<version>\").")},
       {"recipient_unit_ids", Array(Integer(), "Nơi nhận within this node.")},
       {"recipient_agency_codes", Array(String(), "Nơi nhận in other agencies.")}},
      "A document (văn bản), outgoing or incoming.");
}

// FileView: version_no and note for versions of the draft file only.
json::value FileSchema() {
  return Object({{"id", Integer()},
                 {"sha256", String()},
                 {"file_name", String()},
                 {"content_type", String("Sniffed from the bytes.")},
                 {"size", Integer()},
                 {"created_by", Integer()},
                 {"created_at", IsoTimestamp()},
                 Optional("version_no", Integer("Versions only: 1, 2, …")),
                 Optional("note", String("Versions only."))},
                "A file of a document: an attachment or a version of the draft file.");
}

// Routes::Get.
json::value DocumentDetailSchema(const json::value& document) {
  return Extend(
      document,
      {{"allowed_actions", Array(String(), "What may happen next, for anyone (the flow).")},
       {"assignments", Array(Ref("Assignment"))},
       {"attachments", Array(Ref("File"))},
       {"versions", Array(Ref("File"))},
       {"comments", Array(Ref("TextEntry"))},
       {"processing_notes", Array(Ref("TextEntry"))},
       {"recipients",
        Array(Object({{"unit_id", Integer()}, {"copy_document_id", Nullable(Integer())}}))},
       {"signatures", Array(Ref("DocumentSignature"))}},
      "A document with its files, assignments, comments and signatures.");
}

void SmallSchemas(json::object& out) {
  out["Assignment"] = Object({{"id", Integer()},
                              {"parent_id", Nullable(Integer("Sub-assignment of."))},
                              {"lead_unit_id", Nullable(Integer())},
                              {"lead_user_id", Nullable(Integer())},
                              {"supporting_unit_ids", Array(Integer())},
                              {"deadline", Nullable(IsoDate())},
                              {"directive", String("Ý kiến chỉ đạo")},
                              {"state", Enum({"open", "completed"})},
                              {"assigned_by", Integer()},
                              {"created_at", IsoTimestamp()}});
  out["TextEntry"] = Object({{"id", Integer()},
                             {"user_id", Integer()},
                             {"assignment_id", Nullable(Integer())},
                             {"body", String()},
                             {"created_at", IsoTimestamp()}},
                            "A comment or a processing note.");
  out["DocumentSignature"] = Object(
      {{"id", Integer()},
       {"kind", String("personal, organization, verification, issued")},
       {"sha256", String()},
       {"file_name", String()},
       {"signer", String()},
       {"certificate_serial", String()},
       {"level", String()},
       {"indication", String("TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE; empty for a signing.")},
       {"created_at", IsoTimestamp()},
       {"report", Nullable(Ref("ValidationReport"))}},
      "A signature made on, or checked for, a file of the document.");
  out["DeclassifyChange"] = Object({{"from", Ref("Classification")},
                                    {"to", Ref("Classification")},
                                    {"reason", String()},
                                    {"version", Integer("The document's version it applies to.")}},
                                   "A document.declassify request (giải mật).");
  out["UploadedBlob"] =
      Object({{"sha256", String()}, {"size", Integer()}, {"content_type", String("Sniffed.")}},
             "A file stored for a later registration (name it by sha256).");
  out["DocumentType"] = Object({{"code", String("\"QĐ\"; empty for a công văn.")},
                                {"name_vi", String()},
                                {"name_en", String()}});
  out["Record"] = Object({{"id", Integer()},
                          {"unit_id", Integer()},
                          {"code", String()},
                          {"title", String()},
                          {"year", Integer()}},
                         "A record (hồ sơ).");
  out["RegisterBook"] = Object({{"id", Integer()},
                                {"unit_id", Integer("The unit that holds it now.")},
                                {"original_unit_id", Integer("The unit that opened it.")},
                                {"kind", Enum({"incoming", "outgoing"})},
                                {"year", Integer()}});
}

// Routes::Workload, Holidays, DeadlineOf.
void CalendarSchemas(json::object& out) {
  out["Workload"] = Object({{"today", IsoDate()},
                            {"due_soon_until", IsoDate("The last day that counts as due soon.")},
                            {"units", Array(Object({{"unit_id", Integer()},
                                                    {"name", String()},
                                                    {"open", Integer()},
                                                    {"overdue", Integer()},
                                                    {"due_soon", Integer()}}),
                                            "The unit first, then its direct sub-units.")}},
                           "Open, overdue and due-soon work of a unit and of each sub-unit.");
  out["Holidays"] = Object(
      {{"year", Integer()},
       {"items",
        Array(Object({{"date", IsoDate()}, {"name_vi", String()}, {"name_en", String()}}))}});
  out["Deadline"] =
      Object({{"from", IsoDate()}, {"working_days", Integer()}, {"deadline", IsoDate()}},
             "The date that is `working_days` working days after `from`.");
}

}  // namespace

json::object AnswerSchemas() {
  const json::value document = DocumentSchema();
  json::object out{
      {"Urgency",
       Enum({std::string(UrgencyName(Urgency::kNormal)), std::string(UrgencyName(Urgency::kUrgent)),
             std::string(UrgencyName(Urgency::kVeryUrgent)),
             std::string(UrgencyName(Urgency::kFlash))},
            "Độ khẩn")},
      {"Document", document},
      {"DocumentPage", Page(Ref("Document"))},
      {"DocumentWithActions",
       Extend(document, {{"allowed_actions", Array(String(), "What may happen next.")}},
              "The document after the action.")},
      {"RegisteredDocument",
       Extend(document,
              {{"duplicates", Array(Integer(),
                                    "Documents already registered under the same "
                                    "number/symbol from the same issuer.")}},
              "The incoming document just registered.")},
      {"DocumentDetail", DocumentDetailSchema(document)},
      {"Duplicate", Object({{"id", Integer()},
                            {"arrival_number", Nullable(Integer("Số đến; null until registered"))},
                            {"arrival_date", Nullable(IsoDate())},
                            {"received_at", IsoTimestamp("When it came")},
                            {"state", String()}},
                           "A document already received under the same number/symbol and issuer")},
      {"File", FileSchema()},
  };
  SmallSchemas(out);
  CalendarSchemas(out);
  out["RegisterEntry"] = Extend(
      document,
      {{"signature", Nullable(String("Latest verdict on the entry's signed files: TOTAL_PASSED, "
                                     "TOTAL_FAILED, INDETERMINATE; null: none checked."))}},
      "A document as its register book lists it.");
  out["RegisterBookPage"] =
      Object({{"book", Object({{"id", Integer()},
                               {"kind", Enum({"incoming", "outgoing"})},
                               {"year", Integer()},
                               {"unit_id", Integer()}})},
              {"items", Array(Ref("RegisterEntry"))},
              {"next_cursor", Nullable(String("Pass back as `cursor`; null on the last page."))}},
             "Entries of a register book, in order.");
  return out;
}

}  // namespace chancery::documents
