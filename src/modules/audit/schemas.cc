#include "modules/audit/schemas.h"

#include "lib/http/json_schema.h"

namespace chancery::audit {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

json::object AnswerSchemas() {
  return {
      {"AuditRecord",
       Object({{"seq", Integer("Position in the log, from 1.")},
               {"at", IsoTimestamp()},
               {"actor_id", Nullable(Integer("Null: the node itself."))},
               {"action", String("\"document.issue\", \"user.login\", …")},
               {"object_type", String()},
               {"object_id", Nullable(Integer())},
               {"record", Any("The canonical JSON record that is hashed (its content left out "
                              "when `redacted`).")},
               {"redacted", Boolean("Shown without its content: above the reader's clearance.")},
               {"leaf_hash", String("Hex")},
               {"root_after", String("Hex: the tree head once this record was appended.")}},
              "One record of the audit log (docs/audit-log.md).")},
      {"AuditPage", Page(Ref("AuditRecord"))},
      {"AuditHead", Object({{"tree_size", Integer()}, {"root", String("Hex Merkle root.")}})},
      {"InclusionProof", Object({{"seq", Integer()},
                                 {"tree_size", Integer()},
                                 {"leaf_hash", String()},
                                 {"root", String()},
                                 {"audit_path", Array(String(), "Hex hashes, RFC 6962.")}})},
      {"ConsistencyProof", Object({{"from", Integer("The old tree size.")},
                                   {"to", Integer("The new tree size.")},
                                   {"from_root", String()},
                                   {"to_root", String()},
                                   {"proof", Array(String(), "Hex hashes, RFC 6962.")}})},
      {"AuditVerification",
       Object({{"ok", Boolean()},
               {"tree_size", Integer()},
               {"root", String()},
               {"first_bad_seq", Nullable(Integer())},
               {"problem", String("altered, missing, reordered, head mismatch; empty when ok.")},
               {"tree_heads_checked", Integer("Signed heads whose root and signature were "
                                              "checked.")}},
              "The whole log recomputed, and its signed heads checked.")},
  };
}

}  // namespace chancery::audit
