#include "lib/text/fold.h"

#include <gtest/gtest.h>

namespace chancery::text {
namespace {

TEST(FoldVietnamese, RemovesDiacriticsAndCase) {
  EXPECT_EQ(FoldVietnamese("Quyết định Đảng ủy"), "quyet dinh dang uy");
  EXPECT_EQ(FoldVietnamese("Bộ Quốc phòng"), "bo quoc phong");
  EXPECT_EQ(FoldVietnamese("15/QĐ-BQP"), "15/qd-bqp");
}

TEST(FoldVietnamese, PrecomposedAndDecomposedFoldAlike) {
  // "ế" precomposed (U+1EBF) and as e + circumflex + acute.
  EXPECT_EQ(FoldVietnamese("\xe1\xba\xbf"), FoldVietnamese("e\xcc\x82\xcc\x81"));
}

TEST(FoldVietnamese, InvalidUtf8DoesNotThrow) {
  EXPECT_FALSE(FoldVietnamese("ab\xff\xfe").empty());
}

}  // namespace
}  // namespace chancery::text
