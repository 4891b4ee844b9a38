// Exchange: packages and status notices queued with the change that causes them, and their delivery
// in order per peer with retries.
#include <algorithm>
#include <boost/json.hpp>

#include "core/digest.h"
#include "core/document_flow.h"
#include "core/page.h"
#include "lib/edxml/edxml.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki.h"
#include "modules/documents/store.h"
#include "modules/exchange/internal.h"
#include "modules/exchange/service.h"
#include "modules/exchange/store.h"
#include "modules/org/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace exchange_detail;  // NOLINT: this module's own helpers

// ---------------------------------------------------------------- sending

Status ExchangeService::CheckExternalRecipients(store::Tx& tx, const Document& d) {
  if (!d.recipient_agency_codes.empty() && config_.agency_code.empty()) {
    return Error::Invalid("recipient_agency_codes", "no_agency_code",
                          "This node has no agency code ([exchange] agency_code in chancery.toml): "
                          "it cannot send to other agencies.");
  }
  for (const auto& code : d.recipient_agency_codes) {
    auto peer = exchange::Store(tx).GetPeer(code);
    if (!peer.ok() || !peer->active) {
      return Error::Invalid("recipient_agency_codes", "unknown",
                            "Agency " + code + " is not in the directory.");
    }
    if (static_cast<int>(d.classification) > static_cast<int>(peer->max_classification)) {
      return Error::Invalid("recipient_agency_codes", "classification",
                            "Agency " + code + " may not receive documents classified " +
                                std::string(ClassificationName(d.classification)) + ".");
    }
  }
  return Ok();
}

// Whether `actor` may take `action` on `d` as it stands (the action's
// transaction checks again, and answers why not): nothing is signed for an
// action that cannot happen. A lead person's assign, note and complete are
// judged by the transaction alone.
namespace {
bool MayTake(const Actor& actor, const Document& d, const std::string& action) {
  auto t = FindTransition(d.direction, d.state, action);
  if (!t.ok()) return false;
  return (actor.roles & (*t)->roles) != 0 || action == "assign" || action == "note" ||
         action == "complete";
}
}  // namespace

Result<PreparedMessages> ExchangeService::PrepareMessages(
    const Actor& actor, Id id, const std::string& action, const ActionInput& in,
    const std::optional<documents::NamedFile>& signed_main) {
  PreparedMessages out;
  std::optional<PackagePlan> packages;
  std::vector<NoticePlan> notices;
  std::optional<NodeCertificates> node;
  Classification label = Classification::kNormal;
  // What to send, read in one snapshot; signed and stored after it.
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    auto d = ReadableDocument(tx, actor, id);
    if (!d.ok() || !MayTake(actor, *d, action)) return Ok();
    out.document_version = d->version;
    label = d->classification;
    if (action == "issue" && !d->recipient_agency_codes.empty()) {
      CHY_TRY(packages, PackagePlanOf(tx, *d, signed_main));
    }
    CHY_TRY(notices, NoticesFor(tx, *d, action, in));
    if (!notices.empty()) {
      CHY_TRY(node, NodeCertificatesOf(tx, "node", std::nullopt));
    }
    return Ok();
  }));
  if (packages) CHY_TRY_STATUS(SignPackages(*packages, out.messages));
  for (const auto& n : notices) CHY_TRY_STATUS(SignNotice(n, label, *node, out.messages));
  return out;
}

Result<ExchangeService::NodeCertificates> ExchangeService::NodeCertificatesOf(
    store::Tx& tx, std::string_view profile, std::optional<Id> unit_id) {
  CHY_TRY(auto cert, Newest(tx, profile, unit_id));
  if (!cert && profile != "node") {
    CHY_TRY(cert, Newest(tx, "node", std::nullopt));
  }
  CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
  if (!cert || !ca) return NoNodeCertificate();
  return NodeCertificates{std::move(*cert), std::move(*ca)};
}

