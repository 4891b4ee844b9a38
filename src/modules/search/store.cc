// The search index and the legal-documents database: typed operations on
// this module's tables, with the engine's own full-text index under them.
#include "modules/search/store.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "lib/text/fold.h"
#include "lib/text/tokens.h"
#include "store/rows.h"

namespace chancery::search {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Dialect;
using sql::Row;
using sql::Value;

namespace {

// At most this many words of one entry's body are indexed.
constexpr std::size_t kMaxBodyTokens = 50'000;

// The fields of an entry as the index holds them. Four fields of folded
// words — title (with the number/symbol), context, body — then every
// word's exact spelling and every pair of neighbouring folded words.
struct Fields {
  std::vector<text::Token> title, context, body;
};

Fields TokensOf(const Entry& e) {
  Fields f;
  f.title = text::Tokenize(text::Nfc(e.title + " " + e.number_symbol + " " + e.terms));
  f.context = text::Tokenize(text::Nfc(e.context));
  f.body = text::Tokenize(text::Nfc(e.body), kMaxBodyTokens);
  return f;
}

std::string Join(const std::vector<text::Token>& tokens, std::string text::Token::*member) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.*member;
  }
  return out;
}

// SQLite: a pair of words as FTS5 holds it, marked so that no word's
// prefix ("chuyen*") walks the pairs that begin with it ("_chuyen_de").
std::string FtsPair(std::string_view a, std::string_view b) { return "_" + text::Pair(a, b); }

std::string Pairs(const std::vector<text::Token>& tokens) {
  std::string out;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += FtsPair(tokens[i - 1].folded, tokens[i].folded);
  }
  return out;
}

// PostgreSQL: the tsvector as a literal (no parser between us and it):
// folded title words weigh A, context B, body C; exact spellings and pairs
// D, at the positions of the words they spell.
std::string TsVector(const Fields& f) {
  std::map<std::string, std::vector<std::pair<int, char>>> lexemes;
  int pos = 0;
  auto add = [&](const std::string& lexeme, int at, char weight) {
    auto& v = lexemes[lexeme];
    if (v.size() < 255) v.emplace_back(std::min(at, 16383), weight);
  };
  for (const auto& [tokens, weight] :
       {std::pair<const std::vector<text::Token>*, char>{&f.title, 'A'},
        std::pair<const std::vector<text::Token>*, char>{&f.context, 'B'},
        std::pair<const std::vector<text::Token>*, char>{&f.body, 'C'}}) {
    for (std::size_t i = 0; i < tokens->size(); ++i) {
      ++pos;
      const auto& t = (*tokens)[i];
      add(t.folded, pos, weight);
      if (t.exact != t.folded) add(t.exact, pos, 'D');
      if (i > 0) add(text::Pair((*tokens)[i - 1].folded, t.folded), pos, 'D');
    }
    ++pos;  // no phrase spans two fields
  }
  std::string out;
  for (auto& [lexeme, positions] : lexemes) {
    if (!out.empty()) out += ' ';
    out += '\'' + lexeme + "':";
    std::sort(positions.begin(), positions.end());
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(positions[i].first);
      if (positions[i].second != 'D') out += positions[i].second;
    }
  }
  return out;
}

// ---- the engine's query, from the parsed words only ----

// SQLite FTS5: the folded fields; exact spellings and pairs boost.
constexpr std::string_view kFolded = "{t_title t_ctx t_body}";

std::string FtsWord(const text::QueryWord& w, bool prefix) {
  std::string one = std::string(kFolded) + ": \"" + w.folded + "\"" + (prefix ? " *" : "");
  if (w.telex.empty() || prefix) return one;
  return "(" + one + " OR " + std::string(kFolded) + ": \"" + w.telex + "\")";
}

std::string FtsClause(const text::QueryClause& c) {
  if (!c.phrase) return FtsWord(c.words.front(), c.prefix);
  std::string phrase;
  for (const auto& w : c.words) phrase += (phrase.empty() ? "" : " ") + w.folded;
  return std::string(kFolded) + ": \"" + phrase + "\"" + (c.prefix ? " *" : "");
}

// What raises a hit that has the words as typed: their exact spellings, and
// the pairs of neighbouring words (most Vietnamese words are two syllables).
std::vector<std::string> FtsBoosts(const text::ParsedQuery& q) {
  std::vector<std::string> out;
  const auto words = q.Positive();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].exact != words[i].folded) out.push_back("t_exact: \"" + words[i].exact + "\"");
    if (i > 0) {
      out.push_back("t_pairs: \"" + FtsPair(words[i - 1].folded, words[i].folded) + "\"");
    }
  }
  return out;
}

// SQLite: the `kind` entries with ref_id in (after, last] put into the
// FTS5 index, or with `remove` taken out of it, in one statement.
Status PutFtsRange(sql::Connection& c, bool remove, std::string_view kind, Id after, Id last) {
  constexpr std::string_view kColumns = "t_title, t_ctx, t_body, t_exact, t_pairs, t_tags";
  return c.Exec(std::string("INSERT INTO search_fts(") + (remove ? "search_fts, " : "") +
                    "rowid, " + std::string(kColumns) + ") SELECT " + (remove ? "'delete', " : "") +
                    "id, " + std::string(kColumns) +
                    " FROM search_entries WHERE kind = $1 AND ref_id > $2 AND ref_id <= $3",
                {std::string(kind), after, last});
}

