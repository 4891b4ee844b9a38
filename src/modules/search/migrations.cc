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

// Step 4 (SQLite): the same index with the entries' kind as a sixth column,
// and pairs marked "_a_b" (store.cc, FtsPair), made again from the entries.
constexpr std::string_view kSqliteIndexWithKind = R"sql(
DROP TRIGGER search_entries_ai;
DROP TRIGGER search_entries_ad;
DROP TRIGGER search_entries_au;
DROP TABLE search_fts;
UPDATE search_entries SET t_pairs = '_' || replace(t_pairs, ' ', ' _') WHERE t_pairs <> '';
CREATE VIRTUAL TABLE search_fts USING fts5(
  t_title, t_ctx, t_body, t_exact, t_pairs, kind,
  content = 'search_entries', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'",
  prefix = '2 3');
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs, kind)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs, new.kind);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs, kind)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs, old.kind);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries
WHEN old.t_title IS NOT new.t_title OR old.t_ctx IS NOT new.t_ctx OR old.t_body IS NOT new.t_body
  OR old.t_exact IS NOT new.t_exact OR old.t_pairs IS NOT new.t_pairs OR old.kind IS NOT new.kind
BEGIN
  INSERT INTO search_fts(search_fts, rowid, t_title, t_ctx, t_body, t_exact, t_pairs, kind)
  VALUES ('delete', old.id, old.t_title, old.t_ctx, old.t_body, old.t_exact, old.t_pairs, old.kind);
  INSERT INTO search_fts(rowid, t_title, t_ctx, t_body, t_exact, t_pairs, kind)
  VALUES (new.id, new.t_title, new.t_ctx, new.t_body, new.t_exact, new.t_pairs, new.kind);
END;
INSERT INTO search_fts(search_fts) VALUES ('rebuild');
INSERT INTO search_fts(search_fts) VALUES ('optimize');
)sql";

Status RebuildWithKind(sql::Connection& c) {
  if (c.dialect() == sql::Dialect::kPostgres) return Ok();
  return c.ExecScript(kSqliteIndexWithKind);
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
    if (step.number == 4) step.code = RebuildWithKind;
  }
  return m;
}

}  // namespace chancery::search
