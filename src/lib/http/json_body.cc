#include "lib/http/json_body.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <unordered_set>

namespace chancery::http {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxFieldErrors = 100;

// Builds the value like boost::json::parser does, and additionally refuses
// duplicate keys (which json::parser silently resolves to the last one, a
// classic source of disagreement between a validator and its consumers) and
// non-finite numbers (1e400 would become Infinity and serialise as non-JSON).
class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = 1024;
  static constexpr std::size_t max_string_size = json::string::max_size();

  StrictHandler() { stack_.reset(); }

  json::value Release() { return stack_.release(); }
  const std::string& failure() const { return failure_; }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    keys_.pop_back();
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    stack_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) {
      failure_ = "The key \"" + key_ + "\" appears twice in one object.";
      ec = make_error_code(json::error::syntax);
      return false;
    }
    key_.clear();
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    if (!std::isfinite(d)) {
      failure_ = "A number is too large.";
      ec = make_error_code(json::error::syntax);
      return false;
    }
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  json::value_stack stack_;
  std::vector<std::unordered_set<std::string>> keys_;  // one set per open object
  std::string key_;
  std::string failure_;
};

Error Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, std::move(message));
}

Result<json::value> ParseStrict(std::string_view body) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;  // comments, trailing commas: off (default)
  json::basic_parser<StrictHandler> parser(options);
  json::error_code ec;
  const std::size_t n = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && n < body.size()) ec = make_error_code(json::error::extra_data);
  if (ec) {
    if (!parser.handler().failure().empty()) return Malformed(parser.handler().failure());
    if (ec == json::error::too_deep) {
      return Malformed("The JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
    }
    if (ec == json::error::extra_data) return Malformed("Data follows the JSON value.");
    return Malformed("The body is not valid JSON (UTF-8): " + ec.message() + " at byte " +
                     std::to_string(n) + ".");
  }
  return parser.handler().Release();
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::size_t Limit(const JsonField& f) { return f.max_length ? f.max_length : kDefaultMaxLength; }

class Checker {
 public:
  void Add(std::string field, std::string code, std::string message) {
    if (errors_.size() < kMaxFieldErrors) {
      errors_.push_back({std::move(field), std::move(message), std::move(code)});
    }
  }
  bool full() const { return errors_.size() >= kMaxFieldErrors; }
  std::vector<FieldError>& errors() { return errors_; }

  // A string value (a field or an array item).
  void String(const std::string& where, std::string_view s, std::size_t limit,
              const std::vector<std::string>& enum_values) {
    if (s.find('\0') != std::string_view::npos) {
      Add(where, "not_allowed_value", "Must not contain the character U+0000.");
    } else if (CountCodePoints(s) > limit) {
      Add(where, "too_long", "At most " + std::to_string(limit) + " characters.");
    } else if (!enum_values.empty() &&
               std::find(enum_values.begin(), enum_values.end(), s) == enum_values.end()) {
      std::string list;
      for (const auto& v : enum_values) list += (list.empty() ? "" : ", ") + v;
      Add(where, "not_allowed_value", "Must be one of: " + list + ".");
    }
  }

  void Integer(const std::string& where, const json::value& v, const JsonField& f) {
    if (v.is_uint64()) {  // only numbers above INT64_MAX are kept as uint64
      Add(where, "out_of_range", "Too large.");
    } else if (!v.is_int64()) {
      Add(where, "wrong_type", "Must be an integer.");
    } else if (v.get_int64() < f.min || v.get_int64() > f.max) {
      Add(where, "out_of_range",
          "Must be between " + std::to_string(f.min) + " and " + std::to_string(f.max) + ".");
    }
  }

  // Strings (and keys) anywhere inside an object field.
  void Nested(const std::string& where, const json::value& v) {
    if (full()) return;
    if (v.is_string()) {
      String(where, v.get_string(), kDefaultMaxLength, {});
    } else if (v.is_array()) {
      const auto& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i)
        Nested(where + "[" + std::to_string(i) + "]", a[i]);
    } else if (v.is_object()) {
      for (const auto& m : v.get_object()) {
        const std::string key(m.key());
        if (key.find('\0') != std::string::npos) {
          Add(where, "not_allowed_value", "Keys must not contain the character U+0000.");
          continue;
        }
        Nested(where + "." + key, m.value());
      }
    }
  }

  void Field(const JsonField& f, const json::value& v) {
    const std::string& name = f.name;
    switch (f.type) {
      case JsonType::kString:
        if (!v.is_string()) return Add(name, "wrong_type", "Must be a string.");
        if (f.required && IsBlank(v.get_string())) return Add(name, "empty", "Must not be empty.");
        return String(name, v.get_string(), Limit(f), f.enum_values);
      case JsonType::kInteger:
        return Integer(name, v, f);
      case JsonType::kBoolean:
        if (!v.is_bool()) Add(name, "wrong_type", "Must be true or false.");
        return;
      case JsonType::kDate: {
        if (!v.is_string()) return Add(name, "wrong_type", "Must be a date string.");
        Date d;
        if (!ParseDate(std::string_view(v.get_string()), &d)) {
          Add(name, "bad_date", "Must be a date written YYYY-MM-DD.");
        }
        return;
      }
      case JsonType::kTimestamp: {
        if (!v.is_string()) return Add(name, "wrong_type", "Must be a date-time string.");
        Timestamp t;
        if (!ParseRfc3339(std::string_view(v.get_string()), &t)) {
          Add(name, "bad_timestamp", "Must be an RFC 3339 date-time, e.g. 2026-11-22T09:30:00Z.");
        }
        return;
      }
      case JsonType::kStringArray:
      case JsonType::kIntegerArray:
      case JsonType::kObjectArray: {
        if (!v.is_array()) return Add(name, "wrong_type", "Must be an array.");
        const auto& a = v.get_array();
        if (f.required && a.empty()) return Add(name, "empty", "Must not be empty.");
        if (a.size() > Limit(f)) {
          return Add(name, "too_long", "At most " + std::to_string(Limit(f)) + " items.");
        }
        for (std::size_t i = 0; i < a.size() && !full(); ++i) {
          const std::string where = name + "[" + std::to_string(i) + "]";
          if (f.type == JsonType::kIntegerArray) {
            Integer(where, a[i], f);
          } else if (f.type == JsonType::kStringArray) {
            if (!a[i].is_string()) {
              Add(where, "wrong_type", "Must be a string.");
            } else {
              String(where, a[i].get_string(), kDefaultMaxLength, f.enum_values);
            }
          } else if (!a[i].is_object()) {
            Add(where, "wrong_type", "Must be an object.");
          } else {
            Nested(where, a[i]);
          }
        }
        return;
      }
      case JsonType::kObject:
        if (!v.is_object()) return Add(name, "wrong_type", "Must be an object.");
        if (v.get_object().size() > Limit(f)) {
          return Add(name, "too_long", "At most " + std::to_string(Limit(f)) + " members.");
        }
        return Nested(name, v);
    }
  }

 private:
  std::vector<FieldError> errors_;
};

