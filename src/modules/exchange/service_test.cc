// The exchange module's use cases through ExchangeService, on one node with
// a faked world and a real store (services/testing.h), on both engines:
// the directory (PutPeer, PeerFromJson, what others see of it), packages
// queued in the issue's own transaction, delivery in order per peer with
// only a signed receipt counting, a recall asking each agency to withdraw,
// and refused arrivals kept in quarantine with their reason.
#include "modules/exchange/service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "lib/blob/blob_store.h"
#include "lib/edxml/edxml.h"
#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;
using testing::CodeOf;
using testing::Describe;
using testing::FieldCodeOf;

constexpr const char* kSelf = "000.00.01.A01";
constexpr const char* kB = "000.00.01.B01";
constexpr const char* kC = "000.00.01.C01";

class ExchangeServiceTest : public testing::ServicesTest {
 protected:
  void Configure(Config& config, app::ModuleSettings& settings) override {
    config.agency_code = kSelf;
    settings.signatures.key_secret = "exchange-test-secret";
    settings.exchange.retry_base = seconds(1);
    settings.exchange.retry_cap = seconds(8);
    settings.exchange.give_up_after = seconds(60);
  }
  void SetUp() override {
    ServicesTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    CreateNodeCa();
    auto identity = ex().Identity();
    ASSERT_TRUE(identity.ok()) << Describe(identity);
    identity_ = *identity;
    // The peers carry this node's own certificate, so its key signs for them.
    for (const char* code : {kB, kC}) ASSERT_TRUE(ex().PutPeer(admin_, PeerCalled(code)).ok());
  }
  ExchangeService& ex() { return node().exchange; }

