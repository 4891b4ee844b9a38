#include "lib/http/json_body.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace chancery::http {
namespace {

namespace json = boost::json;
using T = JsonType;

const std::vector<JsonField>& Schema() {
  static const std::vector<JsonField> schema{
      {.name = "subject", .type = T::kString, .required = true, .max_length = 10},
      {.name = "urgency", .type = T::kString, .enum_values = {"normal", "khan", "hoa_toc"}},
      {.name = "notes", .type = T::kString},
      {.name = "pages", .type = T::kInteger, .min = 0, .max = 100},
      {.name = "legal", .type = T::kBoolean},
      {.name = "deadline", .type = T::kDate},
      {.name = "sent_at", .type = T::kTimestamp},
      {.name = "tags", .type = T::kStringArray, .max_length = 3, .enum_values = {"a", "b", "c"}},
      {.name = "names", .type = T::kStringArray},
      {.name = "unit_ids", .type = T::kIntegerArray, .max_length = 4, .min = 1},
      {.name = "meta", .type = T::kObject, .max_length = 2},
      {.name = "items", .type = T::kObjectArray, .max_length = 2},
  };
  return schema;
}

Result<json::object> Parse(std::string_view body) { return ParseJsonBody(body, Schema()); }

// The single field error of a rejected body, as "field:code".
std::string OneError(std::string_view body) {
  auto r = Parse(body);
  if (r.ok()) return "<accepted>";
  if (r.error().code != ErrorCode::kInvalidArgument) {
    return "<" + std::string(ErrorCodeName(r.error().code)) + ">";
  }
  std::string out;
  for (const auto& f : r.error().fields) out += (out.empty() ? "" : " ") + f.field + ":" + f.code;
  return out;
}

ErrorCode CodeOf(std::string_view body) {
  auto r = Parse(body);
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST(JsonBodyTest, AcceptsAValidBodyAndGettersReadIt) {
  auto r = Parse(R"({"subject":"Quyết định","urgency":"khan","pages":12,"legal":true,
                    "deadline":"2026-12-31","sent_at":"2026-11-22T16:30:00+07:00",
                    "tags":["a","c"],"unit_ids":[1,2,3],"meta":{"k":"v"},
                    "items":[{"x":1}],"notes":null})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const json::object& o = *r;
  EXPECT_EQ(GetString(o, "subject"), "Quyết định");
  EXPECT_EQ(GetOptString(o, "urgency"), "khan");
  EXPECT_EQ(GetOptString(o, "notes"), std::nullopt);  // null = absent
  EXPECT_EQ(GetString(o, "notes", "fallback"), "fallback");
  EXPECT_EQ(GetInt(o, "pages"), 12);
  EXPECT_EQ(GetInt(o, "missing"), std::nullopt);
  EXPECT_TRUE(GetBool(o, "legal", false));
  EXPECT_FALSE(GetBool(o, "missing", false));
  EXPECT_EQ(GetStringArray(o, "tags"), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(GetIntArray(o, "unit_ids"), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(GetIntArray(o, "tags").empty());
  ASSERT_TRUE(GetDate(o, "deadline").has_value());
  EXPECT_EQ(FormatDate(*GetDate(o, "deadline")), "2026-12-31");
  ASSERT_TRUE(GetTimestamp(o, "sent_at").has_value());
  EXPECT_EQ(FormatTimestamp(*GetTimestamp(o, "sent_at")), "2026-11-22T09:30:00.000000Z");
}

TEST(JsonBodyTest, MalformedBodies) {
  for (std::string_view body :
       {"", "   ", "{", "{\"subject\":}", "[1,2]", "\"text\"", "42", "null", "{} {}",
        "{\"subject\":\"a\",}", "{'subject':'a'}", "{\"subject\":\"a\" /* c */}",
        "{\"subject\":\"\\ud800\"}", "{\"subject\":1e400}", "{\"a\":NaN}"}) {
    EXPECT_EQ(CodeOf(body), ErrorCode::kMalformed) << body;
  }
}

TEST(JsonBodyTest, InvalidUtf8IsMalformed) {
  for (std::string_view bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    const std::string body = "{\"subject\":\"" + std::string(bad) + "\"}";
    EXPECT_EQ(CodeOf(body), ErrorCode::kMalformed);
  }
}

TEST(JsonBodyTest, DuplicateKeysAreMalformed) {
  EXPECT_EQ(CodeOf(R"({"subject":"a","subject":"b"})"), ErrorCode::kMalformed);
  EXPECT_EQ(CodeOf(R"({"subject":"a","meta":{"k":1,"k":2}})"), ErrorCode::kMalformed);
  // The same key in sibling objects is fine.
  EXPECT_EQ(OneError(R"({"subject":"a","items":[{"k":1},{"k":2}]})"), "<accepted>");
}

std::string Nested(int depth) {
  // {"subject":"a","meta":{"k":[[...]]}} with `depth` levels in total.
  std::string open, close;
  for (int i = 0; i < depth - 2; ++i) {
    open += "[";
    close += "]";
  }
  return R"({"subject":"a","meta":{"k":)" + open + close + "}}";
}

TEST(JsonBodyTest, DepthLimitIs32) {
  EXPECT_EQ(OneError(Nested(32)), "<accepted>");
  EXPECT_EQ(CodeOf(Nested(33)), ErrorCode::kMalformed);
  EXPECT_EQ(CodeOf(std::string(100000, '[')), ErrorCode::kMalformed);
}

TEST(JsonBodyTest, RequiredAndEmpty) {
  EXPECT_EQ(OneError("{}"), "subject:required");
  EXPECT_EQ(OneError(R"({"subject":null})"), "subject:required");
  EXPECT_EQ(OneError(R"({"subject":""})"), "subject:empty");
  EXPECT_EQ(OneError(R"({"subject":" \t "})"), "subject:empty");
  // Optional strings may be empty.
  EXPECT_EQ(OneError(R"({"subject":"a","notes":""})"), "<accepted>");
}

TEST(JsonBodyTest, WrongTypes) {
  EXPECT_EQ(OneError(R"({"subject":5})"), "subject:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":"5"})"), "pages:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":5.0})"), "pages:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":5e1})"), "pages:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","legal":1})"), "legal:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","legal":"true"})"), "legal:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","deadline":20261231})"), "deadline:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","sent_at":1})"), "sent_at:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","tags":"a"})"), "tags:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","tags":["a",1]})"), "tags[1]:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","unit_ids":[1,"2"]})"), "unit_ids[1]:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","unit_ids":[1,2.5]})"), "unit_ids[1]:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","meta":[]})"), "meta:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","items":[{},3]})"), "items[1]:wrong_type");
  EXPECT_EQ(OneError(R"({"subject":"a","items":{}})"), "items:wrong_type");
}

