// The search index and the legal-documents tables on both engines
// (store/testing.h): what a query finds, in which order, and that an entry
// follows the thing it indexes.
#include "modules/search/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "modules/search/legal_text.h"
#include "store/testing.h"

namespace chancery::search {
namespace {

using store::Tx;

class SearchStoreTest : public store::testing::MigratedStoreTest {
 protected:
  static Entry Legal(Id id, const std::string& title, const std::string& body = "") {
    Entry e;
    e.kind = "legal";
    e.ref_id = id;
    e.legal_id = id;
    e.title = title;
    e.body = body;
    return e;
  }
  void Put(Id id, const std::string& title, const std::string& body = "") {
    ASSERT_TRUE(Write([&](Tx& tx) -> Status { return Index(tx).Put(Legal(id, title, body)); }));
  }
  // Entries 1..n (`entry(id)`) in one transaction, then, on PostgreSQL,
  // ANALYZE, so that pg_stats holds their words.
  void PutAnalysed(Id n, const std::function<Entry(Id)>& entry) {
    ASSERT_TRUE(Write([&](Tx& tx) -> Status {
      for (Id id = 1; id <= n; ++id) CHY_TRY_STATUS(Index(tx).Put(entry(id)));
      if (tx.connection().dialect() != sql::Dialect::kPostgres) return Ok();
      return tx.connection().Exec("ANALYZE search_entries");
    }));
  }
  // A bounded search (the newest 10 candidates) of `text` in `years`: the
  // ids found, sorted; whether the newest entries were walked (`walked`);
  // and how many the facets counted, which must be as many.
  std::vector<Id> FindNewest(const std::string& text, std::vector<int> years, std::int64_t* walked,
                             std::int64_t* counted = nullptr) {
    std::vector<Id> ids;
    auto q = text::ParseQuery(text);
    EXPECT_TRUE(q.ok()) << text;
    if (!q.ok()) return ids;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      IndexQuery iq;
      iq.query = &*q;
      iq.candidates = 10;
      iq.years = std::move(years);
      ReadRule rule{"", "1 = 0", "e.legal_id", "(e.legal_id - e.legal_id)"};
      CHY_TRY(auto hits, Index(tx).Find(iq, rule, {}, nullptr, walked));
      for (const auto& h : hits) ids.push_back(h.ref_id);
      CHY_TRY(auto found, Index(tx).Search(iq, rule, {}, true));
      std::int64_t n = 0;
      for (const auto& f : found.facets) n += f.n;
      if (counted) *counted = n;
      EXPECT_EQ(found.hits.size(), hits.size());
      return Ok();
    }));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  // The ids found for `q`, best first.
  std::vector<Id> Find(const std::string& text, bool all = true, bool prefix = false) {
    std::vector<Id> out;
    auto q = text::ParseQuery(text, prefix);
    EXPECT_TRUE(q.ok()) << text;
    if (!q.ok()) return out;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      IndexQuery iq;
      iq.query = &*q;
      iq.match_all = all;
      ReadRule rule{"", "1 = 0", "NULL", "0"};
      CHY_TRY(auto hits, Index(tx).Find(iq, rule, {}));
      for (const auto& h : hits) out.push_back(h.ref_id);
      return Ok();
    }));
    return out;
  }
};

TEST_P(SearchStoreTest, AListsFilterCanBeNarrowedToItsOwnEntriesByTheEngine) {
  auto put = [&](Id id, const std::string& title, std::vector<std::string> tags) {
    ASSERT_TRUE(Write([&](Tx& tx) -> Status {
      Entry e;
      e.kind = "legal";
      e.ref_id = id;
      e.title = title;
      e.tags = std::move(tags);
      return Index(tx).Put(e);
    }));
  };
  put(1, "Kế hoạch thi đua năm 2026", {"book_7"});
  put(2, "Kế hoạch công tác", {"book_8"});
  put(3, "Báo cáo thi đua", {"book_7"});
  put(4, "Kế hoạch khen thưởng", {});
  // The ids of kind "legal" that hold `text`, narrowed to `tags`.
  auto ids = [&](const std::string& text, std::vector<std::string> tags) {
    std::vector<Id> out;
    EXPECT_TRUE(Read([&](Tx& tx) -> Status {
      std::vector<sql::Value> params;
      const std::string where =
          Index::Matching(tx.connection().dialect(), "legal", text, "x.ref_id", params, tags);
      CHY_TRY(auto rows, tx.connection().Query(
                             "SELECT x.ref_id FROM search_entries x WHERE x.kind = 'legal' AND " +
                                 where + " ORDER BY x.ref_id",
                             params));
      for (const auto& r : rows.rows) out.push_back(r.Int(0));
      return Ok();
    }));
    return out;
  };
  EXPECT_EQ(ids("ke hoach", {}), (std::vector<Id>{1, 2, 4}));
  // PostgreSQL keeps no tags: there the list's own WHERE narrows.
  const bool tagged = std::string(GetParam()) == "sqlite";
  EXPECT_EQ(ids("ke hoach", {"book_7"}), (tagged ? std::vector<Id>{1} : std::vector<Id>{1, 2, 4}));
  EXPECT_EQ(ids("thi du", {"book_7"}), (std::vector<Id>{1, 3}));
  EXPECT_EQ(ids("ke hoach -thi", {"book_7"}), (tagged ? std::vector<Id>{} : std::vector<Id>{2, 4}));
  // A tag is never found as a word.
  EXPECT_TRUE(ids("book_7", {}).empty());
  EXPECT_TRUE(ids("legal", {}).empty());
}

