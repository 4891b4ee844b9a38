#include "lib/pki/ocsp.h"

#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "lib/pki/pki_testing.h"

namespace chancery::pki {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;

// A time as openssl's index.txt writes it: YYMMDDHHMMSSZ.
std::string IndexTime(Timestamp t) {
  const std::time_t s =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
  return buf;
}

// One CA (with an encrypted key, as in service), a leader and a seal, made
// once for the suite, and the CA's answers: the leader good, the seal revoked.
class OcspTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_key_ = *GenerateKey("ca-pass");
    ca_ = *Issue({"", KeyRef::Pem(ca_key_, "ca-pass")},
                 {.common_name = "Chancery Test Root CA", .organization = "Bộ Quốc phòng"},
                 Pub(ca_key_, "ca-pass"), Profile::kRootCa, Now() - 3 * 365 * 24h, 3650);
    leader_key_ = *GenerateKey("");
    leader_ =
        *Issue(CaIssuer(), {.common_name = "Phạm Quốc Trưởng", .organization = "Bộ Quốc phòng"},
               Pub(leader_key_), Profile::kPerson, Now() - 30 * 24h, 365);
    seal_ = *Issue(CaIssuer(), {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"},
                   Pub(leader_key_), Profile::kOrganization, Now() - 30 * 24h, 365);
    other_key_ = *GenerateKey("");
    other_ca_ = *Issue({"", KeyRef::Pem(other_key_)}, {.common_name = "Other Root"},
                       Pub(other_key_), Profile::kRootCa, Now() - 24h, 365);
    revoked_at_ = std::chrono::floor<std::chrono::seconds>(Now() - 2h);
  }
  static Issuer CaIssuer() { return {ca_.certificate_pem, KeyRef::Pem(ca_key_, "ca-pass")}; }

  // The CA's register, counting look-ups.
  CertState Lookup(const std::string& serial_hex) {
    ++lookups_;
    looked_up_ = serial_hex;
    if (serial_hex == leader_.serial_hex) return {CertStatus::kGood, std::nullopt};
    if (serial_hex == seal_.serial_hex) return {CertStatus::kRevoked, revoked_at_};
    return {};
  }
  std::function<CertState(const std::string&)> Register() {
    return [this](const std::string& s) { return Lookup(s); };
  }

  // Our request for `cert`, answered by our CA at `at`.
  std::string Answer(const Issued& cert, Timestamp at = Now(),
                     std::chrono::seconds validity = 24h) {
    auto request = OcspRequest(cert.certificate_pem, ca_.certificate_pem);
    EXPECT_TRUE(request.ok()) << request.error().message;
    auto response = OcspRespond(request.ok() ? *request : "", CaIssuer(), Register(), at, validity);
    EXPECT_TRUE(response.ok()) << response.error().message;
    return response.ok() ? *response : "";
  }

