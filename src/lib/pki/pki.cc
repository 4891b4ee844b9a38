// Keys, certificates and revocation lists: the node's own small CA. CMS
// signing and time-stamps are in cms.cc, verification in verify.cc.
#include "lib/pki/pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/digest.h"
#include "lib/pki/openssl_util.h"

namespace chancery::pki {

namespace {

using namespace internal;

Result<Key> LoadPublicKey(const std::string& pem) {
  Bio bio = ReadBio(pem);
  Key key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Bad("subject_public_key", "Not a PEM public key.");
  return key;
}

Status AddEntry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return Ok();
  if (!X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(value.data()),
                                  static_cast<int>(value.size()), -1, 0)) {
    return Error::Invalid("subject", "bad_value", std::string("Cannot use this ") + field + ".");
  }
  return Ok();
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>> ext(
      X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || !X509_add_ext(cert, ext.get(), -1)) return Fail("certificate extension");
  return Ok();
}

}  // namespace

namespace {

// PKCS#8 PEM, AES-256-CBC under `passphrase` unless it is empty.
Result<std::string> WritePkcs8(EVP_PKEY* key, std::string_view passphrase) {
  Bio out(BIO_new(BIO_s_mem()));
  const bool encrypt = !passphrase.empty();
  if (!PEM_write_bio_PKCS8PrivateKey(out.get(), key, encrypt ? EVP_aes_256_cbc() : nullptr,
                                     encrypt ? passphrase.data() : nullptr,
                                     static_cast<int>(passphrase.size()), nullptr, nullptr)) {
    return Fail("writing the key");
  }
  return Drain(out.get());
}

Result<std::string> WriteKey(EVP_PKEY* key, std::string_view passphrase, KeyWrap wrap) {
  if (wrap == KeyWrap::kPkcs8 || passphrase.empty()) return WritePkcs8(key, passphrase);
  unsigned char* der = nullptr;
  const int der_len = i2d_PrivateKey(key, &der);
  if (der_len <= 0) return Fail("encoding the key");
  std::string plain(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_len));
  OPENSSL_clear_free(der, static_cast<std::size_t>(der_len));
  auto sealed = SealWithPassphrase(plain, passphrase);
  OPENSSL_cleanse(plain.data(), plain.size());
  if (!sealed.ok()) return std::move(sealed).error();
  Bio out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio(out.get(), kSealedKeyLabel, "",
                     reinterpret_cast<const unsigned char*>(sealed->data()),
                     static_cast<long>(sealed->size()))) {
    return Fail("writing the key");
  }
  return Drain(out.get());
}

}  // namespace

Result<std::string> GenerateKey(std::string_view passphrase, KeyWrap wrap) {
  Key key(EVP_RSA_gen(2048));
  if (!key) return Fail("RSA key generation");
  return WriteKey(key.get(), passphrase, wrap);
}

Result<std::string> ChangePassphrase(const std::string& key_pem, std::string_view old_passphrase,
                                     std::string_view new_passphrase, KeyWrap wrap) {
  CHY_TRY(Key key, LoadKey(KeyRef::Pem(key_pem, std::string(old_passphrase)), "pin"));
  return WriteKey(key.get(), new_passphrase, wrap);
}

Result<std::string> PublicKeyPem(const KeyRef& ref) {
  CHY_TRY(Key key, LoadKey(ref, "key"));
  Bio out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(out.get(), key.get())) return Fail("writing the public key");
  return Drain(out.get());
}

namespace {

// Certifies `subject_key` under the name `name` with the extensions of `profile`.
Result<Issued> Certify(const Issuer& issuer, X509_NAME* name, EVP_PKEY* subject_key,
                       Profile profile, Timestamp not_before, int days) {
  if (days < 1 || days > 20 * 366) return Error::Invalid("days", "out_of_range", "1 to 7320 days.");
  const bool self_signed = issuer.certificate_pem.empty();
  if (self_signed && profile != Profile::kRootCa) {
    return Error::Invalid("issuer", "required", "Only a root CA signs itself.");
  }
  CHY_TRY(Key issuer_key, LoadKey(issuer.key, "issuer_key"));
  Cert issuer_cert;
  if (!self_signed) {
    CHY_TRY(issuer_cert, LoadCert(issuer.certificate_pem, "issuer_certificate"));
  }

  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);  // v3
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) return Fail("serial number");
  random[0] &= 0x7f;  // positive
  std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(BN_bin2bn(random, sizeof random, nullptr));
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  std::time_t from = Seconds(not_before);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &from);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &from);

  X509_set_subject_name(cert.get(), name);
  X509_set_issuer_name(cert.get(), self_signed ? name : X509_get_subject_name(issuer_cert.get()));
  X509_set_pubkey(cert.get(), subject_key);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, self_signed ? cert.get() : issuer_cert.get(), cert.get(), nullptr, nullptr,
                 0);
  CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  switch (profile) {
    case Profile::kRootCa:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
      break;
    case Profile::kPerson:
    case Profile::kOrganization:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_key_usage,
                                  "critical,digitalSignature,nonRepudiation"));
      // Document signing (RFC 9336) and e-mail protection, which CMS tools check.
      CHY_TRY_STATUS(
          AddExtension(cert.get(), &ctx, NID_ext_key_usage, "1.3.6.1.5.5.7.3.36,emailProtection"));
      break;
    case Profile::kTimestamping:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_ext_key_usage, "critical,timeStamping"));
      break;
  }
  if (!X509_sign(cert.get(), issuer_key.get(), EVP_sha256()))
    return Fail("signing the certificate");

  Bio out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509(out.get(), cert.get())) return Fail("writing the certificate");
  return Issued{Drain(out.get()), SerialHex(X509_get_serialNumber(cert.get()))};
}

}  // namespace

