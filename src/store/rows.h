// Row mapping and SQL-building helpers shared by the modules' store files
// (src/modules/<name>/store.cc). Internal to the store: not for services.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/page.h"
#include "lib/text/fold.h"
#include "store/store.h"

namespace chancery::store::rows {

using sql::Row;
using sql::Value;

inline std::int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(std::int64_t v) { return Timestamp{std::chrono::microseconds{v}}; }

inline Value OptInt(std::optional<std::int64_t> v) { return v ? Value{*v} : Value{nullptr}; }
inline Value OptDate(std::optional<Date> d) { return d ? Value{FormatDate(*d)} : Value{nullptr}; }
inline std::optional<Date> DateOf(const Row& r, std::size_t i) {
  auto s = r.OptText(i);
  Date d;
  if (!s || !ParseDate(*s, &d)) return std::nullopt;
  return d;
}
inline Date DateOr(const Row& r, std::size_t i) { return DateOf(r, i).value_or(Date{}); }

inline std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}
inline std::vector<Id> SplitIds(const std::string& s) {
  std::vector<Id> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (auto id = ParseInt(part)) out.push_back(*id);
  }
  return out;
}

inline Error NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

// Returns the first row or kNotFound.
inline Result<Row> One(Result<sql::Rows> rows, std::string_view what) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return NotFound(what);
  return std::move(rows->rows.front());
}

inline Result<Id> InsertedId(Result<sql::Rows> rows) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return MakeError(ErrorCode::kInternal, "INSERT returned no id.");
  return rows->rows.front().Int(0);
}

// Appends " AND col IN ($n, $n+1, ...)" with the values bound.
template <typename T>
inline void AppendIn(std::string& sql, std::vector<Value>& params, std::string_view column,
                     const std::vector<T>& values) {
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    if (i) sql += ',';
    sql += '$' + std::to_string(params.size());
  }
  sql += ')';
}

// `text` matched literally inside a LIKE pattern with ESCAPE '\'.
inline std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

inline std::string Bind(std::vector<Value>& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

}  // namespace chancery::store::rows
