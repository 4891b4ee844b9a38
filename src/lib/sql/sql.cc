#include "lib/sql/sql.h"

#include <charconv>

namespace chancery::sql {

namespace {

// Parses a whole decimal integer; PostgreSQL NUMERIC results arrive as text.
std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Status CheckRole(std::string_view role) {
  const bool ok = !role.empty() && role.size() <= 40 &&
                  role.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos;
  if (ok) return Ok();
  return MakeError(ErrorCode::kInvalidArgument, "A lease's role is lower-case letters and '-'.");
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return ParseInt(*p).value_or(0);
  return 0;
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

double Row::Real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    double d = 0;
    std::from_chars(p->data(), p->data() + p->size(), d);
    return d;
  }
  return 0;
}

std::string Row::Text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<Bytes>(&v)) return p->data;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Status RunInTransaction(Connection& c, std::string_view begin,
                        const std::function<Status(Connection&)>& body) {
  CHY_TRY_STATUS(c.Exec(begin));
  Status status = body(c);
  if (!status.ok()) {
    (void)c.Exec("ROLLBACK");
    return status;
  }
  Status committed = c.Exec("COMMIT");
  if (!committed.ok()) (void)c.Exec("ROLLBACK");
  return committed;
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    SqliteOptions options;
    options.path = std::string(url.substr(kSqlite.size()));
    return OpenSqlite(options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://") ||
      url.find('=') != std::string_view::npos) {
    PostgresOptions options;
    options.conninfo = std::string(url);
    return OpenPostgres(options);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "Database URL must start with sqlite: or postgresql://.");
}

}  // namespace chancery::sql
