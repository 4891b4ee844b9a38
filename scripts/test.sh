#!/usr/bin/env bash
# Everything `make test` runs:
#   1. the unit tests (lib, store and service of each module) under
#      AddressSanitizer + UndefinedBehaviorSanitizer, on SQLite and on a
#      private PostgreSQL server started here;
#   2. libFuzzer targets for a bounded time (clang);
#   3. the system tests (API against real `chancery serve` processes on
#      SQLite and PostgreSQL, federation of several nodes) and the web UI's
#      tests (Vitest, and Playwright end-to-end scenarios in Debian's chromium
#      against a real server), from the build as shipped (RelWithDebInfo).
# The unit tests are built and run once, in step 1 (a second, unsanitized
# build of them cost about a fifth of the whole time); `ninja -C build`
# still builds them for working on them.
# The last lines printed are CTest's summary of step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

pgdir=$(mktemp -d /tmp/chancery-pg.XXXXXX)
rmdir "$pgdir"
cleanup() { bash "$root/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "== private PostgreSQL server"
CHANCERY_TEST_PG=$(bash "$root/scripts/pg.sh" start "$pgdir")
export CHANCERY_TEST_PG
export CHANCERY_REQUIRE_PG=1
echo "PostgreSQL ready ($CHANCERY_TEST_PG)"

echo "== unit tests, sanitizer build (ASan+UBSan), on SQLite and PostgreSQL"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHANCERY_SANITIZE=ON \
  -DCHANCERY_UNIT_TESTS_ONLY=ON >/dev/null
cmake --build build-asan -j "$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs" -L unit)

echo "== fuzz targets (libFuzzer, bounded time)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCHANCERY_FUZZ=ON -DCHANCERY_UNIT_TESTS_ONLY=ON >/dev/null
cmake --build build-fuzz -j "$jobs" --target json_body_fuzz pki_fuzz pdf_fuzz cert_fuzz edxml_fuzz status_fuzz search_query_fuzz
(cd build-fuzz && ctest --output-on-failure -j "$jobs" -L fuzz)

echo "== web UI: npm ci, type-check and build"
bash "$root/scripts/web.sh" --force

echo "== main build (as shipped): the node and the system tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHANCERY_UNIT_TESTS_ONLY=OFF \
  -DCHANCERY_SANITIZE=OFF -DCHANCERY_FUZZ=OFF >/dev/null
cmake --build build -j "$jobs" --target chancery_system_tests

echo "== system tests: API and federation on SQLite and PostgreSQL, the web UI in chromium"
cd build
ctest --output-on-failure --no-label-summary -j "$jobs" -LE unit
