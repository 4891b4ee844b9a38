#include "modules/signatures/schemas.h"

#include "lib/http/json_schema.h"

namespace chancery::signatures {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

namespace {

// pki::ReportJson of a CMS (pades.cc CmsJson): one signature checked.
json::value SignatureCheckSchema() {
  return Object(
      {{"indication", String("TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE")},
       {"sub_indication", String("HASH_FAILURE, REVOKED, NO_CERTIFICATE_CHAIN_FOUND, …")},
       {"reason", String("Why not, in the verifier's words.")},
       {"signer", String("The signer's common name.")},
       {"signer_subject", String()},
       {"signer_serial", String("Hex")},
       {"chain", Array(String(), "Subjects from the signer up to the trusted root.")},
       {"trusted", Boolean()},
       {"revocation", String("good, revoked or not_checked")},
       {"level", String()},
       {"claimed_signing_time", Nullable(IsoTimestamp())},
       {"timestamp", Nullable(IsoTimestamp("When a valid time-stamp says it was signed."))}},
      "A detached CMS signature checked (the answer for a CMS; each signature of a PDF).");
}

// pki::ReportJson of a PDF.
void PdfReportSchemas(json::object& out, const json::value& check) {
  out["PdfSignatureCheck"] = Extend(
      check,
      {{"field", String()},
       {"sub_filter", String("ETSI.CAdES.detached, adbe.pkcs7.detached, …")},
       {"revision", Integer("1: the first signed revision.")},
       {"byte_range", Array(Integer())},
       {"covers_whole_document", Boolean("No bytes after this signature's revision.")},
       {"later_changes",
        Array(
            Object({{"object", String("\"12 0\"")}, {"what", String()}, {"allowed", Boolean()}}))}},
      "One signature of a PDF checked.");
  out["PdfReport"] = Object(
      {{"indication", String("The document's: its worst signature's.")},
       {"sub_indication", String()},
       {"reason", String()},
       Optional("has_validation_data",
                Boolean("A /DSS with what a verifier needs offline (absent when the PDF could "
                        "not be read).")),
       {"signatures", Array(Ref("PdfSignatureCheck"))}},
      "Every signature of a PDF checked; no signatures: INDETERMINATE NO_SIGNATURE.");
  out["ValidationReport"] = AnyOf({Ref("PdfReport"), Ref("SignatureCheck")},
                                  "A validation report: a PDF's (`signatures`), or a detached "
                                  "CMS signature's.");
}

}  // namespace

json::object AnswerSchemas() {
  const json::value check = SignatureCheckSchema();
  json::object out{
      {"Certificate",
       Object(
           {{"serial", String("Upper-case hex.")},
            {"profile", String("root_ca, node, timestamping, person, organization, trusted_root, "
                               "trusted_intermediate")},
            {"user_id", Nullable(Integer())},
            {"unit_id", Nullable(Integer())},
            {"subject", String()},
            {"not_before", IsoTimestamp()},
            {"not_after", IsoTimestamp()},
            {"status", Enum({"active", "revoked", "replaced"})},
            {"revoked_at", Nullable(IsoTimestamp())},
            {"revocation_reason", String()},
            {"key_store", Enum({"token", "pin", "none", "node"},
                               "Where the key is: a PKCS#11 token, encrypted under the "
                               "person's PIN, none (a trusted CA), or the node's.")},
            {"certificate_pem", String()},
            {"created_at", IsoTimestamp()}},
           "A certificate as the node shows it: never its key.")},
      {"SignatureCheck", check},
      {"SignatureShare",
       Object({{"unit_id", Integer()},
               {"from", IsoDate()},
               {"to", IsoDate()},
               {"issued", Integer("Outgoing documents issued in the period.")},
               {"both_signed", Integer("… of which with both the personal and the "
                                       "organisation's signature.")},
               {"ratio", Number("both_signed / issued; 0 when nothing was issued.")},
               {"target", Number()},
               {"meets_target", Boolean()}})},
      {"TreeHead", Object({{"tree_size", Integer()},
                           {"root", String("Hex")},
                           {"signed_at", IsoTimestamp()},
                           {"certificate_serial", String()},
                           {"signature", String("Hex DER CMS over the head's canonical text.")}},
                          "A signed head of the audit log.")},
      {"Done", Object({{"ok", Boolean()}})},
  };
  PdfReportSchemas(out, check);
  return out;
}

}  // namespace chancery::signatures
