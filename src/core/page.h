// One way to page every list: a keyset cursor (where the last page ended,
// never an offset), and the one integer parser every input goes through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace chancery {

// All of `text` as a base-10 integer; nullopt for anything else (signs
// other than a leading '-', spaces, overflow, an empty string).
std::optional<std::int64_t> ParseInt(std::string_view text);

// A page of a list, newest first unless the list says otherwise; there is
// more when next_cursor is set (pass it back as `cursor`).
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

// The cursor of a list ordered by id, newest first: the last id shown.
// Absent or empty → start; anything this server did not give out →
// kInvalidArgument on field "cursor".
Result<std::optional<Id>> IdCursor(const std::optional<std::string>& cursor);
inline std::string IdCursorOf(Id last_shown) { return std::to_string(last_shown); }

// A page of at most `limit` rows from a query that asked for `limit + 1`
// (ordered by id): the extra row only says there is more, so a cursor is
// given exactly when another page has rows.
template <typename T>
Page<T> PageOfRows(std::vector<T> rows, int limit) {
  Page<T> page;
  if (limit >= 0 && rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(static_cast<std::size_t>(limit));
    if (!rows.empty()) page.next_cursor = IdCursorOf(rows.back().id);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace chancery
