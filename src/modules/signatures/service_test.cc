// The signatures module's use cases through SignatureService (and the
// document flow's sign, seal and issue that call it), on a faked world and a
// real store (services/testing.h), on both engines: the node's CA, issuing,
// renewing and revoking certificates, the signing PIN and its lock on the
// ManualClock, a first PIN chosen by the issuer, issue with both signatures,
// the share signed online, appearance images and file verification.
#include "modules/signatures/service.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "lib/pki/pades.h"
#include "lib/pki/pki.h"
#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;
using testing::CodeOf;
using testing::Describe;
using testing::FieldCodeOf;

constexpr const char* kPin = "123456";

class SignaturesServiceTest : public testing::ServicesTest {
 protected:
  void Configure(Config& /*config*/, app::ModuleSettings& settings) override {
    settings.signatures.key_secret = "signatures-test-secret";
    settings.signatures.pin_lockout_threshold = 3;
    settings.signatures.pin_lockout_duration = minutes(15);
  }
  SignatureService& sig() { return node().signatures; }

  // A person certificate made at the console (no PIN change required).
  Certificate PersonKey(const User& who, const std::string& pin = kPin) {
    auto c =
        sig().IssueCertificate(Console(), {.profile = "person", .user_id = who.id, .pin = pin});
    EXPECT_TRUE(c.ok()) << Describe(c);
    return c.ok() ? *c : Certificate{};
  }
  void Seal() {
    auto c = sig().IssueCertificate(Console(), {.profile = "organization", .unit_id = root_});
    ASSERT_TRUE(c.ok()) << Describe(c);
  }
  // A draft with a PDF as its file, submitted and approved.
  Id ApprovedPdf() {
    DocumentInput in{.type_code = "QĐ", .subject = "Quyết định ký số"};
    in.recipient_unit_ids = std::vector<Id>{vp_};
    auto d = node().documents.CreateDraft(spec_, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    if (!d.ok()) return 0;
    const Id id = d->document.id;
    auto v = node().documents.AddFile(spec_, id, true, "quyet-dinh.pdf",
                                      pki::SimplePdf({"QUYET DINH"}), std::nullopt, "");
    EXPECT_TRUE(v.ok()) << Describe(v);
    Walk(id, {{spec_, "submit"}, {leader_, "approve"}});
    return id;
  }
  Result<Document> SignWith(const User& who, Id id, const std::string& pin) {
    return node().documents.Act(who, id, "sign", {.pin = pin});
  }
  std::int64_t Certificates() { return Count("SELECT COUNT(*) FROM certificates"); }
};

TEST_P(SignaturesServiceTest, TheNodesCaIsMadeOnceByAnOfficer) {
  const auto audit = AuditSize();
  EXPECT_EQ(CodeOf(sig().CreateNodeCa(clerk_, {})), "forbidden");
  EXPECT_EQ(FieldCodeOf(sig().CreateNodeCa(admin_, {.days = 0})), "out_of_range");
  app::ModuleSettings no_secret = settings_;
  no_secret.signatures.key_secret.clear();
  app::Modules bare(Core(*store_, blobs_, clock_, random_, calendar_, config_), no_secret);
  EXPECT_EQ(CodeOf(bare.signatures.CreateNodeCa(admin_, {})), "unavailable");
  EXPECT_EQ(CodeOf(sig().CurrentCrl()), "unavailable");  // no CA yet
  EXPECT_EQ(Certificates(), 0);
  EXPECT_EQ(AuditSize(), audit);
  auto ca = sig().CreateNodeCa(admin_, {.common_name = "CA Bộ Quốc phòng"});
  ASSERT_TRUE(ca.ok()) << Describe(ca);
  EXPECT_EQ(ca->profile, "root_ca");
  EXPECT_EQ(ca->subject, "CA Bộ Quốc phòng");
  EXPECT_EQ(ca->not_before, clock_.Now());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE profile IN ('root_ca', 'node', "
                  "'timestamping')"),
            3);
  EXPECT_EQ(CodeOf(sig().CreateNodeCa(admin_, {})), "conflict");
  EXPECT_EQ(Certificates(), 3);
  EXPECT_TRUE(sig().CurrentCrl().ok());
}

