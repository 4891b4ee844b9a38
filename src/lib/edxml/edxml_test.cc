// edXML packages and status notices: round trips, signatures checked by us
// and by Debian's xmlsec1, every refusal's reason code, a token key.
#include "lib/edxml/edxml.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/digest.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki_testing.h"

namespace chancery::edxml {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using pki::KeyRef;
using pki::testing::Now;
using pki::testing::Pub;
using pki::testing::ReadFile;
using pki::testing::RunCommand;
using pki::testing::WriteFile;

const std::string kModule = "/usr/lib/softhsm/libsofthsm2.so";

Date Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// Bytes that look like a PDF and hold every byte value, CR LF and a line
// that starts like a MIME boundary.
std::string PdfLike(std::size_t size) {
  std::string out = "%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n--chancery-\n";
  for (std::size_t i = 0; out.size() < size; ++i)
    out += static_cast<char>((i * 131 + i / 7) & 0xff);
  out.resize(size);
  return out;
}

Organ Agency(std::string id, std::string name) {
  return {std::move(id),       std::move(name),
          "Bộ Quốc phòng",     "Số 7 Nguyễn Tri Phương, Ba Đình, Hà Nội",
          "vanthu@mod.gov.vn", "069.553.111",
          "069.553.112",       "https://mod.gov.vn"};
}

Package FullPackage() {
  Package p;
  p.from = Agency("000.00.01.H08", "Văn phòng Bộ Quốc phòng");
  p.to = {Agency("000.00.02.H08", "Cục Văn thư và Lưu trữ"),
          Agency("000.00.03.H08", "Cục Tài chính")};
  p.document_id = DocumentIdOf("000.00.01.H08", Day(2026, 11, 22), "15", "QĐ-BQP");
  p.code_number = "15";
  p.code_notation = "QĐ-BQP";
  p.place = "Hà Nội";
  p.promulgation_date = Day(2026, 11, 22);
  p.type = 1;
  p.type_name = "Quyết định";
  p.subject = "Về việc ban hành Quy chế công tác văn thư & lưu trữ <điện tử>";
  p.content = "Nội dung: \"trích dẫn\" và 'nháy đơn'\nDòng thứ hai\r\nTab\tcuối.";
  p.signer_competence = "KT. BỘ TRƯỞNG";
  p.signer_position = "Thứ trưởng";
  p.signer_full_name = "Phạm Quốc Trưởng";
  p.due_date = Day(2026, 12, 5);
  p.to_places = {"Như Điều 3", "Lưu: VT, VP"};
  p.priority = 3;
  p.sphere_of_promulgation = "Trong ngành";
  p.typer_notation = "NVA";
  p.promulgation_amount = 12;
  p.page_amount = 4;
  p.appendixes = {"Phụ lục I", "Phụ lục II"};
  p.steering_type = 1;
  p.response_for = {
      {"000.00.02.H08", "7/CV-VTLT", Day(2026, 11, 1), "000.00.02.H08,2026/11/01,7/CV-VTLT"}};
  p.traces = {{"000.00.01.H08", Timestamp{} + 1795000000s + 123456us},
              {"000.00.02.H08", Timestamp{} + 1795003600s}};
  p.business = {2, "Sửa lỗi chính tả ở Điều 2", true, "000.00.01.H08,2026/11/20,14/QĐ-BQP"};
  p.classification = "mat";
  p.urgency = "Hỏa tốc";
  p.attachments = {
      {"qd15.pdf@000.00.01.H08", "Quyết định 15.pdf", "application/pdf", "Bản chính",
       PdfLike(20000)},
      {"pl1@000.00.01.H08", "Phụ lục I.docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "",
       "PK\x03\x04 phụ lục"},
      {"empty@000.00.01.H08", "rỗng.txt", "text/plain", "Tệp rỗng", ""},
  };
  return p;
}

StatusNotice Notice(std::string code) {
  StatusNotice s;
  s.response_for = {"000.00.01.H08", "15/QĐ-BQP", Day(2026, 11, 22),
                    "000.00.01.H08,2026/11/22,15/QĐ-BQP"};
  s.from = Agency("000.00.02.H08", "Cục Văn thư và Lưu trữ");
  s.status_code = std::move(code);
  s.description = "Đã tiếp nhận văn bản";
  s.timestamp = Timestamp{} + 1795000123s + 5us;
  s.staff = {"Phòng Hành chính", "Nguyễn Thị Văn Thư", "0912 345 678", "vanthu@vtlt.gov.vn"};
  return s;
}

// A root CA and the agency's seal, made once (RSA key generation is slow).
class EdxmlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_key_ = *pki::GenerateKey("");
    ca_ = *pki::Issue({"", KeyRef::Pem(ca_key_)}, {.common_name = "Chancery edXML Test CA"},
                      Pub(ca_key_), pki::Profile::kRootCa, Now() - 24h, 3650);
    seal_key_ = *pki::GenerateKey("");
    seal_ = *pki::Issue(Ca(),
                        {.common_name = "Văn phòng Bộ Quốc phòng",
                         .organization = "Bộ Quốc phòng",
                         .organization_id = "000.00.01.H08"},
                        Pub(seal_key_), pki::Profile::kOrganization, Now() - 1h, 365);
    signer_ = new pki::Signer(*pki::Signer::Open(seal_.certificate_pem, KeyRef::Pem(seal_key_)));
  }
  static void TearDownTestSuite() { delete signer_; }
  static pki::Issuer Ca() { return {ca_.certificate_pem, KeyRef::Pem(ca_key_)}; }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("edxml-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view bytes) {
    return WriteFile(dir_ / name, bytes);
  }

  static std::string Written(const Package& p, const WriteOptions& options = {}) {
    auto out = WritePackage(p, *signer_, options);
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? *out : "";
  }
  // The verdict on `bytes` read as a package, or the reason it was refused.
  static std::string Verdict(std::string_view bytes, const std::vector<std::string>& crls = {},
                             Timestamp at = Now()) {
    auto parsed = ReadPackage(bytes);
    if (!parsed.ok()) return std::string(ReasonOf(parsed.error()));
    auto check = VerifySignature(*parsed, {ca_.certificate_pem}, crls, at);
    if (!check.ok()) return "error: " + check.error().message;
    return check->ok ? "OK" : check->reason_code;
  }

  static inline std::string ca_key_, seal_key_;
  static inline pki::Issued ca_, seal_;
  static inline pki::Signer* signer_ = nullptr;
  fs::path dir_;
};

