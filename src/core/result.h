// Result<T>: the value of an operation that can fail, or the Error saying why.
//
// No exception crosses a module boundary in Chancery; functions that can fail
// return Result<T> and callers must look at it ([[nodiscard]]). Error codes are
// stable machine-readable names (they reach API clients in problem+json); the
// mapping from code to HTTP status lives only in src/http.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace chancery {

enum class ErrorCode {
  kInvalidArgument,       // a field is missing, of the wrong type, too long, ...
  kMalformed,             // the request body is not parseable at all
  kUnauthenticated,       // no credentials, or credentials that do not check out
  kAccountLocked,         // too many failed logins; try again later
  kForbidden,             // authenticated but not allowed
  kNotFound,              // no such object (or one the caller may not know of)
  kConflict,              // uniqueness or concurrent-update conflict
  kInvalidTransition,     // the object's state does not allow this action
  kPreconditionFailed,    // If-Match did not match the current ETag
  kPreconditionRequired,  // an update without If-Match
  kPayloadTooLarge,       // body or file over the configured limit
  kUnsupportedMedia,      // content type not accepted
  kHashMismatch,          // uploaded bytes do not match the declared SHA-256
  kIdempotencyReuse,      // Idempotency-Key reused with a different request
  kTooManyRequests,       // a rate or capacity limit; try again after Retry-After
  kRefused,               // outside input (another agency's package) refused; see its reason
  kUnavailable,           // a dependency (database, disk) is not answering
  kInternal,              // a bug or an unexpected failure; details are logged
};

// Stable name of a code, e.g. "invalid_transition". Never changes once shipped.
std::string_view ErrorCodeName(ErrorCode code);

// One problem with one field of a request (RFC 9457 extension "errors").
struct FieldError {
  std::string field;    // JSON pointer-ish path, e.g. "subject" or "recipients[2]"
  std::string message;  // English, for developers; UIs translate by `code`
  std::string code;     // e.g. "too_long", "required", "wrong_type", "unknown_field"
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;               // human-readable, safe to show the caller
  std::vector<FieldError> fields;    // per-field problems, for kInvalidArgument
  std::vector<std::string> allowed;  // allowed actions, for kInvalidTransition
  std::int64_t retry_after_seconds = 0;  // kAccountLocked: when to try again (Retry-After)

  static Error Invalid(std::string field, std::string code, std::string message) {
    Error e{ErrorCode::kInvalidArgument, "The request is not valid.", {}, {}};
    e.fields.push_back({std::move(field), std::move(message), std::move(code)});
    return e;
  }
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, {}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return *error_; }
  Error&& error() && { assert(!ok()); return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;
inline Status Ok() { return {}; }

// The error to answer for a failed lookup: `instead` when the row is
// missing (kNotFound), the lookup's own error otherwise — a storage
// failure stays a storage failure (503/500), never "no such X".
template <typename T>
Error MissingAs(const Result<T>& lookup, Error instead) {
  return lookup.error().code == ErrorCode::kNotFound ? std::move(instead) : lookup.error();
}

}  // namespace chancery

// Propagates an error: CHY_TRY(auto x, Compute()); or CHY_TRY_STATUS(DoIt());
#define CHY_CONCAT_INNER(a, b) a##b
#define CHY_CONCAT(a, b) CHY_CONCAT_INNER(a, b)
#define CHY_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                  \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define CHY_TRY(decl, expr) CHY_TRY_IMPL(CHY_CONCAT(chy_try_, __LINE__), decl, expr)
#define CHY_TRY_STATUS(expr)                        \
  do {                                              \
    auto chy_status = (expr);                       \
    if (!chy_status.ok()) return std::move(chy_status).error(); \
  } while (0)
