#include "lib/text/tokens.h"

#include <gtest/gtest.h>

#include "lib/text/query.h"

namespace chancery::text {
namespace {

std::vector<std::string> Folded(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& t : Tokenize(Nfc(s))) out.push_back(t.folded);
  return out;
}

TEST(Tokenize, SplitsSyllablesAndNumberSymbols) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Folded("Quyết định 15/QĐ-BQP"), (V{"quyet", "dinh", "15", "qd", "bqp"}));
  EXPECT_EQ(Folded("15 qđ bqp"), Folded("15/QD-BQP"));
  auto t = Tokenize(Nfc("Hiến pháp"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].exact, "hiến");
  EXPECT_EQ(t[0].folded, "hien");
  EXPECT_EQ(std::string("Hiến pháp").substr(t[1].begin, t[1].end - t[1].begin), "pháp");
}

TEST(Tokenize, NfdInputTokenizesAsNfc) {
  // "hiến" with e + circumflex + acute as combining marks.
  const auto a = Tokenize(Nfc("hie\xcc\x82\xcc\x81n"));
  const auto b = Tokenize(Nfc("hiến"));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].exact, b[0].exact);
  EXPECT_EQ(a[0].folded, "hien");
}

TEST(Tokenize, CutsLongWordsAndKeepsInvalidUtf8Harmless) {
  const std::string long_word(500, 'a');
  auto t = Tokenize(long_word);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].folded.size(), 64u);
  EXPECT_EQ(t[0].end, 500u);
  EXPECT_EQ(Tokenize(Nfc("ab\xff\xfe"
                         "cd"))
                .size(),
            2u);
}

TEST(FoldTelex, ReadsTelexLeftovers) {
  EXPECT_EQ(FoldTelex("quyeets"), "quyet");
  EXPECT_EQ(FoldTelex("ddinhj"), "dinh");
  EXPECT_EQ(FoldTelex("hieens"), "hien");
  EXPECT_EQ(FoldTelex("quyet"), "");
  EXPECT_EQ(FoldTelex("bqp"), "");
  EXPECT_EQ(FoldTelex("ts"), "");  // no vowel: not a tone key
}

TEST(Utf16Offset, CountsCodeUnits) {
  const std::string s = "Điều 5";
  EXPECT_EQ(Utf16Offset(s, s.size()), 6u);
}

TEST(ParseQuery, WordsPhrasesExclusionsAndPrefix) {
  auto q = ParseQuery("quyet dinh \"hiến pháp\" -dự", true);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->clauses.size(), 4u);
  EXPECT_EQ(q->clauses[0].words[0].folded, "quyet");
  EXPECT_TRUE(q->clauses[2].phrase);
  EXPECT_EQ(q->clauses[2].words.size(), 2u);
  EXPECT_TRUE(q->clauses[3].exclude);
  EXPECT_FALSE(q->clauses[3].prefix);  // an exclusion is never a prefix
  auto typing = ParseQuery("quyết đị", true);
  ASSERT_TRUE(typing.ok());
  EXPECT_TRUE(typing->clauses.back().prefix);
  EXPECT_FALSE(ParseQuery("quyết đị ", true)->clauses.back().prefix);
}

TEST(ParseQuery, EngineSyntaxIsText) {
  auto q = ParseQuery("title:x NEAR(a b) c* ^d OR e");
  ASSERT_TRUE(q.ok());
  std::vector<std::string> words;
  for (const auto& w : q->Positive()) words.push_back(w.folded);
  EXPECT_EQ(words, (std::vector<std::string>{"title", "x", "near", "a", "b", "c", "d", "or", "e"}));
}

TEST(ParseQuery, RefusesWhatCannotBeAsked) {
  for (const char* bad : {"", "   \t", "\"\"", "-x", "*:^"}) {
    auto q = ParseQuery(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.error().fields.at(0).code,
              std::string(bad) == "-x" ? "query_only_exclusions" : "query_empty")
        << bad;
  }
  EXPECT_EQ(ParseQuery(std::string(501, 'a')).error().fields.at(0).code, "query_too_long");
  std::string many;
  for (int i = 0; i < 240; ++i) many += "w" + std::to_string(i) + " ";
  auto q = ParseQuery(many.substr(0, 500));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->clauses.size(), kMaxQueryWords);
}

}  // namespace
}  // namespace chancery::text
