-- Files' text is read in the background, off the request that brought the
-- file (services::Core::QueueFileText, ReadQueuedFileTexts): a new PDF or
-- DOCX gets a `pending` row in file_texts, and the reader finds the
-- documents holding that content by its hash to put their entries again.
CREATE INDEX IF NOT EXISTS file_texts_pending ON file_texts(state, read_at);
CREATE INDEX IF NOT EXISTS attachments_sha256 ON attachments(sha256);
CREATE INDEX IF NOT EXISTS document_versions_sha256 ON document_versions(sha256);
