-- What an entry refers to and its facets, by its id, in an index of its
-- own: a list's text filter maps the engine's matches (entry ids) to
-- documents or people, and the search box counts its facets, without
-- reading the entries' large word columns (search::Index::Matching and
-- Facets, docs/performance.md).
CREATE INDEX IF NOT EXISTS search_entries_refs
  ON search_entries(id, kind, ref_id, legal_id, year, type, issuer, state);
