// The search module's tables (migrations/): the search index over every
// kind of thing people look for, and the legal-documents database. A Store
// works inside one transaction of store::Store and must not outlive it; the
// documents module puts a document's entry in the transaction that changes
// the document, so the index is never behind.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/migrations.h"
#include "lib/text/query.h"
#include "store/store.h"

namespace chancery::search {

// What is indexed of one thing. `title` and `number_symbol` are shown; the
// words of `context` (issuer, signer, the law an article belongs to) and
// `body` (text of files, notes, an article's text) are found but weigh less.
struct Entry {
  std::string kind;  // "document", "legal", "article"
  Id ref_id = 0;
  std::optional<Id> legal_id;
  std::string label;  // shown before the title, not indexed ("Điều 5. ")
  std::string title;
  std::string number_symbol;
  std::string terms;  // indexed with the title, not shown (an article's defined terms)
  std::string context;
  std::string body;
  std::optional<Date> on_date;
  std::string type;
  std::string issuer;
  std::string state;
  // Words the engine holds to narrow a list to its own entries ("book_12":
  // a register book's), never shown nor ranked. SQLite only.
  std::vector<std::string> tags;
};

// Who reads: for a document's entry, the documents module's rule as SQL over
// the document joined as `d` (documents::Store::ReadableJoin); other kinds
// are read by every signed-in person.
struct ReadRule {
  std::string join;      // "LEFT JOIN documents d ON ..."
  std::string readable;  // a predicate over d, true when the reader may read it
  std::string unit;      // the document's unit, an expression over d
  std::string classification;
};

struct IndexQuery {
  const text::ParsedQuery* query = nullptr;
  bool match_all = true;  // every word (a search box); else any (ranked questions)
  bool by_date = false;
  std::vector<std::string> kinds;
  std::vector<std::string> types, issuers, states;
  std::vector<int> years;
  std::vector<Id> unit_ids;
  std::vector<int> classifications;
  std::optional<std::vector<Id>> legal_ids;  // legal kinds: only these documents
  int limit = 200;
  // By rank: when more than this many readable entries match, only the
  // newest this many (by entry) are ranked and counted, so that a common
  // word costs the same at a million documents as at a thousand (0: all).
  // By date: ignored, every match is ordered.
  int candidates = 0;
};

struct Hit {
  Id entry_id = 0;
  std::string kind;
  Id ref_id = 0;
  std::optional<Id> legal_id;
  std::string title, number_symbol, type, issuer, state;
  std::optional<Date> on_date;
  std::optional<Id> unit_id;
  Classification classification = Classification::kNormal;
  double score = 0;
};

// One combination of facet values and how many hits have it.
struct FacetRow {
  std::string kind, type, issuer, state;
  std::optional<int> year;
  std::optional<Id> unit_id;
  Classification classification = Classification::kNormal;
  std::optional<Id> legal_id;
  std::int64_t n = 0;
};

// The search index.
class Index {
 public:
  explicit Index(store::Tx& tx) : c_(tx.connection()) {}
  explicit Index(sql::Connection& c) : c_(c) {}
  // Tests: from how many entries a question's common words take ANALYZE's
  // sampled share instead of a count (kSampledFrom).
  Index& SampledFrom(double entries) {
    sampled_from_ = entries;
    return *this;
  }

  Status Put(const Entry& e);
  Status Remove(std::string_view kind, Id ref_id);
  // A bulk write (`chancery index rebuild`, a law's articles) of the `kind`
  // entries whose ref_id is in (after, last], in one transaction: BeginBulk
  // takes them out of the engine's index and pauses its triggers, Put then
  // writes entries only, and EndBulk puts the range back into the engine's
  // index in one statement. SQLite's FTS5 writes its pending words out as a
  // new segment at every statement of a transaction, so one trigger a row
  // cost a segment a row: the rebuild of 100,000 documents took four times
  // as long, and at 1 M documents each article of an import took 0.1 s.
  // PostgreSQL: nothing to do.
  Status BeginBulk(std::string_view kind, Id after, Id last);
  Status EndBulk(std::string_view kind, Id after, Id last);
  // After a bulk write (every document indexed again): the engine's index
  // merged into one segment, so that a word is looked up once, not once
  // per segment the bulk left (SQLite; PostgreSQL keeps its GIN index).
  Status Optimize();
  // The best `q.limit` hits (by rank, or newest first), readable under `rule`.
  // `capped`: set when q.candidates were reached.
  // `walked`: how many of the newest entries were walked for the candidates
  // (PostgreSQL; 0: GIN found them), for Facets to count the same ones.
  Result<std::vector<Hit>> Find(const IndexQuery& q, const ReadRule& rule,
                                std::vector<sql::Value> params, bool* capped = nullptr,
                                std::int64_t* walked = nullptr);
  // Counts of every facet combination of all hits (of the candidates, when
  // q.candidates is set; `walk` as Find's `walked`).
  Result<std::vector<FacetRow>> Facets(const IndexQuery& q, const ReadRule& rule,
                                       std::vector<sql::Value> params, std::int64_t walk = 0);
  // The search box: the best hits, and with `facets` the facets' counts.
  // On SQLite by rank with facets, one pass: each readable match's rank and
  // facet columns, read through the index of references (never the
  // entries' word columns); the best `q.limit` are chosen here, then only
  // their rows read. Otherwise Find (its ORDER BY … LIMIT is the faster
  // when nothing needs every match), then Facets when asked.
  struct Found {
    std::vector<Hit> hits;
    std::vector<FacetRow> facets;
    bool capped = false;  // q.candidates were reached: more match than were counted
  };
  Result<Found> Search(const IndexQuery& q, const ReadRule& rule, std::vector<sql::Value> params,
                       bool facets);