// The id of the last entry of the one year `q` asks for (NULL: none), as
// SQL: a search for that year need not go through any later entry.
std::string YearsLastEntry(const IndexQuery& q, std::vector<Value>& params) {
  return "(SELECT max(id) FROM search_entries WHERE year = " +
         Bind(params, std::int64_t{q.years.front()}) + ")";
}

// Whether only the newest q.candidates are ranked and counted (store.h).
bool Bounded(const IndexQuery& q) { return q.candidates > 0 && !q.by_date && q.match_all; }

// An FTS5 string: a quote doubled.
std::string FtsString(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// `kinds`: only entries of these kinds (the engine narrows to them before
// it ranks; a legal question at a million documents ranks articles only).
std::string FtsMatch(const text::ParsedQuery& q, bool match_all,
                     const std::vector<std::string>& kinds) {
  std::vector<std::string> required, excluded;
  for (const auto& c : q.clauses) (c.exclude ? excluded : required).push_back(FtsClause(c));
  std::string expr;
  const auto boosts = FtsBoosts(q);
  if (match_all) {
    for (const auto& r : required) expr += (expr.empty() ? "" : " AND ") + r;
    if (!boosts.empty()) {
      // Always true beside the first required clause: only the rank sees them.
      std::string any = required.front();
      for (const auto& b : boosts) any += " OR " + b;
      expr = "(" + expr + ") AND (" + any + ")";
    }
  } else {
    for (const auto& r : required) expr += (expr.empty() ? "" : " OR ") + r;
    for (const auto& b : boosts) expr += " OR " + b;
    expr = "(" + expr + ")";
  }
  if (!kinds.empty()) {
    std::string any;
    for (const auto& k : kinds) any += (any.empty() ? "" : " OR ") + ("t_tags: " + FtsString(k));
    expr = "(" + expr + ") AND (" + any + ")";
  }
  for (const auto& x : excluded) expr += " NOT " + x;
  return expr;
}

// PostgreSQL tsquery.
std::string TsWord(const std::string& lexeme, bool prefix, std::string_view weights) {
  return "'" + lexeme + "':" + (prefix ? "*" : "") + std::string(weights);
}

std::string TsClause(const text::QueryClause& c) {
  if (!c.phrase) {
    const auto& w = c.words.front();
    std::string one = TsWord(w.folded, c.prefix, "ABC");
    if (w.telex.empty() || c.prefix) return one;
    return "(" + one + " | " + TsWord(w.telex, false, "ABC") + ")";
  }
  std::string out;
  for (std::size_t i = 0; i < c.words.size(); ++i) {
    const bool last_prefix = c.prefix && i + 1 == c.words.size();
    out += (out.empty() ? "" : " <-> ") + TsWord(c.words[i].folded, last_prefix, "ABC");
  }
  return "(" + out + ")";
}

std::vector<std::string> TsBoosts(const text::ParsedQuery& q) {
  std::vector<std::string> out;
  const auto words = q.Positive();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].exact != words[i].folded) out.push_back(TsWord(words[i].exact, false, "D"));
    if (i > 0) out.push_back(TsWord(text::Pair(words[i - 1].folded, words[i].folded), false, "D"));
  }
  return out;
}

// The match (which entries), and what scores: each required clause and
// each boost (exact spellings, pairs) as a query of its own.
std::pair<std::string, std::vector<std::string>> TsQueries(const text::ParsedQuery& q,
                                                           bool match_all) {
  std::vector<std::string> required, excluded;
  for (const auto& c : q.clauses) (c.exclude ? excluded : required).push_back(TsClause(c));
  std::string match;
  for (const auto& r : required) match += (match.empty() ? "" : (match_all ? " & " : " | ")) + r;
  match = "(" + match + ")";
  for (const auto& x : excluded) match += " & !" + x;
  std::vector<std::string> scoring = required;
  for (auto& b : TsBoosts(q)) scoring.push_back(std::move(b));
  return {match, scoring};
}

// An upsert's WHERE: only when something changed (most updates of a
// document change nothing that is indexed, and an unchanged row is not
// written again).
std::string Changed(std::initializer_list<std::string_view> columns) {
  std::string out;
  for (auto c : columns) {
    if (!out.empty()) out += " OR ";
    out += "search_entries." + std::string(c) + " IS DISTINCT FROM excluded." + std::string(c);
  }
  return out;
}

constexpr std::string_view kHitColumns =
    "e.id, e.kind, e.ref_id, e.legal_id, e.title, e.number_symbol, e.on_date, e.type, e.issuer, "
    "e.state";

// A classification column, when the row has one (a document's).
void ReadClassification(const sql::Row& r, std::size_t i, Classification& out) {
  if (auto c = r.OptInt(i)) out = static_cast<Classification>(std::clamp<std::int64_t>(*c, 0, 3));
}

// kHitColumns, the unit, the classification, the score.
Hit HitFromRow(const sql::Row& r) {
  Hit h;
  h.entry_id = r.Int(0);
  h.kind = r.Text(1);
  h.ref_id = r.Int(2);
  h.legal_id = r.OptInt(3);
  h.title = r.Text(4);
  h.number_symbol = r.Text(5);
  h.on_date = DateOf(r, 6);
  h.type = r.Text(7);
  h.issuer = r.Text(8);
  h.state = r.Text(9);
  h.unit_id = r.OptInt(10);
  ReadClassification(r, 11, h.classification);
  h.score = r.Real(12);
  return h;
}

