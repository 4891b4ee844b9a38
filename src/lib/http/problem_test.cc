#include "lib/http/problem.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace chancery::http {
namespace {

namespace json = boost::json;

struct Expected {
  ErrorCode code;
  int status;
  const char* name;
};

constexpr Expected kAll[] = {
    {ErrorCode::kInvalidArgument, 400, "invalid_argument"},
    {ErrorCode::kMalformed, 400, "malformed_request"},
    {ErrorCode::kUnauthenticated, 401, "unauthenticated"},
    {ErrorCode::kAccountLocked, 429, "account_locked"},
    {ErrorCode::kForbidden, 403, "forbidden"},
    {ErrorCode::kNotFound, 404, "not_found"},
    {ErrorCode::kConflict, 409, "conflict"},
    {ErrorCode::kInvalidTransition, 409, "invalid_transition"},
    {ErrorCode::kPreconditionFailed, 412, "precondition_failed"},
    {ErrorCode::kPreconditionRequired, 428, "precondition_required"},
    {ErrorCode::kPayloadTooLarge, 413, "payload_too_large"},
    {ErrorCode::kUnsupportedMedia, 415, "unsupported_media_type"},
    {ErrorCode::kHashMismatch, 422, "hash_mismatch"},
    {ErrorCode::kIdempotencyReuse, 422, "idempotency_key_reused"},
    {ErrorCode::kTooManyRequests, 429, "too_many_requests"},
    {ErrorCode::kRefused, 422, "refused"},
    {ErrorCode::kUnavailable, 503, "unavailable"},
    {ErrorCode::kInternal, 500, "internal"},
};

TEST(ProblemTest, EveryCodeHasItsStatus) {
  EXPECT_EQ(std::size(kAll), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
  for (const auto& e : kAll) EXPECT_EQ(HttpStatus(e.code), e.status) << e.name;
}

TEST(ProblemTest, EveryCodeMakesAProblemDocument) {
  for (const auto& e : kAll) {
    Response r = Problem(MakeError(e.code, "Detail for " + std::string(e.name)), "/api/v1/x");
    EXPECT_EQ(r.status, e.status);
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    const json::object doc = json::parse(r.body).as_object();
    EXPECT_EQ(doc.at("type"), json::value("urn:chancery:problem:" + std::string(e.name)));
    EXPECT_EQ(doc.at("code"), json::value(e.name));
    EXPECT_EQ(doc.at("status"), json::value(e.status));
    EXPECT_EQ(doc.at("title"), json::value(ProblemTitle(e.code)));
    EXPECT_FALSE(ProblemTitle(e.code).empty());
    if (e.status < 500) {
      EXPECT_EQ(doc.at("detail"), json::value("Detail for " + std::string(e.name)));
    }
    EXPECT_EQ(doc.at("instance"), json::value("/api/v1/x"));
    EXPECT_FALSE(doc.contains("errors"));
    EXPECT_FALSE(doc.contains("allowed"));
  }
}

TEST(ProblemTest, TitlesAreDistinctPerCode) {
  for (const auto& a : kAll) {
    for (const auto& b : kAll) {
      if (a.code != b.code) {
        EXPECT_NE(ProblemTitle(a.code), ProblemTitle(b.code));
      }
    }
  }
}

TEST(ProblemTest, FieldErrorsAndAllowedActions) {
  Error e = Error::Invalid("subject", "too_long", "At most 500 characters.");
  e.fields.push_back({"recipients[2]", "Unknown unit.", "not_found"});
  const json::object doc = json::parse(Problem(e).body).as_object();
  EXPECT_FALSE(doc.contains("instance"));
  EXPECT_EQ(doc.at("errors"), json::parse(R"([
      {"field": "subject", "code": "too_long", "message": "At most 500 characters."},
      {"field": "recipients[2]", "code": "not_found", "message": "Unknown unit."}])"));

  Error t = MakeError(ErrorCode::kInvalidTransition, "Already signed.");
  t.allowed = {"issue", "recall"};
  const json::object tdoc = json::parse(Problem(t).body).as_object();
  EXPECT_EQ(tdoc.at("allowed"), json::parse(R"(["issue","recall"])"));
  EXPECT_EQ(tdoc.at("status"), json::value(409));
}

TEST(ProblemTest, EmptyMessageFallsBackToTitle) {
  const json::object doc =
      json::parse(Problem(Error{ErrorCode::kNotFound, "", {}, {}}).body).as_object();
  EXPECT_EQ(doc.at("detail"), json::value("Not found"));
}

TEST(ProblemTest, TextIsEscaped) {
  Response r = Problem(MakeError(ErrorCode::kConflict, "Số \"15/QĐ\" đã tồn tại\n"));
  const json::value detail = json::parse(r.body).as_object().at("detail");
  EXPECT_EQ(detail, json::value("Số \"15/QĐ\" đã tồn tại\n"));
}

TEST(ProblemTest, ServerFaultsDoNotShowTheirMessage) {
  for (ErrorCode code : {ErrorCode::kInternal, ErrorCode::kUnavailable}) {
    Error e = MakeError(code, "PostgreSQL: relation \"documents\" does not exist");
    e.fields.push_back({"sqlstate", "retry", "40001"});
    const std::string body = Problem(e).body;
    EXPECT_EQ(body.find("PostgreSQL"), std::string::npos) << body;
    EXPECT_EQ(body.find("40001"), std::string::npos) << body;
    EXPECT_NE(body.find("incident"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace chancery::http
