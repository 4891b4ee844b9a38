-- An article that explains the text's terms ("Giải thích từ ngữ") has its
-- defined terms indexed with its title (search::DefinedTerms): the articles
-- of every stored legal document are indexed again. The work is code
-- (migrations.cc, IndexDefinedTerms).
SELECT 1;