TEST_F(EdxmlTest, APackageRoundTripsEveryFieldAndVerifies) {
  const Package p = FullPackage();
  for (const bool binary : {false, true}) {
    const std::string wire = Written(p, {.binary_parts = binary});
    EXPECT_EQ(wire.find("Content-Transfer-Encoding: base64") != std::string::npos, !binary);
    auto parsed = ReadPackage(wire);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->package, p);
    EXPECT_EQ(parsed->signer_certificate_pem.substr(0, 27), "-----BEGIN CERTIFICATE-----");
    auto check = VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now());
    ASSERT_TRUE(check.ok()) << check.error().message;
    EXPECT_TRUE(check->ok) << check->reason_code << ": " << check->message;
    EXPECT_EQ(check->signer_organization_id, "000.00.01.H08");
    EXPECT_NE(check->signer_subject.find("CN=Văn phòng Bộ Quốc phòng"), std::string::npos);
    EXPECT_EQ(check->certificate_sha256.size(), 64u);
  }
  // The standard's element names, and ours in their own namespace.
  const std::string wire = Written(p);
  for (const char* name :
       {"<edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"",
        "<edXML:OrganizationInCharge>", "<edXML:Bussiness>", "<edXML:BussinessDocType>2<",
        "<edXML:PromulgationDate>2026/11/22<", "xlink:href=\"cid:qd15.pdf@000.00.01.H08\"",
        "<chy:Classification>mat<", "urn:chancery:edxml:1", "<ds:Manifest Id="}) {
    EXPECT_NE(wire.find(name), std::string::npos) << name;
  }
  // Writing is deterministic: the same package gives the same bytes.
  EXPECT_EQ(Written(p), wire);
}

TEST_F(EdxmlTest, AttachmentsWithoutContentIdsAreNamedAndABareEnvelopeIsAPackage) {
  Package p = FullPackage();
  for (auto& a : p.attachments) a.content_id.clear();
  auto parsed = ReadPackage(Written(p));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->package.attachments.size(), 3u);
  EXPECT_NE(parsed->package.attachments[0].content_id, parsed->package.attachments[1].content_id);
  EXPECT_EQ(parsed->package.attachments[0].bytes, p.attachments[0].bytes);

  p.attachments.clear();
  auto parts = internal::ReadMultipart(Written(p), 10);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ(Verdict((*parts)[0].body), "OK");
  auto bare = ReadPackage((*parts)[0].body);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->package, p);
}

