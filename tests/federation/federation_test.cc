// Federation: agencies' nodes as separate `chancery serve` processes with
// their own data folders, talking mutual TLS on loopback, plus a
// `chancery gateway` between two network zones (docs/exchange.md).
//
//   zone "bqp": A and B, direct peers; A also reaches C through the gateway
//   GW, which listens in both zones; zone "cp": C.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/http/client.h"
#include "lib/pki/pades.h"
#include "lib/pki/pki.h"
#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kA = "000.00.01.A01";
constexpr const char* kB = "000.00.01.B01";
constexpr const char* kC = "000.00.02.C01";
constexpr const char* kGw = "000.00.09.GW1";
constexpr const char* kRogue = "000.00.07.R01";

std::string ExchangeConfig(const char* code, std::uint16_t port) {
  return "\n[exchange]\nagency_code = \"" + std::string(code) +
         "\"\nendpoint = \"https://127.0.0.1:" + std::to_string(port) +
         "\"\nport = " + std::to_string(port) +
         "\nretry_base_ms = 100\nretry_cap_seconds = 1\npoll_ms = 50\n";
}

// Waits until `done` holds (polling), up to `seconds`.
template <typename F>
bool WaitFor(F done, int seconds = 20) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

json::value Parse(const std::string& s) {
  std::error_code ec;
  auto v = json::parse(s, ec);
  return ec ? json::value(nullptr) : v;
}

// One node and its logged-in people.
struct Agency {
  std::unique_ptr<NodeProcess> node;
  std::map<std::string, std::unique_ptr<Client>> sessions;
  std::uint16_t exchange_port = 0;

  Client* As(const std::string& user) {
    auto& c = sessions[user];
    if (!c) {
      c = std::make_unique<Client>(node->port());
      EXPECT_TRUE(c->Login(user)) << user;
    }
    return c.get();
  }
  void Relogin() { sessions.clear(); }
  json::object Identity() {
    auto r = As("admin")->Get("/api/v1/exchange/identity");
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body.as_object();
  }
  void AddPeer(const std::string& code, json::object body) {
    auto r = As("admin")->Call("PUT", "/api/v1/exchange/peers/" + code, json::serialize(body));
    ASSERT_EQ(r.status, 200) << code << ": " << r.raw;
  }
};

json::object PeerEntry(const json::object& id, const std::string& max = "normal") {
  return json::object{{"name", id.at("name")},
                      {"endpoint", id.at("endpoint")},
                      {"certificate_pem", id.at("certificate_pem")},
                      {"ca_pem", id.at("ca_pem")},
                      {"max_classification", max}};
}

class FederationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    a_port_ = FreePort();
    b_port_ = FreePort();
    c_port_ = FreePort();
    a_.node =
        std::make_unique<NodeProcess>(NodeOptions{.extra_config = ExchangeConfig(kA, a_port_)});
    const std::string crash_flag =
        (fs::temp_directory_path() / ("chancery-crash-" + std::to_string(getpid()))).string();
    crash_flag_ = crash_flag;
    b_.node = std::make_unique<NodeProcess>(
        NodeOptions{.extra_config = ExchangeConfig(kB, b_port_),
                    .env = {{"CHANCERY_TEST_CRASH_AFTER_STORE", crash_flag}},
                    .binary = CHANCERY_FAULT_BIN});
    c_.node =
        std::make_unique<NodeProcess>(NodeOptions{.extra_config = ExchangeConfig(kC, c_port_)});
    for (auto* n : {&a_, &b_, &c_}) {
      if (!n->node->error().empty()) return;
    }
    StartGateway();
  }
  static void TearDownTestSuite() {
    StopGateway();
    for (auto* n : {&a_, &b_, &c_}) {
      n->sessions.clear();
      n->node.reset();
    }
    std::error_code ec;
    if (!gw_dir_.empty()) fs::remove_all(gw_dir_, ec);
  }

  // The gateway: its own folder, CA and two listeners with fixed ports.
  static void StartGateway() {
    gw_dir_ = (fs::temp_directory_path() / ("chancery-gw-" + std::to_string(getpid()))).string();
    gw_bqp_port_ = FreePort();
    gw_cp_port_ = FreePort();
    std::string out;
    if (NodeProcess::Run({"init", gw_dir_, "--agency", "Cổng kết nối", "--abbreviation", "GW",
                          "--agency-code", kGw, "--admin-password", "Chancery@2026"},
                         &out) != 0) {
      gw_error_ = "gateway init: " + out;
      return;
    }
    std::ofstream(fs::path(gw_dir_) / "chancery.toml", std::ios::app)
        << "\n[exchange]\nagency_code = \"" << kGw << "\"\n"
        << "[[gateway.zone]]\nname = \"bqp\"\nport = " << gw_bqp_port_ << "\nmax_out = \"normal\"\n"
        << "[[gateway.zone]]\nname = \"cp\"\nport = " << gw_cp_port_ << "\nmax_out = \"normal\"\n";
    if (NodeProcess::Run({"pki", "init-ca", gw_dir_, "--as", "admin"}, &out) != 0) {
      gw_error_ = "gateway init-ca: " + out;
      return;
    }
    gw_pid_ = fork();
    if (gw_pid_ == 0) {
      const std::string log = gw_dir_ + "/gateway.log";
      FILE* f = std::fopen(log.c_str(), "w");
      if (f) {
        dup2(fileno(f), 1);
        dup2(fileno(f), 2);
      }
      execl(CHANCERY_BIN, CHANCERY_BIN, "gateway", gw_dir_.c_str(), nullptr);
      _exit(127);
    }
  }
  static void StopGateway() {
    if (gw_pid_ > 0) {
      kill(gw_pid_, SIGTERM);
      int status = 0;
      waitpid(gw_pid_, &status, 0);
      gw_pid_ = -1;
    }
  }
  static json::object GatewayIdentity(const std::string& zone) {
    std::string out;
    EXPECT_EQ(NodeProcess::Run({"exchange", "identity", gw_dir_, "--zone", zone}, &out), 0) << out;
    auto v = Parse(out);
    return v.is_object() ? v.as_object() : json::object{};
  }
  static void GatewayAddPeer(const std::string& code, json::object entry) {
    entry["agency_code"] = code;
    const std::string file = gw_dir_ + "/peer-" + code + ".json";
    std::ofstream(file) << json::serialize(entry);
    std::string out;
    ASSERT_EQ(
        NodeProcess::Run({"exchange", "add-peer", gw_dir_, "--file", file, "--as", "admin"}, &out),
        0)
        << out;
  }

  void SetUp() override {
    for (auto* n : {&a_, &b_, &c_}) ASSERT_TRUE(n->node->error().empty()) << n->node->error();
    ASSERT_TRUE(gw_error_.empty()) << gw_error_;
    if (linked_) return;
    linked_ = true;
    // The directories: A and B know each other; A and C know each other
    // through the gateway, which knows both.
    // The gateway makes its zones' certificates as it starts: wait for it.
    ASSERT_TRUE(WaitFor([] {
      std::ifstream log(gw_dir_ + "/gateway.log");
      std::string text((std::istreambuf_iterator<char>(log)), {});
      return text.find("zone cp on") != std::string::npos;
    })) << "the gateway did not start";
    const auto ida = a_.Identity(), idb = b_.Identity(), idc = c_.Identity();
    a_.AddPeer(kB, PeerEntry(idb));
    b_.AddPeer(kA, PeerEntry(ida));
    auto gw_bqp = GatewayIdentity("bqp");
    auto gw_cp = GatewayIdentity("cp");
    ASSERT_FALSE(gw_bqp.empty());
    gw_bqp["endpoint"] = "https://127.0.0.1:" + std::to_string(gw_bqp_port_);
    gw_cp["endpoint"] = "https://127.0.0.1:" + std::to_string(gw_cp_port_);
    a_.AddPeer(kGw, PeerEntry(gw_bqp));
    c_.AddPeer(kGw, PeerEntry(gw_cp));
    json::object c_via = PeerEntry(idc, "mat");
    c_via["via"] = kGw;
    c_via["endpoint"] = "";
    c_via["certificate_pem"] = "";
    a_.AddPeer(kC, c_via);
    json::object a_via = PeerEntry(ida);
    a_via["via"] = kGw;
    a_via["endpoint"] = "";
    a_via["certificate_pem"] = "";
    c_.AddPeer(kA, a_via);
    json::object a_in_gw = PeerEntry(ida, "toi_mat");
    a_in_gw["zone"] = "bqp";
    GatewayAddPeer(kA, a_in_gw);
    json::object c_in_gw = PeerEntry(idc, "mat");
    c_in_gw["zone"] = "cp";
    GatewayAddPeer(kC, c_in_gw);
  }

  // A's clerk drives a new outgoing document to `agencies` and issues it.
  Id Send(const std::string& subject, const std::vector<std::string>& agencies,
          const std::string& classification = "normal", Id replaces = 0) {
    json::array codes;
    for (const auto& c : agencies) codes.push_back(json::string(c));
    json::object draft{{"type_code", "TB"},
                       {"subject", subject},
                       {"classification", classification},
                       {"recipient_agency_codes", codes}};
    if (replaces) draft["replaces_id"] = replaces;
    auto r = a_.As("chuyenvien")->Post("/api/v1/documents", draft);
    EXPECT_EQ(r.status, 201) << r.raw;
    if (r.status != 201) return 0;
    const Id id = r.body.at("id").as_int64();
    // The document itself, signed by the leader and sealed on the way.
    auto v =
        a_.As("chuyenvien")
            ->Call("POST",
                   "/api/v1/documents/" + std::to_string(id) + "/versions?file_name=thong-bao.pdf",
                   pki::SimplePdf({"THONG BAO\n" + std::to_string(id)}),
                   {{"Content-Type", "application/pdf"}});
    EXPECT_EQ(v.status, 201) << v.raw;
    for (const auto& [who, action] :
         std::vector<std::pair<std::string, std::string>>{{"chuyenvien", "submit"},
                                                          {"thutruong", "approve"},
                                                          {"thutruong", "sign"},
                                                          {"vanthu", "number"},
                                                          {"vanthu", "seal"},
                                                          {"vanthu", "issue"}}) {
      json::object body;
      if (action == "sign") body["pin"] = "123456";
      auto step =
          a_.As(who)->Post("/api/v1/documents/" + std::to_string(id) + "/actions/" + action, body);
      EXPECT_EQ(step.status, 200) << action << ": " << step.raw;
    }
    return id;
  }

  // The sender's view of one recipient of a document.
  static json::object RecipientView(Agency& sender, Id id, const std::string& code) {
    auto r = sender.As("vanthu")->Get("/api/v1/documents/" + std::to_string(id) + "/exchange");
    if (r.status != 200) return {};
    for (const auto& item : r.body.at("items").as_array()) {
      if (item.at("agency_code").as_string() == code) return item.as_object();
    }
    return {};
  }
  static std::string Field(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  // The incoming copies at `receiver` whose subject is `subject`.
  static std::vector<json::object> Copies(Agency& receiver, const std::string& subject) {
    auto r = receiver.As("vanthu")->Get("/api/v1/documents?box=incoming&limit=200");
    std::vector<json::object> out;
    if (r.status != 200) return out;
    for (const auto& d : r.body.at("items").as_array()) {
      if (d.at("subject").as_string() == subject) out.push_back(d.as_object());
    }
    return out;
  }

  static inline Agency a_, b_, c_;
  static inline std::uint16_t a_port_ = 0, b_port_ = 0, c_port_ = 0;
  static inline std::string gw_dir_, gw_error_, crash_flag_;
  static inline pid_t gw_pid_ = -1;
  static inline std::uint16_t gw_bqp_port_ = 0, gw_cp_port_ = 0;
  static inline bool linked_ = false;
};

