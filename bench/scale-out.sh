#!/usr/bin/env bash
# One and two `chancery serve` processes on one PostgreSQL database, behind
# Debian's nginx, side by side (docs/deployment.md): create+register
# (ops/s, 16 connections) and GET /documents/{id} (req/s, 16 connections)
# through nginx, medians of RUNS runs. PostgreSQL is a private server of
# scripts/pg.sh (fsync on); the demo's data. Everything runs on this
# machine, so the two servers share its cores with PostgreSQL, nginx and
# the load generator.
#
#   BUILD=build RUNS=3 SECONDS_PER_RUN=5 bash bench/scale-out.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
REPORT=${REPORT:-bench/results/scale-out.txt}

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null 2>&1
cmake --build "$BUILD" --target chancery chancery-bench-load >/dev/null
bin=$root/$BUILD/src/app/chancery
load=$root/$BUILD/bench/chancery-bench-load

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }

work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers may run as another user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

conninfo=$(bash scripts/pg.sh start "$work/pg" | tail -1)
"$bin" init "$work/node" --db "$conninfo" >/dev/null
"$bin" demo "$work/node" >/dev/null
doc_id=$(psql "$conninfo" -Atc "SELECT max(id) FROM documents WHERE direction = 'incoming' AND state = 'filed'")

ports=()
for i in 1 2; do
  "$bin" serve "$work/node" --port 0 --port-file "$work/port$i" >"$work/serve$i.log" 2>&1 &
  pids+=($!)
  until [ -s "$work/port$i" ]; do sleep 0.05; done
  ports+=("$(cat "$work/port$i")")
done

nginx_port=$(free_port)
mkdir -p "$work/nginx"
chmod 755 "$work/nginx"
# $1: how many of the servers nginx balances over.
nginx_for() {
  local upstreams="" i
  for ((i = 0; i < $1; i++)); do upstreams+="    server 127.0.0.1:${ports[$i]};"$'\n'; done
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  upstream chancery {
$upstreams    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://chancery;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
  if [ -f "$work/nginx/nginx.pid" ]; then
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -s reload
    sleep 1  # the old worker finishes; the new one takes the new upstreams
  else
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
    until curl -s -o /dev/null "http://127.0.0.1:$nginx_port/api/v1/health"; do sleep 0.05; done
  fi
}

out=$work/out
mkdir -p "$out"
for n in 1 2; do
  nginx_for "$n"
  for i in $(seq "$RUNS"); do
    "$load" create-register --port "$nginx_port" --connections 16 --seconds "$SECONDS_PER_RUN" |
      field ops_per_s >>"$out/write$n"
    "$load" read --port "$nginx_port" --connections 16 --seconds "$SECONDS_PER_RUN" \
      --path "/api/v1/documents/$doc_id" --user vanthu | field ops_per_s >>"$out/read$n"
  done
done

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
{
  echo "# Scale-out benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $cpu, kernel $(uname -r); $(psql "$conninfo" -Atc 'SHOW server_version' | cut -d' ' -f1) PostgreSQL (fsync on), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///')"
  echo "# through nginx, 16 connections, $RUNS runs of $SECONDS_PER_RUN s, medians"
  printf '| servers | create+register (ops/s) | GET /documents/{id} (req/s) |\n|---|---|---|\n'
  for n in 1 2; do
    printf '| %s | %.1f | %.1f |\n' "$n" "$(median <"$out/write$n")" "$(median <"$out/read$n")"
  done
} | tee "$REPORT"
echo "saved: $REPORT"
