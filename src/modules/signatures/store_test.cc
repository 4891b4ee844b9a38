// The signatures module's store on both engines (store/testing.h):
// certificates, signing-PIN attempts, document signatures and their latest
// verdicts, the share signed online, and signed tree heads.
#include "modules/signatures/store.h"

#include <gtest/gtest.h>

#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "store/testing.h"

namespace chancery::signatures {
namespace {

using namespace std::chrono_literals;
using store::Tx;
using store::testing::CodeOf;
using store::testing::Day;
using store::testing::kT0;

class SignaturesStoreTest : public store::testing::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(Write([&](Tx& tx) -> Status {
      CHY_TRY(user_, org::Store(tx).InsertUser(
                         {.username = "leader", .full_name = "L", .unit_id = root_}, "hash", kT0));
      return Ok();
    }));
  }
  static CertificateRecord Cert(const std::string& serial, const std::string& profile) {
    CertificateRecord c;
    c.serial = serial;
    c.profile = profile;
    c.subject = "CN " + serial;
    c.certificate_pem = "-----BEGIN CERTIFICATE-----" + serial;
    c.not_before = kT0;
    c.not_after = kT0 + 24h * 730;
    c.created_at = kT0;
    return c;
  }
  // An outgoing document of root_ in `state`, issued on `issued`.
  Id AddDocument(Tx& tx, const std::string& state, std::optional<Date> issued) {
    Document d;
    d.state = state;
    d.unit_id = root_;
    d.subject = "Văn bản";
    d.issued_date = issued;
    d.created_at = d.updated_at = kT0;
    auto id = documents::Store(tx).InsertDocument(d);
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }
  Status Sign(Tx& tx, Id doc, const std::string& kind, const std::string& indication) {
    DocumentSignature s{.document_id = doc, .kind = kind, .indication = indication};
    s.created_at = kT0;
    CHY_TRY_STATUS(Store(tx).InsertDocumentSignature(s));
    return Ok();
  }
  Id user_ = 0;
};

TEST_P(SignaturesStoreTest, PinAttemptsLockAtTheThresholdAndStartOverWhenTheLockEnds) {
  const Timestamp until = kT0 + 15min;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(auto fresh, Store(tx).GetPinAttempts(user_));
    EXPECT_EQ(fresh.first, 0);
    EXPECT_FALSE(fresh.second.has_value());
    for (int want = 1; want <= 4; ++want) {
      CHY_TRY(int n, Store(tx).ReservePinAttempt(user_, kT0, 3, until));
      EXPECT_EQ(n, want);
      CHY_TRY(auto state, Store(tx).GetPinAttempts(user_));
      EXPECT_EQ(state.second.has_value(), want >= 3) << want;
    }
    CHY_TRY(auto locked, Store(tx).GetPinAttempts(user_));
    EXPECT_EQ(locked.second, std::optional<Timestamp>(until));
    // An attempt once the lock has ended is the first of a new count.
    CHY_TRY(int after, Store(tx).ReservePinAttempt(user_, until, 3, until + 15min));
    EXPECT_EQ(after, 1);
    CHY_TRY(auto reset, Store(tx).GetPinAttempts(user_));
    EXPECT_FALSE(reset.second.has_value());
    CHY_TRY_STATUS(Store(tx).PutPinAttempts(user_, 0, std::nullopt));
    CHY_TRY(auto cleared, Store(tx).GetPinAttempts(user_));
    EXPECT_EQ(cleared.first, 0);
    return Ok();
  }));
}

TEST_P(SignaturesStoreTest, APinChosenByAnotherMustBeChangedUntilCleared) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(bool before, Store(tx).PinChangeRequired(user_));
    EXPECT_FALSE(before);
    CHY_TRY_STATUS(Store(tx).SetPinChangeRequired(user_, 1, kT0));
    CHY_TRY_STATUS(Store(tx).SetPinChangeRequired(user_, 2, kT0 + 1h));  // set again: one row
    CHY_TRY(bool required, Store(tx).PinChangeRequired(user_));
    EXPECT_TRUE(required);
    CHY_TRY_STATUS(Store(tx).ClearPinChangeRequired(user_));
    CHY_TRY(bool after, Store(tx).PinChangeRequired(user_));
    EXPECT_FALSE(after);
    return Ok();
  }));
}