TEST_F(FederationTest, DocumentGoesAToBStatusesComeBackAndRecallWorks) {
  const std::string subject = "Thông báo lịch họp giao ban tháng 12";
  const Id id = Send(subject, {kB});
  ASSERT_GT(id, 0);
  // Delivered with a receipt, and B's clerk sees it as arrived.
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "delivery") == "delivered"; }))
      << json::serialize(RecipientView(a_, id, kB));
  EXPECT_EQ(Field(RecipientView(a_, id, kB), "status"), "01");
  std::vector<json::object> copies;
  ASSERT_TRUE(WaitFor([&] { return (copies = Copies(b_, subject)).size() == 1; }));
  const Id copy = copies[0].at("id").as_int64();
  EXPECT_EQ(copies[0].at("state").as_string(), "received");
  // The attachments arrived with their signatures checked on arrival.
  auto detail = b_.As("vanthu")->Get("/api/v1/documents/" + std::to_string(copy));
  ASSERT_EQ(detail.status, 200) << detail.raw;
  EXPECT_FALSE(detail.body.at("attachments").as_array().empty()) << detail.raw;
  // B works on it: 03 registered, 04 assigned, 06 completed flow back to A.
  const std::string path = "/api/v1/documents/" + std::to_string(copy) + "/actions/";
  ASSERT_EQ(b_.As("vanthu")->Post(path + "register", json::object{}).status, 200);
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "status") == "03"; }));
  auto units = b_.As("admin")->Get("/api/v1/units");
  ASSERT_EQ(units.status, 200);
  const Id lead = units.body.at("items").as_array().at(0).at("id").as_int64();
  auto assign = b_.As("thutruong")
                    ->Post(path + "assign",
                           json::object{{"lead_unit_id", lead}, {"deadline_working_days", 5}});
  ASSERT_EQ(assign.status, 200) << assign.raw;
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "status") == "04"; }));
  // The sender sees each status in the history, in order.
  auto view = RecipientView(a_, id, kB);
  std::vector<std::string> codes;
  for (const auto& h : view.at("history").as_array()) {
    if (h.at("direction").as_string() == "in") codes.emplace_back(h.at("code").as_string());
  }
  ASSERT_GE(codes.size(), 3u);
  EXPECT_EQ(codes[0], "01");
  EXPECT_EQ(codes[1], "03");
  EXPECT_EQ(codes[2], "04");

  // Recall: A asks (13); B's copy freezes; B's clerk agrees (15); A sees it.
  auto recall = a_.As("vanthu")->Post("/api/v1/documents/" + std::to_string(id) + "/actions/recall",
                                      json::object{{"reason", "Ban hành nhầm đối tượng"}});
  ASSERT_EQ(recall.status, 200) << recall.raw;
  ASSERT_TRUE(WaitFor([&] {
    auto d = b_.As("vanthu")->Get("/api/v1/documents/" + std::to_string(copy));
    return d.status == 200 && d.body.at("state").as_string() == "recall_requested";
  }));
  auto agree = b_.As("vanthu")->Post(path + "agree_recall", json::object{});
  ASSERT_EQ(agree.status, 200) << agree.raw;
  EXPECT_EQ(agree.body.at("state").as_string(), "recalled");
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "status") == "15"; }));
}

