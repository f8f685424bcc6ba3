PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379/15
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install test test-pg test-redis lint format schema bench bench-reports bench-export bench-soak bench-faults bench-http serve

install:
	python3.11 -m venv $(VENV) && $(BIN)/pip install -q -e ".[test]"

test:
	$(BIN)/pytest -q

test-pg:
	GRAPHQL_API_TEST_POSTGRES_URL=$(PG_URL) $(BIN)/pytest -q

# Rate limits shared through Redis; the tests delete this app's keys in that database.
test-redis:
	GRAPHQL_API_TEST_REDIS_URL=$(REDIS_URL) $(BIN)/pytest -q tests/auth/test_rate_limit.py

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

schema:
	$(BIN)/graphql-api export-schema > schema.graphql

bench:
	$(BIN)/python bench/ingest_bench.py

bench-reports:
	$(BIN)/python bench/reports_bench.py

bench-export:
	$(BIN)/python bench/export_bench.py

# 20 minutes of mixed traffic on a private PostgreSQL cluster (docs/releasing.md).
bench-soak:
	$(BIN)/python bench/soak.py

# Faults on private PostgreSQL clusters, run on demand (docs/releasing.md): every
# script runs even when one before it finds lost or double-counted data.
bench-faults:
	status=0; for script in pg_restart kill_refresh two_servers; do \
	  $(BIN)/python bench/faults/$$script.py || status=1; done; exit $$status

# Head to head on loopback: graphql-api, PostGraphile 5, the thinnest strawberry app and a raw
# asyncpg endpoint on a private PostgreSQL cluster (about 12 minutes; --quick for 3).
bench-http:
	$(BIN)/python bench/http_bench.py

serve:
	$(BIN)/graphql-api serve --demo
