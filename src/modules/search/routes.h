// HTTP handlers of the search module: search, and the legal-documents
// database. One handler per line of the route table (src/app/route_table.cc).
#pragma once

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "modules/search/service.h"

namespace chancery::search {

class Routes : public http::HandlerSet<services::SearchService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response Search(http::Request& req);
  http::Response ListLegal(http::Request& req);
  http::Response LegalFacets(http::Request& req);
  http::Response GetLegal(http::Request& req);
  http::Response GetArticle(http::Request& req);
  http::Response Import(http::Request& req);
};

}  // namespace chancery::search
