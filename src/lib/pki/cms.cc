// CMS signatures (CAdES B-B, and the PAdES profile) and RFC 3161
// signature time-stamps: asking for one, attaching it, and answering as a TSA.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>

#include "lib/pki/openssl_util.h"
#include "lib/pki/pki.h"

namespace chancery::pki {

namespace {

using namespace internal;

void FreeAttributeStack(STACK_OF(X509_ATTRIBUTE) * s) { sk_X509_ATTRIBUTE_free(s); }
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
  state->key_type =
      EVP_PKEY_get_base_id(X509_get0_pubkey(state->cert.get())) == EVP_PKEY_EC ? "ec" : "rsa";
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
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    return Fail("signing");
  }
  sig.resize(len);
  return sig;
}

Result<std::string> Signer::SignDetached(std::string_view data, CmsProfile profile) const {
  constexpr unsigned kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  Cms cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags));
  if (!cms) return Fail("CMS");
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), state_->cert.get(), state_->key.get(),
                                       EVP_sha256(), kFlags | CMS_CADES);
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
                                 const KeyRef& signer_key, const std::vector<std::string>& chain,
                                 CmsProfile profile) {
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

using TsResp = std::unique_ptr<TS_RESP, Deleter<TS_RESP_free>>;

}  // namespace

Result<std::string> SignatureTimestampRequest(std::string_view cms_der) {
  CHY_TRY(Cms cms, ReadCms(cms_der));
  CHY_TRY(CMS_SignerInfo * si, FirstSigner(cms.get()));
  const std::string imprint = SignatureImprint(si);
  std::unique_ptr<TS_REQ, Deleter<TS_REQ_free>> req(TS_REQ_new());
  std::unique_ptr<TS_MSG_IMPRINT, Deleter<TS_MSG_IMPRINT_free>> mi(TS_MSG_IMPRINT_new());
  std::unique_ptr<X509_ALGOR, Deleter<X509_ALGOR_free>> alg(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, Deleter<BN_free>> nonce_bn(
      BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
  Integer nonce(BN_to_ASN1_INTEGER(nonce_bn.get(), nullptr));
  if (!TS_MSG_IMPRINT_set_algo(mi.get(), alg.get()) ||
      !TS_MSG_IMPRINT_set_msg(mi.get(),
                              reinterpret_cast<unsigned char*>(const_cast<char*>(imprint.data())),
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
  CHY_TRY(CMS_SignerInfo * si, FirstSigner(cms.get()));
  const auto* p = reinterpret_cast<const unsigned char*>(response_der.data());
  TsResp resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response_der.size())));
  if (!resp) return Bad("response", "Not a DER TimeStampResp.");
  const long status =
      ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
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
  const int added =
      CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, der, len);
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
      !TS_RESP_CTX_add_md(ctx.get(), EVP_sha256()) ||
      !TS_RESP_CTX_add_md(ctx.get(), EVP_sha512()) ||
      !TS_RESP_CTX_set_accuracy(ctx.get(), 1, 0, 0)) {
    return Fail("TSA set-up");
  }
  TS_RESP_CTX_set_serial_cb(ctx.get(), StampSerial, &clock);
  TS_RESP_CTX_set_time_cb(ctx.get(), StampTime, &clock);
  Bio in = ReadBio(request_der);
  std::unique_ptr<TS_RESP, Deleter<TS_RESP_free>> resp(
      TS_RESP_create_response(ctx.get(), in.get()));
  if (!resp) return Fail("time-stamp response");
  Bio out(BIO_new(BIO_s_mem()));
  if (!i2d_TS_RESP_bio(out.get(), resp.get())) return Fail("writing the time-stamp response");
  return Drain(out.get());
}

}  // namespace chancery::pki
