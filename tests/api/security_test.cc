// Issue #11: the holes an insider or an outsider found in a demo node, each
// tried again over HTTP against a real `chancery serve`, and the
// authorisation matrix over every route of the API.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

// A plain TCP connection to the node, for what an HTTP client library
// would not do: send headers and hold the body back.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  bool connected() const { return connected_; }
  void Send(std::string_view bytes) { (void)send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // What arrives within `wait` (until the peer closes or stops sending).
  std::string Receive(std::chrono::milliseconds wait) {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<std::size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
    }
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

// A fresh node for this suite: it locks PINs, changes roles and passwords.
class SecurityTest : public ApiTest {
 protected:
  // This node has an agency code, so that it queues packages for peers.
  static void SetUpTestSuite() {
    if (Backend() == "postgres" && !PostgresAvailable()) return;
    node_ = std::make_unique<NodeProcess>(NodeOptions{
        .backend = Backend(), .extra_config = "\n[exchange]\nagency_code = \"000.00.01.H01\"\n"});
  }

  // An incoming document registered by `clerk` with a scan, at `classification`.
  Id Register(const std::string& clerk, const std::string& number, const std::string& issuer,
              const std::string& classification, std::string* scan_sha = nullptr) {
    auto c = As(clerk);
    const std::string pdf = "%PDF-1.4\n% " + number + "\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    auto blob = c->Call("POST", "/api/v1/blobs", pdf, {{"Content-Type", "application/pdf"}});
    EXPECT_EQ(blob.status, 201) << blob.raw;
    const std::string sha(blob.body.at("sha256").as_string());
    if (scan_sha) *scan_sha = sha;
    auto r = c->Post("/api/v1/documents/incoming", json::object{{"issuer_name", issuer},
                                                                {"original_number_symbol", number},
                                                                {"subject", "Bí mật " + number},
                                                                {"classification", classification},
                                                                {"scan_sha256", sha}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.status == 201 ? r.body.at("id").as_int64() : 0;
  }

  // A peer cleared up to Tối mật; its certificates are this node's own
  // (nothing is sent to it that must arrive).
  void AddPeer(const std::string& code, const std::string& name, const std::string& endpoint) {
    auto admin = As("admin");
    auto identity = admin->Get("/api/v1/exchange/identity");
    ASSERT_EQ(identity.status, 200) << identity.raw;
    auto put = admin->Call(
        "PUT", "/api/v1/exchange/peers/" + code,
        json::serialize(json::object{{"name", name},
                                     {"endpoint", endpoint},
                                     {"ca_pem", identity.body.at("ca_pem")},
                                     {"certificate_pem", identity.body.at("certificate_pem")},
                                     {"max_classification", "toi_mat"}}));
    ASSERT_LT(put.status, 300) << put.raw;
  }

  std::string ETag(Client* c, const std::string& path) {
    auto r = c->Get(path);
    return std::string(r.response.header("ETag").value_or(""));
  }

  // Counts audit records of `action` about one object.
  int AuditCount(const std::string& action, const std::string& type, Id id) {
    auto r = As("baomat")->Get("/api/v1/audit?object_type=" + type +
                               "&object_id=" + std::to_string(id) + "&limit=200");
    EXPECT_EQ(r.status, 200) << r.raw;
    int n = 0;
    for (const auto& e : r.body.at("items").as_array()) {
      if (e.at("action").as_string() == action) ++n;
    }
    return n;
  }
};

// 1. A script in an attachment never runs as a page of the node.
TEST_F(SecurityTest, AttachmentsAreDownloadsUnlessAShortAllowlistAndSandboxed) {
  const Id id = NewDraft("Phụ lục có mã độc");
  auto spec = As("chuyenvien");
  const std::string html = "<html><script>fetch('/api/v1/me')</script></html>";
  auto up = spec->Call("POST", DocPath(id) + "/attachments?file_name=phu-luc.html", html,
                       {{"Content-Type", "text/html"}});
  ASSERT_EQ(up.status, 201) << up.raw;
  auto file = spec->Get(DocPath(id) + "/files/" + std::string(up.body.at("sha256").as_string()));
  ASSERT_EQ(file.status, 200);
  EXPECT_TRUE(file.response.header("Content-Disposition").value_or("").starts_with("attachment"))
      << file.response.header("Content-Disposition").value_or("");
  EXPECT_EQ(file.response.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_NE(file.response.header("Content-Security-Policy").value_or("").find("sandbox"),
            std::string::npos);
  const std::string svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
  auto up_svg = spec->Call("POST", DocPath(id) + "/attachments?file_name=hinh.svg", svg,
                           {{"Content-Type", "image/svg+xml"}});
  ASSERT_EQ(up_svg.status, 201) << up_svg.raw;
  auto svg_file =
      spec->Get(DocPath(id) + "/files/" + std::string(up_svg.body.at("sha256").as_string()));
  EXPECT_TRUE(
      svg_file.response.header("Content-Disposition").value_or("").starts_with("attachment"));
  // A PDF is shown in the page (the preview), still sandboxed and not sniffed.
  const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  auto up_pdf = spec->Call("POST", DocPath(id) + "/attachments?file_name=du-thao.pdf", pdf,
                           {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(up_pdf.status, 201) << up_pdf.raw;
  auto pdf_file =
      spec->Get(DocPath(id) + "/files/" + std::string(up_pdf.body.at("sha256").as_string()));
  EXPECT_TRUE(pdf_file.response.header("Content-Disposition").value_or("").starts_with("inline"));
  EXPECT_NE(pdf_file.response.header("Content-Security-Policy").value_or("").find("sandbox"),
            std::string::npos);
  EXPECT_EQ(pdf_file.response.header("X-Content-Type-Options").value_or(""), "nosniff");
  // API answers carry a restrictive policy too.
  auto me = spec->Get("/api/v1/me");
  EXPECT_NE(me.response.header("Content-Security-Policy").value_or("").find("default-src 'none'"),
            std::string::npos);
}

// 2. Nobody grants themselves a right; privileged changes need a second person.
TEST_F(SecurityTest, NobodyGrantsThemselvesAndPrivilegedChangesNeedASecondPerson) {
  auto admin = As("admin");
  const Id admin_id = UserId("admin");
  const std::string self = "/api/v1/users/" + std::to_string(admin_id);
  const std::int64_t before = AuditSize();
  auto roles = admin->Call(
      "PATCH", self,
      json::serialize(json::object{{"roles", json::array{"administrator", "security_officer"}}}),
      {{"If-Match", ETag(admin, self)}});
  EXPECT_EQ(roles.status, 403) << roles.raw;
  auto clearance =
      admin->Call("PATCH", self, json::serialize(json::object{{"clearance", "tuyet_mat"}}),
                  {{"If-Match", ETag(admin, self)}});
  EXPECT_GE(clearance.status, 403) << clearance.raw;
  EXPECT_EQ(As("admin")->Get(self).body.at("clearance").as_string(), "normal");
  EXPECT_EQ(AuditSize(), before) << "a refused change writes nothing";

  // The administrator proposes a security officer's role for a new clerk:
  // 202, nothing changes until another person approves.
  auto made = admin->Post("/api/v1/users", json::object{{"username", "vanthu.moi"},
                                                        {"full_name", "Văn thư mới"},
                                                        {"unit_id", UnitId("BQP")},
                                                        {"roles", json::array{"clerk"}},
                                                        {"password", "Chancery@2026"}});
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_FALSE(made.obj().contains("pending_approval"));
  const Id clerk_id = made.body.at("id").as_int64();
  const std::string clerk = "/api/v1/users/" + std::to_string(clerk_id);
  auto propose = admin->Call(
      "PATCH", clerk,
      json::serialize(json::object{{"roles", json::array{"clerk", "security_officer"}}}),
      {{"If-Match", ETag(admin, clerk)}});
  ASSERT_EQ(propose.status, 202) << propose.raw;
  const Id request = propose.body.at("pending_approval").at("id").as_int64();
  EXPECT_EQ(admin->Get(clerk).body.at("roles").as_array().size(), 1u);
  auto own =
      admin->Post("/api/v1/approvals/" + std::to_string(request) + "/approve", json::object{});
  EXPECT_EQ(own.status, 403) << own.raw;
  auto listed = As("baomat")->Get("/api/v1/approvals");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_FALSE(listed.body.at("items").as_array().empty());
  auto approved = As("baomat")->Post("/api/v1/approvals/" + std::to_string(request) + "/approve",
                                     json::object{});
  ASSERT_EQ(approved.status, 200) << approved.raw;
  EXPECT_EQ(admin->Get(clerk).body.at("roles").as_array().size(), 2u);
  auto twice = As("baomat")->Post("/api/v1/approvals/" + std::to_string(request) + "/approve",
                                  json::object{});
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(AuditCount("approval.approve", "user", clerk_id), 1);

  // A security officer resetting the administrator's password is only a request.
  auto sec = As("baomat");
  auto reset =
      sec->Call("PATCH", self, json::serialize(json::object{{"password", "Chiem-quyen-2026"}}),
                {{"If-Match", ETag(sec, self)}});
  EXPECT_EQ(reset.status, 403) << "security officers do not reset passwords: " << reset.raw;
  Client outsider(node_->port());
  EXPECT_FALSE(outsider.Login("admin", "Chiem-quyen-2026"));
  EXPECT_TRUE(outsider.Login("admin"));
}

// 2b. Changing one's own password proves the current one and ends other sessions.
TEST_F(SecurityTest, OwnPasswordNeedsTheCurrentOneAndResetsEndSessions) {
  Client spec(node_->port());
  ASSERT_TRUE(spec.Login("chuyenvien"));
  Client other(node_->port());
  ASSERT_TRUE(other.Login("chuyenvien"));
  const std::string me = "/api/v1/users/" + std::to_string(UserId("chuyenvien"));
  auto etag = ETag(&spec, me);
  auto without =
      spec.Call("PATCH", me, json::serialize(json::object{{"password", "Mat-khau-moi-1"}}),
                {{"If-Match", etag}});
  EXPECT_EQ(without.status, 400) << without.raw;
  EXPECT_EQ(without.body.at("errors").at(0).at("field").as_string(), "current_password");
  auto changed = spec.Call("PATCH", me,
                           json::serialize(json::object{{"password", "Mat-khau-moi-1"},
                                                        {"current_password", "Chancery@2026"}}),
                           {{"If-Match", etag}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(other.Get("/api/v1/me").status, 401) << "the other session ended";
  // The administrator's reset of a plain account is direct and ends its sessions too.
  Client again(node_->port());
  ASSERT_TRUE(again.Login("chuyenvien", "Mat-khau-moi-1"));
  auto admin = As("admin");
  auto reset =
      admin->Call("PATCH", me, json::serialize(json::object{{"password", "Chancery@2026"}}),
                  {{"If-Match", ETag(admin, me)}});
  ASSERT_EQ(reset.status, 200) << reset.raw;
  EXPECT_EQ(again.Get("/api/v1/me").status, 401);
  sessions_.erase("chuyenvien");  // the suite's client logs in anew
}

// 3. A file's hash is not a key to the file.
TEST_F(SecurityTest, AHashNamesOnlyTheCallersOwnUnattachedUpload) {
  std::string sha;
  const Id secret = Register("vanthu", "77/TM-BTTM", "Bộ Tổng Tham mưu", "toi_mat", &sha);
  ASSERT_GT(secret, 0);
  auto cntt = As("vanthu.cntt");
  EXPECT_EQ(cntt->Get(DocPath(secret)).status, 404);
  const std::int64_t before = AuditSize();
  auto stolen =
      cntt->Post("/api/v1/documents/incoming", json::object{{"issuer_name", "Giả mạo"},
                                                            {"original_number_symbol", "1/GM"},
                                                            {"subject", "Lấy tệp"},
                                                            {"scan_sha256", sha}});
  EXPECT_EQ(stolen.status, 400) << stolen.raw;
  EXPECT_EQ(stolen.body.at("errors").at(0).at("field").as_string(), "scan_sha256");
  EXPECT_EQ(AuditSize(), before);
  // Nor as the data a signature is checked against.
  auto verify = cntt->Call("POST", "/api/v1/signatures/verify?data=" + sha, "MIIB-not-a-pdf",
                           {{"Content-Type", "application/pkcs7-signature"}});
  EXPECT_EQ(verify.status, 400) << verify.raw;
}

// 4. Simultaneous wrong PINs: no more than the threshold are ever tried.
TEST_F(SecurityTest, SimultaneousWrongPinsAreCountedBeforeTheyAreTried) {
  auto sec = As("baomat");
  auto cert = sec->Post(
      "/api/v1/pki/certificates",
      json::object{{"profile", "person"}, {"user_id", UserId("chuyenvien")}, {"pin", "654321"}});
  ASSERT_EQ(cert.status, 201) << cert.raw;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::make_unique<Client>(node_->port()));
    ASSERT_TRUE(clients.back()->Login("chuyenvien"));
  }
  std::atomic<int> tried{0}, locked{0};
  std::vector<std::thread> threads;
  for (auto& c : clients) {
    threads.emplace_back([&, client = c.get()] {
      auto r =
          client->Call("PUT", "/api/v1/me/signing-pin",
                       json::serialize(json::object{{"old_pin", "000000"}, {"new_pin", "111111"}}));
      if (r.status == 400 && r.raw.find("wrong_pin") != std::string::npos) ++tried;
      if (r.status == 429) ++locked;
    });
  }
  for (auto& t : threads) t.join();
  // Five guesses at most: four "wrong" answers, the fifth locks.
  EXPECT_LE(tried.load(), 4);
  EXPECT_EQ(tried.load() + locked.load(), 16);
  auto right =
      clients[0]->Call("PUT", "/api/v1/me/signing-pin",
                       json::serialize(json::object{{"old_pin", "654321"}, {"new_pin", "111111"}}));
  EXPECT_EQ(right.status, 429) << "locked: even the right PIN waits";
}

// 5. The audit log shows an uncleared reader who did what, not what it was about.
TEST_F(SecurityTest, AuditRecordsAboveTheReadersClearanceAreRedacted) {
  const Id secret = Register("vanthu", "88/M-BTTM", "Bộ Tổng Tham mưu", "mat");
  // A second security officer, cleared for nothing: created by the
  // administrator, the role approved by the security officer.
  auto admin = As("admin");
  auto created =
      admin->Post("/api/v1/users", json::object{{"username", "baomat.moi"},
                                                {"full_name", "Sĩ quan bảo mật mới"},
                                                {"unit_id", UnitId("BQP")},
                                                {"roles", json::array{"security_officer"}},
                                                {"password", "Chancery@2026"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  ASSERT_TRUE(created.obj().contains("pending_approval")) << created.raw;
  const Id request = created.body.at("pending_approval").at("id").as_int64();
  ASSERT_EQ(As("baomat")
                ->Post("/api/v1/approvals/" + std::to_string(request) + "/approve", json::object{})
                .status,
            200);
  auto reader = As("baomat.moi");
  EXPECT_EQ(reader->Get(DocPath(secret)).status, 404);
  auto log = reader->Get("/api/v1/audit?object_type=document&object_id=" + std::to_string(secret));
  ASSERT_EQ(log.status, 200) << log.raw;
  ASSERT_FALSE(log.body.at("items").as_array().empty());
  EXPECT_EQ(log.raw.find("Bí mật 88/M-BTTM"), std::string::npos) << log.raw;
  EXPECT_TRUE(log.body.at("items").at(0).at("redacted").as_bool());
  // The chain still verifies.
  auto verify = reader->Post("/api/v1/audit/verify", json::object{});
  ASSERT_EQ(verify.status, 200) << verify.raw;
  EXPECT_TRUE(verify.body.at("ok").as_bool());
}

// 6. Every read of a classified document is audited, whichever route reads it.
TEST_F(SecurityTest, ClassifiedReadsAreAuditedOnEveryRoute) {
  const Id secret = Register("vanthu", "99/M-BTTM", "Bộ Tổng Tham mưu", "mat");
  auto leader = As("thutruong");
  const int before = AuditCount("document.read", "document", secret);
  ASSERT_EQ(leader->Get(DocPath(secret) + "/timeline").status, 200);
  ASSERT_EQ(leader->Get(DocPath(secret) + "/exchange").status, 200);
  ASSERT_EQ(leader->Get(DocPath(secret)).status, 200);
  EXPECT_EQ(AuditCount("document.read", "document", secret), before + 3);
}

// 7. Lists apply the visibility rule: the directory shows others no endpoints.
TEST_F(SecurityTest, TheDirectoryShowsEndpointsAndLinkClearancesToAdministratorsOnly) {
  auto admin = As("admin");
  AddPeer("000.00.99.H99", "Bộ Ngoại giao", "https://10.9.9.9:8443");
  auto as_clerk = As("vanthu.cntt")->Get("/api/v1/exchange/peers");
  ASSERT_EQ(as_clerk.status, 200);
  EXPECT_EQ(as_clerk.raw.find("10.9.9.9"), std::string::npos) << as_clerk.raw;
  EXPECT_EQ(as_clerk.raw.find("toi_mat"), std::string::npos) << as_clerk.raw;
  auto as_admin = admin->Get("/api/v1/exchange/peers");
  EXPECT_NE(as_admin.raw.find("10.9.9.9"), std::string::npos);
}

// 8. The duplicate warning names only documents the clerk may open.
TEST_F(SecurityTest, TheDuplicateWarningDoesNotRevealHiddenDocuments) {
  Register("vanthu", "15/TM-QK7", "Quân khu 7", "toi_mat");
  auto cntt = As("vanthu.cntt");
  const std::string pdf = "%PDF-1.4\n% dup\ntrailer<<>>\n%%EOF\n";
  auto blob = cntt->Call("POST", "/api/v1/blobs", pdf, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(blob.status, 201);
  auto r = cntt->Post("/api/v1/documents/incoming",
                      json::object{{"issuer_name", "Quân khu 7"},
                                   {"original_number_symbol", "15/TM-QK7"},
                                   {"subject", "Bản sao"},
                                   {"scan_sha256", blob.body.at("sha256")}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_TRUE(r.body.at("duplicates").as_array().empty()) << r.raw;
}

// 9. PATCH never lowers a classification; declassification is its own decision.
TEST_F(SecurityTest, DeclassificationIsADecisionWithAReasonNotAnEdit) {
  const Id id = NewDraft("Kế hoạch mật", "KH", "mat");
  auto spec = As("chuyenvien");
  const std::string etag = ETag(spec, DocPath(id));  // an audited read
  const std::int64_t before = AuditSize();
  auto lower =
      spec->Call("PATCH", DocPath(id), json::serialize(json::object{{"classification", "normal"}}),
                 {{"If-Match", etag}});
  EXPECT_EQ(lower.status, 400) << lower.raw;
  EXPECT_EQ(lower.body.at("errors").at(0).at("code").as_string(), "declassification_required");
  EXPECT_EQ(AuditSize(), before);
  EXPECT_EQ(As("admin")->Get(DocPath(id)).status, 404);
  auto by_clerk = As("vanthu")->Post(
      DocPath(id) + "/declassification",
      json::object{{"classification", "normal"}, {"reason", "Hết thời hạn bảo vệ"}});
  EXPECT_EQ(by_clerk.status, 403) << by_clerk.raw;
  auto proposed =
      As("thutruong")
          ->Post(DocPath(id) + "/declassification",
                 json::object{{"classification", "normal"}, {"reason", "Hết thời hạn bảo vệ"}});
  ASSERT_EQ(proposed.status, 202) << proposed.raw;
  const Id request = proposed.body.at("id").as_int64();
  auto decided = As("baomat")->Post("/api/v1/approvals/" + std::to_string(request) + "/approve",
                                    json::object{});
  ASSERT_EQ(decided.status, 200) << decided.raw;
  EXPECT_EQ(As("admin")->Get(DocPath(id)).status, 200) << "declassified: readable by all";
  EXPECT_EQ(AuditCount("document.declassify", "document", id), 1);
}

// 10. A reorganisation cannot make a unit its own ancestor.
TEST_F(SecurityTest, AReorganisationThatWouldMakeACycleIsRefused) {
  const std::int64_t before = AuditSize();
  const std::string today(As("admin")->Get("/api/v1/me").body.at("today").as_string());
  auto r = As("admin")->Post("/api/v1/reorganizations",
                             json::object{{"kind", "dissolve"},
                                          {"effective_date", today},
                                          {"sources", json::array{UnitId("CNTT")}},
                                          {"targets", json::array{UnitId("PKT")}}});
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body.at("errors").at(0).at("code").as_string(), "cycle");
  EXPECT_EQ(AuditSize(), before);
  EXPECT_EQ(As("vanthu")->Get("/api/v1/documents?limit=5").status, 200);
}

// 12. Unknown and real names get the same answers; delays, not a lock.
TEST_F(SecurityTest, UnknownAndRealNamesAreThrottledAlike) {
  Client c(node_->port());
  auto login = [&](const std::string& user, const std::string& password) {
    return c.Post("/api/v1/auth/login", json::object{{"username", user}, {"password", password}});
  };
  for (const std::string user : {"vanthu.cntt", "khong.ton.tai"}) {
    for (int i = 0; i < 5; ++i) {
      auto r = login(user, "sai-mat-khau");
      EXPECT_EQ(r.status, 401) << user << " " << i << " " << r.raw;
    }
    auto throttled = login(user, "Chancery@2026");
    EXPECT_EQ(throttled.status, 429) << user;
    EXPECT_EQ(throttled.code(), "account_locked");
    const auto wait =
        std::stoi(std::string(throttled.response.header("Retry-After").value_or("0")));
    EXPECT_GT(wait, 0);
    EXPECT_LE(wait, 30) << "a delay, not a lock";
  }
  EXPECT_GE(AuditCount("security.login_burst", "user", UserId("vanthu.cntt")), 1);
}

// 13. Login takes JSON only (no login CSRF); a TLS proxy gets Secure cookies.
TEST_F(SecurityTest, LoginTakesJsonOnlyAndCookiesAreSecureBehindTls) {
  Client c(node_->port());
  auto text =
      c.Call("POST", "/api/v1/auth/login", R"({"username":"vanthu","password":"Chancery@2026"})",
             {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415) << text.raw;
  EXPECT_FALSE(text.response.header("Set-Cookie"));
  auto tls =
      c.Call("POST", "/api/v1/auth/login", R"({"username":"vanthu","password":"Chancery@2026"})",
             {{"Content-Type", "application/json"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(tls.status, 200) << tls.raw;
  EXPECT_NE(tls.response.header("Set-Cookie").value_or("").find("; Secure"), std::string::npos);
}

// 14. What was signed cannot change under the signature.
TEST_F(SecurityTest, FilesFreezeForSigningAndEveryNewFileMovesTheVersion) {
  const Id id = NewDraft("Quyết định khen thưởng", "QĐ");
  auto spec = As("chuyenvien");
  ASSERT_EQ(spec->Post(DocPath(id) + "/actions/submit", json::object{}).status, 200);
  // The leader reads the document; then the drafter swaps its file.
  const std::string before = ETag(As("thutruong"), DocPath(id));
  auto version =
      spec->Call("POST", DocPath(id) + "/versions?file_name=du-thao.pdf",
                 "%PDF-1.4\n% v2\ntrailer<<>>\n%%EOF\n", {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(version.status, 201) << version.raw;
  const std::string after = ETag(spec, DocPath(id));
  EXPECT_NE(before, after) << "a new file is a new version of the document";
  auto stale = As("thutruong")
                   ->Post(DocPath(id) + "/actions/approve", json::object{}, {{"If-Match", before}});
  EXPECT_EQ(stale.status, 412) << stale.raw;
  ASSERT_EQ(As("thutruong")->Post(DocPath(id) + "/actions/approve", json::object{}).status, 200);
  auto late =
      spec->Call("POST", DocPath(id) + "/attachments?file_name=them.pdf",
                 "%PDF-1.4\n% late\ntrailer<<>>\n%%EOF\n", {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(late.status, 409) << late.raw;
}

// 15. Outsiders cannot make the node hold their bodies or its connections.
TEST_F(SecurityTest, LargeBodiesNeedASessionBeforeTheyAreRead) {
  RawConnection c(node_->port());
  ASSERT_TRUE(c.connected());
  // 2 MiB announced, not one byte of it sent: the answer comes at once.
  c.Send(
      "POST /api/v1/documents/1/attachments?file_name=a.pdf HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nContent-Type: application/pdf\r\n"
      "Content-Length: 2097152\r\n\r\n");
  const std::string answer = c.Receive(std::chrono::seconds(3));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 401")) << answer;
  RawConnection forged(node_->port());
  forged.Send("POST /api/v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              std::string(64, 'a') + "\r\nContent-Length: 2097152\r\n\r\n");
  EXPECT_TRUE(forged.Receive(std::chrono::seconds(3)).starts_with("HTTP/1.1 401"));
  RawConnection login(node_->port());
  login.Send(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1048576\r\n\r\n");
  // A signed-in clerk's large upload is streamed to a file, stored whole,
  // and its temporary file is gone once answered.
  auto clerk = As("vanthu");
  const std::string big = "%PDF-1.4\n" + std::string(2000000, 'x') + "\n%%EOF\n";
  auto stored = clerk->Call("POST", "/api/v1/blobs", big, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(stored.status, 201) << stored.raw;
  EXPECT_EQ(stored.body.at("size").as_int64(), static_cast<std::int64_t>(big.size()));
  EXPECT_EQ(clerk->Get("/api/v1/me").status, 200);  // the next request: the file is removed
  for (const auto& e : std::filesystem::directory_iterator(node_->data_dir() + "/tmp")) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".body-")) << e.path();
  }
  const std::string big_login = login.Receive(std::chrono::seconds(3));
  EXPECT_TRUE(big_login.starts_with("HTTP/1.1 413")) << big_login;
  EXPECT_NE(big_login.find("may not carry a large body"), std::string::npos) << big_login;
}

TEST_F(SecurityTest, ConnectionsPerClientAddressAreCapped) {
  // The default cap, 256 ([server] max_connections_per_address).
  std::vector<std::unique_ptr<RawConnection>> many;
  for (int i = 0; i < 300; ++i) many.push_back(std::make_unique<RawConnection>(node_->port()));
  int dropped = 0;
  for (auto& c : many) {
    c->Receive(std::chrono::milliseconds(5));
    if (c->closed()) ++dropped;
  }
  EXPECT_GE(dropped, 300 - 256) << "at most 256 open connections from one address";
  many.clear();
  Client fresh(node_->port());
  EXPECT_EQ(fresh.Get("/api/v1/health").status, 200) << "closed ones free their places";
}

TEST_F(SecurityTest, TheTimeStampingAuthorityIsRateLimitedPerAddress) {
  Client c(node_->port());
  int limited = 0;
  for (int i = 0; i < 160; ++i) {
    auto r = c.Call("POST", "/api/v1/pki/tsa", "not a request",
                    {{"Content-Type", "application/timestamp-query"}});
    if (r.status == 429) ++limited;
  }
  EXPECT_GT(limited, 0);
}

TEST(ShutdownTest, SigtermStopsTheNodeWithin5sWithRequestsInFlight) {
  NodeProcess node(NodeOptions{});
  ASSERT_TRUE(node.error().empty()) << node.error();
  Client clerk(node.port());
  ASSERT_TRUE(clerk.Login("vanthu"));
  // Uploads in flight: headers sent, bodies trickling.
  auto login = clerk.Post(
      "/api/v1/auth/login",
      json::object{{"username", "vanthu"}, {"password", "Chancery@2026"}, {"kind", "bearer"}});
  ASSERT_EQ(login.status, 200);
  const std::string token(login.body.at("token").as_string());
  std::vector<std::unique_ptr<RawConnection>> uploads;
  for (int i = 0; i < 4; ++i) {
    uploads.push_back(std::make_unique<RawConnection>(node.port()));
    uploads.back()->Send("POST /api/v1/blobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         token + "\r\nContent-Length: 1048576\r\n\r\n%PDF-1.4\n");
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(node.Stop()) << "ended by itself, not killed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// `chancery config check` reports a cycle in the unit tree (made here behind
// the node's back, in its SQLite file) and exits 2.
TEST(ConfigCheckTest, ACycleInTheUnitTreeIsReported) {
  NodeProcess node(NodeOptions{});
  ASSERT_TRUE(node.error().empty()) << node.error();
  node.Stop();
  std::string out;
  ASSERT_EQ(NodeProcess::Run({"config", "check", node.data_dir()}, &out), 0) << out;
  const std::string db = node.data_dir() + "/chancery.db";
  ASSERT_EQ(std::system(("sqlite3 '" + db +
                         "' \"UPDATE units SET parent_id = (SELECT id FROM units WHERE "
                         "abbreviation = 'PKT') WHERE abbreviation = 'CNTT'\"")
                            .c_str()),
            0);
  EXPECT_EQ(NodeProcess::Run({"config", "check", node.data_dir()}, &out), 2) << out;
  EXPECT_NE(out.find("cycle"), std::string::npos) << out;
}

// Behind a proxy named in [server] trusted_proxies, the client is the
// address the proxy put in X-Forwarded-For: one client's failed logins slow
// that client, not everyone behind the proxy.
TEST(TrustedProxyTest, ThrottlingCountsTheClientTheProxyNames) {
  NodeProcess node(NodeOptions{});
  ASSERT_TRUE(node.error().empty()) << node.error();
  node.Stop();
  const std::string config = node.data_dir() + "/chancery.toml";
  ASSERT_EQ(std::system(("sed -i 's/^\\[server\\]$/[server]\\ntrusted_proxies = "
                         "[\"127.0.0.1\"]/' '" +
                         config + "'")
                            .c_str()),
            0);
  ASSERT_TRUE(node.Restart()) << node.error();
  Client c(node.port());
  auto login = [&](const std::string& user, const std::string& password,
                   const std::string& client) {
    return c.Post("/api/v1/auth/login", json::object{{"username", user}, {"password", password}},
                  {{"X-Forwarded-For", "203.0.113.9, " + client}});
  };
  // 50 failures from one client, each for another name (the per-name count
  // never starts), then that client waits; another client does not.
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(login("khach." + std::to_string(i), "sai", "10.1.1.1").status, 401) << i;
  }
  EXPECT_EQ(login("vanthu", "Chancery@2026", "10.1.1.1").status, 429);
  EXPECT_EQ(login("vanthu", "Chancery@2026", "10.1.1.2").status, 200);
}

// The authorisation matrix: every route of the API (from the OpenAPI
// document, so a new route is covered without a row here) refuses the
// unauthenticated, and refuses every demo role the route table does not
// name with 403 — changing nothing.
TEST_F(SecurityTest, AuthorisationMatrixOverEveryRoute) {
  Client anon(node_->port());
  auto doc = anon.Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  const std::set<std::string> kPublic{"GET /api/v1/health",      "GET /api/v1/openapi.json",
                                      "POST /api/v1/auth/login", "GET /api/v1/pki/crl",
                                      "POST /api/v1/pki/ocsp",   "POST /api/v1/pki/tsa"};
  const std::map<std::string, std::string> kRoleOf{{"vanthu", "clerk"},
                                                   {"chuyenvien", "specialist"},
                                                   {"thutruong", "leader"},
                                                   {"admin", "administrator"},
                                                   {"baomat", "security_officer"}};
  for (const auto& [user, role] : kRoleOf) As(user);  // logins are audited: before counting
  const std::int64_t before = AuditSize();
  int routes = 0, refusals = 0;
  for (const auto& [path, item] : doc.body.at("paths").as_object()) {
    std::string target(path);
    // Placeholders: an id that exists (1) keeps 403 distinguishable from 404.
    for (std::size_t b; (b = target.find('{')) != std::string::npos;) {
      target.replace(b, target.find('}', b) - b + 1, "1");
    }
    for (const auto& [method_lc, op] : item.as_object()) {
      std::string method(method_lc);
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      const std::string key = method + " " + std::string(path);
      if (!std::string(path).starts_with("/api/v1/")) continue;
      ++routes;
      const std::string body = method == "GET" ? "" : "{}";
      if (!kPublic.count(key)) {
        auto r = anon.Call(method, target, body);
        EXPECT_EQ(r.status, 401) << key << ": " << r.raw;
        ++refusals;
      }
      const auto* roles = op.as_object().if_contains("x-required-role");
      if (!roles) continue;
      const std::string need(roles->as_string());
      for (const auto& [user, role] : kRoleOf) {
        // "clerk, specialist or leader": a role is named as a whole word.
        bool named = false;
        for (std::size_t at = need.find(role); at != std::string::npos;
             at = need.find(role, at + 1)) {
          const bool start = at == 0 || need[at - 1] == ' ' || need[at - 1] == ',';
          const std::size_t end = at + role.size();
          const bool stop = end == need.size() || need[end] == ' ' || need[end] == ',';
          named = named || (start && stop);
        }
        if (named) continue;
        auto r = As(user)->Call(method, target, body);
        EXPECT_EQ(r.status, 403) << key << " as " << user << ": " << r.raw;
        ++refusals;
      }
    }
  }
  EXPECT_GT(routes, 70);
  EXPECT_GT(refusals, routes);
  EXPECT_EQ(AuditSize(), before) << "refused requests change nothing";
}

// The matrix's other half: every route that names one document, called by
// each person who may not see a Tối mật document of the Văn phòng (no
// clearance, or another unit), answers 404 — as if it did not exist — or
// the router's 403 for a role the route never grants (the same for any
// id); never a 2xx or an error that tells the document is there. Nothing
// changes. Then the cleared reader gets through.
TEST_F(SecurityTest, EveryDocumentRouteHidesADocumentFromWhoMayNotSeeIt) {
  auto spec = As("chuyenvien");
  // A Tối mật draft in the Văn phòng, made by the leader (cleared).
  auto leader = As("thutruong");
  auto made = leader->Post("/api/v1/documents", json::object{{"type_code", "KH"},
                                                             {"subject", "Kế hoạch tối mật"},
                                                             {"classification", "toi_mat"},
                                                             {"unit_id", UnitId("VP")}});
  ASSERT_EQ(made.status, 201) << made.raw;
  const Id secret = made.body.at("id").as_int64();
  auto file = leader->Call("POST", DocPath(secret) + "/versions?file_name=kh.pdf",
                           "%PDF-1.4\n% toi mat\ntrailer<<>>\n%%EOF\n",
                           {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(file.status, 201) << file.raw;
  const std::string sha(file.body.at("sha256").as_string());
  Client anon(node_->port());
  auto doc = anon.Get("/api/v1/openapi.json");
  const std::vector<std::string> hidden_from{"admin", "chuyenvien", "vanthu.cntt"};
  for (const auto& u : hidden_from) As(u);
  const std::int64_t before = AuditSize();
  int calls = 0;
  for (const auto& [path, item] : doc.body.at("paths").as_object()) {
    const std::string p(path);
    if (!p.starts_with("/api/v1/documents/{id}")) continue;
    std::string target = p;
    auto put = [&](const std::string& name, const std::string& value) {
      if (auto at = target.find(name); at != std::string::npos)
        target.replace(at, name.size(), value);
    };
    put("{id}", std::to_string(secret));
    put("{sha256}", sha);
    put("{action}", "approve");
    // A valid request each, so that only the document's visibility can refuse it.
    std::string body = "{}";
    Headers headers{{"If-Match", "\"v1\""}};
    if (p.ends_with("/comments")) body = R"({"body":"Ý kiến"})";
    if (p.ends_with("/declassification"))
      body = R"({"classification":"normal","reason":"Hết hạn"})";
    if (p.ends_with("/attachments") || p.ends_with("/versions")) {
      target += "?file_name=them.pdf";
      body = "%PDF-1.4\n% them\ntrailer<<>>\n%%EOF\n";
      headers.emplace_back("Content-Type", "application/pdf");
    }
    if (p == "/api/v1/documents/{id}") body = R"({"subject":"Đổi trích yếu"})";
    for (const auto& [method_lc, op] : item.as_object()) {
      std::string method(method_lc);
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      for (const auto& user : hidden_from) {
        auto r = As(user)->Call(method, target, method == "GET" ? "" : body, headers);
        ++calls;
        const bool role_refusal = r.status == 403 && op.as_object().contains("x-required-role");
        EXPECT_TRUE(r.status == 404 || role_refusal)
            << method << " " << p << " as " << user << ": " << r.status << " " << r.raw;
        EXPECT_EQ(r.raw.find("tối mật"), std::string::npos) << r.raw;
      }
    }
  }
  EXPECT_GT(calls, 30);
  EXPECT_EQ(AuditSize(), before) << "hidden: nothing read, nothing changed";
  EXPECT_EQ(leader->Get(DocPath(secret)).status, 200);
  EXPECT_EQ(spec->Get(DocPath(secret)).status, 404);
}

// Reads, across the whole grid: a document of each classification in the
// Văn phòng, read through every route that reads one document, by every
// demo person (each role; own unit or above, or another unit; each
// clearance). Who may see it gets 200, everyone else 404.
TEST_F(SecurityTest, ReadsFollowClearanceAndUnitForEveryClassification) {
  struct Person {
    std::string user;
    int clearance;    // 0 normal .. 3 tuyet_mat
    bool reaches_vp;  // the Văn phòng is their unit or below it
  };
  const std::vector<Person> people{{"admin", 0, true},  {"chuyenvien", 1, true},
                                   {"vanthu", 2, true}, {"thutruong", 3, true},
                                   {"baomat", 3, true}, {"vanthu.cntt", 1, false}};
  const std::vector<std::string> levels{"normal", "mat", "toi_mat", "tuyet_mat"};
  for (std::size_t level = 0; level < levels.size(); ++level) {
    auto made =
        As("thutruong")
            ->Post("/api/v1/documents", json::object{{"type_code", "TB"},
                                                     {"subject", "Thông báo " + levels[level]},
                                                     {"classification", levels[level]},
                                                     {"unit_id", UnitId("VP")}});
    ASSERT_EQ(made.status, 201) << made.raw;
    const Id id = made.body.at("id").as_int64();
    auto file = As("thutruong")
                    ->Call("POST", DocPath(id) + "/versions?file_name=tb.pdf",
                           "%PDF-1.4\n% " + levels[level] + "\ntrailer<<>>\n%%EOF\n",
                           {{"Content-Type", "application/pdf"}});
    ASSERT_EQ(file.status, 201) << file.raw;
    const std::string sha(file.body.at("sha256").as_string());
    for (const auto& who : people) {
      const bool may = who.clearance >= static_cast<int>(level) && who.reaches_vp;
      const std::vector<std::string> routes{"", "/timeline", "/exchange", "/files/" + sha};
      for (const std::string& route : routes) {
        auto r = As(who.user)->Get(DocPath(id) + route);
        EXPECT_EQ(r.status, may ? 200 : 404)
            << levels[level] << " " << route << " as " << who.user << ": " << r.raw.substr(0, 200);
      }
    }
  }
}

// The outbox shows packages of documents the caller may open, nothing else.
TEST_F(SecurityTest, TheOutboxListsOnlyDocumentsTheCallerMayOpen) {
  AddPeer("000.00.98.H98", "Bộ Công an", "https://127.0.0.1:9");
  const Id id = NewDraft("Công văn mật gửi Bộ Công an", "", "mat");
  auto spec = As("chuyenvien");
  auto etag = ETag(spec, DocPath(id));
  auto to_peer = spec->Call(
      "PATCH", DocPath(id),
      json::serialize(json::object{{"recipient_agency_codes", json::array{"000.00.98.H98"}}}),
      {{"If-Match", etag}});
  ASSERT_EQ(to_peer.status, 200) << to_peer.raw;
  Issue(id);
  auto mine = As("vanthu")->Get("/api/v1/exchange/outbox");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  bool listed = false;
  for (const auto& item : mine.body.at("items").as_array()) {
    if (item.at("document_id").is_int64() && item.at("document_id").as_int64() == id) listed = true;
  }
  EXPECT_TRUE(listed) << mine.raw;
  for (const std::string user : {"admin", "vanthu.cntt"}) {
    auto theirs = As(user)->Get("/api/v1/exchange/outbox");
    ASSERT_EQ(theirs.status, 200) << theirs.raw;
    for (const auto& item : theirs.body.at("items").as_array()) {
      EXPECT_FALSE(item.at("document_id").is_int64() && item.at("document_id").as_int64() == id)
          << user << " sees the package of a document they may not open";
    }
  }
}

}  // namespace
}  // namespace chancery::testing
