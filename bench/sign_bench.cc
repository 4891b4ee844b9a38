// Signing and verification throughput through the public API (issue #4),
// single thread, each case repeated for --seconds (default 3):
//   cades_sign_file            SignDetached, CAdES, over a 100 KiB document, unencrypted PEM key
//   cades_sign_file_encrypted  the same with an AES-256-CBC PKCS#8 PEM (passphrase)
//   cades_sign_token           the same with the key in a PKCS#11 token (SoftHSM2), if given
//   pades_sign_invisible_file  SignPdf of a 1-page PDF, invisible signature, file key
//   pades_sign_visible_file    the same, visible: seal PNG + two text lines (if the font exists)
//   pades_sign_invisible_token / pades_sign_visible_token   the same with the token key
//   cades_verify               VerifyDetached of the 100 KiB document's signature
//   pades_verify               VerifyPdf of the invisibly signed PDF
// and, to see where the time goes, the parts a signature is made of:
//   key_load_pem, key_load_pem_encrypted, key_load_token   internal::LoadKey (what every call does)
//   cert_parse                 internal::LoadCert of the signer's certificate
//   sha256_100k                EVP SHA-256 of the document
//   rsa2048_sign_raw           EVP_PKEY_sign of a SHA-256 digest with a preloaded key
//                              (what `openssl speed rsa2048` measures, in this process)
//   pdf_load_verify_unsigned   VerifyPdf of the unsigned 1-page PDF (qpdf load, no signature)
// One line per case: "<name> ops_per_s=<x> ms_per_op=<y> n=<count>".
// The token: --token-uri, --token-module, --token-pin (SOFTHSM2_CONF in the environment).
// --only <case> runs one case (e.g. under `perf record`).
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "lib/pki/openssl_util.h"
#include "lib/pki/pades.h"
#include "lib/pki/pki.h"

using namespace chancery;
using namespace chancery::pki;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

double g_seconds = 3;
std::string g_only;  // --only <case>: just that one (for perf)

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s", what, r.error().message.c_str());
    for (const auto& f : r.error().fields) std::fprintf(stderr, " [%s: %s]", f.field.c_str(), f.message.c_str());
    std::fprintf(stderr, "\n");
    std::exit(1);
  }
  return std::move(*r);
}

// Runs `op` (which returns false on failure) for g_seconds after one warm-up call.
void Measure(const char* name, const std::function<bool()>& op) {
  if (!g_only.empty() && g_only != name) return;
  if (!op()) {
    std::fprintf(stderr, "%s failed\n", name);
    std::exit(1);
  }
  long n = 0;
  const auto start = SteadyClock::now();
  const auto stop = start + std::chrono::duration<double>(g_seconds);
  auto now = start;
  do {
    if (!op()) {
      std::fprintf(stderr, "%s failed\n", name);
      std::exit(1);
    }
    ++n;
    now = SteadyClock::now();
  } while (now < stop);
  const double s = std::chrono::duration<double>(now - start).count();
  std::printf("%s ops_per_s=%.1f ms_per_op=%.3f n=%ld\n", name, n / s, 1000 * s / n, n);
  std::fflush(stdout);
}

// The 1-page PDF the tests sign, and a seal image.
std::string MakePdf() { return pki::SimplePdf({"Quyet dinh trang 1"}); }
std::string SealPng() { return pki::DemoSealPng(128); }

}  // namespace

