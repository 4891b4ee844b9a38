#!/usr/bin/env bash
# Exchange between agencies end to end, against `openssl speed rsa2048` in
# the same run (issue #5; docs/performance.md, "Exchange between agencies"):
#   bash bench/exchange.sh            RUNS=5 DOCS=1000 CONCURRENCY=8 PDF_KB=200 by default
# Builds `chancery` and `chancery-bench-exchange` (bench/exchange_bench.cc) as
# shipped (RelWithDebInfo, -O2) in build-bench2, makes a receiving node
# (`chancery init`, [exchange] on a free port, `pki init-ca`), a throw-away
# sending identity (`chancery-bench-exchange keys`) entered as its peer
# (`exchange add-peer`), and starts `chancery serve` (durable database:
# fsync per commit). Then RUNS times, alternating: `openssl speed -seconds 3
# rsa2048`, the bench's `run` (the sending node's work in process: DOCS
# packages with a PDF_KB KiB PDF each, signed, POSTed over mutual TLS by
# CONCURRENCY threads, each receipt checked) with the receiver's CPU time
# from /proc/<pid>/stat around it, and the bench's `stages` (each step of a
# document alone, single thread, STAGE_SECONDS each). Both nodes share this
# machine's cores. Prints the medians and the goal: >= 1,000 docs/s with
# 200 KiB PDFs, >= 2,000 with smaller ones (20 KiB).
# Results: stdout and bench/results/exchange-<UTC date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RUNS=${RUNS:-5}
DOCS=${DOCS:-1000}
CONCURRENCY=${CONCURRENCY:-8}
PDF_KB=${PDF_KB:-200}
STAGE_SECONDS=${STAGE_SECONDS:-2}
BUILD=${BUILD:-build-bench2}
# Issue #14's goals: 1,000 docs/s with 200 KiB PDFs, 2,000 with 20 KiB.
if [ "$PDF_KB" -ge 200 ]; then goal=1000; else goal=2000; fi
RECEIVER=000.00.01.B01
SENDER=000.00.01.A01

if ! cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHANCERY_UNIT_TESTS_ONLY=OFF \
  -DCHANCERY_SANITIZE=OFF -DCHANCERY_FUZZ=OFF >"/tmp/chancery-bench-exchange-cmake.log" 2>&1; then
  cat /tmp/chancery-bench-exchange-cmake.log >&2
  exit 1
fi
cmake --build "$BUILD" -j2 --target chancery chancery-bench-exchange >/dev/null
chancery=$root/$BUILD/src/app/chancery
bin=$root/$BUILD/bench/chancery-bench-exchange

# On the disk (not a tmpfs): the receiver's commits and blobs are fsynced there.
work=$(mktemp -d /var/tmp/chancery-bench-exchange.XXXXXX)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the receiving node, and the sender as its peer
node=$work/node
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$chancery" init "$node" --agency "Bộ nhận" --abbreviation BN --agency-code "$RECEIVER" \
  --admin-password 'Chancery@2026' >"$work/init.log"
printf '\n[exchange]\nagency_code = "%s"\nendpoint = "https://127.0.0.1:%s"\nport = %s\n' \
  "$RECEIVER" "$port" "$port" >>"$node/chancery.toml"
"$chancery" pki init-ca "$node" --as admin >>"$work/init.log"
"$bin" keys --out "$work/sender" --agency "$SENDER"
"$chancery" exchange add-peer "$node" --file "$work/sender/peer.json" --as admin >>"$work/init.log"
"$chancery" exchange identity "$node" >"$work/identity.json"
pin=$(jq -r .certificate_sha256 "$work/identity.json")
jq -r .ca_pem "$work/identity.json" >"$work/receiver-ca.pem"

"$chancery" serve "$node" --port 0 --port-file "$work/port" --exchange-port-file "$work/exchange-port" \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 200); do [ -s "$work/exchange-port" ] && break; sleep 0.05; done
[ -s "$work/exchange-port" ] || { cat "$work/serve.log" >&2; exit 1; }
xport=$(cat "$work/exchange-port")

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print ""; else print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$2"; }  # field NAME FILE

