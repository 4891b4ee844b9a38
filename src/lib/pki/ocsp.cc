#include "lib/pki/ocsp.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "lib/pki/openssl_util.h"

namespace chancery::pki {

namespace {

using namespace internal;
using namespace std::chrono_literals;

using Request = std::unique_ptr<OCSP_REQUEST, Deleter<OCSP_REQUEST_free>>;
using Response = std::unique_ptr<OCSP_RESPONSE, Deleter<OCSP_RESPONSE_free>>;
using BasicResponse = std::unique_ptr<OCSP_BASICRESP, Deleter<OCSP_BASICRESP_free>>;
using CertId = std::unique_ptr<OCSP_CERTID, Deleter<OCSP_CERTID_free>>;

// How far a responder's clock may be from ours.
constexpr auto kSkew = 5min;

// A response we could read but must not believe.
Error Untrusted(std::string what) {
  ERR_clear_error();
  return Error::Invalid("response", "ocsp_invalid", std::move(what));
}

const unsigned char* Bytes(std::string_view der) {
  return reinterpret_cast<const unsigned char*>(der.data());
}

// `cert` and the issuer it names, which must really have issued it.
Result<std::pair<Cert, Cert>> LoadPair(const std::string& cert_pem, const std::string& issuer_pem) {
  CHY_TRY(Cert cert, LoadCert(cert_pem, "certificate"));
  CHY_TRY(Cert issuer, LoadCert(issuer_pem, "issuer_certificate"));
  if (X509_check_issued(issuer.get(), cert.get()) != X509_V_OK) {
    return Error::Invalid("issuer_certificate", "not_issuer",
                          "This is not the certificate's issuer.");
  }
  return std::pair{std::move(cert), std::move(issuer)};
}

Time MakeTime(Timestamp t, std::chrono::seconds offset = 0s) {
  std::time_t from = Seconds(t);
  return Time(X509_time_adj_ex(nullptr, 0, static_cast<long>(offset.count()), &from));
}

// The digest a CertID was hashed with; null for one OpenSSL does not know.
const EVP_MD* CertIdDigest(const OCSP_CERTID* id) {
  ASN1_OBJECT* md = nullptr;
  OCSP_id_get0_info(nullptr, &md, nullptr, nullptr, const_cast<OCSP_CERTID*>(id));
  return md ? EVP_get_digestbyobj(md) : nullptr;
}

}  // namespace

Result<std::string> OcspRespond(
    std::string_view request_der, const Issuer& issuer,
    const std::function<CertState(const std::string& serial_hex)>& lookup, Timestamp at,
    std::chrono::seconds validity) {
  // Parse first: a request that is not DER is the caller's mistake, not
  // something to sign an answer to.
  const unsigned char* p = Bytes(request_der);
  Request request(d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(request_der.size())));
  if (!request) return Bad("request", "Not a DER OCSPRequest.");
  const int count = OCSP_request_onereq_count(request.get());
  if (count < 1) return Bad("request", "The OCSPRequest asks about no certificate.");
  if (validity <= 0s) return Error::Invalid("validity", "out_of_range", "A positive validity.");
  CHY_TRY(Cert cert, LoadCert(issuer.certificate_pem, "issuer_certificate"));
  CHY_TRY(Key key, LoadKey(issuer.key, "issuer_key"));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return Bad("issuer_key", "The key does not belong to the certificate.");
  }

  Time this_update = MakeTime(at), next_update = MakeTime(at, validity);
  BasicResponse basic(OCSP_BASICRESP_new());
  if (!this_update || !next_update || !basic) return Fail("OCSP response");
  for (int i = 0; i < count; ++i) {
    OCSP_CERTID* id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(request.get(), i));
    // A CertID that parsed but does not survive a copy (written and read
    // back: a malformed digest algorithm's parameters) cannot be put in an
    // answer: the request is at fault.
    if (!CertId(OCSP_CERTID_dup(id))) {
      return Bad("request", "A certificate id in the OCSPRequest is malformed.");
    }
    // Ours only if the issuer name and key hashes are those of our
    // certificate, under the digest the client chose.
    const EVP_MD* md = CertIdDigest(id);
    CertId ours(md ? OCSP_cert_to_id(md, nullptr, cert.get()) : nullptr);
    CertState state;
    if (ours && OCSP_id_issuer_cmp(ours.get(), id) == 0) {
      ASN1_INTEGER* serial = nullptr;
      OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, id);
      state = lookup(SerialHex(serial));
    }
    int status = V_OCSP_CERTSTATUS_UNKNOWN;
    Time revoked;
    if (state.status == CertStatus::kGood) status = V_OCSP_CERTSTATUS_GOOD;
    if (state.status == CertStatus::kRevoked) {
      status = V_OCSP_CERTSTATUS_REVOKED;
      revoked = MakeTime(state.revoked_at.value_or(at));
    }
    if (!OCSP_basic_add1_status(basic.get(), id, status, OCSP_REVOKED_STATUS_NOSTATUS,
                                revoked.get(), this_update.get(), next_update.get())) {
      return Fail("OCSP single response");
    }
  }
  if (!OCSP_copy_nonce(basic.get(), request.get())) return Fail("OCSP nonce");
  // Responder ID by name, the CA's certificate included; producedAt is now.
  if (!OCSP_basic_sign(basic.get(), cert.get(), key.get(), EVP_sha256(), nullptr, 0)) {
    return Fail("signing the OCSP response");
  }
  Response response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  if (!response) return Fail("OCSP response");
  return Der(response.get(), i2d_OCSP_RESPONSE, "writing the OCSP response");
}

