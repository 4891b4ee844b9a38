#include "lib/http/json_schema.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/world.h"
#include "lib/http/json_body.h"

namespace chancery::http::schema {

namespace json = boost::json;

namespace {

constexpr std::string_view kRefPrefix = "#/components/schemas/";

value Typed(std::string_view type, std::string_view description, std::string_view format = {}) {
  json::object o{{"type", type}};
  if (!format.empty()) o["format"] = format;
  if (!description.empty()) o["description"] = description;
  return o;
}

std::string TypeOf(const value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "?";
}

bool HasType(std::string_view type, const value& v) {
  if (type == "number") return v.is_number();
  return TypeOf(v) == type;
}

// The JSON being walked and the document's components; collects mismatches.
class Checker {
 public:
  Checker(const json::object& components, std::vector<std::string>& out)
      : components_(components), out_(out) {}

  void Check(const value& schema, const value& v, const std::string& path, int depth = 0) {
    if (depth > 64) return Fail(path, "the schema nests too deep (a $ref loop?)");
    if (schema.is_bool()) {
      if (!schema.as_bool()) Fail(path, "nothing is allowed here");
      return;
    }
    if (!schema.is_object()) return Fail(path, "the schema is not an object");
    const json::object& s = schema.as_object();
    if (const auto* ref = s.if_contains("$ref")) {
      const value* target = Resolve(*ref);
      if (!target) return Fail(path, "unresolved $ref " + json::serialize(*ref));
      Check(*target, v, path, depth + 1);
    }
    for (const char* key : {"anyOf", "oneOf"}) {
      if (const auto* branches = s.if_contains(key)) CheckAnyOf(*branches, v, path, depth);
    }
    if (const auto* type = s.if_contains("type"); type && !TypeFits(*type, v)) {
      return Fail(path, json::serialize(*type) + " expected, got " + TypeOf(v));
    }
    if (const auto* e = s.if_contains("enum"); e && e->is_array()) {
      const auto& allowed = e->as_array();
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
        Fail(path, json::serialize(v) + " is not one of " + json::serialize(*e));
      }
    }
    if (const auto* c = s.if_contains("const"); c && *c != v) {
      Fail(path, json::serialize(v) + " is not " + json::serialize(*c));
    }
    if (const auto* format = s.if_contains("format"); format && v.is_string()) {
      CheckFormat(format->as_string(), v.as_string(), path);
    }
    if (v.is_object()) CheckObject(s, v.as_object(), path, depth);
    if (v.is_array()) {
      if (const auto* items = s.if_contains("items")) {
        const auto& a = v.as_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
          Check(*items, a[i], path + "[" + std::to_string(i) + "]", depth + 1);
        }
      }
    }
  }

 private:
  void Fail(const std::string& path, std::string what) { out_.push_back(path + ": " + what); }

  const value* Resolve(const value& ref) const {
    if (!ref.is_string() || !ref.as_string().starts_with(kRefPrefix)) return nullptr;
    return components_.if_contains(std::string_view(ref.as_string()).substr(kRefPrefix.size()));
  }

  static bool TypeFits(const value& type, const value& v) {
    if (type.is_string()) return HasType(type.as_string(), v);
    if (!type.is_array()) return false;
    for (const auto& t : type.as_array()) {
      if (t.is_string() && HasType(t.as_string(), v)) return true;
    }
    return false;
  }

  // Fits when one branch fits; otherwise says why the closest branch did not.
  void CheckAnyOf(const value& branches, const value& v, const std::string& path, int depth) {
    if (!branches.is_array() || branches.as_array().empty()) {
      return Fail(path, "anyOf without branches");
    }
    std::vector<std::string> closest;
    for (const auto& branch : branches.as_array()) {
      std::vector<std::string> misses;
      Checker(components_, misses).Check(branch, v, path, depth + 1);
      if (misses.empty()) return;
      if (closest.empty() || misses.size() < closest.size()) closest = std::move(misses);
    }
    Fail(path, "fits none of the anyOf branches; the closest: " + closest.front());
  }

  void CheckFormat(std::string_view format, std::string_view text, const std::string& path) {
    if (format == "date") {
      chancery::Date d;
      if (!ParseDate(text, &d)) Fail(path, "\"" + std::string(text) + "\" is not YYYY-MM-DD");
    } else if (format == "date-time") {
      chancery::Timestamp t;
      if (!ParseRfc3339(text, &t)) {
        Fail(path, "\"" + std::string(text) + "\" is not an RFC 3339 date-time");
      }
    }
  }

