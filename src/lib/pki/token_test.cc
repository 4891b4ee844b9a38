// Keys in a PKCS#11 token (SoftHSM2) through libp11 (pkcs11.cc): unlocked per
// signature with the PIN, never leaving the token.
//
// Lockout after repeated wrong PINs is not tried here: SoftHSM2 never locks a
// user PIN. It is enforced by the node, which counts a person's "wrong_pin"
// failures, and by real tokens, whose CKR_PIN_LOCKED maps to "pin_locked".
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "lib/pki/pki.h"
#include "lib/pki/pki_testing.h"

namespace chancery::pki {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;

const std::string kModule = "/usr/lib/softhsm/libsofthsm2.so";
const std::string kText = "Quyết định số 15/QĐ-BQP về việc ban hành Quy chế công tác văn thư.";
const std::string kSeal = "pkcs11:token=chancery-token;object=seal;type=private";

// The field error's code of a failed result ("" if it succeeded or has none).
template <class T>
std::string CodeOf(const Result<T>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields[0].code;
}

// One SoftHSM2 token ("chancery-token", user PIN 1234) with an RSA key made in
// it ("seal", id 5e), a CA and a certificate for that key, made once: the
// module reads SOFTHSM2_CONF once per process.
class TokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("token-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "tokens");
    const std::string conf =
        WriteFile(dir_ / "softhsm2.conf", "directories.tokendir = " + (dir_ / "tokens").string() +
                                              "\nobjectstore.backend = file\n");
    ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
    if (!fs::exists(kModule)) return;  // each test reports it
    std::string out;
    ASSERT_EQ(RunCommand("softhsm2-util --init-token --free --label chancery-token --pin 1234"
                         " --so-pin 123456",
                         &out),
              0)
        << out;
    ASSERT_EQ(RunCommand(Tool() + " --keypairgen --key-type rsa:2048 --label seal --id 5e", &out),
              0)
        << out;
    ca_key_ = *GenerateKey("");
    ca_ = *Issue({"", KeyRef::Pem(ca_key_)}, {.common_name = "Chancery Token Test CA"},
                 Pub(ca_key_), Profile::kRootCa, Now() - 1h, 365);
    auto pub = PublicKeyPem(Token("1234"));
    ASSERT_TRUE(pub.ok()) << pub.error().message;
    auto seal = Issue({ca_.certificate_pem, KeyRef::Pem(ca_key_)},
                      {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"}, *pub,
                      Profile::kOrganization, Now() - 1h, 365);
    ASSERT_TRUE(seal.ok()) << seal.error().message;
    seal_cert_ = seal->certificate_pem;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kModule)) << "softhsm2 is not installed (scripts/setup.sh)";
  }

  static std::string Tool() {
    return "pkcs11-tool --module " + kModule + " --token-label chancery-token --login --pin 1234";
  }
  static KeyRef Token(const std::string& pin, const std::string& uri = kSeal) {
    return KeyRef::Token(uri, kModule, pin);
  }
  // Signs kText with the token key, and whether the signature verifies.
  static Result<std::string> Sign(const KeyRef& key) {
    return SignDetached(kText, seal_cert_, key);
  }
  static bool Verifies(const std::string& cms) {
    auto v = VerifyDetached(cms, kText, {ca_.certificate_pem}, {}, Now());
    return v.ok() && v->valid;
  }

  static inline fs::path dir_;
  static inline std::string ca_key_, seal_cert_;
  static inline Issued ca_;
};

TEST_F(TokenTest, TheRightPinSignsAndOpenSslAccepts) {
  auto cms = Sign(Token("1234"));
  ASSERT_TRUE(cms.ok()) << cms.error().message;
  EXPECT_TRUE(Verifies(*cms));
  std::string out;
  EXPECT_EQ(RunCommand("openssl cms -verify -binary -cades -inform DER -purpose any -in " +
                           WriteFile(dir_ / "seal.p7s", *cms) + " -CAfile " +
                           WriteFile(dir_ / "ca.pem", ca_.certificate_pem) +
                           " -out /dev/null -content " + WriteFile(dir_ / "doc.txt", kText),
                       &out),
            0)
      << out;
}