  // Runs a command; its exit status, and its output in `*output` if given.
  int Run(const std::string& command, std::string* output = nullptr) {
    const fs::path out = dir_ / "output.txt";
    const int status = std::system((command + " >" + out.string() + " 2>&1").c_str());
    if (output) *output = ReadFile(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ocsp-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view bytes) {
    std::ofstream(dir_ / name, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return (dir_ / name).string();
  }

  // openssl's responder over an index.txt naming the leader good and the
  // seal revoked, answering `request_der` signed by `rsigner` (default: the
  // CA itself, its key still encrypted).
  std::string OpenSslResponse(std::string_view request_der, std::string rsigner = "",
                              std::string rkey = "") {
    const std::string expiry = IndexTime(Now() + 300 * 24h);
    const std::string index =
        "V\t" + expiry + "\t\t" + leader_.serial_hex + "\tunknown\t/CN=Leader\n" + "R\t" + expiry +
        "\t" + IndexTime(revoked_at_) + "\t" + seal_.serial_hex + "\tunknown\t/CN=Seal\n";
    const std::string ca = Write("ca.pem", ca_.certificate_pem);
    if (rsigner.empty()) {
      rsigner = ca;
      rkey = Write("ca.key", ca_key_) + " -passin pass:ca-pass";
    }
    const fs::path out = dir_ / "openssl-resp.der";
    std::string log;
    EXPECT_EQ(Run("openssl ocsp -index " + Write("index.txt", index) + " -CA " + ca + " -rsigner " +
                      rsigner + " -rkey " + rkey + " -ndays 1 -reqin " +
                      Write("openssl-req.der", request_der) + " -respout " + out.string(),
                  &log),
              0)
        << log;
    return ReadFile(out);
  }

  static inline std::string ca_key_, leader_key_, other_key_;
  static inline Issued ca_, leader_, seal_, other_ca_;
  static inline Timestamp revoked_at_;
  int lookups_ = 0;
  std::string looked_up_;
  fs::path dir_;
};

TEST_F(OcspTest, AGoodCertificateIsGood) {
  const Timestamp at = std::chrono::floor<std::chrono::seconds>(Now());
  const std::string response = Answer(leader_, at);
  EXPECT_EQ(lookups_, 1);
  EXPECT_EQ(looked_up_, leader_.serial_hex);
  auto answer = CheckOcspResponse(response, leader_.certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem}, Now());
  ASSERT_TRUE(answer.ok()) << answer.error().fields.at(0).message;
  EXPECT_EQ(answer->state.status, CertStatus::kGood);
  EXPECT_FALSE(answer->state.revoked_at);
  EXPECT_EQ(answer->this_update, at);
  ASSERT_TRUE(answer->next_update);
  EXPECT_EQ(*answer->next_update, at + 24h);
  EXPECT_NE(answer->responder.find("CN=Chancery Test Root CA"), std::string::npos)
      << answer->responder;
}

TEST_F(OcspTest, ARevokedCertificateIsRevokedWithItsTime) {
  auto answer = CheckOcspResponse(Answer(seal_), seal_.certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem}, Now());
  ASSERT_TRUE(answer.ok()) << answer.error().fields.at(0).message;
  EXPECT_EQ(answer->state.status, CertStatus::kRevoked);
  ASSERT_TRUE(answer->state.revoked_at);
  EXPECT_EQ(*answer->state.revoked_at, revoked_at_);
}

TEST_F(OcspTest, AnUnregisteredSerialIsUnknown) {
  auto stray = Issue(CaIssuer(), {.common_name = "Không đăng ký"}, Pub(other_key_),
                     Profile::kPerson, Now() - 1h, 30);
  ASSERT_TRUE(stray.ok());
  auto answer = CheckOcspResponse(Answer(*stray), stray->certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem}, Now());
  ASSERT_TRUE(answer.ok()) << answer.error().fields.at(0).message;
  EXPECT_EQ(looked_up_, stray->serial_hex);
  EXPECT_EQ(answer->state.status, CertStatus::kUnknown);
}

// A request about a certificate another CA issued is "unknown", without
// consulting our register, even if that CA's serial is one of ours; and our
// CA's signature is no answer for the other CA's certificate.
TEST_F(OcspTest, AnotherCasCertificateIsUnknown) {
  auto foreign =
      Issue({other_ca_.certificate_pem, KeyRef::Pem(other_key_)}, {.common_name = "Foreign"},
            Pub(leader_key_), Profile::kPerson, Now() - 1h, 30);
  ASSERT_TRUE(foreign.ok());
  auto request = OcspRequest(foreign->certificate_pem, other_ca_.certificate_pem);
  ASSERT_TRUE(request.ok()) << request.error().message;
  auto response = OcspRespond(*request, CaIssuer(), Register(), Now());
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(lookups_, 0);
  std::string out;
  EXPECT_EQ(Run("openssl ocsp -noverify -respin " + Write("resp.der", *response) + " -issuer " +
                    Write("other.pem", other_ca_.certificate_pem) + " -cert " +
                    Write("foreign.pem", foreign->certificate_pem),
                &out),
            0)
      << out;
  EXPECT_NE(out.find("foreign.pem: unknown"), std::string::npos) << out;
  auto answer = CheckOcspResponse(*response, foreign->certificate_pem, other_ca_.certificate_pem,
                                  {ca_.certificate_pem, other_ca_.certificate_pem}, Now());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().fields.at(0).code, "ocsp_invalid");
}

