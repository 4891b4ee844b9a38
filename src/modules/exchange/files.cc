// Exchange: what a document's exchange looks like (per recipient, outbox, quarantine) and edXML
// files in and out.
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
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace exchange_detail;  // NOLINT: this module's own helpers

// ---------------------------------------------------------------- views

Result<std::vector<ExchangeRecipient>> ExchangeService::ExchangeOf(const Actor& actor,
                                                                   Id document_id) {
  std::vector<ExchangeRecipient> out;
  CHY_TRY_STATUS(
      ReadDocument(actor, document_id, "exchange", [&](store::Tx& tx, const Document& d) -> Status {
        CHY_TRY(auto statuses, exchange::Store(tx).ListExchangeStatuses(d.id));
        CHY_TRY(auto outbox, exchange::Store(tx).ListOutbox(d.id, "", 1000));
        std::vector<std::string> codes = d.recipient_agency_codes;
        for (const auto& s : statuses) {
          if (std::find(codes.begin(), codes.end(), s.agency_code) == codes.end()) {
            codes.push_back(s.agency_code);
          }
        }
        for (const auto& code : codes) {
          ExchangeRecipient r;
          r.agency_code = code;
          if (auto peer = exchange::Store(tx).GetPeer(code); peer.ok()) r.name = peer->name;
          for (auto it = outbox.rbegin(); it != outbox.rend(); ++it) {  // oldest first
            if (it->peer_code == code && it->kind == "package") {
              r.delivery = it->state;
              r.attempts = it->attempts;
              r.last_error = it->last_error;
            }
          }
          for (const auto& s : statuses) {
            if (s.agency_code != code) continue;
            r.history.push_back(s);
            // The recipient's latest word: what came in from them (outgoing), or
            // what we told the sender (an incoming copy).
            const bool theirs =
                d.direction == Direction::kOutgoing ? s.direction == "in" : s.direction == "out";
            if (theirs) {
              r.latest_code = s.code;
              r.latest_description = s.description;
              r.latest_at = s.at;
            }
          }
          out.push_back(std::move(r));
        }
        return Ok();
      }));
  return out;
}

Result<Page<exchange::OutboxItem>> ExchangeService::ListOutbox(
    const Actor& actor, const std::string& state, const std::optional<std::string>& cursor,
    int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleAdmin | kRoleSecurity));
  CHY_TRY(std::optional<Id> before, IdCursor(cursor));
  limit = std::max(limit, 1);
  Page<exchange::OutboxItem> page;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto rows, exchange::Store(tx).ListOutbox(std::nullopt, state, limit + 1, before));
    // The same visibility rule as a document list: rows of documents the
    // caller may not open are not there (so a page may show fewer than
    // `limit`; the cursor still moves past them).
    Page<exchange::OutboxItem> all = PageOfRows(std::move(rows), limit);
    page.next_cursor = all.next_cursor;
    for (auto& item : all.items) {
      if (item.document_id && !ReadableDocument(tx, actor, *item.document_id).ok()) continue;
      item.receipt.clear();  // the list is a summary
      page.items.push_back(std::move(item));
    }
    return Ok();
  }));
  return page;
}

Result<Page<exchange::QuarantineItem>> ExchangeService::ListQuarantine(
    const Actor& actor, const std::optional<std::string>& cursor, int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  CHY_TRY(std::optional<Id> before, IdCursor(cursor));
  limit = std::max(limit, 1);
  Page<exchange::QuarantineItem> page;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto rows, exchange::Store(tx).ListQuarantine(limit + 1, before));
    page = PageOfRows(std::move(rows), limit);
    return Ok();
  }));
  return page;
}

