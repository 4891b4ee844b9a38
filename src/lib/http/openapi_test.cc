#include "lib/http/openapi.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace chancery::http {
namespace {

namespace json = boost::json;
using T = JsonType;

Response Ok(Request&) { return {}; }

Router Sample() {
  Router r;
  r.Add({.method = "POST",
         .pattern = "/api/v1/documents",
         .handler = Ok,
         .summary = "Create a draft",
         .tag = "documents",
         .body_schema = {{.name = "subject",
                          .type = T::kString,
                          .required = true,
                          .max_length = 500,
                          .description = "Trích yếu"},
                         {.name = "urgency", .type = T::kString, .enum_values = {"normal", "khan"}},
                         {.name = "pages", .type = T::kInteger, .min = 0, .max = 100},
                         {.name = "deadline", .type = T::kDate},
                         {.name = "sent_at", .type = T::kTimestamp},
                         {.name = "unit_ids",
                          .type = T::kIntegerArray,
                          .required = true,
                          .max_length = 20,
                          .min = 1},
                         {.name = "tags", .type = T::kStringArray},
                         {.name = "legal", .type = T::kBoolean},
                         {.name = "meta", .type = T::kObject},
                         {.name = "items", .type = T::kObjectArray, .max_length = 5}},
         .success_status = 201,
         .required_role = "specialist"});
  r.Add({.method = "GET",
         .pattern = "/api/v1/documents",
         .handler = Ok,
         .summary = "List documents",
         .tag = "documents",
         .query_params = {"q", "cursor"}});
  r.Add({.method = "GET",
         .pattern = "/api/v1/documents/{id}/attachments/{sha}",
         .handler = Ok,
         .tag = "attachments"});
  r.Add({.method = "DELETE",
         .pattern = "/api/v1/documents/{id}",
         .handler = Ok,
         .success_status = 204});
  r.Add({.method = "POST",
         .pattern = "/api/v1/session",
         .handler = Ok,
         .tag = "auth",
         .authenticated = false});
  return r;
}

TEST(OpenApiTest, DocumentShape) {
  const json::object doc = OpenApiDocument(Sample(), "Chancery", "0.1.0").as_object();
  EXPECT_EQ(doc.at("openapi"), json::value("3.1.0"));
  EXPECT_EQ(doc.at("info"), json::parse(R"({"title":"Chancery","version":"0.1.0"})"));
  EXPECT_EQ(doc.at("tags"),
            json::parse(R"([{"name":"attachments"},{"name":"auth"},{"name":"documents"}])"));
  const json::object& paths = doc.at("paths").as_object();
  EXPECT_EQ(paths.size(), 4u);
  const json::object& docs = paths.at("/api/v1/documents").as_object();
  EXPECT_TRUE(docs.contains("get"));
  EXPECT_TRUE(docs.contains("post"));
  EXPECT_TRUE(paths.at("/api/v1/documents/{id}").as_object().contains("delete"));

  const json::object& schemes = doc.at("components").at("securitySchemes").as_object();
  EXPECT_EQ(schemes.at("cookieAuth"),
            json::parse(R"({"type":"apiKey","in":"cookie","name":"chancery_session"})"));
  EXPECT_EQ(schemes.at("bearerAuth"), json::parse(R"({"type":"http","scheme":"bearer"})"));
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Problem"));
}

TEST(OpenApiTest, EveryRouteIsAnOperationWithUniqueId) {
  Router r = Sample();
  const json::value doc = OpenApiDocument(r, "Chancery", "0.1.0");
  std::set<std::string> ids;
  for (const Route& route : r.routes()) {
    std::string method;
    for (char c : route.method) method += static_cast<char>(std::tolower(c));
    const json::object& op = doc.at("paths").at(route.pattern).at(method).as_object();
    ids.insert(std::string(op.at("operationId").as_string()));
    EXPECT_TRUE(op.at("responses").as_object().contains(std::to_string(route.success_status)));
    EXPECT_EQ(
        op.at("responses").at("default").at("content").at("application/problem+json").at("schema"),
        json::parse(R"({"$ref":"#/components/schemas/Problem"})"));
  }
  EXPECT_EQ(ids.size(), r.routes().size());
}

TEST(OpenApiTest, OperationIds) {
  EXPECT_EQ(OperationId("GET", "/api/v1/documents/{id}/attachments/{sha}"),
            "get_api_v1_documents_by_id_attachments_by_sha");
  EXPECT_EQ(OperationId("POST", "/api/v1/documents"), "post_api_v1_documents");
  EXPECT_EQ(OperationId("GET", "/api/v1/legal-docs"), "get_api_v1_legal_docs");
  // Folding collisions get a suffix.
  Router r;
  r.Add({.method = "GET", .pattern = "/a-b", .handler = Ok});
  r.Add({.method = "GET", .pattern = "/a_b", .handler = Ok});
  const json::value doc = OpenApiDocument(r, "t", "1");
  EXPECT_EQ(doc.at("paths").at("/a-b").at("get").at("operationId"), json::value("get_a_b"));
  EXPECT_EQ(doc.at("paths").at("/a_b").at("get").at("operationId"), json::value("get_a_b_2"));
}

TEST(OpenApiTest, ParametersAndSecurity) {
  const json::value doc = OpenApiDocument(Sample(), "Chancery", "0.1.0", "sid");
  const json::object& att =
      doc.at("paths").at("/api/v1/documents/{id}/attachments/{sha}").at("get").as_object();
  EXPECT_EQ(att.at("parameters"), json::parse(R"([
      {"name":"id","in":"path","required":true,"schema":{"type":"string"}},
      {"name":"sha","in":"path","required":true,"schema":{"type":"string"}}])"));
  EXPECT_EQ(att.at("security"), json::parse(R"([{"cookieAuth":[]},{"bearerAuth":[]}])"));
  EXPECT_FALSE(att.contains("requestBody"));

  const json::object& list = doc.at("paths").at("/api/v1/documents").at("get").as_object();
  EXPECT_EQ(list.at("parameters"), json::parse(R"([
      {"name":"q","in":"query","required":false,"schema":{"type":"string"}},
      {"name":"cursor","in":"query","required":false,"schema":{"type":"string"}}])"));
  EXPECT_EQ(list.at("summary"), json::value("List documents"));
  EXPECT_EQ(list.at("tags"), json::parse(R"(["documents"])"));

  const json::object& login = doc.at("paths").at("/api/v1/session").at("post").as_object();
  EXPECT_EQ(login.at("security"), json::array{});
  EXPECT_EQ(doc.at("components").at("securitySchemes").at("cookieAuth").at("name"),
            json::value("sid"));
}

TEST(OpenApiTest, RequestBodySchema) {
  const json::value doc = OpenApiDocument(Sample(), "Chancery", "0.1.0");
  const json::object& create = doc.at("paths").at("/api/v1/documents").at("post").as_object();
  EXPECT_EQ(create.at("x-required-role"), json::value("specialist"));
  const json::object& schema =
      create.at("requestBody").at("content").at("application/json").at("schema").as_object();
  EXPECT_EQ(schema.at("type"), json::value("object"));
  EXPECT_EQ(schema.at("additionalProperties"), json::value(false));
  EXPECT_EQ(schema.at("required"), json::parse(R"(["subject","unit_ids"])"));
  const json::object& p = schema.at("properties").as_object();
  EXPECT_EQ(p.at("subject"), json::parse(R"({"type":"string","maxLength":500,"minLength":1,
                            "description":"Trích yếu"})"));
  EXPECT_EQ(p.at("urgency"), json::parse(R"({"type":["string","null"],"maxLength":10000,
                                             "enum":["normal","khan",null]})"));
  EXPECT_EQ(p.at("pages"), json::parse(R"({"type":["integer","null"],"format":"int64",
                                           "minimum":0,"maximum":100})"));
  EXPECT_EQ(p.at("deadline"), json::parse(R"({"type":["string","null"],"format":"date"})"));
  EXPECT_EQ(p.at("sent_at"), json::parse(R"({"type":["string","null"],"format":"date-time"})"));
  EXPECT_EQ(p.at("unit_ids"), json::parse(R"({"type":"array","items":{"type":"integer",
                                              "format":"int64","minimum":1},
                                              "maxItems":20,"minItems":1})"));
  EXPECT_EQ(p.at("tags"), json::parse(R"({"type":["array","null"],
                                          "items":{"type":"string","maxLength":10000},
                                          "maxItems":10000})"));
  EXPECT_EQ(p.at("legal"), json::parse(R"({"type":["boolean","null"]})"));
  EXPECT_EQ(p.at("meta"), json::parse(R"({"type":["object","null"],"maxProperties":10000})"));
  EXPECT_EQ(p.at("items"), json::parse(R"({"type":["array","null"],"items":{"type":"object"},
                                           "maxItems":5})"));
}

// What a route answers: the success body's schema or media types, other
// answers with their headers, integer path placeholders, the shared shapes.
TEST(OpenApiTest, Answers) {
  Router r;
  r.Add({.method = "GET",
         .pattern = "/api/v1/units/{id}",
         .handler = Ok,
         .response_schema = json::parse(R"({"$ref":"#/components/schemas/Unit"})"),
         .integer_params = {"id"}});
  r.Add({.method = "GET",
         .pattern = "/api/v1/books/{id}/export",
         .handler = Ok,
         .response_types = {"text/csv", "application/vnd.ms-excel"},
         .other_answers = {{.status = 206, .media_types = {"*/*"}}},
         .integer_params = {"id"}});
  r.Add({.method = "POST",
         .pattern = "/api/v1/login",
         .handler = Ok,
         .response_schema = json::parse(R"({"type":"object"})"),
         .other_answers = {{.status = 429,
                            .description = "Locked",
                            .headers = {{.name = "Retry-After",
                                         .description = "Seconds to wait.",
                                         .schema = json::parse(R"({"type":"integer"})")}}}}});
  r.Add({.method = "POST", .pattern = "/api/v1/logout", .handler = Ok, .success_status = 204});
  r.Add({.method = "GET", .pattern = "/api/v1/forgotten/{code}", .handler = Ok});
  const json::object unit = json::parse(R"({"type":"object"})").as_object();
  const json::value doc = OpenApiDocument(r, "C", "1", "sid", {{"Unit", unit}});
  const json::value& paths = doc.at("paths");

  const json::object& get_unit = paths.at("/api/v1/units/{id}").at("get").as_object();
  EXPECT_EQ(get_unit.at("responses").at("200"), json::parse(R"({"description":"OK",
      "content":{"application/json":{"schema":{"$ref":"#/components/schemas/Unit"}}}})"));
  EXPECT_EQ(get_unit.at("parameters"), json::parse(R"([{"name":"id","in":"path","required":true,
      "schema":{"type":"integer","format":"int64","minimum":1}}])"));

  const json::object& book = paths.at("/api/v1/books/{id}/export").at("get").as_object();
  EXPECT_EQ(book.at("responses").at("200"), json::parse(R"({"description":"OK",
      "content":{"text/csv":{},"application/vnd.ms-excel":{}}})"));
  EXPECT_EQ(book.at("responses").at("206"),
            json::parse(R"({"description":"Partial content","content":{"*/*":{}}})"));

  EXPECT_EQ(paths.at("/api/v1/login").at("post").at("responses").at("429"),
            json::parse(R"({"description":"Locked",
                "headers":{"Retry-After":{"description":"Seconds to wait.",
                                          "schema":{"type":"integer"}}},
                "content":{"application/problem+json":{
                    "schema":{"$ref":"#/components/schemas/Problem"}}}})"));
  EXPECT_EQ(paths.at("/api/v1/logout").at("post").at("responses").at("204"),
            json::parse(R"({"description":"No content"})"));
  EXPECT_EQ(paths.at("/api/v1/forgotten/{code}").at("get").at("parameters").at(0).at("schema"),
            json::parse(R"({"type":"string"})"));

  const json::object& schemas = doc.at("components").at("schemas").as_object();
  ASSERT_EQ(schemas.size(), 2u);
  EXPECT_EQ(schemas.begin()->key(), "Problem");
  EXPECT_EQ(schemas.at("Unit"), unit);

  // The one route that answers a body without saying what it is.
  EXPECT_EQ(UndescribedAnswers(r), std::vector<std::string>{"GET /api/v1/forgotten/{code}"});
}

TEST(OpenApiTest, IsStable) {
  EXPECT_EQ(json::serialize(OpenApiDocument(Sample(), "C", "1")),
            json::serialize(OpenApiDocument(Sample(), "C", "1")));
}

}  // namespace
}  // namespace chancery::http