// Certificates go to persons and to units that issue documents; the input
// is checked before any key is made, and a new certificate replaces the
// holder's current one.
TEST_P(SignaturesServiceTest, CertificatesAreIssuedToHoldersAndReplaceTheirPredecessor) {
  CreateNodeCa();
  const auto before = Certificates();
  EXPECT_EQ(CodeOf(sig().IssueCertificate(spec_,
                                          {.profile = "person", .user_id = spec_.id, .pin = kPin})),
            "forbidden");
  EXPECT_EQ(FieldCodeOf(sig().IssueCertificate(admin_, {.profile = "person", .pin = kPin})),
            "required");
  EXPECT_EQ(FieldCodeOf(sig().IssueCertificate(
                admin_, {.profile = "person", .user_id = leader_.id, .pin = "123"})),
            "bad_pin");
  EXPECT_EQ(
      FieldCodeOf(sig().IssueCertificate(admin_, {.profile = "organization", .unit_id = vp_})),
      "no_seal");
  EXPECT_EQ(FieldCodeOf(sig().IssueCertificate(
                admin_, {.profile = "person", .user_id = leader_.id, .days = 4000, .pin = kPin})),
            "out_of_range");
  EXPECT_EQ(FieldCodeOf(sig().IssueCertificate(admin_, {.profile = "root_ca"})), "bad_value");
  EXPECT_EQ(Certificates(), before);
  const Certificate first = PersonKey(leader_);
  EXPECT_EQ(first.subject, "leader");
  EXPECT_EQ(first.not_after, clock_.Now() + hours(24) * 730);
  EXPECT_FALSE(first.key_in_token);
  clock_.Advance(hours(1));
  const Certificate second = PersonKey(leader_, "654321");
  EXPECT_EQ(second.replaces_id, std::optional<Id>(first.id));
  auto mine = sig().ListCertificates(leader_, {.user_id = leader_.id});
  ASSERT_TRUE(mine.ok()) << Describe(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].status, "replaced");
  EXPECT_EQ((*mine)[1].status, "active");
  EXPECT_EQ(CodeOf(sig().ListCertificates(spec_, {.user_id = leader_.id})), "forbidden");
  EXPECT_EQ(CodeOf(sig().ListCertificates(spec_, {})), "forbidden");
  EXPECT_TRUE(sig().ListCertificates(spec_, {.user_id = spec_.id}).ok());
}

TEST_P(SignaturesServiceTest, RevocationNeedsAReasonHappensOnceAndSparesRoots) {
  CreateNodeCa();
  const Certificate key = PersonKey(leader_);
  const auto audit = AuditSize();
  EXPECT_EQ(FieldCodeOf(sig().RevokeCertificate(admin_, key.serial, "")), "required");
  EXPECT_EQ(CodeOf(sig().RevokeCertificate(spec_, key.serial, "lost")), "forbidden");
  EXPECT_EQ(CodeOf(sig().RevokeCertificate(admin_, "00FF", "lost")), "not_found");
  auto ca = sig().ListCertificates(admin_, {.profile = "root_ca"});
  ASSERT_TRUE(ca.ok() && ca->size() == 1u);
  EXPECT_EQ(CodeOf(sig().RevokeCertificate(admin_, ca->front().serial, "compromised")),
            "invalid_transition");
  EXPECT_EQ(AuditSize(), audit);
  clock_.Advance(minutes(5));
  auto revoked = sig().RevokeCertificate(admin_, key.serial, "Mất thiết bị");
  ASSERT_TRUE(revoked.ok()) << Describe(revoked);
  EXPECT_EQ(revoked->status, "revoked");
  EXPECT_EQ(revoked->revoked_at, std::optional<Timestamp>(clock_.Now()));
  EXPECT_EQ(revoked->revocation_reason, "Mất thiết bị");
  EXPECT_EQ(CodeOf(sig().RevokeCertificate(admin_, key.serial, "again")), "invalid_transition");
  EXPECT_EQ(CodeOf(sig().RenewCertificate(admin_, key.serial, {.days = 365})),
            "invalid_transition");
  // A renewed certificate certifies the same key again: the PIN still opens it.
  const Certificate other = PersonKey(spec_);
  auto renewed = sig().RenewCertificate(admin_, other.serial, {.days = 365});
  ASSERT_TRUE(renewed.ok()) << Describe(renewed);
  EXPECT_NE(renewed->serial, other.serial);
  EXPECT_EQ(renewed->replaces_id, std::optional<Id>(other.id));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM certificates WHERE status = 'replaced'"), 1);
}

