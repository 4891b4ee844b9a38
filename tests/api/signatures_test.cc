// Digital signatures through the API of a real node: the PIN that unlocks a
// leader's key, the signatures an issued document carries (checked by
// poppler's pdfsig as well as by us), the PKI endpoints checked with the
// openssl command-line tools, and signed tree heads of the audit log.
#include <filesystem>
#include <fstream>

#include "lib/pki/pades.h"
#include "lib/pki/pki_testing.h"
#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

namespace fs = std::filesystem;

// Runs a shell command; its exit status and output (stdout + stderr).
int Shell(const std::string& command, std::string* output = nullptr) {
  return pki::testing::RunCommand(command, output);
}

class SignaturesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    dir_ = fs::temp_directory_path() / ("chancery-sig-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view bytes) {
    std::ofstream(dir_ / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return (dir_ / name).string();
  }

  // A draft with a PDF as its file, and a PDF appendix, up to approval.
  Id ApprovedElectronicDraft(const std::string& subject) {
    const Id id = NewDraft(subject, "QĐ");
    auto spec = As("chuyenvien");
    auto v = spec->Call("POST", DocPath(id) + "/versions?file_name=quyet-dinh.pdf",
                        pki::SimplePdf({"QUYET DINH\n" + std::string("Thu nghiem ky so")}),
                        {{"Content-Type", "application/pdf"}});
    EXPECT_EQ(v.status, 201) << v.raw;
    auto a = spec->Call("POST", DocPath(id) + "/attachments?file_name=phu-luc.pdf",
                        pki::SimplePdf({"PHU LUC"}), {{"Content-Type", "application/pdf"}});
    EXPECT_EQ(a.status, 201) << a.raw;
    EXPECT_EQ(spec->Post(DocPath(id) + "/actions/submit", json::object{}).status, 200);
    EXPECT_EQ(As("thutruong")->Post(DocPath(id) + "/actions/approve", json::object{}).status, 200);
    return id;
  }

  // A leader of the test's own (password Dung-mat-khau-1) with a signing
  // key the security officer issued under `pin`; the answer.
  Reply NewLeaderWithKey(const std::string& username, const std::string& full_name,
                         const std::string& pin) {
    auto created =
        As("admin")->Post("/api/v1/users", json::object{{"username", username},
                                                        {"full_name", full_name},
                                                        {"unit_id", UnitId("BQP")},
                                                        {"roles", json::array{"leader"}},
                                                        {"password", "Dung-mat-khau-1"}});
    EXPECT_EQ(created.status, 201) << created.raw;
    if (created.status != 201) return created;
    auto cert = As("baomat")->Post(
        "/api/v1/pki/certificates",
        json::object{{"profile", "person"}, {"user_id", created.body.at("id")}, {"pin", pin}});
    EXPECT_EQ(cert.status, 201) << cert.raw;
    return cert;
  }

  std::string RootCaPem() {
    auto r = As("baomat")->Get("/api/v1/pki/certificates?profile=root_ca&status=active");
    EXPECT_EQ(r.status, 200) << r.raw;
    return std::string(r.body.at("items").at(0).at("certificate_pem").as_string());
  }

  // The latest version of a document's file, downloaded.
  std::string LatestFile(Client* who, Id id) {
    auto doc = who->Get(DocPath(id));
    const auto& versions = doc.body.at("versions").as_array();
    const std::string sha(versions.back().at("sha256").as_string());
    return who->Get(DocPath(id) + "/files/" + sha).raw;
  }

  fs::path dir_;
};

