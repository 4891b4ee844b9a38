#include "lib/pki/pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <memory>

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
  X509_set_issuer_name(cert.get(),
                       self_signed ? name : X509_get_subject_name(issuer_cert.get()));
  X509_set_pubkey(cert.get(), subject_key);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, self_signed ? cert.get() : issuer_cert.get(), cert.get(), nullptr, nullptr,
                 0);
  CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  switch (profile) {
    case Profile::kRootCa:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
      CHY_TRY_STATUS(
          AddExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
      break;
    case Profile::kPerson:
    case Profile::kOrganization:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_key_usage,
                                  "critical,digitalSignature,nonRepudiation"));
      // Document signing (RFC 9336) and e-mail protection, which CMS tools check.
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_ext_key_usage,
                                  "1.3.6.1.5.5.7.3.36,emailProtection"));
      break;
    case Profile::kTimestamping:
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
      CHY_TRY_STATUS(AddExtension(cert.get(), &ctx, NID_ext_key_usage, "critical,timeStamping"));
      break;
  }
  if (!X509_sign(cert.get(), issuer_key.get(), EVP_sha256())) return Fail("signing the certificate");

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

// The first subject entry `nid` of `cert` in UTF-8, "" if none.
std::string NameEntry(X509* cert, int nid) {
  X509_NAME* name = X509_get_subject_name(cert);
  const int loc = X509_NAME_get_index_by_NID(name, nid, -1);
  if (loc < 0) return "";
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, loc)));
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}
std::string CommonName(X509* cert) { return NameEntry(cert, NID_commonName); }

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
  return {SerialHex(X509_get_serialNumber(cert)), SubjectLine(cert),
          NameEntry(cert, NID_organizationIdentifier), FromAsn1Time(X509_get0_notBefore(cert)), FromAsn1Time(X509_get0_notAfter(cert)),
          (flags & EXFLAG_SS) != 0, (flags & EXFLAG_CA) != 0, Drain(pem.get()),
          DerSha256(cert)};
}

}  // namespace

Result<CertificateInfo> DescribeCertificate(const std::string& certificate_pem) {
  CHY_TRY(Cert cert, LoadCert(certificate_pem, "certificate"));
  return Describe(cert.get());
}

Result<std::vector<CertificateInfo>> DescribeCertificates(const std::string& pem_bundle) {
  Bio in = ReadBio(pem_bundle);
  std::vector<CertificateInfo> out;
  while (Cert cert{PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)}) out.push_back(Describe(cert.get()));
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

namespace {

void FreeAttributeStack(STACK_OF(X509_ATTRIBUTE)* s) { sk_X509_ATTRIBUTE_free(s); }
void FreeBytes(unsigned char* p) { OPENSSL_free(p); }
using BorrowedAttributes =  // the stack only: its elements belong to the SignerInfo
    std::unique_ptr<STACK_OF(X509_ATTRIBUTE), Deleter<FreeAttributeStack>>;
using OpenSslBytes = std::unique_ptr<unsigned char, Deleter<FreeBytes>>;

// PAdES baseline forbids the signingTime attribute, and OpenSSL 3.0's
// CMS_final always adds one: take it out and sign the remaining signed
// attributes again (their DER SET OF, as a verifier re-encodes them).
Status SignWithoutSigningTime(CMS_SignerInfo* si, EVP_PKEY* key) {
  if (const int loc = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1); loc >= 0) {
    X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, loc));
  }
  BorrowedAttributes attrs(sk_X509_ATTRIBUTE_new_null());
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    sk_X509_ATTRIBUTE_push(attrs.get(), CMS_signed_get_attr(si, i));
  }
  unsigned char* der = nullptr;
  const int der_len = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(attrs.get()), &der,
                                    ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
  if (der_len <= 0) return Fail("encoding the signed attributes");
  OpenSslBytes owned(der);
  std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>> md(EVP_MD_CTX_new());
  std::size_t sig_len = 0;
  if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &sig_len, der, static_cast<std::size_t>(der_len)) != 1) {
    return Fail("signing the signed attributes");
  }
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len, der,
                     static_cast<std::size_t>(der_len)) != 1 ||
      !ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(), static_cast<int>(sig_len))) {
    return Fail("signing the signed attributes");
  }
  return Ok();
}

}  // namespace