TEST_F(EdxmlTest, StatusNoticesRoundTripForEveryCode) {
  for (const std::string_view code :
       {kStatusArrived, kStatusRefused, kStatusRegistered, kStatusAssigned, kStatusProcessing,
        kStatusCompleted, kStatusWithdrawRequested, kStatusWithdrawAgreed,
        kStatusWithdrawRefused}) {
    StatusNotice s = Notice(std::string(code));
    if (code == kStatusArrived) s.received_sha256 = Sha256Hex("the package bytes");
    auto xml = WriteStatus(s, *signer_);
    ASSERT_TRUE(xml.ok()) << xml.error().message;
    auto parsed = ReadStatus(*xml);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->status, s) << code;
    auto check = VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now());
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->ok) << code << " " << check->reason_code << ": " << check->message;
  }
  auto unknown = WriteStatus(Notice("07"), *signer_);
  ASSERT_FALSE(unknown.ok());
  // A package is not a status, nor a status a package.
  auto status_xml = WriteStatus(Notice("03"), *signer_);
  EXPECT_EQ(ReasonOf(ReadPackage(*status_xml).error()), kReasonFormat);
  auto parts = internal::ReadMultipart(Written(FullPackage()), 10);
  EXPECT_EQ(ReasonOf(ReadStatus((*parts)[0].body).error()), kReasonFormat);
}

TEST_F(EdxmlTest, TheSamplesTimeAndDateFormsAreRead) {
  auto xml = WriteStatus(Notice("05"), *signer_);
  ASSERT_TRUE(xml.ok());
  std::string legacy = *xml;
  const std::string iso = FormatTimestamp(Notice("05").timestamp);
  legacy.replace(legacy.find(iso), iso.size(), "2026/11/22 09:30:00");
  legacy.replace(legacy.find("2026/11/22</edXML:PromulgationDate>"), 10, "22/11/2026");
  auto parsed = ReadStatus(legacy);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(FormatTimestamp(parsed->status.timestamp), "2026-11-22T02:30:00.000000Z");
  EXPECT_EQ(parsed->status.response_for.promulgation_date, Day(2026, 11, 22));
  // Changed text is a changed signature, of course.
  EXPECT_EQ(VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now())->reason_code,
            kReasonSignatureInvalid);
}

// Debian's xmlsec1, which we did not write, checks the signature, and with
// the attachments mapped to their cid: URIs, every attachment digest too.
TEST_F(EdxmlTest, Xmlsec1VerifiesTheExportedEnvelopeAndItsAttachments) {
  const Package p = FullPackage();
  auto parts = internal::ReadMultipart(Written(p), 10);
  ASSERT_TRUE(parts.ok());
  const std::string ca = Write("ca.pem", ca_.certificate_pem);
  const std::string envelope = Write("envelope.xml", (*parts)[0].body);
  std::string maps;
  for (std::size_t i = 1; i < parts->size(); ++i) {
    maps += " --url-map:cid:" + (*parts)[i].content_id + " " +
            Write("att" + std::to_string(i), (*parts)[i].body);
  }
  std::string out;
  EXPECT_EQ(RunCommand("xmlsec1 --verify --trusted-pem " + ca + maps + " " + envelope, &out), 0)
      << out;
  EXPECT_NE(out.find("Manifests References (ok/all): 3/3"), std::string::npos) << out;
  EXPECT_EQ(
      RunCommand("xmlsec1 --verify --ignore-manifests --trusted-pem " + ca + " " + envelope, &out),
      0)
      << out;

  // A changed attachment: the signature holds, its manifest reference fails.
  std::string changed = (*parts)[1].body;
  changed[100] ^= 1;
  Write("att1", changed);
  EXPECT_EQ(RunCommand("xmlsec1 --verify --trusted-pem " + ca + maps + " " + envelope, &out), 0)
      << out;
  EXPECT_NE(out.find("Manifests References (ok/all): 2/3"), std::string::npos) << out;

  // A status notice has no manifest: plain --verify.
  auto status = WriteStatus(Notice("01"), *signer_);
  EXPECT_EQ(
      RunCommand("xmlsec1 --verify --trusted-pem " + ca + " " + Write("status.xml", *status), &out),
      0)
      << out;
  std::string tampered = *status;
  tampered.replace(tampered.find("Đã tiếp nhận"), 3, "Chư");
  EXPECT_NE(
      RunCommand("xmlsec1 --verify --trusted-pem " + ca + " " + Write("bad.xml", tampered), &out),
      0)
      << out;
}

