#include "core/result.h"

namespace chancery {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kMalformed: return "malformed_request";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kAccountLocked: return "account_locked";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInvalidTransition: return "invalid_transition";
    case ErrorCode::kPreconditionFailed: return "precondition_failed";
    case ErrorCode::kPreconditionRequired: return "precondition_required";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMedia: return "unsupported_media_type";
    case ErrorCode::kHashMismatch: return "hash_mismatch";
    case ErrorCode::kIdempotencyReuse: return "idempotency_key_reused";
    case ErrorCode::kRefused:
      return "refused";
    case ErrorCode::kTooManyRequests:
      return "too_many_requests";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace chancery
