#include "lib/edxml/dsig.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <memory>

#include "core/digest.h"
#include "lib/edxml/mime.h"
#include "lib/edxml/refusal.h"
#include "lib/edxml/xml.h"

namespace chancery::edxml::internal {

namespace {

constexpr char kExcC14n[] = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr char kEnveloped[] = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr char kSha256[] = "http://www.w3.org/2001/04/xmlenc#sha256";
constexpr char kRsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
constexpr char kEcdsaSha256[] = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
constexpr char kManifestType[] = "http://www.w3.org/2000/09/xmldsig#Manifest";
constexpr char kManifestId[] = "chy-attachments";
constexpr char kBeginCert[] = "-----BEGIN CERTIFICATE-----";
constexpr char kEndCert[] = "-----END CERTIFICATE-----";

xmlNode* Add(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text = "") {
  return xmlNewTextChild(parent, ns, X(name), text.empty() ? nullptr : X(text.c_str()));
}
xmlNode* AddWithAlgorithm(xmlNode* parent, xmlNs* ns, const char* name, const char* algorithm) {
  xmlNode* n = Add(parent, ns, name);
  xmlNewProp(n, X("Algorithm"), X(algorithm));
  return n;
}
void SetText(xmlNode* node, const std::string& text) {
  xmlNodeSetContentLen(node, X(text.c_str()), static_cast<int>(text.size()));
}

// The base64 DER inside a PEM certificate (one; headers and line breaks dropped).
Result<std::string> PemBody(const std::string& pem) {
  const std::size_t begin = pem.find(kBeginCert);
  const std::size_t end = pem.find(kEndCert);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    return Error::Invalid("certificate", "not_pem", "Not a PEM certificate.");
  }
  std::string body;
  for (std::size_t i = begin + sizeof kBeginCert - 1; i < end; ++i) {
    if (pem[i] != '\r' && pem[i] != '\n' && pem[i] != ' ') body += pem[i];
  }
  return body;
}

std::string PemOf(std::string_view der) {
  return std::string(kBeginCert) + "\n" + Base64Encode(der, 64) + "\n" + kEndCert + "\n";
}

// XML-DSig wants ECDSA as r || s, each as long as the curve's order (32 bytes for P-256).
Result<std::string> EcdsaDerToConcat(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!sig) return MakeError(ErrorCode::kInternal, "An ECDSA signature that does not parse.");
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  const int n = std::max(BN_num_bytes(r), BN_num_bytes(s)) <= 32
                    ? 32
                    : std::max(BN_num_bytes(r), BN_num_bytes(s));
  std::string out(static_cast<std::size_t>(2 * n), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, o, n) != n || BN_bn2binpad(s, o + n, n) != n) {
    return MakeError(ErrorCode::kInternal, "ECDSA signature conversion.");
  }
  return out;
}

}  // namespace

std::string Sha256(std::string_view bytes) { return *HexDecode(Sha256Hex(bytes)); }