struct Signer::State {
  Key key;
  Cert cert;
  std::vector<Cert> chain;
  std::string key_type;  // "rsa" or "ec"
  std::string cert_pem;
  std::vector<std::string> chain_pems;
};

Result<Signer> Signer::Open(const std::string& certificate_pem, const KeyRef& key,
                            const std::vector<std::string>& chain) {
  auto state = std::make_shared<State>();
  CHY_TRY(state->cert, LoadCert(certificate_pem, "certificate"));
  CHY_TRY(state->key, LoadKey(key, "key"));
  if (X509_check_private_key(state->cert.get(), state->key.get()) != 1) {
    return Bad("key", "The key does not belong to the certificate.");
  }
  for (const auto& pem : chain) {
    CHY_TRY(Cert c, LoadCert(pem, "chain"));
    state->chain.push_back(std::move(c));
  }
  state->key_type = EVP_PKEY_get_base_id(X509_get0_pubkey(state->cert.get())) == EVP_PKEY_EC ? "ec" : "rsa";
  state->cert_pem = certificate_pem;
  state->chain_pems = chain;
  return Signer(std::move(state));
}

const std::string& Signer::key_type() const { return state_->key_type; }
const std::string& Signer::certificate_pem() const { return state_->cert_pem; }
const std::vector<std::string>& Signer::chain_pems() const { return state_->chain_pems; }

Result<std::string> Signer::SignRaw(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>> md(EVP_MD_CTX_new());
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, state_->key.get()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, in, data.size()) != 1) {
    return Fail("signing");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) != 1) {
    return Fail("signing");
  }
  sig.resize(len);
  return sig;
}

Result<std::string> Signer::SignDetached(std::string_view data, CmsProfile profile) const {
  constexpr unsigned kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  Cms cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags));
  if (!cms) return Fail("CMS");
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), state_->cert.get(), state_->key.get(), EVP_sha256(),
                                       kFlags | CMS_CADES);
  if (!si) return Fail("CMS signer");
  for (const auto& c : state_->chain) {
    if (!CMS_add1_cert(cms.get(), c.get())) return Fail("CMS chain");
  }
  Bio in = ReadBio(data);
  if (!CMS_final(cms.get(), in.get(), nullptr, kFlags)) return Fail("CMS signature");
  if (profile == CmsProfile::kPades) CHY_TRY_STATUS(SignWithoutSigningTime(si, state_->key.get()));
  Bio out(BIO_new(BIO_s_mem()));
  if (!i2d_CMS_bio(out.get(), cms.get())) return Fail("writing the CMS");
  return Drain(out.get());
}

Result<std::string> SignDetached(std::string_view data, const std::string& signer_cert_pem,
                                 const KeyRef& signer_key,
                                 const std::vector<std::string>& chain, CmsProfile profile) {
  CHY_TRY(Signer signer, Signer::Open(signer_cert_pem, signer_key, chain));
  return signer.SignDetached(data, profile);
}

namespace {

struct StampClock {
  Timestamp at;
  std::uint64_t serial;
};

ASN1_INTEGER* StampSerial(TS_RESP_CTX*, void* data) {
  ASN1_INTEGER* serial = ASN1_INTEGER_new();
  ASN1_INTEGER_set_uint64(serial, static_cast<StampClock*>(data)->serial);
  return serial;
}

int StampTime(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  const auto us = static_cast<StampClock*>(data)->at.time_since_epoch().count();
  *sec = static_cast<long>(us / 1000000);
  *usec = static_cast<long>(us % 1000000);
  return 1;
}

}  // namespace

namespace {

using TsResp = std::unique_ptr<TS_RESP, Deleter<TS_RESP_free>>;

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

// SHA-256 of the SignerInfo's signature value: what a signature time-stamp stamps.
std::string SignatureImprint(CMS_SignerInfo* si) {
  const ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(ASN1_STRING_get0_data(sig), static_cast<std::size_t>(ASN1_STRING_length(sig)), md, &n,
             EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), n);
}

}  // namespace

