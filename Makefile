# The two commands that matter: `make run` serves, `make test` passes.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-fast test-fuzz lint typecheck openapi demo bench clean web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies only; re-installed when pyproject.toml changes.
$(VENV)/.deps-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.deps-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.deps-run

# The web app, built when Node >= 20 and npm are present and its sources changed; skipped otherwise (the API
# still runs and / says how to build the app).
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
               web/package.json web/package-lock.json
web: web/dist/index.html
web/dist/index.html: $(WEB_SOURCES)
	@if node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null \
	    && command -v npm >/dev/null 2>&1; then \
	  cd web && npm ci --no-audit --no-fund && npm run build; \
	else \
	  echo "Node.js >= 20 with npm not found: the web app is not built (the API runs; / says how to build it)."; \
	fi

run: $(VENV)/.deps-run web
	$(BIN)/seedbed migrate
	$(BIN)/seedbed serve --host $(HOST) --port $(PORT)

# The suite runs on both cores, each worker on its own database (SEEDBED_TEST_DATABASE_URL: PostgreSQL).
TEST_WORKERS ?= 2
test: $(VENV)/.deps-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The edit loop: unit tests only (no database, app or server).
test-fast: $(VENV)/.deps-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m unit $(PYTEST_ARGS)

# Schemathesis over every operation alone (also part of `make test`).
test-fuzz: $(VENV)/.deps-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m fuzz $(PYTEST_ARGS)

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check app tests migrations
	$(BIN)/mypy app

typecheck: $(VENV)/.deps-dev
	$(BIN)/mypy app

# Regenerate the committed OpenAPI document after an API change.
openapi: $(VENV)/.deps-dev
	$(BIN)/seedbed openapi > openapi/openapi.json

demo: $(VENV)/.deps-run
	$(BIN)/seedbed migrate
	$(BIN)/seedbed demo-data

# Load benchmarks (bench/README.md): not part of `make test`. SCALE=district|city|national, DB=sqlite|postgresql;
# PostgreSQL runs use SEEDBED_BENCH_POSTGRES (a server URL; the benchmark creates its own database there).
SCALE ?= district
DB    ?= sqlite
BENCH_ARGS ?=
# PEER=directus: Seedbed and Directus side by side instead (SQLite; bench/sidebyside.py).
PEER  ?=
bench: $(VENV)/.deps-run
ifeq ($(PEER),directus)
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/sidebyside.py --scale $(SCALE) $(BENCH_ARGS)
else
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/load.py --scale $(SCALE) --db $(DB) $(BENCH_ARGS)
endif

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
