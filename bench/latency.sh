# shellcheck shell=bash disable=SC2154  # queries, RUNS, load and port are the caller's
# Sourced by bench/run.sh and bench/pg-scale.sh: the latency of each of
# `queries` ("name|user|path"), RUNS times, with chancery-bench-load ($load)
# against the server on $port; the search queries (name "search…") again 16
# at once, 20 requests each, one account on 16 connections. Writes the load
# tool's lines to $1/lat-N and $1/lat16-N.
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
