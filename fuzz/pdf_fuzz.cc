// libFuzzer target for PDF files from outside (src/lib/pki/pades.h): every input
// is verified (VerifyPdf against the fixed fuzz CA, no CRLs, now), its
// report serialised (ReportJson), and signed once more (SignPdf with an
// invisible signature). Besides "no crash, no sanitizer report":
//   - a refusal is always kInvalidArgument (an unreadable PDF), never internal;
//   - a signature that passes was made by our signer: nobody else holds a
//     key our CA certified, so a TOTAL_PASSED for any other signer (or a
//     document TOTAL_PASSED with a signature that did not pass) is a forgery
//     the verifier let through;
//   - SignPdf keeps the input's bytes as the output's first bytes, and what
//     it writes can be read back by VerifyPdf.
// Seeds: fuzz/corpus/pdf (make_fuzz_seeds), signed with fuzz/keys.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "lib/pki/pades.h"

namespace {

using namespace chancery;
using namespace chancery::pki;
using chancery::fuzz::Check;
using chancery::fuzz::CheckRefusal;

struct Fixture {
  fuzz::Keys keys = fuzz::Keys::Load();
  std::string signer_serial;
  std::string root_subject;
  std::set<std::string> signed_seeds;  // PDFs signed here, which must pass
  PdfSignRequest request;

  Fixture() {
    request.certificate_pem = keys.signer_pem;
    request.key = KeyRef::Pem(keys.signer_key);
    request.signing_time = fuzz::Now();
    request.reason = "fuzz";
    request.reserve = 8192;
    auto once = SignPdf(fuzz::MakePdf(), request);
    if (!once.ok()) fuzz::Fail("signing the seed PDF", &once.error());
    auto twice = SignPdf(*once, request);
    if (!twice.ok()) fuzz::Fail("signing the seed PDF again", &twice.error());
    for (const std::string* pdf : {&*once, &*twice}) {
      auto report = VerifyPdf(*pdf, {keys.ca_pem}, {}, fuzz::Now());
      if (!report.ok()) fuzz::Fail("verifying a seed", &report.error());
      Check(report->indication == kTotalPassed, "a PDF signed in init does not verify: " + report->reason);
      signer_serial = report->signatures.at(0).cms.signer_serial_hex;
      root_subject = report->signatures.at(0).cms.chain.back();
      signed_seeds.insert(*pdf);
    }
  }
};

void CheckReport(const Fixture& f, std::string_view input, const PdfReport& report) {
  (void)ReportJson(report);
  for (const auto& s : report.signatures) {
    (void)ReportJson(s.cms);
    if (s.indication == kTotalPassed || s.cms.valid) {
      Check(s.cms.signer_serial_hex == f.signer_serial && !s.cms.chain.empty() &&
                s.cms.chain.back() == f.root_subject,
            "a signature by someone else than the fuzz signer passed");
    }
  }
  if (report.indication == kTotalPassed) {
    Check(!report.signatures.empty(), "TOTAL_PASSED without signatures");
    for (const auto& s : report.signatures) {
      Check(s.indication == kTotalPassed, "document TOTAL_PASSED with a signature that did not pass");
    }
  }
  if (f.signed_seeds.count(std::string(input))) {
    Check(report.indication == kTotalPassed, "a PDF signed in init no longer verifies");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Timestamp now = fuzz::Now();

  auto report = VerifyPdf(input, {f.keys.ca_pem}, {}, now);
  CheckRefusal(report, "VerifyPdf refused with a non-input error");
  if (!report.ok()) return 0;  // unreadable: SignPdf would refuse it too
  CheckReport(f, input, *report);

  auto signed_pdf = SignPdf(input, f.request);
  CheckRefusal(signed_pdf, "SignPdf refused with a non-input error");
  if (signed_pdf.ok()) {
    Check(std::string_view(*signed_pdf).substr(0, input.size()) == input,
          "SignPdf changed the bytes of the original");
    auto again = VerifyPdf(*signed_pdf, {f.keys.ca_pem}, {}, now);
    CheckRefusal(again, "VerifyPdf of SignPdf's output refused with a non-input error");
    if (again.ok()) CheckReport(f, *signed_pdf, *again);
  }
  return 0;
}
