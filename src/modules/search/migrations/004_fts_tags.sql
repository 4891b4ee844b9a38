-- SQLite: the engine's index holds each entry's kind, and tags that
-- narrow a list to its own entries (a document's register book, "book_12"),
-- as a column of their own that weighs nothing in the rank. A query for one
-- kind (the articles of a legal question) or a register book's text filter
-- is then narrowed by the engine before anything is ranked or mapped. A
-- pair of words is held marked ("_a_b"), so that the prefix of a word being
-- typed no longer walks every pair that begins with it. The index is made
-- again from search_entries; the work is code (migrations.cc,
-- RebuildWithTags). PostgreSQL: nothing changes.
SELECT 1;
