// Certificates and CMS signatures with OpenSSL 3: the node's own small CA
// (keys, certificates for persons and organisations, revocation lists) and
// detached CAdES signatures over any file, verified against trusted roots
// and CRLs. Nothing here is hand-written cryptography: every primitive is
// OpenSSL's.
//
// Keys and certificates travel as PEM text; a private key PEM may be
// encrypted (AES-256-CBC, PKCS#8) with a passphrase. Times are the world's
// Timestamps, so tests can issue a certificate "last year".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"

namespace chancery::pki {

// The policy our TSA stamps under unless told otherwise (an OID of the
// node's own arc, to be replaced by the agency's registered policy).
inline constexpr std::string_view kDefaultTsaPolicy = "1.3.6.1.4.1.99999.3161.1";

// How a private key is kept under its passphrase.
enum class KeyWrap {
  // PKCS#8, AES-256-CBC with OpenSSL's PBKDF2: for the node's keys under a
  // long random secret, opened once and kept.
  kPkcs8,
  // For keys under a short PIN (a person's signing key): the key-encryption
  // key derived by argon2id (memory-hard, as for passwords), the PKCS#8 DER
  // sealed with AES-256-GCM; PEM label "CHANCERY ENCRYPTED PRIVATE KEY".
  kArgon2idGcm,
};

// An RSA-2048 private key as PEM, encrypted when `passphrase` is not empty.
Result<std::string> GenerateKey(std::string_view passphrase, KeyWrap wrap = KeyWrap::kPkcs8);

// The same PEM private key encrypted under `new_passphrase` (either wrap
// is read); a wrong `old_passphrase` is kInvalidArgument.
Result<std::string> ChangePassphrase(const std::string& key_pem, std::string_view old_passphrase,
                                     std::string_view new_passphrase,
                                     KeyWrap wrap = KeyWrap::kPkcs8);

// Where a private key lives: a PEM file's text (for development), or a
// PKCS#11 token (SoftHSM2 in tests, a USB token or HSM in service), where it
// is used in place and never read out.
struct KeyRef {
  std::string pem;            // PEM private key; empty for a token key
  std::string secret;         // the PEM's passphrase, or the token's user PIN
  std::string pkcs11_uri;     // RFC 7512: "pkcs11:token=node;object=seal;type=private"
  std::string pkcs11_module;  // the token's module, e.g. SoftHSM2's libsofthsm2.so

  static KeyRef Pem(std::string pem, std::string passphrase = "") {
    return {std::move(pem), std::move(passphrase), "", ""};
  }
  static KeyRef Token(std::string uri, std::string module, std::string pin) {
    return {"", std::move(pin), std::move(uri), std::move(module)};
  }
};

// The public half of a key, as PEM (SubjectPublicKeyInfo): what a
// certificate for it certifies.
Result<std::string> PublicKeyPem(const KeyRef& key);

// A distinguished name; UTF-8 throughout ("Phạm Quốc Trưởng").
struct Subject {
  std::string common_name;
  std::string organization;         // O: the agency
  std::string organizational_unit;  // OU: the unit, for persons
  std::string organization_id;      // organizationIdentifier: the agency code
  std::string country = "VN";
};

enum class Profile {
  kRootCa,        // self-signed, CA:TRUE, keyCertSign + cRLSign
  kPerson,        // a person's signing certificate: digitalSignature + nonRepudiation
  kOrganization,  // the agency's seal: digitalSignature + nonRepudiation
  kTimestamping,  // an RFC 3161 TSA: critical EKU timeStamping
};

// Who signs a certificate or CRL. An empty `certificate_pem` with kRootCa
// means self-signed by `key`.
struct Issuer {
  std::string certificate_pem;
  KeyRef key;
};

struct Issued {
  std::string certificate_pem;
  std::string serial_hex;  // upper-case hex, as CRLs and reports show it
};

// Certifies `subject_public_key_pem` (see PublicKeyPem) for `days` from
// `not_before`. A self-signed root certifies its own key's public half.
Result<Issued> Issue(const Issuer& issuer, const Subject& subject,
                     const std::string& subject_public_key_pem, Profile profile,
                     Timestamp not_before, int days);

// A new certificate (new serial and validity) for the subject and public key
// of `certificate_pem`: renewal without a new key.
Result<Issued> Recertify(const Issuer& issuer, const std::string& certificate_pem, Profile profile,
                         Timestamp not_before, int days);

struct CertificateInfo {
  std::string serial_hex;
  std::string subject;          // RFC 2253, UTF-8
  std::string organization_id;  // organizationIdentifier (the agency code), "" if none
  Timestamp not_before{}, not_after{};
  bool self_signed = false;  // a root
  bool ca = false;           // basicConstraints CA:TRUE
  std::string pem;           // this certificate alone
  std::string sha256;        // fingerprint: SHA-256 of the DER, lower hex
};
Result<CertificateInfo> DescribeCertificate(const std::string& certificate_pem);
// Every certificate of a PEM bundle (a root and its intermediates), in order;
// no certificate at all is kInvalidArgument.
Result<std::vector<CertificateInfo>> DescribeCertificates(const std::string& pem_bundle);

struct Revoked {
  std::string serial_hex;
  Timestamp revoked_at{};
};

// A CRL (PEM) signed by `issuer`, valid from `this_update` for `days`.
Result<std::string> MakeCrl(const Issuer& issuer, const std::vector<Revoked>& revoked,
                            Timestamp this_update, int days);

// Which signed attributes a CMS signature carries.
enum class CmsProfile {
  kCades,  // content type, message digest, ESS signing-certificate-v2, signing time
  kPades,  // the same without signing time: PAdES puts the claimed time in the PDF's /M
};

// A detached CAdES-BES (B-B) signature over `data`: DER CMS SignedData with
// the signer's certificate, `chain` (intermediates), and the signed
// attributes of `profile`. `openssl cms -verify -cades` accepts it.
Result<std::string> SignDetached(std::string_view data, const std::string& signer_cert_pem,
                                 const KeyRef& signer_key,
                                 const std::vector<std::string>& chain = {},
                                 CmsProfile profile = CmsProfile::kCades);

// The verdict on one signature, in the terms of ETSI EN 319 102-1 (as the
// EU DSS validation report uses them).
inline constexpr std::string_view kTotalPassed = "TOTAL_PASSED";
inline constexpr std::string_view kTotalFailed = "TOTAL_FAILED";
inline constexpr std::string_view kIndeterminate = "INDETERMINATE";

// A key and its certificate opened once, to sign many documents — a seal
// signing a day's batch: SignDetached without parsing the key (or logging in
// to the token) and the certificate again for each. Copies share the opened
// key; signing from several threads at once is safe for PEM keys (token keys
// serialise on their token). A token key stays logged in while a Signer
// holding it lives: keep a person's Signer only for one signature.
class Signer {
 public:
  static Result<Signer> Open(const std::string& certificate_pem, const KeyRef& key,
                             const std::vector<std::string>& chain = {});
  Result<std::string> SignDetached(std::string_view data,
                                   CmsProfile profile = CmsProfile::kCades) const;
  // A bare signature over `data` for formats that build their own signed
  // structure (XML-DSig's SignedInfo): RSA PKCS#1 v1.5 with SHA-256, or
  // ECDSA with SHA-256 (DER Ecdsa-Sig-Value) for an EC key. Token keys sign
  // in their token.
  Result<std::string> SignRaw(std::string_view data) const;
  // "rsa" or "ec": which signature SignRaw makes.
  const std::string& key_type() const;
  const std::string& certificate_pem() const;
  const std::vector<std::string>& chain_pems() const;  // as given to Open, PEM each

