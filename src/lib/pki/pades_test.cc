#include "lib/pki/pades.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "lib/pki/pki_testing.h"

namespace chancery::pki {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace testing;

// A small PDF of `pages` pages; object 4 is page 1's content stream.
std::string MakePdf(int pages = 1) {
  std::vector<std::string> texts;
  for (int i = 0; i < pages; ++i) texts.push_back("Quyet dinh trang " + std::to_string(i + 1));
  return SimplePdf(texts);
}

std::string SealPng() { return DemoSealPng(64); }

// Appends an incremental update that replaces object `id` with `body`.
std::string AppendUpdate(const std::string& pdf, int id, const std::string& body, int size) {
  const auto at = pdf.rfind("startxref");
  const long long prev = std::stoll(pdf.substr(at + 9));
  std::string out = pdf;
  const std::size_t offset = out.size();
  out += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  const std::size_t xref = out.size();
  char entry[24];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
  out += "xref\n" + std::to_string(id) + " 1\n" + entry + "trailer\n<< /Size " +
         std::to_string(size) + " /Root 1 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

class PadesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_key_ = *GenerateKey("");
    auto pub = [](const std::string& key) { return Pub(key); };
    ca_ = *Issue({"", KeyRef::Pem(ca_key_)},
                 {.common_name = "Chancery Test Root CA", .organization = "Bộ Quốc phòng"},
                 pub(ca_key_), Profile::kRootCa, Now() - 3 * 365 * 24h, 3650);
    leader_key_ = *GenerateKey("");
    leader_ = *Issue(CaIssuer(),
                     {.common_name = "Phạm Quốc Trưởng",
                      .organization = "Bộ Quốc phòng",
                      .organizational_unit = "Văn phòng"},
                     pub(leader_key_), Profile::kPerson, Now() - 1h, 365);
    seal_key_ = *GenerateKey("");
    seal_ = *Issue(CaIssuer(), {.common_name = "Bộ Quốc phòng", .organization_id = "000.00.00.G12"},
                   pub(seal_key_), Profile::kOrganization, Now() - 1h, 365);
    tsa_key_ = *GenerateKey("");
    tsa_ = *Issue(CaIssuer(), {.common_name = "Chancery TSA"}, pub(tsa_key_),
                  Profile::kTimestamping, Now() - 1h, 3650);
  }
  static Issuer CaIssuer() { return {ca_.certificate_pem, KeyRef::Pem(ca_key_)}; }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pades-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!std::getenv("CHANCERY_KEEP_TEST_FILES")) fs::remove_all(dir_);
  }
  static int Run(const std::string& command, std::string* output = nullptr) {
    return RunCommand(command, output);
  }
  std::string Write(const std::string& name, std::string_view bytes) {
    return WriteFile(dir_ / name, bytes);
  }
  static std::string Read(const std::string& path) { return ReadFile(path); }

  static PdfSignRequest Personal() {
    PdfSignRequest r;
    r.certificate_pem = leader_.certificate_pem;
    r.key = KeyRef::Pem(leader_key_);
    r.signing_time = Now();
    r.reason = "Phê duyệt";
    r.appearance =
        Appearance{.page = 0,
                   .box = {300, 100, 220, 110},
                   .images = {},
                   .lines = {{"BỘ TRƯỞNG", 40, 90, 10}, {"Phạm Quốc Trưởng", 30, 10, 10}},
                   .font_file = kFont};
    return r;
  }
  static PdfSignRequest Organisation() {
    PdfSignRequest r;
    r.certificate_pem = seal_.certificate_pem;
    r.key = KeyRef::Pem(seal_key_);
    r.signing_time = Now();
    r.reason = "Phát hành";
    r.appearance = Appearance{.page = 0,
                              .box = {280, 90, 120, 120},
                              .images = {{SealPng(), {10, 10, 100, 100}}},
                              .lines = {{"Số: 15/QĐ-BQP", 0, 0, 7, true}},
                              .font_file = kFont};
    r.tsa = [](std::string_view request) {
      return StampResponse(request, tsa_.certificate_pem, KeyRef::Pem(tsa_key_), Now(), 7);
    };
    return r;
  }

  // pdfsig's verdict with our CA trusted in a fresh NSS database.
  std::string Pdfsig(const std::string& pdf_path) {
    const std::string db = "sql:" + (dir_ / "nss").string();
    fs::create_directories(dir_ / "nss");
    Run("certutil -N -d " + db + " --empty-password");
    Run("certutil -A -d " + db + " -n ca -t CT,C,C -i " + Write("ca.pem", ca_.certificate_pem));
    std::string out;
    // (Our certificates name no OCSP responder, so pdfsig goes to no network;
    // its -no-ocsp switch makes poppler 22.12 report "Unknown issue".)
    Run("pdfsig -nssdir " + db + " " + pdf_path, &out);
    return out;
  }

  static constexpr const char* kFont = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
  static inline std::string ca_key_, leader_key_, seal_key_, tsa_key_;
  static inline Issued ca_, leader_, seal_, tsa_;
  fs::path dir_;
};