TEST(JsonBodyTest, UnknownFieldsAreRejected) {
  EXPECT_EQ(OneError(R"({"subject":"a","Subject":"b"})"), "Subject:unknown_field");
  EXPECT_EQ(OneError(R"({"subject":"a","x":1,"y":2})"), "x:unknown_field y:unknown_field");
  EXPECT_EQ(ParseJsonBody(R"({"a":1})", {}).error().fields.at(0).code, "unknown_field");
  EXPECT_TRUE(ParseJsonBody("{}", {}).ok());
}

TEST(JsonBodyTest, LengthsCountCodePoints) {
  // "Quyết định" is 10 code points but 14 bytes: exactly at the limit.
  EXPECT_EQ(OneError(R"({"subject":"Quyết định"})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"Quyết định!"})"), "subject:too_long");
  EXPECT_EQ(OneError(R"({"subject":"0123456789"})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"01234567890"})"), "subject:too_long");
  // Escapes count once they are decoded.
  EXPECT_EQ(OneError(R"({"subject":"\u0110\u0111\u00e0\u1ebf012345"})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"\u0110\u0111\u00e0\u1ebf0123456"})"), "subject:too_long");
}

TEST(JsonBodyTest, DefaultLimitIs10000) {
  const std::string ok(10000, 'x');
  const std::string too_long(10001, 'x');
  EXPECT_EQ(OneError(R"({"subject":"a","notes":")" + ok + "\"}"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"a","notes":")" + too_long + "\"}"), "notes:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","names":[")" + too_long + "\"]}"), "names[0]:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","meta":{"k":")" + too_long + "\"}}"), "meta.k:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","items":[{"k":[")" + too_long + "\"]}]}"),
            "items[0].k[0]:too_long");
}

TEST(JsonBodyTest, ArrayAndObjectSizes) {
  EXPECT_EQ(OneError(R"({"subject":"a","tags":["a","b","c"]})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"a","tags":["a","b","c","a"]})"), "tags:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","unit_ids":[1,2,3,4,5]})"), "unit_ids:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","meta":{"a":1,"b":2,"c":3}})"), "meta:too_long");
  EXPECT_EQ(OneError(R"({"subject":"a","items":[{},{},{}]})"), "items:too_long");
  // An optional array may be empty; a required one may not.
  EXPECT_EQ(OneError(R"({"subject":"a","tags":[]})"), "<accepted>");
  const JsonField ids{.name = "ids", .type = T::kIntegerArray, .required = true};
  auto r = ParseJsonBody(R"({"ids":[]})", std::span(&ids, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).code, "empty");
}

TEST(JsonBodyTest, EnumValues) {
  EXPECT_EQ(OneError(R"({"subject":"a","urgency":"hoa_toc"})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"a","urgency":"Khan"})"), "urgency:not_allowed_value");
  EXPECT_EQ(OneError(R"({"subject":"a","urgency":""})"), "urgency:not_allowed_value");
  EXPECT_EQ(OneError(R"({"subject":"a","tags":["a","z"]})"), "tags[1]:not_allowed_value");
  auto r = Parse(R"({"subject":"a","urgency":"x"})");
  EXPECT_NE(r.error().fields.at(0).message.find("normal, khan, hoa_toc"), std::string::npos);
}

