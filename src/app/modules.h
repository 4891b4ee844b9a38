// The module services of one node, wired together: the one place that knows
// every module. Each is built on the same Core; documents calls the
// exchange's flow hooks, and signatures asks the exchange for the CAs of the
// agencies in its directory; exchange and audit name signatures; documents
// names org and signatures. Not copyable (the services hold each other).
#pragma once

#include "modules/audit/service.h"
#include "modules/documents/service.h"
#include "modules/exchange/service.h"
#include "modules/org/service.h"
#include "modules/search/service.h"
#include "modules/signatures/service.h"

namespace chancery::app {

// Each module's own settings (chancery.toml; src/app/node.cc reads them).
struct ModuleSettings {
  services::OrgSettings org;
  services::SignatureSettings signatures;
  services::DocumentSettings documents;
  services::ExchangeSettings exchange;
};

struct Modules {
  explicit Modules(const services::Core& core, const ModuleSettings& settings = {})
      : org(core, settings.org),
        signatures(core, settings.signatures),
        audit(core, signatures),
        documents(core, org, signatures, settings.documents),
        exchange(core, signatures, documents, settings.exchange),
        search(core) {
    documents.set_flow_hooks(&exchange);
    signatures.set_peer_cas([this](store::Tx& tx) { return exchange.PeerCas(tx); });
  }
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;

  services::OrgService org;
  services::SignatureService signatures;
  services::AuditService audit;
  services::DocumentService documents;
  services::ExchangeService exchange;
  services::SearchService search;
};

}  // namespace chancery::app