TEST_P(SignaturesStoreTest, CertificatesAreFoundBySerialAndQueriedByHolderProfileAndStatus) {
  Id person = 0, seal = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CertificateRecord ca = Cert("01AA", "root_ca");
    ca.key_pem = "encrypted";
    CHY_TRY_STATUS(Store(tx).InsertCertificate(ca));
    CertificateRecord p = Cert("02BB", "person");
    p.user_id = user_;
    CHY_TRY(person, Store(tx).InsertCertificate(p));
    CertificateRecord o = Cert("03CC", "organization");
    o.unit_id = root_;
    o.key_uri = "pkcs11:object=seal";
    CHY_TRY(seal, Store(tx).InsertCertificate(o));
    CHY_TRY(CertificateRecord got, Store(tx).GetCertificate("02BB"));
    EXPECT_EQ(got.id, person);
    EXPECT_EQ(got.user_id, std::optional<Id>(user_));
    EXPECT_EQ(got.subject, "CN 02BB");
    EXPECT_EQ(got.not_before, kT0);
    EXPECT_EQ(got.not_after, kT0 + 24h * 730);
    EXPECT_EQ(got.status, "active");
    EXPECT_FALSE(got.revoked_at.has_value());
    EXPECT_EQ(CodeOf(Store(tx).GetCertificate("02bb")), "not_found");
    auto serials = [&](const CertificateQuery& q) {
      std::vector<std::string> out;
      auto found = Store(tx).ListCertificates(q);
      EXPECT_TRUE(found.ok());
      if (found.ok()) {
        for (const auto& c : *found) out.push_back(c.serial);
      }
      return out;
    };
    EXPECT_EQ(serials({}), (std::vector<std::string>{"01AA", "02BB", "03CC"}));
    EXPECT_EQ(serials({.user_id = user_}), (std::vector<std::string>{"02BB"}));
    EXPECT_EQ(serials({.unit_id = root_}), (std::vector<std::string>{"03CC"}));
    EXPECT_EQ(serials({.profile = "root_ca"}), (std::vector<std::string>{"01AA"}));
    CHY_TRY_STATUS(Store(tx).UpdateCertificateStatus(person, "revoked", kT0 + 1h, "key lost"));
    CHY_TRY_STATUS(Store(tx).UpdateCertificateKey(seal, "new-key"));
    EXPECT_EQ(serials({.status = "active"}), (std::vector<std::string>{"01AA", "03CC"}));
    EXPECT_EQ(serials({.user_id = user_, .status = "revoked"}), (std::vector<std::string>{"02BB"}));
    CHY_TRY(CertificateRecord revoked, Store(tx).GetCertificate("02BB"));
    EXPECT_EQ(revoked.revoked_at, std::optional<Timestamp>(kT0 + 1h));
    EXPECT_EQ(revoked.revocation_reason, "key lost");
    CHY_TRY(CertificateRecord rekeyed, Store(tx).GetCertificate("03CC"));
    EXPECT_EQ(rekeyed.key_pem, "new-key");
    EXPECT_EQ(rekeyed.key_uri, "pkcs11:object=seal");
    return Ok();
  }));
  Status twice = store().Write([&](Tx& tx) -> Status {
    CHY_TRY_STATUS(Store(tx).InsertCertificate(Cert("02BB", "person")));
    return Ok();
  });
  EXPECT_EQ(CodeOf(twice), "conflict");  // a serial is known once
}

// The latest verification or issue verdict per document; a personal or
// organisation signature is not a verdict.
TEST_P(SignaturesStoreTest, TheLatestVerdictOfEachDocumentIsItsNewestCheck) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id a = AddDocument(tx, "issued", Day(2026, 1, 10));
    const Id b = AddDocument(tx, "received", std::nullopt);
    const Id c = AddDocument(tx, "draft", std::nullopt);
    CHY_TRY_STATUS(Sign(tx, a, "verification", "TOTAL_FAILED"));
    CHY_TRY_STATUS(Sign(tx, a, "issued", "TOTAL_PASSED"));
    CHY_TRY_STATUS(Sign(tx, a, "personal", ""));
    CHY_TRY_STATUS(Sign(tx, b, "verification", "INDETERMINATE"));
    CHY_TRY_STATUS(Sign(tx, c, "organization", ""));
    CHY_TRY(auto verdicts, Store(tx).LatestSignatureVerdicts({a, b, c}));
    EXPECT_EQ(verdicts.size(), 2u);
    EXPECT_EQ(verdicts[a], "TOTAL_PASSED");
    EXPECT_EQ(verdicts[b], "INDETERMINATE");
    EXPECT_EQ(verdicts.count(c), 0u);
    CHY_TRY(auto only_b, Store(tx).LatestSignatureVerdicts({b}));
    EXPECT_EQ(only_b.size(), 1u);
    CHY_TRY(auto none, Store(tx).LatestSignatureVerdicts({}));
    EXPECT_TRUE(none.empty());
    CHY_TRY(auto of_a, Store(tx).ListDocumentSignatures(a));
    EXPECT_EQ(of_a.size(), 3u);
    if (of_a.size() == 3) {
      EXPECT_EQ(of_a[2].kind, "personal");  // in the order made
    }
    return Ok();
  }));
}