// The CRL is signed again only when it would say something else: a
// revocation is in the very next one; with nothing revoked since, the last
// one is reused for up to an hour, and never one made after the clock's now.
TEST_P(SignaturesServiceTest, TheCrlListsARevocationAtOnceAndIsReusedUntilThen) {
  CreateNodeCa();
  const Certificate key = PersonKey(leader_);
  const auto revoked_in = [](const std::string& pem) {  // the CRL's entries, read by OpenSSL
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(
        PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr), X509_CRL_free);
    EXPECT_NE(crl, nullptr);
    if (!crl) return -1;
    const auto* entries = X509_CRL_get_REVOKED(crl.get());
    return entries ? sk_X509_REVOKED_num(entries) : 0;
  };
  auto first = sig().CurrentCrl();
  ASSERT_TRUE(first.ok()) << Describe(first);
  EXPECT_EQ(revoked_in(*first), 0);
  clock_.Advance(minutes(59));
  EXPECT_EQ(sig().CurrentCrl().value(), *first);  // nothing changed: the same CRL
  ASSERT_TRUE(sig().RevokeCertificate(admin_, key.serial, "Mất thiết bị").ok());
  auto after = sig().CurrentCrl();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(revoked_in(*after), 1);  // at once, though the last one is a minute old
  clock_.Advance(minutes(61));
  auto later = sig().CurrentCrl();
  ASSERT_TRUE(later.ok());
  EXPECT_NE(*later, *after);  // over an hour old: signed again
  EXPECT_EQ(revoked_in(*later), 1);
  clock_.Advance(-hours(2));
  EXPECT_NE(sig().CurrentCrl().value(), *later);  // the clock went back: not one from its future
}

// A wrong PIN is refused before anything is signed and counts toward the
// lock; the right one signs a new version and clears the count.
TEST_P(SignaturesServiceTest, SigningTakesThePinAndAWrongPinSignsNothing) {
  CreateNodeCa();
  PersonKey(leader_);
  const Id id = ApprovedPdf();
  const auto versions = [&] {
    return Count("SELECT COUNT(*) FROM document_versions WHERE document_id = " +
                 std::to_string(id));
  };
  const User unkeyed = MakeUser("leader2", kRoleLeader, root_, Classification::kTopSecret);
  EXPECT_EQ(FieldCodeOf(SignWith(unkeyed, id, kPin)), "none");  // no certificate
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, "")), "required");
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, "999999")), "wrong_pin");
  EXPECT_EQ(versions(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM document_signatures"), 0);
  EXPECT_EQ(
      Count("SELECT failures FROM pin_attempts WHERE user_id = " + std::to_string(leader_.id)), 1);
  auto signed_doc = SignWith(leader_, id, kPin);
  ASSERT_TRUE(signed_doc.ok()) << Describe(signed_doc);
  EXPECT_EQ(signed_doc->state, "signed");
  EXPECT_EQ(versions(), 2);
  EXPECT_EQ(
      Count("SELECT failures FROM pin_attempts WHERE user_id = " + std::to_string(leader_.id)), 0);
  auto detail = node().documents.GetDocument(leader_, id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->signatures.size(), 1u);
  EXPECT_EQ(detail->signatures[0].kind, "personal");
  EXPECT_EQ(detail->signatures[0].sha256, detail->versions.back().sha256);
}

// Wrong PINs lock the key for the configured time: then even the right PIN
// is refused, untested, until the clock passes the lock.
TEST_P(SignaturesServiceTest, RepeatedWrongPinsLockTheKeyUntilTheLockEnds) {
  CreateNodeCa();
  PersonKey(leader_);
  const Id id = ApprovedPdf();
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, "000001")), "wrong_pin");
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, "000002")), "wrong_pin");
  EXPECT_EQ(CodeOf(SignWith(leader_, id, "000003")), "account_locked");
  EXPECT_EQ(CodeOf(SignWith(leader_, id, kPin)), "account_locked");
  clock_.Advance(minutes(14));
  EXPECT_EQ(CodeOf(SignWith(leader_, id, kPin)), "account_locked");
  clock_.Advance(minutes(1));
  auto signed_doc = SignWith(leader_, id, kPin);
  ASSERT_TRUE(signed_doc.ok()) << Describe(signed_doc);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'pki.pin_locked'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'pki.pin_refused'"), 2);
}

