#include "lib/pki/pki.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "lib/pki/pki_testing.h"

namespace chancery::pki {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;

// One CA, a leader and the agency's seal, made once for the suite (RSA key
// generation is the slow part).
class PkiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_key_ = *GenerateKey("ca-pass");
    ca_ = *Issue({"", KeyRef::Pem(ca_key_, "ca-pass")},
                 {.common_name = "Chancery Test Root CA", .organization = "Bộ Quốc phòng"},
                 Pub(ca_key_, "ca-pass"), Profile::kRootCa, Now() - 3 * 365 * 24h, 3650);
    leader_key_ = *GenerateKey("");
    leader_ = *Issue(CaIssuer(),
                     {.common_name = "Phạm Quốc Trưởng",
                      .organization = "Bộ Quốc phòng",
                      .organizational_unit = "Văn phòng"},
                     Pub(leader_key_), Profile::kPerson, Now() - 1h, 365);
    other_key_ = *GenerateKey("");
  }
  static Issuer CaIssuer() { return {ca_.certificate_pem, KeyRef::Pem(ca_key_, "ca-pass")}; }

  // Runs a command; its exit status.
  static int Run(const std::string& command) {
    const int status = std::system((command + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pki-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view bytes) {
    std::ofstream(dir_ / name, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return (dir_ / name).string();
  }

  static inline std::string ca_key_, leader_key_, other_key_;
  static inline Issued ca_, leader_;
  fs::path dir_;
};

const std::string kText = "Quyết định số 15/QĐ-BQP về việc ban hành Quy chế công tác văn thư.";

TEST_F(PkiTest, SignsAndVerifiesADetachedCadesSignature) {
  auto cms = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_));
  ASSERT_TRUE(cms.ok()) << cms.error().message;
  auto v = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->valid) << v->reason;
  EXPECT_NE(v->signer_subject.find("CN=Phạm Quốc Trưởng"), std::string::npos) << v->signer_subject;
  EXPECT_EQ(v->signer_serial_hex, leader_.serial_hex);
}

// A seal opened once signs many documents, each verifying on its own.
TEST_F(PkiTest, ASignerOpenedOnceSignsManyDocuments) {
  auto signer =
      Signer::Open(leader_.certificate_pem, KeyRef::Pem(leader_key_), {ca_.certificate_pem});
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  for (const std::string doc : {"Văn bản thứ nhất", "Văn bản thứ hai", "Văn bản thứ ba"}) {
    auto cms = signer->SignDetached(doc);
    ASSERT_TRUE(cms.ok()) << cms.error().message;
    auto v = VerifyDetached(*cms, doc, {ca_.certificate_pem}, {}, Now());
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->valid) << v->reason;
  }
  auto mismatched = Signer::Open(leader_.certificate_pem, KeyRef::Pem(other_key_));
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PkiTest, OpenSslCommandLineAcceptsOurSignatureAndRefusesAChangedByte) {
  auto cms = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_));
  ASSERT_TRUE(cms.ok());
  const std::string sig = Write("doc.p7s", *cms), doc = Write("doc.txt", kText),
                    ca = Write("ca.pem", ca_.certificate_pem);
  const std::string verify = "openssl cms -verify -binary -cades -inform DER -purpose any -in " +
                             sig + " -CAfile " + ca + " -out /dev/null -content ";
  EXPECT_EQ(Run(verify + doc), 0) << "openssl cms -verify refused our signature";
  std::string changed = kText;
  changed[10] ^= 1;
  EXPECT_NE(Run(verify + Write("changed.txt", changed)), 0);
}

TEST_F(PkiTest, AChangedByteFailsVerification) {
  auto cms = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_));
  ASSERT_TRUE(cms.ok());
  std::string changed = kText;
  changed.back() = '!';
  auto v = VerifyDetached(*cms, changed, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->valid);
  EXPECT_FALSE(v->reason.empty());
}

TEST_F(PkiTest, AnUnknownRootIsNotTrusted) {
  const std::string other_ca_key = *GenerateKey("");
  auto other_ca = Issue({"", KeyRef::Pem(other_ca_key)}, {.common_name = "Other Root"},
                        Pub(other_ca_key), Profile::kRootCa, Now() - 1h, 365);
  ASSERT_TRUE(other_ca.ok());
  auto cms = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_));
  auto v = VerifyDetached(*cms, kText, {other_ca->certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->valid);
  EXPECT_NE(v->reason.find("unable to get local issuer certificate"), std::string::npos)
      << v->reason;
}

