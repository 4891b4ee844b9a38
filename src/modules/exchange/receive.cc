// Exchange: arrivals from peers (packages and status notices), checked, stored once and answered
// with a signed receipt.
#include <algorithm>
#include <boost/json.hpp>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki.h"
#include "modules/documents/store.h"
#include "modules/exchange/internal.h"
#include "modules/exchange/service.h"
#include "modules/exchange/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace exchange_detail;  // NOLINT: this module's own helpers

// ---------------------------------------------------------------- receiving

Result<std::string> ExchangeService::SignedReceipt(const signatures::CertificateRecord& node,
                                                   const signatures::CertificateRecord& ca,
                                                   const edxml::ResponseFor& about,
                                                   std::string_view bytes) {
  edxml::StatusNotice r;
  r.response_for = about;
  r.from = OrganOf(config_.agency_code, config_.node_name);
  r.status_code = "01";
  r.timestamp = clock_.Now();
  r.received_sha256 = Sha256Hex(bytes);
  CHY_TRY(pki::Signer signer, NodeSigner(node, ca));
  return edxml::WriteStatus(r, signer);
}

// A refused arrival, kept for the security officer with the reason (and
// the payload, when it is worth keeping); the refusal stands even if the
// quarantine could not be written.
Error ExchangeService::Quarantine(Error e, const ArrivalFrom& from, std::string_view payload,
                                  std::size_t size) {
  exchange::QuarantineItem q;
  q.received_at = from.at;
  q.claimed_sender = from.claimed;
  q.tls_subject = from.tls_subject;
  q.reason_code = ReasonOf(e);
  q.message = e.fields.empty() ? e.message : e.fields.front().message;
  q.payload_size = static_cast<std::int64_t>(size);
  if (!payload.empty() && payload.size() <= settings_.max_package_bytes) {
    if (auto blob = blobs_.Put(payload, std::nullopt); blob.ok()) q.payload_sha256 = blob->sha256;
  }
  auto stored = store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(q.id, exchange::Store(tx).InsertQuarantine(q));
    return Audit(tx, nullptr, "exchange.refused", "quarantine", q.id,
                 json::serialize(json::object{{"reason", q.reason_code},
                                              {"claimed_sender", q.claimed_sender},
                                              {"tls_subject", q.tls_subject},
                                              {"message", q.message}}));
  });
  LogIfFailed(stored, "exchange.quarantine_not_stored");
  return e;
}

// The arrival's incoming copy, its files and their checks, what it does
// to an earlier package (update, replace), and the inbox row with its
// receipt (signed before): one transaction, so a package is stored once or
// not at all.
Status ExchangeService::StoreArrival(
    store::Tx& tx, const Arrival& a,
    std::vector<std::pair<edxml::Attachment, blob::BlobInfo>>& files,
    std::vector<std::optional<signatures::DocumentSignature>>& checks) {
  const edxml::Package& p = a.package;
  const Timestamp now = a.at;
  // The receiving unit: the one registered under this agency code, else the top.
  CHY_TRY(auto units, org::Store(tx).ListUnits());
  std::optional<Id> unit_id;
  for (const auto& u : units) {
    if (u.active && u.agency_code == config_.agency_code) unit_id = u.id;
  }
  for (const auto& u : units) {
    if (!unit_id && u.active && !u.parent_id) unit_id = u.id;
  }
  if (!unit_id) return MakeError(ErrorCode::kUnavailable, "This node has no units yet.");
  Document copy = a.copy;
  copy.unit_id = *unit_id;
  CHY_TRY(copy.id, documents::Store(tx).InsertDocument(copy));
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& [a, info] = files[i];
    documents::NamedFile f;
    f.document_id = copy.id;
    f.sha256 = info.sha256;
    f.file_name = a.name;
    f.size = static_cast<std::int64_t>(info.size);
    f.content_type = info.content_type;
    CHY_TRY_STATUS(QueueFileText(tx, info.sha256, a.bytes));  // before it is attached
    CHY_TRY_STATUS(documents::Store(tx).InsertAttachment(f, now));
    if (checks[i]) {
      checks[i]->document_id = copy.id;
      CHY_TRY_STATUS(signatures::Store(tx).InsertDocumentSignature(*checks[i]));
    }
  }
  // An update or replacement acts on the copy of the earlier package.
  if (p.business.doc_type == 2 || p.business.doc_type == 3) {
    CHY_TRY(auto earlier, exchange::Store(tx).InboxOfPackage(p.from.id, p.business.document_id));
    if (earlier && earlier->document_id) {
      CHY_TRY(Document old, documents::Store(tx).GetDocument(*earlier->document_id));
      if (p.business.doc_type == 3 && old.state != "replaced") {
        old.state = "replaced";
        old.updated_at = now;
        CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(old));
      }
      CHY_TRY_STATUS(
          Audit(tx, nullptr, p.business.doc_type == 3 ? "document.replaced" : "document.corrected",
                "document", old.id,
                json::serialize(json::object{{"by", copy.id}, {"edxml_id", p.document_id}})));
    }
  }
  exchange::InboxItem in;
  in.dedupe_key = a.dedupe_key;
  in.sender_code = p.from.id;
  in.kind = "package";
  in.edxml_id = p.document_id;
  in.code = std::to_string(p.business.doc_type);
  in.payload_sha256 = a.payload_sha256;
  in.document_id = copy.id;
  in.receipt = a.receipt;
  in.received_at = now;
  CHY_TRY_STATUS(exchange::Store(tx).InsertInbox(in));
  CHY_TRY_STATUS(
      exchange::Store(tx).InsertExchangeStatus({0, copy.id, p.from.id, "out", "01", "", now}));
  return Audit(tx, nullptr, "exchange.received", "document", copy.id,
               json::serialize(json::object{{"from", p.from.id},
                                            {"via", a.via},
                                            {"edxml_id", p.document_id},
                                            {"sha256", a.payload_sha256},
                                            {"signer", a.signer}}));
}

