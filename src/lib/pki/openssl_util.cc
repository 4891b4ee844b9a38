#include "lib/pki/openssl_util.h"

#include <argon2.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>

namespace chancery::pki::internal {

void FreeCertStack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }

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
  const int n =
      static_cast<int>(std::min<std::size_t>(pass->size(), static_cast<std::size_t>(size)));
  std::copy_n(pass->data(), n, buf);
  return n;
}

}  // namespace

namespace {

constexpr std::uint32_t kKdfTime = 2, kKdfMemoryKib = 19 * 1024, kKdfLanes = 1;
constexpr std::size_t kSaltSize = 16, kNonceSize = 12, kTagSize = 16;
constexpr std::size_t kHeaderSize = 4 + 12 + kSaltSize + kNonceSize;

void PutU32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}
std::uint32_t GetU32(std::string_view in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}

Result<std::string> DeriveKek(std::string_view passphrase, std::string_view salt,
                              std::uint32_t time, std::uint32_t memory_kib, std::uint32_t lanes) {
  std::string kek(32, '\0');
  if (argon2id_hash_raw(time, memory_kib, lanes, passphrase.data(), passphrase.size(), salt.data(),
                        salt.size(), kek.data(), kek.size()) != ARGON2_OK) {
    return MakeError(ErrorCode::kInternal, "argon2id key derivation failed.");
  }
  return kek;
}

}  // namespace

Result<std::string> SealWithPassphrase(std::string_view plain, std::string_view passphrase) {
  std::string out = "CHK1";
  PutU32(out, kKdfTime);
  PutU32(out, kKdfMemoryKib);
  PutU32(out, kKdfLanes);
  std::string salt(kSaltSize, '\0'), nonce(kNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltSize) != 1 ||
      RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceSize) != 1) {
    return MakeError(ErrorCode::kInternal, "No randomness for the key's salt.");
  }
  out += salt;
  out += nonce;
  CHY_TRY(std::string kek, DeriveKek(passphrase, salt, kKdfTime, kKdfMemoryKib, kKdfLanes));
  std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>> ctx(EVP_CIPHER_CTX_new());
  std::string cipher(plain.size(), '\0');
  std::string tag(kTagSize, '\0');
  int len = 0, tail = 0;
  const bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(kek.data()),
                         reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(out.data()),
                        static_cast<int>(out.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()), &len,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()) + len,
                          &tail) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag.data()) == 1;
  OPENSSL_cleanse(kek.data(), kek.size());
  if (!ok) return MakeError(ErrorCode::kInternal, "Sealing the key failed.");
  return out + cipher + tag;
}

Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase,
                                       std::string_view field) {
  if (sealed.size() < kHeaderSize + kTagSize || sealed.substr(0, 4) != "CHK1") {
    return Bad(field, "Not a private key, or the wrong passphrase.");
  }
  const std::uint32_t time = GetU32(sealed, 4), memory = GetU32(sealed, 8),
                      lanes = GetU32(sealed, 12);
  // A file may not make us spend unbounded time or memory.
  if (time < 1 || time > 10 || memory < 8 * 1024 || memory > 1024 * 1024 || lanes < 1 ||
      lanes > 8) {
    return Bad(field, "Not a private key, or the wrong passphrase.");
  }
  const std::string_view salt = sealed.substr(16, kSaltSize);
  const std::string_view nonce = sealed.substr(16 + kSaltSize, kNonceSize);
  const std::string_view cipher =
      sealed.substr(kHeaderSize, sealed.size() - kHeaderSize - kTagSize);
  std::string tag(sealed.substr(sealed.size() - kTagSize));
  CHY_TRY(std::string kek, DeriveKek(passphrase, salt, time, memory, lanes));
  std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>> ctx(EVP_CIPHER_CTX_new());
  std::string plain(cipher.size(), '\0');
  int len = 0, tail = 0;
  const bool ok = ctx &&
                  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                                     reinterpret_cast<const unsigned char*>(kek.data()),
                                     reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
                  EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                                    reinterpret_cast<const unsigned char*>(sealed.data()),
                                    static_cast<int>(kHeaderSize)) == 1 &&
                  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                                    reinterpret_cast<const unsigned char*>(cipher.data()),
                                    static_cast<int>(cipher.size())) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
                  EVP_DecryptFinal_ex(
                      ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &tail) == 1;
  OPENSSL_cleanse(kek.data(), kek.size());
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return Bad(field, "Not a private key, or the wrong passphrase.");
  }
  return plain;
}

Result<Key> LoadKey(const KeyRef& ref, std::string_view field) {
  if (!ref.pkcs11_uri.empty()) return LoadTokenKey(ref.pkcs11_uri, ref.pkcs11_module, ref.secret);
  if (ref.pem.find(std::string("BEGIN ") + kSealedKeyLabel) != std::string::npos) {
    Bio pem = ReadBio(ref.pem);
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(pem.get(), &name, &header, &data, &len) != 1) {
      return Bad(field, "Not a private key, or the wrong passphrase.");
    }
    std::string sealed(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len));
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    CHY_TRY(std::string der, OpenWithPassphrase(sealed, ref.secret, field));
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    Key key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
    OPENSSL_cleanse(der.data(), der.size());
    if (!key) return Bad(field, "Not a private key, or the wrong passphrase.");
    return key;
  }
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
  X509_NAME_print_ex(name.get(), X509_get_subject_name(cert), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return Drain(name.get());
}

std::string NameEntry(X509* cert, int nid) {
  X509_NAME* name = X509_get_subject_name(cert);
  const int loc = X509_NAME_get_index_by_NID(name, nid, -1);
  if (loc < 0) return "";
  unsigned char* utf8 = nullptr;
  const int n =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, loc)));
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}
std::string CommonName(X509* cert) { return NameEntry(cert, NID_commonName); }

Result<Cms> ReadCms(std::string_view der) {
  Bio in = ReadBio(der);
  Cms cms(d2i_CMS_bio(in.get(), nullptr));
  if (!cms) return Bad("signature", "Not a DER CMS signature.");
  return cms;
}

Result<CMS_SignerInfo*> FirstSigner(CMS_ContentInfo* cms) {
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
  if (!infos || sk_CMS_SignerInfo_num(infos) < 1) return Bad("signature", "No signer in the CMS.");
  return sk_CMS_SignerInfo_value(infos, 0);
}

std::string SignatureImprint(CMS_SignerInfo* si) {
  const ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(ASN1_STRING_get0_data(sig), static_cast<std::size_t>(ASN1_STRING_length(sig)), md, &n,
             EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), n);
}

}  // namespace chancery::pki::internal