TEST_F(PkiTest, ARevokedCertificateFailsAfterItsRevocation) {
  auto seal =
      Issue(CaIssuer(), {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"},
            Pub(other_key_), Profile::kOrganization, Now() - 1h, 365);
  ASSERT_TRUE(seal.ok()) << seal.error().message;
  auto cms = SignDetached(kText, seal->certificate_pem, KeyRef::Pem(other_key_));
  ASSERT_TRUE(cms.ok());
  auto crl = MakeCrl(CaIssuer(), {{seal->serial_hex, Now() - 10min}}, Now() - 5min, 7);
  ASSERT_TRUE(crl.ok()) << crl.error().message;
  auto v = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {*crl}, Now());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->valid);
  EXPECT_NE(v->reason.find("certificate revoked"), std::string::npos) << v->reason;
  // The leader is not on the list: a CRL that names someone else passes.
  auto ok = VerifyDetached(*SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_)),
                           kText, {ca_.certificate_pem}, {*crl}, Now());
  EXPECT_TRUE(ok->valid) << ok->reason;
}

TEST_F(PkiTest, AnExpiredCertificateFails) {
  auto old = Issue(CaIssuer(), {.common_name = "Nguyễn Văn Cũ"}, Pub(other_key_), Profile::kPerson,
                   Now() - 400 * 24h, 365);
  ASSERT_TRUE(old.ok());
  auto cms = SignDetached(kText, old->certificate_pem, KeyRef::Pem(other_key_));
  auto v = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->valid);
  EXPECT_NE(v->reason.find("certificate has expired"), std::string::npos) << v->reason;
  // At a time inside its validity it was good.
  auto then = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {}, Now() - 200 * 24h);
  EXPECT_TRUE(then->valid) << then->reason;
}

TEST_F(PkiTest, BadInputIsRefusedClearly) {
  auto wrong_pass = Issue({"", KeyRef::Pem(ca_key_, "not-the-pass")}, {.common_name = "X"},
                          Pub(leader_key_), Profile::kRootCa, Now(), 10);
  ASSERT_FALSE(wrong_pass.ok());
  EXPECT_EQ(wrong_pass.error().code, ErrorCode::kInvalidArgument);
  auto self_person = Issue({"", KeyRef::Pem(other_key_)}, {.common_name = "X"}, Pub(other_key_),
                           Profile::kPerson, Now(), 10);
  EXPECT_FALSE(self_person.ok());
  auto mismatched = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(other_key_));
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().code, ErrorCode::kInvalidArgument);
  auto garbage = VerifyDetached("not a cms", kText, {ca_.certificate_pem}, {}, Now());
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);
  auto no_name = Issue(CaIssuer(), {}, Pub(other_key_), Profile::kPerson, Now(), 10);
  EXPECT_FALSE(PublicKeyPem(KeyRef::Pem("-----BEGIN PRIVATE KEY-----\nxx\n")).ok());
  EXPECT_FALSE(no_name.ok());
}

