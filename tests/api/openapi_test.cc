// The OpenAPI document against the node that serves it: the same as the
// checked-in docs/openapi.json, every route says what it answers, and real
// answers — of the demo's data and of a document taken through its whole
// flow — fit the shapes the document declares (lib/http/json_schema.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>

#include "lib/http/json_schema.h"
#include "lib/pki/pades.h"
#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

class OpenApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (doc_.is_null()) {
      Client anon(node_->port());
      auto served = anon.Get("/api/v1/openapi.json");
      ASSERT_EQ(served.status, 200) << served.raw;
      doc_ = served.body;
    }
  }

  const json::object& Components() const { return doc_.at("components").at("schemas").as_object(); }

  // `reply` is an answer of `method pattern` the document declares, and its
  // JSON fits the declared schema.
  void ExpectFits(const std::string& method, const std::string& pattern, const Reply& reply) {
    std::string lower(method);
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    const std::string what = method + " " + pattern;
    const auto* op = doc_.at("paths").at(pattern).as_object().if_contains(lower);
    ASSERT_TRUE(op) << what << " is not in the document";
    ASSERT_LT(reply.status, 300) << what << ": " << reply.raw;
    const auto* answer = op->at("responses").as_object().if_contains(std::to_string(reply.status));
    ASSERT_TRUE(answer) << what << " answered " << reply.status << ", which it does not declare";
    const auto* content = answer->as_object().if_contains("content");
    ASSERT_TRUE(content && content->as_object().contains("application/json"))
        << what << " answers JSON the document does not declare";
    const auto& shape = content->at("application/json").at("schema");
    std::string misses;
    for (const auto& m : http::schema::Mismatches(shape, reply.body, Components())) {
      misses += "\n  " + m;
    }
    EXPECT_TRUE(misses.empty()) << what << " answered what its schema does not say:" << misses;
    ++checked_;
  }

  // GET `target` as `user`, checked against `pattern`'s answer; the reply.
  Reply Read(const std::string& user, const std::string& target, const std::string& pattern) {
    Reply r = As(user)->Get(target);
    ExpectFits("GET", pattern, r);
    return r;
  }

  static inline json::value doc_;
  int checked_ = 0;
};

TEST_F(OpenApiTest, DocumentMatchesTheCheckedInOne) {
  std::ifstream in(CHANCERY_SOURCE_DIR "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json is missing; run `chancery openapi > docs/openapi.json`";
  const json::value documented = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  auto operations = [](const json::value& doc) {
    std::set<std::string> out;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
      for (const auto& [method, op] : item.as_object()) {
        (void)op;
        out.insert(std::string(method) + " " + std::string(path));
      }
    }
    return out;
  };
  const auto live = operations(doc_);
  const auto docs = operations(documented);
  for (const auto& op : live) EXPECT_TRUE(docs.count(op)) << op << " is not documented";
  for (const auto& op : docs) EXPECT_TRUE(live.count(op)) << op << " is documented but not served";
  EXPECT_EQ(doc_, documented) << "docs/openapi.json is stale; regenerate it";
  EXPECT_GT(live.size(), 35u);
}

// Every operation's success answer has a body the document describes (a
// JSON schema, or the media types of the bytes it sends), unless it is a
// 204; every "$ref" names a shape the document has; `{id}` is an integer.
TEST_F(OpenApiTest, EveryRouteSaysWhatItAnswers) {
  EXPECT_EQ(http::schema::UnresolvedRefs(doc_, Components()), std::vector<std::string>{});
  int operations = 0;
  for (const auto& [path, item] : doc_.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const std::string what = std::string(method) + " " + std::string(path);
      ++operations;
      int successes = 0;
      for (const auto& [status, answer] : op.at("responses").as_object()) {
        if (!status.starts_with("2")) continue;
        ++successes;
        if (status == "204") continue;
        const auto* content = answer.as_object().if_contains("content");
        EXPECT_TRUE(content && !content->as_object().empty())
            << what << " " << status << " does not say what it answers";
        if (!content) continue;
        if (const auto* j = content->as_object().if_contains("application/json")) {
          EXPECT_TRUE(j->as_object().contains("schema")) << what << ": JSON without a schema";
        }
      }
      EXPECT_GT(successes, 0) << what;
      if (const auto* params = op.as_object().if_contains("parameters")) {
        for (const auto& p : params->as_array()) {
          if (p.at("in") == "path" && p.at("name") == "id") {
            EXPECT_EQ(p.at("schema").at("type"), "integer") << what;
          }
        }
      }
    }
  }
  EXPECT_GT(operations, 70);
  // Throttled logins say when to come back.
  const auto& locked = doc_.at("paths").at("/api/v1/auth/login").at("post").at("responses");
  EXPECT_TRUE(locked.at("429").at("headers").as_object().contains("Retry-After"));
}

