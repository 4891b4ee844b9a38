#include "modules/exchange/cli.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

namespace chancery::exchange {

using services::Actor;
using services::ExchangeService;
using services::Fail;
namespace json = boost::json;

namespace {

int Identity(ExchangeService& s, const std::string& zone) {
  auto id = s.Identity();
  if (!id.ok()) return Fail(id.error());
  json::object o{{"agency_code", id->agency_code},
                 {"name", id->name},
                 {"endpoint", id->endpoint},
                 {"certificate_pem", id->certificate_pem},
                 {"certificate_sha256", id->certificate_sha256},
                 {"ca_pem", id->ca_pem}};
  if (!zone.empty()) {
    // A gateway's side: its own certificate (made on first use).
    auto tls = s.NodeTlsIdentity(zone);
    if (!tls.ok()) return Fail(tls.error());
    const auto end = tls->certificate_chain_pem.find("-----END CERTIFICATE-----");
    o["certificate_pem"] = tls->certificate_chain_pem.substr(0, end + 26);
    o["certificate_sha256"] = tls->certificate_sha256;
    o["zone"] = zone;
  }
  std::cout << json::serialize(o) << "\n";
  return 0;
}

}  // namespace

void AddCommands(services::Commands& c, services::ServiceOf<services::ExchangeService> service) {
  struct Options {
    std::string zone, file;
  };
  auto o = std::make_shared<Options>();
  CLI::App* ex = c.Group("exchange", "Exchange with other agencies' nodes");
  CLI::App* identity = c.Add(
      ex, "identity", "Print this node (or a gateway's side in --zone) as peers enter it (JSON)",
      false, service, [o](ExchangeService& s, const Actor*) { return Identity(s, o->zone); });
  identity->add_option("--zone", o->zone, "a gateway's zone");
  CLI::App* add = c.Add(ex, "add-peer", "Add or change a peer from a JSON file", true, service,
                        [o](ExchangeService& s, const Actor* a) {
                          auto p = services::PeerFromJson(services::ReadFile(o->file));
                          if (!p.ok()) return Fail(p.error());
                          auto r = s.PutPeer(*a, *p);
                          if (!r.ok()) return Fail(r.error());
                          std::cout << r->agency_code << "\t" << r->name << "\t"
                                    << r->certificate_sha256 << "\n";
                          return 0;
                        });
  add->add_option("--file", o->file,
                  "JSON: agency_code, name, endpoint, certificate_pem, ca_pem, via, zone, "
                  "max_classification")
      ->required();
  c.Add(ex, "peers", "List the directory", true, service, [](ExchangeService& s, const Actor* a) {
    auto r = s.ListPeers(*a);
    if (!r.ok()) return Fail(r.error());
    for (const auto& p : *r) {
      std::cout << p.agency_code << "\t" << p.name << "\t"
                << (p.via.empty() ? p.endpoint : "via " + p.via) << "\t" << p.zone << "\t"
                << ClassificationName(p.max_classification) << "\n";
    }
    return 0;
  });
}

}  // namespace chancery::exchange