int main(int argc, char** argv) {
  std::string token_uri, token_module, token_pin;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seconds") g_seconds = std::atof(argv[i + 1]);
    else if (a == "--only") g_only = argv[i + 1];
    else if (a == "--token-uri") token_uri = argv[i + 1];
    else if (a == "--token-module") token_module = argv[i + 1];
    else if (a == "--token-pin") token_pin = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  const char* kFont = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
  const bool have_font = std::filesystem::exists(kFont);

  // A root CA and the organisation's seal certificate, for a file key and a token key.
  const std::string ca_key = Must(GenerateKey(""), "GenerateKey");
  const Issuer ca{Must(Issue({"", KeyRef::Pem(ca_key)}, {.common_name = "Bench Root CA"},
                             Must(PublicKeyPem(KeyRef::Pem(ca_key)), "PublicKeyPem"), Profile::kRootCa,
                             Now() - 24h, 3650),
                       "Issue root")
                      .certificate_pem,
                  KeyRef::Pem(ca_key)};
  const Subject seal_subject{.common_name = "Bộ Quốc phòng", .organization = "Bộ Quốc phòng",
                             .organization_id = "000.00.00.G12"};
  const std::string file_key = Must(GenerateKey(""), "GenerateKey");
  const std::string file_key_encrypted = Must(GenerateKey("bench passphrase"), "GenerateKey encrypted");
  const KeyRef file = KeyRef::Pem(file_key);
  const KeyRef file_encrypted = KeyRef::Pem(file_key_encrypted, "bench passphrase");
  const std::string file_cert = Must(Issue(ca, seal_subject, Must(PublicKeyPem(file), "PublicKeyPem"),
                                           Profile::kOrganization, Now() - 1h, 365),
                                     "Issue seal").certificate_pem;
  const std::string file_cert_encrypted =
      Must(Issue(ca, seal_subject, Must(PublicKeyPem(file_encrypted), "PublicKeyPem"), Profile::kOrganization,
                 Now() - 1h, 365),
           "Issue seal (encrypted key)").certificate_pem;
  const bool have_token = !token_uri.empty();
  KeyRef token;
  std::string token_cert;
  if (have_token) {
    token = KeyRef::Token(token_uri, token_module, token_pin);
    token_cert = Must(Issue(ca, seal_subject, Must(PublicKeyPem(token), "PublicKeyPem token"),
                            Profile::kOrganization, Now() - 1h, 365),
                      "Issue seal (token key)").certificate_pem;
  }

  std::string document(100 * 1024, '\0');
  for (std::size_t i = 0; i < document.size(); ++i) document[i] = static_cast<char>((i * 2654435761u) >> 13);
  const std::string pdf = MakePdf();
  auto pdf_request = [&](const std::string& cert, const KeyRef& key, bool visible) {
    PdfSignRequest r;
    r.certificate_pem = cert;
    r.key = key;
    r.signing_time = Now();
    r.reason = "Phát hành";
    if (visible) {
      r.appearance = Appearance{.page = 0,
                                .box = {280, 90, 120, 120},
                                .images = {{SealPng(), {10, 10, 100, 100}}},
                                .lines = {{"Số: 15/QĐ-BQP", 0, 0, 7, true}, {"Bộ Quốc phòng", 0, 110, 8}},
                                .font_file = kFont};
    }
    return r;
  };
  std::printf("# sign_bench: %.1f s per case, document %zu bytes, PDF %zu bytes, token %s, font %s\n",
              g_seconds, document.size(), pdf.size(), have_token ? "yes" : "no", have_font ? "yes" : "no");

  // --- signing
  Measure("cades_sign_file", [&] { return SignDetached(document, file_cert, file).ok(); });
  Measure("cades_sign_file_encrypted",
          [&] { return SignDetached(document, file_cert_encrypted, file_encrypted).ok(); });
  if (have_token) Measure("cades_sign_token", [&] { return SignDetached(document, token_cert, token).ok(); });
  // A seal opened once and kept for a batch (Signer): no key or certificate
  // parsing per document.
  const Signer seal = Must(Signer::Open(file_cert, file), "Signer::Open");
  Measure("cades_sign_signer", [&] { return seal.SignDetached(document).ok(); });
  const std::string small(4096, 'x');
  Measure("cades_sign_signer_4k", [&] { return seal.SignDetached(small).ok(); });
  if (have_token) {
    const Signer token_seal = Must(Signer::Open(token_cert, token), "Signer::Open token");
    Measure("cades_sign_signer_token", [&] { return token_seal.SignDetached(document).ok(); });
  }
  const PdfSignRequest invisible = pdf_request(file_cert, file, false);
  Measure("pades_sign_invisible_file", [&] { return SignPdf(pdf, invisible).ok(); });
  PdfSignRequest invisible_signer = invisible;
  invisible_signer.signer = seal;
  Measure("pades_sign_invisible_signer", [&] { return SignPdf(pdf, invisible_signer).ok(); });
  if (have_font) {
    const PdfSignRequest visible = pdf_request(file_cert, file, true);
    Measure("pades_sign_visible_file", [&] { return SignPdf(pdf, visible).ok(); });
  }
  if (have_token) {
    const PdfSignRequest invisible_token = pdf_request(token_cert, token, false);
    Measure("pades_sign_invisible_token", [&] { return SignPdf(pdf, invisible_token).ok(); });
    if (have_font) {
      const PdfSignRequest visible_token = pdf_request(token_cert, token, true);
      Measure("pades_sign_visible_token", [&] { return SignPdf(pdf, visible_token).ok(); });
    }
  }

  // --- verification
  const std::string cms = Must(SignDetached(document, file_cert, file), "SignDetached");
  Measure("cades_verify", [&] {
    auto v = VerifyDetached(cms, document, {ca.certificate_pem}, {}, Now());
    return v.ok() && v->valid;
  });
  const std::string signed_pdf = Must(SignPdf(pdf, invisible), "SignPdf");
  Measure("pades_verify", [&] {
    auto r = VerifyPdf(signed_pdf, {ca.certificate_pem}, {}, Now());
    return r.ok() && r->indication == kTotalPassed;
  });

  // --- the parts
  Measure("key_load_pem", [&] { return internal::LoadKey(file, "key").ok(); });
  Measure("key_load_pem_encrypted", [&] { return internal::LoadKey(file_encrypted, "key").ok(); });
  if (have_token) Measure("key_load_token", [&] { return internal::LoadKey(token, "key").ok(); });
  Measure("cert_parse", [&] { return internal::LoadCert(file_cert, "certificate").ok(); });
  Measure("sha256_100k", [&] {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    return EVP_Digest(document.data(), document.size(), md, &len, EVP_sha256(), nullptr) == 1;
  });
  {
    auto key = Must(internal::LoadKey(file, "key"), "LoadKey");
    unsigned char digest[32] = {1, 2, 3};
    std::vector<unsigned char> sig(512);
    Measure("rsa2048_sign_raw", [&] {
      EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.get(), nullptr);
      std::size_t len = sig.size();
      const bool ok = ctx && EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                      EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
                      EVP_PKEY_sign(ctx, sig.data(), &len, digest, sizeof digest) == 1;
      EVP_PKEY_CTX_free(ctx);
      return ok;
    });
  }
  Measure("pdf_load_verify_unsigned", [&] { return VerifyPdf(pdf, {ca.certificate_pem}, {}, Now()).ok(); });
  return 0;
}