// Issued outgoing documents of the period, and how many of them were
// issued with both signatures checked (an "issued" TOTAL_PASSED record).
TEST_P(SignaturesStoreTest, TheShareSignedOnlineCountsIssuedDocumentsOfThePeriod) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id online = AddDocument(tx, "issued", Day(2026, 2, 1));
    CHY_TRY_STATUS(Sign(tx, online, "issued", "TOTAL_PASSED"));
    const Id failed = AddDocument(tx, "filed", Day(2026, 2, 27));
    CHY_TRY_STATUS(Sign(tx, failed, "issued", "TOTAL_FAILED"));
    AddDocument(tx, "recalled", Day(2026, 2, 28));  // paper
    const Id later = AddDocument(tx, "issued", Day(2026, 3, 1));
    CHY_TRY_STATUS(Sign(tx, later, "issued", "TOTAL_PASSED"));
    AddDocument(tx, "sealed", Day(2026, 2, 10));  // numbered, not issued yet
    CHY_TRY(auto feb, Store(tx).CountSignatureShare({root_}, Day(2026, 2, 1), Day(2026, 2, 28)));
    EXPECT_EQ(feb.issued, 3);
    EXPECT_EQ(feb.both_signed, 1);
    CHY_TRY(auto elsewhere,
            Store(tx).CountSignatureShare({root_ + 1}, Day(2026, 1, 1), Day(2026, 12, 31)));
    EXPECT_EQ(elsewhere.issued, 0);
    return Ok();
  }));
}

TEST_P(SignaturesStoreTest, TreeHeadsAreListedNewestFirstAndASizeIsSignedOnce) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    for (std::int64_t size : {3, 10, 7}) {
      CHY_TRY_STATUS(Store(tx).InsertTreeHead(
          {size, "root-" + std::to_string(size), kT0 + std::chrono::minutes(size), "SER", "sig"}));
    }
    CHY_TRY_STATUS(Store(tx).InsertTreeHead({10, "other-root", kT0, "SER", "sig2"}));
    CHY_TRY(auto two, Store(tx).ListTreeHeads(2));
    EXPECT_EQ(two.size(), 2u);
    if (two.size() == 2) {
      EXPECT_EQ(two[0].tree_size, 10);
      EXPECT_EQ(two[0].root, "root-10");  // the first head of a size stays
      EXPECT_EQ(two[0].signed_at, kT0 + 10min);
      EXPECT_EQ(two[1].tree_size, 7);
    }
    CHY_TRY(auto all, Store(tx).ListTreeHeads(100));
    EXPECT_EQ(all.size(), 3u);
    return Ok();
  }));
}

TEST_P(SignaturesStoreTest, ASignedAppendixReplacesTheFileItsAttachmentHolds) {
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    const Id doc = AddDocument(tx, "numbered", std::nullopt);
    documents::NamedFile f{.document_id = doc,
                           .sha256 = std::string(64, 'a'),
                           .file_name = "phu-luc.pdf",
                           .content_type = "application/pdf",
                           .size = 10};
    CHY_TRY(Id id, documents::Store(tx).InsertAttachment(f, kT0));
    CHY_TRY_STATUS(Store(tx).UpdateAttachmentFile(id, std::string(64, 'b'), 20));
    CHY_TRY(auto files, documents::Store(tx).ListAttachments(doc));
    EXPECT_EQ(files.size(), 1u);
    if (!files.empty()) {
      EXPECT_EQ(files[0].sha256, std::string(64, 'b'));
      EXPECT_EQ(files[0].size, 20);
      EXPECT_EQ(files[0].file_name, "phu-luc.pdf");
    }
    return Ok();
  }));
}

CHY_STORE_TEST_BACKENDS(SignaturesStoreTest);

}  // namespace
}  // namespace chancery::signatures
