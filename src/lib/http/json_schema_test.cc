#include "lib/http/json_schema.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace chancery::http::schema {
namespace {

namespace json = boost::json;

json::object Components() {
  return {{"Unit", Object({{"id", Integer()},
                           {"name", String("Tên")},
                           {"parent_id", Nullable(Integer())},
                           Optional("retired_on", IsoDate())})}};
}

TEST(JsonSchemaTest, BuildersWriteJsonSchema) {
  EXPECT_EQ(Ref("Unit"), json::parse(R"({"$ref":"#/components/schemas/Unit"})"));
  EXPECT_EQ(Integer("Số"),
            json::parse(R"({"type":"integer","format":"int64","description":"Số"})"));
  EXPECT_EQ(Nullable(IsoDate()), json::parse(R"({"type":["string","null"],"format":"date"})"));
  EXPECT_EQ(Nullable(Enum({"a", "b"})),
            json::parse(R"({"type":["string","null"],"enum":["a","b",null]})"));
  EXPECT_EQ(Nullable(Ref("Unit")),
            json::parse(R"({"anyOf":[{"$ref":"#/components/schemas/Unit"},{"type":"null"}]})"));
  EXPECT_EQ(FreeObject(), json::parse(R"({"type":"object","additionalProperties":true})"));
  EXPECT_EQ(Components().at("Unit"), json::parse(R"({"type":"object","properties":{
      "id":{"type":"integer","format":"int64"},
      "name":{"type":"string","description":"Tên"},
      "parent_id":{"type":["integer","null"],"format":"int64"},
      "retired_on":{"type":"string","format":"date"}},
      "required":["id","name","parent_id"]})"));
  EXPECT_EQ(Extend(Object({{"a", String()}}, "A"), {Optional("b", Boolean())}),
            json::parse(R"({"type":"object","description":"A","properties":{
                "a":{"type":"string"},"b":{"type":"boolean"}},"required":["a"]})"));
  const json::value page = Page(Ref("Unit"));
  EXPECT_EQ(page.at("required"), json::parse(R"(["items","next_cursor"])"));
  EXPECT_EQ(page.at("properties").at("items"),
            json::parse(R"({"type":"array","items":{"$ref":"#/components/schemas/Unit"}})"));
}

TEST(JsonSchemaTest, FittingValuesHaveNoMismatches) {
  const auto unit = json::parse(R"({"id":1,"name":"Văn phòng","parent_id":null})");
  EXPECT_TRUE(Mismatches(Ref("Unit"), unit, Components()).empty());
  EXPECT_TRUE(Mismatches(Items(Ref("Unit")), json::parse(R"({"items":[]})"), Components()).empty());
  EXPECT_TRUE(Mismatches(Page(Ref("Unit")),
                         json::parse(R"({"items":[{"id":2,"name":"Tổ","parent_id":1,
                                         "retired_on":"2026-01-31"}],"next_cursor":"2"})"),
                         Components())
                  .empty());
  EXPECT_TRUE(Mismatches(Number(), json::parse("0.8"), {}).empty());
  EXPECT_TRUE(Mismatches(Number(), json::parse("1"), {}).empty());
  EXPECT_TRUE(
      Mismatches(IsoTimestamp(), json::parse(R"("2026-11-22T09:30:00.000000Z")"), {}).empty());
  EXPECT_TRUE(Mismatches(Any(), json::parse(R"({"x":[1,"y"]})"), {}).empty());
  EXPECT_TRUE(Mismatches(FreeObject(), json::parse(R"({"x":1})"), {}).empty());
  EXPECT_TRUE(Mismatches(AnyOf({Integer(), Ref("Unit")}), unit, Components()).empty());
}

TEST(JsonSchemaTest, SaysWhereAValueDoesNotFit) {
  const json::object c = Components();
  EXPECT_EQ(Mismatches(Ref("Unit"), json::parse(R"({"id":"1","name":"A","parent_id":null})"), c),
            std::vector<std::string>{R"($.id: "integer" expected, got string)"});
  EXPECT_EQ(Mismatches(Ref("Unit"), json::parse(R"({"id":1,"parent_id":null})"), c),
            std::vector<std::string>{R"($: required member "name" is missing)"});
  EXPECT_EQ(Mismatches(Ref("Unit"), json::parse(R"({"id":1,"name":"A","parent_id":1,"x":0})"), c),
            std::vector<std::string>{"$.x: a member the schema does not declare"});
  EXPECT_EQ(
      Mismatches(Items(Ref("Unit")),
                 json::parse(R"({"items":[{"id":1,"name":"A","parent_id":2.5}]})"), c),
      std::vector<std::string>{R"($.items[0].parent_id: ["integer","null"] expected, got number)"});
  EXPECT_EQ(Mismatches(Enum({"vi", "en"}), json::parse(R"("de")"), c),
            std::vector<std::string>{R"($: "de" is not one of ["vi","en"])"});
  EXPECT_EQ(Mismatches(IsoDate(), json::parse(R"("22/11/2026")"), c),
            std::vector<std::string>{R"($: "22/11/2026" is not YYYY-MM-DD)"});
  EXPECT_EQ(Mismatches(IsoTimestamp(), json::parse(R"("2026-11-22")"), c).size(), 1u);
  EXPECT_EQ(Mismatches(Ref("Nope"), json::parse("1"), c),
            std::vector<std::string>{R"($: unresolved $ref "#/components/schemas/Nope")"});
  const auto none = Mismatches(AnyOf({Integer(), Boolean()}), json::parse(R"("x")"), c);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_TRUE(none[0].starts_with("$: fits none of the anyOf branches")) << none[0];
}

TEST(JsonSchemaTest, UnresolvedRefs) {
  const json::value doc = Object({{"a", Ref("Unit")}, {"b", Array(Ref("User"))}});
  EXPECT_EQ(UnresolvedRefs(doc, Components()),
            std::vector<std::string>{"#/components/schemas/User"});
  EXPECT_TRUE(UnresolvedRefs(Ref("Unit"), Components()).empty());
}

}  // namespace
}  // namespace chancery::http::schema
