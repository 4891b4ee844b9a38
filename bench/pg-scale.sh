#!/usr/bin/env bash
# The search part of bench/run.sh on PostgreSQL, on the same data:
#   BUILD=build N=100000 RUNS=3 bench/pg-scale.sh
# Takes the SQLite data set bench/run.sh made for N documents (the newest
# ready var/bench/n$N-*-pristine, or SQLITE_DB=path/to/chancery.db), makes a
# node on a private PostgreSQL of scripts/pg.sh (fsync on, its defaults)
# with the same demo, copies the rows bench/generate.sql added, indexes them
# (`chancery index rebuild`, timed), loads the legal corpus, VACUUM ANALYZE,
# starts `chancery serve` on it and measures, each RUNS times (medians):
#   p50/p99 of run.sh's search queries, register-book text filter and people
#   search (one person asking; the search queries also 16 at once); indexing
#   throughput; the search index's size against the database's.
# Results: stdout and $REPORT (bench/results/pg-scale.md).
# SKIP_BUILD=1 uses the binaries in $BUILD as they are. KEEP=1 leaves the
# PostgreSQL and the node's folder for a look at the plans afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-100000}
RUNS=${RUNS:-3}
BUILD=${BUILD:-build-bench}
REPORT=${REPORT:-bench/results/pg-scale.md}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null 2>&1
  cmake --build "$BUILD" --target chancery chancery-bench-load >/dev/null
fi
bin=$root/$BUILD/src/app/chancery
load=$root/$BUILD/bench/chancery-bench-load

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
die() { echo "pg-scale: $*" >&2; exit 1; }

# ---- the SQLite data set
if [ -n "${SQLITE_DB:-}" ]; then
  src_db=$SQLITE_DB
else
  ready=""
  for f in var/bench/n"$N"-*-pristine/ready; do
    [ -f "$f" ] || continue
    if [ -z "$ready" ] || [ "$f" -nt "$ready" ]; then ready=$f; fi
  done
  [ -n "$ready" ] || die "no data set of $N documents in var/bench: run N=$N bench/run.sh first, or set SQLITE_DB"
  src_db=$(dirname "$ready")/chancery.db
fi
[ -f "$src_db" ] || die "$src_db: no such file"
# Read as it is on disk (no locks, no -shm): run.sh checkpoints its data sets.
[ -s "$src_db-wal" ] && die "$src_db has a WAL to checkpoint first"
src_db=$(realpath "$src_db")
src_uri="file:$src_db?immutable=1"
sq() { sqlite3 -bail -batch "$src_uri" "$1"; }

# ---- PostgreSQL and a node on it with the demo
work=$(mktemp -d)
conninfo=""
chmod 755 "$work"  # the PostgreSQL server runs as another user when this runs as root
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then
    echo "pg-scale: kept $work; its PostgreSQL: $conninfo (stop: bash scripts/pg.sh stop $work/pg)" >&2
    return
  fi
  bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
