#include "core/model.h"

#include <array>

namespace chancery {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {kRoleClerk, "clerk"},
    {kRoleSpecialist, "specialist"},
    {kRoleLeader, "leader"},
    {kRoleAdmin, "administrator"},
    {kRoleSecurity, "security_officer"},
}};
constexpr std::array<std::string_view, 4> kClassificationNames{"normal", "mat", "toi_mat",
                                                               "tuyet_mat"};
constexpr std::array<std::string_view, 4> kClassificationLabels{"Thường", "Mật", "Tối mật",
                                                                "Tuyệt mật"};
constexpr std::array<std::string_view, 4> kUrgencyNames{"normal", "khan", "thuong_khan",
                                                        "hoa_toc"};
}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) return name;
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, n] : kRoles) {
    if (n == name) return role;
  }
  return std::nullopt;
}

std::vector<std::string> RoleNames(std::uint32_t roles) {
  std::vector<std::string> out;
  for (const auto& [role, name] : kRoles) {
    if (roles & role) out.emplace_back(name);
  }
  return out;
}

std::string_view ClassificationName(Classification c) {
  return kClassificationNames[static_cast<int>(c)];
}
std::string_view ClassificationLabelVi(Classification c) {
  return kClassificationLabels[static_cast<int>(c)];
}
std::optional<Classification> ParseClassification(std::string_view name) {
  for (std::size_t i = 0; i < kClassificationNames.size(); ++i) {
    if (kClassificationNames[i] == name) return static_cast<Classification>(i);
  }
  return std::nullopt;
}

std::string_view UrgencyName(Urgency u) { return kUrgencyNames[static_cast<int>(u)]; }
std::optional<Urgency> ParseUrgency(std::string_view name) {
  for (std::size_t i = 0; i < kUrgencyNames.size(); ++i) {
    if (kUrgencyNames[i] == name) return static_cast<Urgency>(i);
  }
  return std::nullopt;
}

std::string_view DirectionName(Direction d) {
  return d == Direction::kOutgoing ? "outgoing" : "incoming";
}

const std::vector<DocumentType>& DocumentTypes() {
  // Decree 30/2020/NĐ-CP, appendix III. Kept in the order of the decree.
  static const std::vector<DocumentType> kTypes{
      {"NQ", "Nghị quyết", "Resolution"},
      {"QĐ", "Quyết định", "Decision"},
      {"CT", "Chỉ thị", "Directive"},
      {"QC", "Quy chế", "Regulation"},
      {"QyĐ", "Quy định", "Rules"},
      {"TC", "Thông cáo", "Communiqué"},
      {"TB", "Thông báo", "Notice"},
      {"HD", "Hướng dẫn", "Guidance"},
      {"CTr", "Chương trình", "Programme"},
      {"KH", "Kế hoạch", "Plan"},
      {"PA", "Phương án", "Option"},
      {"ĐA", "Đề án", "Scheme"},
      {"DA", "Dự án", "Project"},
      {"BC", "Báo cáo", "Report"},
      {"BB", "Biên bản", "Minutes"},
      {"TTr", "Tờ trình", "Submission"},
      {"HĐ", "Hợp đồng", "Contract"},
      {"CĐ", "Công điện", "Telegram"},
      {"BGN", "Bản ghi nhớ", "Memorandum"},
      {"BTT", "Bản thỏa thuận", "Agreement"},
      {"GUQ", "Giấy ủy quyền", "Power of attorney"},
      {"GM", "Giấy mời", "Invitation"},
      {"GGT", "Giấy giới thiệu", "Introduction letter"},
      {"GNP", "Giấy nghỉ phép", "Leave note"},
      {"PG", "Phiếu gửi", "Transmittal slip"},
      {"PC", "Phiếu chuyển", "Dispatch slip"},
      {"PB", "Phiếu báo", "Notification slip"},
      {"SY", "Bản sao y", "True copy"},
      {"TrS", "Bản trích sao", "Extract"},
      {"SL", "Bản sao lục", "Re-copy"},
      {"", "Công văn", "Official letter"},
  };
  return kTypes;
}

const DocumentType* FindDocumentType(std::string_view code) {
  for (const auto& t : DocumentTypes()) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

}  // namespace chancery