// What libp11's engine could not do: it stayed logged in after one right PIN.
TEST_F(TokenTest, EachSignatureNeedsTheRightPinAgain) {
  ASSERT_TRUE(Sign(Token("1234")).ok());
  auto wrong = Sign(Token("0000"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(wrong.error().fields[0].field, "pin");
  EXPECT_EQ(CodeOf(wrong), "wrong_pin");
  EXPECT_EQ(CodeOf(PublicKeyPem(Token("0000"))), "wrong_pin");
  EXPECT_EQ(CodeOf(Sign(Token(""))), "wrong_pin");
  auto again = Sign(Token("1234"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(Verifies(*again));
}

TEST_F(TokenTest, AKeyAddressedByIdAlone) {
  auto cms = Sign(Token("1234", "pkcs11:token=chancery-token;id=%5e;type=private"));
  ASSERT_TRUE(cms.ok()) << cms.error().message;
  EXPECT_TRUE(Verifies(*cms));
  // Percent-encoded labels too ("seal" spelt %73eal), and both attributes at once.
  EXPECT_TRUE(Sign(Token("1234", "pkcs11:token=chancery%2dtoken;object=%73eal;id=%5E")).ok());
}

TEST_F(TokenTest, AnUnknownTokenOrKeyIsNotInTheToken) {
  EXPECT_EQ(CodeOf(Sign(Token("1234", "pkcs11:token=nowhere;object=seal;type=private"))),
            "not_in_token");
  EXPECT_EQ(CodeOf(Sign(Token("1234", "pkcs11:token=chancery-token;object=stamp;type=private"))),
            "not_in_token");
  EXPECT_EQ(CodeOf(Sign(Token("1234", "pkcs11:token=chancery-token;id=%5f"))), "not_in_token");
  EXPECT_EQ(CodeOf(Sign(Token("1234", "pkcs11:token=chancery-token;object=seal;type=cert"))),
            "not_in_token");
  EXPECT_EQ(CodeOf(Sign(Token("1234", "pkcs11:token=chancery-token;id=%5"))), "unreadable");
  EXPECT_EQ(CodeOf(Sign(Token("1234", "token=chancery-token;object=seal"))), "unreadable");
  // The token is still usable after all that.
  EXPECT_TRUE(Sign(Token("1234")).ok());
}

TEST_F(TokenTest, AModuleThatDoesNotLoadIsUnavailable) {
  auto r = Sign(KeyRef::Token(kSeal, "/nonexistent/libpkcs11.so", "1234"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
}

// Uses of one token take turns; a wrong PIN in between never rides on another
// caller's login.
TEST_F(TokenTest, ConcurrentSignaturesAllVerifyAndAWrongPinIsAlwaysRefused) {
  std::atomic<int> signed_ok = 0, wrong_refused = 0;
  std::atomic<bool> done = false;
  std::vector<std::thread> signers;
  for (int t = 0; t < 4; ++t) {
    signers.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto cms = Sign(Token("1234"));
        if (cms.ok() && Verifies(*cms)) ++signed_ok;
      }
    });
  }
  int wrong_tries = 0;
  std::thread intruder([&] {
    while (!done) {
      ++wrong_tries;
      if (CodeOf(Sign(Token("0000"))) == "wrong_pin") ++wrong_refused;
    }
  });
  for (auto& t : signers) t.join();
  done = true;
  intruder.join();
  EXPECT_EQ(signed_ok, 80);
  EXPECT_GT(wrong_tries, 0);
  EXPECT_EQ(wrong_refused, wrong_tries);
}

// pkcs11-tool makes the key sensitive and never extractable, and cannot read it
// out; we only ever sign through it.
TEST_F(TokenTest, ThePrivateKeyCannotBeReadOutOfTheToken) {
  std::string out;
  ASSERT_EQ(RunCommand(Tool() + " --list-objects --type privkey", &out), 0) << out;
  EXPECT_NE(out.find("label:      seal"), std::string::npos) << out;
  EXPECT_NE(out.find("Access:     sensitive, always sensitive, never extractable"),
            std::string::npos)
      << out;
  const fs::path dump = dir_ / "seal.der";
  RunCommand(Tool() + " --read-object --type privkey --label seal --output-file " + dump.string(),
             &out);
  EXPECT_TRUE(!fs::exists(dump) || fs::file_size(dump) == 0) << out;
}

}  // namespace
}  // namespace chancery::pki