# ---- RUNS alternating runs of the reference and the bench
for i in $(seq "$RUNS"); do
  openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6, $7}' >>"$work/openssl"
  before=$(cpu_of "$server")
  "$bin" run --port "$xport" --pin "$pin" --ca "$work/receiver-ca.pem" --keys "$work/sender" \
    --to "$RECEIVER" --from "$SENDER" --docs "$DOCS" --concurrency "$CONCURRENCY" --pdf-kb "$PDF_KB" \
    >"$work/run-$i"
  after=$(cpu_of "$server")
  awk -v b="$before" -v a="$after" -v d="$DOCS" \
    'BEGIN {printf "receiver receiver_cpu_s=%.2f receiver_cpu_ms_per_doc=%.2f\n", a - b, 1000 * (a - b) / d}' \
    >>"$work/run-$i"
  "$bin" stages --keys "$work/sender" --to "$RECEIVER" --pdf-kb "$PDF_KB" --seconds "$STAGE_SECONDS" \
    >"$work/stages-$i"
  echo "run $i/$RUNS: openssl $(tail -1 "$work/openssl" | awk '{print $1 " sign/s"}'), $(field docs_per_s "$work/run-$i") docs/s" >&2
done
kill "$server"
wait "$server" 2>/dev/null || true
server=

# ---- report
med() {  # med NAME FILES...: the median of a run field over the runs
  local name=$1
  shift
  for f in "$@"; do sed -n "s/.*\(^\| \)$name=\([0-9.]*\).*/\2/p" "$f"; done | median
}
sign_ref=$(awk '{print $1}' "$work/openssl" | median)
verify_ref=$(awk '{print $2}' "$work/openssl" | median)
runs=("$work"/run-*)
report=${REPORT:-$root/bench/results/exchange-$(date -u +%Y-%m-%d).txt}
mkdir -p "$(dirname "$report")"
{
  echo "# Exchange benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
  echo "# both nodes on this machine: the sender (chancery-bench-exchange run, $CONCURRENCY threads) and the receiver (chancery serve, durable)"
  echo "# $(openssl version); $RUNS runs alternating openssl speed -seconds 3 rsa2048, $DOCS docs of a $PDF_KB KiB PDF, and the stages; medians"
  echo "# reference: openssl speed rsa2048 sign/s = $sign_ref  verify/s = $verify_ref"
  for k in docs_per_s p50_ms p99_ms max_ms sender_signs_per_s sender_verifies_per_s sender_cpu_ms_per_doc \
    receiver_cpu_ms_per_doc build_sign_ms post_ms receipt_check_ms seconds errors; do
    printf '%-26s %10s  (runs: %s)\n' "$k" "$(med "$k" "${runs[@]}")" \
      "$(for f in "${runs[@]}"; do sed -n "s/.*\(^\| \)$k=\([0-9.]*\).*/\2/p" "$f"; done | tr '\n' ' ')"
  done
  # How the two cores were shared: CPU seconds of each side over the wall time.
  for f in "${runs[@]}"; do
    awk '{for (i = 1; i <= NF; ++i) {split($i, kv, "="); v[kv[1]] = kv[2]}}
         END {printf "%.1f %.1f %.0f\n", 100 * v["sender_cpu_s"] / v["seconds"],
              100 * v["receiver_cpu_s"] / v["seconds"],
              100 * v["receiver_cpu_s"] / (v["receiver_cpu_s"] + v["sender_cpu_s"])}' "$f"
  done >"$work/shares"
  echo "cpu: sender $(awk '{print $1}' "$work/shares" | median) %, receiver $(awk '{print $2}' "$work/shares" | median) % of one core (200 % = both cores); receiver's share of the CPU used $(awk '{print $3}' "$work/shares" | median) %"
  echo "# stages, single thread, ms per op (medians of the runs):"
  for c in $(awk '/ops_per_s/ && !seen[$1]++ {print $1}' "$work"/stages-*); do
    printf '%-18s %8s ms  (%s ops/s)\n' "$c" \
      "$(grep -h "^$c " "$work"/stages-* | sed 's/.*ms_per_op=\([0-9.]*\).*/\1/' | median)" \
      "$(grep -h "^$c " "$work"/stages-* | sed 's/.*ops_per_s=\([0-9.]*\).*/\1/' | median)"
  done
  echo "package_bytes $(awk '/^package_bytes/ {print $2; exit}' "$work"/stages-1)"
  awk -v d="$(med docs_per_s "${runs[@]}")" -v g="$goal" 'BEGIN {
    printf "goal >= %d docs/s end to end: %.0f docs/s -- %s (%.1f %% of the goal)\n", g, d, (d >= g ? "met" : "NOT met"), 100 * d / g }'
} | tee "$report"
echo "saved: $report" >&2