  exchange::Peer PeerCalled(const std::string& code) const {
    exchange::Peer p;
    p.agency_code = code;
    p.name = "Cơ quan " + code;
    p.endpoint = "https://127.0.0.1:1";
    p.certificate_pem = identity_.certificate_pem;
    p.ca_pem = identity_.ca_pem;
    return p;
  }
  // A paper document of `type` drafted in VP, issued to `agencies`.
  Id IssuedTo(const std::vector<std::string>& agencies, const std::string& subject = "Liên thông") {
    DocumentInput in{.type_code = "TB", .subject = subject};
    in.recipient_agency_codes = agencies;
    auto d = node().documents.CreateDraft(spec_, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    if (!d.ok()) return 0;
    Walk(d->document.id, {{spec_, "submit"},
                          {leader_, "approve"},
                          {leader_, "sign"},
                          {clerk_, "number"},
                          {clerk_, "seal"},
                          {clerk_, "issue"}});
    return d->document.id;
  }
  // The far end of a link answering 200 with its signed receipt for exactly
  // the bytes it got.
  TransportReply Receipt(const std::string& from, const std::string& body) {
    std::optional<signatures::CertificateRecord> node_cert, ca;
    EXPECT_TRUE(store_
                    ->Read([&](store::Tx& tx) -> Status {
                      signatures::Store certificates(tx);
                      CHY_TRY(auto nodes, certificates.ListCertificates({.profile = "node"}));
                      CHY_TRY(auto cas, certificates.ListCertificates({.profile = "root_ca"}));
                      if (!nodes.empty()) node_cert = nodes.back();
                      if (!cas.empty()) ca = cas.back();
                      return Ok();
                    })
                    .ok());
    if (!node_cert || !ca) return {};
    auto signer = pki::Signer::Open(node_cert->certificate_pem,
                                    node().signatures.NodeKey(*node_cert), {ca->certificate_pem});
    EXPECT_TRUE(signer.ok()) << Describe(signer);
    edxml::StatusNotice r;
    r.from.id = from;
    r.response_for.organ_id = kSelf;
    r.response_for.document_id = "receipt";
    if (auto p = edxml::ReadPackage(body); p.ok()) {
      r.response_for = {kSelf, p->package.code_notation, p->package.promulgation_date,
                        p->package.document_id};
    }
    r.status_code = "01";
    r.timestamp = clock_.Now();
    r.received_sha256 = blob::Sha256Hex(body);
    auto xml = signer.ok() ? edxml::WriteStatus(r, *signer) : Result<std::string>(signer.error());
    EXPECT_TRUE(xml.ok()) << Describe(xml);
    return {200, xml.ok() ? *xml : ""};
  }
  std::string Payload(const exchange::OutboxItem& item) {
    auto bytes = blobs_.Read(item.payload_sha256, 0, UINT64_MAX);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : "";
  }
  std::vector<exchange::OutboxItem> Outbox(const std::string& state = "") {
    auto page = ex().ListOutbox(clerk_, state, std::nullopt, 100);
    EXPECT_TRUE(page.ok()) << Describe(page);
    return page.ok() ? page->items : std::vector<exchange::OutboxItem>{};
  }

  NodeIdentity identity_;
};

TEST_P(ExchangeServiceTest, PeersAreCheckedBeforeTheyEnterTheDirectory) {
  const auto peers = Count("SELECT COUNT(*) FROM peers");
  const auto audit = AuditSize();
  auto refused = [&](exchange::Peer p) { return FieldCodeOf(ex().PutPeer(admin_, p)); };
  EXPECT_EQ(CodeOf(ex().PutPeer(clerk_, PeerCalled("000.00.01.D01"))), "forbidden");
  EXPECT_EQ(refused(PeerCalled(kSelf)), "self");
  EXPECT_EQ(refused(PeerCalled("000 00 01")), "bad_format");
  exchange::Peer plain_http = PeerCalled("000.00.01.D01");
  plain_http.endpoint = "http://10.0.0.9";
  EXPECT_EQ(refused(plain_http), "bad_format");
  exchange::Peer no_cert = PeerCalled("000.00.01.D01");
  no_cert.certificate_pem.clear();
  EXPECT_EQ(refused(no_cert), "required");
  exchange::Peer bad_cert = PeerCalled("000.00.01.D01");
  bad_cert.certificate_pem = "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(refused(bad_cert), "bad_certificate");
  exchange::Peer no_ca = PeerCalled("000.00.01.D01");
  no_ca.ca_pem.clear();
  EXPECT_EQ(refused(no_ca), "required");
  exchange::Peer via_nobody = PeerCalled("000.00.01.D01");
  via_nobody.via = "000.00.09.G01";
  EXPECT_EQ(refused(via_nobody), "unknown");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM peers"), peers);
  EXPECT_EQ(AuditSize(), audit);
  // Behind a gateway a peer needs no address of its own; putting it again
  // changes the entry in place.
  exchange::Peer behind = PeerCalled("000.00.01.D01");
  behind.via = kB;
  behind.endpoint.clear();
  auto put = ex().PutPeer(admin_, behind);
  ASSERT_TRUE(put.ok()) << Describe(put);
  EXPECT_EQ(put->certificate_sha256, identity_.certificate_sha256);
  behind.name = "Tên mới";
  auto again = ex().PutPeer(admin_, behind);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, put->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM peers"), peers + 1);
}

TEST_P(ExchangeServiceTest, APeerIsReadFromJsonAsItsNodeTellsIt) {
  EXPECT_EQ(FieldCodeOf(PeerFromJson("not json")), "bad_json");
  EXPECT_EQ(FieldCodeOf(PeerFromJson("[1, 2]")), "bad_json");
  auto p = PeerFromJson(R"({"agency_code": "000.00.01.E01", "name": "Bộ E",
      "endpoint": "https://e:8443", "via": "", "zone": "bqp", "max_classification": "mat",
      "certificate_pem": 42})");
  ASSERT_TRUE(p.ok()) << Describe(p);
  EXPECT_EQ(p->agency_code, "000.00.01.E01");
  EXPECT_EQ(p->name, "Bộ E");
  EXPECT_EQ(p->zone, "bqp");
  EXPECT_EQ(p->max_classification, Classification::kConfidential);
  EXPECT_TRUE(p->certificate_pem.empty());  // not a string: not taken
  auto unknown_label = PeerFromJson(R"({"agency_code": "x", "max_classification": "secret!"})");
  ASSERT_TRUE(unknown_label.ok());
  EXPECT_EQ(unknown_label->max_classification, Classification::kNormal);
  // What `exchange identity` prints enters the directory as it is.
  auto from_json = PeerFromJson(
      boost::json::serialize(boost::json::object{{"agency_code", "000.00.01.E01"},
                                                 {"name", "Bộ E"},
                                                 {"endpoint", "https://e:8443"},
                                                 {"certificate_pem", identity_.certificate_pem},
                                                 {"ca_pem", identity_.ca_pem}}));
  ASSERT_TRUE(from_json.ok());
  auto entered = ex().PutPeer(admin_, *from_json);
  ASSERT_TRUE(entered.ok()) << Describe(entered);
  EXPECT_EQ(entered->certificate_sha256, identity_.certificate_sha256);
}