// kind, type, issuer, state, year, unit, classification, legal_id.
FacetRow FacetFromRow(const sql::Row& r) {
  FacetRow f;
  f.kind = r.Text(0);
  f.type = r.Text(1);
  f.issuer = r.Text(2);
  f.state = r.Text(3);
  if (auto y = r.OptInt(4)) f.year = static_cast<int>(*y);
  f.unit_id = r.OptInt(5);
  ReadClassification(r, 6, f.classification);
  f.legal_id = r.OptInt(7);
  return f;
}

}  // namespace

// ---------------------------------------------------------------- index

Status Index::Put(const Entry& e) {
  const Fields f = TokensOf(e);
  std::vector<Value> common{
      e.kind,
      e.ref_id,
      OptInt(e.legal_id),
      e.title,
      e.number_symbol,
      OptDate(e.on_date),
      e.on_date
          ? Value{std::int64_t{static_cast<int>(std::chrono::year_month_day{*e.on_date}.year())}}
          : Value{nullptr},
      e.type,
      e.issuer,
      e.state};
  constexpr std::string_view kCommon =
      "kind, ref_id, legal_id, title, number_symbol, on_date, year, type, issuer, state";
  constexpr std::string_view kSet =
      "legal_id = excluded.legal_id, title = excluded.title, number_symbol = "
      "excluded.number_symbol, on_date = excluded.on_date, year = excluded.year, type = "
      "excluded.type, issuer = excluded.issuer, state = excluded.state";
  if (c_.dialect() == Dialect::kPostgres) {
    common.push_back(TsVector(f));
    return c_.Exec("INSERT INTO search_entries(" + std::string(kCommon) +
                       ", tsv) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::tsvector) "
                       "ON CONFLICT (kind, ref_id) DO UPDATE SET " +
                       std::string(kSet) + ", tsv = excluded.tsv WHERE " +
                       Changed({"legal_id", "title", "number_symbol", "on_date", "type", "issuer",
                                "state", "tsv"}),
                   common);
  }
  std::vector<text::Token> all = f.title;
  all.insert(all.end(), f.context.begin(), f.context.end());
  all.insert(all.end(), f.body.begin(), f.body.end());
  common.push_back(Join(f.title, &text::Token::folded));
  common.push_back(Join(f.context, &text::Token::folded));
  common.push_back(Join(f.body, &text::Token::folded));
  std::string exact;
  for (const auto& t : all) {
    if (t.exact == t.folded) continue;
    if (!exact.empty()) exact += ' ';
    exact += t.exact;
  }
  common.push_back(exact);
  std::string pairs = Pairs(f.title);
  for (const auto* part : {&f.context, &f.body}) {
    const std::string p = Pairs(*part);
    if (!p.empty()) pairs += (pairs.empty() ? "" : " ") + p;
  }
  common.push_back(pairs);
  std::string tags = e.kind;  // the kind first: a query for some kinds asks for it
  for (const auto& t : e.tags) tags += " " + t;
  common.push_back(tags);
  return c_.Exec(
      "INSERT INTO search_entries(" + std::string(kCommon) +
          ", t_title, t_ctx, t_body, t_exact, t_pairs, t_tags) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (kind, "
          "ref_id) DO UPDATE SET " +
          std::string(kSet) +
          ", t_title = excluded.t_title, t_ctx = excluded.t_ctx, t_body = "
          "excluded.t_body, t_exact = excluded.t_exact, t_pairs = excluded.t_pairs, "
          "t_tags = excluded.t_tags WHERE " +
          Changed({"legal_id", "title", "number_symbol", "on_date", "type", "issuer", "state",
                   "t_title", "t_ctx", "t_body", "t_exact", "t_pairs", "t_tags"}),
      common);
}

Status Index::Remove(std::string_view kind, Id ref_id) {
  return c_.Exec("DELETE FROM search_entries WHERE kind = $1 AND ref_id = $2",
                 {std::string(kind), ref_id});
}

Status Index::BeginBulk(std::string_view kind, Id after, Id last) {
  if (c_.dialect() == Dialect::kPostgres) return Ok();
  CHY_TRY_STATUS(PutFtsRange(c_, true, kind, after, last));
  return c_.Exec("INSERT INTO search_fts_paused(paused) VALUES (1)", {});
}

Status Index::EndBulk(std::string_view kind, Id after, Id last) {
  if (c_.dialect() == Dialect::kPostgres) return Ok();
  CHY_TRY_STATUS(c_.Exec("DELETE FROM search_fts_paused", {}));
  return PutFtsRange(c_, false, kind, after, last);
}

Status Index::Optimize() {
  if (c_.dialect() == Dialect::kPostgres) return Ok();
  return c_.Exec("INSERT INTO search_fts(search_fts) VALUES ('optimize')");
}

Index::Sampled Index::Sample(const std::set<std::string>& lexemes) {
  Sampled out;
  if (c_.dialect() != Dialect::kPostgres || lexemes.empty()) return out;
  std::vector<Value> params;
  std::string in;
  for (const auto& l : lexemes) in += (in.empty() ? "" : ", ") + Bind(params, l);
  auto r = c_.Query(
      "SELECT NULL, (SELECT reltuples FROM pg_class WHERE oid = "
      "'search_entries'::regclass)::float8 UNION ALL SELECT m.elem, m.f::float8 FROM pg_stats s, "
      "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(elem, f) "
      "WHERE s.schemaname = current_schema() AND s.tablename = 'search_entries' AND "
      "s.attname = 'tsv' AND m.elem IN (" +
          in + ")",
      params);
  if (!r.ok()) return out;
  for (const auto& row : r->rows) {
    if (row.IsNull(0)) {
      out.entries = std::max(0.0, row.Real(1));
    } else {
      out.share[row.Text(0)] = row.Real(1);
    }
  }
  return out;
}

