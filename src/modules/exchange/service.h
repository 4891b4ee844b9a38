// The exchange module's use cases. Exchange between agencies: directory, sending, receiving, edXML,
// the gateway.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lib/edxml/edxml.h"
#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "modules/exchange/store.h"
#include "modules/signatures/service.h"
#include "modules/signatures/store.h"

namespace chancery::services {

// The exchange module's settings (docs/exchange.md).
struct ExchangeSettings {
  std::string endpoint;  // where peers reach this node: "https://10.0.0.8:8443"
  std::chrono::milliseconds retry_base{1000};     // first retry after about this ...
  std::chrono::milliseconds retry_cap{300000};    // ... doubling up to this, with jitter
  std::chrono::seconds give_up_after{24 * 3600};  // then the delivery fails and the clerk is told
  std::size_t max_package_bytes = 64u << 20;

  // A gateway between network zones (chancery gateway): each zone's rules.
  struct GatewayZone {
    std::string name;  // "bqp", "cp": peers name their zone in the directory
    // The highest label that may leave this zone through the gateway.
    Classification max_out = Classification::kNormal;
    // Agencies in this zone allowed to send out; empty: all in the directory.
    std::vector<std::string> allow_senders;
  };
  std::vector<GatewayZone> gateway_zones;
};

// Exchange between agencies.
struct NodeIdentity {  // what another agency's administrator enters for this node
  std::string agency_code;
  std::string name;
  std::string endpoint;
  std::string certificate_pem;  // the node's certificate: TLS and receipts
  std::string ca_pem;           // the node's CA: its documents' signatures chain to it
  std::string certificate_sha256;
};

// A TLS identity of this node (or of one zone of a gateway): its certificate
// chain and where its key is.
struct TlsIdentity {
  std::string certificate_chain_pem;  // leaf, then the node's CA
  pki::KeyRef key;
  std::string certificate_sha256;
};

// A call from a peer node, authenticated by its TLS client certificate.
struct PeerCall {
  std::string peer_certificate_pem;
  std::string hop_signature;  // from a gateway: its detached CMS over the body (hex)
};

// What a peer's node answered to a delivery.
struct TransportReply {
  int status = 0;
  std::string body;
};

// Sends `body` to `peer`'s endpoint + `path` over mutual TLS (the node
// wires the HTTP client in; services do no networking themselves).
using PeerTransport =
    std::function<Result<TransportReply>(const exchange::Peer& peer, const std::string& path,
                                         const std::string& body, const std::string& content_type)>;

struct ExchangeRecipient {  // one other agency's view of a document
  std::string agency_code;
  std::string name;
  std::string delivery;  // pending, delivered, refused, failed (the package's)
  int attempts = 0;
  std::string last_error;
  std::string latest_code;  // latest status notice, "" before any
  std::string latest_description;
  std::optional<Timestamp> latest_at;
  std::vector<exchange::ExchangeStatus> history;
};

struct DeliveryRound {
  int delivered = 0, refused = 0, retried = 0, failed = 0;
};

// A peer entry from JSON (agency_code, name, endpoint, certificate_pem,
// ca_pem, via, zone, max_classification), as `exchange identity` prints it
// and a directory file lists it; PutPeer checks it.
Result<exchange::Peer> PeerFromJson(std::string_view text);

// The refusal of an arrival: a stable reason code the sender can show.
inline constexpr std::string_view kRefusedProblem = "exchange.refused";

class ExchangeService : public Core, public FlowHooks {
 public:
  ExchangeService(const Core& core, SignatureService& signatures, DocumentService& documents,
                  ExchangeSettings settings = {})
      : Core(core),
        settings_(std::move(settings)),
        signatures_(signatures),
        documents_(documents) {}
  const ExchangeSettings& settings() const { return settings_; }

  // The CAs of the active agencies in the directory (SignatureService::PeerCas).
  Result<std::vector<std::string>> PeerCas(store::Tx& tx);

