#include "lib/http/router.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace chancery::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::map<std::string, std::size_t, std::less<>> methods;  // method → index in routes_
};

namespace {

[[noreturn]] void BadRoute(const Route& route, const char* why) {
  std::fprintf(stderr, "chancery: bad route %s %s: %s\n", route.method.c_str(),
               route.pattern.c_str(), why);
  std::abort();
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Route route) {
  if (route.method.empty() || !std::all_of(route.method.begin(), route.method.end(),
                                           [](char c) { return c >= 'A' && c <= 'Z'; })) {
    BadRoute(route, "the method must be upper-case letters");
  }
  if (route.pattern.empty() || route.pattern.front() != '/') {
    BadRoute(route, "the pattern must start with '/'");
  }
  if (!route.handler) BadRoute(route, "no handler");
  std::vector<std::pair<std::size_t, std::string>> params;
  Node* node = root_.get();
  const auto segments = SplitPath(route.pattern);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string_view s = segments[i];
    if (s.empty()) BadRoute(route, "empty segment");
    if (IsParam(s)) {
      const std::string_view name = s.substr(1, s.size() - 2);
      if (!IsIdentifier(name)) BadRoute(route, "a placeholder name must be [A-Za-z0-9_]+");
      for (const auto& p : params) {
        if (p.second == name) BadRoute(route, "the same placeholder appears twice");
      }
      params.emplace_back(i, std::string(name));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      if (s.find_first_of("{}%?#") != std::string_view::npos) {
        BadRoute(route, "a literal segment contains one of {}%?#");
      }
      auto& child = node->literals[std::string(s)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->methods.contains(route.method)) {
    BadRoute(route, "duplicate method and pattern (placeholder names aside)");
  }
  node->methods.emplace(route.method, routes_.size());
  routes_.push_back(std::move(route));
  param_positions_.push_back(std::move(params));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  const auto raw = SplitPath(path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (const std::string_view s : raw) {
    std::optional<std::string> decoded;
    if (s.find('%') != std::string_view::npos) decoded = PercentDecode(s, false);
    segments.push_back(decoded ? std::move(*decoded) : std::string(s));
  }

  // Every node that matches the whole path, literal branches first.
  std::vector<const Node*> terminals;
  auto walk = [&](auto&& self, const Node* node, std::size_t depth) -> void {
    if (depth == segments.size()) {
      if (!node->methods.empty()) terminals.push_back(node);
      return;
    }
    if (auto it = node->literals.find(segments[depth]); it != node->literals.end()) {
      self(self, it->second.get(), depth + 1);
    }
    if (node->param && !segments[depth].empty()) self(self, node->param.get(), depth + 1);
  };
  walk(walk, root_.get(), 0);

  for (const Node* node : terminals) {
    auto it = node->methods.find(method);
    if (it == node->methods.end() && method == "HEAD") it = node->methods.find("GET");
    if (it == node->methods.end()) continue;
    match.route = &routes_[it->second];
    for (const auto& [position, name] : param_positions_[it->second]) {
      match.params.emplace(name, segments[position]);
    }
    return match;
  }
  std::set<std::string> allowed;
  for (const Node* node : terminals) {
    for (const auto& [m, index] : node->methods) {
      allowed.insert(m);
      if (m == "GET") allowed.insert("HEAD");
    }
  }
  match.allowed_methods.assign(allowed.begin(), allowed.end());
  return match;
}

}  // namespace chancery::http
