-- The text of documents' files (a PDF's text layer, a DOCX's paragraphs;
-- lib/extract), read once per content and kept by its hash, so that a
-- document's search entry holds what its files say. `state` is 'read', or
-- the reader's refusal (file_encrypted, file_unreadable, ...) with no text,
-- so that no file is read twice. Filled outside the transaction that
-- attaches the file (services::Core::QueueFileText; read later since 005); the attaching
-- transaction puts the document's entry again with it.
CREATE TABLE IF NOT EXISTS file_texts (
  sha256 TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  text TEXT NOT NULL,
  read_at BIGINT NOT NULL
);