TEST_F(PadesTest, ASignedPdfVerifiesHereAndInPopplerAndGnuTls) {
  const std::string pdf = MakePdf();
  auto signed_pdf = SignPdf(pdf, Personal());
  ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.error().message;
  EXPECT_EQ(signed_pdf->substr(0, pdf.size()), pdf) << "the original bytes must stay untouched";
  auto report = VerifyPdf(*signed_pdf, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->signatures.size(), 1u);
  const auto& s = report->signatures[0];
  EXPECT_EQ(report->indication, kTotalPassed) << report->reason;
  EXPECT_EQ(s.level, "PAdES-BASELINE-B");
  EXPECT_EQ(s.sub_filter, "ETSI.CAdES.detached");
  EXPECT_TRUE(s.covers_whole_document);
  EXPECT_EQ(s.cms.signer_common_name, "Phạm Quốc Trưởng");
  EXPECT_FALSE(s.cms.claimed_signing_time.has_value())
      << "PAdES baseline: no signingTime in the CMS";
  ASSERT_TRUE(s.claimed_time.has_value());

  const std::string path = Write("signed.pdf", *signed_pdf);
  EXPECT_EQ(Run("qpdf --check " + path), 0);
  const std::string pdfsig = Pdfsig(path);
  EXPECT_NE(pdfsig.find("Signature Validation: Signature is Valid."), std::string::npos) << pdfsig;
  EXPECT_NE(pdfsig.find("Certificate Validation: Certificate is Trusted."), std::string::npos)
      << pdfsig;
  EXPECT_NE(pdfsig.find("Signature Type: ETSI.CAdES.detached"), std::string::npos) << pdfsig;

  // GnuTLS checks the CMS that pdfsig dumps, over the signed byte ranges.
  ASSERT_EQ(Run("cd " + dir_.string() + " && pdfsig -dump signed.pdf"), 0);
  const auto& r = s.byte_range;
  const std::string data =
      signed_pdf->substr(0, static_cast<std::size_t>(r[1])) +
      signed_pdf->substr(static_cast<std::size_t>(r[2]), static_cast<std::size_t>(r[3]));
  // pdfsig dumps /Contents whole, zero padding included: keep the DER.
  std::string dump = Read((dir_ / "signed.pdf.sig0").string());
  ASSERT_GT(dump.size(), 4u);
  ASSERT_EQ(static_cast<unsigned char>(dump[1]), 0x82) << "a CMS of 256 bytes to 64 KiB";
  dump.resize(4 + (static_cast<unsigned char>(dump[2]) << 8 | static_cast<unsigned char>(dump[3])));
  std::string certtool;
  EXPECT_EQ(Run("certtool --p7-verify --inder --infile " + Write("signed.p7s", dump) +
                    " --load-data " + Write("signed.data", data) + " --load-ca-certificate " +
                    Write("ca.pem", ca_.certificate_pem),
                &certtool),
            0)
      << certtool;
}

