#include "lib/http/request.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "lib/http/json_body.h"

namespace chancery::http {

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string_view> FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  return FindHeader(headers, name);
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return FindHeader(headers, name);
}

void Response::SetHeader(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Cookie(const Request& request, std::string_view name) {
  for (const auto& [k, v] : request.headers) {
    if (!EqualsIgnoreCase(k, "Cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = TrimSpaces(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (TrimSpaces(pair.substr(0, eq)) != name) continue;
      std::string_view value = TrimSpaces(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::optional<std::string> QueryParam(const Request& request, std::string_view name) {
  auto it = request.query.find(std::string(name));
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return std::nullopt;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos || !IsValidUtf8(out)) return std::nullopt;
  return out;
}

Status ParseTarget(std::string_view target, Request& request) {
  if (target.empty() || target.front() != '/') {
    return MakeError(ErrorCode::kMalformed, "The request target must be a path.");
  }
  request.raw_target = std::string(target);
  const std::size_t q = target.find('?');
  auto path = PercentDecode(target.substr(0, q), /*plus_as_space=*/false);
  if (!path) return MakeError(ErrorCode::kMalformed, "The request path is badly encoded.");
  request.path = std::move(*path);
  request.query.clear();
  if (q == std::string_view::npos) return Ok();
  std::string_view rest = target.substr(q + 1);
  // A fragment is never sent by clients; treat '#' as the end if one is.
  rest = rest.substr(0, rest.find('#'));
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) {
      return MakeError(ErrorCode::kMalformed, "The query string is badly encoded.");
    }
    request.query.emplace(std::move(*key), std::move(*value));
  }
  return Ok();
}

BodyView::BodyView(const Request& request) {
  if (request.body_path.empty()) {
    bytes_ = request.body;
    return;
  }
  const int fd = ::open(request.body_path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    ok_ = false;
    return;
  }
  size_ = static_cast<std::size_t>(st.st_size);
  if (size_ > 0) {
    map_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      ok_ = false;
    } else {
      bytes_ = std::string_view(static_cast<const char*>(map_), size_);
    }
  }
  ::close(fd);
}

BodyView::~BodyView() {
  if (map_) ::munmap(map_, size_);
}

}  // namespace chancery::http