// The reads of the demo's data, as the people who make them.
TEST_F(OpenApiTest, ReadsOfTheDemoFitTheirSchemas) {
  Client anon(node_->port());
  ExpectFits("GET", "/api/v1/health", anon.Get("/api/v1/health"));
  auto session = anon.Post(
      "/api/v1/auth/login",
      json::object{{"username", "chuyenvien"}, {"password", "Chancery@2026"}, {"kind", "bearer"}});
  ExpectFits("POST", "/api/v1/auth/login", session);
  auto me = Read("chuyenvien", "/api/v1/me", "/api/v1/me");
  const std::string today(me.body.at("today").as_string());
  Read("chuyenvien", "/api/v1/people?limit=20", "/api/v1/people");
  auto units = Read("admin", "/api/v1/units", "/api/v1/units");
  const std::string unit = "/api/v1/units/" + std::to_string(UnitId("VP"));
  Read("chuyenvien", unit, "/api/v1/units/{id}");
  Read("chuyenvien", unit + "/as-of?date=" + today, "/api/v1/units/{id}/as-of");
  Read("chuyenvien", unit + "/history", "/api/v1/units/{id}/history");
  Read("admin", unit + "/transfers", "/api/v1/units/{id}/transfers");
  const std::string clerk = "/api/v1/users/" + std::to_string(UserId("vanthu"));
  Read("admin", "/api/v1/users?limit=200", "/api/v1/users");
  Read("admin", clerk, "/api/v1/users/{id}");
  Read("thutruong", "/api/v1/users?limit=3", "/api/v1/users");  // clearances left out
  Read("thutruong", clerk, "/api/v1/users/{id}");
  Read("admin", "/api/v1/approvals?state=pending", "/api/v1/approvals");
  Read("admin", "/api/v1/approvals?state=approved", "/api/v1/approvals");
  Read("vanthu", "/api/v1/documents/duplicates?number_symbol=1%2FUBND&issuer_name=UBND",
       "/api/v1/documents/duplicates");
  for (const char* user : {"vanthu", "chuyenvien", "thutruong"}) {
    Read(user, "/api/v1/documents/counts", "/api/v1/documents/counts");
  }
  for (const char* deadlines : {"overdue", "due-soon", "summary"}) {
    Read("thutruong", std::string("/api/v1/deadlines/") + deadlines,
         std::string("/api/v1/deadlines/") + deadlines);
  }
  Read("vanthu", "/api/v1/calendar/holidays?year=2026", "/api/v1/calendar/holidays");
  Read("vanthu", "/api/v1/calendar/deadline?from=2026-04-24&working_days=5",
       "/api/v1/calendar/deadline");
  Read("vanthu", "/api/v1/document-types", "/api/v1/document-types");
  Read("vanthu", "/api/v1/records", "/api/v1/records");
  auto books = Read("vanthu", "/api/v1/register-books", "/api/v1/register-books");
  for (const auto& book : books.body.at("items").as_array()) {
    Read("vanthu",
         "/api/v1/register-books/" + std::to_string(book.at("id").as_int64()) + "/entries?limit=5",
         "/api/v1/register-books/{id}/entries");
  }
  Read("baomat", "/api/v1/audit?limit=20", "/api/v1/audit");
  Read("baomat", "/api/v1/audit/head", "/api/v1/audit/head");
  Read("baomat", "/api/v1/audit/proofs/inclusion?seq=1", "/api/v1/audit/proofs/inclusion");
  Read("baomat", "/api/v1/audit/proofs/consistency?from=1", "/api/v1/audit/proofs/consistency");
  ExpectFits("POST", "/api/v1/audit/verify", As("baomat")->Call("POST", "/api/v1/audit/verify"));
  Read("baomat", "/api/v1/audit/tree-heads", "/api/v1/audit/tree-heads");
  Read("admin", "/api/v1/pki/certificates", "/api/v1/pki/certificates");
  Read("thutruong", "/api/v1/pki/certificates?user_id=" + std::to_string(UserId("thutruong")),
       "/api/v1/pki/certificates");
  Read("thutruong",
       "/api/v1/signatures/share?unit_id=" + std::to_string(UnitId("BQP")) +
           "&from=2020-01-01&to=2030-12-31",
       "/api/v1/signatures/share");
  Read("admin", "/api/v1/exchange/peers", "/api/v1/exchange/peers");
  Read("vanthu", "/api/v1/exchange/outbox", "/api/v1/exchange/outbox");
  Read("baomat", "/api/v1/exchange/quarantine", "/api/v1/exchange/quarantine");
  // Every document each role sees on its first page, in full.
  for (const char* user : {"chuyenvien", "thutruong", "vanthu"}) {
    auto list = Read(user, "/api/v1/documents?limit=25", "/api/v1/documents");
    for (const auto& d : list.body.at("items").as_array()) {
      const std::string path = DocPath(d.at("id").as_int64());
      Read(user, path, "/api/v1/documents/{id}");
      Read(user, path + "/exchange", "/api/v1/documents/{id}/exchange");
    }
  }
  EXPECT_GT(checked_, 50);
}