std::int64_t Index::NewestToWalk(const IndexQuery& q) {
  if (c_.dialect() != Dialect::kPostgres || !Bounded(q)) return 0;
  // What says how dense the matches are among the entries walked (the
  // typed-on last word aside): every phrase's word pairs, since an entry
  // holding the phrase holds them. Asked for one year, the walk starts at
  // that year's last entry (Where), and plain words say it too: one word
  // its own share, several their neighbouring pairs. Without a year the
  // planner walks for plain words by itself.
  std::set<std::string> keys;
  bool phrase = false;
  for (const auto& c : q.query->clauses) {
    if (c.exclude || !c.phrase) continue;
    phrase = true;
    const std::size_t n = c.words.size() - (c.prefix ? 1 : 0);
    for (std::size_t i = 1; i < n; ++i) {
      keys.insert(text::Pair(c.words[i - 1].folded, c.words[i].folded));
    }
  }
  if (!phrase && q.years.size() == 1) {
    std::vector<std::string> words;
    for (const auto& c : q.query->clauses) {
      if (!c.exclude && !c.prefix) words.push_back(c.words.front().folded);
    }
    if (words.size() == 1) keys.insert(words.front());
    for (std::size_t i = 1; i < words.size(); ++i) keys.insert(text::Pair(words[i - 1], words[i]));
  }
  const Sampled sampled = Sample(keys);
  if (keys.empty() || sampled.share.size() != keys.size()) return 0;  // one is rare
  double share = 1;
  for (const auto& [key, s] : sampled.share) share = std::min(share, s);
  // The walk reads about candidates / share entries, GIN share × entries.
  if (share <= 0 || share * share * sampled.entries < q.candidates) return 0;
  return static_cast<std::int64_t>(std::ceil(4 * q.candidates / share));
}

std::string Index::Where(const IndexQuery& q, const ReadRule& rule, std::vector<Value>& params,
                         std::string* rank, std::string* rerank, bool facets_only,
                         std::int64_t walk) {
  std::string sql;
  if (c_.dialect() == Dialect::kPostgres) {
    auto [match, scoring] = TsQueries(*q.query, q.match_all);
    // The walk: the newest entries, or the newest of the one year asked,
    // from that year's last entry on (search_entries_year finds it; the
    // planner, taking a year's entries as spread over all ids, would walk
    // every later year's first).
    std::string from = "search_entries";
    if (walk > 0) {
      std::string year;
      if (q.years.size() == 1) {
        year = "WHERE year = " + Bind(params, std::int64_t{q.years.front()}) +
               " AND id <= " + YearsLastEntry(q, params) + " ";
      }
      from = "(SELECT * FROM search_entries " + year + "ORDER BY id DESC LIMIT " +
             Bind(params, walk) + ")";
    }
    sql = " FROM " + from + " e " + rule.join + " WHERE e.tsv @@ " + Bind(params, match) +
          "::tsquery";
    // Weights D, C, B, A; divided by 1 + log(length).
    std::string any;
    for (const auto& t : scoring) any += (any.empty() ? "" : " | ") + t;
    if (rank) {
      *rank = "ts_rank('{0.5, 0.4, 0.7, 1.0}', e.tsv, " + Bind(params, any) + "::tsquery, 1)";
    }
    if (rerank && !q.match_all) {
      // Some words are there: the best by that rank are ranked again with
      // each word weighing by how rare it is (BM25's inverse document
      // frequency, counted once per query through the GIN index), so a
      // common syllable does not count as much as a rare one.
      // Document frequencies of the words (weights and phrases aside),
      // through the GIN index, in one round trip.
      // "'a':ABC <-> 'b':ABC" → 'a', 'b': weights, prefix marks and order aside.
      std::vector<std::vector<std::string>> lexemes(scoring.size());
      std::set<std::string> single;
      for (std::size_t k = 0; k < scoring.size(); ++k) {
        const std::string& t = scoring[k];
        for (std::size_t i = 0; (i = t.find('\'', i)) != std::string::npos;) {
          const std::size_t j = t.find('\'', i + 1);
          lexemes[k].push_back(t.substr(i + 1, j - i - 1));
          i = j + 1;
        }
        if (lexemes[k].size() == 1) single.insert(lexemes[k][0]);
      }
      // On a large node a common word's count reads a tenth of the entries
      // (1.6 s a question at 1 M documents): there the words among the most
      // common that ANALYZE sampled take their sampled share. Below that,
      // and for every other word (a rare one is cheap to count), the count.
      Sampled sampled;
      if (!single.empty()) sampled = Sample(single);
      if (sampled.entries < sampled_from_) sampled.share.clear();
      std::vector<Value> count_params;
      std::string counts =
          "SELECT " + (sampled.share.empty() ? std::string("(SELECT COUNT(*) FROM search_entries)")
                                             : Bind(count_params, sampled.entries) + "::float8");
      for (const auto& words : lexemes) {
        if (words.size() == 1 && sampled.share.count(words[0])) {
          counts +=
              ", " + Bind(count_params, sampled.share[words[0]] * sampled.entries) + "::float8";
          continue;
        }
        std::string all;
        for (const auto& w : words) all += (all.empty() ? "'" : " & '") + w + "'";
        counts += ", (SELECT COUNT(*) FROM search_entries WHERE tsv @@ " + Bind(count_params, all) +
                  "::tsquery)";
      }
      auto n = c_.Query(counts, count_params);
      *rerank = "(0";
      for (std::size_t k = 0; n.ok() && !n->rows.empty() && k < scoring.size(); ++k) {
        const double all = n->rows[0].Real(0);
        const double df = n->rows[0].Real(k + 1);
        const double idf = std::log(1 + (all - df + 0.5) / (df + 0.5));
        *rerank += " + " + Bind(params, idf) + " * ts_rank('{0.5, 0.4, 0.7, 1.0}', x.tsv, " +
                   Bind(params, scoring[k]) + "::tsquery, 1)";
      }
      *rerank += ")";
    }
  } else {
    // Facets need only what the index of references holds: the engine's
    // matches first, never the entries' rows (13,000 matches: 87 → 65 ms).
    sql = std::string(facets_only ? " FROM search_fts CROSS JOIN search_entries e INDEXED BY "
                                    "search_entries_refs ON e.id = search_fts.rowid "
                                  : " FROM search_fts JOIN search_entries e ON e.id = "
                                    "search_fts.rowid ") +
          rule.join + " WHERE search_fts MATCH " +
          Bind(params, FtsMatch(*q.query, q.match_all, q.kinds));
    // One year asked: the engine's matches from that year's last entry
    // down (search_entries_year finds it), not every later year's first.
    if (q.years.size() == 1) sql += " AND search_fts.rowid <= " + YearsLastEntry(q, params);
    // Title, context, body, exact spellings, pairs: pairs of words weigh
    // most (bench/search-quality.sh, docs/performance.md).
    // The kind and tags weigh nothing.
    if (rank) *rank = "-bm25(search_fts, 4.0, 2.0, 1.0, 2.0, 5.0, 0.0)";
  }
  sql += " AND (e.kind <> 'document' OR (" + rule.readable + "))";
  // People are found in the people directory, not in the search box.
  if (q.kinds.empty()) sql += " AND e.kind <> 'person'";
  if (!q.kinds.empty()) AppendIn(sql, params, "e.kind", q.kinds);
  if (!q.types.empty()) AppendIn(sql, params, "e.type", q.types);
  if (!q.issuers.empty()) AppendIn(sql, params, "e.issuer", q.issuers);
  if (!q.states.empty()) AppendIn(sql, params, "e.state", q.states);
  if (!q.years.empty()) {
    std::vector<std::int64_t> years(q.years.begin(), q.years.end());
    AppendIn(sql, params, "e.year", years);
  }
  if (!q.unit_ids.empty()) AppendIn(sql, params, rule.unit, q.unit_ids);
  if (!q.classifications.empty()) {
    std::vector<std::int64_t> c(q.classifications.begin(), q.classifications.end());
    sql += " AND e.kind = 'document'";
    AppendIn(sql, params, rule.classification, c);
  }
  if (q.legal_ids) {
    sql += " AND (e.kind = 'document'";
    if (!q.legal_ids->empty()) {
      sql += " OR (1 = 1";
      AppendIn(sql, params, "e.legal_id", *q.legal_ids);
      sql += ")";
    }
    sql += ")";
  }
  return sql;
}

