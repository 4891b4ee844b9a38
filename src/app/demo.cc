#include "app/demo.h"

#include <iostream>

#include "lib/pki/pades.h"
#include "modules/documents/store.h"

namespace chancery::cli {

namespace {

constexpr const char* kPassword = "Chancery@2026";
constexpr const char* kSigningPin = "123456";  // thutruong's signing PIN in the demo

// Builds the demo through the services, one step after the other; each step
// uses the units and people the steps before it made.
class DemoBuilder {
 public:
  explicit DemoBuilder(Node& node) : node_(node) {}

  Status CreateRootUnit();
  Status CreateUnits();
  Status CreatePeople();
  // False (and a note on stderr) when the node cannot sign: no key secret.
  Result<bool> CreateSignatures();
  // Outgoing documents, one per state; d4, the signed one, answers an
  // incoming document later.
  Status CreateOutgoing(bool signing);
  Status CreateIncoming();

 private:
  Result<Id> MakeUnit(const char* name, const char* abbr, Id parent, bool issues,
                      const char* code = "");
  Result<User> MakePerson(const char* username, const char* name, Id unit_id, const char* position,
                          std::uint32_t roles, Classification clearance);
  Result<Id> Draft(const User& who, const char* type, const char* subject,
                   std::vector<Id> recipients, Classification c = Classification::kNormal,
                   Urgency u = Urgency::kNormal);
  Status Act(const User& who, Id id, const char* action, services::ActionInput in = {});
  // Runs `steps` on document `id`, each by its person; "sign" with the PIN.
  Status Run(Id id, std::initializer_list<std::pair<const User*, const char*>> steps);
  Result<Id> Incoming(const char* issuer, const char* number, const char* subject,
                      Urgency u = Urgency::kNormal);