TEST_F(EdxmlTest, AChangedHeaderFieldIsAnInvalidSignature) {
  const std::string wire = Written(FullPackage());
  ASSERT_EQ(Verdict(wire), "OK");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"<edXML:CodeNumber>15<", "<edXML:CodeNumber>16<"},
           {"<edXML:Priority>3<", "<edXML:Priority>0<"},
           {"<chy:Classification>mat<", "<chy:Classification>normal<"},
           {"Cục Tài chính", "Cục Tài chánh"},
           {"AttachmentName>Phụ lục I.docx<", "AttachmentName>Phụ lục 1.docx<"}}) {
    std::string changed = wire;
    const std::size_t at = changed.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    changed.replace(at, from.size(), to);
    EXPECT_EQ(Verdict(changed), kReasonSignatureInvalid) << to;
  }
  // A second, unsigned copy of a field does not slip past: the signature covers the whole envelope.
  std::string extra = wire;
  extra.insert(extra.find("</edXML:MessageHeader>"),
               "<edXML:To><edXML:OrganId>999.99.99.X99</edXML:OrganId></edXML:To>");
  EXPECT_EQ(Verdict(extra), kReasonSignatureInvalid);
}

TEST_F(EdxmlTest, AChangedAttachmentByteIsADigestMismatch) {
  const Package p = FullPackage();
  std::string wire = Written(p, {.binary_parts = true});
  const std::size_t at = wire.find(p.attachments[0].bytes.substr(0, 200));
  ASSERT_NE(at, std::string::npos);
  wire[at + 5000] ^= 0x20;
  EXPECT_EQ(Verdict(wire), kReasonDigestMismatch);

  auto parsed = ReadPackage(Written(p));
  ASSERT_TRUE(parsed.ok());
  parsed->package.attachments.pop_back();  // one left out
  EXPECT_EQ(VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now())->reason_code,
            kReasonDigestMismatch);
}

TEST_F(EdxmlTest, TheSignersChainDecides) {
  const std::string wire = Written(FullPackage());
  auto parsed = ReadPackage(wire);
  ASSERT_TRUE(parsed.ok());

  const std::string other_key = *pki::GenerateKey("");
  auto other_ca = pki::Issue({"", KeyRef::Pem(other_key)}, {.common_name = "Other CA"},
                             Pub(other_key), pki::Profile::kRootCa, Now() - 1h, 365);
  auto unknown = VerifySignature(*parsed, {other_ca->certificate_pem}, {}, Now());
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->ok);
  EXPECT_EQ(unknown->reason_code, kReasonUnknownCa) << unknown->message;
  EXPECT_EQ(unknown->signer_organization_id, "000.00.01.H08");  // still named

  auto crl = pki::MakeCrl(Ca(), {{seal_.serial_hex, Now() - 10min}}, Now() - 5min, 7);
  ASSERT_TRUE(crl.ok());
  EXPECT_EQ(Verdict(wire, {*crl}), kReasonCertificateRevoked);
  EXPECT_EQ(Verdict(wire, {*crl}, Now() - 30min), "OK");  // before the revocation
  auto empty_crl = pki::MakeCrl(Ca(), {}, Now() - 5min, 7);
  EXPECT_EQ(Verdict(wire, {*empty_crl}), "OK");

  EXPECT_EQ(Verdict(wire, {}, Now() + 400 * 24h), kReasonCertificateExpired);

  // A signature by another key under the same name: the key is the certificate's.
  const std::string impostor_key = *pki::GenerateKey("");
  auto impostor_cert =
      pki::Issue({other_ca->certificate_pem, KeyRef::Pem(other_key)},
                 {.common_name = "Văn phòng Bộ Quốc phòng", .organization_id = "000.00.01.H08"},
                 Pub(impostor_key), pki::Profile::kOrganization, Now() - 1h, 30);
  auto impostor = pki::Signer::Open(impostor_cert->certificate_pem, KeyRef::Pem(impostor_key));
  auto forged = WritePackage(FullPackage(), *impostor);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(Verdict(*forged), kReasonUnknownCa);
  // Its certificate swapped for ours: the signature no longer matches the key.
  std::string swapped = *forged;
  const auto body = [](const std::string& pem) {
    std::string b = pem.substr(28, pem.find("-----END") - 28);
    b.erase(std::remove(b.begin(), b.end(), '\n'), b.end());
    return b;
  };
  const std::string theirs = body(impostor_cert->certificate_pem);
  ASSERT_NE(swapped.find(theirs), std::string::npos);
  swapped.replace(swapped.find(theirs), theirs.size(), body(seal_.certificate_pem));
  EXPECT_EQ(Verdict(swapped), kReasonSignatureInvalid);
}