std::string Index::Matching(Dialect dialect, std::string_view kind, std::string_view text,
                            std::string_view id, std::vector<Value>& params,
                            const std::vector<std::string>& narrow) {
  auto words = text::ParseQuery(text, true);
  if (!words.ok()) return "1 = 0";
  // A list's filter finds what was typed: words next to each other are one
  // phrase ("tinh gian" is "tinh giản", not "tình hình ... thời gian"), the
  // last one a prefix while typing; "phrases" and -exclusions stay as they are.
  text::ParsedQuery adjacent;
  const auto* parsed = &adjacent;
  text::QueryClause run;
  run.phrase = true;
  auto flush = [&] {
    if (run.words.size() == 1) run.phrase = false;
    if (!run.words.empty()) adjacent.clauses.push_back(run);
    run = {};
    run.phrase = true;
  };
  for (const auto& c : words->clauses) {
    if (c.exclude || c.phrase) {
      flush();
      adjacent.clauses.push_back(c);
      continue;
    }
    run.words.push_back(c.words.front());
    run.prefix = c.prefix;
  }
  flush();
  if (dialect == Dialect::kPostgres) {
    return std::string(id) + " IN (SELECT e.ref_id FROM search_entries e WHERE e.kind = " +
           Bind(params, std::string(kind)) + " AND e.tsv @@ " +
           Bind(params, TsQueries(*parsed, true).first) + "::tsquery)";
  }
  // The engine's matches first (only the list's own, when it narrows),
  // each mapped to what it refers to through the small index of
  // references. A scalar subquery, not a join: a join let the planner probe
  // the engine once per entry (30 s at 100,000 documents) or build a Bloom
  // filter over every entry (70 ms a query).
  std::string match = FtsMatch(*parsed, true, {std::string(kind)});
  for (const auto& tag : narrow) match = "(" + match + ") AND t_tags: " + FtsString(tag);
  return std::string(id) +
         " IN (SELECT (SELECT e.ref_id FROM search_entries e INDEXED BY search_entries_refs WHERE "
         "e.id = search_fts.rowid AND e.kind = " +
         Bind(params, std::string(kind)) + ") FROM search_fts WHERE search_fts MATCH " +
         Bind(params, match) + ")";
}

