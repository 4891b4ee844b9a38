// Domain types of an agency node: units, users, documents and their work.
//
// Plain values with no I/O. Names are English; the Vietnamese term is given
// where clerks would look for it. Identifiers are 64-bit database ids; dates
// are civil dates in Vietnam, instants are UTC (core/world.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/world.h"

namespace chancery {

// Roles are a bit set: a person may be both clerk and specialist.
enum Role : std::uint32_t {
  kRoleClerk = 1,       // văn thư
  kRoleSpecialist = 2,  // chuyên viên
  kRoleLeader = 4,      // lãnh đạo / chỉ huy
  kRoleAdmin = 8,       // quản trị
  kRoleSecurity = 16,   // bảo mật
};
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
std::vector<std::string> RoleNames(std::uint32_t roles);

// Độ mật, in increasing order so clearance >= classification means "may read".
enum class Classification { kNormal = 0, kConfidential = 1, kSecret = 2, kTopSecret = 3 };
std::string_view ClassificationName(Classification c);  // "normal", "mat", "toi_mat", "tuyet_mat"
std::string_view ClassificationLabelVi(Classification c);  // "Mật", "Tối mật", ...
std::optional<Classification> ParseClassification(std::string_view name);

// Độ khẩn.
enum class Urgency { kNormal = 0, kUrgent = 1, kVeryUrgent = 2, kFlash = 3 };
std::string_view UrgencyName(Urgency u);  // "normal", "khan", "thuong_khan", "hoa_toc"
std::optional<Urgency> ParseUrgency(std::string_view name);

struct Unit {
  Id id = 0;
  std::string name;
  std::string abbreviation;   // used in symbols: "BQP", "VP"
  std::string agency_code;    // national scheme, e.g. "000.00.01.H08"; may be empty
  std::optional<Id> parent_id;
  bool issues_documents = false;  // has its own seal, clerk and number series
  bool active = true;
  std::optional<Date> retired_on;
  std::optional<Id> successor_id;
  std::int64_t version = 1;
};

struct User {
  Id id = 0;
  std::string username;
  std::string full_name;
  Id unit_id = 0;
  std::string position;  // chức vụ, e.g. "Chánh Văn phòng"
  std::uint32_t roles = 0;
  Classification clearance = Classification::kNormal;
  bool active = true;
  std::string language = "vi";  // of the UI and of messages: "vi", "en" or "fr"
  std::int64_t version = 1;

  bool Has(Role r) const { return (roles & r) != 0; }
  bool MayRead(Classification c) const { return static_cast<int>(clearance) >= static_cast<int>(c); }
};

enum class Direction { kOutgoing, kIncoming };
std::string_view DirectionName(Direction d);

struct DocumentType {
  std::string code;  // "QĐ"; empty for a công văn (official letter)
  std::string name_vi;
  std::string name_en;
};
// The 29 administrative types of Decree 30 plus the công văn; nullptr if unknown.
const DocumentType* FindDocumentType(std::string_view code);
const std::vector<DocumentType>& DocumentTypes();

struct Document {
  Id id = 0;
  Direction direction = Direction::kOutgoing;
  std::string state;
  Id unit_id = 0;              // drafting unit (outgoing) or receiving unit (incoming)
  std::optional<Id> created_by;
  std::string type_code;       // "" for công văn
  std::string subject;         // trích yếu, <= 500 characters
  Urgency urgency = Urgency::kNormal;
  Classification classification = Classification::kNormal;
  bool legal_normative = false;
  // Numbering (outgoing, once numbered).
  std::optional<std::int64_t> number;
  std::optional<int> number_year;
  std::string series;          // "regular", "secret", "legal:QĐ"
  std::string number_symbol;   // "15/QĐ-BQP"
  std::optional<Date> issued_date;
  std::optional<Id> book_id;   // register book the document is entered in
  // Incoming: who sent it and under which number.
  std::string issuer_name;
  std::string original_number_symbol;
  std::optional<Date> original_date;
  std::optional<std::int64_t> arrival_number;
  std::optional<Date> arrival_date;
  std::optional<Id> source_document_id;  // outgoing document this is a copy of
  // Common.
  std::string signer_name;
  std::string signer_position;
  std::optional<int> page_count;
  std::optional<int> copies;
  std::optional<Date> deadline;
  std::optional<Id> reply_to_id;
  std::optional<Id> replaces_id;
  std::optional<Id> corrects_id;  // a correction công văn names the document it corrects
  std::optional<Id> record_id;  // hồ sơ
  std::string return_reason;
  std::string notes;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::int64_t version = 1;
  std::vector<Id> recipient_unit_ids;  // nơi nhận within this node
  std::vector<std::string> recipient_agency_codes;  // nơi nhận in other agencies (their nodes)
};

struct Assignment {
  Id id = 0;
  Id document_id = 0;
  std::optional<Id> parent_id;      // sub-assignment of
  std::optional<Id> lead_unit_id;
  std::optional<Id> lead_user_id;
  std::vector<Id> supporting_unit_ids;
  std::optional<Date> deadline;
  std::string directive;            // ý kiến chỉ đạo
  std::string state;                // "open", "completed"
  Id assigned_by = 0;
  Timestamp created_at{};
  std::optional<Timestamp> completed_at;
};

}  // namespace chancery