// A document taken through its whole flow, each answer on the way checked:
// draft, file, comment, the actions up to issue, a recipient's copy, its
// timeline, the signed file's validation report; and a paper arrival.
TEST_F(OpenApiTest, AnswersAlongTheFlowFitTheirSchemas) {
  auto spec = As("chuyenvien");
  auto clerk = As("vanthu");
  const std::string kDocs = "/api/v1/documents";
  auto created = spec->Post(kDocs, json::object{{"type_code", "QĐ"},
                                                {"subject", "Quyết định kiểm tra lược đồ"},
                                                {"recipient_unit_ids", json::array{UnitId("TC")}}});
  ExpectFits("POST", kDocs, created);
  ASSERT_EQ(created.status, 201) << created.raw;
  const Id id = created.body.at("id").as_int64();
  ExpectFits("PATCH", kDocs + "/{id}",
             spec->Call("PATCH", DocPath(id), R"({"notes":"Lược đồ"})", {{"If-Match", "\"v1\""}}));
  ExpectFits("POST", kDocs + "/{id}/versions",
             spec->Call("POST", DocPath(id) + "/versions?file_name=qd.pdf",
                        pki::SimplePdf({"QUYET DINH"}), {{"Content-Type", "application/pdf"}}));
  ExpectFits("POST", kDocs + "/{id}/attachments",
             spec->Call("POST", DocPath(id) + "/attachments?file_name=pl.pdf",
                        pki::SimplePdf({"PHU LUC"}), {{"Content-Type", "application/pdf"}}));
  ExpectFits("POST", kDocs + "/{id}/comments",
             spec->Post(DocPath(id) + "/comments", json::object{{"body", "Xin ý kiến"}}));
  for (const auto& [who, action] : IssueSteps()) {
    ExpectFits("POST", kDocs + "/{id}/actions/{action}", Step(who, id, action));
  }
  auto issued = Read("vanthu", DocPath(id), kDocs + "/{id}");
  ASSERT_FALSE(issued.body.at("signatures").as_array().empty()) << issued.raw;
  const auto& copy = issued.body.at("recipients").at(0).at("copy_document_id");
  Read("vanthu", DocPath(copy.as_int64()), kDocs + "/{id}");
  Read("chuyenvien", DocPath(id) + "/timeline", kDocs + "/{id}/timeline");
  // The signed file, checked by anyone: a PDF's validation report.
  const std::string sha(issued.body.at("versions").as_array().back().at("sha256").as_string());
  auto file = clerk->Get(DocPath(id) + "/files/" + sha);
  ASSERT_EQ(file.status, 200);
  ExpectFits("POST", "/api/v1/signatures/verify",
             spec->Call("POST", "/api/v1/signatures/verify", file.raw,
                        {{"Content-Type", "application/pdf"}}));
  // A paper arrival: its scan uploaded first, then registered.
  auto blob = clerk->Call("POST", "/api/v1/blobs", pki::SimplePdf({"CONG VAN DEN"}),
                          {{"Content-Type", "application/pdf"}});
  ExpectFits("POST", "/api/v1/blobs", blob);
  auto incoming =
      clerk->Post(kDocs + "/incoming", json::object{{"issuer_name", "Sở Tài chính"},
                                                    {"original_number_symbol", "77/STC-KHNS"},
                                                    {"subject", "Công văn kiểm tra lược đồ"},
                                                    {"scan_sha256", blob.body.at("sha256")},
                                                    {"scan_file_name", "cv.pdf"}});
  ExpectFits("POST", kDocs + "/incoming", incoming);
  ExpectFits("POST", "/api/v1/records",
             clerk->Post("/api/v1/records", json::object{{"code", "LUOC-DO-01"},
                                                         {"title", "Hồ sơ kiểm tra lược đồ"}}));
  Read("vanthu", "/api/v1/records", "/api/v1/records");
  EXPECT_GT(checked_, 15);
}

}  // namespace
}  // namespace chancery::testing