Status Sign(xmlDoc* doc, xmlNode* header, const std::vector<AttachmentDigest>& attachments,
            const pki::Signer& signer) {
  xmlNode* sig = xmlNewChild(header, nullptr, X("Signature"), nullptr);
  xmlNs* ds = xmlNewNs(sig, X(kDsNamespace), X("ds"));
  xmlSetNs(sig, ds);
  xmlNode* info = Add(sig, ds, "SignedInfo");
  AddWithAlgorithm(info, ds, "CanonicalizationMethod", kExcC14n);
  AddWithAlgorithm(info, ds, "SignatureMethod",
                   signer.key_type() == "ec" ? kEcdsaSha256 : kRsaSha256);
  auto reference = [&](const char* uri, std::vector<const char*> transforms) {
    xmlNode* ref = Add(info, ds, "Reference");
    xmlNewProp(ref, X("URI"), X(uri));
    xmlNode* list = Add(ref, ds, "Transforms");
    for (const char* t : transforms) AddWithAlgorithm(list, ds, "Transform", t);
    AddWithAlgorithm(ref, ds, "DigestMethod", kSha256);
    return Add(ref, ds, "DigestValue");
  };
  xmlNode* document_digest = reference("", {kEnveloped, kExcC14n});
  xmlNode* manifest_digest = nullptr;
  if (!attachments.empty()) {
    manifest_digest = reference((std::string("#") + kManifestId).c_str(), {kExcC14n});
    xmlNewProp(manifest_digest->parent, X("Type"), X(kManifestType));
  }
  xmlNode* value = Add(sig, ds, "SignatureValue");
  xmlNode* x509 = Add(Add(sig, ds, "KeyInfo"), ds, "X509Data");
  CHY_TRY(std::string leaf, PemBody(signer.certificate_pem()));
  Add(x509, ds, "X509Certificate", leaf);
  for (const auto& pem : signer.chain_pems()) {
    CHY_TRY(std::string body, PemBody(pem));
    Add(x509, ds, "X509Certificate", body);
  }
  if (manifest_digest) {
    xmlNode* manifest = Add(Add(sig, ds, "Object"), ds, "Manifest");
    xmlNewProp(manifest, X("Id"), X(kManifestId));
    for (const auto& a : attachments) {
      xmlNode* ref = Add(manifest, ds, "Reference");
      xmlNewProp(ref, X("URI"), X(("cid:" + a.content_id).c_str()));
      AddWithAlgorithm(ref, ds, "DigestMethod", kSha256);
      Add(ref, ds, "DigestValue", Base64Encode(a.sha256));
    }
    CHY_TRY(std::string c14n, Canonical(doc, manifest, nullptr));
    SetText(manifest_digest, Base64Encode(Sha256(c14n)));
  }
  CHY_TRY(std::string whole, Canonical(doc, nullptr, sig));
  SetText(document_digest, Base64Encode(Sha256(whole)));
  CHY_TRY(std::string signed_info, Canonical(doc, info, nullptr));
  CHY_TRY(std::string signature, signer.SignRaw(signed_info));
  if (signer.key_type() == "ec") {
    CHY_TRY(signature, EcdsaDerToConcat(signature));
  }
  SetText(value, Base64Encode(signature));
  return Ok();
}

namespace {

xmlNode* SignatureOf(xmlNode* header) { return Child(header, kDsNamespace, "Signature"); }

Error Invalid(std::string message) {
  return Refuse(kReasonSignatureInvalid, "signature", std::move(message));
}

}  // namespace

Result<EmbeddedCertificates> FindCertificates(xmlNode* header) {
  xmlNode* sig = SignatureOf(header);
  if (!sig) return Refuse(kReasonSignatureMissing, "signature", "The envelope is not signed.");
  xmlNode* data = Child(Child(sig, kDsNamespace, "KeyInfo"), kDsNamespace, "X509Data");
  EmbeddedCertificates out;
  for (xmlNode* c : Children(data, kDsNamespace, "X509Certificate")) {
    std::optional<std::string> der = Base64Decode(Text(c));
    if (!der || der->empty()) return Malformed("signature", "An X509Certificate is not base64.");
    (out.signer_pem.empty() ? out.signer_pem : out.chain_pems.emplace_back()) = PemOf(*der);
    if (out.chain_pems.size() > 8) return Malformed("signature", "Too many certificates.");
  }
  if (out.signer_pem.empty())
    return Malformed("signature", "The signature carries no certificate.");
  return out;
}

namespace {

// The children of `parent`, which must be exactly the elements ds:`names`.
Result<std::vector<xmlNode*>> Exactly(xmlNode* parent, std::vector<const char*> names) {
  std::vector<xmlNode*> out;
  xmlNode* n = FirstElement(parent);
  for (const char* name : names) {
    if (!Is(n, kDsNamespace, name))
      return Invalid(std::string("Expected ds:") + name + " in the signature.");
    out.push_back(n);
    n = NextElement(n);
  }
  if (n) return Invalid("Unexpected element in the signature.");
  return out;
}

// A SignedInfo Reference with this URI, these transforms and SHA-256.
Status CheckReference(xmlNode* ref, const std::string& uri, std::vector<const char*> transforms) {
  if (!xmlHasProp(ref, X("URI")) || Attribute(ref, "URI") != uri)
    return Invalid("A signature reference points elsewhere.");
  CHY_TRY(std::vector<xmlNode*> parts, Exactly(ref, {"Transforms", "DigestMethod", "DigestValue"}));
  std::vector<const char*> names(transforms.size(), "Transform");
  CHY_TRY(std::vector<xmlNode*> ts, Exactly(parts[0], names));
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (Attribute(ts[i], "Algorithm") != transforms[i])
      return Invalid("Unexpected signature transform.");
  }
  if (Attribute(parts[1], "Algorithm") != kSha256)
    return Invalid("The signature digest is not SHA-256.");
  return Ok();
}

