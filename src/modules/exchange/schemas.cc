#include "modules/exchange/schemas.h"

#include "lib/http/json_schema.h"

namespace chancery::exchange {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

json::object AnswerSchemas() {
  return {
      {"NodeIdentity",
       Object({{"agency_code", String()},
               {"name", String()},
               {"endpoint", String("https://host:port of its exchange listener.")},
               {"certificate_pem", String("The node's certificate: TLS and receipts.")},
               {"certificate_sha256", String()},
               {"ca_pem", String("The node's CA: its documents' signatures chain to it.")}},
              "This node as another agency's directory enters it.")},
      {"Peer", Object({{"agency_code", String("\"000.00.01.H08\"")},
                       {"name", String()},
                       {"endpoint", String()},
                       {"certificate_sha256", String()},
                       {"certificate_pem", String()},
                       {"ca_pem", String()},
                       {"via", String("The gateway that reaches it; empty: direct.")},
                       {"zone", String()},
                       {"max_classification", Ref("Classification")},
                       {"source", String("manual, directory")},
                       {"active", Boolean()},
                       {"updated_at", IsoTimestamp()}},
                      "Another agency's node, from the directory.")},
      {"SignedDirectory",
       Object({{"directory", String("Hex of the directory's JSON: {publisher, issued_at, "
                                    "entries}.")},
               {"signature", String("Hex of the publisher node's detached CMS over it.")}},
              "The directory as a signed file (docs/exchange.md).")},
      {"DirectoryImport", Object({{"imported", Integer("Peers entered or changed.")}})},
      {"OutboxItem", Object({{"id", Integer()},
                             {"to", String("The peer's agency code.")},
                             {"kind", Enum({"package", "status"})},
                             {"document_id", Nullable(Integer())},
                             {"edxml_id", String()},
                             {"code", String("Business type of a package, or the status code.")},
                             {"size", Integer()},
                             {"state", Enum({"pending", "delivered", "refused", "failed"})},
                             {"attempts", Integer()},
                             {"next_attempt_at", IsoTimestamp()},
                             {"last_error", String()},
                             {"created_at", IsoTimestamp()},
                             {"done_at", Nullable(IsoTimestamp())}})},
      {"OutboxPage", Page(Ref("OutboxItem"))},
      {"QuarantineItem", Object({{"id", Integer()},
                                 {"received_at", IsoTimestamp()},
                                 {"claimed_sender", String()},
                                 {"tls_subject", String()},
                                 {"reason", String("UNKNOWN_PEER, SIGNATURE_INVALID, …")},
                                 {"message", String()},
                                 {"sha256", String()},
                                 {"size", Integer()}},
                                "A refused arrival.")},
      {"QuarantinePage", Page(Ref("QuarantineItem"))},
      {"ExchangeStatus", Object({{"direction", Enum({"in", "out"})},
                                 {"code", String("QCVN 102 status code: \"01\" … \"16\".")},
                                 {"description", String()},
                                 {"at", IsoTimestamp()}})},
      {"ExchangeRecipient",
       Object({{"agency_code", String()},
               {"name", String()},
               {"delivery", Enum({"pending", "delivered", "refused", "failed", ""},
                                 "Our package's delivery; empty on a copy we received.")},
               {"attempts", Integer()},
               {"last_error", String()},
               {"status", String("The latest status notice's code; empty before any.")},
               {"status_description", String()},
               {"status_at", Nullable(IsoTimestamp())},
               {"history", Array(Ref("ExchangeStatus"))}},
              "One other agency's view of a document.")},
  };
}

}  // namespace chancery::exchange
