#!/usr/bin/env bash
# Signing throughput against `openssl speed rsa2048`, in one run on this
# machine (issue #4; docs/performance.md, "Signatures"):
#   bash bench/sign.sh                 RUNS=5 SECONDS_PER_CASE=3 by default
# Builds chancery-bench-sign (bench/sign_bench.cc) as shipped (RelWithDebInfo,
# -O2) in build-bench2, makes a throw-away SoftHSM2 token with an RSA-2048
# key (softhsm2-util + pkcs11-tool, as src/pki/pki_test.cc does), then RUNS
# times, alternating: `openssl speed -seconds 3 rsa2048` (sign/s, verify/s)
# and the bench (ops/s of each case, single thread). Prints the medians and
# the ratio of each signing case to openssl's sign/s; the goal is CAdES and
# PAdES signing with a file key at >= 80 % of it.
# Results: stdout and bench/results/sign-<UTC date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RUNS=${RUNS:-5}
SECONDS_PER_CASE=${SECONDS_PER_CASE:-3}
BUILD=${BUILD:-build-bench2}

if ! cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHANCERY_UNIT_TESTS_ONLY=OFF \
  -DCHANCERY_SANITIZE=OFF -DCHANCERY_FUZZ=OFF >"/tmp/chancery-bench-sign-cmake.log" 2>&1; then
  cat /tmp/chancery-bench-sign-cmake.log >&2
  exit 1
fi
cmake --build "$BUILD" --target chancery-bench-sign >/dev/null
bin=$root/$BUILD/bench/chancery-bench-sign

work=$(mktemp -d /tmp/chancery-bench-sign.XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---- a SoftHSM2 token with the seal key, if SoftHSM2 is installed
module=/usr/lib/softhsm/libsofthsm2.so
token_args=()
if [ -f "$module" ] && command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null; then
  mkdir -p "$work/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" \
    >"$work/softhsm2.conf"
  export SOFTHSM2_CONF=$work/softhsm2.conf
  softhsm2-util --init-token --free --label chancery-bench --pin 1234 --so-pin 123456 >/dev/null
  pkcs11-tool --module "$module" --token-label chancery-bench --login --pin 1234 \
    --keypairgen --key-type rsa:2048 --label seal --id 5e >/dev/null 2>&1
  token_args=(--token-uri "pkcs11:token=chancery-bench;object=seal;type=private"
              --token-module "$module" --token-pin 1234)
else
  echo "SoftHSM2 not installed: no token cases" >&2
fi

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print ""; else print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# ---- RUNS alternating runs of the reference and the bench
for i in $(seq "$RUNS"); do
  openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6, $7}' >>"$work/openssl"
  "$bin" --seconds "$SECONDS_PER_CASE" "${token_args[@]}" >"$work/bench-$i"
  echo "run $i/$RUNS: openssl $(tail -1 "$work/openssl" | awk '{print $1 " sign/s"}'), $(grep -c ops_per_s "$work/bench-$i") cases" >&2
done

# ---- report
sign_ref=$(awk '{print $1}' "$work/openssl" | median)
verify_ref=$(awk '{print $2}' "$work/openssl" | median)
cases=$(grep -h -o '^[a-z0-9_]* ops_per_s' "$work"/bench-* | awk '!seen[$1]++ {print $1}')
report=${REPORT:-$root/bench/results/sign-$(date -u +%Y-%m-%d).txt}
mkdir -p "$(dirname "$report")"
{
  echo "# Signature benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
  echo "# $(openssl version); $RUNS runs alternating openssl speed -seconds 3 rsa2048 and the bench ($SECONDS_PER_CASE s per case), medians"
  echo "# reference: openssl speed rsa2048 sign/s = $sign_ref  verify/s = $verify_ref"
  printf '%-28s %12s %10s %s\n' case ops/s ms/op "vs openssl sign/s (runs: ops/s)"
  for c in $cases; do
    runs=$(grep -h "^$c " "$work"/bench-* | sed 's/.*ops_per_s=\([0-9.]*\).*/\1/' | tr '\n' ' ')
    m=$(echo "$runs" | tr ' ' '\n' | grep . | median)
    ms=$(awk -v m="$m" 'BEGIN {printf "%.3f", 1000 / m}')
    ratio=$(awk -v m="$m" -v r="$sign_ref" 'BEGIN {printf "%.0f %%", 100 * m / r}')
    case $c in
      *_verify) ratio=$(awk -v m="$m" -v r="$verify_ref" 'BEGIN {printf "(%.0f %% of verify/s)", 100 * m / r}') ;;
      cades_sign_*|pades_sign_*|rsa2048_sign_raw) ;;
      *) ratio="" ;;
    esac
    printf '%-28s %12s %10s %s  (%s)\n' "$c" "$m" "$ms" "$ratio" "${runs% }"
  done
  for c in cades_sign_file pades_sign_invisible_file; do
    m=$(grep -h "^$c " "$work"/bench-* | sed 's/.*ops_per_s=\([0-9.]*\).*/\1/' | median)
    # Also the median of each run's own ratio (the machine's load varies between runs).
    per_run=$(for i in $(seq "$RUNS"); do
      x=$(sed -n "s/^$c ops_per_s=\([0-9.]*\).*/\1/p" "$work/bench-$i")
      r=$(sed -n "${i}p" "$work/openssl" | awk '{print $1}')
      awk -v x="$x" -v r="$r" 'BEGIN {printf "%.1f\n", 100 * x / r}'
    done | median)
    awk -v c="$c" -v m="$m" -v r="$sign_ref" -v pr="$per_run" 'BEGIN {
      p = 100 * m / r; printf "goal %s >= 80 %% of openssl sign/s: %.0f %% (median of per-run ratios %.0f %%) -- %s\n", c, p, pr, (p >= 80 ? "met" : "NOT met") }'
  done
} | tee "$report"
echo "saved: $report" >&2
