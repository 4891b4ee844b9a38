// MIME multipart/related (RFC 2046, RFC 2387) and base64 (RFC 4648), as
// edXML packages travel: internal to src/exchange.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chancery::edxml::internal {

std::string Base64Encode(std::string_view bytes, std::size_t line_length = 0);  // 0: one line
// Strict alphabet and padding; whitespace (line breaks) between groups is skipped.
std::optional<std::string> Base64Decode(std::string_view text);

struct MimePart {
  std::string content_type;
  std::string content_id;         // without the angle brackets
  std::string transfer_encoding;  // lower case: "base64", "binary", "8bit", "7bit"
  std::string body;               // decoded
};

// A multipart/related message with `parts` (the first is the root). Each
// part's body is written base64 when its transfer_encoding says so, as is
// otherwise; the boundary must not occur in any raw body.
std::string WriteMultipart(const std::vector<const MimePart*>& parts, std::string_view boundary);

// The parts of a multipart/related message, bodies decoded. At most
// `max_parts`; refusals are kInvalidArgument (FORMAT) or kPayloadTooLarge.
Result<std::vector<MimePart>> ReadMultipart(std::string_view message, std::size_t max_parts);

// Characters allowed in a Content-ID (and boundary) we write and accept.
bool IsContentId(std::string_view id);

}  // namespace chancery::edxml::internal
