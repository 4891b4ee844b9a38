// Search and the legal-documents database through SearchService, on a faked
// world and a real store (services/testing.h), on both engines: who finds
// what (hits, counts and facets alike), bad queries, imports that fail as a
// whole, validity on a day, relations both ways, and citations.
#include "modules/search/service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "services/testing.h"

namespace chancery::services {
namespace {

using testing::Describe;
using testing::FieldCodeOf;

class SearchServiceTest : public testing::ServicesTest {
 protected:
  SearchService& search() { return node().search; }

  Id Draft(const User& who, const std::string& subject, Classification c) {
    DocumentInput in;
    in.type_code = "KH";
    in.subject = subject;
    in.classification = c;
    auto d = node().documents.CreateDraft(who, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    return d.ok() ? d->document.id : 0;
  }
  SearchResult Find(const User& who, const std::string& q) {
    SearchInput in;
    in.q = q;
    auto r = search().Search(who, in);
    EXPECT_TRUE(r.ok()) << Describe(r);
    return r.ok() ? *r : SearchResult{};
  }
  static std::string AllText(const SearchResult& r) {
    std::string out;
    for (const auto& i : r.items) out += i.hit.title + "|";
    for (const auto& [name, list] : r.facets) {
      for (const auto& f : list) out += name + "=" + f.label + ":" + std::to_string(f.count) + "|";
    }
    return out;
  }
  // SQLite: FTS5's own check that its index holds exactly the entries'
  // words (after a bulk write with its triggers paused).
  void ExpectTheEngineIndexMatchesTheEntries() {
    if (GetParam() != "sqlite") return;
    EXPECT_TRUE(store_
                    ->Write([](store::Tx& tx) {
                      return tx.connection().Exec(
                          "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)");
                    })
                    .ok());
  }
  void Import(const std::string& name, const std::string& body) {
    auto r = search().ImportLegal(admin_, name, body);
    ASSERT_TRUE(r.ok()) << Describe(r);
  }
};

TEST_P(SearchServiceTest, WhoMayNotReadADocumentFindsNothingOfIt) {
  Draft(leader_, "Kế hoạch phòng thủ tối mật", Classification::kTopSecret);
  Draft(spec_, "Kế hoạch công tác năm", Classification::kNormal);
  // The leader (cleared, at the root) finds both, with counts and facets.
  auto seen = Find(leader_, "ke hoach");
  EXPECT_EQ(seen.total, 2);
  EXPECT_EQ(seen.items.size(), 2u);
  // The specialist (no clearance, in VP) finds only the normal one: not in
  // the hits, the total, nor any facet.
  auto hidden = Find(spec_, "ke hoach");
  EXPECT_EQ(hidden.total, 1);
  ASSERT_EQ(hidden.items.size(), 1u);
  EXPECT_EQ(hidden.items[0].hit.title, "Kế hoạch công tác năm");
  EXPECT_EQ(AllText(hidden).find("phòng thủ"), std::string::npos) << AllText(hidden);
  EXPECT_EQ(AllText(hidden).find("Tối mật"), std::string::npos) << AllText(hidden);
  EXPECT_EQ(Find(spec_, "phong thu").total, 0);
  // A word of the classified subject alone: nothing, not even a count.
  SearchInput in;
  in.q = "phong thu";
  in.prefix = true;
  auto typing = search().Search(spec_, in);
  ASSERT_TRUE(typing.ok());
  EXPECT_TRUE(typing->items.empty());
  for (const auto& [name, list] : typing->facets) EXPECT_TRUE(list.empty()) << name;
}

TEST_P(SearchServiceTest, ManyMatchesAreRankedAndCountedAmongTheNewestReadableOnly) {
  // Three the specialist may read, then two newer ones he may not.
  for (const char* s : {"Kế hoạch thi đua một", "Kế hoạch thi đua hai", "Kế hoạch thi đua ba"}) {
    Draft(spec_, s, Classification::kNormal);
  }
  Draft(leader_, "Kế hoạch thi đua mật bốn", Classification::kTopSecret);
  Draft(leader_, "Kế hoạch thi đua mật năm", Classification::kTopSecret);
  SearchInput in;
  in.q = "thi dua";
  in.candidates = 2;
  // Past two candidates: the newest two readable are ranked and counted,
  // and the total says there are more.
  auto some = search().Search(spec_, in);
  ASSERT_TRUE(some.ok()) << Describe(some);
  EXPECT_EQ(some->total, 2);
  EXPECT_FALSE(some->total_exact);
  ASSERT_EQ(some->items.size(), 2u) << AllText(*some);
  EXPECT_EQ(AllText(*some).find("một"), std::string::npos) << AllText(*some);
  EXPECT_EQ(AllText(*some).find("mật"), std::string::npos) << AllText(*some);
  std::int64_t kinds = 0;
  for (const auto& [name, list] : some->facets) {
    if (name == "kind") {
      for (const auto& f : list) kinds += f.count;
    }
  }
  EXPECT_EQ(kinds, 2);
  // What he may not read takes no candidate's place, and is never counted:
  // with room for every readable one, the total is exact.
  in.candidates = 3;
  auto all = search().Search(spec_, in);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  in.candidates = 4;
  all = search().Search(spec_, in);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  EXPECT_TRUE(all->total_exact);
  EXPECT_EQ(AllText(*all).find("mật"), std::string::npos) << AllText(*all);
  // Without facets (as you type) the same bound holds.
  in.candidates = 2;
  in.facets = false;
  in.prefix = true;
  auto typing = search().Search(spec_, in);
  ASSERT_TRUE(typing.ok());
  EXPECT_EQ(typing->items.size(), 2u);
  EXPECT_FALSE(typing->total_exact);
  // By date, without facets: a full page says nothing of what follows it.
  in.by_date = true;
  in.prefix = false;
  in.limit = 1;
  auto newest = search().Search(spec_, in);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(newest->items.size(), 1u);
  EXPECT_FALSE(newest->total_exact);
  in.by_date = false;
  in.limit = 20;
  // The leader, who reads all five, gets the two classified ones: the newest.
  in.facets = true;
  in.prefix = false;
  auto leader = search().Search(leader_, in);
  ASSERT_TRUE(leader.ok());
  EXPECT_EQ(leader->total, 2);
  EXPECT_EQ(AllText(*leader).find("hai"), std::string::npos) << AllText(*leader);
}

TEST_P(SearchServiceTest, ARebuildIndexesEveryDocumentAgainAndOnlyAnAdministratorMayRunIt) {
  Draft(spec_, "Kế hoạch diễn tập phòng cháy", Classification::kNormal);
  Draft(spec_, "Báo cáo diễn tập", Classification::kNormal);
  const Id renamed = Draft(spec_, "Tờ trình mua sắm thiết bị", Classification::kNormal);
  // Documents written behind the node's back (as the bench's generator
  // does) have no entry, or an entry of words they no longer hold.
  ASSERT_TRUE(
      store_
          ->Write([&](store::Tx& tx) -> Status {
            CHY_TRY_STATUS(tx.connection().Exec(
                "DELETE FROM search_entries WHERE kind = 'document' AND ref_id <> $1", {renamed}));
            return tx.connection().Exec(
                "UPDATE documents SET subject = 'Tờ trình sửa chữa doanh trại' "
                "WHERE id = $1",
                {renamed});
          })
          .ok());
  EXPECT_EQ(Find(spec_, "dien tap").total, 0);
  EXPECT_EQ(Find(spec_, "mua sam").total, 1);
  EXPECT_FALSE(search().ReindexDocuments(spec_).ok());
  auto n = search().ReindexDocuments(admin_);
  ASSERT_TRUE(n.ok()) << Describe(n);
  EXPECT_EQ(*n, Count("SELECT COUNT(*) FROM documents"));
  EXPECT_EQ(Find(spec_, "dien tap").total, 2);
  EXPECT_EQ(Find(spec_, "phong chay").total, 1);
  // The entry written again holds its new words only, once.
  EXPECT_EQ(Find(spec_, "mua sam").total, 0);
  EXPECT_EQ(Find(spec_, "doanh trai").total, 1);
  EXPECT_EQ(Find(spec_, "to trinh").total, 1);
  // After the rebuild a change is indexed in its own transaction again.
  Draft(spec_, "Kế hoạch huấn luyện dã ngoại", Classification::kNormal);
  EXPECT_EQ(Find(spec_, "da ngoai").total, 1);
  ExpectTheEngineIndexMatchesTheEntries();
}

TEST_P(SearchServiceTest, TheWordsAskedForAreMarkedInTheirOwnSpelling) {
  Draft(spec_, "Quyết định về Hiến pháp", Classification::kNormal);
  auto r = Find(spec_, "hien phap");
  ASSERT_EQ(r.items.size(), 1u);
  std::string marked;
  for (const auto& m : r.items[0].title) {
    if (m.hit) marked += "[" + m.text + "]";
  }
  EXPECT_EQ(marked, "[Hiến][pháp]");
}

TEST_P(SearchServiceTest, BadQueriesAreRefusedAndChangeNothing) {
  const auto before = AuditSize();
  for (const auto& [q, code] : std::vector<std::pair<std::string, std::string>>{
           {"", "query_empty"}, {"  ", "query_empty"}, {std::string(501, 'x'), "query_too_long"}}) {
    SearchInput in;
    in.q = q;
    auto r = search().Search(spec_, in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(FieldCodeOf(r), code);
  }
  EXPECT_EQ(AuditSize(), before);
}

TEST_P(SearchServiceTest, AnImportIsOneTransactionAndNamesWhatIsWrong) {
  const auto before = Count("SELECT COUNT(*) FROM legal_documents");
  auto bad =
      search().ImportLegal(admin_, "bad.json",
                           R"([{"id": "Luật A", "articles": [{"id": "1", "text": "Điều một"}]},
          {"id": "Luật B", "articles": [{"id": "2"}]}])");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().fields.at(0).message.find("bad.json"), std::string::npos);
  EXPECT_NE(bad.error().fields.at(0).message.find("Luật B"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM legal_documents"), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM search_entries WHERE kind IN ('legal', 'article')"), 0);
  auto csv = search().ImportLegal(admin_, "x.csv", "title,signed_date\nLuật C,31/02/2020\n");
  ASSERT_FALSE(csv.ok());
  EXPECT_NE(csv.error().fields.at(0).message.find("line 2"), std::string::npos);
  // A specialist may not import.
  EXPECT_FALSE(search().ImportLegal(spec_, "x.json", "[]").ok());
}

std::string TestFile(const std::string& name) {
  std::ifstream in(std::string(CHANCERY_EXTRACT_TESTDATA) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_P(SearchServiceTest, ALawImportedAgainIsFoundByItsNewArticlesOnly) {
  auto law = [&](const std::string& second) {
    return search().ImportLegal(
        admin_, "luat.json",
        R"([{"id": "Luật Dân quân tự vệ", "articles": [{"id": "1", "text": "Phạm vi điều chỉnh\n\nLuật này quy định về dân quân tự vệ."}, {"id": "2", "text": ")" +
            second + R"("}]}])");
  };
  auto first = law("Huấn luyện\\n\\nDân quân được huấn luyện diễn tập hằng năm.");
  ASSERT_TRUE(first.ok()) << Describe(first);
  EXPECT_EQ(first->articles, 2);
  auto other = search().ImportLegal(
      admin_, "khac.json",
      R"([{"id": "Luật Nghĩa vụ quân sự", "articles": [{"id": "1", "text": "Độ tuổi\n\nCông dân đủ mười tám tuổi."}]}])");
  ASSERT_TRUE(other.ok()) << Describe(other);
  EXPECT_EQ(Find(admin_, "dien tap").total, 1);
  auto again = law("Chế độ chính sách\\n\\nDân quân được hưởng phụ cấp trách nhiệm.");
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(Find(admin_, "dien tap").total, 0);
  EXPECT_EQ(Find(admin_, "phu cap trach nhiem").total, 1);
  EXPECT_EQ(Find(admin_, "pham vi dieu chinh").total, 1);
  EXPECT_EQ(Find(admin_, "muoi tam tuoi").total, 1);
  ExpectTheEngineIndexMatchesTheEntries();
}

