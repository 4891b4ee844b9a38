// Shared inside src/pki: owning handles for OpenSSL objects, the error queue
// in words, loading keys and certificates (PEM, or a key in a PKCS#11 token
// through libp11, pkcs11.cc), time and serial conversions, certificate names,
// and reading a CMS signature (cms.cc and verify.cc both do).
#pragma once

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/world.h"
#include "lib/pki/pki.h"

namespace chancery::pki::internal {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
void FreeCertStack(STACK_OF(X509) * s);
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
// Frees a key; a token key's deleter also holds its lease (pkcs11.cc): the
// token's login for this one use, ended once the key is freed.
struct KeyDeleter {
  std::shared_ptr<void> lease;
  void operator()(EVP_PKEY* p) {
    EVP_PKEY_free(p);
    lease.reset();
  }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Crl = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using Certs = std::unique_ptr<STACK_OF(X509), Deleter<FreeCertStack>>;
using Integer = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using Time = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;

// OpenSSL's error queue as one line, with each error's detail (and emptied).
std::string OpenSslErrors();

// An internal failure with OpenSSL's errors; bad input naming its field.
Error Fail(std::string_view what);
Error Bad(std::string_view field, std::string_view what);

Bio ReadBio(std::string_view bytes);
std::string Drain(BIO* bio);  // a memory BIO's contents

// Any OpenSSL object as DER, through its i2d function.
template <class T, class I2d>
Result<std::string> Der(const T* object, I2d i2d, std::string_view what) {
  unsigned char* der = nullptr;
  const int len = i2d(object, &der);
  if (len <= 0) return Fail(what);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// The key a KeyRef names: a PEM (decrypted with its passphrase) or a token key.
Result<Key> LoadKey(const KeyRef& ref, std::string_view field);

// A private key under a short passphrase (KeyWrap::kArgon2idGcm): the PEM
// label, and the sealing of its DER: "CHK1", argon2id time cost, memory (KiB)
// and lanes (u32 big-endian each), salt (16), nonce (12), then AES-256-GCM
// ciphertext and tag (16); everything before the ciphertext is authenticated.
inline constexpr char kSealedKeyLabel[] = "CHANCERY ENCRYPTED PRIVATE KEY";
Result<std::string> SealWithPassphrase(std::string_view plain, std::string_view passphrase);
// kInvalidArgument for a wrong passphrase or a changed file.
Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase,
                                       std::string_view field);
Result<Cert> LoadCert(std::string_view pem, std::string_view field);

// The key named by an RFC 7512 URI in the token of `module`, unlocked with
// `pin` until the Key is freed. The key stays in the token: the EVP_PKEY signs
// through it. One use of a token at a time: a second caller waits for the
// Key, so free it on the thread that loaded it, as soon as it has signed.
Result<Key> LoadTokenKey(const std::string& uri, const std::string& module, const std::string& pin);

std::time_t Seconds(Timestamp t);
Timestamp FromAsn1Time(const ASN1_TIME* t);
std::string SerialHex(const ASN1_INTEGER* serial);  // upper-case hex
std::string SubjectLine(X509* cert);                // RFC 2253, UTF-8
// The first subject entry `nid` of `cert` in UTF-8, "" if none.
std::string NameEntry(X509* cert, int nid);
std::string CommonName(X509* cert);

// A DER CMS signature, and its first SignerInfo (owned by the CMS).
Result<Cms> ReadCms(std::string_view der);
Result<CMS_SignerInfo*> FirstSigner(CMS_ContentInfo* cms);
// SHA-256 of the SignerInfo's signature value: what a signature time-stamp stamps.
std::string SignatureImprint(CMS_SignerInfo* si);

}  // namespace chancery::pki::internal
