#include "lib/http/router.h"

#include <gtest/gtest.h>

#include "lib/http/request.h"

namespace chancery::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

std::string Call(const Router::Match& m) {
  Request req;
  return m.route ? m.route->handler(req).body : "<none>";
}

Router Sample() {
  Router r;
  r.Add({.method = "GET", .pattern = "/api/v1/documents", .handler = Named("list")});
  r.Add({.method = "POST", .pattern = "/api/v1/documents", .handler = Named("create")});
  r.Add({.method = "GET", .pattern = "/api/v1/documents/search", .handler = Named("search")});
  r.Add({.method = "GET", .pattern = "/api/v1/documents/{id}", .handler = Named("get")});
  r.Add({.method = "PATCH", .pattern = "/api/v1/documents/{id}", .handler = Named("patch")});
  r.Add({.method = "GET",
         .pattern = "/api/v1/documents/{id}/attachments/{sha}",
         .handler = Named("attachment")});
  r.Add({.method = "POST",
         .pattern = "/api/v1/documents/{doc}/actions/{action}",
         .handler = Named("action")});
  r.Add({.method = "GET", .pattern = "/", .handler = Named("root")});
  return r;
}

TEST(RouterTest, LiteralRoutes) {
  Router r = Sample();
  EXPECT_EQ(Call(r.Find("GET", "/api/v1/documents")), "list");
  EXPECT_EQ(Call(r.Find("POST", "/api/v1/documents")), "create");
  EXPECT_EQ(Call(r.Find("GET", "/")), "root");
  EXPECT_EQ(r.routes().size(), 8u);
}

TEST(RouterTest, ParamsAreCapturedByName) {
  Router r = Sample();
  auto m = r.Find("GET", "/api/v1/documents/42/attachments/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/documents/{id}/attachments/{sha}");
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(m.params.at("sha"), "abc");
  EXPECT_EQ(m.params.size(), 2u);

  auto a = r.Find("POST", "/api/v1/documents/7/actions/approve");
  ASSERT_NE(a.route, nullptr);
  EXPECT_EQ(a.params.at("doc"), "7");
  EXPECT_EQ(a.params.at("action"), "approve");
}

TEST(RouterTest, LiteralWinsOverParam) {
  Router r = Sample();
  EXPECT_EQ(Call(r.Find("GET", "/api/v1/documents/search")), "search");
  EXPECT_EQ(Call(r.Find("GET", "/api/v1/documents/searches")), "get");
}

TEST(RouterTest, BacktracksFromLiteralToParam) {
  Router r;
  r.Add({.method = "GET", .pattern = "/a/b/c", .handler = Named("abc")});
  r.Add({.method = "GET", .pattern = "/a/{x}/d", .handler = Named("axd")});
  auto m = r.Find("GET", "/a/b/d");
  EXPECT_EQ(Call(m), "axd");
  EXPECT_EQ(m.params.at("x"), "b");
  EXPECT_EQ(Call(r.Find("GET", "/a/b/c")), "abc");
}

TEST(RouterTest, MethodOnOtherBranchIsPreferredOverA405) {
  Router r;
  r.Add({.method = "GET", .pattern = "/docs/new", .handler = Named("form")});
  r.Add({.method = "DELETE", .pattern = "/docs/{id}", .handler = Named("delete")});
  EXPECT_EQ(Call(r.Find("DELETE", "/docs/new")), "delete");
  auto m = r.Find("PUT", "/docs/new");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
}

TEST(RouterTest, NotFound) {
  Router r = Sample();
  for (const char* path :
       {"/api/v1/nothing", "/api/v1/documents/1/attachments", "/api/v1/documents/1/attachments/a/b",
        "/api/v1/documents/", "/api/v1//documents", "/api", "", "/api/v1/documents/1/actions/"}) {
    auto m = r.Find("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed_methods.empty()) << path;
  }
}

TEST(RouterTest, MethodNotAllowedListsAllowed) {
  Router r = Sample();
  auto m = r.Find("DELETE", "/api/v1/documents/5");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "HEAD", "PATCH"}));
  auto c = r.Find("PUT", "/api/v1/documents");
  EXPECT_EQ(c.allowed_methods, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST(RouterTest, HeadUsesGetUnlessDeclared) {
  Router r = Sample();
  EXPECT_EQ(Call(r.Find("HEAD", "/api/v1/documents/3")), "get");
  r.Add({.method = "HEAD", .pattern = "/api/v1/documents/{id}", .handler = Named("head")});
  EXPECT_EQ(Call(r.Find("HEAD", "/api/v1/documents/3")), "head");
  // A POST-only path has no HEAD.
  Router p;
  p.Add({.method = "POST", .pattern = "/login", .handler = Named("login")});
  auto m = p.Find("HEAD", "/login");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"POST"}));
}

TEST(RouterTest, MethodIsCaseSensitive) {
  Router r = Sample();
  auto m = r.Find("get", "/api/v1/documents");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.allowed_methods.empty());
}

TEST(RouterTest, EncodedSegmentsAreDecodedAfterSplitting) {
  Router r = Sample();
  // A document symbol such as "15/2020/NĐ-CP" travels as one segment.
  auto m = r.Find("GET", "/api/v1/documents/15%2F2020%2FN%C4%90-CP");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/documents/{id}");
  EXPECT_EQ(m.params.at("id"), "15/2020/NĐ-CP");
  // Literal segments match their encoded spelling too.
  EXPECT_EQ(Call(r.Find("GET", "/api/v1/documents/%73earch")), "search");
  // Undecodable segments are taken as they are.
  auto bad = r.Find("GET", "/api/v1/documents/100%");
  ASSERT_NE(bad.route, nullptr);
  EXPECT_EQ(bad.params.at("id"), "100%");
}

TEST(RouterTest, SplitPath) {
  EXPECT_TRUE(SplitPath("/").empty());
  EXPECT_TRUE(SplitPath("").empty());
  EXPECT_EQ(SplitPath("/a/{b}/c"), (std::vector<std::string_view>{"a", "{b}", "c"}));
  EXPECT_EQ(SplitPath("/a/"), (std::vector<std::string_view>{"a", ""}));
}

TEST(RouterDeathTest, DuplicateRouteAborts) {
  EXPECT_DEATH(
      {
        Router r;
        r.Add({.method = "GET", .pattern = "/a/{id}", .handler = Named("1")});
        r.Add({.method = "GET", .pattern = "/a/{other}", .handler = Named("2")});
      },
      "duplicate");
}

TEST(RouterDeathTest, MalformedPatternsAbort) {
  EXPECT_DEATH(Router().Add({.method = "GET", .pattern = "a", .handler = Named("x")}), "start");
  EXPECT_DEATH(Router().Add({.method = "GET", .pattern = "/a/{}", .handler = Named("x")}),
               "placeholder");
  EXPECT_DEATH(Router().Add({.method = "GET", .pattern = "/a/{x}/{x}", .handler = Named("x")}),
               "twice");
  EXPECT_DEATH(Router().Add({.method = "get", .pattern = "/a", .handler = Named("x")}),
               "upper-case");
  EXPECT_DEATH(Router().Add({.method = "GET", .pattern = "/a//b", .handler = Named("x")}),
               "empty segment");
  EXPECT_DEATH(Router().Add({.method = "GET", .pattern = "/a", .handler = nullptr}), "handler");
}

}  // namespace
}  // namespace chancery::http