Result<std::vector<Hit>> Index::Find(const IndexQuery& q, const ReadRule& rule,
                                     std::vector<Value> params, bool* capped,
                                     std::int64_t* walked) {
  const std::int64_t walk = NewestToWalk(q);
  if (walked) *walked = walk;
  if (walk > 0) {
    // The newest entries walked hold fewer candidates than reckoned (the
    // phrase is rarer than its pairs): GIN's matches after all.
    bool full = false;
    CHY_TRY(auto hits, FindIn(q, rule, params, &full, walk));
    if (full) {
      if (capped) *capped = true;
      return hits;
    }
    if (walked) *walked = 0;
  }
  return FindIn(q, rule, std::move(params), capped, 0);
}

Result<std::vector<Hit>> Index::FindIn(const IndexQuery& q, const ReadRule& rule,
                                       std::vector<Value> params, bool* capped, std::int64_t walk) {
  std::string rank, rerank;
  const std::string where =
      Where(q, rule, params, &rank, q.by_date ? nullptr : &rerank, false, walk);
  const std::string columns = std::string(kHitColumns) + ", " + rule.unit + " AS unit, " +
                              rule.classification + " AS cls, " + rank + " AS score";
  std::string sql;
  const bool bounded = Bounded(q);
  if (bounded) {
    // The newest candidates (the engine walks its matches newest first and
    // stops), then the best of them by rank; the count says whether there
    // were more.
    sql =
        "SELECT id, kind, ref_id, legal_id, title, number_symbol, on_date, type, issuer, state, "
        "unit, cls, score, COUNT(*) OVER () FROM (SELECT " +
        columns + where + " ORDER BY " + NewestFirst() + " LIMIT " +
        Bind(params, std::int64_t{q.candidates}) + ") x ORDER BY score DESC, id DESC";
  } else if (!rerank.empty()) {
    // The best 100 by the engine's rank, ranked again.
    sql =
        "SELECT id, kind, ref_id, legal_id, title, number_symbol, on_date, type, issuer, state, "
        "unit, cls, " +
        rerank + " AS score FROM (SELECT " + std::string(kHitColumns) + ", e.tsv, " + rule.unit +
        " AS unit, " + rule.classification + " AS cls, " + rank + " AS first" + where +
        " ORDER BY first DESC, e.id DESC LIMIT 100) x ORDER BY score DESC, id DESC";
  } else {
    sql = "SELECT " + columns + where +
          (q.by_date ? " ORDER BY e.on_date DESC, e.id DESC" : " ORDER BY score DESC, e.id DESC");
  }
  sql += " LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 1000)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<Hit> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(HitFromRow(r));
  if (capped) *capped = bounded && !rows.rows.empty() && rows.rows[0].Int(13) >= q.candidates;
  return out;
}

Result<std::vector<FacetRow>> Index::Facets(const IndexQuery& q, const ReadRule& rule,
                                            std::vector<Value> params, std::int64_t walk) {
  const std::string where = Where(q, rule, params, nullptr, nullptr, true, walk);
  const std::string columns = "e.kind, e.type, e.issuer, e.state, e.year, " + rule.unit +
                              " AS unit, " + rule.classification + " AS cls, e.legal_id";
  std::string sql;
  if (Bounded(q)) {
    // The same newest candidates as Find's.
    sql = "SELECT kind, type, issuer, state, year, unit, cls, legal_id, COUNT(*) FROM (SELECT " +
          columns + where + " ORDER BY " + NewestFirst() + " LIMIT " +
          Bind(params, std::int64_t{q.candidates}) +
          ") x GROUP BY kind, type, issuer, state, year, unit, cls, legal_id";
  } else {
    sql = "SELECT " + columns + ", COUNT(*)" + where + " GROUP BY e.kind, e.type, e.issuer, " +
          "e.state, e.year, " + rule.unit + ", " + rule.classification + ", e.legal_id";
  }
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<FacetRow> out;
  for (const auto& r : rows.rows) {
    out.push_back(FacetFromRow(r));
    out.back().n = r.Int(8);
  }
  return out;
}

std::string Index::NewestFirst() const {
  return c_.dialect() == Dialect::kPostgres ? "e.id DESC" : "search_fts.rowid DESC";
}