// Everyone picks recipients from the directory; how peers are reached and
// the links' clearances above one's own stay with the administrators.
TEST_P(ExchangeServiceTest, OthersSeeTheDirectoryWithoutItsWiring) {
  exchange::Peer secret_link = PeerCalled(kC);
  secret_link.max_classification = Classification::kSecret;
  ASSERT_TRUE(ex().PutPeer(admin_, secret_link).ok());
  auto mine = ex().ListPeers(spec_);
  auto full = ex().ListPeers(admin_);
  ASSERT_TRUE(mine.ok() && full.ok());
  ASSERT_EQ(mine->size(), 2u);
  ASSERT_EQ(full->size(), 2u);
  for (const auto& p : *mine) {
    EXPECT_FALSE(p.name.empty());
    EXPECT_TRUE(p.endpoint.empty());
    EXPECT_TRUE(p.certificate_pem.empty());
    EXPECT_TRUE(p.ca_pem.empty());
    EXPECT_EQ(p.max_classification, Classification::kNormal);  // capped at spec's clearance
  }
  EXPECT_EQ((*full)[1].max_classification, Classification::kSecret);
  EXPECT_EQ((*full)[1].endpoint, "https://127.0.0.1:1");
}

// A document to other agencies is checked against the directory when
// drafted, and issuing it queues one signed package per agency with the
// issue itself.
TEST_P(ExchangeServiceTest, IssuingQueuesOnePackagePerAgency) {
  const auto documents = Count("SELECT COUNT(*) FROM documents");
  auto refused = [&](std::vector<std::string> codes, Classification c) {
    DocumentInput in{.type_code = "TB", .subject = "Gửi ngoài", .classification = c};
    in.recipient_agency_codes = codes;
    return FieldCodeOf(node().documents.CreateDraft(leader_, in));
  };
  EXPECT_EQ(refused({"000.00.09.Z99"}, Classification::kNormal), "unknown");
  EXPECT_EQ(refused({kB}, Classification::kConfidential), "classification");
  Config no_code = config_;
  no_code.agency_code.clear();
  app::Modules bare(Core(*store_, blobs_, clock_, random_, calendar_, no_code), settings_);
  DocumentInput in{.type_code = "TB", .subject = "Không mã"};
  in.recipient_agency_codes = std::vector<std::string>{kB};
  EXPECT_EQ(FieldCodeOf(bare.documents.CreateDraft(spec_, in)), "no_agency_code");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents"), documents);
  EXPECT_TRUE(Outbox().empty());
  const Id id = IssuedTo({kB, kC});
  auto queued = Outbox("pending");
  ASSERT_EQ(queued.size(), 2u);
  for (const auto& item : queued) {
    EXPECT_EQ(item.kind, "package");
    EXPECT_EQ(item.document_id, std::optional<Id>(id));
    EXPECT_EQ(item.edxml_id, queued[0].edxml_id);
    EXPECT_EQ(item.next_attempt_at, clock_.Now());
    auto package = edxml::ReadPackage(Payload(item));
    ASSERT_TRUE(package.ok()) << Describe(package);
    EXPECT_EQ(package->package.from.id, kSelf);
    ASSERT_EQ(package->package.to.size(), 1u);
    EXPECT_EQ(package->package.to[0].id, item.peer_code);
    EXPECT_EQ(package->package.subject, "Liên thông");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.queued'"), 2);
  auto view = ex().ExchangeOf(clerk_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->size(), 2u);
  EXPECT_EQ((*view)[0].delivery, "pending");
  auto file = ex().ExportEdxml(clerk_, id, kC);
  ASSERT_TRUE(file.ok()) << Describe(file);
  EXPECT_NE(file->file_name.find(".edxml"), std::string::npos);
  EXPECT_TRUE(edxml::ReadPackage(file->bytes).ok());
  const User vp_clerk = MakeUser("vpclerk", kRoleClerk, vp_, Classification::kNormal);
  EXPECT_TRUE(ex().ExchangeOf(vp_clerk, id).ok());  // VP drafted it
  auto pb = node().org.CreateUnit(
      admin_, {.name = "Phòng B", .abbreviation = "PB", .parent_id = std::optional<Id>(root_)});
  ASSERT_TRUE(pb.ok());
  const User other = MakeUser("pbclerk", kRoleClerk, pb->id, Classification::kTopSecret);
  EXPECT_EQ(CodeOf(ex().ExchangeOf(other, id)), "not_found");
  EXPECT_EQ(CodeOf(ex().ExportEdxml(other, id, kB)), "not_found");
}

// Each peer's items go in order: a later one waits while the one before
// it is undelivered, and only the peer's signed receipt for exactly what
// was sent makes a delivery.
TEST_P(ExchangeServiceTest, DeliveryKeepsEachPeersOrderAndNeedsASignedReceipt) {
  const Id first = IssuedTo({kB}, "Thứ nhất");
  const Id second = IssuedTo({kB}, "Thứ hai");
  const Id to_c = IssuedTo({kC}, "Cho C");
  std::vector<std::pair<std::string, Id>> sent;
  bool b_answers_well = false;
  PeerTransport send = [&](const exchange::Peer& peer, const std::string& path,
                           const std::string& body, const std::string&) -> Result<TransportReply> {
    EXPECT_EQ(path, "/exchange/v1/packages");
    auto p = edxml::ReadPackage(body);
    const std::string subject = p.ok() ? p->package.subject : "";
    sent.emplace_back(peer.agency_code, subject == "Thứ nhất"  ? first
                                        : subject == "Thứ hai" ? second
                                                               : to_c);
    if (peer.agency_code == kB && !b_answers_well) return TransportReply{200, "not a receipt"};
    return Receipt(peer.agency_code, body);
  };
  auto round = ex().DeliverDue(send, 10);
  ASSERT_TRUE(round.ok()) << Describe(round);
  EXPECT_EQ(round->delivered, 1);  // C
  EXPECT_EQ(round->retried, 1);    // B's receipt was not one
  EXPECT_EQ(sent, (std::vector<std::pair<std::string, Id>>{{kB, first}, {kC, to_c}}));
  auto pending = Outbox("pending");
  ASSERT_EQ(pending.size(), 2u);  // newest first: second, then first
  EXPECT_EQ(pending[1].document_id, std::optional<Id>(first));
  EXPECT_EQ(pending[1].attempts, 1);
  EXPECT_NE(pending[1].last_error.find("receipt"), std::string::npos);
  sent.clear();
  EXPECT_TRUE(ex().DeliverDue(send, 10).ok());  // not due yet: nothing is sent
  EXPECT_TRUE(sent.empty());
  clock_.Set(pending[1].next_attempt_at);
  b_answers_well = true;
  ASSERT_TRUE(ex().DeliverDue(send, 10).ok());
  ASSERT_TRUE(ex().DeliverDue(send, 10).ok());
  EXPECT_EQ(sent, (std::vector<std::pair<std::string, Id>>{{kB, first}, {kB, second}}));
  EXPECT_TRUE(Outbox("pending").empty());
  EXPECT_EQ(Outbox("delivered").size(), 3u);
  auto view = ex().ExchangeOf(clerk_, first);
  ASSERT_TRUE(view.ok() && view->size() == 1u);
  EXPECT_EQ((*view)[0].delivery, "delivered");
  EXPECT_EQ((*view)[0].latest_code, "01");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.delivered'"), 3);
}

// Recalling an issued document asks every agency that took its package to
// withdraw it (status 13); an agency that refused the package is not asked.
TEST_P(ExchangeServiceTest, ARecallAsksEachAgencyThatTookThePackageToWithdrawIt) {
  const Id id = IssuedTo({kB, kC});
  PeerTransport send = [&](const exchange::Peer& peer, const std::string&, const std::string& body,
                           const std::string&) -> Result<TransportReply> {
    if (peer.agency_code == kC) {
      return TransportReply{422, R"({"code":"exchange.refused","reason":"CLASSIFICATION"})"};
    }
    return Receipt(peer.agency_code, body);
  };
  ASSERT_TRUE(ex().DeliverDue(send, 10).ok());
  ASSERT_TRUE(node().documents.Act(leader_, id, "recall", {.reason = "Ban hành nhầm"}).ok());
  auto statuses = Outbox("pending");
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].kind, "status");
  EXPECT_EQ(statuses[0].code, "13");
  EXPECT_EQ(statuses[0].peer_code, kB);
  auto notice = edxml::ReadStatus(Payload(statuses[0]));
  ASSERT_TRUE(notice.ok()) << Describe(notice);
  EXPECT_EQ(notice->status.description, "Ban hành nhầm");
  EXPECT_EQ(notice->status.from.id, kSelf);
}

