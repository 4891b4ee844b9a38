// MIME multipart/related and base64 as packages travel (mime.h).
#include "lib/edxml/mime.h"

#include <gtest/gtest.h>

#include "lib/edxml/edxml.h"

namespace chancery::edxml::internal {
namespace {

TEST(Base64Test, RoundTripsEveryLengthAndRefusesJunk) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    const std::string encoded = Base64Encode(bytes, i % 2 ? 76 : 0);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded) << i;
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37);
  }
  EXPECT_EQ(Base64Encode("Việt"), "Vmnhu4d0");
  EXPECT_FALSE(Base64Decode("Vmnhu4d"));   // not a whole group
  EXPECT_FALSE(Base64Decode("Vm=hu4d0"));  // padding inside
  EXPECT_FALSE(Base64Decode("QR=="));      // non-canonical trailing bits
  EXPECT_FALSE(Base64Decode("Vmnh*4d0"));
  EXPECT_EQ(*Base64Decode("Vmnh\r\nu4d0"), "Việt");
}

TEST(MultipartTest, ReadsWhatItWritesInBothEncodingsAndWithBareLineFeeds) {
  MimePart root{"text/xml; charset=utf-8", "root@x", "binary", "<a>\r\n--not-the-boundary</a>"};
  MimePart b64{"application/pdf", "pdf@x", "base64", std::string("%PDF\0\r\n\xff", 8)};
  MimePart bin{"application/octet-stream", "bin@x", "binary", std::string("\r\n\r\n-\0", 6)};
  const std::string message = WriteMultipart({&root, &b64, &bin}, "b0undary");
  auto parts = ReadMultipart(message, 10);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].body, root.body);
  EXPECT_EQ((*parts)[1].body, b64.body);
  EXPECT_EQ((*parts)[1].content_id, "pdf@x");
  EXPECT_EQ((*parts)[2].body, bin.body);

  std::string unix_style;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (!(message[i] == '\r' && i + 1 < message.size() && message[i + 1] == '\n'))
      unix_style += message[i];
  }
  auto lf = ReadMultipart(unix_style, 10);
  ASSERT_TRUE(lf.ok()) << lf.error().message;
  EXPECT_EQ((*lf)[1].body, b64.body);

  auto too_many = ReadMultipart(message, 2);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(ReasonOf(too_many.error()), kReasonTooLarge);
  for (const std::string_view bad :
       {"", "Content-Type: text/plain\r\n\r\nhi", "Content-Type: multipart/related\r\n\r\n",
        "Content-Type: multipart/related; boundary=x\r\n\r\n--x\r\nContent-ID: nope\r\n\r\n"
        "a\r\n--x--"}) {
    auto r = ReadMultipart(bad, 10);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(ReasonOf(r.error()), kReasonFormat) << bad;
  }
}

}  // namespace
}  // namespace chancery::edxml::internal