TEST_F(PadesTest, TheOrganisationSignsAfterTheLeaderAndBothStayValid) {
  auto first = SignPdf(MakePdf(2), Personal());
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = SignPdf(*first, Organisation());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->substr(0, first->size()), *first);
  auto report = VerifyPdf(*second, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->signatures.size(), 2u);
  EXPECT_EQ(report->indication, kTotalPassed) << report->reason;
  const auto& personal = report->signatures[0];
  const auto& seal = report->signatures[1];
  EXPECT_EQ(personal.cms.signer_common_name, "Phạm Quốc Trưởng");
  EXPECT_FALSE(personal.covers_whole_document);
  EXPECT_FALSE(personal.later_changes.empty());
  for (const auto& c : personal.later_changes) EXPECT_TRUE(c.allowed) << c.object << " " << c.what;
  EXPECT_EQ(seal.cms.signer_common_name, "Bộ Quốc phòng");
  EXPECT_EQ(seal.level, "PAdES-BASELINE-T");
  EXPECT_TRUE(seal.cms.timestamped_at.has_value());
  EXPECT_EQ(seal.revision, 2);

  const std::string path = Write("both.pdf", *second);
  EXPECT_EQ(Run("qpdf --check " + path), 0);
  const std::string pdfsig = Pdfsig(path);
  std::size_t valid = 0;
  for (auto at = pdfsig.find("Signature is Valid"); at != std::string::npos;
       at = pdfsig.find("Signature is Valid", at + 1)) {
    ++valid;
  }
  EXPECT_EQ(valid, 2u) << pdfsig;
  EXPECT_NE(pdfsig.find("Signer Certificate Common Name: Phạm Quốc Trưởng"), std::string::npos)
      << pdfsig;
}

TEST_F(PadesTest, ValidationDataMakesBLtThatVerifiesOfflineYearsLater) {
  auto stamped = SignPdf(MakePdf(), Organisation());
  ASSERT_TRUE(stamped.ok()) << stamped.error().message;
  auto crl = MakeCrl(CaIssuer(), {}, Now(), 30);
  ASSERT_TRUE(crl.ok());
  auto lt = AddValidationData(*stamped, {{seal_.certificate_pem, ca_.certificate_pem}, {*crl}, {}});
  ASSERT_TRUE(lt.ok()) << lt.error().message;
  const Timestamp later = Now() + 5 * 365 * 24h;  // the seal's certificate long expired
  auto report = VerifyPdf(*lt, {ca_.certificate_pem}, {}, later);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->signatures.size(), 1u);
  EXPECT_TRUE(report->has_validation_data);
  EXPECT_EQ(report->signatures[0].level, "PAdES-BASELINE-LT");
  EXPECT_EQ(report->indication, kTotalPassed) << report->reason;
  EXPECT_EQ(report->signatures[0].cms.revocation, "good");
  for (const auto& c : report->signatures[0].later_changes) EXPECT_TRUE(c.allowed) << c.what;
  EXPECT_EQ(Run("qpdf --check " + Write("lt.pdf", *lt)), 0);
  // Without the time-stamp the same moment is out of the certificate's validity.
  auto plain = SignPdf(MakePdf(), Personal());
  auto old = VerifyPdf(*plain, {ca_.certificate_pem}, {}, later);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->indication, kIndeterminate);
  EXPECT_EQ(old->sub_indication, "OUT_OF_BOUNDS_NO_POE");
}

TEST_F(PadesTest, AChangedSignedByteFails) {
  auto signed_pdf = SignPdf(MakePdf(), Personal());
  ASSERT_TRUE(signed_pdf.ok());
  std::string changed = *signed_pdf;
  const auto at = changed.find("trang 1");
  ASSERT_NE(at, std::string::npos);
  changed[at + 6] = '2';
  auto report = VerifyPdf(changed, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->indication, kTotalFailed);
  EXPECT_EQ(report->sub_indication, "HASH_FAILURE") << report->reason;
  const std::string pdfsig = Pdfsig(Write("changed.pdf", changed));
  EXPECT_NE(pdfsig.find("Digest Mismatch"), std::string::npos) << pdfsig;
}

TEST_F(PadesTest, AnUpdateThatChangesThePageAfterSigningFails) {
  auto signed_pdf = SignPdf(MakePdf(), Personal());
  ASSERT_TRUE(signed_pdf.ok());
  const std::string text = "BT /F1 12 Tf 72 770 Td (Quyet dinh DA SUA) Tj ET";
  const std::string forged = AppendUpdate(
      *signed_pdf, 4,
      "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream", 12);
  auto report = VerifyPdf(forged, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->signatures.size(), 1u);
  EXPECT_EQ(report->indication, kTotalFailed);
  EXPECT_EQ(report->sub_indication, "MODIFIED_AFTER_SIGNING");
  EXPECT_NE(report->reason.find("page 1 content changed"), std::string::npos) << report->reason;
  // The bytes it signed are intact: the CMS alone still verifies.
  EXPECT_EQ(report->signatures[0].cms.indication, kTotalPassed);
}

