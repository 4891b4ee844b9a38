-- PostgreSQL: the entries of a year in id order (search_entries_year), so
-- that a search filtered by one year can walk that year's newest entries
-- from the year's last one instead of reading every match of its words
-- (search::Index::NewestToWalk; docs/search.md, "Many matches"). The work
-- is code (migrations.cc, YearIndex). SQLite: nothing changes (its engine
-- walks its own matches).
SELECT 1;
