#!/usr/bin/env bash
# The benchmark of docs/performance.md, in one run on this machine:
#   N=1000000 RUNS=5 bench/run.sh      (make bench)
#   make bench-quick                   (N=100000 RUNS=3 SECONDS_PER_RUN=3, in the
#                                       build folder `make test` uses: a few minutes)
# Builds (as shipped: RelWithDebInfo, -O2) in $BUILD (build-bench), generates N documents over 500 units
# (bench/generate.sql; cached in var/bench while the script is unchanged),
# starts `chancery serve` on it and measures, each RUNS times (medians):
#   start-up time at N documents; create+register over HTTP (16 and 64
#   connections) against a plain SQLite insert loop with the same durability;
#   document read over HTTP against nginx serving the same bytes from a file;
#   p50/p99 of three list queries; peak RSS of the server.
# Results: stdout and bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
N=${N:-1000000}
RUNS=${RUNS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
BUILD=${BUILD:-build-bench}

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null 2>&1
cmake --build "$BUILD" --target chancery chancery-bench-load chancery-bench-sqlite >/dev/null
bin=$root/$BUILD/src/app/chancery
load=$root/$BUILD/bench/chancery-bench-load
sqlite_loop=$root/$BUILD/bench/chancery-bench-sqlite

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

# ---- data set
# (what follows the generator below is part of the data set too: "+index").
stamp=$( (cat bench/generate.sql src/store/migrations/*.sql src/modules/*/migrations/*.sql; echo "+index +alqac +analyze +indexing") | sha256sum | cut -c1-12)
pristine=$root/var/bench/n$N-$stamp-pristine
if [ ! -f "$pristine/ready" ]; then
  rm -rf "$pristine"; mkdir -p "$pristine"
  echo "generating $N documents in $pristine ..."
  t0=$(date +%s)
  "$bin" init "$pristine" >/dev/null
  "$bin" demo "$pristine" >/dev/null
  sed "s/:N/$N/g" bench/generate.sql | sqlite3 "$pristine/chancery.db" >/dev/null
  # The generator writes documents behind the node's back: index them, and
  # load the legal corpus (17 laws, 2,249 articles) that search also holds.
  # Indexing throughput: the node's own rebuild (one transaction, every
  # document read and tokenized), then the same documents into a plain FTS5
  # table, one after the other on the same machine.
  t1=$(date +%s.%N)
  "$bin" index rebuild "$pristine" >/dev/null
  t2=$(date +%s.%N)
  indexed=$(sqlite3 "$pristine/chancery.db" "SELECT count(*) FROM search_entries WHERE kind = 'document'")
  fts_ref=$("$sqlite_loop" --fts "$pristine/chancery.db" "$pristine/fts-reference.db" | field rows_per_s)
  rm -f "$pristine"/fts-reference.db*
  echo "index_docs_per_s=$(echo "$indexed / ($t2 - $t1)" | bc -l | xargs printf '%.1f') fts_rows_per_s=$fts_ref at=$(date -u +%Y-%m-%dT%H:%MZ)" >"$pristine/indexing"
  "$bin" legal import "$pristine" data/legal-vi/alqac/alqac2024_law.json >/dev/null
  # The generator's ANALYZE ran before the index was filled: statistics of
  # 22 entries made the planner build a Bloom filter over every entry on each
  # search. Count again, as the tables now are.
  sqlite3 "$pristine/chancery.db" "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  echo "generated in $(( $(date +%s) - t0 )) s"
  touch "$pristine/ready"
fi
# Each run serves a copy: the writes it measures add documents, and the next
# run must find the same data set.
data=$(mktemp -d "$root/var/bench/run.XXXXXX")
cp -a "$pristine/." "$data/"
docs=$(sqlite3 "$data/chancery.db" "SELECT count(*) FROM documents")
dbsize=$(du -sh "$data/chancery.db" | cut -f1)

out=$(mktemp -d)
server_pid=""
nginx_dir=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$nginx_dir" ] && [ -f "$nginx_dir/nginx.pid" ] && kill "$(cat "$nginx_dir/nginx.pid")" 2>/dev/null || true
  rm -rf "$out" "$data"
}
trap cleanup EXIT

# ---- start-up time (exec until /api/v1/health answers 200)
port=$(free_port)
start_server() {
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" serve "$data" --port "$port" >"$out/serve.log" 2>&1 &
  server_pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do sleep 0.005; done
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
for i in $(seq "$RUNS"); do
  start_server >>"$out/startup"
  if [ "$i" -lt "$RUNS" ]; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
done
startup_ms=$(median <"$out/startup" | awk '{printf "%.0f", $1 * 1000}')

# ---- durable writes: SQLite loop vs create+register over HTTP
for i in $(seq "$RUNS"); do
  "$sqlite_loop" "$data/baseline.db" "$SECONDS_PER_RUN" | field rows_per_s >>"$out/sqlite"
  for c in 16 64; do
    "$load" create-register --port "$port" --connections $c --seconds "$SECONDS_PER_RUN" |
      tee -a "$out/create.log" | field ops_per_s >>"$out/create$c"
  done
done
rm -f "$data"/baseline.db*

# ---- reads: GET /documents/{id} vs nginx serving the same body from a file
doc_id=$(sqlite3 "$data/chancery.db" "SELECT max(id) FROM documents WHERE direction = 'incoming' AND state = 'filed'")
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"vanthu","password":"Chancery@2026","kind":"bearer"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
nginx_dir=$(mktemp -d)
chmod 755 "$nginx_dir"  # nginx workers may run as another user
curl -sf "http://127.0.0.1:$port/api/v1/documents/$doc_id" -H "Authorization: Bearer $token" >"$nginx_dir/doc.json"
chmod 644 "$nginx_dir/doc.json"
body_bytes=$(stat -c %s "$nginx_dir/doc.json")
nginx_port=$(free_port)
cat >"$nginx_dir/nginx.conf" <<NGINX
worker_processes auto;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $nginx_dir;
  }
}
NGINX
nginx -c "$nginx_dir/nginx.conf" -p "$nginx_dir"
for i in $(seq "$RUNS"); do
  "$load" read --port "$port" --connections 16 --seconds "$SECONDS_PER_RUN" \
    --path "/api/v1/documents/$doc_id" --user vanthu | field ops_per_s >>"$out/read"
  "$load" read --port "$nginx_port" --connections 16 --seconds "$SECONDS_PER_RUN" \
    --path /doc.json | field ops_per_s >>"$out/nginx"
done

# ---- list queries at N documents
unit=$(sqlite3 "$data/chancery.db" "SELECT id FROM units WHERE abbreviation = 'C1'")
book=$(sqlite3 "$data/chancery.db" "SELECT book_id FROM documents WHERE book_id IS NOT NULL GROUP BY book_id ORDER BY count(*) DESC LIMIT 1")
book_size=$(sqlite3 "$data/chancery.db" "SELECT count(*) FROM documents WHERE book_id = $book")
queries=(
  "inbox|chuyenvien|/api/v1/documents?box=inbox"
  "overdue in unit|thutruong|/api/v1/deadlines/overdue?unit_id=$unit"
  "register book page|vanthu|/api/v1/register-books/$book/entries?limit=50&cursor=$((book_size / 2))"
  "inbox by deadline|chuyenvien|/api/v1/documents?box=inbox&sort=deadline"
  "leader's workload chart|thutruong|/api/v1/deadlines/summary"
  "register book filtered|vanthu|/api/v1/register-books/$book/entries?limit=50&q=ke%20hoach"
  "people search|chuyenvien|/api/v1/people?q=nguyen"
  "search, one word|vanthu|/api/v1/search?q=hoach"
  "search, two words|vanthu|/api/v1/search?q=thu%20tuc"
  "search, three words|vanthu|/api/v1/search?q=an%20toan%20thong"
  "search, a phrase|vanthu|/api/v1/search?q=%22cai%20cach%20thu%20tuc%22"
  "search, filtered|vanthu|/api/v1/search?q=van%20thu&kind=document&year=2025"
  "search as you type|vanthu|/api/v1/search?q=chuyen%20do&prefix=true&facets=false&limit=8"
  "search, a legal question|vanthu|/api/v1/search?q=hop%20dong%20lu%20hanh%20lap%20thanh%20van%20ban&kind=article&match=any&facets=false"
  "outbox|vanthu|/api/v1/documents?box=outgoing&limit=50"
  "audit log page|baomat|/api/v1/audit?limit=100"
)
# shellcheck source=bench/latency.sh
source bench/latency.sh
measure_latencies "$out"
index_mb=$(sqlite3 "$data/chancery.db" "SELECT round(sum(pgsize) / 1048576.0, 1) FROM dbstat WHERE name LIKE 'search_%' OR name LIKE 'sqlite_autoindex_search_%'")
db_mb=$(sqlite3 "$data/chancery.db" "SELECT round(sum(pgsize) / 1048576.0, 1) FROM dbstat")
rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")

# ---- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}'; }
sqlite=$(median <"$out/sqlite"); c16=$(median <"$out/create16"); c64=$(median <"$out/create64")
read_ops=$(median <"$out/read"); nginx_ops=$(median <"$out/nginx")
report=$root/bench/results/latest.md
mkdir -p "$(dirname "$report")"
{
  echo "# Benchmark run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM,"
  echo "kernel $(uname -r), disk $(df -h "$data" | awk 'NR==2 {print $1 " (" $2 ")"}')."
  echo "Data: $docs documents over $(sqlite3 "$data/chancery.db" 'SELECT count(*) FROM units') units, database $dbsize. Medians of $RUNS runs."
  echo
  echo "| measurement | Chancery | reference | ratio / goal |"
  echo "|---|---|---|---|"
  echo "| create+register over HTTP, 16 connections (ops/s) | $c16 | SQLite insert loop $sqlite rows/s | $(ratio "$c16" "$sqlite") (goal ≥ 100 %) |"
  echo "| create+register over HTTP, 64 connections (ops/s) | $c64 | SQLite insert loop $sqlite rows/s | $(ratio "$c64" "$sqlite") (goal ≥ 100 %) |"
  echo "| GET /documents/{id}, 16 connections (req/s, $body_bytes bytes) | $read_ops | nginx static file $nginx_ops req/s | $(ratio "$read_ops" "$nginx_ops") (goal ≥ 70 %) |"
  report_latencies "$out"
  index_rate=$(field index_docs_per_s <"$pristine/indexing"); fts_rate=$(field fts_rows_per_s <"$pristine/indexing")
  echo "| indexing, \`chancery index rebuild\` (documents/s; once, when the data set was made, $(field at <"$pristine/indexing")) | $index_rate | plain FTS5 insert loop $fts_rate rows/s, same documents | $(ratio "$index_rate" "$fts_rate") (goal ≥ 50 %) |"
  echo "| search index, MiB (search_entries and its FTS5 tables) | $index_mb | database $db_mb MiB | $(ratio "$index_mb" "$db_mb") of the database |"
  echo "| start-up at $docs documents (ms) | $startup_ms | | |"
  echo "| peak RSS of the server (MiB) | $rss_mb | | goal < 300 MiB |"
} | tee "$report"
