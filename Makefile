# The README's two commands: `make run` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/kiemdiem
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= true

.PHONY: run test venv dev lint test-sqlite test-postgres bench clean

# The venv is rebuilt when pyproject.toml changes; the stamp records what was installed.
$(VENV)/.stamp-run: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.stamp-run

venv: $(VENV)/.stamp-run
dev: $(VENV)/.stamp-dev

run: venv
	@mkdir -p var; test -f var/local.env || printf '%s\n' '# Written by make run: commands typed beside the demo run with DEBUG on (never in production).' 'DEBUG=true' > var/local.env
	$(BIN)/kiemdiem migrate --no-input -v0
	$(BIN)/kiemdiem createcachetable
	$(BIN)/kiemdiem load-criteria
	$(BIN)/kiemdiem seed-demo --if-empty
	$(BIN)/kiemdiem demo-accounts
	$(BIN)/kiemdiem demo-cycle
	$(BIN)/kiemdiem demo-integrity
	@echo "KiemDiem: http://$(HOST):$(PORT)/  (Ctrl-C to stop; a background worker runs beside it)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/kiemdiem worker & \
	  $(BIN)/kiemdiem runserver --noreload $(HOST):$(PORT)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict kiemdiem/engine kiemdiem/quantify

test-sqlite: dev
	$(BIN)/pytest -q

# PostgreSQL: mandatory under CI=true, otherwise run when the server answers. The PostgreSQL
# restart fault test brings its own cluster whatever DATABASE_URL says: the SQLite pass runs it.
test-postgres: dev
	@if $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser" --ignore=tests/engine --ignore=tests/quantify \
	    --ignore=tests/security/test_fault_pg_restart.py; \
	elif [ "$$CI" = "true" ]; then \
	  echo "FAIL: PostgreSQL is not reachable on 127.0.0.1:5432 and CI=true makes it mandatory" >&2; exit 1; \
	else \
	  echo "NOTE: PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL run was skipped."; \
	fi

test: lint test-sqlite test-postgres

bench: dev
	$(BIN)/python bench/bench_classify.py
	$(BIN)/python bench/bench_seed.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
