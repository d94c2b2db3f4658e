# Two commands: `make demo` and `make test`. Both install what is missing first.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo
BUILD_DIR ?= build

.PHONY: setup build test demo bench bench-ingest bench-savings clean

setup:
	./setup.sh

build:
	@test -f third_party/duckdb/lib/libduckdb.so || ./setup.sh
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: setup build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

demo: setup build
	$(BUILD_DIR)/mlcost demo --data-dir mlcost-data --port $${PORT:-8080}

# `make bench` runs both benchmarks; `make bench-ingest` only the ingest one (INGEST_ROWS rows,
# docs/performance.md "Ingest").
INGEST_ROWS ?= 5000000

bench: setup
	$(MAKE) build BUILD_TYPE=Release BUILD_DIR=build-release
	build-release/mlcost-bench
	build-release/mlcost-ingest-bench --rows $(INGEST_ROWS)

bench-ingest: setup
	$(MAKE) build BUILD_TYPE=Release BUILD_DIR=build-release
	build-release/mlcost-ingest-bench --rows $(INGEST_ROWS)

# Proof of savings (issue 5, docs/performance.md): 32-trial torch sweeps under `mlcost run`, the
# pruned ones on five trial orders (about 45 CPU-minutes).
bench-savings: setup build
	cmake --build $(BUILD_DIR) --target bench-savings

clean:
	rm -rf $(BUILD_DIR) build-release
