// Strict validation of JSON request bodies against a flat field schema.
//
// Every route that takes a JSON body declares its fields (router.h Route::
// body_schema); ParseJsonBody checks a body against them before the handler
// runs, so handlers read a validated object with the typed getters below and
// never see unknown fields, wrong types or over-long strings. The same schema
// feeds the OpenAPI document (openapi.h). Body bytes come from outside: this
// is fuzzed (fuzz/json_body_fuzz.cc). Everything here is thread-safe (no state).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"
#include "lib/http/request.h"

namespace chancery::http {

enum class JsonType {
  kString,
  kInteger,  // a JSON integer that fits int64 (1.0 and 1e3 are not integers)
  kBoolean,
  kDate,       // "YYYY-MM-DD"
  kTimestamp,  // RFC 3339: "2026-11-22T09:30:00Z", "...T16:30:00.123+07:00"
  kStringArray,
  kIntegerArray,
  kObject,  // any object (not validated inside except for string sanity)
  kObjectArray,
};

inline constexpr std::size_t kDefaultMaxLength = 10000;
inline constexpr int kMaxJsonDepth = 32;

struct JsonField {
  std::string name;
  JsonType type = JsonType::kString;
  bool required = false;  // absent or null is an error; empty string/array too
  // Code points for strings; items for arrays; members for objects.
  // 0 = kDefaultMaxLength. Strings inside arrays/objects are capped at the
  // field's max_length for kStringArray and kDefaultMaxLength otherwise.
  std::size_t max_length = 0;
  std::vector<std::string> enum_values;                         // strings and string-array items
  std::int64_t min = std::numeric_limits<std::int64_t>::min();  // integers, items
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::string description;  // for the OpenAPI document
};

// Parses `body` and checks it against `schema`.
//   kMalformed: not JSON, trailing data, top level not an object, invalid
//     UTF-8, a duplicate key, a non-finite number, or nesting deeper than
//     kMaxJsonDepth.
//   kInvalidArgument: one FieldError per problem (at most 100), `field` being
//     the name, or "name[i]" for an array item, with code "required",
//     "wrong_type", "unknown_field", "too_long", "not_allowed_value",
//     "out_of_range", "bad_date", "bad_timestamp" or "empty". Strings anywhere
//     must not contain U+0000 ("not_allowed_value").
// An optional field given as null counts as absent.
Result<boost::json::object> ParseJsonBody(std::string_view body, std::span<const JsonField> schema);

// Typed getters for an object ParseJsonBody accepted. Absent, null or
// mistyped members give the fallback / nullopt / empty vector.
std::string GetString(const boost::json::object& o, std::string_view name,
                      std::string_view fallback = "");
std::optional<std::string> GetOptString(const boost::json::object& o, std::string_view name);
std::optional<std::int64_t> GetInt(const boost::json::object& o, std::string_view name);
bool GetBool(const boost::json::object& o, std::string_view name, bool fallback);
std::vector<std::int64_t> GetIntArray(const boost::json::object& o, std::string_view name);
std::vector<std::string> GetStringArray(const boost::json::object& o, std::string_view name);
// For kDate / kTimestamp fields (kTimestamp accepts offsets, which core's
// ParseTimestamp does not: use this getter).
std::optional<Date> GetDate(const boost::json::object& o, std::string_view name);
std::optional<Timestamp> GetTimestamp(const boost::json::object& o, std::string_view name);

// RFC 3339 date-time with 'T', seconds, an optional fraction of up to 9
// digits (kept to microseconds) and 'Z' or "+HH:MM"/"-HH:MM".
bool ParseRfc3339(std::string_view s, Timestamp* out);

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view s);

// `value` serialised, content-type "application/json; charset=utf-8".
Response JsonResponse(int status, const boost::json::value& value);

}  // namespace chancery::http