// What a peer may not bring is refused with a reason code the sender can
// show, kept in quarantine for the security officer, and stores no document.
TEST_P(ExchangeServiceTest, ARefusedArrivalIsQuarantinedWithItsReason) {
  IssuedTo({kB});
  const std::string own_package = Payload(Outbox("pending").at(0));
  const auto documents = Count("SELECT COUNT(*) FROM documents");
  const PeerCall stranger{identity_.ca_pem, ""};  // a certificate no peer has
  const PeerCall known{identity_.certificate_pem, ""};
  EXPECT_EQ(FieldCodeOf(ex().ReceivePackage(stranger, own_package)), "UNKNOWN_PEER");
  EXPECT_EQ(FieldCodeOf(ex().ReceivePackage(known, "garbage, not multipart")), "FORMAT");
  // Our own package played back: it claims to come from this agency, which
  // the calling peer is not.
  EXPECT_EQ(FieldCodeOf(ex().ReceivePackage(known, own_package)), "IMPERSONATION");
  EXPECT_EQ(FieldCodeOf(ex().ReceiveStatus(stranger, "<x/>")), "UNKNOWN_PEER");  // not kept
  EXPECT_EQ(Count("SELECT COUNT(*) FROM documents"), documents);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.refused'"), 3);
  const User officer = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  EXPECT_EQ(CodeOf(ex().ListQuarantine(clerk_, std::nullopt, 10)), "forbidden");
  auto kept = ex().ListQuarantine(officer, std::nullopt, 10);
  ASSERT_TRUE(kept.ok()) << Describe(kept);
  ASSERT_EQ(kept->items.size(), 3u);
  const auto& impersonation = kept->items[0];  // newest first
  EXPECT_EQ(impersonation.reason_code, "IMPERSONATION");
  EXPECT_EQ(impersonation.claimed_sender, kSelf);
  EXPECT_EQ(impersonation.payload_sha256, blob::Sha256Hex(own_package));
  EXPECT_EQ(impersonation.received_at, clock_.Now());
  EXPECT_EQ(kept->items[1].reason_code, "FORMAT");
  EXPECT_EQ(kept->items[1].payload_size, 22);
  EXPECT_EQ(kept->items[2].reason_code, "UNKNOWN_PEER");
  EXPECT_TRUE(kept->items[2].payload_sha256.empty());  // an unknown caller's bytes are not kept
  // A cursor only when there is more: three rows in pages of three and of two.
  auto whole = ex().ListQuarantine(officer, std::nullopt, 3);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->items.size(), 3u);
  EXPECT_FALSE(whole->next_cursor.has_value());
  auto first = ex().ListQuarantine(officer, std::nullopt, 2);
  ASSERT_TRUE(first.ok() && first->next_cursor);
  auto rest = ex().ListQuarantine(officer, first->next_cursor, 2);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->items.size(), 1u);
  EXPECT_FALSE(rest->next_cursor.has_value());
}

