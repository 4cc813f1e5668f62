# mako-engine: `make demo` and `make test` set everything up on a fresh Debian machine.
SHELL := /bin/bash
BUILD ?= build
VENV ?= .venv
JOBS ?= 2
PY := $(VENV)/bin/python
export CMAKE_BUILD_PARALLEL_LEVEL := $(JOBS)
export MAKO_DUMP_WORKING_DAYS := $(CURDIR)/$(BUILD)/tests/cpp/mako_dump_working_days

.PHONY: all setup system-deps test-deps venv build python wheel sdist format lint test test-cpp test-python demo bench stress fuzz clean

all: build

system-deps:
	@tools/install-system-deps.sh

# The PostgreSQL server for the tests' throw-away instance (make demo does not need it).
test-deps: system-deps
	@tools/install-system-deps.sh --tests

# Two stages: what building and running needs (`make demo`), then the test and benchmark tools.
$(VENV)/.build-installed: requirements-build.txt | system-deps
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-build.txt
	touch $@

$(VENV)/.installed: requirements-dev.txt $(VENV)/.build-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

setup: system-deps venv

$(BUILD)/build.ninja: CMakeLists.txt | system-deps $(VENV)/.build-installed
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: $(BUILD)/build.ninja setup
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH cmake --build $(BUILD)

# The Python package, installed into the venv as a user would install it (`pip install .`), built
# in the same CMake tree as the C++ tools so that the core is compiled once for both:
# scikit-build-core configures $(BUILD) with the developer's options (repeated here, so neither run
# switches the other's cache), builds only the module and installs only its component.
# A user's own `pip install .` builds in a temporary directory instead.
PYBUILD := -Cbuild-dir=$(CURDIR)/$(BUILD) -Cbuild.targets=_core \
  -Ccmake.define.MAKO_BUILD_POSTGRES=ON -Ccmake.define.MAKO_BUILD_TESTS=ON -Ccmake.define.MAKO_BUILD_EXAMPLES=ON -Ccmake.define.MAKO_BUILD_BENCH=ON
python: $(BUILD)/build.ninja
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(PY) -m pip install --quiet --no-build-isolation $(PYBUILD) .

# Binary wheel for users without a compiler: built like `make python`, then repaired by auditwheel
# (manylinux tag of this machine's glibc, libsqlite3 and libpq with its TLS/Kerberos/LDAP libraries bundled; SQLiteCpp is linked statically).
DIST ?= dist
wheel: python setup  # after it: both use the same build directory
	rm -rf $(BUILD)/wheel-raw $(DIST)/mako_engine-*.whl && mkdir -p $(DIST)
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation $(PYBUILD) -w $(BUILD)/wheel-raw .
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(PY) -m auditwheel repair -w $(DIST) $(BUILD)/wheel-raw/*.whl
	$(PY) -m auditwheel show $(DIST)/mako_engine-*.whl

# Source distribution (builds with `pip install mako_engine-X.Y.Z.tar.gz` where the Debian packages are).
sdist: setup
	$(PY) -m build --sdist --no-isolation --outdir $(DIST) .

# The PostgreSQL tests run against a throw-away server (started before, stopped and deleted after,
# also on failure): tools/pg-test-server.sh.
test-cpp: build test-deps
	tools/pg-test-server.sh run -- bash -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS)'

# The wheel test installs $(DIST)'s wheel into a fresh venv without a compiler (tests/python/test_wheel.py).
# The PostgreSQL tests (tests/python/test_postgres.py) start a throw-away server themselves
# (tools/pg-test-server.sh, from the session fixture pg_conninfo), or use $MAKO_TEST_PG.
test-python: build python wheel test-deps
	MAKO_WHEEL_DIR=$(CURDIR)/$(DIST) $(PY) -m pytest -q tests/python

# The C++ sources in the one style of .clang-format (clang-format pinned in requirements-dev.txt).
CXX_SOURCES = git ls-files -z '*.cpp' '*.hpp' '*.h'
format: venv
	$(CXX_SOURCES) | xargs -0 $(VENV)/bin/clang-format -i

# clang-format (C++ style), ruff and mypy on the sources (settings in pyproject.toml); mypy.stubtest
# compares the stub python/mako_engine/_core.pyi with the compiled module that `make python`
# installed into the venv
# (tools/stubtest-allowlist.txt: only what a stub cannot express about pybind11).
lint: python venv
	$(CXX_SOURCES) | xargs -0 $(VENV)/bin/clang-format --dry-run --Werror
	$(PY) -m ruff check
	$(PY) -m mypy
	$(PY) -m mypy.stubtest mako_engine._core --mypy-config-file pyproject.toml --allowlist tools/stubtest-allowlist.txt

test: lint test-cpp test-python

# The main job: an LF and an NB engine (SQLite files in demo-data/) run GPKE supplier switches over
# seven weeks of simulated time, exchanging real EDIFACT files; prints what happened.
DEMO_CUSTOMERS ?= 200
# Builds only what the demo needs (the simulation and the Python package, one core for both).
demo: python
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH cmake --build $(BUILD) --target market_simulation
	$(BUILD)/examples/cpp/market_simulation --out demo-data --customers $(DEMO_CUSTOMERS)

# The PostgreSQL benchmarks run against a throw-away server that bench/run.sh starts with fsync on
# (test-deps installs the server binaries).
bench: build python test-deps
	bench/run.sh $(BUILD)

# SIGKILL crash-safety test of the SQLite store, far more kills than the normal suite's 50.
STRESS_KILLS ?= 1000
stress: build
	mkdir -p $(BUILD)/stress-tmp
	MAKO_STRESS_KILLS=$(STRESS_KILLS) MAKO_TEST_TMP=$(CURDIR)/$(BUILD)/stress-tmp \
	  $(BUILD)/tests/cpp/test_sqlite "[crash]"

# libFuzzer + ASan + UBSan (clang from Debian), FUZZ_SECONDS long, on FUZZ_TARGET: edifact (the
# EDIFACT codec) or json (the replay JSON reader against nlohmann's parser).
FUZZ_SECONDS ?= 600
FUZZ_TARGET ?= edifact
fuzz:
	@command -v clang++ >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq clang libclang-rt-14-dev; } || { echo "run: sudo apt-get install -y clang libclang-rt-14-dev"; exit 1; }
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGET)

clean:
	rm -rf $(BUILD)