TEST_F(OcspTest, AMalformedRequestIsRefused) {
  for (std::string bad :
       {std::string("not a request"), std::string(), std::string("\x30\x03\x30\x01", 4)}) {
    auto response = OcspRespond(bad, CaIssuer(), Register(), Now());
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::kInvalidArgument);
  }
  auto request = OcspRequest(leader_.certificate_pem, ca_.certificate_pem);
  ASSERT_TRUE(request.ok());
  auto truncated =
      OcspRespond(request->substr(0, request->size() / 2), CaIssuer(), Register(), Now());
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(lookups_, 0);
  // Nor is a request made for the wrong issuer.
  auto wrong = OcspRequest(leader_.certificate_pem, other_ca_.certificate_pem);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(OcspTest, AnUnreadableResponseIsRefused) {
  auto answer = CheckOcspResponse("not a response", leader_.certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem}, Now());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(answer.error().fields.at(0).code, "ocsp_unreadable");
  // A changed byte in the signed data breaks the signature.
  std::string response = Answer(leader_);
  const std::size_t at = response.find("\x18\x0f");  // producedAt, a GeneralizedTime
  ASSERT_NE(at, std::string::npos);
  response[at + 5] ^= 1;  // a digit of its year
  auto changed = CheckOcspResponse(response, leader_.certificate_pem, ca_.certificate_pem,
                                   {ca_.certificate_pem}, Now());
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(OcspTest, AResponseUnderAnotherRootIsNotTrusted) {
  auto answer = CheckOcspResponse(Answer(leader_), leader_.certificate_pem, ca_.certificate_pem,
                                  {other_ca_.certificate_pem}, Now());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(answer.error().fields.at(0).code, "ocsp_invalid");
  EXPECT_NE(answer.error().fields.at(0).message.find("not signed by the issuer"), std::string::npos)
      << answer.error().fields.at(0).message;
}

// A trusted root is no licence to answer for another CA: the other root
// signing "good" about our leader (openssl's responder, told our CA) fails.
TEST_F(OcspTest, ATrustedRootCannotAnswerForAnotherCa) {
  auto request = OcspRequest(leader_.certificate_pem, ca_.certificate_pem);
  ASSERT_TRUE(request.ok());
  const std::string forged = OpenSslResponse(
      *request, Write("other.pem", other_ca_.certificate_pem), Write("other.key", other_key_));
  ASSERT_FALSE(forged.empty());
  auto answer = CheckOcspResponse(forged, leader_.certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem, other_ca_.certificate_pem}, Now());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().fields.at(0).code, "ocsp_invalid");
}

TEST_F(OcspTest, AStaleOrFutureResponseFails) {
  const std::string old = Answer(leader_, Now() - 72h, 24h);
  auto stale = CheckOcspResponse(old, leader_.certificate_pem, ca_.certificate_pem,
                                 {ca_.certificate_pem}, Now());
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().fields.at(0).code, "ocsp_invalid");
  EXPECT_NE(stale.error().fields.at(0).message.find("out of date"), std::string::npos)
      << stale.error().fields.at(0).message;
  // It was fine the day it was made, and 4 minutes past its nextUpdate.
  auto then = CheckOcspResponse(old, leader_.certificate_pem, ca_.certificate_pem,
                                {ca_.certificate_pem}, Now() - 60h);
  EXPECT_TRUE(then.ok());
  auto skewed = CheckOcspResponse(old, leader_.certificate_pem, ca_.certificate_pem,
                                  {ca_.certificate_pem}, Now() - 48h + 4min);
  EXPECT_TRUE(skewed.ok());
  auto future = CheckOcspResponse(Answer(leader_, Now() + 1h), leader_.certificate_pem,
                                  ca_.certificate_pem, {ca_.certificate_pem}, Now());
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().fields.at(0).message.find("not valid yet"), std::string::npos);
}

// The nonce of a request comes back in the response (checked by OpenSSL's
// own OCSP_check_nonce), and a request without one gets none.
TEST_F(OcspTest, TheNonceIsEchoed) {
  for (const bool nonce : {true, false}) {
    auto request = OcspRequest(leader_.certificate_pem, ca_.certificate_pem, nonce);
    ASSERT_TRUE(request.ok());
    auto response = OcspRespond(*request, CaIssuer(), Register(), Now());
    ASSERT_TRUE(response.ok());
    const auto* p = reinterpret_cast<const unsigned char*>(request->data());
    OCSP_REQUEST* req = d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(request->size()));
    p = reinterpret_cast<const unsigned char*>(response->data());
    OCSP_RESPONSE* resp = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(response->size()));
    ASSERT_TRUE(req && resp);
    OCSP_BASICRESP* basic = OCSP_response_get1_basic(resp);
    EXPECT_EQ(OCSP_check_nonce(req, basic), nonce ? 1 : 2);  // equal : both absent
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(resp);
    OCSP_REQUEST_free(req);
  }
}