TEST_P(SearchStoreTest, FoldedWordsFindEverySpelling) {
  Put(1, "Quyết định 15/QĐ-BQP về công tác văn thư");
  Put(2, "Kế hoạch năm 2026");
  EXPECT_EQ(Find("quyet dinh 15 bqp"), std::vector<Id>{1});
  EXPECT_EQ(Find("15/QD-BQP"), std::vector<Id>{1});
  EXPECT_EQ(Find("15 qđ bqp"), std::vector<Id>{1});
  EXPECT_EQ(Find("QUYẾT ĐỊNH"), std::vector<Id>{1});
  EXPECT_EQ(Find("quyeets ddinhj"), std::vector<Id>{1});      // telex typed without an IME
  EXPECT_EQ(Find("van th", true, true), std::vector<Id>{1});  // the last word while typing
  EXPECT_TRUE(Find("quyet dinh -bqp").empty());
  EXPECT_EQ(Find("\"cong tac van thu\""), std::vector<Id>{1});
  EXPECT_TRUE(Find("\"van thu cong tac\"").empty());
}

TEST_P(SearchStoreTest, AnExactSpellingRanksAboveAFoldedOne) {
  Put(1, "Hiện trạng hồ sơ");
  Put(2, "Hiến pháp năm 2013");
  EXPECT_EQ(Find("hiến"), (std::vector<Id>{2, 1}));
  EXPECT_EQ(Find("hiện"), (std::vector<Id>{1, 2}));
}

TEST_P(SearchStoreTest, EngineSyntaxInAQueryIsOnlyText) {
  Put(1, "NEAR title OR col");
  for (const char* q : {"NEAR(a b)", "title:x", "col*", "^x", "\"a\" OR b", "a AND NOT b",
                        "t_title: x", "'x':* & !y", "x <-> y", "a\\b", "{t_exact}"}) {
    EXPECT_NO_FATAL_FAILURE(Find(q, false)) << q;
  }
  EXPECT_EQ(Find("near title"), std::vector<Id>{1});
}

TEST_P(SearchStoreTest, AnEntryFollowsWhatItIndexes) {
  Put(1, "Báo cáo quý một");
  EXPECT_EQ(Find("bao cao"), std::vector<Id>{1});
  Put(1, "Tờ trình quý hai");
  EXPECT_TRUE(Find("bao cao").empty());
  EXPECT_EQ(Find("to trinh"), std::vector<Id>{1});
  ASSERT_TRUE(Write([&](Tx& tx) { return Index(tx).Remove("legal", 1); }));
  EXPECT_TRUE(Find("to trinh").empty());
}

TEST_P(SearchStoreTest, WordPairsRankAPhraseAboveScatteredWords) {
  Put(1, "Giải quyết hồ sơ", "thủ tục về đất đai và nhà ở");
  Put(2, "Thủ tục hành chính", "giải quyết thủ tục hành chính về đất đai");
  auto found = Find("thu tuc hanh chinh", false);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), 2);
}

