// JSON Schema (2020-12, as OpenAPI 3.1 uses it) for what routes answer:
// small builders, so that a module writes the shape of its answers in a few
// readable lines (src/modules/<name>/schemas.cc), and a checker, so that
// tests hold real answers against the shapes the document declares.
//
// The builders write only what the OpenAPI document needs: types (a list
// with "null" for a nullable value), properties and `required`, items,
// enums, formats, `$ref` to "#/components/schemas/<name>", `anyOf` and
// descriptions. Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace chancery::http::schema {

using boost::json::value;

// {"$ref": "#/components/schemas/<name>"}.
value Ref(std::string_view name);

value String(std::string_view description = {});
value Integer(std::string_view description = {});  // int64
value Number(std::string_view description = {});   // any JSON number (a ratio)
value Boolean(std::string_view description = {});
value IsoDate(std::string_view description = {});       // "YYYY-MM-DD"
value IsoTimestamp(std::string_view description = {});  // RFC 3339, e.g. "…T09:30:00.000000Z"
value Enum(const std::vector<std::string>& values, std::string_view description = {});
// Anything at all (JSON kept as another party wrote it).
value Any(std::string_view description = {});
// An object whose members are not described (free-form JSON).
value FreeObject(std::string_view description = {});
value Array(value items, std::string_view description = {});
// `schema` or null: "type" becomes ["t", "null"] (and an enum gains null);
// a "$ref" or "anyOf" becomes {"anyOf": [schema, {"type": "null"}]}.
value Nullable(value schema);
// Any one of the shapes.
value AnyOf(std::vector<value> schemas, std::string_view description = {});

// One member of an object: required unless made with Optional().
struct Property {
  std::string name;
  value schema;
  bool required = true;
};
// A member that may be absent (it is never null unless its schema says so).
Property Optional(std::string name, value schema);

value Object(std::vector<Property> properties, std::string_view description = {});
// `object` (an Object(...)) with more members: a flat copy, so each shape
// reads on its own in the document.
value Extend(value object, std::vector<Property> more, std::string_view description = {});

// {"items": [item, ...]}: a whole list.
value Items(value item);
// {"items": [item, ...], "next_cursor": "…" or null}: one page of a list
// (core/page.h); pass next_cursor back as `cursor` for the next page.
value Page(value item);

// Where `instance` does not fit `schema`, one line each ("$.items[2].id:
// integer expected, got string"); empty when it fits. "$ref"s resolve in
// `components` (#/components/schemas). Understood: type (and type lists),
// enum, const, properties, required, additionalProperties, items, anyOf,
// oneOf (read as anyOf), allOf, and formats date and date-time. Stricter
// than JSON Schema on purpose: a member the schema does not name is a
// mismatch unless the schema sets additionalProperties, so an answer that
// grew a field the document does not declare is caught.
std::vector<std::string> Mismatches(const value& schema, const value& instance,
                                    const boost::json::object& components);

// Every "$ref" in `v` that does not name an entry of `components`.
std::vector<std::string> UnresolvedRefs(const value& v, const boost::json::object& components);

}  // namespace chancery::http::schema