  // ---- Exchange between agencies (exchange.cc) ----
  Result<NodeIdentity> Identity();
  // The node's certificate and key for mutual TLS with its peers; a
  // gateway's zone gets a certificate of its own, made on first use.
  Result<TlsIdentity> NodeTlsIdentity(const std::string& zone = "");
  Result<std::vector<exchange::Peer>> ListPeers(const Actor& actor);
  // Adds or changes a peer (by agency code) from an administrator's entry.
  Result<exchange::Peer> PutPeer(const Actor& actor, exchange::Peer in);
  // This node's directory (itself and its peers) as a signed file: what a
  // central node publishes, and what ImportDirectory reads.
  Result<std::string> SignedDirectory();
  // Peers from a directory file signed by the peer `source_code` (a central
  // node already in the directory); returns how many entries were taken.
  Result<int> ImportDirectory(const Actor& actor, const std::string& source_code,
                              std::string_view signed_directory);
  // Fetches the signed directory from its publisher and imports it.
  Result<int> RefreshDirectory(const Actor& actor, const std::string& source_code);
  // The peer a TLS client certificate belongs to; a refusal (UNKNOWN_PEER) otherwise.
  Result<exchange::Peer> KnownPeer(const std::string& certificate_pem);
  // How the node fetches a peer's published directory (GET over mutual TLS).
  using DirectoryFetcher = std::function<Result<std::string>(const exchange::Peer& source)>;
  void set_directory_fetcher(DirectoryFetcher fetch) { directory_fetcher_ = std::move(fetch); }
  // Arrivals from peers: a package or a status notice. The answer is the
  // signed receipt (edXML status 01). A refusal is an Error whose first
  // field ("package" or "status") carries the reason code (UNKNOWN_PEER,
  // IMPERSONATION, SIGNATURE_INVALID, ...); the arrival is quarantined.
  Result<std::string> ReceivePackage(const PeerCall& call, std::string_view bytes);
  Result<std::string> ReceiveStatus(const PeerCall& call, std::string_view bytes);
  // One round of the sender: each peer's oldest due item, in order.
  Result<DeliveryRound> DeliverDue(const PeerTransport& send, int limit);
  // Gateway: a package or status notice that arrived on `zone`'s listener,
  // checked again and passed to the recipient's zone when the rules allow,
  // with the gateway's signature over the hop. Every crossing, allowed or
  // refused, is audited with the rule that decided. `send` carries it on.
  using HopSender = std::function<Result<TransportReply>(
      const std::string& to_zone, const exchange::Peer& to, const std::string& path,
      std::string_view body, const std::string& hop_signature)>;
  Result<TransportReply> Forward(const std::string& zone, const PeerCall& call,
                                 const std::string& path, std::string_view body,
                                 const HopSender& send);
  Result<std::vector<ExchangeRecipient>> ExchangeOf(const Actor& actor, Id document_id);
  // Pages newest first; a page shows at most `limit` items.
  Result<Page<exchange::OutboxItem>> ListOutbox(const Actor& actor, const std::string& state,
                                                const std::optional<std::string>& cursor,
                                                int limit);
  Result<Page<exchange::QuarantineItem>> ListQuarantine(const Actor& actor,
                                                        const std::optional<std::string>& cursor,
                                                        int limit);
  // A document's package as an edXML file: the one sent to `agency_code`
  // (outgoing) or the one that arrived (incoming).
  Result<Download> ExportEdxml(const Actor& actor, Id document_id, const std::string& agency_code);
  // An edXML file from elsewhere, registered as an incoming document once its
  // XML signature checks out against a trusted CA or a peer's.
  // `duplicate_reason`: why a document already received under the same
  // number/symbol from the same issuer is registered again (required then).
  Result<CreatedDocument> ImportEdxml(const Actor& actor, std::string_view file,
                                      std::optional<std::string> duplicate_reason = std::nullopt);

