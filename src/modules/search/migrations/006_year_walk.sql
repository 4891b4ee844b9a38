-- The entries of a year in id order (search_entries_year), so that a search
-- filtered by one year starts at that year's last entry instead of going
-- through every later year's matches first (search::Index::Where; on
-- PostgreSQL also NewestToWalk; docs/search.md, "Many matches"). The work
-- is code (migrations.cc, YearIndex).
SELECT 1;