TEST_P(SearchServiceTest, APdfOrDocxIsImportedFromItsText) {
  auto pdf = search().ImportLegal(admin_, "nd15.pdf", TestFile("nghi-dinh.pdf"));
  ASSERT_TRUE(pdf.ok()) << Describe(pdf);
  EXPECT_EQ(pdf->documents, 1);
  EXPECT_GE(pdf->articles, 2);
  auto docx = search().ImportLegal(admin_, "tt21.DOCX", TestFile("thong-tu.docx"));
  ASSERT_TRUE(docx.ok()) << Describe(docx);
  EXPECT_GE(docx->articles, 2);

  const auto found = Find(admin_, "văn bản điện tử chữ ký số");
  ASSERT_FALSE(found.items.empty());
  EXPECT_EQ(found.items[0].hit.number_symbol, "15/2026/NĐ-CP");
  auto article = Find(admin_, "lưu trữ hồ sơ điện tử trong quân đội");
  ASSERT_FALSE(article.items.empty());
  EXPECT_EQ(article.items[0].hit.number_symbol, "21/2026/TT-BQP");

  // The bytes must be what the name says; a locked PDF is named as such;
  // nothing of a refused file is stored.
  const auto before = Count("SELECT COUNT(*) FROM legal_documents");
  auto wrong = search().ImportLegal(admin_, "x.pdf", TestFile("thong-tu.docx"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().fields.at(0).message.find("not a PDF"), std::string::npos);
  auto locked = search().ImportLegal(admin_, "locked.pdf", TestFile("nghi-dinh-password.pdf"));
  ASSERT_FALSE(locked.ok());
  EXPECT_NE(locked.error().fields.at(0).message.find("password"), std::string::npos);
  EXPECT_NE(locked.error().fields.at(0).message.find("locked.pdf"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM legal_documents"), before);
}

// What a document's files, comments and processing notes say finds it, for
// those who may read it and no one else.
TEST_P(SearchServiceTest, AFilesTextAndCommentsFindTheirDocument) {
  const Id open = Draft(spec_, "Kế hoạch tuần", Classification::kNormal);
  const Id secret = Draft(leader_, "Phương án mật", Classification::kSecret);
  for (auto [who, id] : {std::pair{&spec_, open}, std::pair{&leader_, secret}}) {
    auto f = node().documents.AddFile(*who, id, false, "du-thao.pdf", TestFile("nghi-dinh.pdf"),
                                      std::nullopt, "");
    ASSERT_TRUE(f.ok()) << Describe(f);
  }
  auto c = node().documents.AddComment(leader_, secret, "Bổ sung phương án dự phòng khẩn cấp");
  ASSERT_TRUE(c.ok()) << Describe(c);
  // The file is queued once, and its words are found only once it is read.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM file_texts WHERE state = 'pending'"), 1);
  EXPECT_EQ(Find(leader_, "chữ ký số của cơ quan").total, 0);
  EXPECT_EQ(Find(leader_, "dự phòng khẩn cấp").total, 1);  // a comment: at once
  auto read = node().documents.ReadQueuedFileTexts(10);
  ASSERT_TRUE(read.ok()) << Describe(read);
  EXPECT_EQ(*read, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM file_texts WHERE state = 'read'"), 1);  // read once
  EXPECT_EQ(*node().documents.ReadQueuedFileTexts(10), 0);

  auto mine = Find(spec_, "chữ ký số của cơ quan");
  ASSERT_EQ(mine.total, 1) << AllText(mine);
  EXPECT_EQ(mine.items[0].hit.ref_id, open);
  EXPECT_EQ(Find(leader_, "chữ ký số của cơ quan").total, 2);
  EXPECT_EQ(Find(leader_, "dự phòng khẩn cấp").total, 1);
  EXPECT_EQ(Find(spec_, "dự phòng khẩn cấp").total, 0);

  // A file the reader refuses is kept as refused, and the upload still works.
  auto locked = node().documents.AddFile(spec_, open, false, "khoa.pdf",
                                         TestFile("nghi-dinh-password.pdf"), std::nullopt, "");
  ASSERT_TRUE(locked.ok()) << Describe(locked);
  EXPECT_EQ(*node().documents.ReadQueuedFileTexts(10), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM file_texts WHERE state = 'file_encrypted'"), 1);
  // A file attached after its content was read is found at once.
  const Id later = Draft(spec_, "Báo cáo tháng", Classification::kNormal);
  auto again = node().documents.AddFile(spec_, later, false, "ban-sao.pdf",
                                        TestFile("nghi-dinh.pdf"), std::nullopt, "");
  ASSERT_TRUE(again.ok()) << Describe(again);
  EXPECT_EQ(Find(spec_, "chữ ký số của cơ quan").total, 2);
}

// A file the reader cannot read now (not the file's fault) goes behind the
// others, and the queue moves on; it is read once the reader works again.
TEST_P(SearchServiceTest, AFileThatCannotBeReadNowDoesNotHoldBackTheQueue) {
  const Id first = Draft(spec_, "Kế hoạch tuần", Classification::kNormal);
  const Id second = Draft(spec_, "Báo cáo tháng", Classification::kNormal);
  auto a = node().documents.AddFile(spec_, first, false, "a.pdf", TestFile("nghi-dinh.pdf"),
                                    std::nullopt, "");
  ASSERT_TRUE(a.ok()) << Describe(a);
  clock_.Advance(std::chrono::seconds(1));
  auto b = node().documents.AddFile(spec_, second, false, "b.docx", TestFile("thong-tu.docx"),
                                    std::nullopt, "");
  ASSERT_TRUE(b.ok()) << Describe(b);
  clock_.Advance(std::chrono::seconds(1));
  bool broken = true;
  node().documents.set_text_reader([&](std::string_view bytes) -> Result<std::string> {
    if (broken && extract::FormatOf(bytes) == extract::Format::kPdf) {
      return MakeError(ErrorCode::kInternal, "the reader could not start");
    }
    return extract::Text(bytes);
  });
  EXPECT_FALSE(node().documents.ReadQueuedFileTexts(1).ok());  // the PDF, first in line
  EXPECT_EQ(*node().documents.ReadQueuedFileTexts(1), 1);      // then the DOCX
  EXPECT_EQ(Count("SELECT COUNT(*) FROM file_texts WHERE state = 'pending'"), 1);
  broken = false;
  EXPECT_EQ(*node().documents.ReadQueuedFileTexts(5), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM file_texts WHERE state = 'read'"), 2);
}

// A legal-normative document enters the legal database as it is issued,
// with the articles of its text; a classified one does not.
TEST_P(SearchServiceTest, ALegalNormativeDocumentEntersTheLegalDatabaseWhenIssued) {
  auto issue = [&](const std::string& subject, Classification c) -> Id {
    DocumentInput in;
    in.type_code = "QĐ";
    in.subject = subject;
    in.classification = c;
    in.legal_normative = true;
    in.recipient_unit_ids = std::vector<Id>{vp_};
    const User& drafter = c == Classification::kNormal ? spec_ : leader_;
    auto d = node().documents.CreateDraft(drafter, in);
    EXPECT_TRUE(d.ok()) << Describe(d);
    if (!d.ok()) return 0;
    const Id id = d->document.id;
    auto v = node().documents.AddFile(drafter, id, false, "quyet-dinh.pdf",
                                      TestFile("nghi-dinh.pdf"), std::nullopt, "");
    EXPECT_TRUE(v.ok()) << Describe(v);
    Walk(id, {{drafter, "submit"},
              {leader_, "approve"},
              {leader_, "sign"},
              {clerk_, "number"},
              {clerk_, "seal"},
              {clerk_, "issue"}});
    return id;
  };
  const auto before = Count("SELECT COUNT(*) FROM legal_documents");
  const Id open = issue("Ban hành quy chế văn thư điện tử", Classification::kNormal);
  issue("Ban hành quy chế mật", Classification::kSecret);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM legal_documents"), before + 1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM legal_documents WHERE document_id = " + std::to_string(open)), 1);
  // Anyone finds it and its articles, by its words and its number.
  auto found = Find(spec_, "quy chế văn thư điện tử");
  ASSERT_FALSE(found.items.empty());
  EXPECT_EQ(found.items[0].hit.kind, "legal");
  EXPECT_EQ(found.items[0].hit.number_symbol, "01/QĐ-BQP");
  auto article = Find(spec_, "văn bản điện tử và chữ ký số của cơ quan");
  ASSERT_FALSE(article.items.empty());
  EXPECT_EQ(AllText(Find(spec_, "quy chế mật")).find("mật"), std::string::npos);
}

TEST_P(SearchServiceTest, StatusOnADayAndRelationsBothWays) {
  Import("set.json", R"({"documents": [
    {"number_symbol": "110/2004/NĐ-CP", "title": "Nghị định về công tác văn thư",
     "signed_date": "2004-04-08", "effective_date": "2004-05-01"},
    {"number_symbol": "30/2020/NĐ-CP", "title": "Nghị định về công tác văn thư",
     "signed_date": "2020-03-05", "effective_date": "2020-03-05",
     "text": "Điều 1. Phạm vi\nNghị định này quy định về công tác văn thư.\nĐiều 2. Thay thế\nKhoản 1 Điều 1 Nghị định này và Điều 1 Nghị định số 110/2004/NĐ-CP.",
     "relations": [{"kind": "replaces", "number_symbol": "110/2004/NĐ-CP"}]}]})");
  LegalListInput list;
  list.q = "van thu";
  auto docs = search().ListLegal(spec_, list);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->items.size(), 2u);
  Id old_id = 0, new_id = 0;
  for (const auto& i : docs->items)
    (i.doc.number_symbol == "30/2020/NĐ-CP" ? new_id : old_id) = i.doc.id;
  auto old_2019 = search().GetLegal(spec_, old_id, Date{std::chrono::year{2019} / 1 / 1});
  ASSERT_TRUE(old_2019.ok());
  EXPECT_EQ(old_2019->status, search::Validity::kInForce);
  auto old_now = search().GetLegal(spec_, old_id, std::nullopt);
  ASSERT_TRUE(old_now.ok());
  EXPECT_EQ(old_now->status, search::Validity::kExpired);
  ASSERT_EQ(old_now->relations.size(), 1u);
  EXPECT_TRUE(old_now->relations[0].incoming);
  EXPECT_EQ(search().GetLegal(spec_, new_id, Date{std::chrono::year{2019} / 1 / 1})->status,
            search::Validity::kNotYetInForce);
  // Citations: to its own article and to the other document.
  auto detail = search().GetLegal(spec_, new_id, std::nullopt);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->articles.size(), 2u);
  const auto& cites = detail->articles[1].citations;
  ASSERT_EQ(cites.size(), 2u);
  EXPECT_EQ(cites[0].legal_id, new_id);
  EXPECT_TRUE(detail->articles[1].citation_articles[0].has_value());
  EXPECT_EQ(cites[1].legal_id, old_id);
  // A filter value may hold a comma.
  list.q.clear();
  list.issuers = {"Bộ Quốc phòng, Bộ Tài chính"};
  EXPECT_TRUE(search().ListLegal(spec_, list)->items.empty());
  list.issuers.clear();
  // "In force on" as a filter.
  list.q.clear();
  list.statuses = {"in_force"};
  auto in_force = search().ListLegal(spec_, list);
  ASSERT_TRUE(in_force.ok());
  ASSERT_EQ(in_force->items.size(), 1u);
  EXPECT_EQ(in_force->items[0].doc.id, new_id);
}