Result<std::string> OcspRequest(const std::string& cert_pem, const std::string& issuer_pem,
                                bool nonce) {
  CHY_TRY(auto pair, LoadPair(cert_pem, issuer_pem));
  Request request(OCSP_REQUEST_new());
  CertId id(OCSP_cert_to_id(EVP_sha1(), pair.first.get(), pair.second.get()));
  if (!request || !id || !OCSP_request_add0_id(request.get(), id.get())) {
    return Fail("OCSP request");
  }
  id.release();  // the request owns it now
  if (nonce && !OCSP_request_add1_nonce(request.get(), nullptr, -1)) return Fail("OCSP nonce");
  return Der(request.get(), i2d_OCSP_REQUEST, "writing the OCSP request");
}

Result<OcspAnswer> CheckOcspResponse(std::string_view response_der, const std::string& cert_pem,
                                     const std::string& issuer_pem,
                                     const std::vector<std::string>& trusted_pems, Timestamp at) {
  const unsigned char* p = Bytes(response_der);
  Response response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(response_der.size())));
  if (!response) {
    ERR_clear_error();
    return Error::Invalid("response", "ocsp_unreadable", "Not a DER OCSPResponse.");
  }
  const int status = OCSP_response_status(response.get());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return Untrusted(std::string("The responder did not answer: ") +
                     OCSP_response_status_str(status) + ".");
  }
  BasicResponse basic(OCSP_response_get1_basic(response.get()));
  if (!basic) {
    ERR_clear_error();
    return Error::Invalid("response", "ocsp_unreadable", "No basic OCSP response inside.");
  }
  CHY_TRY(auto pair, LoadPair(cert_pem, issuer_pem));
  auto& [cert, issuer] = pair;
  Store store(X509_STORE_new());
  for (const auto& pem : trusted_pems) {
    CHY_TRY(Cert c, LoadCert(pem, "trusted"));
    X509_STORE_add_cert(store.get(), c.get());
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), Seconds(at));

  // The signature, the signer's chain to a trusted root at `at`, and that
  // the signer is the CA of the CertIDs or its delegated OCSP responder.
  // The issuer is offered as a candidate signer, for responses that carry
  // no certificates. OCSP_NOEXPLICIT: a trusted root is no licence to
  // answer for another CA's certificates.
  Certs candidates(sk_X509_new_null());
  if (!candidates || !X509_up_ref(issuer.get())) return Fail("OCSP verification");
  sk_X509_push(candidates.get(), issuer.get());
  if (OCSP_basic_verify(basic.get(), candidates.get(), store.get(), OCSP_NOEXPLICIT) != 1) {
    // A signer that checks out but answers for another CA leaves no error.
    return Untrusted("The OCSP response is not signed by the issuer or its responder: " +
                     (ERR_peek_error()
                          ? OpenSslErrors()
                          : "the signer is not the CA of the certificates it answers for"));
  }

  // The SingleResponse for this certificate, under whatever digest the
  // responder hashed its CertID with.
  OCSP_SINGLERESP* single = nullptr;
  for (int i = 0; i < OCSP_resp_count(basic.get()) && !single; ++i) {
    OCSP_SINGLERESP* s = OCSP_resp_get0(basic.get(), i);
    const OCSP_CERTID* id = OCSP_SINGLERESP_get0_id(s);
    const EVP_MD* md = CertIdDigest(id);
    CertId ours(md ? OCSP_cert_to_id(md, cert.get(), issuer.get()) : nullptr);
    if (ours && OCSP_id_cmp(ours.get(), id) == 0) single = s;
  }
  if (!single) return Untrusted("The OCSP response says nothing about this certificate.");

  int reason = 0;
  ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
  const int state = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
  if (state < 0 || !this_update) return Untrusted("The OCSP single response has no status.");
  OcspAnswer answer;
  answer.this_update = FromAsn1Time(this_update);
  if (next_update) answer.next_update = FromAsn1Time(next_update);
  if (answer.this_update > at + kSkew) {
    return Untrusted("The OCSP response is not valid yet: thisUpdate " +
                     FormatTimestamp(answer.this_update) + ".");
  }
  if (answer.next_update && *answer.next_update < answer.this_update) {
    return Untrusted("The OCSP response's nextUpdate precedes its thisUpdate.");
  }
  if (answer.next_update && *answer.next_update + kSkew < at) {
    return Untrusted("The OCSP response is out of date: nextUpdate " +
                     FormatTimestamp(*answer.next_update) + ".");
  }
  switch (state) {
    case V_OCSP_CERTSTATUS_GOOD:
      answer.state.status = CertStatus::kGood;
      break;
    case V_OCSP_CERTSTATUS_REVOKED:
      answer.state.status = CertStatus::kRevoked;
      if (revoked) answer.state.revoked_at = FromAsn1Time(revoked);
      break;
    default:
      answer.state.status = CertStatus::kUnknown;
  }
  X509* signer = nullptr;
  if (OCSP_resp_get0_signer(basic.get(), &signer, candidates.get()) == 1 && signer) {
    answer.responder = SubjectLine(signer);
  }
  ERR_clear_error();
  return answer;
}

}  // namespace chancery::pki
