# Two entry points: `make run` (dashboard on the seed data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= data/newsdesk.duckdb
PORT ?= 8501

.PHONY: run test lint browser clean

run: $(VENV)/.runtime
	@test -f $(DB) || $(BIN)/python -m dashboard ingest seeds --db $(DB)
	NEWSDESK_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