TEST_P(SearchServiceTest, ACitationInTheQueryFindsItsArticle) {
  Import("anm.json", R"([{"id": "Luật An ninh mạng", "articles": [
    {"id": "5", "text": "Biện pháp bảo vệ an ninh mạng\n\n1. Thẩm định an ninh mạng."},
    {"id": "6", "text": "Bảo vệ không gian mạng quốc gia\n\nNhà nước bảo vệ."}]},
    {"id": "Luật Du lịch", "articles": [{"id": "5", "text": "Phát triển du lịch\n\nPhát triển bền vững."}]}])");
  auto r = Find(spec_, "Điều 5 Luật An ninh mạng");
  ASSERT_FALSE(r.items.empty());
  EXPECT_EQ(r.items[0].article_label, "Điều 5");
  EXPECT_EQ(r.items[0].hit.number_symbol, "Luật An ninh mạng");
}

// A question about a term ("… là gì?") finds the article that defines it:
// its question words are not looked for, and the defined terms of a
// "Giải thích từ ngữ" article weigh as its title.
TEST_P(SearchServiceTest, AQuestionAboutATermFindsItsDefinition) {
  Import("anm.json", R"([{"id": "Luật An ninh mạng", "articles": [
    {"id": "2", "text": "Giải thích từ ngữ\n\nTrong Luật này, các từ ngữ dưới đây được hiểu như sau:\n\n1. Không gian mạng là mạng lưới kết nối của cơ sở hạ tầng công nghệ thông tin.\n\n2. An ninh mạng là sự bảo đảm hoạt động trên không gian mạng không gây phương hại đến an ninh quốc gia, trật tự, an toàn xã hội."},
    {"id": "9", "text": "Bảo vệ hệ thống thông tin\n\nHệ thống thông tin quan trọng về an ninh mạng phải được bảo vệ; an ninh mạng của hệ thống đó được thẩm định, kiểm tra và giám sát về an ninh mạng."},
    {"id": "12", "text": "Việc gì, ai làm và làm trong bao lâu\n\nKhi an ninh mạng bị xâm phạm, người đứng đầu báo cáo ngay."}]}])");
  SearchInput in;
  in.q = "An ninh mạng là gì?";
  in.match_all = false;
  in.kinds = {"article"};
  auto r = search().Search(spec_, in);
  ASSERT_TRUE(r.ok()) << Describe(r);
  ASSERT_FALSE(r->items.empty());
  EXPECT_EQ(r->items[0].article_label, "Điều 2") << AllText(*r);
}

CHY_SERVICE_TEST_BACKENDS(SearchServiceTest);

}  // namespace
}  // namespace chancery::services