int CountSignatures(xmlNode* first) {
  int count = 0;
  for (xmlNode* n = first; n; n = NextElement(n)) {
    if (Is(n, kDsNamespace, "Signature")) ++count;
    count += CountSignatures(FirstElement(n));
  }
  return count;
}

struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
struct DsigFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};

// The reason and words for a failed chain check.
std::pair<std::string_view, std::string> ChainReason(const pki::Verification& v) {
  if (v.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND") {
    return {kReasonUnknownCa,
            "The signer's certificate is not from a trusted CA (" + v.reason + ")."};
  }
  if (v.sub_indication == "REVOKED")
    return {kReasonCertificateRevoked, "The signer's certificate is revoked."};
  if (v.sub_indication == "OUT_OF_BOUNDS_NO_POE") {
    return {kReasonCertificateExpired,
            "The signer's certificate is not valid at this time (" + v.reason + ")."};
  }
  if (v.sub_indication == "TRY_LATER") {
    return {kReasonRevocationUnknown,
            "No revocation list from the signer's CA (" + v.reason + ")."};
  }
  return {kReasonCertificateInvalid, "The signer's certificate chain fails: " + v.reason + "."};
}

// The nodes of a signature in the shape we sign.
struct SignedShape {
  xmlNode* signature = nullptr;
  xmlNode* manifest = nullptr;  // the attachments' manifest, when there are attachments
};

// Step 1 of Check: the shape we sign, and nothing else: one signature, in the
// header, whose references cover the whole envelope and the attachments'
// manifest.
Result<SignedShape> CheckShape(xmlNode* root, bool with_manifest) {
  xmlNode* header = Child(root, kEdxmlNamespace.data(), "edXMLHeader");
  xmlNode* sig = SignatureOf(header);
  if (!sig) return Refuse(kReasonSignatureMissing, "signature", "The envelope is not signed.");
  if (CountSignatures(root) != 1) return Invalid("The envelope must carry exactly one signature.");
  std::vector<const char*> parts = {"SignedInfo", "SignatureValue", "KeyInfo"};
  if (with_manifest) parts.push_back("Object");
  CHY_TRY(std::vector<xmlNode*> top, Exactly(sig, parts));
  std::vector<const char*> info_parts = {"CanonicalizationMethod", "SignatureMethod", "Reference"};
  if (with_manifest) info_parts.push_back("Reference");
  CHY_TRY(std::vector<xmlNode*> si, Exactly(top[0], info_parts));
  const std::string method = Attribute(si[1], "Algorithm");
  if (Attribute(si[0], "Algorithm") != kExcC14n ||
      (method != kRsaSha256 && method != kEcdsaSha256)) {
    return Invalid("Unsupported signature algorithms.");
  }
  CHY_TRY_STATUS(CheckReference(si[2], "", {kEnveloped, kExcC14n}));
  SignedShape shape{.signature = sig};
  if (with_manifest) {
    CHY_TRY_STATUS(CheckReference(si[3], std::string("#") + kManifestId, {kExcC14n}));
    CHY_TRY(std::vector<xmlNode*> object, Exactly(top[3], {"Manifest"}));
    shape.manifest = object[0];
    if (Attribute(shape.manifest, "Id") != kManifestId) {
      return Invalid("The attachments' manifest has another Id.");
    }
  }
  return shape;
}

// Step 2 of Check: XML-DSig core validation by libxmlsec1 in `ctx`, which
// holds the signer's key, same-document references only, manifests left to
// step 3.
Status VerifyCore(xmlSecDSigCtx* ctx, xmlDoc* doc, const SignedShape& shape) {
  ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument;
  if (xmlSecDSigCtxVerify(ctx, shape.signature) < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    std::string which = "The signature does not match the envelope";
    for (xmlSecSize i = 0; i < xmlSecPtrListGetSize(&ctx->signedInfoReferences); ++i) {
      auto* ref =
          static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
      if (ref && ref->status != xmlSecDSigStatusSucceeded) {
        which = i == 0 ? "The envelope changed after signing"
                       : "The attachments' manifest changed after signing";
        break;
      }
    }
    return Invalid(which + ".");
  }
  if (shape.manifest) {
    // The manifest xmlsec digested is the one we read below.
    xmlAttr* id = xmlGetID(doc, X(kManifestId));
    if (!id || id->parent != shape.manifest) {
      return Invalid("The signature covers another manifest.");
    }
  }
  return Ok();
}

