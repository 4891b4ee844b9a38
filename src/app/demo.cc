#include "app/demo.h"

#include <iostream>

#include "lib/pki/pades.h"

namespace chancery::cli {

namespace {

constexpr const char* kPassword = "Chancery@2026";
constexpr const char* kSigningPin = "123456";  // thutruong's signing PIN in the demo

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

  // The root unit must exist before anyone can act; create it directly.
  Id root = 0;
  CHY_TRY_STATUS(store.Write([&](store::Tx& tx) -> Status {
    Unit u;
    u.name = "Bộ Quốc phòng";
    u.abbreviation = "BQP";
    u.agency_code = "000.00.00.G12";
    u.issues_documents = true;
    CHY_TRY(root, tx.InsertUnit(u, Date{std::chrono::sys_days{std::chrono::year{2020} /
                                                              1 / 1}}));
    return Ok();
  }));
  const User op = services::ConsoleOperator(root);
  auto unit = [&](const char* name, const char* abbr, Id parent, bool issues,
                  const char* code = "") -> Result<Id> {
    services::UnitInput in;
    in.name = name;
    in.abbreviation = abbr;
    in.parent_id = parent;
    in.issues_documents = issues;
    in.agency_code = code;
    CHY_TRY(Unit u, node.org().CreateUnit(op, in));
    return u.id;
  };
  CHY_TRY(Id vp, unit("Văn phòng Bộ Quốc phòng", "VP", root, false));
  CHY_TRY(Id tc, unit("Cục Tác chiến", "TC", root, false));
  CHY_TRY(Id tcct, unit("Tổng cục Chính trị", "TCCT", root, true, "000.00.01.G12"));
  CHY_TRY(Id th, unit("Cục Tuyên huấn", "TH", tcct, false));
  CHY_TRY(Id cntt, unit("Cục Công nghệ thông tin", "CNTT", root, true, "000.00.02.G12"));
  CHY_TRY(Id pkt, unit("Phòng Kỹ thuật", "PKT", cntt, false));
  CHY_TRY(Id pht, unit("Phòng Hạ tầng", "PHT", cntt, false));
  (void)th;

  auto user = [&](const char* username, const char* name, Id unit_id, const char* position,
                  std::uint32_t roles, Classification clearance) -> Result<User> {
    services::UserInput in;
    in.username = username;
    in.full_name = name;
    in.unit_id = unit_id;
    in.position = position;
    in.roles = roles;
    in.clearance = clearance;
    in.password = kPassword;
    return node.org().CreateUser(op, in);
  };
  CHY_TRY(User admin, user("admin", "Nguyễn Văn Quản", root, "Quản trị hệ thống", kRoleAdmin,
                           Classification::kNormal));
  CHY_TRY(User clerk, user("vanthu", "Trần Thị Thư", root, "Văn thư Bộ", kRoleClerk,
                           Classification::kSecret));
  CHY_TRY(User spec, user("chuyenvien", "Lê Văn Chuyên", vp, "Trợ lý", kRoleSpecialist,
                          Classification::kConfidential));
  CHY_TRY(User leader, user("thutruong", "Phạm Quốc Trưởng", root, "Chánh Văn phòng",
                            kRoleLeader, Classification::kTopSecret));
  CHY_TRY(User security, user("baomat", "Hoàng Minh Mật", root, "Sĩ quan bảo mật",
                              kRoleSecurity, Classification::kTopSecret));
  CHY_TRY(User clerk2, user("vanthu.cntt", "Đỗ Thị Lan", cntt, "Văn thư Cục", kRoleClerk,
                            Classification::kConfidential));
  (void)admin;
  (void)security;
  (void)pht;

  // Signatures: the node CA, the leader's certificate (key under their PIN),
  // the seals of the units that issue documents, and the images they show.
  // Without a key secret (an old chancery.toml) the demo stays on paper.
  bool signing = false;
  if (auto ca = node.signatures().CreateNodeCa(op, {}); ca.ok()) {
    signing = true;
    services::CertificateInput person{.profile = "person", .user_id = leader.id, .pin = kSigningPin};
    CHY_TRY_STATUS(node.signatures().IssueCertificate(op, person));
    CHY_TRY_STATUS(node.signatures().SetAppearanceImage(op, "signature", leader.id, pki::DemoSignaturePng()));
    for (Id seal_unit : {root, tcct, cntt}) {
      CHY_TRY_STATUS(node.signatures().IssueCertificate(op, {.profile = "organization", .unit_id = seal_unit}));
      CHY_TRY_STATUS(node.signatures().SetAppearanceImage(op, "seal", seal_unit, pki::DemoSealPng()));
    }
  } else {
    std::cerr << "demo: no signatures (" << ca.error().message << ")\n";
  }