TEST_F(PkiTest, EncryptedKeysNeedTheirPassphrase) {
  EXPECT_NE(ca_key_.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(leader_key_.find("ENCRYPTED"), std::string::npos);
  auto cms = SignDetached(kText, ca_.certificate_pem, KeyRef::Pem(ca_key_, "wrong"));
  EXPECT_FALSE(cms.ok());
}

// Our TSA answers a request made by `openssl ts -query`, and `openssl ts
// -verify` accepts the answer for the data and refuses it for other data.
TEST_F(PkiTest, OurTimeStampsVerifyWithOpenSslTs) {
  const std::string tsa_key = *GenerateKey("");
  auto tsa = Issue(CaIssuer(), {.common_name = "Chancery TSA", .organization = "Bộ Quốc phòng"},
                   Pub(tsa_key), Profile::kTimestamping, Now() - 1h, 365);
  ASSERT_TRUE(tsa.ok()) << tsa.error().message;
  const std::string doc = Write("doc.txt", kText), query = (dir_ / "q.tsq").string();
  ASSERT_EQ(Run("openssl ts -query -data " + doc + " -sha256 -cert -out " + query), 0);
  std::ifstream q(query, std::ios::binary);
  const std::string request((std::istreambuf_iterator<char>(q)), std::istreambuf_iterator<char>());
  auto resp = StampResponse(request, tsa->certificate_pem, KeyRef::Pem(tsa_key), Now(), 42);
  ASSERT_TRUE(resp.ok()) << resp.error().message;
  const std::string reply = Write("r.tsr", *resp), ca = Write("ca.pem", ca_.certificate_pem),
                    tsa_pem = Write("tsa.pem", tsa->certificate_pem);
  const std::string verify =
      "openssl ts -verify -in " + reply + " -CAfile " + ca + " -untrusted " + tsa_pem + " -data ";
  EXPECT_EQ(Run(verify + doc), 0) << "openssl ts -verify refused our time-stamp";
  EXPECT_NE(Run(verify + Write("other.txt", kText + ".")), 0);
  auto bad = StampResponse("not a request", tsa->certificate_pem, KeyRef::Pem(tsa_key), Now(), 43);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// CAdES B-T: a time-stamp over the signature value fixes when the signature
// existed, so a certificate that expired since still verifies; a response
// for other data is refused.
TEST_F(PkiTest, ATimestampedSignatureOutlivesItsCertificate) {
  const std::string tsa_key = *GenerateKey("");
  auto tsa = Issue(CaIssuer(), {.common_name = "Chancery TSA"}, Pub(tsa_key),
                   Profile::kTimestamping, Now() - 300 * 24h, 3650);
  auto old = Issue(CaIssuer(), {.common_name = "Nguyễn Văn Cũ"}, Pub(other_key_), Profile::kPerson,
                   Now() - 400 * 24h, 365);
  ASSERT_TRUE(tsa.ok() && old.ok());
  auto cms = SignDetached(kText, old->certificate_pem, KeyRef::Pem(other_key_));
  ASSERT_TRUE(cms.ok());
  auto request = SignatureTimestampRequest(*cms);
  ASSERT_TRUE(request.ok()) << request.error().message;
  const Timestamp signed_at = Now() - 200 * 24h;  // while the certificate was valid
  auto response = StampResponse(*request, tsa->certificate_pem, KeyRef::Pem(tsa_key), signed_at, 7);
  ASSERT_TRUE(response.ok()) << response.error().message;
  auto stamped = AttachSignatureTimestamp(*cms, *response);
  ASSERT_TRUE(stamped.ok()) << stamped.error().message;

  auto v = VerifyDetached(*stamped, kText, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->valid) << v->reason;
  EXPECT_EQ(v->level, "B-T");
  ASSERT_TRUE(v->timestamped_at);
  EXPECT_LT(std::chrono::abs(*v->timestamped_at - signed_at), 2s);
  auto plain = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {}, Now());
  EXPECT_FALSE(plain->valid);  // without the stamp: expired
  EXPECT_EQ(plain->level, "B-B");

  // A response stamping another signature cannot be attached.
  auto other = SignDetached(kText, leader_.certificate_pem, KeyRef::Pem(leader_key_));
  auto mismatched = AttachSignatureTimestamp(*other, *response);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().code, ErrorCode::kInvalidArgument);
  // The token itself verifies with openssl ts, against the signature's imprint.
  EXPECT_EQ(
      Run("openssl ts -verify -in " + Write("sig.tsr", *response) + " -CAfile " +
          Write("ca.pem", ca_.certificate_pem) + " -untrusted " +
          Write("tsa.pem", tsa->certificate_pem) + " -queryfile " + Write("sig.tsq", *request)),
      0);
}