// `openssl ocsp` as the client: we answer its request, and it verifies our
// answers and reads "good" and "revoked".
TEST_F(OcspTest, OpenSslClientAcceptsOurAnswers) {
  const std::string ca = Write("ca.pem", ca_.certificate_pem);
  for (const Issued* cert : {&leader_, &seal_}) {
    const std::string pem = Write("cert.pem", cert->certificate_pem),
                      req = (dir_ / "req.der").string();
    std::string out;
    ASSERT_EQ(Run("openssl ocsp -issuer " + ca + " -cert " + pem + " -reqout " + req + " -no_nonce",
                  &out),
              0)
        << out;
    auto response = OcspRespond(ReadFile(req), CaIssuer(), Register(), Now());
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(looked_up_, cert->serial_hex);
    EXPECT_EQ(Run("openssl ocsp -respin " + Write("resp.der", *response) + " -issuer " + ca +
                      " -cert " + pem + " -CAfile " + ca + " -VAfile " + ca,
                  &out),
              0)
        << out;
    EXPECT_NE(out.find("Response verify OK"), std::string::npos) << out;
    EXPECT_NE(out.find(cert == &leader_ ? "cert.pem: good" : "cert.pem: revoked"),
              std::string::npos)
        << out;
  }
}

// `openssl ocsp` as the responder, over an index.txt: we read its answers.
TEST_F(OcspTest, WeReadOpenSslResponderAnswers) {
  for (const Issued* cert : {&leader_, &seal_}) {
    auto request = OcspRequest(cert->certificate_pem, ca_.certificate_pem);
    ASSERT_TRUE(request.ok());
    auto answer = CheckOcspResponse(OpenSslResponse(*request), cert->certificate_pem,
                                    ca_.certificate_pem, {ca_.certificate_pem}, Now());
    ASSERT_TRUE(answer.ok()) << answer.error().fields.at(0).message;
    EXPECT_LT(std::chrono::abs(answer->this_update - Now()), 1min);
    ASSERT_TRUE(answer->next_update);
    EXPECT_LT(std::chrono::abs(*answer->next_update - (Now() + 24h)), 1min);
    if (cert == &leader_) {
      EXPECT_EQ(answer->state.status, CertStatus::kGood);
    } else {
      EXPECT_EQ(answer->state.status, CertStatus::kRevoked);
      ASSERT_TRUE(answer->state.revoked_at);
      EXPECT_EQ(*answer->state.revoked_at, revoked_at_);
    }
  }
}

// A responder the CA delegated with id-kp-OCSPSigning (made by openssl's
// own CA tools) may answer; one without that purpose may not.
TEST_F(OcspTest, OnlyADelegatedOcspSignerMayAnswerForTheCa) {
  const std::string ca = Write("ca.pem", ca_.certificate_pem), ca_key = Write("ca.key", ca_key_);
  auto make_responder = [&](const std::string& name, const std::string& serial,
                            const std::string& ext) {
    const std::string key = (dir_ / (name + ".key")).string(),
                      csr = (dir_ / (name + ".csr")).string(),
                      cert = (dir_ / (name + ".pem")).string();
    std::string out;
    EXPECT_EQ(Run("openssl req -new -newkey rsa:2048 -nodes -keyout " + key + " -subj /CN=" + name +
                      " -out " + csr,
                  &out),
              0)
        << out;
    EXPECT_EQ(Run("openssl x509 -req -in " + csr + " -CA " + ca + " -CAkey " + ca_key +
                      " -passin pass:ca-pass -set_serial " + serial + " -days 30 -extfile " +
                      Write(name + ".ext", ext) + " -out " + cert,
                  &out),
              0)
        << out;
    return std::pair{cert, key};
  };
  auto request = OcspRequest(leader_.certificate_pem, ca_.certificate_pem);
  ASSERT_TRUE(request.ok());

  auto [delegate, delegate_key] = make_responder(
      "Responder", "0x0CE5", "basicConstraints=CA:FALSE\nextendedKeyUsage=OCSPSigning\n");
  auto answer =
      CheckOcspResponse(OpenSslResponse(*request, delegate, delegate_key), leader_.certificate_pem,
                        ca_.certificate_pem, {ca_.certificate_pem}, Now());
  ASSERT_TRUE(answer.ok()) << answer.error().fields.at(0).message;
  EXPECT_EQ(answer->state.status, CertStatus::kGood);
  EXPECT_EQ(answer->responder, "CN=Responder");

  auto [plain, plain_key] = make_responder("Plain", "0x0CE6", "basicConstraints=CA:FALSE\n");
  auto refused =
      CheckOcspResponse(OpenSslResponse(*request, plain, plain_key), leader_.certificate_pem,
                        ca_.certificate_pem, {ca_.certificate_pem}, Now());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).code, "ocsp_invalid");
}

}  // namespace
}  // namespace chancery::pki