  auto draft = [&](const User& who, const char* type, const char* subject,
                   std::vector<Id> recipients, Classification c = Classification::kNormal,
                   Urgency u = Urgency::kNormal) -> Result<Id> {
    services::DocumentInput in;
    in.type_code = type;
    in.subject = subject;
    in.recipient_unit_ids = std::move(recipients);
    in.classification = c;
    in.urgency = u;
    in.signer_name = leader.full_name;
    in.signer_position = leader.position;
    CHY_TRY(auto d, node.documents().CreateDraft(who, in));
    return d.document.id;
  };
  auto act = [&](const User& who, Id id, const char* action,
                 services::ActionInput in = {}) -> Status {
    auto r = node.documents().Act(who, id, action, in);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  };
  auto run = [&](Id id, std::initializer_list<std::pair<const User*, const char*>> steps) -> Status {
    services::ActionInput with_pin;
    with_pin.pin = kSigningPin;
    for (const auto& [who, action] : steps) {
      CHY_TRY_STATUS(act(*who, id, action, std::string(action) == "sign" ? with_pin : services::ActionInput{}));
    }
    return Ok();
  };

  // Outgoing documents, one per state.
  CHY_TRY(Id d1, draft(spec, "KH", "Kế hoạch chuyển đổi số năm 2027 của Văn phòng", {tc}));
  (void)d1;
  CHY_TRY(Id d2, draft(spec, "BC", "Báo cáo kết quả cải cách hành chính quý IV", {tcct}));
  CHY_TRY_STATUS(run(d2, {{&spec, "submit"}}));
  CHY_TRY(Id d3, draft(spec, "TB", "Thông báo lịch trực Tết Nguyên đán", {tc, cntt}));
  CHY_TRY_STATUS(run(d3, {{&spec, "submit"}, {&leader, "approve"}}));
  CHY_TRY(Id d4, draft(spec, "", "Về việc triển khai chữ ký số trong cơ quan", {cntt, tcct}));
  CHY_TRY_STATUS(run(d4, {{&spec, "submit"}, {&leader, "approve"}, {&leader, "sign"}}));
  CHY_TRY(Id d5, draft(spec, "QĐ", "Quyết định ban hành Quy chế công tác văn thư", {tc, cntt}));
  if (signing) {
    // An electronic document: its file is signed by the leader, then sealed.
    const std::string text =
        "BO QUOC PHONG\n\nQUYET DINH\nBan hanh Quy che cong tac van thu\n\n"
        "Dieu 1. Ban hanh kem theo Quyet dinh nay Quy che cong tac van thu.\n"
        "Dieu 2. Quyet dinh co hieu luc tu ngay ky.";
    CHY_TRY_STATUS(node.documents().AddFile(spec, d5, true, "quyet-dinh.pdf", pki::SimplePdf({text}), std::nullopt,
                             "Dự thảo"));
    CHY_TRY_STATUS(node.documents().AddFile(spec, d5, false, "phu-luc.pdf",
                             pki::SimplePdf({"PHU LUC\nQuy che cong tac van thu"}), std::nullopt, ""));
  }
  CHY_TRY_STATUS(run(d5, {{&spec, "submit"},
                          {&leader, "approve"},
                          {&leader, "sign"},
                          {&clerk, "number"},
                          {&clerk, "seal"},
                          {&clerk, "issue"}}));
  CHY_TRY(Id d6, draft(spec, "CT", "Chỉ thị về tăng cường bảo vệ bí mật nhà nước", {tcct},
                       Classification::kConfidential, Urgency::kUrgent));
  CHY_TRY_STATUS(run(d6, {{&spec, "submit"},
                          {&leader, "approve"},
                          {&leader, "sign"},
                          {&clerk, "number"},
                          {&clerk, "seal"},
                          {&clerk, "issue"}}));
  CHY_TRY(Id d7, draft(spec, "", "Về việc rà soát thủ tục hành chính", {pkt}));
  CHY_TRY_STATUS(run(d7, {{&spec, "submit"},
                          {&leader, "approve"},
                          {&leader, "sign"},
                          {&clerk, "number"}}));

