#include "lib/http/static_site.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace chancery::http {
namespace {

namespace fs = std::filesystem;

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("static-site-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "dist" / "assets");
    Write("dist/index.html", "<!doctype html><div id=root></div>");
    Write("dist/assets/index-3f9a1c.js", "console.log(1)");
    Write("dist/favicon.svg", "<svg/>");
    Write("secret.txt", "outside the root");
    Write("dist/.env", "hidden");
    fs::create_symlink(base_ / "secret.txt", base_ / "dist" / "leak.txt");
    auto site = StaticSite::Open((base_ / "dist").string());
    ASSERT_TRUE(site.ok()) << site.error().message;
    site_.emplace(std::move(*site));
  }
  void TearDown() override { fs::remove_all(base_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(base_ / rel) << text;
  }
  std::optional<Response> Get(std::string path, std::string if_none_match = "",
                              std::string accept_encoding = "") {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    if (!if_none_match.empty()) r.headers.emplace_back("If-None-Match", if_none_match);
    if (!accept_encoding.empty()) r.headers.emplace_back("Accept-Encoding", accept_encoding);
    return site_->Serve(r);
  }
  std::string FileOf(const std::optional<Response>& r) {
    return r && r->file ? fs::path(r->file->path).filename().string() : "";
  }

  fs::path base_;
  std::optional<StaticSite> site_;
};

TEST_F(StaticSiteTest, RootAndAppRoutesGetIndexRevalidatedWithPolicy) {
  for (const char* path : {"/", "/inbox", "/documents/42", "/admin/units/7/history"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(FileOf(r), "index.html") << path;
    EXPECT_EQ(r->header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r->header("Cache-Control"), "no-cache");
    EXPECT_EQ(r->header("Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(r->header("X-Frame-Options"), "SAMEORIGIN");
    EXPECT_TRUE(r->header("ETag"));
  }
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutable) {
  auto r = Get("/assets/index-3f9a1c.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(FileOf(r), "index-3f9a1c.js");
  EXPECT_EQ(r->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r->file->length, 14u);
  auto icon = Get("/favicon.svg");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(icon->header("Cache-Control"), "no-cache");
}

TEST_F(StaticSiteTest, MatchingETagIs304WithoutBody) {
  auto first = Get("/");
  ASSERT_TRUE(first);
  const std::string etag(*first->header("ETag"));
  auto again = Get("/", "\"other\", " + etag);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_FALSE(again->file);
  auto stale = Get("/", "\"other\"");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 200);
}

// The build's brotli and gzip copies go to the browsers that take them,
// each with its own ETag; a browser that takes neither gets the file; a
// copy whose link leads out of the root is not sent.
TEST_F(StaticSiteTest, PrecompressedCopiesGoToWhoAcceptsThem) {
  Write("dist/assets/index-3f9a1c.js.br", "br!");
  Write("dist/assets/index-3f9a1c.js.gz", "gzip!");
  auto br = Get("/assets/index-3f9a1c.js", "", "gzip, deflate, br");
  ASSERT_TRUE(br);
  EXPECT_EQ(FileOf(br), "index-3f9a1c.js.br");
  EXPECT_EQ(br->file->length, 3u);
  EXPECT_EQ(br->header("Content-Encoding"), "br");
  EXPECT_EQ(br->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br->header("Vary"), "Accept-Encoding");
  auto gz = Get("/assets/index-3f9a1c.js", "", "br;q=0, gzip");
  ASSERT_TRUE(gz);
  EXPECT_EQ(FileOf(gz), "index-3f9a1c.js.gz");
  EXPECT_EQ(gz->header("Content-Encoding"), "gzip");
  EXPECT_NE(gz->header("ETag"), br->header("ETag"));
  auto plain = Get("/assets/index-3f9a1c.js");
  ASSERT_TRUE(plain);
  EXPECT_EQ(FileOf(plain), "index-3f9a1c.js");
  EXPECT_FALSE(plain->header("Content-Encoding"));
  EXPECT_EQ(plain->header("Vary"), "Accept-Encoding");
  // A revalidation names the coding's own tag.
  auto again = Get("/assets/index-3f9a1c.js", std::string(*br->header("ETag")), "br");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(Get("/assets/index-3f9a1c.js", std::string(*br->header("ETag")), "gzip")->status, 200);
  // A file without copies is sent as it is, with no Vary.
  auto icon = Get("/favicon.svg", "", "br");
  ASSERT_TRUE(icon);
  EXPECT_FALSE(icon->header("Content-Encoding"));
  EXPECT_FALSE(icon->header("Vary"));
  // A copy that is a link out of the root is not a copy.
  fs::create_symlink(base_ / "secret.txt", base_ / "dist" / "favicon.svg.br");
  auto leak = Get("/favicon.svg", "", "br");
  ASSERT_TRUE(leak);
  EXPECT_EQ(FileOf(leak), "favicon.svg");
}

TEST_F(StaticSiteTest, NotOursIsNullopt) {
  EXPECT_FALSE(Get("/api/v1/nothing"));  // the API answers its own 404s
  EXPECT_FALSE(Get("/api"));
  EXPECT_FALSE(Get("/assets/missing-123.js"));  // a missing asset is not the app
  EXPECT_FALSE(Get("/.env"));                   // no dot files
  EXPECT_FALSE(Get("/assets/../../secret.txt"));
  EXPECT_FALSE(Get("/../secret.txt"));
  EXPECT_FALSE(Get("/leak.txt"));  // a symbolic link out of the root
}

TEST_F(StaticSiteTest, OpenRefusesAFolderWithoutIndex) {
  auto r = StaticSite::Open((base_ / "dist" / "assets").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(StaticSite::Open((base_ / "nope").string()).ok());
}

}  // namespace
}  // namespace chancery::http
