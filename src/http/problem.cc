#include "http/problem.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace chancery::http {

// clang-format off
int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kMalformed: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kAccountLocked: return 429;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kInvalidTransition: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kPreconditionRequired: return 428;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kHashMismatch: return 422;
    case ErrorCode::kIdempotencyReuse: return 422;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string_view ProblemTitle(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "Invalid request";
    case ErrorCode::kMalformed: return "Malformed request";
    case ErrorCode::kUnauthenticated: return "Authentication required";
    case ErrorCode::kAccountLocked: return "Account temporarily locked";
    case ErrorCode::kForbidden: return "Forbidden";
    case ErrorCode::kNotFound: return "Not found";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kInvalidTransition: return "Action not allowed in this state";
    case ErrorCode::kPreconditionFailed: return "Precondition failed";
    case ErrorCode::kPreconditionRequired: return "Precondition required";
    case ErrorCode::kPayloadTooLarge: return "Payload too large";
    case ErrorCode::kUnsupportedMedia: return "Unsupported media type";
    case ErrorCode::kHashMismatch: return "Hash mismatch";
    case ErrorCode::kIdempotencyReuse: return "Idempotency key reused";
    case ErrorCode::kUnavailable: return "Service unavailable";
    case ErrorCode::kInternal: return "Internal error";
  }
  return "Internal error";
}
// clang-format on

Response Problem(const Error& error, std::string_view instance) {
  namespace json = boost::json;
  const int status = HttpStatus(error.code);
  const std::string_view code = ErrorCodeName(error.code);
  json::object doc;
  doc["type"] = "urn:chancery:problem:" + std::string(code);
  doc["title"] = ProblemTitle(error.code);
  doc["status"] = status;
  doc["detail"] = error.message.empty() ? ProblemTitle(error.code) : error.message;
  if (!instance.empty()) doc["instance"] = instance;
  doc["code"] = code;
  if (!error.fields.empty()) {
    json::array errors;
    for (const FieldError& f : error.fields) {
      errors.push_back(json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
    }
    doc["errors"] = std::move(errors);
  }
  if (!error.allowed.empty()) {
    json::array allowed;
    for (const std::string& a : error.allowed) allowed.emplace_back(a);
    doc["allowed"] = std::move(allowed);
  }
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/problem+json");
  r.body = json::serialize(doc);
  return r;
}

}  // namespace chancery::http