Result<std::string> SignatureTimestampRequest(std::string_view cms_der) {
  CHY_TRY(Cms cms, ReadCms(cms_der));
  CHY_TRY(CMS_SignerInfo* si, FirstSigner(cms.get()));
  const std::string imprint = SignatureImprint(si);
  std::unique_ptr<TS_REQ, Deleter<TS_REQ_free>> req(TS_REQ_new());
  std::unique_ptr<TS_MSG_IMPRINT, Deleter<TS_MSG_IMPRINT_free>> mi(TS_MSG_IMPRINT_new());
  std::unique_ptr<X509_ALGOR, Deleter<X509_ALGOR_free>> alg(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, Deleter<BN_free>> nonce_bn(BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
  Integer nonce(BN_to_ASN1_INTEGER(nonce_bn.get(), nullptr));
  if (!TS_MSG_IMPRINT_set_algo(mi.get(), alg.get()) ||
      !TS_MSG_IMPRINT_set_msg(mi.get(), reinterpret_cast<unsigned char*>(const_cast<char*>(imprint.data())),
                              static_cast<int>(imprint.size())) ||
      !TS_REQ_set_version(req.get(), 1) || !TS_REQ_set_msg_imprint(req.get(), mi.get()) ||
      !TS_REQ_set_nonce(req.get(), nonce.get()) || !TS_REQ_set_cert_req(req.get(), 1)) {
    return Fail("time-stamp request");
  }
  Bio out(BIO_new(BIO_s_mem()));
  if (!i2d_TS_REQ_bio(out.get(), req.get())) return Fail("writing the time-stamp request");
  return Drain(out.get());
}

Result<std::string> AttachSignatureTimestamp(std::string_view cms_der,
                                             std::string_view response_der) {
  CHY_TRY(Cms cms, ReadCms(cms_der));
  CHY_TRY(CMS_SignerInfo* si, FirstSigner(cms.get()));
  const auto* p = reinterpret_cast<const unsigned char*>(response_der.data());
  TsResp resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response_der.size())));
  if (!resp) return Bad("response", "Not a DER TimeStampResp.");
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  PKCS7* token = TS_RESP_get_token(resp.get());
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if ((status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) || !token || !info) {
    return Error::Invalid("response", "not_granted", "The TSA did not grant a time-stamp.");
  }
  const ASN1_OCTET_STRING* stamped = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info));
  const std::string imprint = SignatureImprint(si);
  if (stamped->length != static_cast<int>(imprint.size()) ||
      std::memcmp(stamped->data, imprint.data(), imprint.size()) != 0) {
    return Error::Invalid("response", "other_imprint", "The time-stamp is for other data.");
  }
  unsigned char* der = nullptr;
  const int len = i2d_PKCS7(token, &der);
  if (len <= 0) return Fail("time-stamp token");
  const int added = CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
                                                  V_ASN1_SEQUENCE, der, len);
  OPENSSL_free(der);
  if (!added) return Fail("time-stamp attribute");
  Bio out(BIO_new(BIO_s_mem()));
  if (!i2d_CMS_bio(out.get(), cms.get())) return Fail("writing the CMS");
  return Drain(out.get());
}