Result<Index::Found> Index::Search(const IndexQuery& q, const ReadRule& rule,
                                   std::vector<Value> params, bool facets) {
  Found out;
  if (c_.dialect() != Dialect::kSqlite || q.by_date || !facets) {
    std::int64_t walked = 0;
    CHY_TRY(out.hits, Find(q, rule, params, &out.capped, &walked));
    if (facets) {
      CHY_TRY(out.facets, Facets(q, rule, std::move(params), walked));
    }
    return out;
  }
  // One pass: every readable match's facet columns and rank, through the
  // index of references (never the entries' word columns); past
  // q.candidates, the newest only.
  std::string rank;
  std::string sql = Where(q, rule, params, &rank, nullptr, true);
  const bool bounded = Bounded(q);  // by date went to Find above
  if (bounded) {
    sql += " ORDER BY " + NewestFirst() + " LIMIT " + Bind(params, std::int64_t{q.candidates});
  }
  CHY_TRY(auto rows, c_.Query("SELECT e.kind, e.type, e.issuer, e.state, e.year, " + rule.unit +
                                  ", " + rule.classification + ", e.legal_id, e.id, " + rank + sql,
                              params));
  out.capped = bounded && rows.rows.size() >= static_cast<std::size_t>(q.candidates);
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::optional<int>,
                         std::optional<Id>, Classification, std::optional<Id>>;
  std::map<Key, std::int64_t> counts;
  std::vector<std::pair<double, Id>> ranked;
  ranked.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    ranked.emplace_back(r.Real(9), r.Int(8));
    FacetRow f = FacetFromRow(r);
    ++counts[Key{std::move(f.kind), std::move(f.type), std::move(f.issuer), std::move(f.state),
                 f.year, f.unit_id, f.classification, f.legal_id}];
  }
  for (auto& [k, n] : counts) {
    FacetRow f;
    std::tie(f.kind, f.type, f.issuer, f.state, f.year, f.unit_id, f.classification, f.legal_id) =
        k;
    f.n = n;
    out.facets.push_back(std::move(f));
  }
  // The best by rank, ties newest entry first (as Find orders them).
  const std::size_t keep =
      std::min(ranked.size(), static_cast<std::size_t>(std::clamp(q.limit, 1, 1000)));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                    ranked.end(), [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second > b.second;
                    });
  ranked.resize(keep);
  if (ranked.empty()) return out;
  // Their rows only, by id.
  std::vector<Value> by_id;
  std::string in;
  for (const auto& [score, id] : ranked) in += (in.empty() ? "" : ", ") + Bind(by_id, id);
  CHY_TRY(auto hit_rows, c_.Query("SELECT " + std::string(kHitColumns) + ", " + rule.unit + ", " +
                                      rule.classification + ", 0.0 FROM search_entries e " +
                                      rule.join + " WHERE e.id IN (" + in + ")",
                                  by_id));
  std::map<Id, Hit> hits;
  for (const auto& r : hit_rows.rows) {
    Hit h = HitFromRow(r);
    hits.emplace(h.entry_id, std::move(h));
  }
  for (const auto& [score, id] : ranked) {
    auto it = hits.find(id);
    if (it == hits.end()) continue;
    it->second.score = score;
    out.hits.push_back(std::move(it->second));
  }
  return out;
}

// ---------------------------------------------------------------- legal

std::string_view ValidityName(Validity v) {
  switch (v) {
    case Validity::kNotYetInForce:
      return "not_yet_in_force";
    case Validity::kInForce:
      return "in_force";
    case Validity::kPartlyExpired:
      return "partly_expired";
    case Validity::kExpired:
      return "expired";
  }
  return "in_force";
}

std::string_view ValidityLabelVi(Validity v) {
  switch (v) {
    case Validity::kNotYetInForce:
      return "Chưa có hiệu lực";
    case Validity::kInForce:
      return "Còn hiệu lực";
    case Validity::kPartlyExpired:
      return "Hết hiệu lực một phần";
    case Validity::kExpired:
      return "Hết hiệu lực toàn bộ";
  }
  return "Còn hiệu lực";
}

std::string LegalKey(std::string_view number_symbol, std::string_view title) {
  const auto tokens = text::Tokenize(text::Nfc(number_symbol.empty() ? title : number_symbol));
  std::string key = number_symbol.empty() ? "t:" : "n:";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i) key += '-';
    key += tokens[i].folded;
  }
  return key;
}

Validity ValidityOn(const LegalDocument& d, Date day,
                    const std::vector<std::pair<LegalRelation, LegalDocument>>& incoming) {
  const auto start = d.effective_date ? d.effective_date : d.signed_date;
  if (start && day < *start) return Validity::kNotYetInForce;
  if (d.expiry_date && day >= *d.expiry_date) return Validity::kExpired;
  bool partly = d.partly_expired_date && day >= *d.partly_expired_date;
  for (const auto& [r, other] : incoming) {
    const auto from = other.effective_date ? other.effective_date : other.signed_date;
    if (!from || day < *from) continue;  // not yet in force that day
    if (r.kind == "replaces" || r.kind == "repeals") return Validity::kExpired;
    if (r.kind == "repeals_part") partly = true;
  }
  return partly ? Validity::kPartlyExpired : Validity::kInForce;
}

namespace {

constexpr std::string_view kLegalColumns =
    "id, doc_key, number_symbol, title, type_name, issuer, signer, signed_date, effective_date, "
    "expiry_date, partly_expired_date, field, source, document_id";

LegalDocument LegalFromRow(const Row& r) {
  LegalDocument d;
  d.id = r.Int(0);
  d.key = r.Text(1);
  d.number_symbol = r.Text(2);
  d.title = r.Text(3);
  d.type_name = r.Text(4);
  d.issuer = r.Text(5);
  d.signer = r.Text(6);
  d.signed_date = DateOf(r, 7);
  d.effective_date = DateOf(r, 8);
  d.expiry_date = DateOf(r, 9);
  d.partly_expired_date = DateOf(r, 10);
  d.field = r.Text(11);
  d.source = r.Text(12);
  d.document_id = r.OptInt(13);
  return d;
}

constexpr std::string_view kPartColumns = "id, legal_id, ordinal, level, number, title, body";

LegalPart PartFromRow(const Row& r) {
  return LegalPart{r.Int(0),  r.Int(1), static_cast<int>(r.Int(2)), r.Text(3), r.Text(4),
                   r.Text(5), r.Text(6)};
}

LegalRelation RelationFromRow(const Row& r) {
  return LegalRelation{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

}  // namespace

Result<Id> LegalStore::Upsert(const LegalDocument& d, Timestamp now) {
  std::vector<Value> v{d.key,
                       d.number_symbol,
                       d.title,
                       d.type_name,
                       d.issuer,
                       d.signer,
                       OptDate(d.signed_date),
                       OptDate(d.effective_date),
                       OptDate(d.expiry_date),
                       OptDate(d.partly_expired_date),
                       d.field,
                       d.source,
                       OptInt(d.document_id),
                       Micros(now)};
  return InsertedId(c_.Query(
      "INSERT INTO legal_documents(doc_key, number_symbol, title, type_name, issuer, signer, "
      "signed_date, effective_date, expiry_date, partly_expired_date, field, source, "
      "document_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
      "$11, $12, $13, $14, $14) ON CONFLICT (doc_key) DO UPDATE SET number_symbol = "
      "excluded.number_symbol, title = excluded.title, type_name = excluded.type_name, issuer = "
      "excluded.issuer, signer = excluded.signer, signed_date = excluded.signed_date, "
      "effective_date = excluded.effective_date, expiry_date = excluded.expiry_date, "
      "partly_expired_date = excluded.partly_expired_date, field = excluded.field, source = "
      "excluded.source, document_id = COALESCE(excluded.document_id, "
      "legal_documents.document_id), updated_at = excluded.updated_at RETURNING id",
      v));
}

Result<LegalDocument> LegalStore::Get(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kLegalColumns) +
                                  " FROM legal_documents WHERE id = $1",
                              {id}),
                     "Legal document"));
  return LegalFromRow(r);
}