TEST_F(FederationTest, ThroughTheGatewayNormalPassesClassifiedIsRefusedWithTheRule) {
  const std::string subject = "Công văn qua cổng kết nối";
  const Id id = Send(subject, {kC});
  ASSERT_GT(id, 0);
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kC), "delivery") == "delivered"; }))
      << json::serialize(RecipientView(a_, id, kC));
  ASSERT_TRUE(WaitFor([&] { return Copies(c_, subject).size() == 1; }));
  // C's registration travels back through the gateway.
  const Id copy = Copies(c_, subject)[0].at("id").as_int64();
  ASSERT_EQ(
      c_.As("vanthu")
          ->Post("/api/v1/documents/" + std::to_string(copy) + "/actions/register", json::object{})
          .status,
      200);
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kC), "status") == "03"; }));

  // A "mật" document: A's directory allows C to receive it, but nothing
  // above "normal" leaves zone bqp through the gateway.
  const std::string secret = "Kế hoạch mật qua cổng";
  const Id sid = Send(secret, {kC}, "mat");
  ASSERT_GT(sid, 0);
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, sid, kC), "delivery") == "refused"; }))
      << json::serialize(RecipientView(a_, sid, kC));
  const std::string error = Field(RecipientView(a_, sid, kC), "last_error");
  EXPECT_NE(error.find("CLASSIFICATION"), std::string::npos) << error;
  EXPECT_NE(error.find("max_out:bqp=normal"), std::string::npos) << error;
  EXPECT_EQ(Field(RecipientView(a_, sid, kC), "status"), "02");
  EXPECT_TRUE(Copies(c_, secret).empty());
  // The gateway's audit log has both crossings with the deciding rule.
  std::string out;
  ASSERT_EQ(NodeProcess::Run({"audit", "verify", gw_dir_}, &out), 0) << out;
  const std::string db = gw_dir_ + "/chancery.db";
  std::string rows;
  FILE* p = popen(
      ("sqlite3 '" + db + "' \"SELECT record FROM audit_log WHERE action = 'gateway.crossing'\"")
          .c_str(),
      "r");
  ASSERT_NE(p, nullptr);
  char buf[4096];
  while (fgets(buf, sizeof buf, p)) rows += buf;
  pclose(p);
  EXPECT_NE(rows.find("\"decision\":\"forwarded\""), std::string::npos) << rows;
  EXPECT_NE(rows.find("\"rule\":\"max_out:bqp=normal\""), std::string::npos) << rows;
}