Result<std::string> StampResponse(std::string_view request_der, const std::string& tsa_cert_pem,
                                  const KeyRef& tsa_key, Timestamp at, std::uint64_t serial,
                                  std::string_view policy_oid) {
  {
    // Parse first: a request that is not DER is the caller's mistake, not a
    // rejection to be signed.
    const auto* p = reinterpret_cast<const unsigned char*>(request_der.data());
    std::unique_ptr<TS_REQ, Deleter<TS_REQ_free>> req(
        d2i_TS_REQ(nullptr, &p, static_cast<long>(request_der.size())));
    if (!req) return Bad("request", "Not a DER TimeStampReq.");
  }
  CHY_TRY(Cert cert, LoadCert(tsa_cert_pem, "tsa_certificate"));
  CHY_TRY(Key key, LoadKey(tsa_key, "tsa_key"));
  std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT_free>> policy(
      OBJ_txt2obj(std::string(policy_oid).c_str(), 1));
  if (!policy) return Error::Invalid("policy_oid", "not_an_oid", "A dotted OID.");
  std::unique_ptr<TS_RESP_CTX, Deleter<TS_RESP_CTX_free>> ctx(TS_RESP_CTX_new());
  StampClock clock{at, serial};
  if (!ctx || !TS_RESP_CTX_set_signer_cert(ctx.get(), cert.get()) ||
      !TS_RESP_CTX_set_signer_key(ctx.get(), key.get()) ||
      !TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256()) ||
      !TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) ||
      !TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) || !TS_RESP_CTX_add_md(ctx.get(), EVP_sha512()) ||
      !TS_RESP_CTX_set_accuracy(ctx.get(), 1, 0, 0)) {
    return Fail("TSA set-up");
  }
  TS_RESP_CTX_set_serial_cb(ctx.get(), StampSerial, &clock);
  TS_RESP_CTX_set_time_cb(ctx.get(), StampTime, &clock);
  Bio in = ReadBio(request_der);
  std::unique_ptr<TS_RESP, Deleter<TS_RESP_free>> resp(TS_RESP_create_response(ctx.get(), in.get()));
  if (!resp) return Fail("time-stamp response");
  Bio out(BIO_new(BIO_s_mem()));
  if (!i2d_TS_RESP_bio(out.get(), resp.get())) return Fail("writing the time-stamp response");
  return Drain(out.get());
}

namespace {

// The signature time-stamp of `si`, checked against the signature value and
// the trusted roots; nullopt when there is none. An invalid token is an
// error message in `*problem`.
std::optional<Timestamp> CheckSignatureTimestamp(CMS_SignerInfo* si, X509_STORE* roots,
                                                 std::string* problem) {
  const ASN1_STRING* attr = static_cast<const ASN1_STRING*>(CMS_unsigned_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), -3, V_ASN1_SEQUENCE));
  if (!attr) return std::nullopt;
  const unsigned char* p = ASN1_STRING_get0_data(attr);
  std::unique_ptr<PKCS7, Deleter<PKCS7_free>> token(d2i_PKCS7(nullptr, &p, ASN1_STRING_length(attr)));
  std::unique_ptr<TS_TST_INFO, Deleter<TS_TST_INFO_free>> info(
      token ? PKCS7_to_TS_TST_INFO(token.get()) : nullptr);
  if (!info) {
    *problem = "unreadable signature time-stamp";
    return std::nullopt;
  }
  const std::string imprint = SignatureImprint(si);
  std::unique_ptr<TS_VERIFY_CTX, Deleter<TS_VERIFY_CTX_free>> ctx(TS_VERIFY_CTX_new());
  auto* copy = static_cast<unsigned char*>(OPENSSL_memdup(imprint.data(), imprint.size()));
  TS_VERIFY_CTX_set_imprint(ctx.get(), copy, static_cast<long>(imprint.size()));  // takes it
  X509_STORE_up_ref(roots);
  TS_VERIFY_CTX_set_store(ctx.get(), roots);  // takes the reference
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
  if (TS_RESP_verify_token(ctx.get(), token.get()) != 1) {
    *problem = "signature time-stamp: " + OpenSslErrors();
    return std::nullopt;
  }
  return FromAsn1Time(TS_TST_INFO_get_time(info.get()));
}

}  // namespace

namespace {

std::optional<Timestamp> ClaimedSigningTime(CMS_SignerInfo* si) {
  const int loc = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (loc < 0) return std::nullopt;
  const ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, loc), 0);
  if (!t || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME)) return std::nullopt;
  return FromAsn1Time(t->value.asn1_string);
}

// The signed content for CMS_verify, behind a buffering filter: OpenSSL
// 3.0's CMS_verify copies a plain memory BIO and leaks the copy when the
// signature names a digest it cannot use (found by pki_fuzz).
Bio ContentBio(std::string_view data) {
  Bio chain(BIO_new(BIO_f_buffer()));
  BIO_push(chain.get(), ReadBio(data).release());
  return chain;
}

