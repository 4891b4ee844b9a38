// HTTP handlers of the documents module. Documents: drafts, incoming registration, the flow, files,
// deadlines, records and register books. One handler per line of the route table
// (src/app/route_table.cc), which also names each route's roles and body schema; handlers parse,
// call one service function and map its answer.
#pragma once

#include <memory>
#include <vector>

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "modules/documents/service.h"

namespace chancery::documents {

// Body schemas of its routes.
extern const std::vector<http::JsonField> kDraftFields;
extern const std::vector<http::JsonField> kIncomingFields;
extern const std::vector<http::JsonField> kDocPatch;
extern const std::vector<http::JsonField> kDeclassifyFields;
extern const std::vector<http::JsonField> kCommentFields;
extern const std::vector<http::JsonField> kRecordFields;
extern const std::vector<http::JsonField> kActionFields;

class Routes : public http::HandlerSet<services::DocumentService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response List(http::Request& req);
  http::Response CreateDraft(http::Request& req);
  http::Response RegisterIncoming(http::Request& req);
  http::Response Duplicates(http::Request& req);
  http::Response Counts(http::Request& req);
  http::Response Get(http::Request& req);
  http::Response UpdateDraft(http::Request& req);
  http::Response Act(http::Request& req);
  http::Response Timeline(http::Request& req);
  http::Response Declassify(http::Request& req);
  http::Response AddComment(http::Request& req);
  http::Response AddAttachment(http::Request& req);
  http::Response AddVersion(http::Request& req);
  http::Response GetFile(http::Request& req);
  http::Response Upload(http::Request& req);
  http::Response Overdue(http::Request& req);
  http::Response DueSoon(http::Request& req);
  http::Response Workload(http::Request& req);
  http::Response Holidays(http::Request& req);
  http::Response DeadlineOf(http::Request& req);
  http::Response Types(http::Request& req);
  http::Response ListRecords(http::Request& req);
  http::Response CreateRecord(http::Request& req);
  http::Response ListBooks(http::Request& req);
  http::Response BookEntries(http::Request& req);
  http::Response ExportBook(http::Request& req);

 private:
  http::Response AddFile(http::Request& req, bool as_version);
  http::Response Deadlines(http::Request& req, bool overdue);
};

}  // namespace chancery::documents