TEST_F(FederationTest, ReceiverDownThenBackGetsEachPackageOnceInOrder) {
  b_.node->Stop();
  std::vector<Id> ids;
  const std::string prefix = "Gửi khi B ngừng hoạt động ";
  for (int i = 1; i <= 3; ++i) ids.push_back(Send(prefix + std::to_string(i), {kB}));
  // Retried while B is down, nothing lost.
  ASSERT_TRUE(
      WaitFor([&] { return RecipientView(a_, ids[0], kB).at("attempts").as_int64() >= 2; }));
  EXPECT_EQ(Field(RecipientView(a_, ids[0], kB), "delivery"), "pending");
  ASSERT_TRUE(b_.node->Restart()) << b_.node->error();
  b_.Relogin();
  for (Id id : ids) {
    ASSERT_TRUE(
        WaitFor([&] { return Field(RecipientView(a_, id, kB), "delivery") == "delivered"; }));
  }
  // Once each, and in the order of issue.
  std::vector<Id> arrived;
  for (int i = 1; i <= 3; ++i) {
    auto copies = Copies(b_, prefix + std::to_string(i));
    ASSERT_EQ(copies.size(), 1u) << i;
    arrived.push_back(copies[0].at("id").as_int64());
  }
  EXPECT_LT(arrived[0], arrived[1]);
  EXPECT_LT(arrived[1], arrived[2]);
}

TEST_F(FederationTest, ReceiverCrashingAfterStoringDoesNotDuplicate) {
  std::ofstream(crash_flag_) << "crash once";
  const std::string subject = "Văn bản khi B sập giữa chừng";
  const Id id = Send(subject, {kB});
  ASSERT_TRUE(WaitFor([&] { return !fs::exists(crash_flag_); })) << "B did not crash";
  ASSERT_TRUE(b_.node->Restart()) << b_.node->error();
  b_.Relogin();
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "delivery") == "delivered"; }));
  EXPECT_EQ(Copies(b_, subject).size(), 1u);
}

// ---- Packages from a rogue sender the test controls -------------------------

struct TestIdentity {
  std::string ca_pem, ca_key;
  std::string cert_pem, key_pem;
};

