#include "core/page.h"

#include <charconv>

namespace chancery {

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

Result<std::optional<Id>> IdCursor(const std::optional<std::string>& cursor) {
  if (!cursor || cursor->empty()) return std::optional<Id>{};
  auto v = ParseInt(*cursor);
  if (!v || *v <= 0) {
    return Error::Invalid("cursor", "bad_cursor", "Not a cursor this server gave out.");
  }
  return std::optional<Id>{*v};
}

}  // namespace chancery