// A PIN the security officer chose opens the key but does not sign: the
// holder sets their own first, proving the old one.
TEST_P(SignaturesServiceTest, APinChosenByTheIssuerIsReplacedBeforeTheKeySigns) {
  CreateNodeCa();
  const User officer = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  auto key =
      sig().IssueCertificate(officer, {.profile = "person", .user_id = leader_.id, .pin = kPin});
  ASSERT_TRUE(key.ok()) << Describe(key);
  const Id id = ApprovedPdf();
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, kPin)), "pin_change_required");
  EXPECT_EQ(FieldCodeOf(sig().ChangeSigningPin(leader_, kPin, "12")), "bad_pin");
  EXPECT_EQ(FieldCodeOf(sig().ChangeSigningPin(leader_, "000000", "my-own-pin")), "wrong_pin");
  EXPECT_EQ(FieldCodeOf(sig().ChangeSigningPin(spec_, kPin, "my-own-pin")), "no_key");
  ASSERT_TRUE(sig().ChangeSigningPin(leader_, kPin, "my-own-pin").ok());
  EXPECT_EQ(FieldCodeOf(SignWith(leader_, id, kPin)), "wrong_pin");  // the old PIN is gone
  auto signed_doc = SignWith(leader_, id, "my-own-pin");
  ASSERT_TRUE(signed_doc.ok()) << Describe(signed_doc);
}

// An electronic document is issued with the leader's and the seal's valid
// signatures; its copy arrives checked, and it counts as signed online.
TEST_P(SignaturesServiceTest, AnElectronicIssueCarriesBothSignaturesAndCountsAsSignedOnline) {
  CreateNodeCa();
  PersonKey(leader_);
  const Id id = ApprovedPdf();
  ASSERT_TRUE(SignWith(leader_, id, kPin).ok());
  Walk(id, {{clerk_, "number"}});
  EXPECT_EQ(FieldCodeOf(node().documents.Act(clerk_, id, "seal", {})), "none");  // no seal yet
  Seal();
  Walk(id, {{clerk_, "seal"}, {clerk_, "issue"}});
  auto detail = node().documents.GetDocument(clerk_, id);
  ASSERT_TRUE(detail.ok());
  std::vector<std::string> kinds;
  for (const auto& s : detail->signatures) kinds.push_back(s.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"personal", "organization", "issued"}));
  EXPECT_EQ(detail->signatures.back().indication, "TOTAL_PASSED");
  ASSERT_EQ(detail->recipients.size(), 1u);
  auto copy = node().documents.GetDocument(spec_, *detail->recipients[0].copy_document_id);
  ASSERT_TRUE(copy.ok());
  ASSERT_EQ(copy->signatures.size(), 1u);
  EXPECT_EQ(copy->signatures[0].kind, "verification");
  EXPECT_EQ(copy->signatures[0].indication, "TOTAL_PASSED");
  // Anyone may check the signed file; the report says who signed.
  auto file = node().documents.GetFile(spec_, copy->document.id, copy->signatures[0].sha256);
  ASSERT_TRUE(file.ok()) << Describe(file);
  auto report = sig().VerifyFile(spec_, {.file = file->bytes});
  ASSERT_TRUE(report.ok()) << Describe(report);
  EXPECT_NE(report->find("TOTAL_PASSED"), std::string::npos);
  // A paper document issued the same day counts as issued, not signed online.
  Walk(SignedDraft("TB"), {{clerk_, "number"}, {clerk_, "seal"}, {clerk_, "issue"}});
  auto share = sig().SignatureShareOf(leader_, root_, Today(), Today());
  ASSERT_TRUE(share.ok()) << Describe(share);
  EXPECT_EQ(share->share.issued, 2);
  EXPECT_EQ(share->share.both_signed, 1);
  EXPECT_DOUBLE_EQ(share->ratio, 0.5);
  EXPECT_EQ(CodeOf(sig().SignatureShareOf(spec_, vp_, Today(), Today())), "forbidden");
  const User vp_clerk = MakeUser("vpclerk", kRoleClerk, vp_, Classification::kNormal);
  EXPECT_EQ(CodeOf(sig().SignatureShareOf(vp_clerk, root_, Today(), Today())), "not_found");
  EXPECT_EQ(FieldCodeOf(sig().SignatureShareOf(leader_, root_, Today(), Today() - days(1))),
            "before_from");
}