  // Incoming documents from paper, in every state.
  auto incoming = [&](const char* issuer, const char* number, const char* subject,
                      Urgency u = Urgency::kNormal) -> Result<Id> {
    services::DocumentInput in;
    in.type_code = "";
    in.issuer_name = issuer;
    in.original_number_symbol = number;
    in.subject = subject;
    in.urgency = u;
    in.original_date = node.org().Today() - std::chrono::days{3};
    CHY_TRY(auto d, node.documents().ReceiveIncoming(clerk, in));
    return d.document.id;
  };
  services::ActionInput assign;
  assign.lead_user_id = spec.id;
  assign.supporting_unit_ids = {tc};
  assign.deadline_working_days = 5;
  assign.directive = "Đồng chí Chuyên chủ trì, phối hợp Cục Tác chiến tham mưu trả lời.";
  CHY_TRY(Id i1, incoming("Bộ Thông tin và Truyền thông", "125/BTTTT-CĐSQG",
                          "Về việc hướng dẫn kết nối trục liên thông văn bản quốc gia"));
  (void)i1;
  CHY_TRY(Id i2, incoming("Văn phòng Chính phủ", "88/VPCP-KSTT",
                          "Về việc đôn đốc thực hiện Nghị quyết 02 về cải cách hành chính",
                          Urgency::kVeryUrgent));
  CHY_TRY_STATUS(act(clerk, i2, "register"));
  CHY_TRY(Id i3, incoming("Bộ Nội vụ", "4312/BNV-VTLTNN",
                          "Về việc hướng dẫn lập hồ sơ điện tử"));
  CHY_TRY_STATUS(act(clerk, i3, "register"));
  // Given a week ago with a deadline that has now passed: the inbox and the
  // leader's dashboard show one overdue and one due-soon document.
  services::ActionInput late = assign;
  late.deadline = node.org().Today() - std::chrono::days{2};
  CHY_TRY_STATUS(act(leader, i3, "assign", late));
  CHY_TRY(Id i4, incoming("Bộ Tài chính", "77/BTC-KHTC", "Về việc lập dự toán ngân sách 2027"));
  CHY_TRY_STATUS(act(clerk, i4, "register"));
  services::ActionInput soon = assign;
  soon.deadline_working_days = 1;
  CHY_TRY_STATUS(act(leader, i4, "assign", soon));
  services::ActionInput note;
  note.comment = "Đã dự thảo văn bản trả lời, đang xin ý kiến Cục Tác chiến.";
  CHY_TRY_STATUS(act(spec, i4, "note", note));
  CHY_TRY(Id i5, incoming("Bộ Công an", "901/BCA-V03", "Về việc phối hợp bảo đảm an ninh mạng"));
  CHY_TRY_STATUS(act(clerk, i5, "register"));
  CHY_TRY_STATUS(act(leader, i5, "assign", assign));
  services::ActionInput done;
  done.reply_document_id = d4;
  CHY_TRY_STATUS(act(spec, i5, "complete", done));
  store::RecordFile rec;
  rec.code = "01.VP";
  rec.title = "Hồ sơ phối hợp an ninh mạng năm nay";
  rec.unit_id = root;
  CHY_TRY(auto record, node.documents().CreateRecord(clerk, rec));
  services::ActionInput file;
  file.record_id = record.id;
  CHY_TRY_STATUS(act(clerk, i5, "file", file));
  CHY_TRY(Id i6, incoming("Công ty ABC", "12/CV-ABC", "Thư mời hội thảo gửi nhầm địa chỉ"));
  services::ActionInput ret;
  ret.reason = "Văn bản gửi nhầm cơ quan, đề nghị gửi Bộ Khoa học và Công nghệ.";
  CHY_TRY_STATUS(act(clerk, i6, "return", ret));
  // The copy of d5 that reached Cục CNTT is registered by its own clerk.
  CHY_TRY(auto cntt_inbox, node.documents().ListDocuments(clerk2, {.box = services::Box::kIncoming}));
  for (const auto& d : cntt_inbox.items) {
    if (d.unit_id == cntt && d.state == "received") CHY_TRY_STATUS(act(clerk2, d.id, "register"));
  }

  CHY_TRY_STATUS(store.Write([&](store::Tx& tx) { return tx.PutMeta("demo_loaded", "1"); }));
  return logins;
}

}  // namespace chancery::cli