Result<ExchangeService::PackagePlan> ExchangeService::PackagePlanOf(
    store::Tx& tx, const Document& d, const std::optional<documents::NamedFile>& signed_main) {
  CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
  PackagePlan plan;
  CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
  CHY_TRY(Unit issuer, org::Store(tx).GetUnit(issuer_id));
  // The issuing unit's seal signs its packages; the node's certificate if it has none.
  CHY_TRY(plan.signer, NodeCertificatesOf(tx, "organization", issuer.id));
  const Timestamp now = clock_.Now();
  edxml::Package& p = plan.package;
  p.from = OrganOf(config_.agency_code, issuer.name);
  const std::string number = d.number ? std::to_string(*d.number) : std::string();
  const auto slash = d.number_symbol.find('/');
  p.code_number = number;
  p.code_notation =
      slash == std::string::npos ? d.number_symbol : d.number_symbol.substr(slash + 1);
  p.promulgation_date = d.issued_date.value_or(VietnamDate(now));
  p.document_id =
      edxml::DocumentIdOf(config_.agency_code, p.promulgation_date, number, p.code_notation);
  p.place = issuer.name;
  const DocumentType* type = FindDocumentType(d.type_code);
  p.type_name = type ? type->name_vi : "Công văn";
  p.subject = d.subject;
  p.signer_full_name = d.signer_name;
  p.signer_position = d.signer_position;
  p.due_date = d.deadline;
  p.priority = static_cast<int>(d.urgency);
  p.page_amount = d.page_count.value_or(0);
  p.promulgation_amount = d.copies.value_or(0);
  p.classification = std::string(ClassificationName(d.classification));
  p.urgency = std::string(UrgencyName(d.urgency));
  p.traces.push_back({config_.agency_code, now});
  CHY_TRY_STATUS(SetBusiness(tx, d, p.business));
  // Attachments: the signed main file, then the appendices.
  if (signed_main) {
    plan.files.push_back(*signed_main);
  } else {
    CHY_TRY(auto versions, documents::Store(tx).ListVersions(d.id));
    if (!versions.empty()) plan.files.push_back(versions.back());
  }
  CHY_TRY(auto appendices, documents::Store(tx).ListAttachments(d.id));
  for (const auto& f : appendices) plan.files.push_back(f);
  for (const auto& code : d.recipient_agency_codes) {
    CHY_TRY(auto peer, exchange::Store(tx).GetPeer(code));
    plan.peers.push_back(std::move(peer));
  }
  return plan;
}

// What the package does to an earlier one: replace (3) or update (2).
Status ExchangeService::SetBusiness(store::Tx& tx, const Document& d, edxml::Business& b) {
  auto earlier_id = [&](Id earlier) -> Result<std::string> {
    CHY_TRY(auto rows, exchange::Store(tx).ListOutbox(earlier, "", 1000));
    for (const auto& r : rows) {
      if (r.kind == "package") return r.edxml_id;
    }
    return std::string();
  };
  if (d.replaces_id) {
    CHY_TRY(std::string old, earlier_id(*d.replaces_id));
    if (!old.empty()) {
      b.doc_type = 3;
      b.document_id = old;
      b.reason = "Thay thế văn bản " + old;
    }
  } else if (d.corrects_id) {
    CHY_TRY(std::string old, earlier_id(*d.corrects_id));
    if (!old.empty()) {
      b.doc_type = 2;
      b.document_id = old;
      b.reason = "Đính chính văn bản " + old;
    }
  }
  return Ok();
}

Status ExchangeService::SignPackages(PackagePlan& plan, std::vector<OutgoingMessage>& out) {
  CHY_TRY(pki::Signer signer, NodeSigner(plan.signer.cert, plan.signer.ca));
  edxml::Package& p = plan.package;
  int n = 0;
  for (const auto& f : plan.files) {
    CHY_TRY(auto info, blobs_.Stat(f.sha256));
    CHY_TRY(std::string bytes, blobs_.Read(f.sha256, 0, info.size));
    edxml::Attachment a;
    a.content_id = "att" + std::to_string(++n) + "@" + config_.agency_code;
    a.name = f.file_name;
    a.content_type = info.content_type;
    a.bytes = std::move(bytes);
    p.attachments.push_back(std::move(a));
  }
  for (const auto& peer : plan.peers) {
    p.to = {OrganOf(peer.agency_code, peer.name)};
    CHY_TRY(std::string wire, edxml::WritePackage(p, signer, {.binary_parts = true}));
    CHY_TRY(auto blob, blobs_.Put(wire, std::nullopt));
    out.push_back({peer.agency_code, "package", p.document_id, std::to_string(p.business.doc_type),
                   "", blob.sha256, static_cast<std::int64_t>(wire.size())});
  }
  return Ok();
}

