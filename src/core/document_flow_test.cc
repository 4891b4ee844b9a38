#include "core/document_flow.h"

#include <gtest/gtest.h>

namespace chancery {
namespace {

TEST(DocumentFlow, OutgoingHappyPath) {
  std::string state = "draft";
  for (auto action : {"submit", "approve", "sign", "number", "seal", "issue", "file"}) {
    auto t = FindTransition(Direction::kOutgoing, state, action);
    ASSERT_TRUE(t.ok()) << action << " from " << state;
    state = std::string((*t)->to);
  }
  EXPECT_EQ(state, "filed");
}

TEST(DocumentFlow, RefusalListsAllowedActions) {
  auto t = FindTransition(Direction::kOutgoing, "draft", "issue");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidTransition);
  EXPECT_EQ(t.error().allowed, std::vector<std::string>{"submit"});
  auto in = FindTransition(Direction::kIncoming, "received", "complete");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error().allowed, (std::vector<std::string>{"register", "return", "withdraw"}));
}

TEST(DocumentFlow, SeriesSeparatesLegalAndSecret) {
  Document d;
  d.type_code = "QĐ";
  EXPECT_EQ(SeriesFor(d), "regular");
  d.classification = Classification::kConfidential;
  EXPECT_EQ(SeriesFor(d), "secret");
  d.legal_normative = true;
  EXPECT_EQ(SeriesFor(d), "legal:QĐ");
}

TEST(DocumentFlow, NumberSymbolFollowsDecree30) {
  EXPECT_EQ(FormatNumberSymbol(15, "QĐ", "BQP", "VP"), "15/QĐ-BQP");
  EXPECT_EQ(FormatNumberSymbol(1234, "", "BQP", "VP"), "1234/BQP-VP");
  EXPECT_EQ(FormatNumberSymbol(1, "TB", "BQP", "VP"), "01/TB-BQP");
  EXPECT_EQ(FormatNumberSymbol(7, "", "BQP", "BQP"), "07/BQP");
}

TEST(DocumentFlow, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length("Quyết định"), 10u);
  EXPECT_EQ(Utf8Length(""), 0u);
}

TEST(Model, DocumentTypesIncludeCongVan) {
  ASSERT_NE(FindDocumentType("QĐ"), nullptr);
  EXPECT_EQ(FindDocumentType("QĐ")->name_vi, "Quyết định");
  ASSERT_NE(FindDocumentType(""), nullptr);
  EXPECT_EQ(FindDocumentType("XX"), nullptr);
  EXPECT_EQ(DocumentTypes().size(), 31u);
}

}  // namespace
}  // namespace chancery