// The outbox list is for clerks and officers, shows only items of
// documents the reader may open, and pages with its own cursor.
TEST_P(ExchangeServiceTest, TheOutboxListShowsOnlyWhatTheReaderMayOpen) {
  for (int i = 0; i < 3; ++i) IssuedTo({kB, kC}, "Văn bản " + std::to_string(i));
  EXPECT_EQ(CodeOf(ex().ListOutbox(spec_, "", std::nullopt, 10)), "forbidden");
  auto pb = node().org.CreateUnit(
      admin_, {.name = "Phòng B", .abbreviation = "PB", .parent_id = std::optional<Id>(root_)});
  ASSERT_TRUE(pb.ok());
  const User other = MakeUser("pbclerk", kRoleClerk, pb->id, Classification::kTopSecret);
  auto hidden = ex().ListOutbox(other, "", std::nullopt, 10);
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(hidden->items.empty());
  std::set<Id> seen;
  std::optional<std::string> cursor;
  for (int page = 0; page < 10; ++page) {
    auto items = ex().ListOutbox(clerk_, "", cursor, 4);
    ASSERT_TRUE(items.ok()) << Describe(items);
    for (const auto& item : items->items) {
      EXPECT_TRUE(seen.insert(item.id).second);
      EXPECT_TRUE(item.receipt.empty());
    }
    cursor = items->next_cursor;
    if (!cursor) break;
  }
  EXPECT_EQ(seen.size(), 6u);
  auto exact = ex().ListOutbox(clerk_, "", std::nullopt, 6);  // all six: nothing after them
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->items.size(), 6u);
  EXPECT_FALSE(exact->next_cursor.has_value());
  EXPECT_EQ(FieldCodeOf(ex().ListOutbox(clerk_, "", std::string("-3"), 4)), "bad_cursor");
}

CHY_SERVICE_TEST_BACKENDS(ExchangeServiceTest);

}  // namespace
}  // namespace chancery::services
