-- Generates a realistic data set into a Chancery node's SQLite database that
-- already holds the demo data (`chancery init` + `chancery demo`).
-- bench/run.sh replaces :N with the number of documents (default 1,000,000).
--
-- 500 units in three levels under the demo's root (ministry → 24 agencies →
-- 476 departments), documents spread over 2024–2026 and over every unit: 55 %
-- incoming (registered with yearly arrival numbers in their unit's register
-- book; most assigned with a working-day deadline, a share of them overdue,
-- most completed or filed), 45 % outgoing (numbered and issued, some drafts).
-- Demo people get their share: the specialist `chuyenvien` leads about 1 %
-- of the assignments, so "my inbox" is measured on real volume.
-- The audit log is not filled (it is not read by the measured queries).
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -262144;

BEGIN;
CREATE TEMP TABLE seq(n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :N)
INSERT INTO seq SELECT n FROM c;

CREATE TEMP TABLE demo AS SELECT (SELECT max(id) FROM units) AS unit_max,
                                 (SELECT coalesce(max(id), 0) FROM documents) AS doc_max;

-- Units: 24 agencies under the root, then departments under them (500 in all).
INSERT INTO units(name, abbreviation, agency_code, parent_id, issues_documents, active)
SELECT 'Cục ' || n, 'C' || n, '000.00.' || printf('%02d', n) || '.G12',
       (SELECT min(id) FROM units), 1, 1
FROM seq WHERE n <= 24;
INSERT INTO units(name, abbreviation, agency_code, parent_id, issues_documents, active)
SELECT 'Phòng ' || n, 'P' || n, '', (SELECT id FROM units WHERE abbreviation = 'C' || (1 + n % 24)),
       1, 1
FROM seq WHERE n <= 500 - 24;
INSERT INTO unit_history(unit_id, valid_from, name, abbreviation, parent_id, active)
SELECT id, '2024-01-01', name, abbreviation, parent_id, 1 FROM units
WHERE id NOT IN (SELECT unit_id FROM unit_history);

