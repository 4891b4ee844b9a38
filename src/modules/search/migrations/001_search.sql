-- The search module's tables: one index entry per searchable thing (a
-- document, a legal document, an article of one), and the legal-documents
-- database (văn bản pháp luật). The engine's own index over the entries —
-- FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL — is made by
-- this step's code (migrations.cc), since the two differ.

-- What a hit shows and what facets count. Who may see a document's entry is
-- never stored here: the query joins the document itself (its unit and
-- classification as they are now), so a moved or reclassified document is
-- found by exactly those who may read it.
CREATE TABLE search_entries (
  id {{ID}},
  kind TEXT NOT NULL,              -- 'document', 'legal', 'article'
  ref_id BIGINT NOT NULL,          -- documents.id, legal_documents.id, legal_articles.id
  legal_id BIGINT,                 -- legal, article: the legal document
  title TEXT NOT NULL,
  number_symbol TEXT NOT NULL DEFAULT '',
  on_date TEXT,                    -- 'YYYY-MM-DD': signed, issued or arrived
  year INTEGER,
  type TEXT NOT NULL DEFAULT '',   -- a document's type code; a legal document's type name
  issuer TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, ref_id)
);

CREATE TABLE legal_documents (
  id {{ID}},
  doc_key TEXT NOT NULL UNIQUE,    -- folded number/symbol, or folded title without one
  number_symbol TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  type_name TEXT NOT NULL DEFAULT '',   -- Luật, Nghị định, Thông tư ...
  issuer TEXT NOT NULL DEFAULT '',
  signer TEXT NOT NULL DEFAULT '',
  signed_date TEXT,
  effective_date TEXT,
  expiry_date TEXT,                -- hết hiệu lực toàn bộ from this day
  partly_expired_date TEXT,        -- hết hiệu lực một phần from this day
  field TEXT NOT NULL DEFAULT '',  -- lĩnh vực
  source TEXT NOT NULL DEFAULT '', -- the file it was imported from
  document_id BIGINT,              -- issued by this node: the document
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Phần, Chương, Mục and Điều in reading order; an Điều row is an article.
CREATE TABLE legal_articles (
  id {{ID}},
  legal_id BIGINT NOT NULL REFERENCES legal_documents(id),
  ordinal INTEGER NOT NULL,
  level TEXT NOT NULL,             -- 'phan', 'chuong', 'muc', 'dieu'
  number TEXT NOT NULL,            -- 'I', '2', '5a'
  title TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',   -- an article's text (khoản, điểm inside)
  UNIQUE (legal_id, ordinal)
);
CREATE INDEX legal_articles_number ON legal_articles(legal_id, level, number);

-- căn cứ, hướng dẫn, sửa đổi bổ sung, thay thế, bãi bỏ, hợp nhất: from one
-- document to another, named by its key so that the other may arrive later.
CREATE TABLE legal_relations (
  id {{ID}},
  from_id BIGINT NOT NULL REFERENCES legal_documents(id),
  kind TEXT NOT NULL,
  to_key TEXT NOT NULL,
  to_number_symbol TEXT NOT NULL DEFAULT '',
  to_title TEXT NOT NULL DEFAULT '',
  UNIQUE (from_id, kind, to_key)
);
CREATE INDEX legal_relations_to ON legal_relations(to_key);
