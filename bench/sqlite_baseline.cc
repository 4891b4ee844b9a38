// chancery-bench-sqlite: the reference for durable writes. A plain loop of
// single-row INSERTs, one transaction each, into a table shaped like
// `documents`, WAL with synchronous=FULL as the node uses it.
//   chancery-bench-sqlite FILE SECONDS
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE SECONDS\n", argv[0]);
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