// The organisation's key made inside a SoftHSM2 token by pkcs11-tool (a tool
// we did not write), certified by our CA, signing in place: the signature
// verifies with openssl, and a wrong PIN is refused.
TEST_F(PkiTest, AKeyInASoftHsmTokenSignsWithoutLeavingIt) {
  const std::string module = "/usr/lib/softhsm/libsofthsm2.so";
  ASSERT_TRUE(fs::exists(module)) << "softhsm2 is not installed (scripts/setup.sh installs it)";
  const fs::path tokens = dir_ / "tokens";
  fs::create_directories(tokens);
  const std::string conf = Write("softhsm2.conf", "directories.tokendir = " + tokens.string() +
                                                      "\nobjectstore.backend = file\n");
  ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  ASSERT_EQ(
      Run("softhsm2-util --init-token --free --label chancery-test --pin 1234 --so-pin 123456"), 0);
  ASSERT_EQ(Run("pkcs11-tool --module " + module +
                " --token-label chancery-test --login --pin 1234 --keypairgen --key-type rsa:2048"
                " --label seal --id 5e"),
            0);
  // A wrong PIN opens nothing (token_test.cc checks it again after a good
  // signature: each use logs in and out).
  auto wrong_pin = PublicKeyPem(
      KeyRef::Token("pkcs11:token=chancery-test;object=seal;type=private", module, "0000"));
  ASSERT_FALSE(wrong_pin.ok());
  EXPECT_EQ(wrong_pin.error().code, ErrorCode::kInvalidArgument) << wrong_pin.error().message;
  const KeyRef token =
      KeyRef::Token("pkcs11:token=chancery-test;object=seal;type=private", module, "1234");
  auto pub = PublicKeyPem(token);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  auto seal =
      Issue(CaIssuer(), {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"}, *pub,
            Profile::kOrganization, Now() - 1h, 365);
  ASSERT_TRUE(seal.ok()) << seal.error().message;
  auto cms = SignDetached(kText, seal->certificate_pem, token);
  ASSERT_TRUE(cms.ok()) << cms.error().message;
  auto v = VerifyDetached(*cms, kText, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->valid) << v->reason;
  const std::string verify = "openssl cms -verify -binary -cades -inform DER -purpose any -in " +
                             Write("seal.p7s", *cms) + " -CAfile " +
                             Write("ca.pem", ca_.certificate_pem) + " -out /dev/null -content " +
                             Write("doc.txt", kText);
  EXPECT_EQ(Run(verify), 0);
  // A bare signature (XML-DSig's SignedInfo) from the token, checked by openssl dgst.
  auto signer = Signer::Open(seal->certificate_pem, token);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  auto raw = signer->SignRaw(kText);
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(Run("openssl dgst -sha256 -verify " + Write("seal.pub", *pub) + " -signature " +
                Write("seal.sig", *raw) + " " + Write("doc.txt", kText)),
            0);
}

// SignRaw: RSA PKCS#1 v1.5 and ECDSA with SHA-256 over the bytes given, as
// openssl dgst checks them; the signer knows its certificate and chain.
TEST_F(PkiTest, SignRawMakesBareSignaturesOpenSslVerifies) {
  auto signer =
      Signer::Open(leader_.certificate_pem, KeyRef::Pem(leader_key_), {ca_.certificate_pem});
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_EQ(signer->certificate_pem(), leader_.certificate_pem);
  ASSERT_EQ(signer->chain_pems().size(), 1u);
  EXPECT_EQ(signer->key_type(), "rsa");
  auto sig = signer->SignRaw(kText);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_EQ(sig->size(), 256u);
  const std::string doc = Write("doc.txt", kText);
  const std::string verify = "openssl dgst -sha256 -verify " +
                             Write("leader.pub", Pub(leader_key_)) + " -signature " +
                             Write("doc.sig", *sig) + " ";
  EXPECT_EQ(Run(verify + doc), 0);
  EXPECT_NE(Run(verify + Write("other.txt", kText + ".")), 0);

  // An EC P-256 key made by openssl, certified by our CA.
  ASSERT_EQ(Run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " +
                (dir_ / "ec.key").string()),
            0);
  const std::string ec_key = ReadFile(dir_ / "ec.key");
  auto ec_cert = Issue(CaIssuer(), {.common_name = "Con dấu EC"}, Pub(ec_key),
                       Profile::kOrganization, Now() - 1h, 30);
  ASSERT_TRUE(ec_cert.ok()) << ec_cert.error().message;
  auto ec = Signer::Open(ec_cert->certificate_pem, KeyRef::Pem(ec_key));
  ASSERT_TRUE(ec.ok()) << ec.error().message;
  EXPECT_EQ(ec->key_type(), "ec");
  auto ec_sig = ec->SignRaw(kText);
  ASSERT_TRUE(ec_sig.ok()) << ec_sig.error().message;
  EXPECT_EQ(Run("openssl dgst -sha256 -verify " + Write("ec.pub", Pub(ec_key)) + " -signature " +
                Write("ec.sig", *ec_sig) + " " + doc),
            0);
}

