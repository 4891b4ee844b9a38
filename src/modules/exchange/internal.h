// Helpers the exchange module's files share: refusals, dedupe keys, the
// retry schedule, peers as JSON. Internal to src/modules/exchange.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki.h"
#include "modules/exchange/service.h"
#include "modules/exchange/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace exchange_detail {

constexpr std::string_view kPackagePath = "/exchange/v1/packages";
constexpr std::string_view kStatusPath = "/exchange/v1/statuses";
constexpr std::string_view kPackageType = "multipart/related";
constexpr std::string_view kStatusType = "application/xml";

// A refusal the sender can show: the reason code rides in the first field.
inline Error Refusal(std::string_view what, std::string_view reason, std::string message) {
  Error e = Error::Invalid(std::string(what), std::string(reason), message);
  e.message = "Refused: " + message;
  return e;
}

inline std::string ReasonOf(const Error& e) {
  std::string_view reason = edxml::ReasonOf(e);
  return reason.empty() ? std::string("FORMAT") : std::string(reason);
}

// The SHA-256 fingerprint of a PEM certificate: how peers are known.
inline Result<std::string> CertificateSha256(const std::string& pem) {
  CHY_TRY(auto info, pki::DescribeCertificate(pem));
  return info.sha256;
}

// The node's own newest certificate of a profile (a unit's, with `unit_id`).
inline Result<std::optional<signatures::CertificateRecord>> Newest(store::Tx& tx,
                                                                   std::string_view profile,
                                                                   std::optional<Id> unit_id) {
  return ActiveCertificate(tx, profile, std::nullopt, unit_id);
}

inline Error NoNodeCertificate() {
  return MakeError(ErrorCode::kUnavailable,
                   "This node has no certificate authority yet (chancery pki init-ca): it cannot "
                   "sign what it sends to other agencies.");
}

// Status notices the receiving agency's work sends back, by the action on its copy.
inline std::string_view StatusForAction(std::string_view action) {
  if (action == "register") return "03";
  if (action == "assign") return "04";
  if (action == "note") return "05";
  if (action == "complete") return "06";
  if (action == "return") return "02";
  if (action == "agree_recall") return "15";
  if (action == "refuse_recall") return "16";
  return "";
}

inline std::string StatusDedupeKey(const edxml::StatusNotice& n) {
  return "status|" + n.from.id + "|" + n.response_for.document_id + "|" + n.status_code + "|" +
         FormatTimestamp(n.timestamp);
}

inline std::string PackageDedupeKey(const edxml::Package& p) {
  std::string sent_at;
  for (const auto& t : p.traces) {
    if (t.organ_id == p.from.id) sent_at = FormatTimestamp(t.timestamp);
  }
  return "package|" + p.from.id + "|" + p.document_id + "|" + std::to_string(p.business.doc_type) +
         "|" + sent_at;
}

// Exponential back-off with full jitter: base·2^(attempts-1), capped, times
// a random factor in [0.5, 1].
inline std::chrono::milliseconds Backoff(int attempts, std::chrono::milliseconds base,
                                         std::chrono::milliseconds cap, Random& random) {
  std::int64_t ms = base.count();
  for (int i = 1; i < attempts && ms < cap.count(); ++i) ms *= 2;
  ms = std::min<std::int64_t>(ms, cap.count());
  std::uint32_t r = 0;
  random.Fill(reinterpret_cast<unsigned char*>(&r), sizeof r);
  const double factor = 0.5 + 0.5 * (static_cast<double>(r) / 4294967295.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(ms) * factor));
}

// A package as a file for people and other systems: attachments in base64
// (nodes send them binary). The signature covers the attachments' bytes,
// not their transfer encoding, so it still checks out.
inline Result<std::string> WithBase64Parts(std::string_view package) {
  if (package.find("Content-Transfer-Encoding: binary") == std::string_view::npos) {
    return std::string(package);
  }
  CHY_TRY(auto parts, edxml::internal::ReadMultipart(package, 10000));
  std::vector<const edxml::internal::MimePart*> ordered;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) parts[i].transfer_encoding = "base64";
    ordered.push_back(&parts[i]);
  }
  // Base64 never holds "=_"; the envelope is checked not to.
  const std::string boundary = "=_chancery_" + Sha256Hex(package).substr(0, 24);
  if (!parts.empty() && parts[0].body.find(boundary) != std::string::npos) {
    return MakeError(ErrorCode::kInternal, "MIME boundary clash.");
  }
  return edxml::internal::WriteMultipart(ordered, boundary);
}

inline exchange::Peer PeerOf(const json::object& o) {
  auto text = [&](std::string_view key) {
    const auto* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  exchange::Peer p;
  p.agency_code = text("agency_code");
  p.name = text("name");
  p.endpoint = text("endpoint");
  p.certificate_pem = text("certificate_pem");
  p.ca_pem = text("ca_pem");
  p.via = text("via");
  p.zone = text("zone");
  p.max_classification =
      ParseClassification(text("max_classification")).value_or(Classification::kNormal);
  return p;
}

inline json::object PeerJson(const exchange::Peer& p) {
  return json::object{{"agency_code", p.agency_code},
                      {"name", p.name},
                      {"endpoint", p.endpoint},
                      {"certificate_pem", p.certificate_pem},
                      {"ca_pem", p.ca_pem},
                      {"via", p.via},
                      {"zone", p.zone},
                      {"max_classification", ClassificationName(p.max_classification)}};
}

inline edxml::Organ OrganOf(const std::string& code, const std::string& name) {
  edxml::Organ o;
  o.id = code;
  o.name = name;
  return o;
}

// What a package says about its document, as an incoming registration's
// input (for an arrival from a peer and an imported edXML file alike).
inline DocumentInput IncomingInputOf(const edxml::Package& p) {
  DocumentInput in;
  for (const auto& t : DocumentTypes()) {
    if (t.name_vi == p.type_name) in.type_code = t.code;
  }
  in.subject = p.subject.empty() ? p.document_id : p.subject;
  in.urgency = ParseUrgency(p.urgency).value_or(Urgency::kNormal);
  if (auto label = ParseClassification(p.classification)) in.classification = *label;
  in.issuer_name = p.from.name.empty() ? p.from.id : p.from.name;
  in.original_number_symbol =
      p.code_number.empty() ? p.code_notation : p.code_number + "/" + p.code_notation;
  in.original_date = p.promulgation_date;
  in.signer_name = p.signer_full_name;
  in.signer_position = p.signer_position;
  if (p.page_amount > 0) in.page_count = p.page_amount;
  in.deadline = p.due_date;
  return in;
}

}  // namespace exchange_detail

}  // namespace chancery::services
