// OCSP (RFC 6960) on OpenSSL 3: the node's CA answers status requests for
// the certificates it issued, and responses from any responder are checked
// before a certificate's status is believed. As in pki.h, nothing here is
// hand-written cryptography: requests, responses, signatures and chains are
// all OpenSSL's OCSP API.
//
// Requests and responses travel as DER (application/ocsp-request and
// application/ocsp-response); certificates as PEM. Times are the world's
// Timestamps, so tests can answer "last week".
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"
#include "lib/pki/pki.h"

namespace chancery::pki {

enum class CertStatus { kGood, kRevoked, kUnknown };

// What the CA knows of one certificate. A revoked one without a time is
// answered as revoked at the response's thisUpdate.
struct CertState {
  CertStatus status = CertStatus::kUnknown;
  std::optional<Timestamp> revoked_at;
};

// Answers a DER OCSPRequest for certificates issued by `issuer`, whose
// certificate and key sign the response (the CA answers itself; the
// responder is named by its subject and its certificate is included). Each
// serial (upper-case hex, as Issued::serial_hex) is looked up through
// `lookup`; a CertID naming another issuer, or hashed with a digest OpenSSL
// does not know, is answered "unknown" without a look-up. thisUpdate is
// `at`, nextUpdate `at + validity`; producedAt is OpenSSL's clock. A nonce
// in the request is echoed. A request that is not DER, or asks about
// nothing, is kInvalidArgument.
Result<std::string> OcspRespond(
    std::string_view request_der, const Issuer& issuer,
    const std::function<CertState(const std::string& serial_hex)>& lookup, Timestamp at,
    std::chrono::seconds validity = std::chrono::hours(24));

// A DER OCSPRequest for `cert_pem`, issued by `issuer_pem`: one SHA-1
// CertID (as RFC 6960 clients send), and a random nonce unless `nonce` is
// false. A certificate `issuer_pem` did not issue is kInvalidArgument.
Result<std::string> OcspRequest(const std::string& cert_pem, const std::string& issuer_pem,
                                bool nonce = true);

struct OcspAnswer {
  CertState state;
  Timestamp this_update{};
  std::optional<Timestamp> next_update;
  std::string responder;  // the signing certificate's subject, RFC 2253, UTF-8
};

// Checks a DER OCSPResponse about `cert_pem` (issued by `issuer_pem`): the
// response status is successful; it is signed by the issuer, or by a
// delegated responder the issuer certified for id-kp-OCSPSigning, with a
// chain to one of `trusted_pems` valid at `at`; it has a SingleResponse for
// the certificate's CertID (any digest); and `at` lies within
// thisUpdate..nextUpdate, 5 minutes of clock skew allowed. A response that
// fails is kInvalidArgument with code "ocsp_invalid" and the reason; one
// that cannot be read, "ocsp_unreadable". (The nonce is not checked: the
// caller holding the request may compare it.)
Result<OcspAnswer> CheckOcspResponse(std::string_view response_der, const std::string& cert_pem,
                                     const std::string& issuer_pem,
                                     const std::vector<std::string>& trusted_pems, Timestamp at);

}  // namespace chancery::pki
