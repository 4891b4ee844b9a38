# shellcheck shell=bash disable=SC2154  # queries, RUNS, load, port, field and median are the caller's
# Sourced by bench/run.sh and bench/pg-scale.sh: the latency of each of
# `queries` ("name|user|path"), RUNS times, with chancery-bench-load ($load)
# against the server on $port; the search queries (name "search…") again 16
# at once, 20 requests each, one account on 16 connections. Writes the load
# tool's lines to $1/lat-N and $1/lat16-N; report_latencies prints them as
# table rows (medians), with $1/found-N, when there, as what each answered.
measure_latencies() {
  local out=$1 n name user path
  for n in "${!queries[@]}"; do
    IFS='|' read -r name user path <<<"${queries[$n]}"
    for _ in $(seq "$RUNS"); do
      "$load" latency --port "$port" --requests 200 --path "$path" --user "$user" >>"$out/lat-$n"
    done
  done
  for n in "${!queries[@]}"; do
    IFS='|' read -r name user path <<<"${queries[$n]}"
    case "$name" in search*) ;; *) continue ;; esac
    for _ in $(seq "$RUNS"); do
      "$load" latency --port "$port" --users 16 --requests 20 --path "$path" --user "$user" >>"$out/lat16-$n"
    done
  done
}

report_latencies() {
  local out=$1 n name user path p50 p99 goal found
  for n in "${!queries[@]}"; do
    IFS='|' read -r name user path <<<"${queries[$n]}"
    p50=$(field p50_ms <"$out/lat-$n" | median); p99=$(field p99_ms <"$out/lat-$n" | median)
    goal="goal p99 < 10 ms"
    case "$name" in search*) goal="one person asking" ;; esac
    found=""
    [ -f "$out/found-$n" ] && found=$(cat "$out/found-$n")
    echo "| $name: p50 / p99 (ms) | $p50 / $p99 | $found | $goal |"
  done
  for n in "${!queries[@]}"; do
    [ -f "$out/lat16-$n" ] || continue
    IFS='|' read -r name user path <<<"${queries[$n]}"
    p50=$(field p50_ms <"$out/lat16-$n" | median); p99=$(field p99_ms <"$out/lat16-$n" | median)
    echo "| $name, 16 connections at once: p50 / p99 (ms) | $p50 / $p99 | | goal p99 < 30 ms |"
  done
}
