# Two entry points: `make run` (dashboard on the seed data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= data/newsdesk.duckdb
PORT ?= 8501
# pytest-xdist workers for `make test` (tests/conftest.py says which modules share one, and runs the live ones,
# browsers and app servers against deadlines, ahead of the other worker's tests): on two cores two workers run the
# suite in 14 minutes where one takes 21. WORKERS=1 runs it in one process, as before.
WORKERS ?= 2

.PHONY: run test lint browser postgres clean mutants

run: $(VENV)/.runtime
	@test -f $(DB) || $(BIN)/python -m dashboard ingest seeds --db $(DB)
	NEWSDESK_DB=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev browser postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(if $(filter-out 1,$(WORKERS)),-n $(WORKERS) --dist loadgroup)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Mutation testing of the core modules (pyproject.toml [tool.mutmut]); long, so not part of `make test`.
# From scratch each time (mutmut would not re-test a survivor after the tests improve); one worker:
# the fast tests that reach each changed function, then the score per module. Of views/filters.py
# the link builder and the URL's sync are mutated; the widgets' layout (the sidebar, the story box, the
# chart controls, the date presets' buttons) is left to the app and browser tests.
MUTATED := dashboard.ingest.dates dashboard.ingest.dedup dashboard.nlp.bursts dashboard.charts dashboard.store.selection dashboard.store.queries \
	dashboard.store.exports dashboard.nlp.quotes dashboard.nlp.quotes_intl dashboard.nlp.names dashboard.nlp.topics
LINK_BUILDER := _valid_date _short notices _entity_label _story_labels _seed url_values write_url parse_date _commit_date current \
	_state_date query_string link article_param open_article _hold seed_settings own_param seed_page show_param view_values \
	nav_params publish_view view_query set_period _preset _around parse_series series_from_url publish_series page_params \
	summary empty_reason
# One thread for OpenMP and BLAS: mutmut forks a test run per change, and a fork of a process whose
# OpenMP pool has started (scikit-learn's k-means in the topic tests) waits on that pool's lock for ever.
mutants: export OMP_NUM_THREADS = 1
mutants: export OPENBLAS_NUM_THREADS = 1
mutants: export MKL_NUM_THREADS = 1
mutants: $(VENV)/.dev
	rm -rf mutants
	for module in $(MUTATED); do $(BIN)/mutmut run --max-children 1 "$$module.*" || exit 1; done
	$(BIN)/mutmut run --max-children 1 $(foreach f,$(LINK_BUILDER),"dashboard.views.filters.x_$(f)__mutmut_*")
	$(BIN)/python benchmarks/mutants.py --survivors

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL server binaries for the lake tests (each test session starts and stops a
# throwaway cluster on a free loopback port; no service is enabled).
postgres:
	@test -x /usr/lib/postgresql/15/bin/initdb || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql >/dev/null; }

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts mutants
