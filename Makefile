# The two commands of the README:
#   make run   install what is missing, build, start a demo node on http://127.0.0.1:8080
#   make test  build and run every test (starts its own PostgreSQL)
BUILD ?= build
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: run test build setup clean bench bench-quick

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD)

run: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) --target chancery
	@bash scripts/web.sh
	@bash scripts/demo.sh $(BUILD)/src/app/chancery var/demo web/dist

test: setup
	@bash scripts/test.sh

bench: setup
	@bash bench/run.sh

# Every ratio of docs/performance.md in a few minutes (100,000 documents,
# cached under var/bench after the first run; exchange with 500 packages),
# in the build folder of `make test`: run it after any change to a hot path.
bench-quick: setup
	@N=100000 RUNS=3 SECONDS_PER_RUN=3 BUILD=build bash bench/run.sh
	@BUILD=build RUNS=1 DOCS=500 STAGE_SECONDS=1 REPORT=bench/results/quick-exchange-200k.txt bash bench/exchange.sh
	@BUILD=build RUNS=1 DOCS=500 PDF_KB=20 STAGE_SECONDS=1 REPORT=bench/results/quick-exchange-20k.txt bash bench/exchange.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz web/dist web/node_modules
