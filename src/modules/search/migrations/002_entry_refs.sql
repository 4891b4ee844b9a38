-- What an entry refers to, by its id, in an index of its own: a list's text
-- filter maps the engine's matches (entry ids) to documents or people
-- through it, without reading the entries' large word columns
-- (search::Index::Matching, docs/performance.md).
CREATE INDEX IF NOT EXISTS search_entries_refs ON search_entries(id, kind, ref_id);
