# netrawat — two commands do all the set-up: `make demo` and `make test`.
# Both bootstrap the project virtualenv (.venv) idempotently; nothing is installed globally.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# An editable install of our layout (tasks/, templates/ ... mapped into netrawat) goes through
# setuptools' import finder, and setuptools then prints an "Editable installation" notice on
# every install; it is information only (nothing to fix), so the first command stays quiet.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: venv test chaos lint demo bench clean pg-server rancid chromium

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[dev,postgres,web]'
	touch $(STAMP)

test: $(STAMP) pg-server chromium
	$(BIN)/python -m pytest -q -n 2

# The long fault suite (issue 15): many kill -9, full disk and read-only state (a tmpfs in a
# private mount namespace: needs root or user namespaces, else those tests skip saying why),
# damaged recap database and config repository, every lab device fault.
chaos: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m chaos tests/test_fault_suite.py

# The recap's PostgreSQL test starts a throwaway server of its own (initdb + pg_ctl on loopback).
# Best effort: install Debian's server binaries when missing and we may; otherwise that test skips,
# saying why.
pg-server:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
	    && command -v apt-get >/dev/null; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
	    >/dev/null 2>&1 || echo "note: postgresql not installed: the PostgreSQL test will skip" >&2; \
	fi

# mypy and import-linter read the sources laid out as installed (tasks/ and playbooks/ inside
# netrawat): tools/layout_tree.py builds that tree of hard links in build/layout.
PY_DIRS := netrawat netrawat_lab tasks playbooks tests bench tools setup.py

# The web console's browser test drives Debian's chromium with Playwright (never a downloaded
# browser). Best effort, as for pg-server: installed when missing and we are root; else it skips.
chromium:
	@if ! command -v chromium >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	      chromium-driver; } >/dev/null 2>&1 \
	    || echo "note: chromium not installed: the browser test will skip" >&2; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/python tools/layout_tree.py build/layout >/dev/null
	cd build/layout && MYPYPATH=. ../../$(BIN)/mypy --config-file ../../pyproject.toml \
	  --cache-dir ../../.mypy_cache -p netrawat -p netrawat_lab
	cd build/layout && PYTHONPATH=. ../../$(BIN)/lint-imports --config ../../pyproject.toml --no-cache

# The whole SOP on a lab of 8 devices (see `netrawat demo --help`); its files stay in .demo/.
demo: $(STAMP)
	$(BIN)/netrawat demo --dir .demo

# Benchmarks (issue 10): backup vs its floor and Ansible, health paths, lab capacity, scaling,
# side by side on a lab with 20 ms latency; writes bench/RESULTS.md (~20-30 min on 2 cores).
# Issue 19 adds the --workers sweep and --processes at --sweep-at (default 100,200,1000) and
# per-process thread counts; a 5000-device point: BENCH_ARGS="--sizes 50,100,200,1000,5000".
# Smaller: make bench BENCH_ARGS="--sizes 50,200 --capacity 0"
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[dev,postgres,web,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) rancid
	$(BIN)/python bench/suite.py $(BENCH_ARGS)

# The RANCID peer needs Debian's rancid package: best effort, as for pg-server (skipped if absent).
rancid:
	@if ! command -v rancid >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rancid; } \
	    >/dev/null 2>&1 || echo "note: rancid not installed: the RANCID rows are skipped" >&2; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .demo