// ETSI EN 319 102-1 sub-indications for OpenSSL's chain errors.
void JudgeChainError(int error, Verification* v) {
  v->reason = X509_verify_cert_error_string(error);
  v->indication = kIndeterminate;
  switch (error) {
    case X509_V_ERR_CERT_REVOKED:
      v->indication = kTotalFailed;
      v->sub_indication = "REVOKED";
      v->revocation = "revoked";
      return;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      v->sub_indication = "OUT_OF_BOUNDS_NO_POE";
      return;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
      v->sub_indication = "TRY_LATER";
      v->revocation = "unknown";
      return;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      v->sub_indication = "NO_CERTIFICATE_CHAIN_FOUND";
      return;
    default:
      v->sub_indication = "CHAIN_CONSTRAINTS_FAILURE";
  }
}

// The signer's status in the CRLs its issuer signed, at `at` (the
// time-stamp when there is one). A revocation dated after `at` does not undo
// a signature proven to exist before it; CRLs issued after `at` count (that
// is how B-LT validation data, gathered after signing, works). No CRL from
// the issuer: unknown.
void JudgeRevocation(X509* signer, X509* issuer, const std::vector<Crl>& crls, Timestamp at,
                     Verification* v) {
  EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
  bool covered = false;
  for (const auto& crl : crls) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0 ||
        X509_CRL_verify(crl.get(), issuer_key) != 1) {
      continue;
    }
    covered = true;
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_serial(crl.get(), &entry, X509_get_serialNumber(signer)) == 1 &&
        FromAsn1Time(X509_REVOKED_get0_revocationDate(entry)) <= at) {
      v->indication = kTotalFailed;
      v->sub_indication = "REVOKED";
      v->revocation = "revoked";
      v->reason = "certificate revoked";
      return;
    }
  }
  ERR_clear_error();
  if (!covered) {
    v->indication = kIndeterminate;
    v->sub_indication = "TRY_LATER";
    v->revocation = "unknown";
    v->reason = "no revocation list from the signer's issuer";
  }
}

Result<std::vector<Crl>> LoadCrls(const std::vector<std::string>& crl_pems) {
  std::vector<Crl> crls;
  for (const auto& pem : crl_pems) {
    Bio bio = ReadBio(pem);
    crls.emplace_back(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crls.back()) return Bad("crl", "Not a PEM CRL.");
  }
  return crls;
}

// The chain of `signer` through `untrusted` to a root of `store`, and its
// revocation in `crls`, at `at`: fills `v`'s chain, revocation and, on
// failure, its indication; whether it passed.
Result<bool> JudgeChain(X509* signer, STACK_OF(X509)* untrusted, X509_STORE* store,
                        const std::vector<Crl>& crls, Timestamp at, Verification* v) {
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store);
  X509_VERIFY_PARAM_set_time(param, Seconds(at));
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  if (!X509_STORE_CTX_init(ctx.get(), store, signer, untrusted)) return Fail("chain context");
  if (X509_verify_cert(ctx.get()) != 1) {
    JudgeChainError(X509_STORE_CTX_get_error(ctx.get()), v);
    ERR_clear_error();
    return false;
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(chain); ++i) v->chain.push_back(SubjectLine(sk_X509_value(chain, i)));
  if (sk_X509_num(chain) > 1 && !crls.empty()) {
    JudgeRevocation(signer, sk_X509_value(chain, 1), crls, at, v);
    if (v->revocation != "good") return false;
  }
  return true;
}

}  // namespace

Result<Verification> VerifyCertificate(const std::string& certificate_pem,
                                       const std::vector<std::string>& chain_pems,
                                       const std::vector<std::string>& trusted_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at) {
  CHY_TRY(Cert cert, LoadCert(certificate_pem, "certificate"));
  Certs untrusted(sk_X509_new_null());
  for (const auto& pem : chain_pems) {
    CHY_TRY(Cert c, LoadCert(pem, "chain"));
    if (!sk_X509_push(untrusted.get(), c.get())) return Fail("chain");
    c.release();  // the stack owns it now
  }
  Store store(X509_STORE_new());
  for (const auto& pem : trusted_pems) {
    CHY_TRY(Cert c, LoadCert(pem, "trusted"));
    X509_STORE_add_cert(store.get(), c.get());
  }
  CHY_TRY(std::vector<Crl> crls, LoadCrls(crl_pems));
  Verification v;
  v.revocation = crls.empty() ? "not_checked" : "good";
  v.signer_subject = SubjectLine(cert.get());
  v.signer_common_name = CommonName(cert.get());
  v.signer_serial_hex = SerialHex(X509_get_serialNumber(cert.get()));
  CHY_TRY(const bool chained, JudgeChain(cert.get(), untrusted.get(), store.get(), crls, at, &v));
  if (chained) {
    v.valid = true;
    v.indication = kTotalPassed;
  }
  ERR_clear_error();
  return v;
}