  void CheckObject(const json::object& s, const json::object& o, const std::string& path,
                   int depth) {
    static const json::object kNone;
    const auto* props = s.if_contains("properties");
    const json::object& properties = props && props->is_object() ? props->as_object() : kNone;
    if (const auto* required = s.if_contains("required"); required && required->is_array()) {
      for (const auto& name : required->as_array()) {
        if (name.is_string() && !o.contains(name.as_string())) {
          Fail(path, "required member \"" + std::string(name.as_string()) + "\" is missing");
        }
      }
    }
    // Only a schema that describes an object's members judges unknown ones
    // (a bare $ref or anyOf leaves that to its target).
    const bool describes = props || s.contains("additionalProperties");
    const value* extra = s.if_contains("additionalProperties");
    for (const auto& [key, member] : o) {
      const std::string where = path + "." + std::string(key);
      if (const auto* p = properties.if_contains(key)) {
        Check(*p, member, where, depth + 1);
      } else if (extra && extra->is_object()) {
        Check(*extra, member, where, depth + 1);
      } else if (describes && !(extra && extra->is_bool() && extra->as_bool())) {
        Fail(where, "a member the schema does not declare");
      }
    }
  }

  const json::object& components_;
  std::vector<std::string>& out_;
};

void CollectRefs(const value& v, const json::object& components, std::set<std::string>& out) {
  if (v.is_array()) {
    for (const auto& item : v.as_array()) CollectRefs(item, components, out);
  } else if (v.is_object()) {
    for (const auto& [key, member] : v.as_object()) {
      if (key == "$ref" && member.is_string()) {
        const std::string_view ref = member.as_string();
        if (!ref.starts_with(kRefPrefix) || !components.contains(ref.substr(kRefPrefix.size()))) {
          out.insert(std::string(ref));
        }
      } else {
        CollectRefs(member, components, out);
      }
    }
  }
}

}  // namespace

value Ref(std::string_view name) {
  return json::object{{"$ref", std::string(kRefPrefix) + std::string(name)}};
}

value String(std::string_view description) { return Typed("string", description); }
value Integer(std::string_view description) { return Typed("integer", description, "int64"); }
value Number(std::string_view description) { return Typed("number", description); }
value Boolean(std::string_view description) { return Typed("boolean", description); }
value IsoDate(std::string_view description) { return Typed("string", description, "date"); }
value IsoTimestamp(std::string_view description) {
  return Typed("string", description, "date-time");
}

value Enum(const std::vector<std::string>& values, std::string_view description) {
  json::array e;
  for (const auto& v : values) e.emplace_back(v);
  json::object o{{"type", "string"}, {"enum", std::move(e)}};
  if (!description.empty()) o["description"] = description;
  return o;
}

value Any(std::string_view description) {
  json::object o;
  if (!description.empty()) o["description"] = description;
  return o;
}

value FreeObject(std::string_view description) {
  json::object o{{"type", "object"}, {"additionalProperties", true}};
  if (!description.empty()) o["description"] = description;
  return o;
}

value Array(value items, std::string_view description) {
  json::object o{{"type", "array"}, {"items", std::move(items)}};
  if (!description.empty()) o["description"] = description;
  return o;
}

value Nullable(value s) {
  json::object& o = s.as_object();
  if (auto* type = o.if_contains("type")) {
    if (type->is_string()) *type = json::array{*type, "null"};
    if (auto* e = o.if_contains("enum")) e->as_array().emplace_back(nullptr);
    return s;
  }
  return json::object{{"anyOf", json::array{std::move(s), json::object{{"type", "null"}}}}};
}

value AnyOf(std::vector<value> schemas, std::string_view description) {
  json::object o{{"anyOf", json::array(schemas.begin(), schemas.end())}};
  if (!description.empty()) o["description"] = description;
  return o;
}

Property Optional(std::string name, value schema) {
  return Property{std::move(name), std::move(schema), false};
}

value Object(std::vector<Property> properties, std::string_view description) {
  return Extend(json::object{{"type", "object"}}, std::move(properties), description);
}

value Extend(value object, std::vector<Property> more, std::string_view description) {
  json::object o = std::move(object.as_object());
  json::object out{{"type", "object"}};
  if (!description.empty()) {
    out["description"] = description;
  } else if (const auto* d = o.if_contains("description")) {
    out["description"] = *d;
  }
  json::object properties;
  json::array required;
  if (auto* p = o.if_contains("properties")) properties = std::move(p->as_object());
  if (auto* r = o.if_contains("required")) required = std::move(r->as_array());
  for (Property& p : more) {
    if (p.required) required.emplace_back(p.name);
    properties[p.name] = std::move(p.schema);
  }
  out["properties"] = std::move(properties);
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

value Items(value item) { return Object({{"items", Array(std::move(item))}}); }

value Page(value item) {
  return Object(
      {{"items", Array(std::move(item))},
       {"next_cursor",
        Nullable(String("Where the next page starts: pass it back as `cursor`; null on the "
                        "last page."))}},
      "One page of a list (keyset pagination).");
}

std::vector<std::string> Mismatches(const value& schema, const value& instance,
                                    const json::object& components) {
  std::vector<std::string> out;
  Checker(components, out).Check(schema, instance, "$");
  return out;
}

std::vector<std::string> UnresolvedRefs(const value& v, const json::object& components) {
  std::set<std::string> refs;
  CollectRefs(v, components, refs);
  return {refs.begin(), refs.end()};
}

}  // namespace chancery::http::schema