conninfo=$(bash scripts/pg.sh start "$work/pg" | tail -1)
pg() { psql "$conninfo" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
"$bin" init "$work/node" --db "$conninfo" >/dev/null
"$bin" demo "$work/node" >/dev/null

# ---- copy the generator's rows
# The demo's rows are the first ones of each table on both sides; those
# after them on SQLite are the generator's. They get ids after
# PostgreSQL's own (its sequences also count inserts that did nothing, so
# the demo's ids may differ: register books), and every reference among
# them moves with them.
declare -A sq_demo pg_max
for t in units unit_history register_books documents assignments users; do
  n=$(pg -c "SELECT count(*) FROM $t")
  sq_demo[$t]=0
  [ "$n" -gt 0 ] && sq_demo[$t]=$(sq "SELECT coalesce((SELECT id FROM $t ORDER BY id LIMIT 1 OFFSET $n - 1), 0)")
  pg_max[$t]=$(pg -c "SELECT coalesce(max(id), 0) FROM $t")
done
# The generator's rows refer to the demo's units and users by id.
for check in "units|id, name, abbreviation, parent_id" "users|id, username, unit_id"; do
  IFS='|' read -r t cols <<<"$check"
  [ "$(sq "SELECT $cols FROM $t WHERE id <= ${sq_demo[$t]} ORDER BY id")" = \
    "$(pg -c "SELECT $cols FROM $t ORDER BY id")" ] || die "the demo's $t differ between $src_db and PostgreSQL"
done
# Each generated row belongs to a generated unit or document, each demo row to a demo one.
for check in "unit_history|id|unit_id|units" "register_books|id|original_unit_id|units" \
  "documents|id|unit_id|units" "assignments|id|document_id|documents"; do
  IFS='|' read -r t id owner of <<<"$check"
  mixed=$(sq "SELECT count(*) FROM $t WHERE ($id > ${sq_demo[$t]}) <> ($owner > ${sq_demo[$of]})")
  [ "$mixed" = 0 ] || die "$t: $mixed rows do not follow the demo/generator split"
done

# The SQLite value of a column that refers to table $2, as PostgreSQL's id.
map() { echo "(CASE WHEN $1 > ${sq_demo[$2]} THEN $1 - ${sq_demo[$2]} + ${pg_max[$2]} ELSE $1 END)"; }
declare -A refs=(
  [units.id]=units [units.parent_id]=units [units.successor_id]=units
  [unit_history.id]=unit_history [unit_history.unit_id]=units [unit_history.parent_id]=units
  [register_books.id]=register_books [register_books.unit_id]=units [register_books.original_unit_id]=units
  [number_series.unit_id]=units
  [documents.id]=documents [documents.unit_id]=units [documents.book_id]=register_books
  [documents.created_by]=users [documents.source_document_id]=documents [documents.reply_to_id]=documents
  [documents.replaces_id]=documents [documents.corrects_id]=documents
  [assignments.id]=assignments [assignments.document_id]=documents [assignments.parent_id]=assignments
  [assignments.lead_unit_id]=units [assignments.lead_user_id]=users [assignments.assigned_by]=users
)
# $1: table, $2: which of its SQLite rows. The columns both sides have, in
# CSV: sqlite3 writes NULL as nothing and '' as "", which COPY reads back as
# NULL and ''.
copy() {
  local t=$1 where=$2 c cols=() sel=() pg_cols
  pg_cols=$(pg -c "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '$t'")
  for c in $(sq "SELECT name FROM pragma_table_info('$t') ORDER BY cid"); do
    grep -qx "$c" <<<"$pg_cols" || continue
    cols+=("$c")
    if [ -n "${refs[$t.$c]:-}" ]; then sel+=("$(map "$c" "${refs[$t.$c]}")"); else sel+=("$c"); fi
  done
  local IFS=,
  sqlite3 -bail -csv "$src_uri" "SELECT ${sel[*]} FROM $t WHERE $where ORDER BY 1" |
    pg -c "\\copy $t(${cols[*]}) FROM pstdin WITH (FORMAT csv)"
}
echo "copying the generated rows of $src_db ..."
t0=$(date +%s)
copy units "id > ${sq_demo[units]}"
copy unit_history "id > ${sq_demo[unit_history]}"
copy register_books "id > ${sq_demo[register_books]}"
copy number_series "unit_id > ${sq_demo[units]}"
copy documents "id > ${sq_demo[documents]}"
copy assignments "id > ${sq_demo[assignments]}"  # open_work follows, by its triggers
for t in units unit_history register_books documents assignments; do
  pg -c "SELECT setval(pg_get_serial_sequence('$t', 'id'), max(id)) FROM $t" >/dev/null
done
for t in units unit_history register_books number_series documents assignments; do
  [ "$(sq "SELECT count(*) FROM $t")" = "$(pg -c "SELECT count(*) FROM $t")" ] || die "$t: not every row was copied"
done
[ "$(sq "SELECT $(map unit_id units), classification, deadline, n FROM open_work WHERE n <> 0 ORDER BY 1, 2, 3")" = \
  "$(pg -c "SELECT unit_id, classification, deadline, n FROM open_work WHERE n <> 0 ORDER BY 1, 2, 3")" ] ||
  die "open_work differs from the SQLite data set's"
echo "copied in $(($(date +%s) - t0)) s"

t1=$(date +%s.%N)
"$bin" index rebuild "$work/node" >/dev/null
t2=$(date +%s.%N)
indexed=$(pg -c "SELECT count(*) FROM search_entries WHERE kind = 'document'")
index_rate=$(echo "$indexed / ($t2 - $t1)" | bc -l | xargs printf '%.1f')
"$bin" legal import "$work/node" data/legal-vi/alqac/alqac2024_law.json >/dev/null
pg -c "VACUUM ANALYZE"
entries_sq=$(sq "SELECT kind, count(*) FROM search_entries GROUP BY kind ORDER BY kind" | tr '\n' ' ')
entries_pg=$(pg -c "SELECT kind, count(*) FROM search_entries GROUP BY kind ORDER BY kind" | tr '\n' ' ')
[ "$entries_sq" = "$entries_pg" ] || echo "warning: search entries (kind|count) differ: SQLite $entries_sq, PostgreSQL $entries_pg" >&2

# ---- serve and measure
out=$work/out
mkdir -p "$out"
"$bin" serve "$work/node" --port 0 --port-file "$work/port" >"$work/serve.log" 2>&1 &
server_pid=$!
until [ -s "$work/port" ]; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; die "the server did not start"; }
  sleep 0.05
done
port=$(cat "$work/port")
until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do sleep 0.05; done

