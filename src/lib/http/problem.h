// Errors as HTTP responses: application/problem+json (RFC 9457).
//
// HttpStatus is the one place in Chancery that maps an ErrorCode to an HTTP
// status; everything else passes Error values around. A handler that needs a
// status outside the map (416, 431, ...) builds Problem() and overrides
// `status` itself. Stateless and thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "lib/http/request.h"

namespace chancery::http {

// invalid_argument/malformed 400, unauthenticated 401, forbidden 403,
// not_found 404, conflict/invalid_transition 409, precondition_failed 412,
// payload_too_large 413, unsupported_media 415, hash_mismatch/
// idempotency_key_reused 422, precondition_required 428, account_locked 429
// (the caller adds Retry-After), internal 500, unavailable 503.
int HttpStatus(ErrorCode code);

// Short English title of a code, e.g. "Not found".
std::string_view ProblemTitle(ErrorCode code);

// The problem document for `error`:
//   {"type": "urn:chancery:problem:<code>", "title", "status", "detail",
//    "code", ["instance"], ["errors": [{field, code, message}]], ["allowed": [...]]}
// with Content-Type application/problem+json and the status of HttpStatus.
// `instance` (typically the request path) is omitted when empty.
Response Problem(const Error& error, std::string_view instance = {});

}  // namespace chancery::http
