#!/usr/bin/env bash
# Creates the demo node under DATA (once), loads demo data and serves it.
set -euo pipefail
bin=${1:?chancery binary}
data=${2:?data folder}
if [ ! -f "$data/chancery.toml" ]; then
  "$bin" init "$data"
fi
"$bin" demo "$data"
echo "Open http://127.0.0.1:8080/api/v1/openapi.json — stop with Ctrl-C."
exec "$bin" serve "$data" --port 8080
