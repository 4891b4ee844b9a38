// HTTP handlers of the signatures module. The node's PKI, signing PINs, verification and signed
// tree heads. One handler per line of the route table (src/app/route_table.cc), which also names
// each route's roles and body schema; handlers parse, call one service function and map its answer.
#pragma once

#include <memory>
#include <vector>

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "lib/http/rate_limit.h"
#include "modules/signatures/service.h"

namespace chancery::signatures {

// Body schemas of its routes.
extern const std::vector<http::JsonField> kCaFields;
extern const std::vector<http::JsonField> kRootFields;
extern const std::vector<http::JsonField> kCertificateFields;
extern const std::vector<http::JsonField> kRenewFields;
extern const std::vector<http::JsonField> kRevokeFields;
extern const std::vector<http::JsonField> kPinFields;

class Routes : public http::HandlerSet<services::SignatureService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response CreateCa(http::Request& req);
  http::Response ImportRoots(http::Request& req);
  http::Response ListCertificates(http::Request& req);
  http::Response IssueCertificate(http::Request& req);
  http::Response Renew(http::Request& req);
  http::Response Revoke(http::Request& req);
  http::Response Crl(http::Request& req);
  http::Response Ocsp(http::Request& req);
  http::Response Timestamp(http::Request& req);
  http::Response SetImage(http::Request& req);
  http::Response ChangePin(http::Request& req);
  http::Response Verify(http::Request& req);
  http::Response Share(http::Request& req);
  http::Response TreeHeads(http::Request& req);
  http::Response SignTreeHead(http::Request& req);

 private:
  std::unique_ptr<http::RateLimiter> tsa_limit_ = std::make_unique<http::RateLimiter>(20, 100);
};

}  // namespace chancery::signatures