  // A predicate for another module's list: `id` (an expression) is the
  // ref_id of a `kind` entry holding every word of `text` (the last one a
  // prefix, as typed; words next to each other one phrase). Text with no
  // word, or only exclusions, matches nothing. Who may read what is the
  // list's own rule. `narrow`: tags (Entry::tags) the entry must hold too,
  // so that the engine itself keeps only the list's own entries (a register
  // book's) before they are mapped (SQLite; PostgreSQL's list filters them).
  static std::string Matching(sql::Dialect dialect, std::string_view kind, std::string_view text,
                              std::string_view id, std::vector<sql::Value>& params,
                              const std::vector<std::string>& narrow = {});

 private:
  // The FROM/WHERE shared by Find and Facets; binds into `params`.
  // `rank`: the engine's rank; `rerank` (PostgreSQL, any word): a second
  // rank over the best of the first, as `x`.
  // `facets_only`: nothing but the facets' columns is read (SQLite: through
  // the index of references).
  // `walk` (PostgreSQL): only the newest this many entries, walked newest
  // first, not GIN's matches.
  std::string Where(const IndexQuery& q, const ReadRule& rule, std::vector<sql::Value>& params,
                    std::string* rank, std::string* rerank, bool facets_only = false,
                    std::int64_t walk = 0);
  // PostgreSQL, a bounded query with a phrase or with one year asked: how
  // many of the newest entries (of that year) to walk for its candidates,
  // when that reads fewer rows than GIN would (0: ask GIN). The planner
  // takes a phrase's words, or words and a year, as independent, so it
  // reckons a common phrase or pair rare, asks GIN for every match and
  // reads them all (12,300 rows at 100,000 documents, 2 s at 1 M); the
  // rarest word or pair, as ANALYZE sampled it, says how dense it really is.
  std::int64_t NewestToWalk(const IndexQuery& q);
  // PostgreSQL: what ANALYZE last sampled of the entries' words: how many
  // entries there are, and the share of them holding each of `lexemes`
  // that is among tsv's most common elements (pg_stats); one that is not is
  // rarer than all of those.
  struct Sampled {
    double entries = 0;
    std::map<std::string, double> share;
  };
  Sampled Sample(const std::set<std::string>& lexemes);
  // From how many entries a ranked question's common words take their
  // sampled share instead of being counted: below it counting is cheap,
  // and exact counts keep small nodes' ranking the same whenever ANALYZE runs.
  static constexpr double kSampledFrom = 100'000;
  double sampled_from_ = kSampledFrom;
  // Find, over the newest `walk` entries or (0) over GIN's matches.
  Result<std::vector<Hit>> FindIn(const IndexQuery& q, const ReadRule& rule,
                                  std::vector<sql::Value> params, bool* capped, std::int64_t walk);
  // The candidates' order: newest entry first, which the engine's own walk
  // gives on SQLite (so a LIMIT stops it early).
  std::string NewestFirst() const;
  sql::Connection& c_;
};

// ---- The legal-documents database ----

enum class Validity { kNotYetInForce, kInForce, kPartlyExpired, kExpired };
std::string_view ValidityName(Validity v);  // "not_yet_in_force", "in_force", ...
std::string_view ValidityLabelVi(Validity v);

struct LegalDocument {
  Id id = 0;
  std::string key;  // LegalKey(number_symbol, title)
  std::string number_symbol, title, type_name, issuer, signer, field, source;
  std::optional<Date> signed_date, effective_date, expiry_date, partly_expired_date;
  std::optional<Id> document_id;
  int article_count = 0;  // filled by the lists
};

// Phần, Chương, Mục or Điều.
struct LegalPart {
  Id id = 0;
  Id legal_id = 0;
  int ordinal = 0;
  std::string level;  // "phan", "chuong", "muc", "dieu"
  std::string number;
  std::string title;
  std::string body;
};

struct LegalRelation {
  Id id = 0;
  Id from_id = 0;
  std::string kind;  // based_on, guides, amends, replaces, repeals, repeals_part, consolidates
  std::string to_key, to_number_symbol, to_title;
};

// A legal document's key: its folded number/symbol with the separators
// kept as one ("15/2020/nđ-cp" and "15/2020/ND-CP" are one), or its folded
// title when it has no number.
std::string LegalKey(std::string_view number_symbol, std::string_view title);

// Its status on `day`, from its dates and what is in force that day.
Validity ValidityOn(const LegalDocument& d, Date day,
                    const std::vector<std::pair<LegalRelation, LegalDocument>>& incoming);

class LegalStore {
 public:
  explicit LegalStore(store::Tx& tx) : c_(tx.connection()) {}
  explicit LegalStore(sql::Connection& c) : c_(c) {}  // schema steps

  // Inserts, or updates the one with the same key (its id kept).
  Result<Id> Upsert(const LegalDocument& d, Timestamp now);
  Result<LegalDocument> Get(Id id);
  Result<std::optional<LegalDocument>> ByKey(const std::string& key);
  Result<std::vector<LegalDocument>> All();
  // Replaces the document's parts (and their index entries).
  Status ReplaceParts(Id legal_id, const std::vector<LegalPart>& parts);
  Result<std::vector<LegalPart>> Parts(Id legal_id);
  Result<LegalPart> Part(Id part_id);
  Result<std::optional<LegalPart>> ArticleByNumber(Id legal_id, const std::string& number);
  Status AddRelation(const LegalRelation& r);
  Result<std::vector<LegalRelation>> RelationsFrom(Id legal_id);
  Result<std::vector<LegalRelation>> RelationsTo(const std::string& key);
  Result<std::vector<LegalRelation>> AllRelations();

 private:
  Result<std::vector<LegalRelation>> Relations(std::string_view where,
                                               std::vector<sql::Value> params);
  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::search