Result<Verification> VerifyDetached(std::string_view cms_der, std::string_view data,
                                    const std::vector<std::string>& trusted_pems,
                                    const std::vector<std::string>& crl_pems, Timestamp at) {
  CHY_TRY(Cms cms, ReadCms(cms_der));
  CHY_TRY(CMS_SignerInfo* si, FirstSigner(cms.get()));
  Store store(X509_STORE_new());
  Store tsa_roots(X509_STORE_new());
  for (const auto& pem : trusted_pems) {
    CHY_TRY(Cert c, LoadCert(pem, "trusted"));
    X509_STORE_add_cert(store.get(), c.get());
    X509_STORE_add_cert(tsa_roots.get(), c.get());
  }
  CHY_TRY(std::vector<Crl> crls, LoadCrls(crl_pems));
  Verification v;
  v.level = "B-B";
  v.revocation = crl_pems.empty() ? "not_checked" : "good";
  v.claimed_signing_time = ClaimedSigningTime(si);
  auto verdict = [&](std::string_view indication, std::string sub, std::string reason) {
    v.indication = indication;
    v.sub_indication = std::move(sub);
    v.reason = std::move(reason);
    ERR_clear_error();
    return v;
  };

  // The signer, named even when the signature does not verify: the
  // certificate the (first) SignerInfo points at.
  Certs certs(CMS_get1_certs(cms.get()));
  X509* signer = nullptr;
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
    if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs.get(), i)) == 0) {
      signer = sk_X509_value(certs.get(), i);
      v.signer_subject = SubjectLine(signer);
      v.signer_common_name = CommonName(signer);
      v.signer_serial_hex = SerialHex(X509_get_serialNumber(signer));
      break;
    }
  }
  if (!signer) return verdict(kIndeterminate, "NO_SIGNING_CERTIFICATE_FOUND", "The signer's certificate is not in the signature.");

  // 1. The signature and the digest of the data, chain aside.
  ERR_clear_error();
  {
    Bio content = ContentBio(data);
    if (CMS_verify(cms.get(), nullptr, nullptr, content.get(), nullptr,
                   CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
      const bool digest = ERR_GET_REASON(ERR_peek_last_error()) == CMS_R_CONTENT_VERIFY_ERROR;
      return verdict(kTotalFailed, digest ? "HASH_FAILURE" : "SIG_CRYPTO_FAILURE", OpenSslErrors());
    }
  }

  // 2. A valid signature time-stamp fixes when the signature existed: the
  // chain is judged then. (The TSA's own chain is checked now, by roots
  // without CRLs.)
  X509_VERIFY_PARAM_set_purpose(X509_STORE_get0_param(tsa_roots.get()), X509_PURPOSE_TIMESTAMP_SIGN);
  std::string problem;
  v.timestamped_at = CheckSignatureTimestamp(si, tsa_roots.get(), &problem);
  if (!problem.empty()) return verdict(kTotalFailed, "TIMESTAMP_FAILURE", problem);
  if (v.timestamped_at) {
    v.level = "B-T";
    at = *v.timestamped_at;
  }

  // 3. The signer's chain to a trusted root, and revocation, at that time.
  CHY_TRY(const bool chained, JudgeChain(signer, certs.get(), store.get(), crls, at, &v));
  if (!chained) return v;

  // 4. The ESS signing-certificate attribute, when the signature has one,
  // must name the certificate that signed (CAdES).
  if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0 ||
      CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificate, -1) >= 0) {
    Bio content = ContentBio(data);
    if (CMS_verify(cms.get(), nullptr, store.get(), content.get(), nullptr,
                   CMS_BINARY | CMS_CADES) != 1) {
      return verdict(kTotalFailed, "FORMAT_FAILURE", OpenSslErrors());
    }
  }
  v.valid = true;
  return verdict(kTotalPassed, "", "");
}

}  // namespace chancery::pki
