// The search module's use cases: one search over everything a person may
// read (documents of their units, legal documents and their articles), and
// the legal-documents database (văn bản pháp luật): its lists, a document
// with its outline, relations and status on a day, an article with its
// citations linked, and imports. docs/search.md explains the words, the
// ranking and the rule of who finds what.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lib/text/query.h"
#include "modules/search/legal_text.h"
#include "modules/search/store.h"
#include "services/services.h"

namespace chancery::services {

struct SearchInput {
  std::string q;
  bool prefix = false;    // as you type: the last word is a prefix
  bool match_all = true;  // false: any word, ranked (questions)
  bool by_date = false;
  bool facets = true;
  std::vector<std::string> kinds, types, issuers, states, statuses;
  std::vector<int> years;
  std::vector<Id> unit_ids;
  std::vector<int> classifications;
  std::optional<Date> on;  // validity status on this day (today by default)
  std::optional<std::string> cursor;
  int limit = 20;
  int candidates =
      0;  // past this many matches, the newest only (0: the node's; never from a request)
};

// A piece of a title or snippet, highlighted when it is a word asked for.
struct Mark {
  std::string text;
  bool hit = false;
};

struct SearchHit {
  search::Hit hit;
  std::vector<Mark> title;
  std::vector<Mark> snippet;
  std::string unit_name;
  std::optional<search::Validity> status;  // legal kinds
  std::string article_label;               // "Điều 5"
  std::optional<Id> legal_id;              // article: its document
};

struct FacetCount {
  std::string value, label;
  std::int64_t count = 0;
};

struct SearchResult {
  std::vector<SearchHit> items;
  std::int64_t total = 0;
  // False when more match than were counted: `total` and the facets' counts
  // are then of the newest candidates, and there are more.
  bool total_exact = true;
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
  std::optional<std::string> next_cursor;
};

struct LegalListInput {
  std::string q;
  std::vector<std::string> types, issuers, fields, statuses;
  std::vector<int> years;
  std::optional<Date> on;
  std::optional<std::string> cursor;
  int limit = 50;
};

struct LegalListItem {
  search::LegalDocument doc;
  search::Validity status = search::Validity::kInForce;
};

struct LegalRelationView {
  search::LegalRelation relation;
  bool incoming = false;
  std::optional<search::LegalDocument> other;
};

struct LegalArticleView {
  search::LegalPart part;
  std::vector<search::Citation> citations;
  std::vector<std::optional<Id>> citation_articles;  // the article each citation names, if known
};

struct LegalDocumentView {
  search::LegalDocument doc;
  search::Validity status = search::Validity::kInForce;
  Date status_on{};
  std::vector<LegalRelationView> relations;
  std::vector<search::LegalPart> outline;  // every part, bodies left out
  std::vector<LegalArticleView> articles;
};

struct LegalImportResult {
  int documents = 0;
  int articles = 0;
};

class SearchService : public Core {
 public:
  explicit SearchService(const Core& core) : Core(core) {}

  Result<SearchResult> Search(const Actor& actor, const SearchInput& in);

  Result<Page<LegalListItem>> ListLegal(const Actor& actor, const LegalListInput& in);
  Result<std::map<std::string, std::vector<FacetCount>>> LegalFacets(const Actor& actor);
  Result<LegalDocumentView> GetLegal(const Actor& actor, Id id, std::optional<Date> on);
  Result<std::pair<LegalArticleView, search::LegalDocument>> GetArticle(const Actor& actor, Id id);
  // One file, one transaction: the ALQAC JSON corpus format, this project's
  // JSON or CSV (docs/search.md), a procedure's JSON (its legal bases), or
  // the text layer of a PDF. An error names the file, the article or line,
  // and what is wrong; nothing of that file is then stored.
  Result<LegalImportResult> ImportLegal(const Actor& actor, const std::string& file_name,
                                        const std::string& bytes);
  // Puts every stored document's entry in the index again (after data was
  // loaded behind the node's back, as the bench's generator does); one
  // transaction. Administrator only.
  Result<std::int64_t> ReindexDocuments(const Actor& actor);

 private:
  // Both read every legal document unless the caller has them already.
  Result<std::vector<search::KnownDocument>> Known(
      store::Tx& tx, const std::vector<search::LegalDocument>* loaded = nullptr);
  Result<std::map<Id, search::Validity>> Statuses(
      store::Tx& tx, Date on, const std::vector<search::LegalDocument>* loaded = nullptr);
};

}  // namespace chancery::services