book=$(pg -c "SELECT book_id FROM documents WHERE book_id IS NOT NULL GROUP BY book_id ORDER BY count(*) DESC, book_id LIMIT 1")
# A filter that finds something in the book: the first of the generator's
# topics found there (run.sh asks for "ke hoach" in its own busiest book).
for words in "ke hoach" "chuyen doi so" "du toan ngan sach" "van thu" "thu tuc hanh chinh" \
  "an toan thong tin" "thi dua" "tinh hinh"; do
  [ "$(pg -c "SELECT count(*) FROM documents WHERE book_id = $book AND subject_fold LIKE '%$words%'")" = 0 ] || break
done
book_size=$(pg -c "SELECT count(*) FROM documents WHERE book_id = $book")
queries=(
  "register book filtered, q=$words|vanthu|/api/v1/register-books/$book/entries?limit=50&q=${words// /%20}"
  "people search|chuyenvien|/api/v1/people?q=nguyen"
  "search, one word|vanthu|/api/v1/search?q=hoach"
  "search, two words|vanthu|/api/v1/search?q=thu%20tuc"
  "search, three words|vanthu|/api/v1/search?q=an%20toan%20thong"
  "search, a phrase|vanthu|/api/v1/search?q=%22cai%20cach%20thu%20tuc%22"
  "search, filtered|vanthu|/api/v1/search?q=van%20thu&kind=document&year=2025"
  "search as you type|vanthu|/api/v1/search?q=chuyen%20do&prefix=true&facets=false&limit=8"
  "search, a legal question|vanthu|/api/v1/search?q=hop%20dong%20lu%20hanh%20lap%20thanh%20van%20ban&kind=article&match=any&facets=false"
)
# What each query answers: a benchmark of empty answers measures nothing.
declare -A token
for n in "${!queries[@]}"; do
  IFS='|' read -r name user path <<<"${queries[$n]}"
  if [ -z "${token[$user]:-}" ]; then
    token[$user]=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"username\":\"$user\",\"password\":\"Chancery@2026\",\"kind\":\"bearer\"}" |
      python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
  fi
  curl -sf "http://127.0.0.1:$port$path" -H "Authorization: Bearer ${token[$user]}" >"$out/answer-$n" ||
    die "$name: $path did not answer 200"
  python3 - "$out/answer-$n" >"$out/found-$n" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
print(f"total {a['total']}" if "total" in a else f"{len(a['items'])} shown")
PY
  case "$(cat "$out/found-$n")" in "total 0" | "0 shown") echo "warning: $name: $path finds nothing" >&2 ;; esac
  case "$name" in register*) found=$(cat "$out/found-$n") && echo "$found of $book_size" >"$out/found-$n" ;; esac
done

# shellcheck source=bench/latency.sh
source bench/latency.sh
measure_latencies "$out"
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
index_mb=$(mib "$(pg -c "SELECT pg_total_relation_size('search_entries')")")
gin_mb=$(mib "$(pg -c "SELECT pg_relation_size('search_entries_tsv')")")
db_mb=$(mib "$(pg -c "SELECT pg_database_size(current_database())")")
rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")

# ---- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}'; }
docs=$(pg -c "SELECT count(*) FROM documents")
src_dir=$(dirname "$src_db")
src_name=${src_dir#"$root"/}
sqlite_rate=""
[ -f "$src_dir/indexing" ] && sqlite_rate=$(field index_docs_per_s <"$src_dir/indexing")
mkdir -p "$(dirname "$REPORT")"
{
  echo "# PostgreSQL search benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM,"
  echo "kernel $(uname -r), disk $(df -h "$work" | awk 'NR==2 {print $1 " (" $2 ")"}')."
  echo "PostgreSQL $(pg -c 'SHOW server_version' | cut -d' ' -f1) on the same machine (scripts/pg.sh: fsync on, shared_buffers $(pg -c 'SHOW shared_buffers'))."
  echo "Data: $docs documents over $(pg -c 'SELECT count(*) FROM units') units (the rows of $src_name), database $db_mb MiB. Medians of $RUNS runs."
  echo
  echo "| measurement | Chancery on PostgreSQL | answer / reference | goal / ratio |"
  echo "|---|---|---|---|"
  report_latencies "$out"
  if [ -n "$sqlite_rate" ]; then
    echo "| indexing, \`chancery index rebuild\` (documents/s) | $index_rate | SQLite $sqlite_rate documents/s (when the data set was made) | $(ratio "$index_rate" "$sqlite_rate") of SQLite's |"
  else
    echo "| indexing, \`chancery index rebuild\` (documents/s) | $index_rate | | |"
  fi
  echo "| search index, MiB (search_entries with its GIN and other indexes) | $index_mb | database $db_mb MiB | $(ratio "$index_mb" "$db_mb") of the database |"
  echo "| of which the GIN index over the words, MiB | $gin_mb | | $(ratio "$gin_mb" "$db_mb") of the database |"
  echo "| peak RSS of the server (MiB) | $rss_mb | | goal < 300 MiB |"
} | tee "$REPORT"