  struct State;  // the opened key, the parsed certificate and chain (pki.cc)

 private:
  explicit Signer(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

struct Verification {
  bool valid = false;          // indication == TOTAL_PASSED
  std::string indication;      // kTotalPassed, kTotalFailed or kIndeterminate
  std::string sub_indication;  // HASH_FAILURE, SIG_CRYPTO_FAILURE, REVOKED,
                               // OUT_OF_BOUNDS_NO_POE, NO_CERTIFICATE_CHAIN_FOUND,
                               // TRY_LATER, FORMAT_FAILURE, CHAIN_CONSTRAINTS_FAILURE
  std::string reason;          // why not, in words of OpenSSL's verifier
  std::string signer_subject;  // RFC 2253, UTF-8
  std::string signer_common_name;
  std::string signer_serial_hex;
  std::vector<std::string> chain;  // subjects from the signer up to the trusted root
  std::string revocation;          // "good", "revoked" or "not_checked" (no CRL given)
  std::string level;               // "B-B", or "B-T" with a valid time-stamp
  std::optional<Timestamp> claimed_signing_time;  // the signingTime attribute, if any
  std::optional<Timestamp> timestamped_at;
};

// Checks a detached CMS over `data`: the signature, the ESS attribute, and
// the signer's chain up to one of `trusted_pems`, against `crl_pems` when
// given. The chain is judged at the time of a valid signature time-stamp
// (B-T) if there is one — a certificate that expired or was revoked later
// does not undo the signature — and at `at` otherwise. A well-formed but
// failing signature is a Verification with valid = false; only unreadable
// input is an error.
Result<Verification> VerifyDetached(std::string_view cms_der, std::string_view data,
                                    const std::vector<std::string>& trusted_pems,
                                    const std::vector<std::string>& crl_pems, Timestamp at);

// The chain of a certificate met outside CMS (an XML signature's X509Data):
// `certificate_pem` up to one of `trusted_pems` through `chain_pems`
// (intermediates, untrusted), at time `at`, against `crl_pems` when given.
// The same judgement as step 3 of VerifyDetached: `valid`, `indication`,
// `sub_indication` (NO_CERTIFICATE_CHAIN_FOUND, REVOKED,
// OUT_OF_BOUNDS_NO_POE, TRY_LATER, ...), `revocation`, the signer's names
// and `chain`; `level` stays empty. Unreadable PEM is an error.
Result<Verification> VerifyCertificate(const std::string& certificate_pem,
                                       const std::vector<std::string>& chain_pems,
                                       const std::vector<std::string>& trusted_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at);

// CAdES B-T, in two steps so that the TSA can be anywhere: the TimeStampReq
// (DER, SHA-256, certificate requested) for the first signer's signature
// value, and the signature with the TSA's granted response attached as the
// signature-time-stamp unsigned attribute. A response that is not granted,
// or stamps another imprint, is refused.
Result<std::string> SignatureTimestampRequest(std::string_view cms_der);
Result<std::string> AttachSignatureTimestamp(std::string_view cms_der,
                                             std::string_view response_der);

// An RFC 3161 time-stamping authority in process: answers a DER
// TimeStampReq with a DER TimeStampResp signed by the TSA's certificate and
// key (Profile::kTimestamping), stamping time `at` and serial `serial`.
// SHA-256 and SHA-512 imprints are accepted; the policy is `policy_oid`.
// A malformed request is kInvalidArgument; a well-formed one the TSA
// refuses (an unsupported digest, say) gets a rejection response.
Result<std::string> StampResponse(std::string_view request_der, const std::string& tsa_cert_pem,
                                  const KeyRef& tsa_key, Timestamp at, std::uint64_t serial,
                                  std::string_view policy_oid = kDefaultTsaPolicy);

}  // namespace chancery::pki