// The sender a package names, when the calling node may bring it: the
// sender itself, or the gateway that reaches it (whose signature over the
// hop must check out). A refusal otherwise (IMPERSONATION,
// HOP_SIGNATURE_INVALID).
Result<exchange::Peer> ExchangeService::SenderOf(const PeerCall& call, const exchange::Peer& caller,
                                                 const std::string& sender_code,
                                                 std::string_view bytes, Timestamp now) {
  exchange::Peer sender;
  auto s = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(sender, exchange::Store(tx).GetPeer(sender_code));
    return Ok();
  });
  const bool direct = s.ok() && sender.agency_code == caller.agency_code;
  const bool via_gateway = s.ok() && !sender.via.empty() && sender.via == caller.agency_code;
  if (!direct && !via_gateway) {
    return Refusal(
        "package", "IMPERSONATION",
        "the package says it is from " + sender_code + " but came from " + caller.agency_code);
  }
  if (via_gateway) {
    auto hop = HexDecode(call.hop_signature);
    auto ok = hop ? pki::VerifyDetached(*hop, bytes, {caller.ca_pem}, {}, now)
                  : Result<pki::Verification>(Error::Invalid("hop", "missing", ""));
    if (!ok.ok() || !ok->valid) {
      return Refusal("package", "HOP_SIGNATURE_INVALID",
                     "the gateway's signature over the forwarded package does not check out");
    }
  }
  return sender;
}