Result<Issued> Issue(const Issuer& issuer, const Subject& subject,
                     const std::string& subject_public_key_pem, Profile profile,
                     Timestamp not_before, int days) {
  if (subject.common_name.empty()) {
    return Error::Invalid("common_name", "required", "A certificate names its holder.");
  }
  CHY_TRY(Key subject_key, LoadPublicKey(subject_public_key_pem));
  Name name(X509_NAME_new());
  CHY_TRY_STATUS(AddEntry(name.get(), "C", subject.country));
  CHY_TRY_STATUS(AddEntry(name.get(), "O", subject.organization));
  CHY_TRY_STATUS(AddEntry(name.get(), "OU", subject.organizational_unit));
  CHY_TRY_STATUS(AddEntry(name.get(), "organizationIdentifier", subject.organization_id));
  CHY_TRY_STATUS(AddEntry(name.get(), "CN", subject.common_name));
  return Certify(issuer, name.get(), subject_key.get(), profile, not_before, days);
}

Result<Issued> Recertify(const Issuer& issuer, const std::string& certificate_pem, Profile profile,
                         Timestamp not_before, int days) {
  CHY_TRY(Cert old, LoadCert(certificate_pem, "certificate"));
  return Certify(issuer, X509_get_subject_name(old.get()), X509_get0_pubkey(old.get()), profile,
                 not_before, days);
}

namespace {

// The certificate's fingerprint: SHA-256 of its DER, lower hex.
std::string DerSha256(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(md), len));
}

CertificateInfo Describe(X509* cert) {
  Bio pem(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(pem.get(), cert);
  const std::uint32_t flags = X509_get_extension_flags(cert);
  return {SerialHex(X509_get_serialNumber(cert)),
          SubjectLine(cert),
          NameEntry(cert, NID_organizationIdentifier),
          FromAsn1Time(X509_get0_notBefore(cert)),
          FromAsn1Time(X509_get0_notAfter(cert)),
          (flags & EXFLAG_SS) != 0,
          (flags & EXFLAG_CA) != 0,
          Drain(pem.get()),
          DerSha256(cert)};
}

}  // namespace

// The same few certificates (peers' nodes, their signers) are described on
// every package that arrives: the descriptions of the last ones read are
// kept, by their exact PEM text, a bounded number (what does not parse is
// not kept).
Result<CertificateInfo> DescribeCertificate(const std::string& certificate_pem) {
  constexpr std::size_t kKept = 256;
  static std::mutex mu;
  static std::unordered_map<std::string, CertificateInfo> kept;
  {
    std::lock_guard lock(mu);
    if (auto it = kept.find(certificate_pem); it != kept.end()) return it->second;
  }
  CHY_TRY(Cert cert, LoadCert(certificate_pem, "certificate"));
  CertificateInfo info = Describe(cert.get());
  std::lock_guard lock(mu);
  if (kept.size() >= kKept) kept.clear();
  kept.emplace(certificate_pem, info);
  return info;
}

Result<std::vector<CertificateInfo>> DescribeCertificates(const std::string& pem_bundle) {
  Bio in = ReadBio(pem_bundle);
  std::vector<CertificateInfo> out;
  while (Cert cert{PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)})
    out.push_back(Describe(cert.get()));
  ERR_clear_error();  // the end of the bundle reads as an error
  if (out.empty()) return Bad("certificate_pem", "No PEM certificate in it.");
  return out;
}

Result<std::string> MakeCrl(const Issuer& issuer, const std::vector<Revoked>& revoked,
                            Timestamp this_update, int days) {
  CHY_TRY(Cert issuer_cert, LoadCert(issuer.certificate_pem, "issuer_certificate"));
  CHY_TRY(Key issuer_key, LoadKey(issuer.key, "issuer_key"));
  Crl crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);  // v2
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer_cert.get()));
  std::time_t now = Seconds(this_update);
  Time last(X509_time_adj_ex(nullptr, 0, 0, &now));
  Time next(X509_time_adj_ex(nullptr, days, 0, &now));
  X509_CRL_set1_lastUpdate(crl.get(), last.get());
  X509_CRL_set1_nextUpdate(crl.get(), next.get());
  for (const auto& r : revoked) {
    BIGNUM* raw = nullptr;
    if (!BN_hex2bn(&raw, r.serial_hex.c_str())) {
      return Error::Invalid("serial_hex", "not_hex", "A certificate serial in hex.");
    }
    std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(raw);
    Integer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    std::time_t at = Seconds(r.revoked_at);
    Time when(X509_time_adj_ex(nullptr, 0, 0, &at));
    X509_REVOKED* entry = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(entry, serial.get());
    X509_REVOKED_set_revocationDate(entry, when.get());
    X509_CRL_add0_revoked(crl.get(), entry);
  }
  X509_CRL_sort(crl.get());
  if (!X509_CRL_sign(crl.get(), issuer_key.get(), EVP_sha256())) return Fail("signing the CRL");
  Bio out(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_X509_CRL(out.get(), crl.get())) return Fail("writing the CRL");
  return Drain(out.get());
}

}  // namespace chancery::pki