// The search box's one pass gives the hits of Find, in its order, and the
// counts of Facets.
TEST_P(SearchStoreTest, OnePassGivesFindsHitsAndFacetsCounts) {
  for (Id id = 1; id <= 30; ++id) {
    Put(id, id % 3 ? "Kế hoạch công tác" : "Kế hoạch thi đua khen thưởng",
        std::string(static_cast<std::size_t>(id % 7) + 1, 'x') + " kế hoạch năm");
  }
  auto q = text::ParseQuery("ke hoach");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(Read([&](Tx& tx) -> Status {
    IndexQuery iq;
    iq.query = &*q;
    iq.limit = 12;
    // (GROUP BY takes no constants: a unit and a classification of entries.)
    ReadRule rule{"", "1 = 0", "e.legal_id", "(e.legal_id - e.legal_id)"};
    CHY_TRY(auto hits, Index(tx).Find(iq, rule, {}));
    CHY_TRY(auto facets, Index(tx).Facets(iq, rule, {}));
    CHY_TRY(auto found, Index(tx).Search(iq, rule, {}, true));
    EXPECT_EQ(hits.size(), 12u);
    EXPECT_EQ(found.hits.size(), hits.size());
    for (std::size_t i = 0; i < std::min(hits.size(), found.hits.size()); ++i) {
      EXPECT_EQ(found.hits[i].ref_id, hits[i].ref_id) << i;
      EXPECT_EQ(found.hits[i].title, hits[i].title) << i;
      EXPECT_DOUBLE_EQ(found.hits[i].score, hits[i].score) << i;
    }
    std::int64_t n = 0, m = 0;
    for (const auto& f : facets) n += f.n;
    for (const auto& f : found.facets) m += f.n;
    EXPECT_EQ(n, 30);
    EXPECT_EQ(m, n);
    EXPECT_EQ(found.facets.size(), facets.size());
    return Ok();
  }));
}

// A bounded search for a common phrase: on PostgreSQL its candidates are
// the newest entries walked newest first (its planner, taking the words
// as independent, would read every match through GIN); a phrase rarer than
// its pairs is found through GIN after all. Either way the answer is the
// newest candidates holding the phrase, as on SQLite, and the facets count
// the same ones.
TEST_P(SearchStoreTest, ACommonPhrasesNewestCandidatesAreFoundWalkedOrNot) {
  PutAnalysed(400, [](Id id) {
    return Legal(id, id <= 3       ? "Thủ tục cải cách thủ tục"
                     : id % 2 == 1 ? "Cải cách thủ tục hành chính"
                                   : "Thủ tục cải cách tổ chức");
  });
  const bool postgres = GetParam() == std::string("postgres");
  std::int64_t walked = -1, counted = 0;
  EXPECT_EQ(FindNewest("\"cach thu tuc\"", {}, &walked, &counted),
            (std::vector<Id>{381, 383, 385, 387, 389, 391, 393, 395, 397, 399}));
  EXPECT_EQ(counted, 10);
  EXPECT_EQ(walked > 0, postgres) << walked;
  EXPECT_EQ(FindNewest("\"tuc cai cach thu\"", {}, &walked, &counted), (std::vector<Id>{1, 2, 3}));
  EXPECT_EQ(counted, 3);
  EXPECT_EQ(walked, 0);
}

// Asked for one year, a bounded search on PostgreSQL walks that year's
// newest entries from its last one, where the sampled shares say its words
// are common: the planner, taking words and year as independent, would read
// every match through GIN, or walk every later year first. Words common
// elsewhere but rare in that year are found through GIN after all. SQLite's
// engine starts its matches at the year's last entry too. The answer is the
// year's newest candidates either way, on both.
TEST_P(SearchStoreTest, AYearsNewestCandidatesAreWalkedFromItsLastEntryOrFoundThroughGin) {
  PutAnalysed(600, [](Id id) {
    Entry e = Legal(id, id <= 200 || id > 400 ? "Kế hoạch công tác"
                        : id <= 203           ? "Kế hoạch văn thư"
                        : id % 2 == 0         ? "Công tác văn thư lưu trữ"
                                              : "Báo cáo tổng kết");
    e.on_date = Date{std::chrono::year{id <= 200 ? 2024 : id <= 400 ? 2025 : 2026} / 3 / 1};
    return e;
  });
  const bool postgres = GetParam() == std::string("postgres");
  std::int64_t walked = -1, counted = 0;
  // The year's last entry (400) among them.
  const std::vector<Id> newest = {382, 384, 386, 388, 390, 392, 394, 396, 398, 400};
  EXPECT_EQ(FindNewest("van thu", {2025}, &walked, &counted), newest);
  EXPECT_EQ(walked > 0, postgres) << walked;
  EXPECT_EQ(counted, 10);
  EXPECT_EQ(FindNewest("thu", {2025}, &walked), newest);
  EXPECT_EQ(walked > 0, postgres) << walked;
  EXPECT_EQ(FindNewest("ke hoach", {2025}, &walked, &counted), (std::vector<Id>{201, 202, 203}));
  EXPECT_EQ(walked, 0);
  EXPECT_EQ(counted, 3);
  // Without a year, or with two, plain words are left to the planner.
  EXPECT_EQ(FindNewest("van thu", {}, &walked), newest);
  EXPECT_EQ(walked, 0);
  EXPECT_EQ(FindNewest("van thu", {2024, 2025}, &walked), newest);
  EXPECT_EQ(walked, 0);
}