// The status notices `action` on `d` sends back.
Result<std::vector<ExchangeService::NoticePlan>> ExchangeService::NoticesFor(
    store::Tx& tx, const Document& d, const std::string& action, const ActionInput& in) {
  std::vector<NoticePlan> out;
  if (d.direction == Direction::kOutgoing) {
    if (action != "recall") return out;
    // Ask each agency that got it to withdraw it (13); they answer 15 or 16.
    CHY_TRY(auto sent, exchange::Store(tx).ListOutbox(d.id, "", 1000));
    for (const auto& item : sent) {
      if (item.kind != "package" || item.state == "refused") continue;
      const bool asked = std::any_of(out.begin(), out.end(), [&](const NoticePlan& n) {
        return n.peer_code == item.peer_code;
      });
      if (!asked) out.push_back({item.peer_code, item.edxml_id, "13", in.reason});
    }
    return out;
  }
  CHY_TRY(auto arrival, exchange::Store(tx).InboxOfDocument(d.id));
  if (!arrival) return out;  // not from another agency
  std::string_view code = StatusForAction(action);
  if (code.empty()) return out;
  // Notes while in progress say "processing" once, not once per note.
  if (code == "05" && d.state == "in_progress") return out;
  out.push_back({arrival->sender_code, arrival->edxml_id, std::string(code),
                 !in.reason.empty() ? in.reason : in.comment});
  return out;
}

Status ExchangeService::SignNotice(const NoticePlan& plan, Classification label,
                                   const NodeCertificates& node,
                                   std::vector<OutgoingMessage>& out) {
  CHY_TRY(pki::Signer signer, NodeSigner(node.cert, node.ca));
  edxml::StatusNotice n;
  n.response_for.organ_id = plan.peer_code;
  n.response_for.document_id = plan.edxml_id;
  n.from = OrganOf(config_.agency_code, config_.node_name);
  n.status_code = plan.code;
  // A notice travels as "normal" (gateways cannot know what it is about):
  // about a classified document it carries its code and no free text, so
  // nothing of the document crosses a zone it may not leave.
  if (label == Classification::kNormal) n.description = plan.description;
  n.timestamp = clock_.Now();
  CHY_TRY(std::string xml, edxml::WriteStatus(n, signer));
  CHY_TRY(auto blob, blobs_.Put(xml, std::nullopt));
  out.push_back({plan.peer_code, "status", plan.edxml_id, plan.code, plan.description, blob.sha256,
                 static_cast<std::int64_t>(xml.size())});
  return Ok();
}

Result<bool> ExchangeService::SendsMessages(store::Tx& tx, const Document& d,
                                            const std::string& action, const ActionInput& in) {
  if (action == "issue") return !d.recipient_agency_codes.empty();
  CHY_TRY(auto notices, NoticesFor(tx, d, action, in));
  return !notices.empty();
}

Status ExchangeService::QueueMessages(store::Tx& tx, const Actor& actor, const Document& d,
                                      const PreparedMessages& prepared) {
  const Timestamp now = clock_.Now();
  for (const auto& m : prepared.messages) {
    exchange::OutboxItem item;
    item.peer_code = m.peer_code;
    item.kind = m.kind;
    item.document_id = d.id;
    item.edxml_id = m.edxml_id;
    item.code = m.code;
    item.payload_sha256 = m.payload_sha256;
    item.payload_size = m.payload_size;
    item.next_attempt_at = now;
    item.created_at = now;
    CHY_TRY(item.id, exchange::Store(tx).InsertOutbox(item));
    if (m.kind == "package") {
      CHY_TRY_STATUS(
          Audit(tx, &actor, "exchange.queued", "document", d.id,
                json::serialize(json::object{{"to", m.peer_code},
                                             {"edxml_id", m.edxml_id},
                                             {"sha256", m.payload_sha256},
                                             {"business", ParseInt(m.code).value_or(0)}})));
    } else {
      CHY_TRY_STATUS(exchange::Store(tx).InsertExchangeStatus(
          {0, d.id, m.peer_code, "out", m.code, m.description, now}));
    }
  }
  return Ok();
}

Status ExchangeService::ExchangeAfterAction(store::Tx& tx, const Actor& /*actor*/, Document& d,
                                            const std::string& action, const ActionInput& in) {
  if (d.direction != Direction::kIncoming || action != "refuse_recall") return Ok();
  CHY_TRY(auto arrival, exchange::Store(tx).InboxOfDocument(d.id));
  if (!arrival) return Ok();  // not from another agency
  CHY_TRY_STATUS(CheckText("reason", in.reason, 1000, true));
  d.state = arrival->prior_state.empty() ? "received" : arrival->prior_state;
  return Ok();
}

