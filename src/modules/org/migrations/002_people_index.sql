-- Every person gets an entry of kind 'person' in the search index (the
-- search module's step 1 made it), found by the people directory's text
-- filter; from now on the store puts a person's entry in the transaction
-- that changes them. The work is code (migrations.cc, IndexAllPeople).
SELECT 1;
