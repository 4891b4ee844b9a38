-- SQLite: the engine's triggers can be paused inside one transaction, so
-- that a bulk write (`chancery index rebuild`) puts its entries into the
-- engine's index in one statement per batch instead of one trigger a row
-- (search::Index::BeginBulk and EndBulk; ten times faster at 100,000
-- documents, docs/performance.md). A row in search_fts_paused pauses them;
-- it never outlives the transaction that wrote it. The work is code
-- (migrations.cc, PausableTriggers). PostgreSQL: nothing changes.
SELECT 1;
