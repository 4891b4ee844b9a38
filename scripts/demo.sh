#!/usr/bin/env bash
# Creates the demo node under DATA (once), loads demo data and serves it.
set -euo pipefail
bin=${1:?chancery binary}
data=${2:?data folder}
ui=${3:-}
if [ ! -f "$data/chancery.toml" ]; then
  "$bin" init "$data"
fi
"$bin" demo "$data"
# Real legal texts, so that search has Vietnamese to find from the first
# minute: the ALQAC corpus and the legal bases of the 207 procedures.
legal="$(cd "$(dirname "$0")/.." && pwd)/data/legal-vi"
"$bin" legal import "$data" "$legal"/alqac/alqac2024_law.json "$legal"/tthc_bqp_207/*.json >/dev/null
echo "Open http://127.0.0.1:8080 — stop with Ctrl-C."
exec "$bin" serve "$data" --port 8080 ${ui:+--ui "$ui"}