TEST(JsonBodyTest, IntegerRanges) {
  EXPECT_EQ(OneError(R"({"subject":"a","pages":0})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":100})"), "<accepted>");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":-1})"), "pages:out_of_range");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":101})"), "pages:out_of_range");
  EXPECT_EQ(OneError(R"({"subject":"a","pages":18446744073709551615})"), "pages:out_of_range");
  EXPECT_EQ(OneError(R"({"subject":"a","unit_ids":[1,0]})"), "unit_ids[1]:out_of_range");
  const JsonField big{.name = "n", .type = T::kInteger};
  EXPECT_TRUE(ParseJsonBody(R"({"n":9223372036854775807})", std::span(&big, 1)).ok());
  EXPECT_TRUE(ParseJsonBody(R"({"n":-9223372036854775808})", std::span(&big, 1)).ok());
  EXPECT_FALSE(ParseJsonBody(R"({"n":9223372036854775808})", std::span(&big, 1)).ok());
  // -2^63 - 1 arrives as a double: not an integer.
  auto r = ParseJsonBody(R"({"n":-9223372036854775809})", std::span(&big, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).code, "wrong_type");
}

TEST(JsonBodyTest, Dates) {
  EXPECT_EQ(OneError(R"({"subject":"a","deadline":"2028-02-29"})"), "<accepted>");
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-1", "26-01-01", "2026/01/01",
                          "2026-01-01T00:00:00Z", " 2026-01-01", ""}) {
    EXPECT_EQ(OneError(std::string(R"({"subject":"a","deadline":")") + bad + "\"}"),
              "deadline:bad_date")
        << bad;
  }
}

TEST(JsonBodyTest, Timestamps) {
  for (const char* good : {"2026-11-22T09:30:00Z", "2026-11-22T09:30:00.5Z",
                           "2026-11-22T09:30:00.123456789+07:00", "2026-11-22T09:30:00-05:30"}) {
    EXPECT_EQ(OneError(std::string(R"({"subject":"a","sent_at":")") + good + "\"}"), "<accepted>")
        << good;
  }
  for (const char* bad :
       {"2026-11-22", "2026-11-22T09:30Z", "2026-11-22 09:30:00Z", "2026-11-22T09:30:00",
        "2026-11-22T24:00:00Z", "2026-11-22T09:30:00.Z", "2026-11-22T09:30:00+7:00",
        "2026-11-22T09:30:00ZZ", "2026-02-30T09:30:00Z", "2026-11-22t09:30:00z"}) {
    EXPECT_EQ(OneError(std::string(R"({"subject":"a","sent_at":")") + bad + "\"}"),
              "sent_at:bad_timestamp")
        << bad;
  }
  Timestamp a, b;
  ASSERT_TRUE(ParseRfc3339("2026-01-01T06:59:59.000001+07:00", &a));
  ASSERT_TRUE(ParseRfc3339("2025-12-31T23:59:59.000001Z", &b));
  EXPECT_EQ(a, b);
}

TEST(JsonBodyTest, NulCharactersAreRefusedEverywhere) {
  EXPECT_EQ(OneError(R"({"subject":"a\u0000b"})"), "subject:not_allowed_value");
  EXPECT_EQ(OneError(R"({"subject":"a","names":["\u0000"]})"), "names[0]:not_allowed_value");
  EXPECT_EQ(OneError(R"({"subject":"a","meta":{"k\u0000":"v"}})"), "meta:not_allowed_value");
  EXPECT_EQ(OneError(R"({"subject":"a","su\u0000bject":"v"})"), ":unknown_field");
}

TEST(JsonBodyTest, ReportsEveryProblemInSchemaThenBodyOrder) {
  auto r = Parse(R"({"zzz":1,"pages":-5,"legal":"no","tags":["q"]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::string> got;
  for (const auto& f : r.error().fields) got.push_back(f.field + ":" + f.code);
  EXPECT_EQ(got,
            (std::vector<std::string>{"subject:required", "pages:out_of_range", "legal:wrong_type",
                                      "tags[0]:not_allowed_value", "zzz:unknown_field"}));
  for (const auto& f : r.error().fields) EXPECT_FALSE(f.message.empty());
}

TEST(JsonBodyTest, FieldErrorsAreCapped) {
  std::string body = R"({"subject":"a")";
  for (int i = 0; i < 500; ++i) body += ",\"f" + std::to_string(i) + "\":1";
  body += "}";
  auto r = Parse(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 100u);
}

TEST(JsonBodyTest, LongKeysAreMalformed) {
  const std::string body = R"({"subject":"a",")" + std::string(2000, 'k') + "\":1}";
  EXPECT_EQ(CodeOf(body), ErrorCode::kMalformed);
}

TEST(JsonBodyTest, Utf8Helpers) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Đường ống 𝄞"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));
  EXPECT_EQ(CountCodePoints("Đường 𝄞"), 7u);
}

TEST(JsonBodyTest, JsonResponse) {
  Response r = JsonResponse(201, json::object{{"id", 7}, {"name", "Sở Nội vụ"}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(r.body), (json::value{{"id", 7}, {"name", "Sở Nội vụ"}}));
}

}  // namespace
}  // namespace chancery::http
