// API tests against a real `chancery serve` process, on the backend named by
// CHANCERY_API_BACKEND (sqlite or postgres). The same suite runs on both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "lib/merkle/merkle.h"
#include "lib/pki/pades.h"
#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

// ------------------------------------------------------------------ auth

TEST_F(ApiTest, LoginSessionCookieCarriesCsrfProtection) {
  Client c(node_->port());
  auto r = c.Post("/api/v1/auth/login",
                  json::object{{"username", "chuyenvien"}, {"password", "Chancery@2026"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  auto cookie = r.response.header("Set-Cookie");
  ASSERT_TRUE(cookie);
  EXPECT_NE(cookie->find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie->find("SameSite=Strict"), std::string::npos);
  const std::string session = cookie->substr(0, cookie->find(';'));
  const std::string csrf(r.body.at("csrf_token").as_string());
  auto me = c.Call("GET", "/api/v1/me", {}, {{"Cookie", session}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.body.at("username").as_string(), "chuyenvien");
  // An unsafe method with the cookie but without the CSRF token is refused.
  const std::string body = R"({"subject":"Dự thảo qua phiên cookie"})";
  auto no_csrf = c.Call("POST", "/api/v1/documents", body, {{"Cookie", session}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.code(), "forbidden");
  auto with_csrf =
      c.Call("POST", "/api/v1/documents", body, {{"Cookie", session}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with_csrf.status, 201) << with_csrf.raw;
}

TEST_F(ApiTest, MissingAndBadCredentialsAre401) {
  Client anon(node_->port());
  auto r = anon.Get("/api/v1/documents");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "unauthenticated");
  EXPECT_EQ(r.response.header("Content-Type").value_or(""), "application/problem+json");
  Client bad(node_->port(), std::string(64, 'a'));
  EXPECT_EQ(bad.Get("/api/v1/me").status, 401);
  auto wrong = anon.Post("/api/v1/auth/login",
                         json::object{{"username", "admin"}, {"password", "wrong-password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.code(), "unauthenticated");
}

TEST_F(ApiTest, RepeatedFailedLoginsLockTheAccount) {
  auto admin = As("admin");
  auto created = admin->Post("/api/v1/users", json::object{{"username", "khoa.thu"},
                                                           {"full_name", "Người Thử Khóa"},
                                                           {"unit_id", UnitId("VP")},
                                                           {"roles", json::array{"specialist"}},
                                                           {"password", "Dung-mat-khau-1"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  Client c(node_->port());
  for (int i = 0; i < 5; ++i) {
    auto r = c.Post("/api/v1/auth/login",
                    json::object{{"username", "khoa.thu"}, {"password", "sai-mat-khau"}});
    EXPECT_EQ(r.status, 401);
  }
  auto locked = c.Post("/api/v1/auth/login",
                       json::object{{"username", "khoa.thu"}, {"password", "Dung-mat-khau-1"}});
  EXPECT_EQ(locked.status, 429) << locked.raw;
  EXPECT_EQ(locked.code(), "account_locked");
  EXPECT_TRUE(locked.response.header("Retry-After"));
}

// ------------------------------------------------------------------ bad input

TEST_F(ApiTest, BadInputGetsProblemJsonAndChangesNothing) {
  auto spec = As("chuyenvien");
  const auto before = AuditSize();
  struct Case {
    std::string body;
    std::string code;
    int status;
  };
  const std::vector<Case> cases{
      {"{not json", "malformed_request", 400},
      {"[1,2]", "malformed_request", 400},
      {R"({"subject": 42})", "invalid_argument", 400},
      {R"({"subject": "x", "colour": "red"})", "invalid_argument", 400},
      {R"({"subject": ")" + std::string(501, 'a') + "\"}", "invalid_argument", 400},
      {R"({"subject": "x", "classification": "very_secret"})", "invalid_argument", 400},
      {R"({"subject": "x", "recipient_unit_ids": [999999]})", "invalid_argument", 400},
      {R"({})", "invalid_argument", 400},
  };
  for (const auto& c : cases) {
    auto r = spec->Call("POST", "/api/v1/documents", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.raw;
    EXPECT_EQ(r.code(), c.code) << c.body;
    EXPECT_EQ(r.response.header("Content-Type").value_or(""), "application/problem+json");
  }
  // Subject of exactly 500 Vietnamese characters is fine; 501 is not.
  std::string s500;
  for (int i = 0; i < 500; ++i) s500 += "ễ";
  auto too_long = spec->Post("/api/v1/documents", json::object{{"subject", s500 + "ễ"}});
  EXPECT_EQ(too_long.status, 400);
  ASSERT_TRUE(too_long.obj().contains("errors"));
  EXPECT_EQ(too_long.body.at("errors").at(0).at("code").as_string(), "too_long");
  // A body over the configured limit (2 MiB in tests) is refused unread.
  auto big = spec->Call("POST", "/api/v1/documents",
                        "{\"subject\":\"" + std::string(4 << 20, 'a') + "\"}");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.code(), "payload_too_large");
  auto wrong_type = spec->Call("POST", "/api/v1/documents", R"({"subject":"x"})",
                               {{"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status, 415);
  // Bad query parameters are refused too, never silently replaced.
  for (const std::string q : {"limit=0", "limit=201", "limit=abc", "box=nope", "unit_id=x",
                              "cursor=abc", "from=2026-02-30", "to=yesterday",
                              "from=2026-03-11&to=2026-03-10", "type=XYZ", "urgency=very"}) {
    auto r = spec->Get("/api/v1/documents?" + q);
    EXPECT_EQ(r.status, 400) << q << " → " << r.raw;
    EXPECT_EQ(r.code(), "invalid_argument") << q;
  }
  auto officer = As("baomat");
  for (const std::string q : {"from=2026-13-01", "to=x", "from=2026-03-11&to=2026-03-10"}) {
    auto r = officer->Get("/api/v1/audit?" + q);
    EXPECT_EQ(r.status, 400) << q << " → " << r.raw;
    EXPECT_EQ(r.code(), "invalid_argument") << q;
  }
  auto not_utf8 = spec->Get("/api/v1/documents?q=%ff%fe");
  EXPECT_EQ(not_utf8.status, 400) << not_utf8.raw;
  EXPECT_EQ(not_utf8.code(), "malformed_request");
  EXPECT_EQ(AuditSize(), before);
  auto ok = spec->Post("/api/v1/documents", json::object{{"subject", s500}});
  EXPECT_EQ(ok.status, 201) << ok.raw;
}

TEST_F(ApiTest, InvalidTransitionIs409WithAllowedActions) {
  const Id id = NewDraft("Dự thảo để thử chuyển trạng thái sai");
  auto clerk = As("vanthu");
  const auto before = AuditSize();
  auto r = clerk->Post(DocPath(id) + "/actions/issue", json::object{});
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(r.code(), "invalid_transition");
  ASSERT_TRUE(r.obj().contains("allowed"));
  EXPECT_EQ(r.body.at("allowed"), json::array{"submit"});
  auto unknown = clerk->Post(DocPath(id) + "/actions/teleport", json::object{});
  EXPECT_EQ(unknown.status, 409);
  EXPECT_EQ(AuditSize(), before);
}

TEST_F(ApiTest, StaleETagIs412AndMissingIfMatchIs428) {
  const Id id = NewDraft("Dự thảo để thử ETag");
  auto spec = As("chuyenvien");
  auto got = spec->Get(DocPath(id));
  ASSERT_EQ(got.status, 200);
  const std::string etag = got.response.header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  const std::string body = R"({"subject":"Tiêu đề mới"})";
  auto first = spec->Call("PATCH", DocPath(id), body, {{"If-Match", etag}});
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_NE(first.response.header("ETag").value_or(""), etag);
  const auto before = AuditSize();
  auto stale = spec->Call("PATCH", DocPath(id), R"({"subject":"Ghi đè"})", {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.code(), "precondition_failed");
  auto none = spec->Call("PATCH", DocPath(id), R"({"subject":"Ghi đè"})");
  EXPECT_EQ(none.status, 428);
  EXPECT_EQ(AuditSize(), before);
  EXPECT_EQ(spec->Get(DocPath(id)).body.at("subject").as_string(), "Tiêu đề mới");
}

TEST_F(ApiTest, NotAllowedIs403AndUnknownIdIs404) {
  auto spec = As("chuyenvien");
  const auto before = AuditSize();
  auto unit = spec->Post("/api/v1/units",
                         json::object{{"name", "Đơn vị trái phép"}, {"abbreviation", "X"}});
  EXPECT_EQ(unit.status, 403);
  EXPECT_EQ(unit.code(), "forbidden");
  const Id id = NewDraft("Dự thảo chờ duyệt");
  ASSERT_EQ(spec->Post(DocPath(id) + "/actions/submit", json::object{}).status, 200);
  const auto mid = AuditSize();
  auto approve = spec->Post(DocPath(id) + "/actions/approve", json::object{});
  EXPECT_EQ(approve.status, 403);
  EXPECT_EQ(AuditSize(), mid);
  EXPECT_GT(mid, before);
  auto missing = spec->Get("/api/v1/documents/987654321");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code(), "not_found");
  EXPECT_EQ(spec->Get("/api/v1/documents/abc").status, 404);
  EXPECT_EQ(spec->Get("/api/v1/no-such-route").status, 404);
  EXPECT_EQ(spec->Call("DELETE", "/api/v1/documents").status, 405);
}

TEST_F(ApiTest, ClassifiedDocumentIsInvisibleWithoutClearance) {
  auto leader = As("thutruong");  // Tuyệt mật clearance
  auto r = leader->Post("/api/v1/documents", json::object{{"type_code", "KH"},
                                                          {"subject", "Kế hoạch tác chiến tối mật"},
                                                          {"classification", "toi_mat"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  const Id id = r.body.at("id").as_int64();
  auto spec = As("chuyenvien");  // only Mật
  auto denied = spec->Get(DocPath(id));
  auto missing = spec->Get("/api/v1/documents/987654322");
  // Indistinguishable from a document that does not exist.
  EXPECT_EQ(denied.status, 404);
  EXPECT_EQ(denied.body.at("detail"), missing.body.at("detail"));
  EXPECT_EQ(denied.raw.find("mật"), std::string::npos);
  auto listing = spec->Get("/api/v1/documents?limit=200");
  for (const auto& d : listing.body.at("items").as_array()) {
    EXPECT_NE(d.at("id").as_int64(), id);
  }
  // A cleared read is audited.
  const auto before = AuditSize();
  EXPECT_EQ(leader->Get(DocPath(id)).status, 200);
  EXPECT_EQ(AuditSize(), before + 1);
  auto sec = As("baomat");
  auto audit = sec->Get("/api/v1/audit?action=document.read&object_id=" + std::to_string(id));
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.at("items").as_array().size(), 1u);
}

TEST_F(ApiTest, UploadWithWrongHashIsRefusedAndNothingStored) {
  const Id id = NewDraft("Dự thảo có tệp đính kèm");
  auto spec = As("chuyenvien");
  const auto before = AuditSize();
  auto r =
      spec->Call("POST", DocPath(id) + "/attachments?file_name=a.pdf", "%PDF-1.4 hello",
                 {{"Content-Type", "application/pdf"}, {"X-Content-SHA256", std::string(64, '0')}});
  EXPECT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.code(), "hash_mismatch");
  EXPECT_EQ(AuditSize(), before);
  EXPECT_EQ(spec->Get(DocPath(id)).body.at("attachments").as_array().size(), 0u);
}

// ------------------------------------------------------------------ flows

TEST_F(ApiTest, OutgoingFlowNumbersRegistersAndIssuesToRecipients) {
  auto spec = As("chuyenvien");
  auto leader = As("thutruong");
  auto clerk = As("vanthu");
  const Id tc = UnitId("TC");
  auto created =
      spec->Post("/api/v1/documents", json::object{{"type_code", "QĐ"},
                                                   {"subject", "Quyết định thành lập tổ công tác"},
                                                   {"recipient_unit_ids", json::array{tc}}});
  ASSERT_EQ(created.status, 201);
  const Id id = created.body.at("id").as_int64();
  // A version of the draft file, then a comment.
  auto v = spec->Call("POST", DocPath(id) + "/versions?file_name=du-thao.pdf",
                      pki::SimplePdf({"Quyet dinh thanh lap to cong tac"}),
                      {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(v.status, 201) << v.raw;
  EXPECT_EQ(v.body.at("version_no").as_int64(), 1);
  ASSERT_EQ(spec->Post(DocPath(id) + "/comments", json::object{{"body", "Xin ý kiến"}}).status,
            201);
  ASSERT_EQ(spec->Post(DocPath(id) + "/actions/submit", json::object{}).status, 200);
  auto back = leader->Post(DocPath(id) + "/actions/send_back",
                           json::object{{"comment", "Sửa căn cứ pháp lý"}});
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.body.at("state").as_string(), "draft");
  for (auto [who, action] : std::vector<std::pair<Client*, std::string>>{{spec, "submit"},
                                                                         {leader, "approve"},
                                                                         {leader, "sign"},
                                                                         {clerk, "number"},
                                                                         {clerk, "seal"},
                                                                         {clerk, "issue"}}) {
    json::object body;
    if (action == "sign") body["pin"] = kPin;
    auto r = who->Post(DocPath(id) + "/actions/" + action, body);
    ASSERT_EQ(r.status, 200) << action << ": " << r.raw;
  }
  auto doc = clerk->Get(DocPath(id));
  const std::string symbol(doc.body.at("number_symbol").as_string());
  EXPECT_TRUE(symbol.ends_with("/QĐ-BQP")) << symbol;
  EXPECT_EQ(doc.body.at("state").as_string(), "issued");
  // The draft, the leader's signature, the organisation's: three versions.
  EXPECT_EQ(doc.body.at("versions").as_array().size(), 3u);
  EXPECT_EQ(doc.body.at("comments").as_array().size(), 2u);
  const auto& recipients = doc.body.at("recipients").as_array();
  ASSERT_EQ(recipients.size(), 1u);
  const Id copy = recipients[0].at("copy_document_id").as_int64();
  auto incoming = clerk->Get(DocPath(copy));
  EXPECT_EQ(incoming.body.at("state").as_string(), "received");
  EXPECT_EQ(incoming.body.at("original_number_symbol").as_string(), symbol);
  // The timeline tells the whole story in order.
  auto timeline = spec->Get(DocPath(id) + "/timeline");
  std::vector<std::string> actions;
  for (const auto& e : timeline.body.at("items").as_array()) {
    actions.emplace_back(e.at("action").as_string());
  }
  EXPECT_EQ(actions.front(), "document.create");
  EXPECT_EQ(actions.back(), "document.issue");
  // The copy's own timeline starts with its arrival, before anyone registers it.
  auto arrived = clerk->Get(DocPath(copy) + "/timeline");
  ASSERT_EQ(arrived.status, 200) << arrived.raw;
  const auto& first = arrived.body.at("items").as_array().at(0);
  EXPECT_EQ(first.at("action").as_string(), "document.arrived");
  EXPECT_NE(first.at("record").as_object().at("details").at("number_symbol"), nullptr) << first;
  // Recall withdraws the recipient's copy.
  auto recall =
      clerk->Post(DocPath(id) + "/actions/recall", json::object{{"reason", "Sai thể thức"}});
  ASSERT_EQ(recall.status, 200) << recall.raw;
  EXPECT_EQ(clerk->Get(DocPath(copy)).body.at("state").as_string(), "recalled");
}

TEST_F(ApiTest, ReplacementAndCorrectionOfAnIssuedDocument) {
  auto spec = As("chuyenvien");
  const Id original = NewDraft("Thông báo lịch trực Tết", "TB");
  Issue(original);
  // A replacement must have the same type; a draft cannot be replaced.
  auto wrong_type = spec->Post(
      "/api/v1/documents",
      json::object{{"type_code", "QĐ"}, {"subject", "Thay thế"}, {"replaces_id", original}});
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.raw;
  EXPECT_EQ(wrong_type.body.at("errors").at(0).at("code").as_string(), "type_mismatch");
  const Id draft = NewDraft("Chưa ban hành");
  auto not_issued = spec->Post(
      "/api/v1/documents",
      json::object{{"type_code", "TB"}, {"subject", "Thay thế"}, {"replaces_id", draft}});
  EXPECT_EQ(not_issued.status, 400);
  EXPECT_EQ(not_issued.body.at("errors").at(0).at("code").as_string(), "not_issued");
  // An error of form: a correction công văn; the original stays in force.
  auto correction = spec->Post("/api/v1/documents",
                               json::object{{"type_code", ""},
                                            {"subject", "Đính chính Thông báo lịch trực Tết"},
                                            {"corrects_id", original},
                                            {"recipient_unit_ids", json::array{UnitId("TC")}}});
  ASSERT_EQ(correction.status, 201) << correction.raw;
  Issue(correction.body.at("id").as_int64());
  EXPECT_EQ(spec->Get(DocPath(original)).body.at("state").as_string(), "issued");
  auto timeline = spec->Get(DocPath(original) + "/timeline");
  EXPECT_NE(timeline.raw.find("document.corrected"), std::string::npos) << timeline.raw;
  // An error of content: a replacement of the same type supersedes it when issued.
  auto replacement = spec->Post("/api/v1/documents",
                                json::object{{"type_code", "TB"},
                                             {"subject", "Thông báo lịch trực Tết (thay thế)"},
                                             {"replaces_id", original},
                                             {"recipient_unit_ids", json::array{UnitId("TC")}}});
  ASSERT_EQ(replacement.status, 201) << replacement.raw;
  const Id replacement_id = replacement.body.at("id").as_int64();
  EXPECT_EQ(spec->Get(DocPath(original)).body.at("state").as_string(), "issued");
  Issue(replacement_id);
  EXPECT_EQ(spec->Get(DocPath(original)).body.at("state").as_string(), "replaced");
  EXPECT_EQ(spec->Get(DocPath(replacement_id)).body.at("replaces_id").as_int64(), original);
}

TEST_F(ApiTest, IncomingFlowFromPaperToRecord) {
  auto clerk = As("vanthu");
  auto leader = As("thutruong");
  auto spec = As("chuyenvien");
  // The scan is uploaded first, then the document is received with it.
  const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  auto blob = clerk->Call("POST", "/api/v1/blobs", pdf, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(blob.status, 201) << blob.raw;
  EXPECT_EQ(blob.body.at("content_type").as_string(), "application/pdf");
  const json::object incoming{{"issuer_name", "Bộ Tư pháp"},
                              {"original_number_symbol", "55/BTP-PLQT"},
                              {"original_date", "2026-11-02"},
                              {"subject", "Về việc góp ý dự thảo Thông tư"},
                              {"urgency", "khan"},
                              {"scan_sha256", blob.body.at("sha256")}};
  auto first = clerk->Post("/api/v1/documents/incoming", incoming);
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_TRUE(first.body.at("duplicates").as_array().empty());
  const Id id = first.body.at("id").as_int64();
  auto dup_check = clerk->Get(
      "/api/v1/documents/duplicates?number_symbol=55%2FBTP-PLQT&"
      "issuer_name=B%E1%BB%99%20T%C6%B0%20ph%C3%A1p");
  ASSERT_EQ(dup_check.status, 200) << dup_check.raw;
  ASSERT_EQ(dup_check.body.at("duplicates").as_array().size(), 1u);
  const auto& dup = dup_check.body.at("duplicates").at(0);
  EXPECT_EQ(dup.at("id").as_int64(), first.body.at("id").as_int64());
  EXPECT_TRUE(dup.at("arrival_number").is_null());  // received, not registered yet
  EXPECT_EQ(dup.at("state").as_string(), "received");
  // The scan was taken by the first document: the second paper copy is scanned again.
  auto again = clerk->Post("/api/v1/documents/incoming", incoming);
  EXPECT_EQ(again.status, 400) << again.raw;
  ASSERT_EQ(clerk->Call("POST", "/api/v1/blobs", pdf, {{"Content-Type", "application/pdf"}}).status,
            201);
  // A duplicate is registered only with a reason; refused, it leaves nothing.
  const auto before = AuditSize();
  auto unexplained = clerk->Post("/api/v1/documents/incoming", incoming);
  ASSERT_EQ(unexplained.status, 400) << unexplained.raw;
  EXPECT_EQ(unexplained.body.at("errors").at(0).at("field").as_string(), "duplicate_reason");
  EXPECT_EQ(unexplained.body.at("errors").at(0).at("code").as_string(), "duplicate");
  EXPECT_EQ(AuditSize(), before);
  json::object explained = incoming;
  explained["duplicate_reason"] = "Bản gốc đến sau bản fax";
  auto second = clerk->Post("/api/v1/documents/incoming", explained);
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body.at("duplicates").as_array().size(), 1u);
  EXPECT_NE(std::string(second.body.at("notes").as_string()).find("Bản gốc đến sau bản fax"),
            std::string::npos);
  auto reg = clerk->Post(DocPath(id) + "/actions/register", json::object{});
  ASSERT_EQ(reg.status, 200) << reg.raw;
  EXPECT_GT(reg.body.at("arrival_number").as_int64(), 0);
  const Id spec_id = UserId("chuyenvien");
  auto assign = leader->Post(DocPath(id) + "/actions/assign",
                             json::object{{"lead_user_id", spec_id},
                                          {"supporting_unit_ids", json::array{UnitId("TC")}},
                                          {"deadline_working_days", 5},
                                          {"directive", "Chủ trì nghiên cứu, báo cáo."}});
  ASSERT_EQ(assign.status, 200) << assign.raw;
  EXPECT_TRUE(assign.body.at("deadline").is_string());
  auto inbox = spec->Get("/api/v1/documents?box=inbox");
  bool in_inbox = false;
  for (const auto& d : inbox.body.at("items").as_array()) in_inbox |= d.at("id").as_int64() == id;
  EXPECT_TRUE(in_inbox);
  auto note = spec->Post(DocPath(id) + "/actions/note",
                         json::object{{"comment", "Đã dự thảo ý kiến góp ý."}});
  ASSERT_EQ(note.status, 200) << note.raw;
  EXPECT_EQ(note.body.at("state").as_string(), "in_progress");
  auto done = spec->Post(DocPath(id) + "/actions/complete", json::object{});
  ASSERT_EQ(done.status, 200) << done.raw;
  auto record = clerk->Post("/api/v1/records",
                            json::object{{"code", "API.01"}, {"title", "Hồ sơ góp ý văn bản"}});
  ASSERT_EQ(record.status, 201) << record.raw;
  auto filed =
      clerk->Post(DocPath(id) + "/actions/file", json::object{{"record_id", record.body.at("id")}});
  ASSERT_EQ(filed.status, 200) << filed.raw;
  EXPECT_EQ(filed.body.at("state").as_string(), "filed");
  // Return to sender needs a reason of at most 1000 characters.
  const Id other = second.body.at("id").as_int64();
  auto no_reason = clerk->Post(DocPath(other) + "/actions/return", json::object{});
  EXPECT_EQ(no_reason.status, 400);
  auto long_reason = clerk->Post(DocPath(other) + "/actions/return",
                                 json::object{{"reason", std::string(1001, 'x')}});
  EXPECT_EQ(long_reason.status, 400);
  auto returned = clerk->Post(DocPath(other) + "/actions/return",
                              json::object{{"reason", "Trùng văn bản đã nhận"}});
  ASSERT_EQ(returned.status, 200);
  EXPECT_EQ(returned.body.at("state").as_string(), "returned");
}

TEST_F(ApiTest, AttachmentsDownloadWithRanges) {
  const Id id = NewDraft("Dự thảo kèm phụ lục");
  auto spec = As("chuyenvien");
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>('a' + i % 26);
  auto up = spec->Call("POST", DocPath(id) + "/attachments?file_name=phu-luc.txt", bytes,
                       {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(up.status, 201) << up.raw;
  const std::string sha(up.body.at("sha256").as_string());
  EXPECT_EQ(up.body.at("content_type").as_string(), "text/plain");  // sniffed
  const std::string path = DocPath(id) + "/files/" + sha;
  auto whole = spec->Get(path);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.raw, bytes);
  auto part = spec->Call("GET", path, {}, {{"Range", "bytes=10-19"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.raw, bytes.substr(10, 10));
  EXPECT_EQ(part.response.header("Content-Range").value_or(""), "bytes 10-19/1000");
  auto tail = spec->Call("GET", path, {}, {{"Range", "bytes=-5"}});
  EXPECT_EQ(tail.raw, bytes.substr(995));
  auto bad = spec->Call("GET", path, {}, {{"Range", "bytes=5000-"}});
  EXPECT_EQ(bad.status, 416);
  auto sec = As("vanthu.cntt");  // another unit: cannot see the draft or its files
  EXPECT_EQ(sec->Get(path).status, 404);
}

TEST_F(ApiTest, ReorganisationMovesOpenWorkAndKeepsHistory) {
  auto admin = As("admin");
  const Id root = UnitId("BQP");
  auto mk = [&](const std::string& name, const std::string& abbr) {
    auto r = admin->Post("/api/v1/units", json::object{{"name", name},
                                                       {"abbreviation", abbr},
                                                       {"parent_id", root},
                                                       {"effective_date", "2025-01-01"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.at("id").as_int64();
  };
  const Id a = mk("Phòng Alpha", "PA1");
  const Id b = mk("Phòng Beta", "PB1");
  // Open work in A: an incoming document received for it.
  auto clerk = As("vanthu");
  auto doc =
      clerk->Post("/api/v1/documents/incoming", json::object{{"issuer_name", "Bộ Y tế"},
                                                             {"original_number_symbol", "9/BYT-VP"},
                                                             {"subject", "Văn bản gửi Phòng Alpha"},
                                                             {"unit_id", a}});
  ASSERT_EQ(doc.status, 201) << doc.raw;
  const Id doc_id = doc.body.at("id").as_int64();
  auto rename = admin->Call("PATCH", "/api/v1/units/" + std::to_string(a),
                            R"({"name":"Phòng Alpha mới","effective_date":"2025-06-01"})",
                            {{"If-Match", "\"v1\""}});
  ASSERT_EQ(rename.status, 200) << rename.raw;
  auto merge =
      admin->Post("/api/v1/reorganizations",
                  json::object{{"kind", "merge"},
                               {"effective_date", "2026-01-01"},
                               {"sources", json::array{a, b}},
                               {"new_units", json::array{json::object{{"name", "Phòng Gamma"},
                                                                      {"abbreviation", "PG1"},
                                                                      {"parent_id", root}}}}});
  ASSERT_EQ(merge.status, 201) << merge.raw;
  const Id c = merge.body.at("created_unit_ids").at(0).as_int64();
  EXPECT_GE(merge.body.at("transferred").as_int64(), 1);
  EXPECT_EQ(clerk->Get(DocPath(doc_id)).body.at("unit_id").as_int64(), c);
  auto transfers = admin->Get("/api/v1/units/" + std::to_string(a) + "/transfers");
  ASSERT_EQ(transfers.status, 200);
  bool found = false;
  for (const auto& t : transfers.body.at("items").as_array()) {
    found |= t.at("object_type") == "document" && t.at("object_id").as_int64() == doc_id &&
             t.at("to_unit_id").as_int64() == c;
  }
  EXPECT_TRUE(found) << transfers.raw;
  auto then = admin->Get("/api/v1/units/" + std::to_string(a) + "/as-of?date=2025-12-31");
  ASSERT_EQ(then.status, 200) << then.raw;
  EXPECT_TRUE(then.body.at("active").as_bool());
  EXPECT_EQ(then.body.at("name").as_string(), "Phòng Alpha mới");
  auto earlier = admin->Get("/api/v1/units/" + std::to_string(a) + "/as-of?date=2025-03-01");
  ASSERT_EQ(earlier.status, 200) << earlier.raw;
  EXPECT_EQ(earlier.body.at("name").as_string(), "Phòng Alpha");
  auto before = admin->Get("/api/v1/units/" + std::to_string(a) + "/as-of?date=2024-12-31");
  EXPECT_EQ(before.status, 404) << before.raw;
  // A change dated before the unit's last change would rewrite history.
  auto backdated =
      admin->Post("/api/v1/reorganizations", json::object{{"kind", "dissolve"},
                                                          {"effective_date", "2025-12-01"},
                                                          {"sources", json::array{c}},
                                                          {"targets", json::array{root}}});
  EXPECT_EQ(backdated.status, 400) << backdated.raw;
  EXPECT_EQ(backdated.code(), "invalid_argument");
  auto now = admin->Get("/api/v1/units/" + std::to_string(a));
  EXPECT_FALSE(now.body.at("active").as_bool());
  EXPECT_EQ(now.body.at("successor_id").as_int64(), c);
  auto bad = admin->Post("/api/v1/reorganizations", json::object{{"kind", "merge"},
                                                                 {"effective_date", "2026-01-01"},
                                                                 {"sources", json::array{a}},
                                                                 {"targets", json::array{c}}});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(ApiTest, RegisterBookExportsCsvAndXlsx) {
  auto clerk = As("vanthu");
  auto books = clerk->Get("/api/v1/register-books");
  ASSERT_EQ(books.status, 200) << books.raw;
  Id outgoing = 0;
  for (const auto& b : books.body.at("items").as_array()) {
    if (b.at("kind") == "outgoing") outgoing = b.at("id").as_int64();
  }
  ASSERT_NE(outgoing, 0);
  auto entries = clerk->Get("/api/v1/register-books/" + std::to_string(outgoing) + "/entries");
  ASSERT_EQ(entries.status, 200);
  ASSERT_FALSE(entries.body.at("items").as_array().empty());
  auto csv = clerk->Get("/api/v1/register-books/" + std::to_string(outgoing) + "/export");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("Số, ký hiệu"), std::string::npos);
  EXPECT_NE(csv.raw.find("/QĐ-BQP"), std::string::npos);
  auto xlsx =
      clerk->Get("/api/v1/register-books/" + std::to_string(outgoing) + "/export?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");
  // Names, never ids: each entry lists the recipients its document names,
  // and the export shows them, and the drafting unit, by name.
  for (const auto& entry : entries.body.at("items").as_array()) {
    const Id id = entry.at("id").as_int64();
    auto doc = clerk->Get(DocPath(id));
    ASSERT_EQ(doc.status, 200) << doc.raw;
    EXPECT_EQ(entry.at("recipient_unit_ids"), doc.body.at("recipient_unit_ids"));
    std::vector<Id> units{doc.body.at("unit_id").as_int64()};
    for (const auto& r : doc.body.at("recipient_unit_ids").as_array())
      units.push_back(r.as_int64());
    for (Id u : units) {
      auto unit = clerk->Get("/api/v1/units/" + std::to_string(u));
      ASSERT_EQ(unit.status, 200);
      const std::string name(unit.body.at("name").as_string());
      EXPECT_NE(csv.raw.find(name), std::string::npos) << name << " missing from\n" << csv.raw;
    }
  }
  EXPECT_EQ(csv.raw.find("Quyết định Quyết định"), std::string::npos) << csv.raw;
}

// The incoming book as LibreOffice reads it: the XLSX opens (converted to a
// flat ODF sheet by soffice itself), arrival numbers are numbers and days
// are dates, not text; a withdrawn entry says so in "Ghi chú", with why.
TEST_F(ApiTest, AnIncomingBookOpensInLibreOfficeWithNumbersDatesAndRemarks) {
  auto clerk = As("vanthu");
  auto made = clerk->Post("/api/v1/documents/incoming",
                          json::object{{"issuer_name", "Bộ Công an"},
                                       {"original_number_symbol", "77/BCA-V01"},
                                       {"original_date", "2026-11-20"},
                                       {"subject", "Về việc phối hợp bảo vệ bí mật nhà nước"}});
  ASSERT_EQ(made.status, 201) << made.raw;
  const Id id = made.body.at("id").as_int64();
  auto reg = clerk->Post(DocPath(id) + "/actions/register", json::object{});
  ASSERT_EQ(reg.status, 200) << reg.raw;
  const std::int64_t arrival = reg.body.at("arrival_number").as_int64();
  const std::string arrived(reg.body.at("arrival_date").as_string());
  auto gone = clerk->Post(DocPath(id) + "/actions/withdraw",
                          json::object{{"reason", "Cơ quan gửi đề nghị thu hồi"}});
  ASSERT_EQ(gone.status, 200) << gone.raw;
  const std::string book =
      "/api/v1/register-books/" + std::to_string(reg.body.at("book_id").as_int64());
  auto csv = clerk->Get(book + "/export?q=77%2FBCA");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("Đã thu hồi: Cơ quan gửi đề nghị thu hồi"), std::string::npos) << csv.raw;
  auto xlsx = clerk->Get(book + "/export?format=xlsx&q=77%2FBCA");
  ASSERT_EQ(xlsx.status, 200);
  const std::filesystem::path dir = node_->data_dir() + "/libreoffice";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "book.xlsx", std::ios::binary) << xlsx.raw;
  const std::string command = "cd '" + dir.string() + "' && soffice -env:UserInstallation=file://" +
                              dir.string() +
                              "/profile --headless --convert-to fods book.xlsx >convert.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "soffice could not open the export";
  std::ifstream in(dir / "book.fods");
  const std::string sheet((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(sheet.empty()) << "LibreOffice wrote nothing";
  EXPECT_NE(sheet.find("Số đến"), std::string::npos);
  EXPECT_NE(
      sheet.find("office:value-type=\"float\" office:value=\"" + std::to_string(arrival) + "\""),
      std::string::npos)
      << "the arrival number is a number";
  EXPECT_NE(sheet.find("office:value-type=\"date\" office:date-value=\"" + arrived),
            std::string::npos)
      << "the arrival day is a date";
  EXPECT_NE(sheet.find("office:date-value=\"2026-11-20"), std::string::npos);
  EXPECT_NE(sheet.find("Bộ Công an"), std::string::npos);
  EXPECT_NE(sheet.find("Đã thu hồi: Cơ quan gửi đề nghị thu hồi"), std::string::npos);
}

TEST_F(ApiTest, DeadlinesAndCalendar) {
  auto spec = As("chuyenvien");
  auto h = spec->Get("/api/v1/calendar/holidays?year=2026");
  ASSERT_EQ(h.status, 200);
  bool tet = false;
  for (const auto& d : h.body.at("items").as_array()) tet |= d.at("date") == "2026-02-17";
  EXPECT_TRUE(tet);
  // 5 working days after Friday 13 Feb 2026 skip Tết (16–20 Feb) and two weekends.
  auto dl = spec->Get("/api/v1/calendar/deadline?from=2026-02-13&working_days=5");
  ASSERT_EQ(dl.status, 200) << dl.raw;
  EXPECT_EQ(dl.body.at("deadline"), "2026-02-27");
  EXPECT_EQ(spec->Get("/api/v1/deadlines/overdue?mine=true").status, 200);
  EXPECT_EQ(spec->Get("/api/v1/deadlines/due-soon?mine=true").status, 200);
  EXPECT_EQ(spec->Get("/api/v1/calendar/deadline?from=2026-02-30&working_days=5").status, 400);
}

TEST_F(ApiTest, IdempotencyKeyReplaysTheFirstAnswer) {
  auto spec = As("chuyenvien");
  const json::object body{{"subject", "Dự thảo gửi hai lần"}};
  auto first = spec->Post("/api/v1/documents", body, {{"Idempotency-Key", "abc-123"}});
  ASSERT_EQ(first.status, 201);
  const auto size = AuditSize();
  auto again = spec->Post("/api/v1/documents", body, {{"Idempotency-Key", "abc-123"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body.at("id"), first.body.at("id"));
  EXPECT_EQ(AuditSize(), size);
  auto other = spec->Post("/api/v1/documents", json::object{{"subject", "Khác"}},
                          {{"Idempotency-Key", "abc-123"}});
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.code(), "idempotency_key_reused");
}

TEST_F(ApiTest, CursorPaginationWalksEverythingOnce) {
  auto clerk = As("vanthu");
  std::set<std::int64_t> seen;
  std::string cursor;
  int pages = 0;
  for (;;) {
    auto r = clerk->Get("/api/v1/documents?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const auto& d : r.body.at("items").as_array()) {
      EXPECT_TRUE(seen.insert(d.at("id").as_int64()).second);
    }
    ++pages;
    if (r.body.at("next_cursor").is_null()) break;
    cursor = std::string(r.body.at("next_cursor").as_string());
  }
  EXPECT_GT(pages, 2);
  EXPECT_EQ(clerk->Get("/api/v1/documents?cursor=zzz").status, 400);
}

// ------------------------------------------------------------------ audit

TEST_F(ApiTest, AuditProofsVerifyAndTamperingIsNamed) {
  auto sec = As("baomat");
  auto head = sec->Get("/api/v1/audit/head");
  ASSERT_EQ(head.status, 200);
  const std::int64_t size = head.body.at("tree_size").as_int64();
  ASSERT_GT(size, 10);
  merkle::Hash root, leaf;
  ASSERT_TRUE(merkle::FromHex(head.body.at("root").as_string(), &root));
  for (std::int64_t seq : {std::int64_t{0}, size / 2, size - 1}) {
    auto p = sec->Get("/api/v1/audit/proofs/inclusion?seq=" + std::to_string(seq));
    ASSERT_EQ(p.status, 200) << p.raw;
    ASSERT_TRUE(merkle::FromHex(p.body.at("leaf_hash").as_string(), &leaf));
    std::vector<merkle::Hash> path;
    for (const auto& h : p.body.at("audit_path").as_array()) {
      path.emplace_back();
      ASSERT_TRUE(merkle::FromHex(h.as_string(), &path.back()));
    }
    merkle::Hash proof_root;
    ASSERT_TRUE(merkle::FromHex(p.body.at("root").as_string(), &proof_root));
    EXPECT_TRUE(
        merkle::VerifyInclusion(leaf, seq, p.body.at("tree_size").as_int64(), path, proof_root));
  }
  auto c = sec->Get("/api/v1/audit/proofs/consistency?from=3&to=" + std::to_string(size));
  ASSERT_EQ(c.status, 200) << c.raw;
  merkle::Hash r1, r2;
  ASSERT_TRUE(merkle::FromHex(c.body.at("from_root").as_string(), &r1));
  ASSERT_TRUE(merkle::FromHex(c.body.at("to_root").as_string(), &r2));
  std::vector<merkle::Hash> proof;
  for (const auto& h : c.body.at("proof").as_array()) {
    proof.emplace_back();
    ASSERT_TRUE(merkle::FromHex(h.as_string(), &proof.back()));
  }
  EXPECT_TRUE(merkle::VerifyConsistency(3, size, r1, r2, proof));
  auto verify = sec->Call("POST", "/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(verify.body.at("ok").as_bool()) << verify.raw;
  EXPECT_EQ(As("chuyenvien")->Get("/api/v1/audit/head").status, 403);
}

// ------------------------------------------------------------------ concurrency

// 2,000 registrations at once from many connections: every arrival number of
// the year is used exactly once, with no gap.
// 2,000 registrations from 16 connections at once. On PostgreSQL a second
// `chancery serve` process on the same database takes half of them, so the
// series is shared between processes, not just threads.
TEST_F(ApiTest, ConcurrentRegistrationsAreGapFreeAndUnique) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 125;
  std::vector<std::uint16_t> ports{node_->port()};
  std::unique_ptr<NodeProcess> second;
  if (Backend() == "postgres") {
    second = std::make_unique<NodeProcess>(NodeOptions{.data_dir = node_->data_dir()});
    ASSERT_TRUE(second->error().empty()) << second->error();
    ports.push_back(second->port());
  }
  std::vector<std::vector<Id>> ids(kThreads);
  std::atomic<int> failures{0};
  std::atomic<Id> last_doc{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client clerk(ports[t % ports.size()]);
      if (!clerk.Login("vanthu")) {
        ++failures;
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        auto r = clerk.Post("/api/v1/documents/incoming",
                            json::object{{"issuer_name", "Sở Nội vụ"},
                                         {"original_number_symbol",
                                          std::to_string(t) + "-" + std::to_string(i) + "/SNV"},
                                         {"subject", "Văn bản đến đồng thời"}});
        if (r.status != 201) {
          ++failures;
          continue;
        }
        const Id id = r.body.at("id").as_int64();
        last_doc = id;
        auto reg = clerk.Post(DocPath(id) + "/actions/register", json::object{});
        if (reg.status != 200) {
          ++failures;
          continue;
        }
        ids[t].push_back(reg.body.at("arrival_number").as_int64());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<Id> all;
  for (const auto& v : ids) all.insert(all.end(), v.begin(), v.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::sort(all.begin(), all.end());
  EXPECT_TRUE(std::adjacent_find(all.begin(), all.end()) == all.end()) << "duplicate number";
  // Gap-free: with the demo's and earlier tests' registrations before them, the
  // numbers are a contiguous run ending at the series' last number.
  EXPECT_EQ(all.back() - all.front() + 1, static_cast<Id>(all.size()));
  // And every number is in the register book exactly once.
  const std::multiset<Id> booked = IncomingBookNumbers(*As("vanthu"), last_doc.load());
  for (Id n : booked) EXPECT_EQ(booked.count(n), 1u) << "number " << n << " twice in the book";
  for (Id n : all) EXPECT_TRUE(booked.count(n)) << "number " << n << " is not in the book";
}

// ---------------------------------------------------------------- for the web UI

TEST_F(ApiTest, MeGivesTheCsrfTokenBackAndRemembersTheLanguage) {
  Client c(node_->port());
  auto login = c.Post("/api/v1/auth/login",
                      json::object{{"username", "baomat"}, {"password", "Chancery@2026"}});
  ASSERT_EQ(login.status, 200) << login.raw;
  const std::string session = login.response.header("Set-Cookie")
                                  ->substr(0, login.response.header("Set-Cookie")->find(';'));
  auto me = c.Call("GET", "/api/v1/me", {}, {{"Cookie", session}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.body.at("csrf_token"), login.body.at("csrf_token"));  // after a page reload
  EXPECT_EQ(me.body.at("language").as_string(), "vi");
  const std::int64_t version = me.body.at("version").as_int64();
  EXPECT_FALSE(As("baomat")->Get("/api/v1/me").obj().contains("csrf_token"));  // bearer

  const auto before = AuditSize();
  for (const char* bad :
       {R"({"language":"de"})", R"({"language":""})", R"({})", R"({"language":"fr","x":1})"}) {
    auto r = c.Call(
        "PUT", "/api/v1/me/language", bad,
        {{"Cookie", session}, {"X-CSRF-Token", std::string(me.body.at("csrf_token").as_string())}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.code(), "invalid_argument") << bad;
  }
  EXPECT_EQ(AuditSize(), before);
  auto no_csrf =
      c.Call("PUT", "/api/v1/me/language", R"({"language":"fr"})", {{"Cookie", session}});
  EXPECT_EQ(no_csrf.status, 403);
  auto set = c.Call(
      "PUT", "/api/v1/me/language", R"({"language":"fr"})",
      {{"Cookie", session}, {"X-CSRF-Token", std::string(me.body.at("csrf_token").as_string())}});
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_EQ(set.body.at("language").as_string(), "fr");
  EXPECT_EQ(set.body.at("version").as_int64(), version);  // a preference, not an edit
  EXPECT_EQ(AuditSize(), before + 1);
  // Remembered for the user, in every session.
  Client other(node_->port());
  ASSERT_TRUE(other.Login("baomat"));
  EXPECT_EQ(other.Get("/api/v1/me").body.at("language").as_string(), "fr");
  EXPECT_EQ(other.Call("PUT", "/api/v1/me/language", R"({"language":"vi"})").status, 200);
}

TEST_F(ApiTest, InboxByDeadlinePagesInDeadlineOrder) {
  auto clerk = As("vanthu");
  auto leader = As("thutruong");
  auto spec = As("chuyenvien");
  const Id spec_id = UserId("chuyenvien");
  std::set<Id> mine;
  for (int days : {9, 2, 5, 2}) {
    auto d = clerk->Post(
        "/api/v1/documents/incoming",
        json::object{{"issuer_name", "UBND tỉnh Hà Giang"},
                     {"original_number_symbol",
                      std::to_string(100 + days * 10 + static_cast<int>(mine.size())) + "/UBND-VP"},
                     {"subject", "Hạn " + std::to_string(days) + " ngày"}});
    ASSERT_EQ(d.status, 201) << d.raw;
    const Id id = d.body.at("id").as_int64();
    ASSERT_EQ(clerk->Post(DocPath(id) + "/actions/register", json::object{}).status, 200);
    auto a = leader->Post(DocPath(id) + "/actions/assign",
                          json::object{{"lead_user_id", spec_id}, {"deadline_working_days", days}});
    ASSERT_EQ(a.status, 200) << a.raw;
    mine.insert(id);
  }
  std::vector<std::pair<std::string, Id>> seen;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    auto r = spec->Get("/api/v1/documents?box=inbox&sort=deadline&limit=1" +
                       (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const auto& d : r.body.at("items").as_array()) {
      seen.emplace_back(
          d.at("deadline").is_string() ? std::string(d.at("deadline").as_string()) : "9999-12-31",
          d.at("id").as_int64());
    }
    if (r.body.at("next_cursor").is_null()) break;
    cursor = std::string(r.body.at("next_cursor").as_string());
  }
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << "deadline, then id";
  std::set<Id> ids;
  for (const auto& [deadline, id] : seen) ids.insert(id);
  EXPECT_EQ(ids.size(), seen.size()) << "no document twice";
  for (Id id : mine) EXPECT_TRUE(ids.count(id)) << id;
  EXPECT_EQ(spec->Get("/api/v1/documents?box=inbox&sort=oldest").code(), "invalid_argument");
  EXPECT_EQ(spec->Get("/api/v1/documents?box=inbox&sort=deadline&cursor=42").code(),
            "invalid_argument");
  EXPECT_EQ(spec->Get("/api/v1/documents?box=inbox&sort=deadline&cursor=d2026-13-01.4").code(),
            "invalid_argument");
}

TEST_F(ApiTest, WorkloadSummaryCountsWorkOfEachSubUnit) {
  auto leader = As("thutruong");
  auto r = leader->Get("/api/v1/deadlines/summary");
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& units = r.body.at("units").as_array();
  ASSERT_GE(units.size(), 2u);
  EXPECT_EQ(units[0].at("unit_id").as_int64(), UnitId("BQP"));  // the leader's own unit first
  const Id vp = UnitId("VP");
  bool vp_seen = false;
  for (const auto& u : units) {
    EXPECT_LE(u.at("overdue").as_int64() + u.at("due_soon").as_int64(), u.at("open").as_int64());
    if (u.at("unit_id").as_int64() == vp) {
      vp_seen = true;
      EXPECT_GE(u.at("open").as_int64(), 1) << "the specialist of VP leads open work";
    }
  }
  EXPECT_TRUE(vp_seen);
  EXPECT_TRUE(r.body.at("today").is_string());
  EXPECT_EQ(As("chuyenvien")->Get("/api/v1/deadlines/summary").status, 403);
  auto out_of_scope =
      As("vanthu.cntt")->Get("/api/v1/deadlines/summary?unit_id=" + std::to_string(UnitId("BQP")));
  EXPECT_EQ(out_of_scope.status, 400);
  EXPECT_EQ(out_of_scope.code(), "invalid_argument");
}

TEST_F(ApiTest, PeopleDirectoryFindsByNameWithoutDiacritics) {
  auto spec = As("chuyenvien");
  auto r = spec->Get("/api/v1/people?q=van%20chuyen");  // "Lê Văn Chuyên"
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body.at("items").as_array().size(), 1u);
  const auto& p = r.body.at("items").as_array()[0].as_object();
  EXPECT_EQ(p.at("full_name").as_string(), "Lê Văn Chuyên");
  EXPECT_FALSE(p.contains("roles"));  // a directory, not the user admin
  const Id a = UserId("admin"), b = UserId("vanthu");
  auto by_ids = spec->Get("/api/v1/people?ids=" + std::to_string(a) + "," + std::to_string(b));
  EXPECT_EQ(by_ids.body.at("items").as_array().size(), 2u);
  EXPECT_EQ(spec->Get("/api/v1/people?ids=1,x").code(), "invalid_argument");
  EXPECT_EQ(spec->Get("/api/v1/people?q=%25").body.at("items").as_array().size(), 0u);
}

TEST_F(ApiTest, RepliesToADocumentAreListedByIt) {
  auto clerk = As("vanthu");
  auto spec = As("chuyenvien");
  auto in = clerk->Post("/api/v1/documents/incoming",
                        json::object{{"issuer_name", "Bộ Y tế"},
                                     {"original_number_symbol", "301/BYT-KH"},
                                     {"subject", "Đề nghị báo cáo tình hình"}});
  ASSERT_EQ(in.status, 201) << in.raw;
  const Id id = in.body.at("id").as_int64();
  ASSERT_EQ(clerk->Post(DocPath(id) + "/actions/register", json::object{}).status, 200);
  ASSERT_EQ(As("thutruong")
                ->Post(DocPath(id) + "/actions/assign",
                       json::object{{"lead_user_id", UserId("chuyenvien")}})
                .status,
            200);  // the specialist sees what is given to them
  auto reply = spec->Post(
      "/api/v1/documents",
      json::object{{"subject", "Báo cáo tình hình theo đề nghị của Bộ Y tế"}, {"reply_to_id", id}});
  ASSERT_EQ(reply.status, 201) << reply.raw;
  NewDraft("Không phải văn bản trả lời");
  auto list = spec->Get("/api/v1/documents?reply_to=" + std::to_string(id));
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.body.at("items").as_array()[0].at("id"), reply.body.at("id"));
  EXPECT_EQ(spec->Get("/api/v1/documents?reply_to=abc").code(), "invalid_argument");
}

TEST_F(ApiTest, RegisterBookEntriesFilterByTextAndDate) {
  auto clerk = As("vanthu");
  auto d = clerk->Post("/api/v1/documents/incoming",
                       json::object{{"issuer_name", "Bộ Nội vụ"},
                                    {"original_number_symbol", "77/BNV-CCVC"},
                                    {"subject", "Về việc tinh giản biên chế năm 2027"}});
  ASSERT_EQ(d.status, 201) << d.raw;
  auto reg = clerk->Post(DocPath(d.body.at("id").as_int64()) + "/actions/register", json::object{});
  ASSERT_EQ(reg.status, 200) << reg.raw;
  const std::string book = std::to_string(reg.body.at("book_id").as_int64());
  const std::string day(reg.body.at("arrival_date").as_string());
  auto hit = clerk->Get("/api/v1/register-books/" + book + "/entries?q=tinh%20gian&from=" + day +
                        "&to=" + day);
  ASSERT_EQ(hit.status, 200) << hit.raw;
  ASSERT_EQ(hit.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(hit.body.at("items").as_array()[0].at("id"), d.body.at("id"));
  auto miss = clerk->Get("/api/v1/register-books/" + book + "/entries?q=tinh%20gian&to=2000-01-01");
  EXPECT_EQ(miss.body.at("items").as_array().size(), 0u);
  EXPECT_EQ(clerk->Get("/api/v1/register-books/" + book + "/entries?from=23/11/2026").code(),
            "invalid_argument");
}

// A file's text is read by the node in the background, in a child process,
// off the upload's request; its document is then found by what it says.
TEST_F(ApiTest, AnAttachedPdfIsFoundByItsTextOnceTheNodeHasReadIt) {
  const Id id = NewDraft("Kế hoạch huấn luyện");
  auto spec = As("chuyenvien");
  auto up = spec->Call("POST", DocPath(id) + "/attachments?file_name=phuong-an.pdf",
                       pki::SimplePdf({"Phuong an dien tap phong chay chua chay kho K15"}),
                       {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(up.status, 201) << up.raw;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Reply found;
  do {
    found = spec->Get("/api/v1/search?q=dien%20tap%20phong%20chay%20kho%20k15");
    ASSERT_EQ(found.status, 200) << found.raw;
    if (found.body.at("total").as_int64() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the reader's turn
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(found.body.at("total").as_int64(), 1) << "not found within 30 s";
  // The hit and the count come from one snapshot (a clean-clone run on
  // PostgreSQL once counted it while the page, read just before, had not).
  ASSERT_EQ(found.body.at("items").as_array().size(), 1u) << found.raw;
  EXPECT_EQ(found.body.at("items").as_array()[0].at("id").as_int64(), id);
}

// The web UI's files next to the API, with their caching and policy headers.
TEST(WebUi, ServedWithCachingHeadersAndContentSecurityPolicy) {
  namespace fs = std::filesystem;
  const fs::path ui = fs::temp_directory_path() / ("chancery-ui-" + std::to_string(::getpid()));
  fs::create_directories(ui / "assets");
  std::ofstream(ui / "index.html") << "<!doctype html><title>Chancery</title>";
  std::ofstream(ui / "assets" / "app-1a2b3c.js") << "export {}";
  std::ofstream(ui / "assets" / "app-1a2b3c.js.br") << "brotli bytes";
  NodeProcess node(NodeOptions{.backend = "sqlite", .ui_dir = ui.string()});
  ASSERT_TRUE(node.error().empty()) << node.error();
  Client c(node.port());
  for (const char* path : {"/", "/inbox", "/documents/17"}) {
    auto r = c.Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.raw, "<!doctype html><title>Chancery</title>") << path;
    EXPECT_EQ(r.response.header("Cache-Control"), "no-cache");
    auto csp = r.response.header("Content-Security-Policy");
    ASSERT_TRUE(csp) << path;
    EXPECT_NE(csp->find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp->find("unsafe-eval"), std::string::npos);
  }
  auto js = c.Get("/assets/app-1a2b3c.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.response.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.response.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.raw, "export {}");
  EXPECT_FALSE(js.response.header("Content-Encoding"));
  // The build's brotli copy goes to a browser that takes brotli, over the wire.
  auto br = c.Call("GET", "/assets/app-1a2b3c.js", {}, {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.raw, "brotli bytes");
  EXPECT_EQ(br.response.header("Content-Encoding"), "br");
  EXPECT_EQ(br.response.header("Vary"), "Accept-Encoding");
  // Large JSON goes gzipped to who takes gzip; an answer with a session's
  // secret never does (BREACH).
  auto spec = c.Call("GET", "/api/v1/openapi.json", {}, {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(spec.status, 200);
  EXPECT_EQ(spec.response.header("Content-Encoding"), "gzip");
  EXPECT_EQ(spec.raw.substr(0, 2), "\x1f\x8b");
  auto login = c.Call("POST", "/api/v1/auth/login",
                      R"({"username":"vanthu","password":"Chancery@2026","kind":"bearer"})",
                      {{"Accept-Encoding", "gzip"}, {"Content-Type", "application/json"}});
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_FALSE(login.response.header("Content-Encoding"));
  auto me =
      c.Call("GET", "/api/v1/me", {},
             {{"Accept-Encoding", "gzip"},
              {"Authorization", "Bearer " + std::string(login.body.at("token").as_string())}});
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_FALSE(me.response.header("Content-Encoding"));
  auto etag = c.Get("/").response.header("ETag");
  ASSERT_TRUE(etag);
  EXPECT_EQ(c.Call("GET", "/", {}, {{"If-None-Match", std::string(*etag)}}).status, 304);
  // The API keeps its own answers: problem+json 404, and no UI for unknown API paths.
  auto api = c.Get("/api/v1/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.code(), "not_found");
  EXPECT_EQ(c.Get("/assets/missing-999.js").status, 404);
  EXPECT_EQ(c.Get("/../../etc/passwd").status, 404);
  EXPECT_EQ(c.Call("POST", "/inbox", "{}").status, 404);
  node.Stop();
  fs::remove_all(ui);
}

}  // namespace
}  // namespace chancery::testing
