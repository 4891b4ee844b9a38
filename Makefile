# The two commands of the README:
#   make run   install what is missing, build, start a demo node on http://127.0.0.1:8080
#   make test  build and run every test (starts its own PostgreSQL)
BUILD ?= build
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: run test build setup clean bench

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

clean:
	rm -rf $(BUILD) build-asan build-fuzz web/dist web/node_modules