TEST_F(PadesTest, RevokedExpiredAndUnknownRootGetTheirVerdicts) {
  auto signed_pdf = SignPdf(MakePdf(), Personal());
  ASSERT_TRUE(signed_pdf.ok());
  auto crl = MakeCrl(CaIssuer(), {{leader_.serial_hex, Now() - 1min}}, Now(), 30);
  ASSERT_TRUE(crl.ok());
  auto revoked = VerifyPdf(*signed_pdf, {ca_.certificate_pem}, {*crl}, Now());
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->indication, kTotalFailed);
  EXPECT_EQ(revoked->sub_indication, "REVOKED");
  EXPECT_EQ(revoked->signatures[0].cms.revocation, "revoked");

  auto expired = VerifyPdf(*signed_pdf, {ca_.certificate_pem}, {}, Now() + 400 * 24h);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->indication, kIndeterminate);
  EXPECT_EQ(expired->sub_indication, "OUT_OF_BOUNDS_NO_POE");

  auto other_key = *GenerateKey("");
  auto other_root =
      *Issue({"", KeyRef::Pem(other_key)}, {.common_name = "Other Root"},
             *PublicKeyPem(KeyRef::Pem(other_key)), Profile::kRootCa, Now() - 1h, 365);
  auto unknown = VerifyPdf(*signed_pdf, {other_root.certificate_pem}, {}, Now());
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->indication, kIndeterminate);
  EXPECT_EQ(unknown->sub_indication, "NO_CERTIFICATE_CHAIN_FOUND");
}

// A PDF signed by PoDoFo's podofosign, a signer we did not write.
TEST_F(PadesTest, APdfSignedByPodofosignVerifiesHereAndFailsWhenChanged) {
  const std::string in = Write("in.pdf", MakePdf()), out = (dir_ / "podofo.pdf").string();
  std::string log;
  ASSERT_EQ(Run("podofosign -in " + in + " -out " + out + " -cert " +
                    Write("leader.pem", leader_.certificate_pem) + " -pkey " +
                    Write("leader.key", leader_key_) + " -digest SHA256",
                &log),
            0)
      << log;
  const std::string pdf = Read(out);
  auto report = VerifyPdf(pdf, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->signatures.size(), 1u);
  EXPECT_EQ(report->indication, kTotalPassed) << report->reason;
  EXPECT_EQ(report->signatures[0].sub_filter, "adbe.pkcs7.detached");
  EXPECT_EQ(report->signatures[0].level, "PKCS7-B");
  EXPECT_EQ(report->signatures[0].cms.signer_common_name, "Phạm Quốc Trưởng");

  std::string changed = pdf;
  const auto at = changed.find("trang 1");
  ASSERT_NE(at, std::string::npos);
  changed[at] = 'T';
  auto bad = VerifyPdf(changed, {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->indication, kTotalFailed);
  EXPECT_EQ(bad->sub_indication, "HASH_FAILURE") << bad->reason;
}

TEST_F(PadesTest, BadInputIsRefusedClearly) {
  auto not_pdf = SignPdf("hello", Personal());
  ASSERT_FALSE(not_pdf.ok());
  EXPECT_EQ(not_pdf.error().code, ErrorCode::kInvalidArgument);
  auto report = VerifyPdf("%PDF-1.7 garbage", {ca_.certificate_pem}, {}, Now());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);

  PdfSignRequest far = Personal();
  far.appearance->page = 9;
  auto page = SignPdf(MakePdf(), far);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);

  PdfSignRequest bad_image = Organisation();
  bad_image.appearance->images[0].png = "not a png";
  EXPECT_FALSE(SignPdf(MakePdf(), bad_image).ok());

  const std::string in = Write("plain.pdf", MakePdf()), locked = (dir_ / "locked.pdf").string();
  ASSERT_EQ(Run("qpdf --encrypt u o 256 -- " + in + " " + locked), 0);
  auto encrypted = SignPdf(Read(locked), Personal());
  ASSERT_FALSE(encrypted.ok());
  EXPECT_EQ(encrypted.error().code, ErrorCode::kInvalidArgument);

  auto unsigned_report = VerifyPdf(MakePdf(), {ca_.certificate_pem}, {}, Now());
  ASSERT_TRUE(unsigned_report.ok());
  EXPECT_EQ(unsigned_report->indication, kIndeterminate);
  EXPECT_EQ(unsigned_report->sub_indication, "NO_SIGNATURE");
}

}  // namespace
}  // namespace chancery::pki
