-- The leader's workload chart (lists.cc) counts open work per unit: every
-- open top-level assignment of a document being handled, by the unit that
-- leads it (the lead unit, or the lead person's unit), the document's
-- classification and the deadline (the assignment's, else the document's;
-- '' when there is none). Counting that over every open assignment joined
-- to its document grew with the data (57 ms p99 at 200,000 documents);
-- these counters are kept by triggers (migrations.cc) in the transaction
-- of each change, so the chart reads a few rows per unit. A row whose count
-- fell to 0 stays. Stored in key order on SQLite: a unit's rows are read
-- as one run (a third of the time of a rowid table at 1 M documents).
CREATE TABLE IF NOT EXISTS open_work (
  unit_id BIGINT NOT NULL,
  classification INTEGER NOT NULL,
  deadline TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (unit_id, classification, deadline)
) {{WITHOUT_ROWID}};

INSERT INTO open_work(unit_id, classification, deadline, n)
SELECT COALESCE(a.lead_unit_id, p.unit_id), d.classification,
       COALESCE(a.deadline, d.deadline, ''), COUNT(*)
FROM assignments a JOIN documents d ON d.id = a.document_id
LEFT JOIN users p ON p.id = a.lead_user_id
WHERE a.state = 'open' AND a.parent_id IS NULL AND d.state IN ('assigned', 'in_progress')
  AND COALESCE(a.lead_unit_id, p.unit_id) IS NOT NULL
GROUP BY COALESCE(a.lead_unit_id, p.unit_id), d.classification, COALESCE(a.deadline, d.deadline, '');
