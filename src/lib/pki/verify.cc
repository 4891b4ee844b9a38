// Verification: a detached CMS signature (its digest, signature time-stamp,
// signer's chain and revocation, ESS signing-certificate), or a certificate
// alone, judged as ETSI EN 319 102-1 indications.
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>

#include "lib/pki/openssl_util.h"
#include "lib/pki/pki.h"

namespace chancery::pki {

namespace {

using namespace internal;

// The signature time-stamp of `si`, checked against the signature value and
// the trusted roots; nullopt when there is none. An invalid token is an
// error message in `*problem`.
std::optional<Timestamp> CheckSignatureTimestamp(CMS_SignerInfo* si, X509_STORE* roots,
                                                 std::string* problem) {
  const ASN1_STRING* attr = static_cast<const ASN1_STRING*>(CMS_unsigned_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), -3, V_ASN1_SEQUENCE));
  if (!attr) return std::nullopt;
  const unsigned char* p = ASN1_STRING_get0_data(attr);
  std::unique_ptr<PKCS7, Deleter<PKCS7_free>> token(
      d2i_PKCS7(nullptr, &p, ASN1_STRING_length(attr)));
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
Result<bool> JudgeChain(X509* signer, STACK_OF(X509) * untrusted, X509_STORE* store,
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
  for (int i = 0; i < sk_X509_num(chain); ++i)
    v->chain.push_back(SubjectLine(sk_X509_value(chain, i)));
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
  CHY_TRY(CMS_SignerInfo * si, FirstSigner(cms.get()));
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
  if (!signer)
    return verdict(kIndeterminate, "NO_SIGNING_CERTIFICATE_FOUND",
                   "The signer's certificate is not in the signature.");

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
  X509_VERIFY_PARAM_set_purpose(X509_STORE_get0_param(tsa_roots.get()),
                                X509_PURPOSE_TIMESTAMP_SIGN);
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