Result<DeliveryRound> ExchangeService::DeliverDue(const PeerTransport& send, int limit) {
  DeliveryRound round;
  std::vector<exchange::OutboxItem> due;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(due, exchange::Store(tx).DueOutbox(clock_.Now(), limit));
    return Ok();
  }));
  for (auto item : due) {
    exchange::Peer peer, target;
    std::string payload;
    CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
      CHY_TRY(peer, exchange::Store(tx).GetPeer(item.peer_code));
      target = peer;
      // A peer in another zone is reached through its gateway.
      if (!peer.via.empty()) {
        CHY_TRY(target, exchange::Store(tx).GetPeer(peer.via));
      }
      return Ok();
    }));
    CHY_TRY(auto info, blobs_.Stat(item.payload_sha256));
    CHY_TRY(payload, blobs_.Read(item.payload_sha256, 0, info.size));
    const bool package = item.kind == "package";
    auto reply = send(target, std::string(package ? kPackagePath : kStatusPath), payload,
                      std::string(package ? kPackageType : kStatusType));
    const Timestamp now = clock_.Now();
    std::string outcome;
    std::string reason, description;
    if (reply.ok() && reply->status == 200) {
      // The receipt must be the peer's signed 01 over exactly what we sent.
      auto receipt = edxml::ReadStatus(reply->body, {});
      std::string bad;
      if (!receipt.ok()) {
        bad = "unreadable receipt: " + receipt.error().message;
      } else {
        auto check = edxml::VerifySignature(*receipt, {peer.ca_pem}, {}, now);
        if (!check.ok() || !check->ok) {
          bad = "receipt signature: " + (check.ok() ? check->message : check.error().message);
        } else if (receipt->status.received_sha256 != Sha256Hex(payload)) {
          bad = "the receipt is for other bytes";
        }
      }
      if (bad.empty()) {
        outcome = "delivered";
      } else {
        outcome = "retry";
        reason = bad;
      }
    } else if (reply.ok() && reply->status >= 400 && reply->status < 500 && reply->status != 408 &&
               reply->status != 429) {
      outcome = "refused";
      std::error_code ec;
      json::value problem = json::parse(reply->body, ec);
      reason = "REFUSED";
      if (!ec && problem.is_object()) {
        if (const auto* r = problem.as_object().if_contains("reason"); r && r->is_string()) {
          reason = std::string(r->as_string());
        }
        if (const auto* t = problem.as_object().if_contains("detail"); t && t->is_string()) {
          description = std::string(t->as_string());
        }
      }
    } else {
      outcome = "retry";
      reason = reply.ok() ? "HTTP " + std::to_string(reply->status) : reply.error().message;
    }
    if (outcome == "retry") {
      ++item.attempts;
      item.last_error = reason;
      if (now - item.created_at >= settings_.give_up_after) {
        outcome = "failed";
      } else {
        item.next_attempt_at =
            now + Backoff(item.attempts, settings_.retry_base, settings_.retry_cap, random_);
      }
    }
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      json::object note{{"to", item.peer_code},
                        {"kind", item.kind},
                        {"edxml_id", item.edxml_id},
                        {"code", item.code},
                        {"attempts", item.attempts}};
      if (outcome == "delivered") {
        item.state = "delivered";
        item.receipt = reply->body;
        item.done_at = now;
        item.last_error.clear();
        ++round.delivered;
        if (package && item.document_id) {
          CHY_TRY_STATUS(exchange::Store(tx).InsertExchangeStatus(
              {0, *item.document_id, item.peer_code, "in", "01", "", now}));
        }
      } else if (outcome == "refused") {
        item.state = "refused";
        item.last_error = reason + (description.empty() ? "" : ": " + description);
        item.done_at = now;
        ++round.refused;
        if (package && item.document_id) {
          CHY_TRY_STATUS(exchange::Store(tx).InsertExchangeStatus(
              {0, *item.document_id, item.peer_code, "in", "02", item.last_error, now}));
        }
        note["reason"] = item.last_error;
      } else if (outcome == "failed") {
        item.state = "failed";
        item.done_at = now;
        ++round.failed;
        note["reason"] = item.last_error;
      } else {
        ++round.retried;
        CHY_TRY_STATUS(exchange::Store(tx).UpdateOutbox(item));
        return Ok();  // retries are not audited one by one; the final outcome is
      }
      CHY_TRY_STATUS(exchange::Store(tx).UpdateOutbox(item));
      return Audit(tx, nullptr, "exchange." + outcome, "document", item.document_id,
                   json::serialize(note));
    }));
  }
  return round;
}

}  // namespace chancery::services
