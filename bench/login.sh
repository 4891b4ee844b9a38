#!/usr/bin/env bash
# Logins must not starve other work (issue #11, finding 11): the median and
# p99 latency of a durable write (a draft created over HTTP, one client in a
# loop) with the node idle, then while LOGINS clients loop on failed logins
# for unknown names, each from its own address (X-Forwarded-For through a
# trusted proxy, so the per-address throttle does not stop them: every
# attempt costs a real argon2 check). Reference in the same run: the idle
# latency. Medians of RUNS runs of SECONDS each.
#   RUNS=3 SECONDS_PER_RUN=10 LOGINS=4 bench/login.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
LOGINS=${LOGINS:-4}

# BIN=another chancery (e.g. an older build, to compare) skips the build;
# one without [server] trusted_proxies needs TRUSTED_PROXY=0.
if [ -z "${BIN:-}" ]; then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null 2>&1
  cmake --build build-bench --target chancery >/dev/null
fi
bin=${BIN:-$root/build-bench/src/app/chancery}

data=$(mktemp -d /tmp/chancery-login-bench.XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
"$bin" init "$data" >/dev/null
if [ "${TRUSTED_PROXY:-1}" = 1 ]; then
  sed -i 's/^\[server\]$/[server]\ntrusted_proxies = ["127.0.0.1"]/' "$data/chancery.toml"
fi
"$bin" demo "$data" >/dev/null
"$bin" serve "$data" --port 0 --port-file "$data/port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$data/port" ] && break; sleep 0.1; done
port=$(cat "$data/port")

python3 - "$port" "$RUNS" "$SECONDS_PER_RUN" "$LOGINS" <<'EOF'
import http.client, json, statistics, sys, threading, time, random
port, runs, seconds, logins = (int(x) for x in sys.argv[1:5])

def call(conn, method, path, body=None, headers=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    r = conn.getresponse()
    data = r.read()
    return r.status, data

c = http.client.HTTPConnection("127.0.0.1", port)
status, body = call(c, "POST", "/api/v1/auth/login",
                    {"username": "chuyenvien", "password": "Chancery@2026", "kind": "bearer"})
token = json.loads(body)["token"]
auth = {"Authorization": "Bearer " + token}

def writes(duration):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    out = []
    end = time.monotonic() + duration
    i = 0
    while time.monotonic() < end:
        t = time.monotonic()
        s, _ = call(conn, "POST", "/api/v1/documents",
                    {"type_code": "TB", "subject": "Đo độ trễ ghi %d" % i}, auth)
        out.append((time.monotonic() - t) * 1000)
        assert s == 201, s
        i += 1
    return out

def login_loop(stop, counter):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    n = 0
    while not stop.is_set():
        n += 1
        addr = "10.%d.%d.%d" % (random.randrange(256), random.randrange(256), random.randrange(256))
        call(conn, "POST", "/api/v1/auth/login",
             {"username": "khong-co-%d-%d" % (random.randrange(10**9), n), "password": "sai"},
             {"X-Forwarded-For": addr})
    counter.append(n)

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))]

idle, loaded, rate = [], [], []
for run in range(runs):
    w = writes(seconds)
    idle.append((statistics.median(w), pct(w, 0.99)))
    stop, counts = threading.Event(), []
    threads = [threading.Thread(target=login_loop, args=(stop, counts)) for _ in range(logins)]
    for t in threads: t.start()
    time.sleep(0.5)
    w = writes(seconds)
    stop.set()
    for t in threads: t.join()
    loaded.append((statistics.median(w), pct(w, 0.99)))
    rate.append(sum(counts) / (seconds + 0.5))
med = lambda xs, i: statistics.median(x[i] for x in xs)
print("write latency, idle (reference):     p50 %.1f ms  p99 %.1f ms" % (med(idle, 0), med(idle, 1)))
print("write latency, %d failed-login loops: p50 %.1f ms  p99 %.1f ms  (%.0f logins/s)"
      % (logins, med(loaded, 0), med(loaded, 1), statistics.median(rate)))
EOF