TestIdentity MakeIdentity(const std::string& name, const std::string& code) {
  TestIdentity t;
  const Timestamp now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  t.ca_key = *pki::GenerateKey("");
  auto ca_pub = *pki::PublicKeyPem(pki::KeyRef::Pem(t.ca_key));
  t.ca_pem = pki::Issue({"", pki::KeyRef::Pem(t.ca_key)}, {.common_name = name + " CA"}, ca_pub,
                        pki::Profile::kRootCa, now - std::chrono::hours(1), 30)
                 ->certificate_pem;
  t.key_pem = *pki::GenerateKey("");
  auto pub = *pki::PublicKeyPem(pki::KeyRef::Pem(t.key_pem));
  t.cert_pem = pki::Issue({t.ca_pem, pki::KeyRef::Pem(t.ca_key)},
                          {.common_name = name, .organization = name, .organization_id = code}, pub,
                          pki::Profile::kOrganization, now - std::chrono::hours(1), 30)
                   ->certificate_pem;
  return t;
}

edxml::Package RoguePackage(const std::string& from, const std::string& number) {
  edxml::Package p;
  p.from = {.id = from, .name = "Cơ quan thử"};
  p.to = {{.id = kB, .name = "B"}};
  p.code_number = number;
  p.code_notation = "CV-THU";
  p.promulgation_date = Date{std::chrono::year{2026} / 11 / 23};
  p.document_id = edxml::DocumentIdOf(from, p.promulgation_date, number, p.code_notation);
  p.subject = "Gói thử " + number;
  p.type_name = "Công văn";
  p.traces = {{from, std::chrono::time_point_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now())}};
  p.attachments = {{.content_id = "a1@test",
                    .name = "vanban.txt",
                    .content_type = "text/plain",
                    .bytes = "Nội dung văn bản " + number}};
  return p;
}

TEST_F(FederationTest, TamperedForgedImpersonatingAndReplayedPackagesAreHandled) {
  const TestIdentity rogue = MakeIdentity("Cơ quan thử", kRogue);
  const TestIdentity stranger = MakeIdentity("Người lạ", "000.00.07.X99");
  // B's administrator knows the rogue's node (its certificate and CA).
  b_.AddPeer(kRogue, json::object{{"name", "Cơ quan thử"},
                                  {"endpoint", "https://127.0.0.1:1"},
                                  {"certificate_pem", rogue.cert_pem},
                                  {"ca_pem", rogue.ca_pem}});
  const std::string b_pin(b_.Identity().at("certificate_sha256").as_string());
  auto post = [&](const TestIdentity& who, const std::string& body) {
    http::TlsOptions tls;
    tls.certificate_chain_pem = who.cert_pem;
    tls.key = pki::KeyRef::Pem(who.key_pem);
    tls.pinned_peer_sha256 = {b_pin};
    http::HttpClient client("127.0.0.1", b_.node->exchange_port(), tls);
    auto r =
        client.Send("POST", "/exchange/v1/packages", body, {{"Content-Type", "multipart/related"}});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : http::ClientResponse{};
  };
  auto reason = [](const http::ClientResponse& r) {
    auto v = Parse(r.body);
    return v.is_object() && v.as_object().contains("reason")
               ? std::string(v.at("reason").as_string())
               : std::string("(none: ") + r.body + ")";
  };
  auto signer = *pki::Signer::Open(rogue.cert_pem, pki::KeyRef::Pem(rogue.key_pem), {rogue.ca_pem});
  auto stranger_signer =
      *pki::Signer::Open(stranger.cert_pem, pki::KeyRef::Pem(stranger.key_pem), {stranger.ca_pem});

  // A good package is stored once; its replay gets the same receipt.
  const std::string good = *edxml::WritePackage(RoguePackage(kRogue, "101"), signer);
  auto first = post(rogue, good);
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = post(rogue, good);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(first.body, again.body);
  EXPECT_EQ(Copies(b_, "Gói thử 101").size(), 1u);

  // Tampered in transit: one byte of the attachment changed.
  std::string tampered =
      *edxml::WritePackage(RoguePackage(kRogue, "102"), signer, {.binary_parts = true});
  const auto at = tampered.find("Nội dung văn bản 102");
  ASSERT_NE(at, std::string::npos);
  tampered[at] = 'M';
  auto r1 = post(rogue, tampered);
  EXPECT_EQ(r1.status, 422) << r1.body;
  EXPECT_EQ(reason(r1), "DIGEST_MISMATCH");
  // Signed by a CA B does not trust for this sender.
  auto r2 = post(rogue, *edxml::WritePackage(RoguePackage(kRogue, "103"), stranger_signer));
  EXPECT_EQ(r2.status, 422) << r2.body;
  EXPECT_EQ(reason(r2), "UNKNOWN_CA");
  // The rogue's node claiming to be A.
  auto r3 = post(rogue, *edxml::WritePackage(RoguePackage(kA, "104"), signer));
  EXPECT_EQ(r3.status, 403) << r3.body;
  EXPECT_EQ(reason(r3), "IMPERSONATION");
  // A node nobody entered in the directory.
  auto r4 =
      post(stranger, *edxml::WritePackage(RoguePackage("000.00.07.X99", "105"), stranger_signer));
  EXPECT_EQ(r4.status, 403) << r4.body;
  EXPECT_EQ(reason(r4), "UNKNOWN_PEER");
  for (const char* n : {"102", "103", "104", "105"}) {
    EXPECT_TRUE(Copies(b_, std::string("Gói thử ") + n).empty()) << n;
  }
  // Each refusal is quarantined for the security officer, with its reason, and audited.
  auto q = b_.As("baomat")->Get("/api/v1/exchange/quarantine");
  ASSERT_EQ(q.status, 200) << q.raw;
  std::string reasons;
  for (const auto& item : q.body.at("items").as_array())
    reasons += std::string(item.at("reason").as_string()) + " ";
  for (const char* code : {"DIGEST_MISMATCH", "UNKNOWN_CA", "IMPERSONATION", "UNKNOWN_PEER"}) {
    EXPECT_NE(reasons.find(code), std::string::npos) << code << " in " << reasons;
  }
  auto audit = b_.As("baomat")->Get("/api/v1/audit?action=exchange.refused&limit=50");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_GE(audit.body.at("items").as_array().size(), 4u) << audit.raw;
  // Only the clerk's roles see the quarantine: a clerk is refused.
  EXPECT_EQ(b_.As("vanthu")->Get("/api/v1/exchange/quarantine").status, 403);
}

