// One-off generator of the PKI fuzzers' fixed material, not a test:
//   ninja -C build-fuzz2 make_fuzz_seeds && build-fuzz2/fuzz/make_fuzz_seeds fuzz
// Makes fuzz/keys (a throw-away root CA and an organisation signer, valid
// for 20 years, used by nothing but the fuzzers) unless they exist, then
// writes the seeds fuzz/corpus/pdf (small PDFs, unsigned, signed, signed
// twice, edited after signing, with validation data, a broken xref) and
// fuzz/corpus/cert (selector byte + a root, CRLs, an OCSP response,
// the signer's certificate, an OCSP request, the issuer).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "fuzz_common.h"
#include "lib/pki/ocsp.h"
#include "lib/pki/pades.h"

using namespace chancery;
using namespace chancery::pki;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) fuzz::Fail(what, &r.error());
  return std::move(*r);
}

void MakeKeys(const std::string& dir) {
  fs::create_directories(dir);
  const Timestamp from = fuzz::Now() - 24h;
  const std::string ca_key = Must(GenerateKey(""), "key");
  const Issued ca = Must(Issue({"", KeyRef::Pem(ca_key)}, {.common_name = "Chancery Fuzz Root CA"},
                               Must(PublicKeyPem(KeyRef::Pem(ca_key)), "pub"), Profile::kRootCa, from, 7300),
                         "root");
  const std::string signer_key = Must(GenerateKey(""), "key");
  const Issued signer =
      Must(Issue({ca.certificate_pem, KeyRef::Pem(ca_key)},
                 {.common_name = "Chancery Fuzz Signer", .organization_id = "000.00.00.F00"},
                 Must(PublicKeyPem(KeyRef::Pem(signer_key)), "pub"), Profile::kOrganization, from, 7300),
           "signer");
  fuzz::WriteFile(dir + "/ca.key", ca_key);
  fuzz::WriteFile(dir + "/ca.pem", ca.certificate_pem);
  fuzz::WriteFile(dir + "/signer.key", signer_key);
  fuzz::WriteFile(dir + "/signer.pem", signer.certificate_pem);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz source dir>\n", argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  if (!fs::exists(fuzz::Keys::Dir() + "/ca.key")) MakeKeys(fuzz::Keys::Dir());
  const fuzz::Keys k = fuzz::Keys::Load();
  const Timestamp now = fuzz::Now();

  // PDFs.
  const std::string pdf_dir = root + "/corpus/pdf";
  fs::create_directories(pdf_dir);
  PdfSignRequest request;
  request.certificate_pem = k.signer_pem;
  request.key = KeyRef::Pem(k.signer_key);
  request.signing_time = now;
  request.reason = "Phát hành";
  request.reserve = 8192;
  const std::string unsigned_pdf = fuzz::MakePdf();
  const std::string signed_pdf = Must(SignPdf(unsigned_pdf, request), "SignPdf");
  const std::string twice = Must(SignPdf(signed_pdf, request), "SignPdf twice");
  // Page 1's content (object 4) replaced after signing: MODIFIED_AFTER_SIGNING.
  const std::string text = "BT /F1 14 Tf 72 720 Td (Sua doi) Tj ET";
  const int size = std::stoi(signed_pdf.substr(signed_pdf.rfind("/Size ") + 6));
  const std::string edited = fuzz::AppendUpdate(
      signed_pdf, 4, "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream", size);
  const std::string crl = Must(MakeCrl(k.Ca(), {{"0BADC0DE", now - 1h}}, now, 7300), "MakeCrl");
  const std::string with_dss =
      Must(AddValidationData(signed_pdf, {{k.signer_pem, k.ca_pem}, {crl}, {}}), "AddValidationData");
  // The first xref table's entry for object 1 pointing one byte off.
  std::string broken_xref = signed_pdf;
  const auto entry = broken_xref.find("0000000015 00000 n");
  if (entry == std::string::npos) fuzz::Fail("no xref entry for object 1 at offset 15");
  broken_xref.replace(entry, 10, "0000000016");
  fuzz::WriteFile(pdf_dir + "/unsigned.pdf", unsigned_pdf);
  fuzz::WriteFile(pdf_dir + "/signed.pdf", signed_pdf);
  fuzz::WriteFile(pdf_dir + "/signed-twice.pdf", twice);
  fuzz::WriteFile(pdf_dir + "/signed-then-edited.pdf", edited);
  fuzz::WriteFile(pdf_dir + "/signed-with-dss.pdf", with_dss);
  fuzz::WriteFile(pdf_dir + "/xref-edited.pdf", broken_xref);
  for (const auto* pdf : {&signed_pdf, &twice, &with_dss, &edited}) {
    auto report = Must(VerifyPdf(*pdf, {k.ca_pem}, {}, now), "VerifyPdf");
    std::printf("seed report: %s %s\n", report.indication.c_str(), report.sub_indication.c_str());
  }

  // Certificates and OCSP, behind their selector byte (see cert_fuzz.cc).
  const std::string cert_dir = root + "/corpus/cert";
  fs::create_directories(cert_dir);
  const std::string signer_serial = Must(VerifyDetached(Must(SignDetached("fuzz", k.signer_pem, KeyRef::Pem(k.signer_key)), "sign"),
                                                        "fuzz", {k.ca_pem}, {}, now), "verify").signer_serial_hex;
  const std::string revoking = Must(MakeCrl(k.Ca(), {{signer_serial, now - 1h}}, now, 7300), "MakeCrl");
  const std::string ocsp_request = Must(OcspRequest(k.signer_pem, k.ca_pem, true), "OcspRequest");
  const std::string ocsp_response = Must(
      OcspRespond(ocsp_request, k.Ca(), [](const std::string&) { return CertState{CertStatus::kGood, {}}; }, now,
                  std::chrono::hours(24 * 365 * 20)),
      "OcspRespond");
  auto seed = [&](const char* name, char selector, const std::string& body) {
    fuzz::WriteFile(cert_dir + "/" + name, std::string(1, selector) + body);
  };
  seed("root", 0, k.ca_pem);
  seed("root-and-signer", 0, k.ca_pem + k.signer_pem);
  seed("crl", 1, crl);
  seed("crl-revoking-signer", 1, revoking);
  seed("ocsp-response", 2, ocsp_response);
  seed("signer-cert", 3, k.signer_pem);
  seed("ocsp-request", 4, ocsp_request);
  seed("issuer-cert", 5, k.ca_pem);
  std::printf("seeds written under %s/corpus/{pdf,cert}\n", root.c_str());
  return 0;
}