// A ranked question weighs each word by how rare it is. On a large node
// PostgreSQL takes a common word's share from what ANALYZE sampled instead
// of counting its matches; where ANALYZE read every entry the two agree,
// and the question ranks the same.
TEST_P(SearchStoreTest, AQuestionRanksTheSameWithSampledSharesAsWithCounts) {
  const std::vector<std::string> titles = {"Hợp đồng lữ hành phải được lập thành văn bản",
                                           "Hợp đồng lao động",
                                           "Văn bản quy phạm pháp luật",
                                           "Lập kế hoạch du lịch",
                                           "Hợp đồng dịch vụ lữ hành quốc tế",
                                           "Thành lập doanh nghiệp lữ hành"};
  PutAnalysed(120, [&](Id id) {
    return Legal(id, titles[static_cast<std::size_t>(id * 7 % 6)],
                 id % 5 ? "quy định chung" : "văn bản hợp đồng");
  });
  auto q = text::ParseQuery("hop dong lu hanh lap thanh van ban");
  ASSERT_TRUE(q.ok());
  std::vector<Hit> counted, sampled;
  ASSERT_TRUE(Read([&](Tx& tx) -> Status {
    IndexQuery iq;
    iq.query = &*q;
    iq.match_all = false;
    iq.limit = 40;
    ReadRule rule{"", "1 = 0", "NULL", "0"};
    CHY_TRY(counted, Index(tx).Find(iq, rule, {}));
    CHY_TRY(sampled, Index(tx).SampledFrom(0).Find(iq, rule, {}));
    return Ok();
  }));
  ASSERT_EQ(counted.size(), 40u);
  ASSERT_EQ(sampled.size(), counted.size());
  for (std::size_t i = 0; i < counted.size(); ++i) {
    EXPECT_EQ(sampled[i].ref_id, counted[i].ref_id) << i;
    EXPECT_NEAR(sampled[i].score, counted[i].score, 1e-6 * counted[i].score) << i;
  }
}

// "Giải thích từ ngữ": each clause's term, before "là", "bao gồm" or "gồm".
TEST(DefinedTermsTest, AreTheClausesSubjectsOfAnArticleExplainingTerms) {
  LegalPart p;
  p.level = "dieu";
  p.title = "Giải thích từ ngữ";
  p.body =
      "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:\n"
      "1. Chất thải nguy hại là chất thải chứa yếu tố độc hại.\n"
      "2. Môi trường bao gồm các yếu tố vật chất tự nhiên.\n"
      "3. Một dòng không định nghĩa điều gì cả, dù rất dài và có chữ là ở cuối là\n"
      "4. Hoạt động bảo vệ môi trường gồm phòng ngừa, hạn chế tác động xấu.\n"
      "a) Điểm là một ý, không phải khoản.";
  EXPECT_EQ(DefinedTerms(p), (std::vector<std::string>{"Chất thải nguy hại", "Môi trường",
                                                       "Hoạt động bảo vệ môi trường"}));
  p.title = "Nguyên tắc bảo vệ môi trường";
  EXPECT_TRUE(DefinedTerms(p).empty());
}

TEST_P(SearchStoreTest, LegalDocumentsUpsertByKeyAndKeepTheirParts) {
  LegalDocument d;
  d.number_symbol = "30/2020/NĐ-CP";
  d.key = LegalKey(d.number_symbol, "");
  d.title = "Nghị định về công tác văn thư";
  Id id = 0;
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    CHY_TRY(id, LegalStore(tx).Upsert(d, store::testing::kT0));
    return LegalStore(tx).ReplaceParts(id, ParseLegalText("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. "
                                                          "Phạm vi\nNghị định này quy định.\n"
                                                          "Điều 2. Đối tượng\nÁp dụng."));
  }));
  EXPECT_EQ(LegalKey("30/2020/ND-CP", ""), d.key);
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    d.title = "Nghị định 30";
    CHY_TRY(Id again, LegalStore(tx).Upsert(d, store::testing::kT0));
    EXPECT_EQ(again, id);
    CHY_TRY(auto parts, LegalStore(tx).Parts(id));
    EXPECT_EQ(parts.size(), 3u);
    CHY_TRY(auto a2, LegalStore(tx).ArticleByNumber(id, "2"));
    EXPECT_TRUE(a2.has_value());
    return Ok();
  }));
}

CHY_STORE_TEST_BACKENDS(SearchStoreTest);

}  // namespace
}  // namespace chancery::search