TEST_F(FederationTest, EdxmlExportVerifiesWithXmlsec1AndImportsElsewhere) {
  const std::string subject = "Văn bản xuất edXML";
  const Id id = Send(subject, {kB});
  ASSERT_TRUE(WaitFor([&] { return Field(RecipientView(a_, id, kB), "delivery") == "delivered"; }));
  auto file = a_.As("vanthu")->Call(
      "GET", "/api/v1/documents/" + std::to_string(id) + "/edxml?agency=" + kB);
  ASSERT_EQ(file.status, 200) << file.raw;
  // Round trip: the export parses back to the same document id and fields.
  auto parsed = edxml::ReadPackage(file.raw);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->package.subject, subject);
  EXPECT_EQ(parsed->package.from.id, kA);
  EXPECT_FALSE(parsed->package.attachments.empty());
  // Debian's xmlsec1 accepts our XML signature over the envelope.
  const fs::path dir = fs::temp_directory_path() / ("chancery-edxml-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "envelope.xml") << parsed->signed_xml;
  std::ofstream(dir / "ca.pem") << a_.Identity().at("ca_pem").as_string().c_str();
  const std::string cmd = "xmlsec1 --verify --ignore-manifests --trusted-pem '" +
                          (dir / "ca.pem").string() + "' '" + (dir / "envelope.xml").string() +
                          "' > '" + (dir / "out.txt").string() + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  std::ifstream outf(dir / "out.txt");
  const std::string out((std::istreambuf_iterator<char>(outf)), {});
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("OK"), std::string::npos) << out;
  fs::remove_all(dir);
  // C's clerk imports the file by hand: C trusts A's CA through its directory.
  auto imported = c_.As("vanthu")->Call("POST", "/api/v1/exchange/import", file.raw,
                                        {{"Content-Type", "multipart/related"}});
  ASSERT_EQ(imported.status, 201) << imported.raw;
  EXPECT_EQ(imported.body.at("subject").as_string(), subject);
  // A changed byte in the file is refused with the reason.
  std::string bad = file.raw;
  const auto at = bad.find(subject.substr(0, 6));
  ASSERT_NE(at, std::string::npos);
  bad[at] = 'X';
  auto refused = c_.As("vanthu")->Call("POST", "/api/v1/exchange/import", bad,
                                       {{"Content-Type", "multipart/related"}});
  EXPECT_EQ(refused.status, 400) << refused.raw;
}