// Step 3 of Check: each attachment's bytes against the signed manifest: the
// same set, the same digests.
Status CheckAttachments(xmlNode* manifest, const std::vector<AttachmentDigest>& attachments) {
  std::vector<xmlNode*> refs = Children(manifest, kDsNamespace, "Reference");
  if (refs.size() != attachments.size()) {
    return Refuse(kReasonDigestMismatch, "attachments", "The attachments are not those signed.");
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    CHY_TRY(std::vector<xmlNode*> ref_parts, Exactly(refs[i], {"DigestMethod", "DigestValue"}));
    if (Attribute(ref_parts[0], "Algorithm") != kSha256) {
      return Invalid("An attachment digest is not SHA-256.");
    }
    const std::string uri = Attribute(refs[i], "URI");
    const std::optional<std::string> digest = Base64Decode(Text(ref_parts[1]));
    const AttachmentDigest& a = attachments[i];
    if (uri != "cid:" + a.content_id || !digest || *digest != a.sha256) {
      return Refuse(kReasonDigestMismatch, "attachments",
                    "Attachment " + a.content_id + " is not the one signed.");
    }
  }
  return Ok();
}

}  // namespace

Result<SignatureCheck> Check(std::string_view signed_xml,
                             const std::vector<AttachmentDigest>& attachments,
                             const std::string& signer_pem,
                             const std::vector<std::string>& chain_pems,
                             const std::vector<std::string>& trusted,
                             const std::vector<std::string>& crls, Timestamp at) {
  SignatureCheck check;
  auto fail = [&check](const Error& e) {
    check.ok = false;
    check.reason_code = ReasonOf(e);
    check.message = e.message;
    return check;
  };
  if (!InitXmlSecurity()) return MakeError(ErrorCode::kInternal, "libxmlsec1 did not start.");
  // The certificate first, so a failing check still names the signer.
  auto info = pki::DescribeCertificate(signer_pem);
  if (!info.ok()) return fail(Malformed("signature", "The signer's certificate does not parse."));
  check.signer_subject = info->subject;
  check.signer_organization_id = info->organization_id;
  CHY_TRY(std::string body, PemBody(signer_pem));
  const std::optional<std::string> der = Base64Decode(body);
  if (!der) return fail(Malformed("signature", "The signer's certificate does not parse."));
  check.certificate_sha256 = Sha256Hex(*der);

  auto parsed = ParseXml(signed_xml, "envelope");
  if (!parsed.ok()) return fail(parsed.error());
  xmlDoc* doc = parsed->get();

  // 1. The shape we sign.
  auto shape = CheckShape(xmlDocGetRootElement(doc), !attachments.empty());
  if (!shape.ok()) return fail(shape.error());

  // 2. The signature, with the key of the certificate we chain-check below
  // (KeyInfo is not consulted).
  std::unique_ptr<xmlSecKey, KeyFree> key(xmlSecCryptoAppKeyLoadMemory(
      reinterpret_cast<const xmlSecByte*>(der->data()), static_cast<xmlSecSize>(der->size()),
      xmlSecKeyDataFormatCertDer, nullptr, nullptr, nullptr));
  if (!key) return fail(Malformed("signature", "The signer's certificate holds no usable key."));
  std::unique_ptr<xmlSecDSigCtx, DsigFree> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return MakeError(ErrorCode::kInternal, "xmlsec signature context.");
  ctx->signKey = key.release();  // the context owns it now
  if (Status s = VerifyCore(ctx.get(), doc, *shape); !s.ok()) return fail(s.error());

  // 3. The attachments.
  if (shape->manifest) {
    if (Status s = CheckAttachments(shape->manifest, attachments); !s.ok()) return fail(s.error());
  }

  // 4. The signer's certificate chain, at `at`.
  for (const auto& pem : chain_pems) {
    if (!pki::DescribeCertificate(pem).ok())
      return fail(Malformed("signature", "A chain certificate does not parse."));
  }
  CHY_TRY(pki::Verification chain,
          pki::VerifyCertificate(signer_pem, chain_pems, trusted, crls, at));
  if (!chain.valid) {
    auto [reason, message] = ChainReason(chain);
    check.reason_code = reason;
    check.message = message;
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace chancery::edxml::internal
