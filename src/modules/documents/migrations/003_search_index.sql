-- Every document already stored gets its entry in the search index (the
-- search module's step 1 made it); from now on the store puts a document's
-- entry in the transaction that changes the document. The work is code:
-- the words are cut by lib/text (migrations.cc, IndexAllDocuments).
SELECT 1;
