#include "pki/openssl_util.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <chrono>

namespace chancery::pki::internal {

void FreeCertStack(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }

std::string OpenSslErrors() {
  std::string out;
  const char* data = nullptr;
  int flags = 0;
  while (unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    if (!out.empty()) out += "; ";
    const char* reason = ERR_reason_error_string(e);
    out += reason ? reason : "error " + std::to_string(ERR_GET_REASON(e));
    if (data && (flags & ERR_TXT_STRING)) out += std::string(" (") + data + ")";
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Error Fail(std::string_view what) {
  return MakeError(ErrorCode::kInternal, std::string(what) + ": " + OpenSslErrors());
}

Error Bad(std::string_view field, std::string_view what) {
  ERR_clear_error();
  return Error::Invalid(std::string(field), "unreadable", std::string(what));
}

Bio ReadBio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

namespace {

int PassphraseCallback(char* buf, int size, int, void* user) {
  const auto* pass = static_cast<const std::string_view*>(user);
  const int n = static_cast<int>(std::min<std::size_t>(pass->size(), static_cast<std::size_t>(size)));
  std::copy_n(pass->data(), n, buf);
  return n;
}

}  // namespace

Result<Key> LoadKey(const KeyRef& ref, std::string_view field) {
  if (!ref.pkcs11_uri.empty()) return LoadTokenKey(ref.pkcs11_uri, ref.pkcs11_module, ref.secret);
  Bio bio = ReadBio(ref.pem);
  std::string_view pass = ref.secret;
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &pass));
  if (!key) return Bad(field, "Not a private key, or the wrong passphrase.");
  return key;
}

Result<Cert> LoadCert(std::string_view pem, std::string_view field) {
  Bio bio = ReadBio(pem);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Bad(field, "Not a PEM certificate.");
  return cert;
}

std::time_t Seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Timestamp FromAsn1Time(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::from_time_t(timegm(&tm)));
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return "";
  char* hex = BN_bn2hex(bn.get());
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  return out;
}

std::string SubjectLine(X509* cert) {
  Bio name(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(name.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return Drain(name.get());
}

}  // namespace chancery::pki::internal