  Node& node_;
  User op_;
  Id root_ = 0, vp_ = 0, tc_ = 0, tcct_ = 0, th_ = 0, cntt_ = 0, pkt_ = 0, pht_ = 0;
  User admin_, clerk_, spec_, leader_, security_, clerk2_;
  Id reply_ = 0;  // d4
};

Status DemoBuilder::CreateRootUnit() {
  // The top unit, made by the node's console as `chancery init --agency` makes it.
  services::UnitInput in;
  in.name = "Bộ Quốc phòng";
  in.abbreviation = "BQP";
  in.agency_code = "000.00.00.G12";
  in.issues_documents = true;
  in.effective_date = Date{std::chrono::sys_days{std::chrono::year{2020} / 1 / 1}};
  CHY_TRY(Unit root, node_.org().CreateUnit(services::ConsoleOperator(), in));
  root_ = root.id;
  op_ = services::ConsoleOperator(root_);
  return Ok();
}

Result<Id> DemoBuilder::MakeUnit(const char* name, const char* abbr, Id parent, bool issues,
                                 const char* code) {
  services::UnitInput in;
  in.name = name;
  in.abbreviation = abbr;
  in.parent_id = parent;
  in.issues_documents = issues;
  in.agency_code = code;
  CHY_TRY(Unit u, node_.org().CreateUnit(op_, in));
  return u.id;
}

Status DemoBuilder::CreateUnits() {
  CHY_TRY(vp_, MakeUnit("Văn phòng Bộ Quốc phòng", "VP", root_, false));
  CHY_TRY(tc_, MakeUnit("Cục Tác chiến", "TC", root_, false));
  CHY_TRY(tcct_, MakeUnit("Tổng cục Chính trị", "TCCT", root_, true, "000.00.01.G12"));
  CHY_TRY(th_, MakeUnit("Cục Tuyên huấn", "TH", tcct_, false));
  CHY_TRY(cntt_, MakeUnit("Cục Công nghệ thông tin", "CNTT", root_, true, "000.00.02.G12"));
  CHY_TRY(pkt_, MakeUnit("Phòng Kỹ thuật", "PKT", cntt_, false));
  CHY_TRY(pht_, MakeUnit("Phòng Hạ tầng", "PHT", cntt_, false));
  return Ok();
}

Result<User> DemoBuilder::MakePerson(const char* username, const char* name, Id unit_id,
                                     const char* position, std::uint32_t roles,
                                     Classification clearance) {
  services::UserInput in;
  in.username = username;
  in.full_name = name;
  in.unit_id = unit_id;
  in.position = position;
  in.roles = roles;
  in.clearance = clearance;
  in.password = kPassword;
  return node_.org().CreateUser(op_, in);
}

Status DemoBuilder::CreatePeople() {
  CHY_TRY(admin_, MakePerson("admin", "Nguyễn Văn Quản", root_, "Quản trị hệ thống", kRoleAdmin,
                             Classification::kNormal));
  CHY_TRY(clerk_, MakePerson("vanthu", "Trần Thị Thư", root_, "Văn thư Bộ", kRoleClerk,
                             Classification::kSecret));
  CHY_TRY(spec_, MakePerson("chuyenvien", "Lê Văn Chuyên", vp_, "Trợ lý", kRoleSpecialist,
                            Classification::kConfidential));
  CHY_TRY(leader_, MakePerson("thutruong", "Phạm Quốc Trưởng", root_, "Chánh Văn phòng",
                              kRoleLeader, Classification::kTopSecret));
  CHY_TRY(security_, MakePerson("baomat", "Hoàng Minh Mật", root_, "Sĩ quan bảo mật", kRoleSecurity,
                                Classification::kTopSecret));
  CHY_TRY(clerk2_, MakePerson("vanthu.cntt", "Đỗ Thị Lan", cntt_, "Văn thư Cục", kRoleClerk,
                              Classification::kConfidential));
  return Ok();
}

Result<bool> DemoBuilder::CreateSignatures() {
  // Signatures: the node CA, the leader's certificate (key under their PIN),
  // the seals of the units that issue documents, and the images they show.
  // Without a key secret (an old chancery.toml) the demo stays on paper.
  auto ca = node_.signatures().CreateNodeCa(op_, {});
  if (!ca.ok()) {
    node_.logger().Log(LogLevel::kWarning, "demo.no_signatures", {{"message", ca.error().message}});
    return false;
  }
  services::CertificateInput person{.profile = "person", .user_id = leader_.id, .pin = kSigningPin};
  CHY_TRY_STATUS(node_.signatures().IssueCertificate(op_, person));
  CHY_TRY_STATUS(
      node_.signatures().SetAppearanceImage(op_, "signature", leader_.id, pki::DemoSignaturePng()));
  for (Id seal_unit : {root_, tcct_, cntt_}) {
    CHY_TRY_STATUS(node_.signatures().IssueCertificate(
        op_, {.profile = "organization", .unit_id = seal_unit}));
    CHY_TRY_STATUS(
        node_.signatures().SetAppearanceImage(op_, "seal", seal_unit, pki::DemoSealPng()));
  }
  return true;
}

Result<Id> DemoBuilder::Draft(const User& who, const char* type, const char* subject,
                              std::vector<Id> recipients, Classification c, Urgency u) {
  services::DocumentInput in;
  in.type_code = type;
  in.subject = subject;
  in.recipient_unit_ids = std::move(recipients);
  in.classification = c;
  in.urgency = u;
  in.signer_name = leader_.full_name;
  in.signer_position = leader_.position;
  CHY_TRY(auto d, node_.documents().CreateDraft(who, in));
  return d.document.id;
}

Status DemoBuilder::Act(const User& who, Id id, const char* action, services::ActionInput in) {
  auto r = node_.documents().Act(who, id, action, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Status DemoBuilder::Run(Id id, std::initializer_list<std::pair<const User*, const char*>> steps) {
  services::ActionInput with_pin;
  with_pin.pin = kSigningPin;
  for (const auto& [who, action] : steps) {
    CHY_TRY_STATUS(
        Act(*who, id, action, std::string(action) == "sign" ? with_pin : services::ActionInput{}));
  }
  return Ok();
}

Status DemoBuilder::CreateOutgoing(bool signing) {
  CHY_TRY(Id d1, Draft(spec_, "KH", "Kế hoạch chuyển đổi số năm 2027 của Văn phòng", {tc_}));
  (void)d1;
  CHY_TRY(Id d2, Draft(spec_, "BC", "Báo cáo kết quả cải cách hành chính quý IV", {tcct_}));
  CHY_TRY_STATUS(Run(d2, {{&spec_, "submit"}}));
  CHY_TRY(Id d3, Draft(spec_, "TB", "Thông báo lịch trực Tết Nguyên đán", {tc_, cntt_}));
  CHY_TRY_STATUS(Run(d3, {{&spec_, "submit"}, {&leader_, "approve"}}));
  CHY_TRY(reply_, Draft(spec_, "", "Về việc triển khai chữ ký số trong cơ quan", {cntt_, tcct_}));
  CHY_TRY_STATUS(Run(reply_, {{&spec_, "submit"}, {&leader_, "approve"}, {&leader_, "sign"}}));
  CHY_TRY(Id d5, Draft(spec_, "QĐ", "Quyết định ban hành Quy chế công tác văn thư", {tc_, cntt_}));
  if (signing) {
    // An electronic document: its file is signed by the leader, then sealed.
    const std::string text =
        "BO QUOC PHONG\n\nQUYET DINH\nBan hanh Quy che cong tac van thu\n\n"
        "Dieu 1. Ban hanh kem theo Quyet dinh nay Quy che cong tac van thu.\n"
        "Dieu 2. Quyet dinh co hieu luc tu ngay ky.";
    CHY_TRY_STATUS(node_.documents().AddFile(spec_, d5, true, "quyet-dinh.pdf",
                                             pki::SimplePdf({text}), std::nullopt, "Dự thảo"));
    CHY_TRY_STATUS(node_.documents().AddFile(spec_, d5, false, "phu-luc.pdf",
                                             pki::SimplePdf({"PHU LUC\nQuy che cong tac van thu"}),
                                             std::nullopt, ""));
  }
  CHY_TRY_STATUS(Run(d5, {{&spec_, "submit"},
                          {&leader_, "approve"},
                          {&leader_, "sign"},
                          {&clerk_, "number"},
                          {&clerk_, "seal"},
                          {&clerk_, "issue"}}));
  CHY_TRY(Id d6, Draft(spec_, "CT", "Chỉ thị về tăng cường bảo vệ bí mật nhà nước", {tcct_},
                       Classification::kConfidential, Urgency::kUrgent));
  CHY_TRY_STATUS(Run(d6, {{&spec_, "submit"},
                          {&leader_, "approve"},
                          {&leader_, "sign"},
                          {&clerk_, "number"},
                          {&clerk_, "seal"},
                          {&clerk_, "issue"}}));
  CHY_TRY(Id d7, Draft(spec_, "", "Về việc rà soát thủ tục hành chính", {pkt_}));
  CHY_TRY_STATUS(Run(
      d7, {{&spec_, "submit"}, {&leader_, "approve"}, {&leader_, "sign"}, {&clerk_, "number"}}));
  return Ok();
}

Result<Id> DemoBuilder::Incoming(const char* issuer, const char* number, const char* subject,
                                 Urgency u) {
  services::DocumentInput in;
  in.type_code = "";
  in.issuer_name = issuer;
  in.original_number_symbol = number;
  in.subject = subject;
  in.urgency = u;
  in.original_date = node_.org().Today() - std::chrono::days{3};
  CHY_TRY(auto d, node_.documents().ReceiveIncoming(clerk_, in));
  return d.document.id;
}

Status DemoBuilder::CreateIncoming() {
  // Incoming documents from paper, in every state.
  services::ActionInput assign;
  assign.lead_user_id = spec_.id;
  assign.supporting_unit_ids = {tc_};
  assign.deadline_working_days = 5;
  assign.directive = "Đồng chí Chuyên chủ trì, phối hợp Cục Tác chiến tham mưu trả lời.";
  CHY_TRY(Id i1, Incoming("Bộ Thông tin và Truyền thông", "125/BTTTT-CĐSQG",
                          "Về việc hướng dẫn kết nối trục liên thông văn bản quốc gia"));
  (void)i1;
  CHY_TRY(Id i2, Incoming("Văn phòng Chính phủ", "88/VPCP-KSTT",
                          "Về việc đôn đốc thực hiện Nghị quyết 02 về cải cách hành chính",
                          Urgency::kVeryUrgent));
  CHY_TRY_STATUS(Act(clerk_, i2, "register"));
  CHY_TRY(Id i3, Incoming("Bộ Nội vụ", "4312/BNV-VTLTNN", "Về việc hướng dẫn lập hồ sơ điện tử"));
  CHY_TRY_STATUS(Act(clerk_, i3, "register"));
  // Given a week ago with a deadline that has now passed: the inbox and the
  // leader's dashboard show one overdue and one due-soon document.
  services::ActionInput late = assign;
  late.deadline = node_.org().Today() - std::chrono::days{2};
  CHY_TRY_STATUS(Act(leader_, i3, "assign", late));
  CHY_TRY(Id i4, Incoming("Bộ Tài chính", "77/BTC-KHTC", "Về việc lập dự toán ngân sách 2027"));
  CHY_TRY_STATUS(Act(clerk_, i4, "register"));
  services::ActionInput soon = assign;
  soon.deadline_working_days = 1;
  CHY_TRY_STATUS(Act(leader_, i4, "assign", soon));
  services::ActionInput note;
  note.comment = "Đã dự thảo văn bản trả lời, đang xin ý kiến Cục Tác chiến.";
  CHY_TRY_STATUS(Act(spec_, i4, "note", note));
  CHY_TRY(Id i5, Incoming("Bộ Công an", "901/BCA-V03", "Về việc phối hợp bảo đảm an ninh mạng"));
  CHY_TRY_STATUS(Act(clerk_, i5, "register"));
  CHY_TRY_STATUS(Act(leader_, i5, "assign", assign));
  services::ActionInput done;
  done.reply_document_id = reply_;
  CHY_TRY_STATUS(Act(spec_, i5, "complete", done));
  documents::RecordFile rec;
  rec.code = "01.VP";
  rec.title = "Hồ sơ phối hợp an ninh mạng năm nay";
  rec.unit_id = root_;
  CHY_TRY(auto record, node_.documents().CreateRecord(clerk_, rec));
  services::ActionInput file;
  file.record_id = record.id;
  CHY_TRY_STATUS(Act(clerk_, i5, "file", file));
  CHY_TRY(Id i6, Incoming("Công ty ABC", "12/CV-ABC", "Thư mời hội thảo gửi nhầm địa chỉ"));
  services::ActionInput ret;
  ret.reason = "Văn bản gửi nhầm cơ quan, đề nghị gửi Bộ Khoa học và Công nghệ.";
  CHY_TRY_STATUS(Act(clerk_, i6, "return", ret));
  // The copy of d5 that reached Cục CNTT is registered by its own clerk.
  CHY_TRY(auto cntt_inbox,
          node_.documents().ListDocuments(clerk2_, {.box = services::Box::kIncoming}));
  for (const auto& d : cntt_inbox.items) {
    if (d.unit_id == cntt_ && d.state == "received") CHY_TRY_STATUS(Act(clerk2_, d.id, "register"));
  }
  return Ok();
}

}  // namespace

Result<std::vector<DemoLogin>> LoadDemo(Node& node) {
  store::Store& store = node.store();
  std::vector<DemoLogin> logins{{"admin", kPassword, "administrator"},
                                {"vanthu", kPassword, "clerk"},
                                {"chuyenvien", kPassword, "specialist"},
                                {"thutruong", kPassword, "leader, signing PIN 123456"},
                                {"baomat", kPassword, "security_officer"},
                                {"vanthu.cntt", kPassword, "clerk (Cục CNTT)"}};
  bool loaded = false;
  CHY_TRY_STATUS(store.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto v, tx.GetMeta("demo_loaded"));
    loaded = v.has_value();
    return Ok();
  }));
  if (loaded) return logins;

  DemoBuilder demo(node);
  CHY_TRY_STATUS(demo.CreateRootUnit());
  CHY_TRY_STATUS(demo.CreateUnits());
  CHY_TRY_STATUS(demo.CreatePeople());
  CHY_TRY(const bool signing, demo.CreateSignatures());
  CHY_TRY_STATUS(demo.CreateOutgoing(signing));
  CHY_TRY_STATUS(demo.CreateIncoming());

  CHY_TRY_STATUS(store.Write([&](store::Tx& tx) { return tx.PutMeta("demo_loaded", "1"); }));
  return logins;
}

}  // namespace chancery::cli