TEST_F(FederationTest, AReplacementSupersedesTheRecipientsCopy) {
  const std::string first = "Thông báo (bản đầu)";
  const Id old_id = Send(first, {kB});
  ASSERT_TRUE(WaitFor([&] { return Copies(b_, first).size() == 1; }));
  const std::string second = "Thông báo (bản thay thế)";
  const Id new_id = Send(second, {kB}, "normal", old_id);
  ASSERT_GT(new_id, 0);
  ASSERT_TRUE(WaitFor([&] { return Copies(b_, second).size() == 1; }));
  // B's copy of the first is marked replaced; the sender's original too.
  auto old_copy = Copies(b_, first);
  ASSERT_EQ(old_copy.size(), 1u);
  EXPECT_EQ(old_copy[0].at("state").as_string(), "replaced");
  auto original = a_.As("vanthu")->Get("/api/v1/documents/" + std::to_string(old_id));
  EXPECT_EQ(original.body.at("state").as_string(), "replaced");
  // The package said so: business type 3 naming the earlier document id.
  auto file =
      a_.As("vanthu")->Call("GET", "/api/v1/documents/" + std::to_string(new_id) + "/edxml");
  ASSERT_EQ(file.status, 200);
  auto parsed = edxml::ReadPackage(file.raw);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->package.business.doc_type, 3);
  EXPECT_FALSE(parsed->package.business.document_id.empty());
}

TEST_F(FederationTest, ASignedDirectoryIsFetchedFromItsPublisherAndCheckedOnImport) {
  // D joins: it knows only B (the publisher) and B knows it.
  Agency d;
  const std::uint16_t d_port = FreePort();
  d.node = std::make_unique<NodeProcess>(
      NodeOptions{.extra_config = ExchangeConfig("000.00.03.D01", d_port)});
  ASSERT_TRUE(d.node->error().empty()) << d.node->error();
  const auto idb = b_.Identity(), idd = d.Identity();
  b_.AddPeer("000.00.03.D01", PeerEntry(idd));
  d.AddPeer(kB, PeerEntry(idb));
  // Refresh: D fetches B's signed directory over mutual TLS and takes its entries.
  auto refreshed = d.As("admin")->Post("/api/v1/exchange/directory", json::object{{"source", kB}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.raw;
  EXPECT_GE(refreshed.body.at("imported").as_int64(), 2);
  auto peers = d.As("admin")->Get("/api/v1/exchange/peers");
  bool knows_a = false;
  for (const auto& p : peers.body.at("items").as_array()) {
    if (p.at("agency_code").as_string() == kA) {
      knows_a = true;
      EXPECT_EQ(p.at("source").as_string(), "directory");
    }
  }
  EXPECT_TRUE(knows_a) << peers.raw;
  // A directory file changed after signing is refused, and nothing is taken.
  auto file = b_.As("admin")->Call("GET", "/api/v1/exchange/directory");
  ASSERT_EQ(file.status, 200);
  auto v = Parse(file.raw);
  std::string hex(v.at("directory").as_string());
  hex[hex.size() / 2] = hex[hex.size() / 2] == '0' ? '1' : '0';
  auto bad = d.As("admin")->Post(
      "/api/v1/exchange/directory",
      json::object{{"source", kB},
                   {"file", json::serialize(json::object{{"directory", hex},
                                                         {"signature", v.at("signature")}})}});
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_NE(bad.raw.find("bad_signature"), std::string::npos) << bad.raw;
  // Only administrators manage the directory.
  EXPECT_EQ(d.As("vanthu")->Post("/api/v1/exchange/directory", json::object{{"source", kB}}).status,
            403);
  d.sessions.clear();
}

}  // namespace
}  // namespace chancery::testing
