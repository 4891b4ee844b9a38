// The search module's schema steps (migrations/NNN_name.sql), and the
// engine's full-text index over search_entries that step 1 makes in code.
#include "modules/search/legal_import.h"
#include "modules/search/store.h"

namespace chancery::search {

namespace {

// SQLite: an FTS5 index whose content is search_entries' word columns
// (folded title, context and body; exact spellings; pairs of words), kept
// by triggers in the transaction that changes an entry (an update only when
// its words changed: a document's new state is no new words). The words are ours
// (lib/text/tokens.h), space-separated; FTS5 only splits them again.
constexpr std::string_view kSqliteIndex = R"sql(
ALTER TABLE search_entries ADD COLUMN t_title TEXT NOT NULL DEFAULT '';
ALTER TABLE search_entries ADD COLUMN t_ctx TEXT NOT NULL DEFAULT '';
ALTER TABLE search_entries ADD COLUMN t_body TEXT NOT NULL DEFAULT '';
ALTER TABLE search_entries ADD COLUMN t_exact TEXT NOT NULL DEFAULT '';
ALTER TABLE search_entries ADD COLUMN t_pairs TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE search_fts USING fts5(
  t_title, t_ctx, t_body, t_exact, t_pairs,
  content = 'search_entries', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'",
  prefix = '2 3');
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries
WHEN old.t_title IS NOT new.t_title OR old.t_ctx IS NOT new.t_ctx OR old.t_body IS NOT new.t_body
  OR old.t_exact IS NOT new.t_exact OR old.t_pairs IS NOT new.t_pairs BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs);
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs);
END;
)sql";

// PostgreSQL: one weighted tsvector per entry, written whole by the store
// (no text search configuration in between), under a GIN index.
constexpr std::string_view kPostgresIndex = R"sql(
ALTER TABLE search_entries ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv);
)sql";

// The engine's triggers over search_entries with its six word columns,
// each firing only `when` (SQL, or empty for always).
std::string TaggedTriggers(std::string_view when) {
  const std::string also = when.empty() ? "" : std::string(when) + " AND ";
  const std::string only = when.empty() ? "" : "WHEN " + std::string(when) + " ";
  return "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries " + only + R"sql(BEGIN
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs, t_tags)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs, new.t_tags);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries )sql" +
         only + R"sql(BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs, t_tags)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs,
          old.t_tags);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries
WHEN )sql" +
         also +
         R"sql((old.t_title IS NOT new.t_title OR old.t_ctx IS NOT new.t_ctx
  OR old.t_body IS NOT new.t_body OR old.t_exact IS NOT new.t_exact
  OR old.t_pairs IS NOT new.t_pairs OR old.t_tags IS NOT new.t_tags)
BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs, t_tags)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs,
          old.t_tags);
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs, t_tags)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs, new.t_tags);
END;
)sql";
}

// Step 4 (SQLite): the same index with a sixth column of tags (the entry's
// kind, then words that narrow a list: a document's register book), and
// pairs marked "_a_b" (store.cc, FtsPair), made again from the entries.
constexpr std::string_view kSqliteIndexWithTags = R"sql(
DROP TRIGGER search_entries_ai;
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_au;
DROP TABLE search_fts;
ALTER TABLE search_entries ADD COLUMN t_tags TEXT NOT NULL DEFAULT '';
UPDATE search_entries SET t_tags = kind;
UPDATE search_entries SET t_pairs = '_' || replace(t_pairs, ' ', ' _') WHERE t_pairs <> '';
CREATE VIRTUAL TABLE search_fts USING fts5(
  t_title, t_ctx, t_body, t_exact, t_pairs, t_tags,
  content = 'search_entries', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'",
  prefix = '2 3');
)sql";

// A document's register book, where the documents' table is there already
// (a node made before this step; a new one has no entries yet).
constexpr std::string_view kSqliteBookTags = R"sql(
UPDATE search_entries SET t_tags = 'document book_' || (
  SELECT d.book_id FROM documents d WHERE d.id = search_entries.ref_id)
WHERE kind = 'document' AND ref_id IN (SELECT id FROM documents WHERE book_id IS NOT NULL);
)sql";

// Step 5 (SQLite): the same triggers, each silent while search_fts_paused
// holds a row (search::Index::BeginBulk, EndBulk); and FTS5 keeps up to
// 32 MiB of a transaction's words in memory before it writes them out as a
// segment (1 MiB by default): a bulk batch of 10,000 documents is then one
// segment, not a dozen to merge (its rebuild of 100,000 entries took 1.7 s
// instead of 4.0 s). A live write's few words never come near it.
constexpr std::string_view kSqlitePausableTriggers = R"sql(
CREATE TABLE search_fts_paused (paused INTEGER PRIMARY KEY);
INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', 33554432);
DROP TRIGGER search_entries_ai;
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_au;
)sql";

Status PausableTriggers(sql::Connection& c) {
  if (c.dialect() == sql::Dialect::kPostgres) return Ok();
  return c.ExecScript(std::string(kSqlitePausableTriggers) +
                      TaggedTriggers("NOT EXISTS (SELECT 1 FROM search_fts_paused)"));
}

Status RebuildWithTags(sql::Connection& c) {
  if (c.dialect() == sql::Dialect::kPostgres) return Ok();
  CHY_TRY_STATUS(c.ExecScript(std::string(kSqliteIndexWithTags) + TaggedTriggers("")));
  CHY_TRY(auto documents,
          c.Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
                  {}));
  if (documents.rows.at(0).Int(0) > 0) CHY_TRY_STATUS(c.ExecScript(kSqliteBookTags));
  return c.ExecScript(
      "INSERT INTO search_fts(search_fts) VALUES ('rebuild');"
      "INSERT INTO search_fts(search_fts) VALUES ('optimize');");
}

Status YearIndex(sql::Connection& c) {
  return c.ExecScript("CREATE INDEX search_entries_year ON search_entries(year, id);");
}

Status CreateIndex(sql::Connection& c) {
  CHY_TRY_STATUS(
      c.ExecScript(c.dialect() == sql::Dialect::kPostgres ? kPostgresIndex : kSqliteIndex));
  return c.ExecScript("CREATE INDEX search_entries_legal ON search_entries(legal_id, kind);");
}

}  // namespace

sql::ModuleMigrations Migrations() {
  sql::ModuleMigrations m{"search",
                          {
#include "migrations/search.inc"
                          }};
  for (auto& step : m.steps) {
    if (step.number == 1) step.code = CreateIndex;
    if (step.number == 3) step.code = IndexDefinedTerms;
    if (step.number == 4) step.code = RebuildWithTags;
    if (step.number == 5) step.code = PausableTriggers;
    if (step.number == 6) step.code = YearIndex;
  }
  return m;
}

}  // namespace chancery::search