TEST_P(SignaturesServiceTest, AppearanceImagesArePngsAndASealIsAnOfficersToSet) {
  const std::string png = pki::DemoSignaturePng();
  const auto audit = AuditSize();
  EXPECT_EQ(CodeOf(sig().SetAppearanceImage(spec_, "seal", root_, pki::DemoSealPng())),
            "forbidden");
  EXPECT_EQ(CodeOf(sig().SetAppearanceImage(spec_, "signature", leader_.id, png)), "forbidden");
  EXPECT_EQ(FieldCodeOf(sig().SetAppearanceImage(spec_, "signature", spec_.id, "GIF89a....")),
            "not_png");
  EXPECT_EQ(FieldCodeOf(sig().SetAppearanceImage(spec_, "stamp", spec_.id, png)), "bad_value");
  EXPECT_EQ(CodeOf(sig().SetAppearanceImage(admin_, "seal", 9999, pki::DemoSealPng())),
            "not_found");
  EXPECT_EQ(AuditSize(), audit);
  ASSERT_TRUE(sig().SetAppearanceImage(spec_, "signature", spec_.id, png).ok());
  ASSERT_TRUE(sig().SetAppearanceImage(admin_, "seal", root_, pki::DemoSealPng()).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM meta WHERE key IN ('signature_image:" +
                  std::to_string(spec_.id) + "', 'seal_image:" + std::to_string(root_) + "')"),
            2);
}

// Data checked against a detached signature is the caller's own upload, or
// given with the request; never someone else's file by its hash.
TEST_P(SignaturesServiceTest, AFileIsVerifiedOnlyAgainstDataTheCallerHolds) {
  EXPECT_EQ(FieldCodeOf(sig().VerifyFile(spec_, {})), "required");
  EXPECT_EQ(FieldCodeOf(sig().VerifyFile(spec_, {.file = "cms"})), "required");  // no data
  auto upload = node().documents.PutBlob(clerk_, "the signed data", std::nullopt);
  ASSERT_TRUE(upload.ok());
  EXPECT_EQ(FieldCodeOf(sig().VerifyFile(spec_, {.file = "cms", .data_sha256 = upload->sha256})),
            "unknown");
  // The uploader's own data passes that check (whatever the CMS then says).
  EXPECT_NE(FieldCodeOf(sig().VerifyFile(clerk_, {.file = "cms", .data_sha256 = upload->sha256})),
            "unknown");
  clock_.Advance(hours(24));  // ... for as long as the upload lasts
  EXPECT_EQ(FieldCodeOf(sig().VerifyFile(clerk_, {.file = "cms", .data_sha256 = upload->sha256})),
            "unknown");
}

CHY_SERVICE_TEST_BACKENDS(SignaturesServiceTest);

}  // namespace
}  // namespace chancery::services