const json::value* Member(const json::object& o, std::string_view name) {
  return o.if_contains(json::string_view(name.data(), name.size()));
}

}  // namespace

Result<json::object> ParseJsonBody(std::string_view body, std::span<const JsonField> schema) {
  if (IsBlank(body)) return Malformed("The request body is empty; send a JSON object.");
  CHY_TRY(json::value parsed, ParseStrict(body));
  if (!parsed.is_object()) return Malformed("The request body must be a JSON object.");
  json::object& object = parsed.get_object();

  Checker check;
  for (const JsonField& f : schema) {
    const json::value* v = Member(object, f.name);
    if (v == nullptr || v->is_null()) {
      if (f.required) check.Add(f.name, "required", "This field is required.");
      continue;
    }
    check.Field(f, *v);
  }
  for (const auto& m : object) {
    const std::string_view key(m.key().data(), m.key().size());
    const bool known = std::any_of(schema.begin(), schema.end(),
                                   [&](const JsonField& f) { return f.name == key; });
    if (known) continue;
    if (key.find('\0') != std::string_view::npos) {
      check.Add("", "unknown_field", "A field name contains the character U+0000.");
    } else {
      check.Add(std::string(key), "unknown_field", "This field is not part of the request.");
    }
  }
  if (!check.errors().empty()) {
    Error e = MakeError(ErrorCode::kInvalidArgument,
                        check.errors().size() == 1 ? "One field of the request is not valid."
                                                   : std::to_string(check.errors().size()) +
                                                         " fields of the request are not valid.");
    e.fields = std::move(check.errors());
    return e;
  }
  return std::move(object);
}

std::string GetString(const json::object& o, std::string_view name, std::string_view fallback) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_string()) return std::string(fallback);
  return std::string(v->get_string());
}

std::optional<std::string> GetOptString(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::int64_t> GetInt(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

bool GetBool(const json::object& o, std::string_view name, bool fallback) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_bool()) return fallback;
  return v->get_bool();
}

std::vector<std::int64_t> GetIntArray(const json::object& o, std::string_view name) {
  std::vector<std::int64_t> out;
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (item.is_int64()) out.push_back(item.get_int64());
  }
  return out;
}

std::vector<std::string> GetStringArray(const json::object& o, std::string_view name) {
  std::vector<std::string> out;
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

std::optional<Date> GetDate(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  Date d;
  if (v == nullptr || !v->is_string() || !ParseDate(std::string_view(v->get_string()), &d)) {
    return std::nullopt;
  }
  return d;
}

std::optional<Timestamp> GetTimestamp(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  Timestamp t;
  if (v == nullptr || !v->is_string() || !ParseRfc3339(std::string_view(v->get_string()), &t)) {
    return std::nullopt;
  }
  return t;
}

bool ParseRfc3339(std::string_view s, Timestamp* out) {
  using namespace std::chrono;
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  Date date;
  if (!ParseDate(s.substr(0, 10), &date)) return false;
  auto digits = [&](std::size_t pos, std::size_t len, int* value) {
    if (pos + len > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
  };
  int h, mi, sec;
  if (!digits(11, 2, &h) || !digits(14, 2, &mi) || !digits(17, 2, &sec)) return false;
  if (h > 23 || mi > 59 || sec > 60) return false;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (s[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0 || n > 9) return false;
    for (; n < 6; ++n) micros *= 10;
  }
  if (pos >= s.size()) return false;
  minutes offset{0};
  if (s[pos] == 'Z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (pos + 6 != s.size() || s[pos + 3] != ':' || !digits(pos + 1, 2, &oh) ||
        !digits(pos + 4, 2, &om) || oh > 23 || om > 59) {
      return false;
    }
    offset = hours{oh} + minutes{om};
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  *out = Timestamp{date} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros} - offset;
  return true;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += n + 1;
  }
  return true;
}

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Response JsonResponse(int status, const json::value& value) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = json::serialize(value);
  return r;
}

}  // namespace chancery::http
