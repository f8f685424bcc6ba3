PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install test test-pg lint format schema bench bench-reports bench-export bench-soak serve

install:
	python3.11 -m venv $(VENV) && $(BIN)/pip install -q -e ".[test]"

test:
	$(BIN)/pytest -q

test-pg:
	GRAPHQL_API_TEST_POSTGRES_URL=$(PG_URL) $(BIN)/pytest -q

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

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

serve:
	$(BIN)/graphql-api serve --demo
