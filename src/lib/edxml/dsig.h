// The XML-DSig signature of an edXML envelope (internal to src/exchange):
// made with libxml2's C14N and pki::Signer::SignRaw, checked with
// libxmlsec1 plus our attachment digests and pki's chain check. The layout
// is described in edxml.h.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"
#include "lib/edxml/edxml.h"
#include "lib/pki/pki.h"

namespace chancery::edxml::internal {

// An attachment as the signature covers it.
struct AttachmentDigest {
  std::string content_id;
  std::string sha256;  // raw 32 bytes
};

// Appends the ds:Signature to `header` (edXMLHeader) of `doc` and signs.
Status Sign(xmlDoc* doc, xmlNode* header, const std::vector<AttachmentDigest>& attachments,
            const pki::Signer& signer);

// The signer's certificate and chain found in `header`'s ds:Signature.
// No signature is SIGNATURE_MISSING; a malformed one FORMAT.
struct EmbeddedCertificates {
  std::string signer_pem;
  std::vector<std::string> chain_pems;
};
Result<EmbeddedCertificates> FindCertificates(xmlNode* header);

// The verdict on `signed_xml` whose attachments are `attachments`.
Result<SignatureCheck> Check(std::string_view signed_xml,
                             const std::vector<AttachmentDigest>& attachments,
                             const std::string& signer_pem,
                             const std::vector<std::string>& chain_pems,
                             const std::vector<std::string>& trusted,
                             const std::vector<std::string>& crls, Timestamp at);

std::string Sha256(std::string_view bytes);  // raw

}  // namespace chancery::edxml::internal
