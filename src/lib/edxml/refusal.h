// Refusals of outside input inside src/exchange: an Error whose first field
// error carries the reason code (edxml.h's kReason*).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "lib/edxml/edxml.h"

namespace chancery::edxml::internal {

inline Error Refuse(std::string_view reason, std::string field, std::string message) {
  Error e{reason == kReasonTooLarge ? ErrorCode::kPayloadTooLarge : ErrorCode::kInvalidArgument,
          message,
          {},
          {}};
  e.fields.push_back({std::move(field), std::move(message), std::string(reason)});
  return e;
}
inline Error Malformed(std::string field, std::string message) {
  return Refuse(kReasonFormat, std::move(field), std::move(message));
}

}  // namespace chancery::edxml::internal