Result<std::string> ExchangeService::ReceivePackage(const PeerCall& call, std::string_view bytes) {
  const Timestamp now = clock_.Now();
  std::string claimed, tls_subject;
  // A refused arrival is kept for the security officer, with the reason.
  auto quarantine = [&](Error e, bool keep_payload) -> Error {
    return Quarantine(std::move(e), {now, claimed, tls_subject}, keep_payload ? bytes : "",
                      bytes.size());
  };
  // 1. Who is calling: a peer in the directory, by its TLS certificate.
  if (auto info = pki::DescribeCertificate(call.peer_certificate_pem); info.ok()) {
    tls_subject = info->subject;
  }
  auto known = KnownPeer(call.peer_certificate_pem);
  if (!known.ok()) return quarantine(known.error(), false);
  const exchange::Peer caller = *known;
  if (bytes.size() > settings_.max_package_bytes) {
    return quarantine(Refusal("package", "TOO_LARGE", "the package is over the size limit"), false);
  }
  // 2. What it is.
  edxml::Limits limits;
  limits.max_bytes = settings_.max_package_bytes;
  auto parsed = edxml::ReadPackage(bytes, limits);
  if (!parsed.ok()) {
    return quarantine(Refusal("package", ReasonOf(parsed.error()), parsed.error().message), true);
  }
  const edxml::Package& p = parsed->package;
  claimed = p.from.id;
  // 3. From whom: the sender's agency must be the caller, or reached through
  // the calling gateway.
  auto from = SenderOf(call, caller, p.from.id, bytes, now);
  if (!from.ok()) return quarantine(from.error(), true);
  const exchange::Peer& sender = *from;
  // 4. Signed by the sender's CA, every attachment as signed.
  auto check = edxml::VerifySignature(*parsed, {sender.ca_pem}, {}, now);
  if (!check.ok()) return quarantine(Refusal("package", "FORMAT", check.error().message), true);
  if (!check->ok) return quarantine(Refusal("package", check->reason_code, check->message), true);
  // 5. For us, and cleared for this link.
  const bool for_us = std::any_of(
      p.to.begin(), p.to.end(), [&](const edxml::Organ& o) { return o.id == config_.agency_code; });
  if (!for_us) {
    return quarantine(
        Refusal("package", "NOT_ADDRESSED", "the package is not addressed to this agency"), true);
  }
  const Classification label =
      ParseClassification(p.classification.empty() ? "normal" : p.classification)
          .value_or(Classification::kTopSecret);
  if (static_cast<int>(label) > static_cast<int>(sender.max_classification)) {
    return quarantine(
        Refusal("package", "CLASSIFICATION",
                "documents classified " + p.classification + " may not come over this link"),
        false);
  }
  // 6. Once: a repeat is answered with the first receipt.
  const std::string key = PackageDedupeKey(p);
  std::optional<exchange::InboxItem> seen;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(seen, exchange::Store(tx).FindInbox(key));
    return Ok();
  }));
  if (seen) return seen->receipt;
  // 7. Store the package and its attachments, check their signatures and sign
  // the receipt; then the incoming copy, in one transaction.
  CHY_TRY(auto payload_blob, blobs_.Put(bytes, std::nullopt));
  std::vector<std::pair<edxml::Attachment, blob::BlobInfo>> files;
  for (const auto& a : p.attachments) {
    CHY_TRY(auto info, blobs_.Put(a.bytes, std::nullopt));
    files.emplace_back(a, info);
  }
  // The attachments' own signatures are checked before the write
  // transaction, so other arrivals need not wait on the PDF work.
  SignatureService::TrustAnchors anchors;
  std::optional<NodeCertificates> node;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(anchors, signatures_.TrustAnchorsOf(tx, &sender.ca_pem));
    CHY_TRY(node, NodeCertificatesOf(tx, "node", std::nullopt));
    return Ok();
  }));
  std::vector<std::optional<signatures::DocumentSignature>> checks;
  for (const auto& [a, info] : files) {
    CHY_TRY(auto check, signatures_.CheckArrival(anchors, info.sha256, a.name));
    checks.push_back(std::move(check));
  }
  // So is the receipt signed: it says what arrived, not where it went.
  DocumentInput input = IncomingInputOf(p);
  input.classification = label;  // as checked against the link
  CHY_TRY(Document copy, documents_.IncomingDocument(0, 0, input, now));
  edxml::ResponseFor about;
  about.organ_id = p.from.id;
  about.document_id = p.document_id;
  about.code = copy.original_number_symbol;
  about.promulgation_date = p.promulgation_date;
  CHY_TRY(std::string receipt, SignedReceipt(node->cert, node->ca, about, bytes));
  const Arrival arrival{p,
                        key,
                        payload_blob.sha256,
                        caller.agency_code,
                        check->signer_subject,
                        now,
                        std::move(copy),
                        receipt};
  Status stored = store_.Write(
      [&](store::Tx& tx) -> Status { return StoreArrival(tx, arrival, files, checks); });
  if (!stored.ok()) {
    // Two deliveries of the same package at once: the second finds the first.
    if (stored.error().code == ErrorCode::kConflict) {
      std::optional<exchange::InboxItem> first;
      CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
        CHY_TRY(first, exchange::Store(tx).FindInbox(key));
        return Ok();
      }));
      if (first) return first->receipt;
    }
    return stored.error();
  }
  WakeTextReader();
  return receipt;
}

