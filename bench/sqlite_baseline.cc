// chancery-bench-sqlite: references for the node's writes.
//   chancery-bench-sqlite FILE SECONDS
//     durable writes: a plain loop of single-row INSERTs, one transaction
//     each, into a table shaped like `documents`, WAL with synchronous=FULL
//     as the node uses it;
//   chancery-bench-sqlite --fts SOURCE.db FILE
//     indexing: the documents of a node's database (subject, numbers,
//     issuer, signer, notes) inserted one row at a time into a plain FTS5
//     table (SQLite's own tokenizer, diacritics removed), in one transaction
//     as `chancery index rebuild` writes its index.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

int FtsLoop(const char* source, const char* file) {
  std::remove(file);
  sqlite3* src = nullptr;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(source, &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
  if (sqlite3_open(file, &db) != SQLITE_OK) return 1;
  if (sqlite3_exec(db,
                   "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                   "CREATE VIRTUAL TABLE docs USING fts5(subject, numbers, people, notes, "
                   "tokenize = 'unicode61 remove_diacritics 2');",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return 1;
  }
  sqlite3_stmt* read = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(src,
                     "SELECT id, subject, coalesce(number_symbol, '') || ' ' || "
                     "coalesce(original_number_symbol, ''), coalesce(issuer_name, '') || ' ' || "
                     "coalesce(signer_name, ''), coalesce(notes, '') FROM documents ORDER BY id",
                     -1, &read, nullptr);
  sqlite3_prepare_v2(
      db, "INSERT INTO docs(rowid, subject, numbers, people, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
      -1, &insert, nullptr);
  const auto start = std::chrono::steady_clock::now();
  long rows = 0;
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  while (sqlite3_step(read) == SQLITE_ROW) {
    sqlite3_bind_int64(insert, 1, sqlite3_column_int64(read, 0));
    for (int i = 1; i <= 4; ++i) {
      sqlite3_bind_text(insert, i + 1, reinterpret_cast<const char*>(sqlite3_column_text(read, i)),
                        -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(insert) != SQLITE_DONE) return 1;
    sqlite3_reset(insert);
    ++rows;
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return 1;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fts5-insert-loop rows=%ld seconds=%.2f rows_per_s=%.1f\n", rows, elapsed,
              rows / elapsed);
  sqlite3_finalize(read);
  sqlite3_finalize(insert);
  sqlite3_close(src);
  sqlite3_close(db);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--fts") return FtsLoop(argv[2], argv[3]);
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE SECONDS | --fts SOURCE.db FILE\n", argv[0]);
    return 2;
  }
  std::remove(argv[1]);
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  const char* setup =
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
      "CREATE TABLE documents (id INTEGER PRIMARY KEY, direction TEXT NOT NULL, state TEXT NOT "
      "NULL, unit_id INTEGER NOT NULL, subject TEXT NOT NULL, subject_fold TEXT NOT NULL, "
      "issuer_name TEXT, original_number_symbol TEXT, arrival_number INTEGER, created_at "
      "INTEGER, updated_at INTEGER, version INTEGER NOT NULL DEFAULT 1);"
      "CREATE INDEX documents_unit_state ON documents(unit_id, state, id);";
  if (sqlite3_exec(db, setup, nullptr, nullptr, nullptr) != SQLITE_OK) return 1;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO documents(direction, state, unit_id, subject, subject_fold, "
                     "issuer_name, original_number_symbol, arrival_number, created_at, "
                     "updated_at) VALUES ('incoming', 'registered', 1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                     -1, &insert, nullptr);
  const double seconds = std::atof(argv[2]);
  const auto start = std::chrono::steady_clock::now();
  long rows = 0;
  const std::string subject = "Về việc hướng dẫn quy trình lập hồ sơ điện tử năm 2026";
  const std::string folded = "ve viec huong dan quy trinh lap ho so dien tu nam 2026";
  double elapsed = 0;
  while (elapsed < seconds) {
    const std::string symbol = std::to_string(rows) + "/SNV-VP";
    sqlite3_bind_text(insert, 1, subject.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, folded.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, "Sở Nội vụ tỉnh Bắc Ninh", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, symbol.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 5, rows + 1);
    sqlite3_bind_int64(insert, 6, rows);
    if (sqlite3_step(insert) != SQLITE_DONE) return 1;
    sqlite3_reset(insert);
    ++rows;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::printf("sqlite-insert-loop rows=%ld seconds=%.2f rows_per_s=%.1f\n", rows, elapsed,
              rows / elapsed);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}
