#include "lib/http/openapi.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <set>

namespace chancery::http {

namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

void IntegerBounds(json::object& schema, const JsonField& f) {
  schema["type"] = "integer";
  schema["format"] = "int64";
  if (f.min != std::numeric_limits<std::int64_t>::min()) schema["minimum"] = f.min;
  if (f.max != std::numeric_limits<std::int64_t>::max()) schema["maximum"] = f.max;
}

std::size_t Limit(const JsonField& f) { return f.max_length ? f.max_length : kDefaultMaxLength; }

json::object ProblemSchema() {
  json::object error_item{{"type", "object"},
                          {"properties",
                           {{"field", {{"type", "string"}}},
                            {"code", {{"type", "string"}}},
                            {"message", {{"type", "string"}}}}},
                          {"required", json::array{"field", "code", "message"}}};
  return {{"type", "object"},
          {"description", "RFC 9457 problem details; `code` is the stable machine-readable name."},
          {"properties",
           {{"type", {{"type", "string"}, {"format", "uri"}}},
            {"title", {{"type", "string"}}},
            {"status", {{"type", "integer"}}},
            {"detail", {{"type", "string"}}},
            {"instance", {{"type", "string"}}},
            {"code", {{"type", "string"}}},
            {"errors", {{"type", "array"}, {"items", error_item}}},
            {"allowed", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
          {"required", json::array{"type", "title", "status", "code"}}};
}

std::string StatusDescription(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No content";
    case 206:
      return "Partial content";
    default:
      return "Success";
  }
}

// One entry of an operation's `responses`.
json::object Answer(int status, std::string_view description, const json::value& schema,
                    const std::vector<std::string>& media_types,
                    const std::vector<RouteAnswer::Header>& headers) {
  json::object answer{
      {"description", description.empty() ? StatusDescription(status) : std::string(description)}};
  if (!headers.empty()) {
    json::object h;
    for (const RouteAnswer::Header& header : headers) {
      h[header.name] = json::object{
          {"description", header.description},
          {"schema", header.schema.is_null() ? json::object{{"type", "string"}} : header.schema}};
    }
    answer["headers"] = std::move(h);
  }
  json::object content;
  const char* json_type = status >= 400 ? "application/problem+json" : "application/json";
  if (!schema.is_null()) {
    content[json_type] = json::object{{"schema", schema}};
  } else if (status >= 400 && media_types.empty()) {
    content[json_type] = json::object{{"schema", {{"$ref", "#/components/schemas/Problem"}}}};
  }
  for (const std::string& type : media_types) content[type] = json::object{};
  if (!content.empty()) answer["content"] = std::move(content);
  return answer;
}

json::object Responses(const Route& route) {
  json::object responses;
  responses[std::to_string(route.success_status)] =
      Answer(route.success_status, "", route.response_schema, route.response_types, {});
  for (const RouteAnswer& other : route.other_answers) {
    responses[std::to_string(other.status)] =
        Answer(other.status, other.description, other.schema, other.media_types, other.headers);
  }
  responses["default"] = json::object{
      {"description", "An error, as RFC 9457 problem details."},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  return responses;
}

json::object Operation(const Route& route, const std::string& operation_id) {
  json::object op;
  op["operationId"] = operation_id;
  if (!route.summary.empty()) op["summary"] = route.summary;
  if (!route.tag.empty()) op["tags"] = json::array{json::value(route.tag)};
  if (!route.required_role.empty()) {
    op["description"] = "Required role: " + route.required_role + ".";
    op["x-required-role"] = route.required_role;
  }

  json::array parameters;
  for (const std::string_view segment : SplitPath(route.pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      const std::string_view name = segment.substr(1, segment.size() - 2);
      const bool integer = std::find(route.integer_params.begin(), route.integer_params.end(),
                                     name) != route.integer_params.end();
      parameters.push_back(json::object{
          {"name", name},
          {"in", "path"},
          {"required", true},
          {"schema", integer
                         ? json::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}
                         : json::object{{"type", "string"}}}});
    }
  }
  for (const std::string& q : route.query_params) {
    parameters.push_back(json::object{
        {"name", q}, {"in", "query"}, {"required", false}, {"schema", {{"type", "string"}}}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  if (!route.body_schema.empty()) {
    json::object properties;
    json::array required;
    for (const JsonField& f : route.body_schema) {
      properties[f.name] = FieldSchema(f);
      if (f.required) required.emplace_back(f.name);
    }
    json::object schema{
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = std::move(required);
    op["requestBody"] = json::object{
        {"required", true}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
  }

  op["responses"] = Responses(route);

  if (route.authenticated) {
    op["security"] = json::array{json::object{{"cookieAuth", json::array{}}},
                                 json::object{{"bearerAuth", json::array{}}}};
  } else {
    op["security"] = json::array{};
  }
  return op;
}

}  // namespace

json::object FieldSchema(const JsonField& f) {
  json::object s;
  switch (f.type) {
    case JsonType::kString:
      s["type"] = "string";
      s["maxLength"] = Limit(f);
      if (!f.enum_values.empty()) s["enum"] = Strings(f.enum_values);
      break;
    case JsonType::kInteger:
      IntegerBounds(s, f);
      break;
    case JsonType::kBoolean:
      s["type"] = "boolean";
      break;
    case JsonType::kDate:
      s["type"] = "string";
      s["format"] = "date";
      break;
    case JsonType::kTimestamp:
      s["type"] = "string";
      s["format"] = "date-time";
      break;
    case JsonType::kStringArray: {
      json::object items{{"type", "string"}, {"maxLength", kDefaultMaxLength}};
      if (!f.enum_values.empty()) items["enum"] = Strings(f.enum_values);
      s["type"] = "array";
      s["items"] = std::move(items);
      s["maxItems"] = Limit(f);
      break;
    }
    case JsonType::kIntegerArray: {
      json::object items;
      IntegerBounds(items, f);
      s["type"] = "array";
      s["items"] = std::move(items);
      s["maxItems"] = Limit(f);
      break;
    }
    case JsonType::kObject:
      s["type"] = "object";
      s["maxProperties"] = Limit(f);
      break;
    case JsonType::kObjectArray:
      s["type"] = "array";
      s["items"] = json::object{{"type", "object"}};
      s["maxItems"] = Limit(f);
      break;
  }
  if (f.required) {
    if (f.type == JsonType::kString) s["minLength"] = 1;
    if (s["type"] == "array") s["minItems"] = 1;
  } else {
    // ParseJsonBody treats null as absent for optional fields.
    s["type"] = json::array{s["type"], "null"};
    if (s.contains("enum")) s["enum"].as_array().emplace_back(nullptr);
  }
  if (!f.description.empty()) s["description"] = f.description;
  return s;
}

std::string OperationId(std::string_view method, std::string_view pattern) {
  std::string id;
  for (const char c : method) id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const std::string_view segment : SplitPath(pattern)) {
    std::string_view word = segment;
    id += '_';
    if (word.size() >= 2 && word.front() == '{' && word.back() == '}') {
      id += "by_";
      word = word.substr(1, word.size() - 2);
    }
    for (const char c : word) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (alnum) {
        id += c;
      } else if (c >= 'A' && c <= 'Z') {
        id += static_cast<char>(c - 'A' + 'a');
      } else {
        id += '_';
      }
    }
  }
  return id;
}

std::vector<std::string> UndescribedAnswers(const Router& router) {
  std::vector<std::string> out;
  for (const Route& route : router.routes()) {
    if (route.success_status != 204 && route.response_schema.is_null() &&
        route.response_types.empty()) {
      out.push_back(route.method + " " + route.pattern);
    }
  }
  return out;
}

json::value OpenApiDocument(const Router& router, std::string_view title, std::string_view version,
                            std::string_view session_cookie, const json::object& schemas) {
  json::object paths;
  std::set<std::string> tags;
  std::set<std::string> operation_ids;
  for (const Route& route : router.routes()) {
    std::string id = OperationId(route.method, route.pattern);
    // Distinct patterns may collide after folding punctuation; keep ids unique.
    for (int n = 2; operation_ids.contains(id); ++n) {
      id = OperationId(route.method, route.pattern) + "_" + std::to_string(n);
    }
    operation_ids.insert(id);
    if (!route.tag.empty()) tags.insert(route.tag);
    std::string method;
    for (const char c : route.method) method += static_cast<char>(c - 'A' + 'a');
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[method] = Operation(route, id);
  }
  json::array tag_list;
  for (const auto& t : tags) tag_list.push_back(json::object{{"name", t}});
  json::object components{{"Problem", ProblemSchema()}};
  for (const auto& [name, schema] : schemas) components[name] = schema;
  return json::object{
      {"openapi", "3.1.0"},
      {"info", {{"title", title}, {"version", version}}},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", std::move(components)},
        {"securitySchemes",
         {{"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", session_cookie}}},
          {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
  };
}

namespace {

void WritePretty(const boost::json::value& v, int depth, std::string& out) {
  const std::string indent(2 * (depth + 1), ' ');
  const std::string close(2 * depth, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += indent + boost::json::serialize(boost::json::string(key)) + ": ";
      WritePretty(item, depth + 1, out);
    }
    out += "\n" + close + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += indent;
      WritePretty(item, depth + 1, out);
    }
    out += "\n" + close + "]";
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

std::string PrettyJson(const boost::json::value& value) {
  std::string out;
  WritePretty(value, 0, out);
  out += "\n";
  return out;
}

}  // namespace chancery::http