TEST_F(SignaturesTest, SigningTakesThePinAndAWrongPinChangesNothing) {
  const Id id = ApprovedElectronicDraft("Ký số cần mã PIN");
  auto leader = As("thutruong");
  auto without = leader->Post(DocPath(id) + "/actions/sign", json::object{});
  EXPECT_EQ(without.status, 400) << without.raw;
  EXPECT_EQ(without.body.at("errors").at(0).at("code").as_string(), "required");
  auto wrong = leader->Post(DocPath(id) + "/actions/sign", json::object{{"pin", "000000"}});
  EXPECT_EQ(wrong.status, 400) << wrong.raw;
  EXPECT_EQ(wrong.body.at("errors").at(0).at("field").as_string(), "pin");
  EXPECT_EQ(wrong.body.at("errors").at(0).at("code").as_string(), "wrong_pin");
  // The document is as it was: still approved, one version, no signature.
  auto doc = leader->Get(DocPath(id));
  EXPECT_EQ(doc.body.at("state").as_string(), "approved");
  EXPECT_EQ(doc.body.at("versions").as_array().size(), 1u);
  EXPECT_TRUE(doc.body.at("signatures").as_array().empty());
  // The right PIN signs; a good signature clears the count of wrong ones.
  auto ok = leader->Post(DocPath(id) + "/actions/sign", json::object{{"pin", kPin}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  doc = leader->Get(DocPath(id));
  EXPECT_EQ(doc.body.at("versions").as_array().size(), 2u);
  ASSERT_EQ(doc.body.at("signatures").as_array().size(), 1u);
  EXPECT_EQ(doc.body.at("signatures").at(0).at("kind").as_string(), "personal");
  EXPECT_EQ(doc.body.at("signatures").at(0).at("signer").as_string(), "Phạm Quốc Trưởng");
}

TEST_F(SignaturesTest, RepeatedWrongPinsLockThePersonsKey) {
  // A leader of our own, so that locking does not disturb the demo's.
  const Reply cert = NewLeaderWithKey("lanhdao.khoa", "Lãnh Đạo Khóa", "246810");
  ASSERT_EQ(cert.status, 201) << cert.raw;
  EXPECT_EQ(cert.body.at("key_store").as_string(), "pin");
  EXPECT_FALSE(cert.body.as_object().contains("key_pem"));
  Client locked(node_->port());
  ASSERT_TRUE(locked.Login("lanhdao.khoa", "Dung-mat-khau-1"));
  const Id id = ApprovedElectronicDraft("Khóa khóa ký sau nhiều lần sai PIN");
  for (int i = 0; i < 4; ++i) {
    auto r = locked.Post(DocPath(id) + "/actions/sign", json::object{{"pin", "111111"}});
    EXPECT_EQ(r.status, 400) << r.raw;
  }
  auto fifth = locked.Post(DocPath(id) + "/actions/sign", json::object{{"pin", "111111"}});
  EXPECT_EQ(fifth.code(), "account_locked") << fifth.raw;
  // Locked: even the right PIN is refused for now.
  auto right = locked.Post(DocPath(id) + "/actions/sign", json::object{{"pin", "246810"}});
  EXPECT_EQ(right.code(), "account_locked") << right.raw;
  EXPECT_EQ(locked.Get(DocPath(id)).body.at("state").as_string(), "approved");
}

// Issue #11: the first PIN is the issuer's choice; the holder sets their
// own before the key signs anything.
TEST_F(SignaturesTest, AFirstPinChosenByTheIssuerIsReplacedBeforeTheKeySigns) {
  ASSERT_EQ(NewLeaderWithKey("lanhdao.moi", "Lãnh Đạo Mới", "112233").status, 201);
  Client leader(node_->port());
  ASSERT_TRUE(leader.Login("lanhdao.moi", "Dung-mat-khau-1"));
  const Id id = ApprovedElectronicDraft("Quyết định ký bằng mã PIN của chính mình");
  auto first = leader.Post(DocPath(id) + "/actions/sign", json::object{{"pin", "112233"}});
  EXPECT_EQ(first.status, 400) << first.raw;
  EXPECT_EQ(first.body.at("errors").at(0).at("code").as_string(), "pin_change_required");
  EXPECT_EQ(leader.Get(DocPath(id)).body.at("state").as_string(), "approved");
  auto own =
      leader.Call("PUT", "/api/v1/me/signing-pin",
                  json::serialize(json::object{{"old_pin", "112233"}, {"new_pin", "908172"}}));
  ASSERT_LT(own.status, 300) << own.raw;
  auto signed_now = leader.Post(DocPath(id) + "/actions/sign", json::object{{"pin", "908172"}});
  EXPECT_EQ(signed_now.status, 200) << signed_now.raw;
}

TEST_F(SignaturesTest, AnIssuedDocumentCarriesBothSignaturesThatOthersVerify) {
  const Id id = ApprovedElectronicDraft("Quyết định ký số đủ hai chữ ký");
  auto leader = As("thutruong");
  auto clerk = As("vanthu");
  ASSERT_EQ(leader->Post(DocPath(id) + "/actions/sign", json::object{{"pin", kPin}}).status, 200);
  for (const char* action : {"number", "seal", "issue"}) {
    auto r = clerk->Post(DocPath(id) + "/actions/" + action, json::object{});
    ASSERT_EQ(r.status, 200) << action << ": " << r.raw;
  }
  auto doc = clerk->Get(DocPath(id));
  std::map<std::string, int> kinds;
  for (const auto& s : doc.body.at("signatures").as_array()) ++kinds[std::string(s.at("kind").as_string())];
  EXPECT_EQ(kinds["personal"], 1);
  EXPECT_EQ(kinds["organization"], 2);  // the decision and its appendix
  ASSERT_EQ(kinds["issued"], 1);
  for (const auto& s : doc.body.at("signatures").as_array()) {
    if (s.at("kind") == "issued") {
      EXPECT_EQ(s.at("indication").as_string(), "TOTAL_PASSED");
    }
  }
  // The recipient's copy was verified as it arrived, and its register shows it.
  const Id copy = doc.body.at("recipients").at(0).at("copy_document_id").as_int64();
  auto copy_doc = clerk->Get(DocPath(copy));
  bool verified = false;
  for (const auto& s : copy_doc.body.at("signatures").as_array()) {
    verified = verified || (s.at("kind") == "verification" && s.at("indication") == "TOTAL_PASSED");
  }
  EXPECT_TRUE(verified) << copy_doc.raw;

  // The signed file: both signatures valid for poppler's pdfsig with our CA trusted.
  const std::string pdf = LatestFile(clerk, id);
  const std::string path = Write("issued.pdf", pdf);
  const std::string db = "sql:" + (dir_ / "nss").string();
  fs::create_directories(dir_ / "nss");
  ASSERT_EQ(Shell("certutil -N -d " + db + " --empty-password"), 0);
  ASSERT_EQ(Shell("certutil -A -d " + db + " -n ca -t CT,C,C -i " + Write("ca.pem", RootCaPem())), 0);
  std::string out;
  Shell("pdfsig -nssdir " + db + " " + path, &out);
  int valid = 0, trusted = 0;
  for (auto at = out.find("Signature is Valid"); at != std::string::npos; at = out.find("Signature is Valid", at + 1)) ++valid;
  for (auto at = out.find("Certificate is Trusted"); at != std::string::npos; at = out.find("Certificate is Trusted", at + 1)) ++trusted;
  EXPECT_EQ(valid, 2) << out;
  EXPECT_EQ(trusted, 2) << out;

  // Our own report: both signatures passed, long-term validation data inside.
  auto report = As("chuyenvien")->Call("POST", "/api/v1/signatures/verify", pdf,
                                       {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(report.status, 200) << report.raw;
  EXPECT_EQ(report.body.at("indication").as_string(), "TOTAL_PASSED");
  EXPECT_TRUE(report.body.at("has_validation_data").as_bool());
  ASSERT_EQ(report.body.at("signatures").as_array().size(), 2u);
  EXPECT_EQ(report.body.at("signatures").at(1).at("level").as_string(), "PAdES-BASELINE-LT");
  // One changed byte inside what was signed: failed, and why.
  std::string changed = pdf;
  changed[changed.find("Thu nghiem")] = 'T' + 1;
  auto bad = As("chuyenvien")->Call("POST", "/api/v1/signatures/verify", changed,
                                    {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(bad.status, 200) << bad.raw;
  EXPECT_EQ(bad.body.at("indication").as_string(), "TOTAL_FAILED");
  EXPECT_EQ(bad.body.at("sub_indication").as_string(), "HASH_FAILURE");

  // The share of documents issued with both signatures counts it.
  auto share = leader->Get("/api/v1/signatures/share?unit_id=" + std::to_string(UnitId("BQP")) +
                           "&from=2000-01-01&to=2100-12-31");
  ASSERT_EQ(share.status, 200) << share.raw;
  EXPECT_GE(share.body.at("both_signed").as_int64(), 1);
  EXPECT_GE(share.body.at("issued").as_int64(), share.body.at("both_signed").as_int64());
  EXPECT_EQ(share.body.at("target").as_double(), 0.8);
  EXPECT_EQ(As("chuyenvien")->Get("/api/v1/signatures/share?from=2026-01-01&to=2026-12-31").status, 403);
  EXPECT_EQ(leader->Get("/api/v1/signatures/share?from=2026-12-31&to=2026-01-01").status, 400);
}

TEST_F(SignaturesTest, CertificatesAreIssuedRevokedAndAnsweredForByCrlOcspAndTsa) {
  auto sec = As("baomat");
  auto spec = As("chuyenvien");
  const Id spec_id = spec->Get("/api/v1/me").body.at("id").as_int64();
  // Only administrators and security officers issue certificates.
  auto refused = spec->Post("/api/v1/pki/certificates",
                            json::object{{"profile", "person"}, {"user_id", spec_id}, {"pin", "135790"}});
  EXPECT_EQ(refused.status, 403) << refused.raw;
  auto bad_pin = sec->Post("/api/v1/pki/certificates",
                           json::object{{"profile", "person"}, {"user_id", spec_id}, {"pin", "12"}});
  EXPECT_EQ(bad_pin.status, 400);
  EXPECT_EQ(bad_pin.body.at("errors").at(0).at("code").as_string(), "bad_pin");
  auto issued = sec->Post("/api/v1/pki/certificates",
                          json::object{{"profile", "person"}, {"user_id", spec_id}, {"pin", "135790"}});
  ASSERT_EQ(issued.status, 201) << issued.raw;
  const std::string serial(issued.body.at("serial").as_string());
  const std::string cert_pem(issued.body.at("certificate_pem").as_string());
  // A person sees their own certificates, not everyone's.
  EXPECT_EQ(spec->Get("/api/v1/pki/certificates?user_id=" + std::to_string(spec_id)).status, 200);
  EXPECT_EQ(spec->Get("/api/v1/pki/certificates").status, 403);
  // The holder changes the PIN; a wrong old PIN is refused.
  auto pin = spec->Call("PUT", "/api/v1/me/signing-pin",
                        json::serialize(json::object{{"old_pin", "999999"}, {"new_pin", "864200"}}));
  EXPECT_EQ(pin.status, 400) << pin.raw;
  pin = spec->Call("PUT", "/api/v1/me/signing-pin",
                   json::serialize(json::object{{"old_pin", "135790"}, {"new_pin", "864200"}}));
  EXPECT_EQ(pin.status, 200) << pin.raw;

  // Renewal certifies the same key again; the old certificate is replaced.
  auto renewed = sec->Post("/api/v1/pki/certificates/" + serial + "/renew", json::object{{"days", 365}});
  ASSERT_EQ(renewed.status, 201) << renewed.raw;
  const std::string new_serial(renewed.body.at("serial").as_string());
  EXPECT_NE(new_serial, serial);
  auto revoked = sec->Post("/api/v1/pki/certificates/" + new_serial + "/revoke",
                           json::object{{"reason", "Thiết bị ký bị mất"}});
  ASSERT_EQ(revoked.status, 200) << revoked.raw;
  EXPECT_EQ(revoked.body.at("status").as_string(), "revoked");
  EXPECT_EQ(sec->Post("/api/v1/pki/certificates/" + new_serial + "/revoke",
                      json::object{{"reason", "lần nữa"}}).code(), "invalid_transition");

  // The CRL, fetched without signing in, lists it (read by openssl).
  Client anonymous(node_->port());
  auto crl = anonymous.Get("/api/v1/pki/crl");
  ASSERT_EQ(crl.status, 200);
  std::string text;
  ASSERT_EQ(Shell("openssl crl -noout -text -in " + Write("node.crl", crl.raw), &text), 0) << text;
  EXPECT_NE(text.find(new_serial), std::string::npos) << text;

  // OCSP: a request made by openssl, answered by the node, read by openssl.
  const std::string ca = Write("ca.pem", RootCaPem());
  const std::string leaf = Write("leaf.pem", renewed.body.at("certificate_pem").as_string());
  ASSERT_EQ(Shell("openssl ocsp -no_nonce -issuer " + ca + " -cert " + leaf + " -reqout " + (dir_ / "req.der").string()), 0);
  std::ifstream in(dir_ / "req.der", std::ios::binary);
  const std::string request((std::istreambuf_iterator<char>(in)), {});
  auto answer = anonymous.Call("POST", "/api/v1/pki/ocsp", request,
                               {{"Content-Type", "application/ocsp-request"}});
  ASSERT_EQ(answer.status, 200) << answer.raw;
  EXPECT_EQ(answer.response.header("Content-Type").value_or(""), "application/ocsp-response");
  ASSERT_EQ(Shell("openssl ocsp -respin " + Write("resp.der", answer.raw) + " -issuer " + ca +
                      " -cert " + leaf + " -CAfile " + ca,
                  &text),
            0)
      << text;
  EXPECT_NE(text.find("revoked"), std::string::npos) << text;
  EXPECT_NE(text.find("Response verify OK"), std::string::npos) << text;
  auto garbage = anonymous.Call("POST", "/api/v1/pki/ocsp", "not a request",
                                {{"Content-Type", "application/ocsp-request"}});
  EXPECT_EQ(garbage.status, 400) << garbage.raw;

  // The node's TSA answers openssl's query; openssl verifies the stamp.
  const std::string data = Write("data.txt", "Văn bản cần dấu thời gian");
  ASSERT_EQ(Shell("openssl ts -query -data " + data + " -sha256 -cert -out " + (dir_ / "q.tsq").string()), 0);
  std::ifstream q(dir_ / "q.tsq", std::ios::binary);
  const std::string query((std::istreambuf_iterator<char>(q)), {});
  auto stamp = spec->Call("POST", "/api/v1/pki/tsa", query, {{"Content-Type", "application/timestamp-query"}});
  ASSERT_EQ(stamp.status, 200) << stamp.raw;
  auto tsa = sec->Get("/api/v1/pki/certificates?profile=timestamping&status=active");
  const std::string tsa_pem = Write("tsa.pem", tsa.body.at("items").at(0).at("certificate_pem").as_string());
  EXPECT_EQ(Shell("openssl ts -verify -data " + data + " -in " + Write("r.tsr", stamp.raw) + " -CAfile " + ca +
                      " -untrusted " + tsa_pem,
                  &text),
            0)
      << text;
  EXPECT_EQ(anonymous.Call("POST", "/api/v1/pki/tsa", "garbage", {{"Content-Type", "application/timestamp-query"}}).status,
            400);
}

// A PDF signed elsewhere (podofosign) by a certificate of another CA with an
// intermediate: no chain until that CA's root and intermediate are imported.
TEST_F(SignaturesTest, AnExternalChainOnceImportedVerifiesItsSignatures) {
  const std::string d = dir_.string();
  auto sh = [&](const std::string& cmd) {
    std::string out;
    EXPECT_EQ(Shell("cd " + d + " && " + cmd, &out), 0) << cmd << "\n" << out;
  };
  sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 30 "
     "-subj '/C=VN/O=Ban Co yeu Chinh phu/CN=Root CA thu nghiem' -addext basicConstraints=critical,CA:TRUE "
     "-addext keyUsage=critical,keyCertSign,cRLSign");
  sh("openssl req -newkey rsa:2048 -nodes -keyout sub.key -out sub.csr -subj '/C=VN/CN=Sub CA thu nghiem'");
  sh("printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext && "
     "openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile ca.ext -out sub.pem");
  sh("openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj '/C=VN/CN=Nguyen Van Ngoai'");
  sh("printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' > leaf.ext && "
     "openssl x509 -req -in leaf.csr -CA sub.pem -CAkey sub.key -CAcreateserial -days 30 -extfile leaf.ext -out leaf.pem");
  Write("in.pdf", pki::SimplePdf({"Van ban tu co quan khac"}));
  sh("podofosign -in in.pdf -out signed.pdf -cert leaf.pem -pkey leaf.key -digest SHA256");
  std::ifstream in(dir_ / "signed.pdf", std::ios::binary);
  const std::string pdf((std::istreambuf_iterator<char>(in)), {});
  auto spec = As("chuyenvien");
  auto before = spec->Call("POST", "/api/v1/signatures/verify", pdf, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body.at("sub_indication").as_string(), "NO_CERTIFICATE_CHAIN_FOUND") << before.raw;
  // Only a security officer trusts a CA; a leaf certificate is refused.
  std::ifstream r(dir_ / "root.pem"), s(dir_ / "sub.pem"), l(dir_ / "leaf.pem");
  const std::string root((std::istreambuf_iterator<char>(r)), {}), sub((std::istreambuf_iterator<char>(s)), {}),
      leaf((std::istreambuf_iterator<char>(l)), {});
  EXPECT_EQ(As("admin")->Post("/api/v1/pki/roots", json::object{{"certificate_pem", root + sub}}).status, 403);
  auto not_ca = As("baomat")->Post("/api/v1/pki/roots", json::object{{"certificate_pem", leaf}});
  EXPECT_EQ(not_ca.status, 400) << not_ca.raw;
  auto imported = As("baomat")->Post("/api/v1/pki/roots", json::object{{"certificate_pem", root + sub}});
  ASSERT_EQ(imported.status, 201) << imported.raw;
  ASSERT_EQ(imported.body.at("items").as_array().size(), 2u);
  EXPECT_EQ(imported.body.at("items").at(0).at("profile").as_string(), "trusted_root");
  EXPECT_EQ(imported.body.at("items").at(1).at("profile").as_string(), "trusted_intermediate");
  // The chain now reaches the imported root through the intermediate; with
  // no revocation data from that CA the verdict stays open (as DSS says it).
  auto after = spec->Call("POST", "/api/v1/signatures/verify", pdf, {{"Content-Type", "application/pdf"}});
  const auto& sig = after.body.at("signatures").at(0);
  EXPECT_EQ(sig.at("chain").as_array().size(), 3u) << after.raw;
  EXPECT_TRUE(sig.at("trusted").as_bool());
  EXPECT_EQ(sig.at("revocation").as_string(), "unknown");
  EXPECT_EQ(after.body.at("indication").as_string(), "INDETERMINATE") << after.raw;
  EXPECT_EQ(after.body.at("sub_indication").as_string(), "TRY_LATER") << after.raw;
}

// A second node process that takes its time-stamps from this node's TSA
// (`[pki] tsa_url`): its signatures carry a stamp it can verify only once it
// trusts this node's root.
TEST_F(SignaturesTest, ASecondNodeStampsWithThisNodesTsa) {
  NodeProcess other({.backend = Backend()});
  ASSERT_TRUE(other.error().empty()) << other.error();
  {
    // The same node folder, served again with the external TSA configured.
    const fs::path toml = fs::path(other.data_dir()) / "chancery.toml";
    std::ifstream in(toml);
    std::string cfg((std::istreambuf_iterator<char>(in)), {});
    const std::string from = "# tsa_url = ";
    const auto at = cfg.find(from);
    ASSERT_NE(at, std::string::npos);
    cfg.replace(at, cfg.find('\n', at) - at,
                "tsa_url = \"http://127.0.0.1:" + std::to_string(node_->port()) + "/api/v1/pki/tsa\"");
    std::ofstream(toml) << cfg;
  }
  NodeProcess stamped({.backend = Backend(), .data_dir = other.data_dir()});
  ASSERT_TRUE(stamped.error().empty()) << stamped.error();
  Client spec(stamped.port()), leader(stamped.port()), admin(stamped.port());
  ASSERT_TRUE(spec.Login("chuyenvien"));
  ASSERT_TRUE(leader.Login("thutruong"));
  ASSERT_TRUE(admin.Login("baomat"));
  auto created = spec.Post("/api/v1/documents", json::object{{"type_code", "TB"}, {"subject", "Dấu thời gian từ nút khác"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const Id id = created.body.at("id").as_int64();
  ASSERT_EQ(spec.Call("POST", DocPath(id) + "/versions?file_name=tb.pdf", pki::SimplePdf({"THONG BAO"}),
                      {{"Content-Type", "application/pdf"}}).status, 201);
  ASSERT_EQ(spec.Post(DocPath(id) + "/actions/submit", json::object{}).status, 200);
  ASSERT_EQ(leader.Post(DocPath(id) + "/actions/approve", json::object{}).status, 200);
  auto sign = leader.Post(DocPath(id) + "/actions/sign", json::object{{"pin", kPin}});
  ASSERT_EQ(sign.status, 200) << sign.raw;
  const std::string pdf = LatestFile(&leader, id);
  // Not yet trusting this node: the stamp cannot be checked.
  auto before = leader.Call("POST", "/api/v1/signatures/verify", pdf, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body.at("sub_indication").as_string(), "TIMESTAMP_FAILURE") << before.raw;
  // Trusting this node's root: the stamp verifies, the signature is B-T.
  auto trust = admin.Post("/api/v1/pki/roots", json::object{{"certificate_pem", RootCaPem()}});
  ASSERT_EQ(trust.status, 201) << trust.raw;
  auto after = leader.Call("POST", "/api/v1/signatures/verify", pdf, {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(after.body.at("indication").as_string(), "TOTAL_PASSED") << after.raw;
  EXPECT_EQ(after.body.at("signatures").at(0).at("level").as_string(), "PAdES-BASELINE-T");
}

TEST_F(SignaturesTest, SignedTreeHeadsAreCheckedWithTheLog) {
  auto sec = As("baomat");
  EXPECT_EQ(As("chuyenvien")->Post("/api/v1/audit/tree-heads", json::object{}).status, 403);
  auto head = sec->Post("/api/v1/audit/tree-heads", json::object{});
  ASSERT_EQ(head.status, 201) << head.raw;
  EXPECT_FALSE(head.body.at("signature").as_string().empty());
  auto list = sec->Get("/api/v1/audit/tree-heads");
  ASSERT_EQ(list.status, 200);
  EXPECT_GE(list.body.at("items").as_array().size(), 1u);
  auto verify = sec->Post("/api/v1/audit/verify", json::object{});
  ASSERT_EQ(verify.status, 200) << verify.raw;
  EXPECT_TRUE(verify.body.at("ok").as_bool()) << verify.raw;
  EXPECT_GE(verify.body.at("tree_heads_checked").as_int64(), 1);
}

}  // namespace
}  // namespace chancery::testing
