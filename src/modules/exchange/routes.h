// HTTP handlers of the exchange module. Exchange between agencies: directory, outbox, quarantine,
// edXML, and the peer listener. One handler per line of the route table (src/app/route_table.cc),
// which also names each route's roles and body schema; handlers parse, call one service function
// and map its answer.
#pragma once

#include <memory>
#include <vector>

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "modules/exchange/service.h"

namespace chancery::exchange {

// Body schemas of its routes.
extern const std::vector<http::JsonField> kPeerFields;
extern const std::vector<http::JsonField> kDirectoryFields;

// The problem+json a refused arrival gets: status 403/413/422, code
// "exchange.refused" and the stable `reason`.
http::Response RefusedResponse(const Error& error);

class Routes : public http::HandlerSet<services::ExchangeService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response Identity(http::Request& req);
  http::Response ListPeers(http::Request& req);
  http::Response PutPeer(http::Request& req);
  http::Response Directory(http::Request& req);
  http::Response ImportDirectory(http::Request& req);
  http::Response Outbox(http::Request& req);
  http::Response Quarantine(http::Request& req);
  http::Response DocumentExchange(http::Request& req);
  http::Response ExportEdxml(http::Request& req);
  http::Response ImportEdxml(http::Request& req);
  http::Response ReceivePackage(http::Request& req);
  http::Response ReceiveStatus(http::Request& req);
  http::Response PublishDirectory(http::Request& req);
};

}  // namespace chancery::exchange