TEST_F(EdxmlTest, BrokenInputIsRefusedWithAReasonNeverACrash) {
  const std::string wire = Written(FullPackage());
  for (std::size_t n = 0; n < wire.size(); n += 97) {
    auto r = ReadPackage(wire.substr(0, n));
    if (!r.ok()) {
      EXPECT_TRUE(ReasonOf(r.error()) == kReasonFormat) << n << ": " << r.error().message;
    }
  }
  for (const std::string& garbage :
       {std::string(""), std::string("\0\1\2", 3), std::string("<"),
        std::string("<edXML:edXMLEnvelope/>"), std::string("MIME-Version: 1.0\r\n\r\n"),
        std::string("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>")}) {
    auto r = ReadPackage(garbage);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ReasonOf(r.error()), kReasonFormat);
    EXPECT_FALSE(ReadStatus(garbage).ok());
  }
  // Unsigned: the signature removed.
  Package none = FullPackage();
  none.attachments.clear();
  auto no_parts = internal::ReadMultipart(Written(none), 10);
  std::string bare = (*no_parts)[0].body;
  bare.erase(bare.find("<ds:Signature"),
             bare.find("</ds:Signature>") + 15 - bare.find("<ds:Signature"));
  EXPECT_EQ(ReasonOf(ReadPackage(bare).error()), kReasonSignatureMissing);
}

TEST_F(EdxmlTest, LimitsAreEnforced) {
  const std::string wire = Written(FullPackage());
  auto big = ReadPackage(wire, {.max_bytes = 1000});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(ReasonOf(big.error()), kReasonTooLarge);
  EXPECT_EQ(ReasonOf(ReadPackage(wire, {.max_attachments = 2}).error()), kReasonTooLarge);
  EXPECT_EQ(ReasonOf(ReadPackage(wire, {.max_xml_bytes = 2000}).error()), kReasonTooLarge);
  EXPECT_TRUE(ReadPackage(wire, {.max_attachments = 3}).ok());
}

TEST_F(EdxmlTest, TheWriterRefusesWhatXmlOrMimeCannotCarry) {
  Package p = FullPackage();
  p.subject = std::string("bad \x01 control");
  EXPECT_EQ(WritePackage(p, *signer_).error().code, ErrorCode::kInvalidArgument);
  p = FullPackage();
  p.content = "\xC3\x28 invalid UTF-8";
  EXPECT_FALSE(WritePackage(p, *signer_).ok());
  p = FullPackage();
  p.attachments[1].content_id = p.attachments[0].content_id;
  EXPECT_FALSE(WritePackage(p, *signer_).ok());
  p = FullPackage();
  p.attachments[0].content_type = "text/plain\r\nX-Injected: 1";
  EXPECT_FALSE(WritePackage(p, *signer_).ok());
  p = FullPackage();
  p.classification = "secret";
  EXPECT_FALSE(WritePackage(p, *signer_).ok());
  p = FullPackage();
  p.to.clear();
  EXPECT_FALSE(WritePackage(p, *signer_).ok());
  EXPECT_FALSE(WritePackage(FullPackage(), *signer_, {.boundary = "bad boundary"}).ok());
  auto custom = WritePackage(FullPackage(), *signer_, {.boundary = "my-boundary"});
  ASSERT_TRUE(custom.ok());
  EXPECT_NE(custom->find("boundary=\"my-boundary\""), std::string::npos);
  EXPECT_EQ(Verdict(*custom), "OK");
}

