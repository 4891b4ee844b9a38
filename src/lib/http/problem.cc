#include "lib/http/problem.h"

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <iostream>

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
    case ErrorCode::kRefused: return 422;
    case ErrorCode::kTooManyRequests: return 429;
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
    case ErrorCode::kRefused: return "Refused";
    case ErrorCode::kTooManyRequests: return "Too many requests";
    case ErrorCode::kUnavailable: return "Service unavailable";
    case ErrorCode::kInternal: return "Internal error";
  }
  return "Internal error";
}
// clang-format on

namespace {

// Failures of the server itself (a database error, a bug) carry messages for
// operators, not for clients: SQL text, file paths. They are logged under an
// incident number, and the client gets only that number.
std::string LogIncident(const Error& error) {
  static std::atomic<std::uint64_t> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string incident =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + "-" +
      std::to_string(++counter);
  std::cerr << "incident " << incident << ": " << ErrorCodeName(error.code) << ": " << error.message
            << std::endl;
  return incident;
}

}  // namespace

Response Problem(const Error& error, std::string_view instance) {
  namespace json = boost::json;
  const int status = HttpStatus(error.code);
  const std::string_view code = ErrorCodeName(error.code);
  const bool server_fault =
      error.code == ErrorCode::kInternal || error.code == ErrorCode::kUnavailable;
  json::object doc;
  doc["type"] = "urn:chancery:problem:" + std::string(code);
  doc["title"] = ProblemTitle(error.code);
  doc["status"] = status;
  if (server_fault) {
    doc["detail"] = std::string(ProblemTitle(error.code)) + "; incident " + LogIncident(error) +
                    " is in the server log.";
  } else {
    doc["detail"] = error.message.empty() ? ProblemTitle(error.code) : error.message;
  }
  if (!instance.empty()) doc["instance"] = instance;
  doc["code"] = code;
  if (!error.fields.empty() && !server_fault) {
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