-- Generated documents go to generated units (their books are the generator's own).
CREATE TEMP TABLE u(k INTEGER PRIMARY KEY, id INTEGER);
INSERT INTO u SELECT row_number() OVER (ORDER BY id) - 1, id FROM units
  WHERE id > (SELECT unit_max FROM demo);
CREATE TEMP TABLE people(k INTEGER PRIMARY KEY, id INTEGER);
INSERT INTO people SELECT row_number() OVER (ORDER BY id) - 1, id FROM users;
CREATE TEMP TABLE g0 AS
SELECT n,
       abs(random()) % 100 AS kind,             -- < 55 incoming
       abs(random()) % (SELECT count(*) FROM u) AS uk,
       2024 + abs(random()) % 3 AS year,
       1 + abs(random()) % 12 AS month,
       1 + abs(random()) % 28 AS day,
       abs(random()) % 100 AS fate,
       abs(random()) % 8 AS topic
FROM seq;
CREATE TEMP TABLE g AS SELECT g0.*, u.id AS unit_id FROM g0 JOIN u ON u.k = g0.uk;

-- One incoming register book per unit and year.
INSERT OR IGNORE INTO register_books(unit_id, original_unit_id, kind, year)
SELECT DISTINCT unit_id, unit_id, 'incoming', year FROM g WHERE kind < 55;
INSERT OR IGNORE INTO register_books(unit_id, original_unit_id, kind, year)
SELECT DISTINCT unit_id, unit_id, 'outgoing', year FROM g WHERE kind >= 55;

CREATE TEMP TABLE topics(k INTEGER PRIMARY KEY, subject TEXT, folded TEXT, issuer TEXT, sym TEXT);
INSERT INTO topics VALUES
 (0, 'Về việc triển khai chuyển đổi số năm ', 've viec trien khai chuyen doi so nam ', 'Bộ Thông tin và Truyền thông', 'BTTTT-CĐS'),
 (1, 'Về việc lập dự toán ngân sách năm ', 've viec lap du toan ngan sach nam ', 'Bộ Tài chính', 'BTC-NSNN'),
 (2, 'Về việc hướng dẫn công tác văn thư, lưu trữ năm ', 've viec huong dan cong tac van thu, luu tru nam ', 'Bộ Nội vụ', 'BNV-VTLTNN'),
 (3, 'Về việc đôn đốc cải cách thủ tục hành chính năm ', 've viec don doc cai cach thu tuc hanh chinh nam ', 'Văn phòng Chính phủ', 'VPCP-KSTT'),
 (4, 'Về việc bảo đảm an toàn thông tin mạng năm ', 've viec bao dam an toan thong tin mang nam ', 'Bộ Công an', 'BCA-A05'),
 (5, 'Kế hoạch huấn luyện, diễn tập năm ', 'ke hoach huan luyen, dien tap nam ', 'Bộ Tổng Tham mưu', 'BTTM-TC'),
 (6, 'Về việc tổng kết công tác thi đua, khen thưởng năm ', 've viec tong ket cong tac thi dua, khen thuong nam ', 'Tổng cục Chính trị', 'TCCT-TĐKT'),
 (7, 'Báo cáo tình hình thực hiện nhiệm vụ quý ', 'bao cao tinh hinh thuc hien nhiem vu quy ', 'Ủy ban nhân dân tỉnh Lào Cai', 'UBND-VP');

INSERT INTO documents(direction, state, unit_id, created_by, type_code, subject, subject_fold,
  urgency, classification, legal_normative, number, number_year, series, number_symbol,
  issued_date, book_id, issuer_name, original_number_symbol, original_date, arrival_number,
  arrival_date, deadline, created_at, updated_at)
SELECT
  CASE WHEN g.kind < 55 THEN 'incoming' ELSE 'outgoing' END,
  CASE WHEN g.kind < 55 THEN
         CASE WHEN g.fate < 8 THEN 'assigned' WHEN g.fate < 14 THEN 'in_progress'
              WHEN g.fate < 16 THEN 'registered' WHEN g.fate < 60 THEN 'completed' ELSE 'filed' END
       ELSE CASE WHEN g.fate < 5 THEN 'draft' WHEN g.fate < 7 THEN 'in_review' ELSE 'issued' END END,
  g.unit_id, NULL,
  CASE WHEN g.kind < 55 THEN '' ELSE (CASE g.topic % 4 WHEN 0 THEN 'QĐ' WHEN 1 THEN 'KH' WHEN 2 THEN 'TB' ELSE '' END) END,
  t.subject || g.year, t.folded || g.year,
  CASE WHEN g.fate % 10 = 0 THEN 1 ELSE 0 END,
  CASE WHEN g.fate % 25 = 0 THEN 1 ELSE 0 END, 0,
  NULL, NULL, '', '', NULL,
  (SELECT id FROM register_books b WHERE b.original_unit_id = g.unit_id AND b.year = g.year AND
     b.kind = CASE WHEN g.kind < 55 THEN 'incoming' ELSE 'outgoing' END),
  CASE WHEN g.kind < 55 THEN t.issuer ELSE '' END,
  CASE WHEN g.kind < 55 THEN (g.n % 9000 + 1) || '/' || t.sym ELSE '' END,
  printf('%04d-%02d-%02d', g.year, g.month, g.day),
  NULL,
  CASE WHEN g.kind < 55 THEN printf('%04d-%02d-%02d', g.year, g.month, g.day) END,
  CASE WHEN g.kind < 55 AND g.fate < 14 THEN
         printf('%04d-%02d-%02d', CASE WHEN g.fate < 4 THEN g.year ELSE 2027 END, g.month, g.day) END,
  (strftime('%s', printf('%04d-%02d-%02d', g.year, g.month, g.day)) * 1000000),
  (strftime('%s', printf('%04d-%02d-%02d', g.year, g.month, g.day)) * 1000000)
FROM g JOIN topics t ON t.k = g.topic
ORDER BY g.year, g.month, g.day, g.n;

-- Numbers: arrival numbers per incoming book, document numbers per outgoing
-- book (not for drafts), in date order, gap-free.
CREATE TEMP TABLE numbered(id INTEGER PRIMARY KEY, num INTEGER);
INSERT INTO numbered
SELECT id, row_number() OVER (PARTITION BY book_id ORDER BY id) AS num
FROM documents WHERE book_id IS NOT NULL AND state NOT IN ('draft', 'in_review')
  AND id > (SELECT doc_max FROM demo);
UPDATE documents SET arrival_number = (SELECT num FROM numbered WHERE numbered.id = documents.id)
WHERE direction = 'incoming' AND book_id IS NOT NULL AND id > (SELECT doc_max FROM demo);
UPDATE documents SET number = (SELECT num FROM numbered WHERE numbered.id = documents.id),
       number_year = CAST(substr(original_date, 1, 4) AS INTEGER), series = 'regular',
       issued_date = original_date, original_date = NULL
WHERE direction = 'outgoing' AND book_id IS NOT NULL AND state NOT IN ('draft', 'in_review')
  AND id > (SELECT doc_max FROM demo);
UPDATE documents SET book_id = NULL WHERE state IN ('draft', 'in_review')
  AND id > (SELECT doc_max FROM demo);
UPDATE documents SET number_symbol = number || '/' ||
       CASE WHEN type_code = '' THEN (SELECT abbreviation FROM units WHERE id = unit_id)
            ELSE type_code || '-' || (SELECT abbreviation FROM units WHERE id = unit_id) END
WHERE number IS NOT NULL AND id > (SELECT doc_max FROM demo);

-- The counters continue after the generated numbers.
INSERT OR REPLACE INTO number_series(unit_id, year, series, last_number)
SELECT b.unit_id, b.year, CASE b.kind WHEN 'incoming' THEN 'arrival' ELSE 'regular' END,
       max(coalesce(d.arrival_number, d.number))
FROM documents d JOIN register_books b ON b.id = d.book_id
WHERE coalesce(d.arrival_number, d.number) IS NOT NULL AND d.id > (SELECT doc_max FROM demo)
GROUP BY b.unit_id, b.year, b.kind;

-- Assignments of the incoming documents that were assigned (open or done).
INSERT INTO assignments(document_id, lead_unit_id, lead_user_id, deadline, directive, state,
                        assigned_by, created_at, completed_at)
SELECT d.id, d.unit_id,
       CASE WHEN d.id % 100 = 0 THEN (SELECT id FROM users WHERE username = 'chuyenvien')
            ELSE (SELECT id FROM people WHERE k = d.id % (SELECT count(*) FROM people)) END,
       coalesce(d.deadline, d.arrival_date), 'Đề nghị nghiên cứu, tham mưu xử lý.',
       CASE WHEN d.state IN ('assigned', 'in_progress') THEN 'open' ELSE 'done' END,
       (SELECT id FROM users WHERE username = 'thutruong'), d.created_at,
       CASE WHEN d.state IN ('assigned', 'in_progress') THEN NULL ELSE d.updated_at END
FROM documents d
WHERE d.direction = 'incoming' AND d.state IN ('assigned', 'in_progress', 'completed', 'filed')
  AND d.book_id IS NOT NULL AND d.id > (SELECT doc_max FROM demo);
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
