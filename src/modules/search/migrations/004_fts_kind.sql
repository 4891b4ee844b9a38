-- SQLite: the engine's index holds each entry's kind as a column of its
-- own (weighing nothing in the rank), so that a query for one kind — the
-- articles of a legal question, a list's documents — is narrowed by the
-- engine before it ranks; and a pair of words is held marked ("_a_b"), so
-- that the prefix of a word being typed no longer walks every pair that
-- begins with it. The index is made again from search_entries; the work
-- is code (migrations.cc, RebuildWithKind). PostgreSQL: nothing changes.
SELECT 1;
