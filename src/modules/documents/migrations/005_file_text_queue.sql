-- Files' text is read in the background, off the request that brought the
-- file (services::Core::QueueFileText, ReadQueuedFileTexts): a new PDF or
-- DOCX gets a `pending` row in file_texts, and the reader finds the
-- documents holding that content by its hash to put their entries again.
CREATE INDEX IF NOT EXISTS file_texts_pending ON file_texts(state, read_at);
CREATE INDEX IF NOT EXISTS attachments_sha256 ON attachments(sha256);
CREATE INDEX IF NOT EXISTS document_versions_sha256 ON document_versions(sha256);
-- Files stored before their text was read (or whose reading failed then)
-- are queued now; the reader finds which of them are PDF or DOCX.
INSERT INTO file_texts(sha256, state, text, read_at)
  SELECT f.sha256, 'pending', '', 0
  FROM (SELECT sha256 FROM attachments UNION SELECT sha256 FROM document_versions) AS f
  WHERE true
ON CONFLICT (sha256) DO NOTHING;