// VerifyCertificate: the chain judgement of VerifyDetached for a bare certificate.
TEST_F(PkiTest, VerifyCertificateJudgesChainsRevocationAndTime) {
  auto seal =
      Issue(CaIssuer(), {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"},
            Pub(other_key_), Profile::kOrganization, Now() - 1h, 365);
  ASSERT_TRUE(seal.ok());
  auto info = DescribeCertificate(seal->certificate_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->organization_id, "000.00.00.G12");

  auto good = VerifyCertificate(seal->certificate_pem, {}, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_TRUE(good->valid) << good->reason;
  EXPECT_EQ(good->indication, kTotalPassed);
  EXPECT_EQ(good->chain.size(), 2u);
  EXPECT_EQ(good->revocation, "not_checked");
  EXPECT_NE(good->signer_subject.find("CN=Bộ Quốc phòng"), std::string::npos)
      << good->signer_subject;

  const std::string other_ca_key = *GenerateKey("");
  auto other_ca = Issue({"", KeyRef::Pem(other_ca_key)}, {.common_name = "Other Root"},
                        Pub(other_ca_key), Profile::kRootCa, Now() - 1h, 365);
  auto unknown =
      VerifyCertificate(seal->certificate_pem, {}, {other_ca->certificate_pem}, {}, Now());
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->valid);
  EXPECT_EQ(unknown->sub_indication, "NO_CERTIFICATE_CHAIN_FOUND");

  auto crl = MakeCrl(CaIssuer(), {{seal->serial_hex, Now() - 10min}}, Now() - 5min, 7);
  auto revoked = VerifyCertificate(seal->certificate_pem, {}, {ca_.certificate_pem}, {*crl}, Now());
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(revoked->valid);
  EXPECT_EQ(revoked->sub_indication, "REVOKED");
  auto before =
      VerifyCertificate(seal->certificate_pem, {}, {ca_.certificate_pem}, {*crl}, Now() - 30min);
  EXPECT_TRUE(before->valid) << before->reason;
  EXPECT_EQ(before->revocation, "good");

  auto late =
      VerifyCertificate(seal->certificate_pem, {}, {ca_.certificate_pem}, {}, Now() + 400 * 24h);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->valid);
  EXPECT_EQ(late->sub_indication, "OUT_OF_BOUNDS_NO_POE");

  EXPECT_FALSE(VerifyCertificate("not a pem", {}, {ca_.certificate_pem}, {}, Now()).ok());
}

}  // namespace
}  // namespace chancery::pki

namespace chancery::pki {
namespace {

// A person's key under a 6-digit PIN: argon2id derives the key-encryption
// key, AES-256-GCM seals the PKCS#8 DER (issue #11).
TEST(SealedKey, PinKeysAreArgon2idGcmAndOpenOnlyWithTheirPin) {
  auto pem = GenerateKey("123456", KeyWrap::kArgon2idGcm);
  ASSERT_TRUE(pem.ok()) << pem.error().message;
  EXPECT_NE(pem->find("BEGIN CHANCERY ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(pem->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(PublicKeyPem(KeyRef::Pem(*pem, "123456")).ok());
  auto wrong = PublicKeyPem(KeyRef::Pem(*pem, "123457"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  // A changed byte anywhere in the sealed key is refused, not misread.
  std::string tampered = *pem;
  tampered[tampered.find('\n') + 40] ^= 0x01;
  EXPECT_FALSE(PublicKeyPem(KeyRef::Pem(tampered, "123456")).ok());
  auto changed = ChangePassphrase(*pem, "123456", "654321", KeyWrap::kArgon2idGcm);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(PublicKeyPem(KeyRef::Pem(*changed, "123456")).ok());
  EXPECT_EQ(*PublicKeyPem(KeyRef::Pem(*changed, "654321")),
            *PublicKeyPem(KeyRef::Pem(*pem, "123456")));
  // A key made before (PKCS#8 under the PIN) still opens, and moves to the new wrap.
  auto old = GenerateKey("123456");
  ASSERT_TRUE(old.ok());
  auto moved = ChangePassphrase(*old, "123456", "123456", KeyWrap::kArgon2idGcm);
  ASSERT_TRUE(moved.ok());
  EXPECT_NE(moved->find("CHANCERY ENCRYPTED"), std::string::npos);
}

}  // namespace
}  // namespace chancery::pki
