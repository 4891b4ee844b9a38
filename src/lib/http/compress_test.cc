#include "lib/http/compress.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace chancery::http {
namespace {

Request WithAccept(std::string accept) {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/documents";
  if (!accept.empty()) r.headers.emplace_back("Accept-Encoding", std::move(accept));
  return r;
}

std::string Gunzip(const std::string& gz) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return {};
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

Response JsonOf(std::size_t size) {
  Response r;
  r.SetHeader("Content-Type", "application/json");
  r.body = "{\"items\":\"" + std::string(size, 'a') + "\"}";
  return r;
}

// RFC 9110 §12.5.3: named codings with their weights, "*" for the others,
// q=0 refuses, no header takes nothing.
TEST(AcceptsEncoding, ReadsNamesWeightsAndTheWildcard) {
  EXPECT_TRUE(AcceptsEncoding(WithAccept("gzip, deflate, br"), "br"));
  EXPECT_TRUE(AcceptsEncoding(WithAccept("GZIP"), "gzip"));
  EXPECT_TRUE(AcceptsEncoding(WithAccept("br;q=0.5"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("br;q=0, gzip"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("br; q=0.000"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("br;q=nope"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("gzip"), "br"));
  EXPECT_TRUE(AcceptsEncoding(WithAccept("*"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("*, br;q=0"), "br"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept(""), "gzip"));
  EXPECT_FALSE(AcceptsEncoding(WithAccept("identity"), "gzip"));
}

// JSON of 1 KiB and more is gzipped for who takes gzip, and reads back the
// same; smaller answers, other types and files are left alone.
TEST(CompressJson, GzipsLargeJsonForWhoTakesIt) {
  Response big = JsonOf(4000);
  const std::string original = big.body;
  ASSERT_TRUE(CompressJson(WithAccept("gzip, br"), big));
  EXPECT_EQ(big.header("Content-Encoding"), "gzip");
  EXPECT_EQ(big.header("Vary"), "Accept-Encoding");
  EXPECT_LT(big.body.size(), original.size() / 10);
  EXPECT_EQ(Gunzip(big.body), original);

  Response refused = JsonOf(4000);
  EXPECT_FALSE(CompressJson(WithAccept("br"), refused));
  EXPECT_EQ(refused.body.size(), original.size());
  EXPECT_EQ(refused.header("Vary"), "Accept-Encoding");  // it could have been
  Response small = JsonOf(100);
  EXPECT_FALSE(CompressJson(WithAccept("gzip"), small));
  EXPECT_FALSE(small.header("Content-Encoding"));
  Response pdf;
  pdf.SetHeader("Content-Type", "application/pdf");
  pdf.body = std::string(4000, 'x');
  EXPECT_FALSE(CompressJson(WithAccept("gzip"), pdf));
  Response problem = JsonOf(4000);
  problem.SetHeader("Content-Type", "application/problem+json");
  EXPECT_TRUE(CompressJson(WithAccept("gzip"), problem));
}

}  // namespace
}  // namespace chancery::http
