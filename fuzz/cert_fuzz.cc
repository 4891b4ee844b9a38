// libFuzzer target for certificates, CRLs and OCSP messages from outside
// (src/lib/pki/pki.h, src/lib/pki/ocsp.h). The first byte picks where the rest goes:
//   0  a trusted root (PEM) for VerifyDetached of a fixed good signature
//   1  a CRL (PEM) for the same
//   2  an OCSP response (DER) for CheckOcspResponse about the fuzz signer
//   3  the certificate (PEM) CheckOcspResponse and OcspRequest are about
//   4  an OCSP request (DER) for OcspRespond by the fuzz CA
//   5  the issuer certificate (PEM) for CheckOcspResponse and OcspRequest
// Besides "no crash, no sanitizer report": a refusal is always
// kInvalidArgument, never internal; nothing the fuzzer can write without
// the CA's key makes a signature valid under another root, hides a
// revocation, or turns an OCSP answer into one the CA did not sign.
// "Another root" means another key: a root whose name differs from the CA's
// only as X.509 name matching allows (RFC 5280 7.1: case, spaces) is still
// the CA, and a signature verifying under it is right.
// Seeds: fuzz/corpus/cert (make_fuzz_seeds), made with fuzz/keys.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "lib/pki/ocsp.h"
#include "lib/pki/pades.h"  // ReportJson(Verification)

namespace {

using namespace chancery;
using namespace chancery::pki;
using chancery::fuzz::Check;
using chancery::fuzz::CheckRefusal;

// The DER SubjectPublicKeyInfo of the first certificate of `pem`, as the
// verifier reads it; "" if there is none.
std::string PublicKeyOf(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  std::string der;
  if (EVP_PKEY* key = cert ? X509_get0_pubkey(cert) : nullptr) {
    unsigned char* out = nullptr;
    const int n = i2d_PUBKEY(key, &out);
    if (n > 0) der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
  }
  X509_free(cert);
  return der;
}

struct Fixture {
  fuzz::Keys keys = fuzz::Keys::Load();
  std::string ca_key = PublicKeyOf(keys.ca_pem);
  std::string cms;            // the signer's detached signature over "fuzz"
  Verification baseline;      // its verification against the CA
  std::string good_response;  // the CA's OCSP answer "good" for the signer
  OcspAnswer good_answer;
  std::string signer_serial;

  Fixture() {
    auto signature = SignDetached("fuzz", keys.signer_pem, KeyRef::Pem(keys.signer_key));
    if (!signature.ok()) fuzz::Fail("signing", &signature.error());
    cms = *signature;
    if (ca_key.empty()) fuzz::Fail("the CA's certificate has no readable key");
    auto v = VerifyDetached(cms, "fuzz", {keys.ca_pem}, {}, fuzz::Now());
    if (!v.ok() || !v->valid) fuzz::Fail("the fixed signature does not verify");
    baseline = *v;
    signer_serial = baseline.signer_serial_hex;
    auto request = OcspRequest(keys.signer_pem, keys.ca_pem, false);
    if (!request.ok()) fuzz::Fail("OcspRequest", &request.error());
    auto response = OcspRespond(*request, keys.Ca(), Lookup(signer_serial), fuzz::Now());
    if (!response.ok()) fuzz::Fail("OcspRespond", &response.error());
    good_response = *response;
    auto answer =
        CheckOcspResponse(good_response, keys.signer_pem, keys.ca_pem, {keys.ca_pem}, fuzz::Now());
    if (!answer.ok()) fuzz::Fail("CheckOcspResponse of our own answer", &answer.error());
    good_answer = *answer;
  }

  // The CA's records: the signer is good, everything else unknown.
  static std::function<CertState(const std::string&)> Lookup(std::string good) {
    return [good](const std::string& serial) {
      return CertState{serial == good ? CertStatus::kGood : CertStatus::kUnknown, std::nullopt};
    };
  }
};

// An answer we believe must be one the CA signed, about the signer, "good".
void CheckAnswer(const Fixture& f, const Result<OcspAnswer>& answer, std::string_view what) {
  CheckRefusal(answer, what);
  if (!answer.ok()) return;
  Check(answer->responder == f.good_answer.responder,
        "an OCSP answer from another responder was believed");
  Check(answer->state.status == CertStatus::kGood,
        "an OCSP answer the CA did not give was believed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  if (size < 1) return 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Timestamp now = fuzz::Now();
  switch (data[0] % 6) {
    case 0: {  // trusted root
      auto v = VerifyDetached(f.cms, "fuzz", {input}, {}, now);
      CheckRefusal(v, "VerifyDetached with a fuzzed root");
      if (v.ok() && v->valid) {
        Check(PublicKeyOf(input) == f.ca_key, "the signature verified under another root");
        Check(v->chain.size() == f.baseline.chain.size(),
              "the signature verified through another chain");
      }
      if (v.ok()) (void)ReportJson(*v);
      break;
    }
    case 1: {  // CRL
      auto v = VerifyDetached(f.cms, "fuzz", {f.keys.ca_pem}, {input}, now);
      CheckRefusal(v, "VerifyDetached with a fuzzed CRL");
      if (v.ok() && v->valid) Check(v->revocation != "revoked", "valid although revoked");
      if (v.ok()) (void)ReportJson(*v);
      break;
    }
    case 2:  // OCSP response
      CheckAnswer(f,
                  CheckOcspResponse(input, f.keys.signer_pem, f.keys.ca_pem, {f.keys.ca_pem}, now),
                  "CheckOcspResponse of a fuzzed response");
      break;
    case 3: {  // the certificate asked about
      CheckAnswer(f, CheckOcspResponse(f.good_response, input, f.keys.ca_pem, {f.keys.ca_pem}, now),
                  "CheckOcspResponse about a fuzzed certificate");
      CheckRefusal(OcspRequest(input, f.keys.ca_pem, false),
                   "OcspRequest for a fuzzed certificate");
      break;
    }
    case 4: {  // OCSP request to answer
      auto response = OcspRespond(input, f.keys.Ca(), Fixture::Lookup(f.signer_serial), now);
      CheckRefusal(response, "OcspRespond to a fuzzed request");
      if (response.ok()) {
        // Whatever we answered is readable, and believed only as the CA's "good".
        auto answer =
            CheckOcspResponse(*response, f.keys.signer_pem, f.keys.ca_pem, {f.keys.ca_pem}, now);
        CheckRefusal(answer, "CheckOcspResponse of our answer to a fuzzed request");
        if (answer.ok())
          Check(answer->state.status == CertStatus::kGood,
                "our answer changed the signer's status");
      }
      break;
    }
    case 5: {  // issuer certificate
      CheckAnswer(
          f, CheckOcspResponse(f.good_response, f.keys.signer_pem, input, {f.keys.ca_pem}, now),
          "CheckOcspResponse with a fuzzed issuer");
      CheckRefusal(OcspRequest(f.keys.signer_pem, input, false),
                   "OcspRequest with a fuzzed issuer");
      break;
    }
  }
  return 0;
}