Result<std::optional<LegalDocument>> LegalStore::ByKey(const std::string& key) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kLegalColumns) +
                                  " FROM legal_documents WHERE doc_key = $1",
                              {key}));
  if (rows.rows.empty()) return std::optional<LegalDocument>{};
  return std::optional<LegalDocument>{LegalFromRow(rows.rows.front())};
}

Result<std::vector<LegalDocument>> LegalStore::All() {
  CHY_TRY(auto rows,
          c_.Query("SELECT " + std::string(kLegalColumns) +
                       ", (SELECT COUNT(*) FROM legal_articles a WHERE a.legal_id = "
                       "legal_documents.id AND a.level = 'dieu') FROM legal_documents ORDER BY "
                       "COALESCE(signed_date, '0000') DESC, id DESC",
                   {}));
  std::vector<LegalDocument> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    out.push_back(LegalFromRow(r));
    out.back().article_count = static_cast<int>(r.Int(14));
  }
  return out;
}

Status LegalStore::ReplaceParts(Id legal_id, const std::vector<LegalPart>& parts) {
  CHY_TRY_STATUS(
      c_.Exec("DELETE FROM search_entries WHERE kind = 'article' AND legal_id = $1", {legal_id}));
  CHY_TRY_STATUS(c_.Exec("DELETE FROM legal_articles WHERE legal_id = $1", {legal_id}));
  for (const auto& p : parts) {
    CHY_TRY_STATUS(
        c_.Exec("INSERT INTO legal_articles(legal_id, ordinal, level, number, title, "
                "body) VALUES ($1, $2, $3, $4, $5, $6)",
                {legal_id, std::int64_t{p.ordinal}, p.level, p.number, p.title, p.body}));
  }
  return Ok();
}

Result<std::vector<LegalPart>> LegalStore::Parts(Id legal_id) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kPartColumns) +
                                  " FROM legal_articles WHERE legal_id = $1 ORDER BY ordinal",
                              {legal_id}));
  std::vector<LegalPart> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(PartFromRow(r));
  return out;
}

Result<LegalPart> LegalStore::Part(Id part_id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kPartColumns) +
                                  " FROM legal_articles WHERE id = $1 AND level = 'dieu'",
                              {part_id}),
                     "Article"));
  return PartFromRow(r);
}

Result<std::optional<LegalPart>> LegalStore::ArticleByNumber(Id legal_id,
                                                             const std::string& number) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kPartColumns) +
                                  " FROM legal_articles WHERE legal_id = $1 AND level = 'dieu' "
                                  "AND number = $2 ORDER BY ordinal LIMIT 1",
                              {legal_id, number}));
  if (rows.rows.empty()) return std::optional<LegalPart>{};
  return std::optional<LegalPart>{PartFromRow(rows.rows.front())};
}

Status LegalStore::AddRelation(const LegalRelation& r) {
  return c_.Exec(
      "INSERT INTO legal_relations(from_id, kind, to_key, to_number_symbol, to_title) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_id, kind, to_key) DO UPDATE SET "
      "to_number_symbol = excluded.to_number_symbol, to_title = excluded.to_title",
      {r.from_id, r.kind, r.to_key, r.to_number_symbol, r.to_title});
}

Result<std::vector<LegalRelation>> LegalStore::Relations(std::string_view where,
                                                         std::vector<Value> params) {
  CHY_TRY(auto rows, c_.Query("SELECT id, from_id, kind, to_key, to_number_symbol, to_title FROM "
                              "legal_relations" +
                                  std::string(where) + " ORDER BY id",
                              params));
  std::vector<LegalRelation> out;
  for (const auto& r : rows.rows) out.push_back(RelationFromRow(r));
  return out;
}

Result<std::vector<LegalRelation>> LegalStore::RelationsFrom(Id legal_id) {
  return Relations(" WHERE from_id = $1", {legal_id});
}

Result<std::vector<LegalRelation>> LegalStore::RelationsTo(const std::string& key) {
  return Relations(" WHERE to_key = $1", {key});
}

Result<std::vector<LegalRelation>> LegalStore::AllRelations() { return Relations("", {}); }

}  // namespace chancery::search