Result<Download> ExchangeService::ExportEdxml(const Actor& actor, Id document_id,
                                              const std::string& agency_code) {
  std::string sha256, edxml_id;
  CHY_TRY_STATUS(
      ReadDocument(actor, document_id, "edxml", [&](store::Tx& tx, const Document& d) -> Status {
        if (d.direction == Direction::kIncoming) {
          CHY_TRY(auto arrival, exchange::Store(tx).InboxOfDocument(d.id));
          if (arrival) {
            sha256 = arrival->payload_sha256;
            edxml_id = arrival->edxml_id;
          }
        } else {
          CHY_TRY(auto rows, exchange::Store(tx).ListOutbox(d.id, "", 1000));
          for (const auto& r : rows) {
            if (r.kind == "package" && (agency_code.empty() || r.peer_code == agency_code)) {
              sha256 = r.payload_sha256;
              edxml_id = r.edxml_id;
            }
          }
        }
        if (sha256.empty()) {
          return MakeError(ErrorCode::kNotFound, "This document has no edXML package.");
        }
        return Ok();
      }));
  CHY_TRY(auto info, blobs_.Stat(sha256));
  CHY_TRY(std::string bytes, blobs_.Read(sha256, 0, info.size));
  // Files for people and other systems carry their attachments in base64.
  CHY_TRY(std::string file, WithBase64Parts(bytes));
  Download out;
  out.sha256 = Sha256Hex(file);
  out.bytes = std::move(file);
  out.size = out.bytes.size();
  std::string name = edxml_id;
  for (char& c : name) {
    if (c == '/' || c == ',' || c == ' ') c = '_';
  }
  out.file_name = name + ".edxml";
  out.content_type = "multipart/related";
  return out;
}

Result<CreatedDocument> ExchangeService::ImportEdxml(const Actor& actor, std::string_view file,
                                                     std::optional<std::string> duplicate_reason) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk));
  edxml::Limits limits;
  limits.max_bytes = settings_.max_package_bytes;
  auto parsed = edxml::ReadPackage(file, limits);
  if (!parsed.ok()) {
    return Error::Invalid("file", ReasonOf(parsed.error()), parsed.error().message);
  }
  SignatureService::TrustAnchors anchors;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(anchors, signatures_.TrustAnchorsOf(tx));
    return Ok();
  }));
  // Revocation is not checked here: an edXML file from elsewhere comes
  // without its CA's CRL (the verdict would be REVOCATION_UNKNOWN).
  CHY_TRY(auto check, edxml::VerifySignature(*parsed, anchors.roots, {}, clock_.Now()));
  if (!check.ok) return Error::Invalid("file", check.reason_code, check.message);
  const edxml::Package& p = parsed->package;
  std::vector<blob::BlobInfo> blobs;
  for (const auto& a : p.attachments) {
    CHY_TRY(auto info, blobs_.Put(a.bytes, std::nullopt));
    blobs.push_back(info);
  }
  DocumentInput in = IncomingInputOf(p);
  in.duplicate_reason = std::move(duplicate_reason);
  std::optional<blob::BlobInfo> scan;
  if (!blobs.empty()) {
    scan = blobs.front();
    in.scan_file_name = p.attachments.front().name;
  }
  // The file came inside the edXML the clerk brought: it is theirs to attach.
  CHY_TRY(CreatedDocument created,
          documents_.Receive(actor, in, scan, /*scan_is_an_upload=*/false));
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    // The scan (the first file) is the document's already; each file's text
    // is read later and found through its hash.
    for (std::size_t i = 0; i < blobs.size(); ++i) {
      CHY_TRY_STATUS(QueueFileText(tx, blobs[i].sha256, p.attachments[i].bytes));
    }
    for (std::size_t i = 1; i < blobs.size(); ++i) {
      documents::NamedFile f;
      f.document_id = created.document.id;
      f.sha256 = blobs[i].sha256;
      f.file_name = p.attachments[i].name;
      f.size = static_cast<std::int64_t>(blobs[i].size);
      f.content_type = blobs[i].content_type;
      CHY_TRY_STATUS(documents::Store(tx).InsertAttachment(f, clock_.Now()));
    }
    return Audit(
        tx, &actor, "exchange.imported", "document", created.document.id,
        json::serialize(json::object{
            {"edxml_id", p.document_id}, {"from", p.from.id}, {"signer", check.signer_subject}}));
  }));
  WakeTextReader();
  return created;
}

}  // namespace chancery::services