Result<std::string> ExchangeService::ReceiveStatus(const PeerCall& call, std::string_view bytes) {
  const Timestamp now = clock_.Now();
  CHY_TRY(const exchange::Peer caller, KnownPeer(call.peer_certificate_pem));
  auto parsed = edxml::ReadStatus(bytes, {});
  if (!parsed.ok()) return Refusal("status", ReasonOf(parsed.error()), parsed.error().message);
  const edxml::StatusNotice& n = parsed->status;
  exchange::Peer sender;
  Status known = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(sender, exchange::Store(tx).GetPeer(n.from.id));
    return Ok();
  });
  if (!known.ok() ||
      (sender.agency_code != caller.agency_code && sender.via != caller.agency_code)) {
    return Refusal(
        "status", "IMPERSONATION",
        "the notice says it is from " + n.from.id + " but came from " + caller.agency_code);
  }
  CHY_TRY(auto check, edxml::VerifySignature(*parsed, {sender.ca_pem}, {}, now));
  if (!check.ok) return Refusal("status", check.reason_code, check.message);
  static const std::vector<std::string_view> kCodes{"02", "03", "04", "05", "06", "13", "15", "16"};
  if (std::find(kCodes.begin(), kCodes.end(), n.status_code) == kCodes.end()) {
    return Refusal("status", "FORMAT", "status code " + n.status_code + " cannot be sent");
  }
  const std::string key = StatusDedupeKey(n);
  // The receipt is signed and the notice stored before the transaction.
  std::optional<NodeCertificates> node;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(node, NodeCertificatesOf(tx, "node", std::nullopt));
    return Ok();
  }));
  CHY_TRY(std::string receipt, SignedReceipt(node->cert, node->ca, n.response_for, bytes));
  CHY_TRY(auto blob, blobs_.Put(bytes, std::nullopt));
  Status stored = store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto seen, exchange::Store(tx).FindInbox(key));
    if (seen) {
      receipt = seen->receipt;
      return Ok();
    }
    std::optional<Id> document_id;
    if (n.status_code == "13") {
      // The sender asks to withdraw what it sent us: freeze our copy.
      CHY_TRY(auto arrival,
              exchange::Store(tx).InboxOfPackage(n.from.id, n.response_for.document_id));
      if (!arrival || !arrival->document_id) {
        return Refusal("status", "UNKNOWN_DOCUMENT", "no document " + n.response_for.document_id);
      }
      document_id = arrival->document_id;
      CHY_TRY(Document copy, documents::Store(tx).GetDocument(*document_id));
      if (copy.state != "recalled" && copy.state != "returned" &&
          copy.state != "recall_requested") {
        CHY_TRY_STATUS(exchange::Store(tx).SetInboxPriorState(arrival->id, copy.state));
        copy.state = "recall_requested";
        copy.return_reason = n.description;
        copy.updated_at = now;
        CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(copy));
      }
    } else {
      // A notice about a document we sent: find it by its edXML id.
      CHY_TRY(document_id,
              exchange::Store(tx).DocumentOfPackage(n.response_for.document_id, n.from.id));
      if (!document_id) {
        return Refusal("status", "UNKNOWN_DOCUMENT", "no document " + n.response_for.document_id);
      }
    }
    CHY_TRY_STATUS(exchange::Store(tx).InsertExchangeStatus(
        {0, *document_id, n.from.id, "in", n.status_code, n.description, n.timestamp}));
    exchange::InboxItem in;
    in.dedupe_key = key;
    in.sender_code = n.from.id;
    in.kind = "status";
    in.edxml_id = n.response_for.document_id;
    in.code = n.status_code;
    in.payload_sha256 = blob.sha256;
    in.receipt = receipt;
    in.received_at = now;
    CHY_TRY_STATUS(exchange::Store(tx).InsertInbox(in));
    return Audit(tx, nullptr, "exchange.status", "document", document_id,
                 json::serialize(json::object{{"from", n.from.id},
                                              {"code", n.status_code},
                                              {"edxml_id", n.response_for.document_id},
                                              {"description", n.description}}));
  });
  if (!stored.ok()) return stored.error();
  return receipt;
}

}  // namespace chancery::services
