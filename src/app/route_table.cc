// THE route table of a node: every route, one line each — method, path,
// handler, who may call it, OpenAPI tag and summary, then its body schema,
// query parameters and success status where it has them, and what it
// answers (Returns: a shape its module declares in schemas.cc, named with
// Ref; or bytes). The router enforces the roles named here (Api::Serve);
// the OpenAPI document at /api/v1/openapi.json is written from these same
// entries (Api::Describe).
//
// Access: kPublic (no session: login, health, the node's CRL/OCSP/TSA and
// the peer listener, which authenticates by mutual TLS), kSignedIn (any
// signed-in person; the service checks unit scope and clearance), or the
// role bits of which the caller needs one.
//
// Adding a capability: its module's Routes class gets a handler, and this
// table one line (docs/adding-a-capability.md).

#include <boost/json.hpp>

#include "app/api.h"
#include "lib/http/handler_kit.h"
#include "lib/http/json_schema.h"
#include "lib/http/openapi.h"
#include "modules/audit/schemas.h"
#include "modules/documents/schemas.h"
#include "modules/exchange/schemas.h"
#include "modules/org/schemas.h"
#include "modules/search/schemas.h"
#include "modules/signatures/schemas.h"

namespace chancery::http {

namespace json = boost::json;
using schema::Items;
using schema::Page;
using schema::Ref;

namespace {

constexpr std::uint32_t kPublic = ~0u;  // marker: no session needed
constexpr std::uint32_t kSignedIn = 0;

// "leader, administrator or security_officer": the role bits in words, for the OpenAPI document.
std::string RolesInWords(std::uint32_t roles) {
  std::vector<std::string> names = RoleNames(roles);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// One line of the table; the optional parts are chained on.
struct Line : Route {
  Line(std::string m, std::string path, Handler h, std::uint32_t access, std::string t,
       std::string s) {
    method = std::move(m);
    pattern = std::move(path);
    handler = std::move(h);
    tag = std::move(t);
    summary = std::move(s);
    authenticated = access != kPublic;
    if (authenticated) {
      required_roles = access;
      required_role = RolesInWords(access);
    }
    // Every handler reads {id} with PathId: a positive integer, else 404.
    if (pattern.find("{id}") != std::string::npos) integer_params = {"id"};
  }
  Line&& Body(const std::vector<JsonField>& schema) && {
    body_schema = schema;
    return std::move(*this);
  }
  Line&& Query(std::vector<std::string> names) && {
    query_params = std::move(names);
    return std::move(*this);
  }
  Line&& Status(int status) && {
    success_status = status;
    return std::move(*this);
  }
  Line&& Streamed() && {
    stream_body = true;
    return std::move(*this);
  }
  // The success answer: JSON of this shape.
  Line&& Returns(json::value shape) && {
    response_schema = std::move(shape);
    return std::move(*this);
  }
  // The success answer: bytes of these types.
  Line&& ReturnsBytes(std::vector<std::string> media_types) && {
    response_types = std::move(media_types);
    return std::move(*this);
  }
  Line&& Also(RouteAnswer answer) && {
    other_answers.push_back(std::move(answer));
    return std::move(*this);
  }
};

// A part of a file, for a Range request.
RouteAnswer PartialContent() {
  return {.status = 206, .description = "Part of the file (Range).", .media_types = {"*/*"}};
}

// Refused for now; Retry-After says for how long (seconds).
RouteAnswer TryLater(std::string why) {
  return {.status = 429,
          .description = std::move(why),
          .headers = {{.name = "Retry-After",
                       .description = "Seconds to wait before trying again.",
                       .schema = json::object{{"type", "integer"}, {"minimum", 1}}}}};
}

Line Get(std::string p, Handler h, std::uint32_t a, std::string t, std::string s) {
  return Line("GET", std::move(p), std::move(h), a, std::move(t), std::move(s));
}
Line Post(std::string p, Handler h, std::uint32_t a, std::string t, std::string s) {
  return Line("POST", std::move(p), std::move(h), a, std::move(t), std::move(s));
}
Line Put(std::string p, Handler h, std::uint32_t a, std::string t, std::string s) {
  return Line("PUT", std::move(p), std::move(h), a, std::move(t), std::move(s));
}
Line Patch(std::string p, Handler h, std::uint32_t a, std::string t, std::string s) {
  return Line("PATCH", std::move(p), std::move(h), a, std::move(t), std::move(s));
}

}  // namespace

// A module's handler as a route handler.
#define H(module, name) [this](Request& r) { return module.name(r); }

void Api::Register(Router& router) {
  router_ = &router;
  // clang-format off
  std::vector<Line> table{
      Get("/api/v1/health", [](Request&) { return Json(200, json::object{{"status", "ok"}}); }, kPublic, "system", "Liveness check").Returns(schema::Object({{"status", schema::Enum({"ok"})}})),
      Get("/api/v1/openapi.json", [this](Request&) { return OpenApi(); }, kPublic, "system", "This API, as OpenAPI 3.1").Returns(schema::FreeObject("This document: OpenAPI 3.1.")),
      Post("/api/v1/auth/login", H(org_, Login), kPublic, "auth", "Log in with a password").Body(org::kLoginFields).Returns(Ref("Session")).Also(TryLater("Too many failed logins for this name or from this address (account_locked).")),
      Post("/api/v1/auth/logout", H(org_, Logout), kSignedIn, "auth", "End this session or revoke this token").Status(204),
      Get("/api/v1/me", H(org_, Me), kSignedIn, "auth", "Who am I (and, for a cookie session, its CSRF token)").Returns(Ref("Me")),
      Put("/api/v1/me/language", H(org_, SetLanguage), kSignedIn, "auth", "Remember my UI language (vi, en, fr)").Body(org::kLanguageFields).Returns(Ref("User")),
      Get("/api/v1/people", H(org_, People), kSignedIn, "users", "The directory: names, positions and units of active users").Query({"ids", "unit_id", "q", "limit"}).Returns(Items(Ref("Person"))),
      Get("/api/v1/units", H(org_, ListUnits), kSignedIn, "units", "All units (the tree as a flat list)").Returns(Items(Ref("Unit"))),
      Post("/api/v1/units", H(org_, CreateUnit), kRoleAdmin, "units", "Create a unit").Body(org::kUnitFields).Status(201).Returns(Ref("Unit")),
      Get("/api/v1/units/{id}", H(org_, GetUnit), kSignedIn, "units", "One unit").Returns(Ref("Unit")),
      Patch("/api/v1/units/{id}", H(org_, UpdateUnit), kRoleAdmin, "units", "Rename or move a unit (If-Match required)").Body(org::kUnitPatch).Returns(Ref("Unit")),
      Get("/api/v1/units/{id}/as-of", H(org_, UnitAsOf), kSignedIn, "units", "What the unit was on a date").Query({"date"}).Returns(Ref("UnitAsOf")),
      Get("/api/v1/units/{id}/history", H(org_, UnitHistory), kSignedIn, "units", "Every name, parent and state the unit had").Returns(Items(Ref("UnitPeriod"))),
      Get("/api/v1/units/{id}/transfers", H(org_, UnitTransfers), kSignedIn, "units", "Where the unit's open work went").Returns(Items(Ref("Transfer"))),
      Post("/api/v1/reorganizations", H(org_, Reorganize), kRoleAdmin, "units", "Merge, split or dissolve units with an effective date").Body(org::kReorgFields).Status(201).Returns(Ref("Reorganization")),
      Get("/api/v1/users", H(org_, ListUsers), kSignedIn, "users", "Users").Query({"cursor", "limit"}).Returns(Page(Ref("ListedUser"))),
      Post("/api/v1/users", H(org_, CreateUser), kRoleAdmin, "users", "Create a user").Body(org::kUserFields).Status(201).Returns(Ref("CreatedUser")),
      Get("/api/v1/users/{id}", H(org_, GetUser), kSignedIn, "users", "One user").Returns(Ref("ListedUser")),
      Patch("/api/v1/users/{id}", H(org_, UpdateUser), kSignedIn, "users", "Change a user: roles, unit, clearance, password (If-Match required); a privileged change answers 202 with the request a second person approves").Body(org::kUserPatch).Returns(Ref("User")).Also({.status = 202, .description = "A privileged change waits for a second person; nothing changed yet.", .schema = Ref("PendingUserChange")}),
      Get("/api/v1/approvals", H(org_, ListApprovals), kRoleAdmin | kRoleSecurity | kRoleLeader, "users", "Four-eyes requests (privileged changes) waiting for a second person").Query({"state"}).Returns(Items(Ref("Approval"))),
      Post("/api/v1/approvals/{id}/approve", H(org_, Approve), kRoleAdmin | kRoleSecurity | kRoleLeader, "users", "Approve a request (another person than who proposed it)").Body(org::kDecisionFields).Returns(Ref("Approval")),
      Post("/api/v1/approvals/{id}/reject", H(org_, Reject), kRoleAdmin | kRoleSecurity | kRoleLeader, "users", "Reject a request, with a reason").Body(org::kDecisionFields).Returns(Ref("Approval")),
      Get("/api/v1/documents", H(documents_, List), kSignedIn, "documents", "Documents: boxes, filters, search; cursor-paginated").Query({"box", "unit_id", "state", "q", "from", "to", "type", "urgency", "reply_to", "sort", "cursor",
                                     "limit"}).Returns(Ref("DocumentPage")),
      Get("/api/v1/documents/counts", H(documents_, Counts), kSignedIn, "documents", "How many documents wait in each box of mine (the menu's counts)").Returns(schema::Object({{"inbox", schema::Integer()}, {"awaiting_approval", schema::Integer()}, {"awaiting_assignment", schema::Integer()}, {"received", schema::Integer()}, {"to_issue", schema::Integer()}})),
      Post("/api/v1/documents", H(documents_, CreateDraft), kSignedIn, "documents", "Start an outgoing draft").Body(documents::kDraftFields).Status(201).Returns(Ref("Document")),
      Post("/api/v1/documents/incoming", H(documents_, RegisterIncoming), kRoleClerk, "documents", "Receive an incoming document (e.g. registered from paper)").Body(documents::kIncomingFields).Status(201).Returns(Ref("RegisteredDocument")),
      Get("/api/v1/documents/duplicates", H(documents_, Duplicates), kSignedIn, "documents", "Is this number/symbol from this issuer already registered?").Query({"number_symbol", "issuer_name"}).Returns(schema::Object({{"duplicates", schema::Array(Ref("Duplicate"))}})),
      Get("/api/v1/documents/{id}", H(documents_, Get), kSignedIn, "documents", "One document with its files, assignments and comments").Returns(Ref("DocumentDetail")),
      Patch("/api/v1/documents/{id}", H(documents_, UpdateDraft), kSignedIn, "documents", "Edit a draft (If-Match required)").Body(documents::kDocPatch).Returns(Ref("Document")),
      Post("/api/v1/documents/{id}/actions/{action}", H(documents_, Act), kSignedIn, "documents", "Move a document on: submit, send_back, approve, sign, number, seal, issue, recall, file, archive, register, return, assign, note, complete").Body(documents::kActionFields).Returns(Ref("DocumentWithActions")),
      Get("/api/v1/documents/{id}/timeline", H(documents_, Timeline), kSignedIn, "documents", "Every state change and event of the document, oldest first").Returns(Items(Ref("AuditRecord"))),
      Post("/api/v1/documents/{id}/declassification", H(documents_, Declassify), kRoleLeader, "documents", "Propose to lower or remove the classification (giải mật); a security officer approves").Body(documents::kDeclassifyFields).Status(202).Returns(Ref("Approval")),
      Post("/api/v1/documents/{id}/comments", H(documents_, AddComment), kSignedIn, "documents", "Comment on a document").Body(documents::kCommentFields).Status(201).Returns(Ref("TextEntry")),
      Post("/api/v1/documents/{id}/attachments", H(documents_, AddAttachment), kSignedIn, "files", "Attach a file (raw body; X-Content-SHA256 optional, checked)").Query({"file_name"}).Status(201).Streamed().Returns(Ref("File")),
      Post("/api/v1/documents/{id}/versions", H(documents_, AddVersion), kSignedIn, "files", "Add a new version of the draft file (raw body)").Query({"file_name", "note"}).Status(201).Streamed().Returns(Ref("File")),
      Get("/api/v1/documents/{id}/files/{sha256}", H(documents_, GetFile), kSignedIn, "files", "Download a file of the document (Range supported)").ReturnsBytes({"*/*"}).Also(PartialContent()),
      Post("/api/v1/blobs", H(documents_, Upload), kRoleClerk | kRoleSpecialist | kRoleLeader, "files", "Upload a file to attach later (raw body)").Status(201).Streamed().Returns(Ref("UploadedBlob")),
      Get("/api/v1/deadlines/overdue", H(documents_, Overdue), kSignedIn, "deadlines", "Overdue documents of a unit, or mine (?mine=true)").Query({"unit_id", "mine", "cursor", "limit"}).Returns(Ref("DocumentPage")),
      Get("/api/v1/deadlines/due-soon", H(documents_, DueSoon), kSignedIn, "deadlines", "Documents due within the next working days").Query({"unit_id", "mine", "cursor", "limit"}).Returns(Ref("DocumentPage")),
      Get("/api/v1/deadlines/summary", H(documents_, Workload), kSignedIn, "deadlines", "Open, overdue and due-soon work of a unit and of each sub-unit").Query({"unit_id"}).Returns(Ref("Workload")),
      Get("/api/v1/calendar/holidays", H(documents_, Holidays), kSignedIn, "calendar", "Public holidays of a year (lunar ones computed)").Query({"year"}).Returns(Ref("Holidays")),
      Get("/api/v1/calendar/deadline", H(documents_, DeadlineOf), kSignedIn, "calendar", "The date that is N working days after a date").Query({"from", "working_days"}).Returns(Ref("Deadline")),
      Get("/api/v1/document-types", H(documents_, Types), kSignedIn, "documents", "Document types of Decree 30").Returns(Items(Ref("DocumentType"))),
      Get("/api/v1/records", H(documents_, ListRecords), kSignedIn, "records", "Records (hồ sơ) of a unit").Query({"unit_id"}).Returns(Items(Ref("Record"))),
      Post("/api/v1/records", H(documents_, CreateRecord), kSignedIn, "records", "Open a record (hồ sơ)").Body(documents::kRecordFields).Status(201).Returns(Ref("Record")),
      Get("/api/v1/register-books", H(documents_, ListBooks), kSignedIn, "registers", "Register books a unit holds").Query({"unit_id"}).Returns(Items(Ref("RegisterBook"))),
      Get("/api/v1/register-books/{id}/entries", H(documents_, BookEntries), kSignedIn, "registers", "Entries of a register book, in order; filter by text and date").Query({"q", "from", "to", "cursor", "limit"}).Returns(Ref("RegisterBookPage")),
      Get("/api/v1/register-books/{id}/export", H(documents_, ExportBook), kSignedIn, "registers", "A register book (all of it, or filtered) as CSV or XLSX").Query({"format", "q", "from", "to"}).ReturnsBytes({"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
      Get("/api/v1/audit", H(audit_, List), kRoleSecurity, "audit", "Audit records, newest first; from/to are Vietnam days").Query({"object_type", "object_id", "actor_id", "action", "from", "to", "cursor",
                                     "limit"}).Returns(Ref("AuditPage")),
      Get("/api/v1/audit/head", H(audit_, Head), kRoleSecurity, "audit", "Current tree size and Merkle root").Returns(Ref("AuditHead")),
      Get("/api/v1/audit/proofs/inclusion", H(audit_, Inclusion), kRoleSecurity, "audit", "RFC 6962 inclusion proof of a record").Query({"seq", "tree_size"}).Returns(Ref("InclusionProof")),
      Get("/api/v1/audit/proofs/consistency", H(audit_, Consistency), kRoleSecurity, "audit", "RFC 6962 consistency proof between two tree sizes").Query({"from", "to"}).Returns(Ref("ConsistencyProof")),
      Post("/api/v1/audit/verify", H(audit_, Verify), kRoleSecurity, "audit", "Recompute the whole log and its signed heads; name the first bad record").Returns(Ref("AuditVerification")),
      Post("/api/v1/pki/ca", H(signatures_, CreateCa), kRoleAdmin | kRoleSecurity, "signatures", "Create the node's certificate authority (with its signing and TSA certificates)").Body(signatures::kCaFields).Status(201).Returns(Ref("Certificate")),
      Post("/api/v1/pki/roots", H(signatures_, ImportRoots), kRoleSecurity, "signatures", "Trust an external CA: its root and intermediates as one PEM bundle (a government CA, another node's CA)").Body(signatures::kRootFields).Status(201).Returns(Items(Ref("Certificate"))),
      Get("/api/v1/pki/certificates", H(signatures_, ListCertificates), kSignedIn, "signatures", "Certificates (your own; all for administrators and security officers)").Query({"user_id", "unit_id", "profile", "status"}).Returns(Items(Ref("Certificate"))),
      Post("/api/v1/pki/certificates", H(signatures_, IssueCertificate), kRoleAdmin | kRoleSecurity, "signatures", "Issue a certificate to a person or an organisation (replaces their current one)").Body(signatures::kCertificateFields).Status(201).Returns(Ref("Certificate")),
      Post("/api/v1/pki/certificates/{serial}/renew", H(signatures_, Renew), kRoleAdmin | kRoleSecurity, "signatures", "Renew a certificate (same key, new validity)").Body(signatures::kRenewFields).Status(201).Returns(Ref("Certificate")),
      Post("/api/v1/pki/certificates/{serial}/revoke", H(signatures_, Revoke), kRoleAdmin | kRoleSecurity, "signatures", "Revoke a certificate; the next CRL and OCSP answers say so").Body(signatures::kRevokeFields).Returns(Ref("Certificate")),
      Get("/api/v1/pki/crl", H(signatures_, Crl), kPublic, "signatures", "The node CA's current revocation list (PEM)").ReturnsBytes({"application/x-pem-file"}),
      Post("/api/v1/pki/ocsp", H(signatures_, Ocsp), kPublic, "signatures", "OCSP (RFC 6960) for the node CA's certificates (body: DER OCSPRequest)").ReturnsBytes({"application/ocsp-response"}),
      Post("/api/v1/pki/tsa", H(signatures_, Timestamp), kPublic, "signatures", "RFC 3161 time-stamping (body: DER TimeStampReq); public, so other nodes may use this node as their TSA, at most 20 stamps a second per client address (bursts of 100)").ReturnsBytes({"application/timestamp-reply"}).Also(TryLater("More than this client's share of time-stamps.")),
      Put("/api/v1/pki/images/{kind}/{id}", H(signatures_, SetImage), kSignedIn, "signatures", "The PNG a signature shows: kind seal (a unit) or signature (a person); raw body").Returns(Ref("Done")),
      Put("/api/v1/me/signing-pin", H(signatures_, ChangePin), kSignedIn, "signatures", "Change your signing PIN").Body(signatures::kPinFields).Returns(Ref("Done")),
      Post("/api/v1/signatures/verify", H(signatures_, Verify), kSignedIn, "signatures", "Validation report of a signed PDF, or of a CMS signature (raw body) over an uploaded file (?data=sha256)").Query({"data"}).Returns(Ref("ValidationReport")),
      Get("/api/v1/signatures/share", H(signatures_, Share), kSignedIn, "signatures", "Share of outgoing documents issued with both signatures, per unit and period").Query({"unit_id", "from", "to"}).Returns(Ref("SignatureShare")),
      Get("/api/v1/audit/tree-heads", H(signatures_, TreeHeads), kRoleSecurity, "audit", "Signed tree heads of the audit log, newest first").Query({"limit"}).Returns(Items(Ref("TreeHead"))),
      Post("/api/v1/audit/tree-heads", H(signatures_, SignTreeHead), kRoleSecurity, "audit", "Sign the audit log's current head now").Status(201).Returns(Ref("TreeHead")),
      Get("/api/v1/exchange/identity", H(exchange_, Identity), kRoleAdmin, "exchange", "This node as another agency's directory enters it").Returns(Ref("NodeIdentity")),
      Get("/api/v1/exchange/peers", H(exchange_, ListPeers), kSignedIn, "exchange", "The directory: other agencies' nodes").Returns(Items(Ref("Peer"))),
      Put("/api/v1/exchange/peers/{code}", H(exchange_, PutPeer), kRoleAdmin, "exchange", "Add or change a peer agency").Body(exchange::kPeerFields).Returns(Ref("Peer")),
      Get("/api/v1/exchange/directory", H(exchange_, Directory), kRoleAdmin, "exchange", "This node's directory as a signed file (what a central node publishes)").Returns(Ref("SignedDirectory")),
      Post("/api/v1/exchange/directory", H(exchange_, ImportDirectory), kRoleAdmin, "exchange", "Import a signed directory file, or refresh the directory from its publisher").Body(exchange::kDirectoryFields).Returns(Ref("DirectoryImport")),
      Get("/api/v1/exchange/outbox", H(exchange_, Outbox), kRoleClerk | kRoleAdmin | kRoleSecurity, "exchange", "Packages and notices to other agencies (state: pending, delivered, refused, failed)").Query({"state", "cursor", "limit"}).Returns(Ref("OutboxPage")),
      Get("/api/v1/exchange/quarantine", H(exchange_, Quarantine), kRoleSecurity, "exchange", "Refused arrivals, with the reason").Query({"cursor", "limit"}).Returns(Ref("QuarantinePage")),
      Get("/api/v1/documents/{id}/exchange", H(exchange_, DocumentExchange), kSignedIn, "exchange", "Each other agency's latest status of the document, and its history").Returns(Items(Ref("ExchangeRecipient"))),
      Get("/api/v1/documents/{id}/edxml", H(exchange_, ExportEdxml), kSignedIn, "exchange", "The document's signed edXML package (MIME, attachments in base64)").Query({"agency"}).ReturnsBytes({"multipart/related"}).Also(PartialContent()),
      Get("/api/v1/search", H(search_, Search), kSignedIn, "search", "Search everything the caller may read: documents, legal documents, articles (docs/search.md)").Query({"q", "prefix", "match", "kind", "type", "issuer", "year", "state", "unit_id", "classification", "status", "on", "sort", "facets", "cursor", "limit"}).Returns(Ref("SearchResults")),
      Get("/api/v1/legal/documents", H(search_, ListLegal), kSignedIn, "legal", "Legal documents, newest first; status is on the day `on` (today)").Query({"q", "type", "issuer", "field", "status", "year", "on", "cursor", "limit"}).Returns(Ref("LegalDocumentPage")),
      Get("/api/v1/legal/facets", H(search_, LegalFacets), kSignedIn, "legal", "Counts of legal documents by type, issuer, field, year and status today").Returns(Ref("LegalFacets")),
      Get("/api/v1/legal/documents/{id}", H(search_, GetLegal), kSignedIn, "legal", "A legal document: outline, articles with linked citations, relations both ways, status on `on`").Query({"on"}).Returns(Ref("LegalDocumentDetail")),
      Get("/api/v1/legal/articles/{id}", H(search_, GetArticle), kSignedIn, "legal", "One article (Điều) with its citations").Returns(Ref("LegalArticle")),
      Post("/api/v1/legal/import", H(search_, Import), kRoleAdmin | kRoleClerk, "legal", "Import a file of legal documents (raw body; ALQAC JSON, this project's JSON or CSV, a procedure's JSON, text); one file, one transaction").Query({"file_name"}).Status(201).Streamed().Returns(Ref("LegalImport")),
      Post("/api/v1/exchange/import", H(exchange_, ImportEdxml), kRoleClerk, "exchange", "Register an edXML file from elsewhere as an incoming document (raw body); its XML signature must check out; one already received needs duplicate_reason").Query({"duplicate_reason"}).Status(201).Returns(Ref("Document"))
  };
  // clang-format on
  for (Line& line : table) router.Add(std::move(line));
}

json::value Api::Describe() const {
  json::object schemas;
  for (const json::object& module :
       {org::AnswerSchemas(), audit::AnswerSchemas(), documents::AnswerSchemas(),
        signatures::AnswerSchemas(), exchange::AnswerSchemas(), search::AnswerSchemas()}) {
    for (const auto& [name, shape] : module) schemas[name] = shape;
  }
  return OpenApiDocument(*router_, "Chancery node API", options_.version, kSessionCookie, schemas);
}

void Api::RegisterPeer(Router& router) {
  // clang-format off
  std::vector<Line> table{
      Post("/exchange/v1/packages", H(exchange_, ReceivePackage), kPublic, "peers", "A package from another agency's node (mutual TLS); answers the signed receipt").ReturnsBytes({"application/xml"}),
      Post("/exchange/v1/statuses", H(exchange_, ReceiveStatus), kPublic, "peers", "A status notice from another agency's node (mutual TLS)").ReturnsBytes({"application/xml"}),
      Get("/exchange/v1/directory", H(exchange_, PublishDirectory), kPublic, "peers", "The signed directory this node publishes").Returns(Ref("SignedDirectory"))
  };
  // clang-format on
  for (Line& line : table) router.Add(std::move(line));
}

#undef H

}  // namespace chancery::http