TEST(DocumentIdTest, FormatsAndParses) {
  const std::string id = DocumentIdOf("000.00.01.H08", Day(2026, 1, 5), "15", "QĐ-BQP");
  EXPECT_EQ(id, "000.00.01.H08,2026/01/05,15/QĐ-BQP");
  auto parts = ParseDocumentId(id);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->agency_code, "000.00.01.H08");
  EXPECT_EQ(parts->date, Day(2026, 1, 5));
  EXPECT_EQ(parts->number, "15");
  EXPECT_EQ(parts->notation, "QĐ-BQP");
  EXPECT_EQ(ParseDocumentId("000.00.01.H08,2026/01/05,7/TB/VP")->notation, "TB/VP");
  for (const char* bad : {"", "000.00.01.H08", "000.00.01.H08,2026-01-05,15/QĐ", "x,2026/02/30,1/A",
                          ",2026/01/05,1/A", "x,2026/01/05,15"}) {
    EXPECT_FALSE(ParseDocumentId(bad).ok()) << bad;
  }
}

// An EC P-256 seal signs as ECDSA-SHA256; xmlsec1 agrees.
TEST_F(EdxmlTest, AnEcKeySignsWithEcdsa) {
  ASSERT_EQ(RunCommand("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " +
                       (dir_ / "ec.key").string()),
            0);
  const std::string ec_key = ReadFile(dir_ / "ec.key");
  auto cert = pki::Issue(Ca(), {.common_name = "Con dấu EC", .organization_id = "000.00.01.H08"},
                         Pub(ec_key), pki::Profile::kOrganization, Now() - 1h, 30);
  auto ec = pki::Signer::Open(cert->certificate_pem, KeyRef::Pem(ec_key), {ca_.certificate_pem});
  ASSERT_TRUE(ec.ok());
  auto xml = WriteStatus(Notice("04"), *ec);
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  EXPECT_NE(xml->find("ecdsa-sha256"), std::string::npos);
  auto parsed = ReadStatus(*xml);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->chain_pems.size(), 1u);
  auto check = VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now());
  EXPECT_TRUE(check->ok) << check->reason_code << ": " << check->message;
  std::string out;
  EXPECT_EQ(RunCommand("xmlsec1 --verify --trusted-pem " + Write("ca.pem", ca_.certificate_pem) +
                           " " + Write("ec.xml", *xml),
                       &out),
            0)
      << out;
}

// The seal's key in a SoftHSM2 token signs a package in place.
TEST_F(EdxmlTest, ATokenKeySigns) {
  if (!fs::exists(kModule)) GTEST_SKIP() << "softhsm2 is not installed (scripts/setup.sh)";
  fs::create_directories(dir_ / "tokens");
  const std::string conf =
      Write("softhsm2.conf", "directories.tokendir = " + (dir_ / "tokens").string() +
                                 "\nobjectstore.backend = file\n");
  ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  std::string out;
  ASSERT_EQ(
      RunCommand("softhsm2-util --init-token --free --label edxml-token --pin 1234 --so-pin 123456",
                 &out),
      0)
      << out;
  ASSERT_EQ(RunCommand(
                "pkcs11-tool --module " + kModule +
                    " --token-label edxml-token --login --pin 1234 --keypairgen --key-type rsa:2048"
                    " --label seal --id 5e",
                &out),
            0)
      << out;
  const KeyRef token =
      KeyRef::Token("pkcs11:token=edxml-token;object=seal;type=private", kModule, "1234");
  auto pub = pki::PublicKeyPem(token);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  auto cert =
      pki::Issue(Ca(), {.common_name = "Con dấu trong token", .organization_id = "000.00.01.H08"},
                 *pub, pki::Profile::kOrganization, Now() - 1h, 30);
  auto signer = pki::Signer::Open(cert->certificate_pem, token);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  auto wire = WritePackage(FullPackage(), *signer);
  ASSERT_TRUE(wire.ok()) << wire.error().message;
  EXPECT_EQ(Verdict(*wire), "OK");
}

// Not a timed assertion: prints write + read + verify for one 200 KB attachment.
TEST_F(EdxmlTest, SpeedOfA200KbPackage) {
  Package p = FullPackage();
  p.attachments = {{"qd.pdf@x", "qd.pdf", "application/pdf", "", PdfLike(200 * 1024)}};
  std::vector<double> ms;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
      auto wire = WritePackage(p, *signer_);
      auto parsed = ReadPackage(*wire);
      auto check = VerifySignature(*parsed, {ca_.certificate_pem}, {}, Now());
      ASSERT_TRUE(check->ok);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count() /
                 20);
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "[ speed    ] write+read+verify, 200 KB attachment: median %.2f ms (min %.2f, max %.2f)\n",
      ms[2], ms[0], ms[4]);
}

}  // namespace
}  // namespace chancery::edxml