  // ---- for the modules above this one ----
  // Exchange (exchange.cc).
  Status CheckExternalRecipients(store::Tx& tx, const Document& d) override;
  Result<PreparedMessages> PrepareMessages(
      const Actor& actor, Id id, const std::string& action, const ActionInput& in,
      const std::optional<documents::NamedFile>& signed_main) override;
  Status QueueMessages(store::Tx& tx, const Actor& actor, const Document& d,
                       const PreparedMessages& prepared) override;
  Result<std::map<std::string, std::string>> AgencyNames(store::Tx& tx) override;
  Result<bool> SendsMessages(store::Tx& tx, const Document& d, const std::string& action,
                             const ActionInput& in) override;
  Status ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                             const std::string& action, const ActionInput& in) override;

 private:
  // An arrival from a peer, as checked (receive.cc).
  struct ArrivalFrom {
    Timestamp at{};
    std::string claimed;      // the sender the package names
    std::string tls_subject;  // who the TLS client really was
  };
  struct Arrival {
    const edxml::Package& package;
    std::string dedupe_key;
    std::string payload_sha256;
    std::string via;     // the calling node's agency
    std::string signer;  // the package's signer
    Timestamp at{};
    Document copy;        // the incoming copy, but for its unit
    std::string receipt;  // signed before the transaction
  };
  Error Quarantine(Error e, const ArrivalFrom& from, std::string_view payload, std::size_t size);
  Result<exchange::Peer> SenderOf(const PeerCall& call, const exchange::Peer& caller,
                                  const std::string& sender_code, std::string_view bytes,
                                  Timestamp now);
  Status StoreArrival(store::Tx& tx, const Arrival& a,
                      std::vector<std::pair<edxml::Attachment, blob::BlobInfo>>& files,
                      std::vector<std::optional<signatures::DocumentSignature>>& checks);
  Result<std::string> SignedReceipt(const signatures::CertificateRecord& node,
                                    const signatures::CertificateRecord& ca,
                                    const edxml::ResponseFor& about, std::string_view bytes);
  // The node's own signing keys (seals, node certificate), opened once each.
  Result<pki::Signer> NodeSigner(const signatures::CertificateRecord& cert,
                                 const signatures::CertificateRecord& ca);
  // Sending (send.cc): what is read in the snapshot, then signed and stored.
  struct NodeCertificates {  // a signing certificate of the node, and its CA
    signatures::CertificateRecord cert, ca;
  };
  struct PackagePlan {
    edxml::Package package;  // without its recipient and files
    std::vector<documents::NamedFile> files;
    std::vector<exchange::Peer> peers;
    NodeCertificates signer;
  };
  struct NoticePlan {
    std::string peer_code, edxml_id, code, description;
  };
  Result<NodeCertificates> NodeCertificatesOf(store::Tx& tx, std::string_view profile,
                                              std::optional<Id> unit_id);
  Result<PackagePlan> PackagePlanOf(store::Tx& tx, const Document& d,
                                    const std::optional<documents::NamedFile>& signed_main);
  Status SetBusiness(store::Tx& tx, const Document& d, edxml::Business& business);
  Status SignPackages(PackagePlan& plan, std::vector<OutgoingMessage>& out);
  Result<std::vector<NoticePlan>> NoticesFor(store::Tx& tx, const Document& d,
                                             const std::string& action, const ActionInput& in);
  Status SignNotice(const NoticePlan& plan, Classification label, const NodeCertificates& node,
                    std::vector<OutgoingMessage>& out);

  ExchangeSettings settings_;
  SignatureService& signatures_;
  DocumentService& documents_;
  DirectoryFetcher directory_fetcher_;
  struct SignerCache {
    std::mutex mu;
    std::map<std::string, pki::Signer> by_serial;
  };
  std::unique_ptr<SignerCache> signers_ = std::make_unique<SignerCache>();
};

}  // namespace chancery::services
