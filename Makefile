# SCO Tracker: `make run` serves the site with the bundled data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve test install messages lint format migrations migrations-check collectstatic clean bench loadtest backup restore data-check bench-writes bench-reader bench-imports

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) messages node_modules/.installed

# axe-core for the accessibility audit of the browser tests (tests/test_axe_browser.py), pinned in
# package-lock.json; without npm the audit is skipped with its reason.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the axe-core audit will be skipped (apt-get install npm)"; fi

# The translation catalogues (every */locale/*/LC_MESSAGES/django.po) compiled with Babel, so
# that no GNU gettext is needed; the .mo files are built, not committed.
PO_FILES := $(shell find . \( -name .venv -o -name node_modules -o -name staticfiles \) -prune -o -path '*/locale/*/LC_MESSAGES/django.po' -print)
MO_FILES := $(PO_FILES:.po=.mo)
messages: $(MO_FILES)

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po | $(STAMP)
	$(VENV)/bin/pybabel compile --domain django -i $< -o $@

# A local run as the site is served: its own error pages, static files through WhiteNoise from
# collectstatic's folder. `make run DEBUG=1` turns on Django's debug pages. Without SECRET_KEY in
# the environment, a key generated on first run into SECRET_KEY_FILE (git-ignored) is used.
DEBUG ?= 0
SECRET_KEY_FILE ?= .local-secret-key
LOCAL_KEY = SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}"

$(SECRET_KEY_FILE): | $(PY)
	umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: install $(SECRET_KEY_FILE)
	$(LOCAL_KEY) DEBUG=$(DEBUG) $(PY) manage.py migrate --noinput
	$(LOCAL_KEY) DEBUG=$(DEBUG) $(PY) manage.py load_sco_data
	$(LOCAL_KEY) DEBUG=$(DEBUG) $(PY) manage.py ensure_admin
	@$(MAKE) --no-print-directory serve

# Serve what the database holds, without migrating or loading: a quick restart after `make run`.
serve: export DEBUG := $(DEBUG)
serve: install $(SECRET_KEY_FILE)
	$(LOCAL_KEY) $(PY) manage.py collectstatic --noinput -v0
	@echo "Serving http://127.0.0.1:$(PORT)/ with debug pages $(if $(filter 1 true yes on,$(DEBUG)),on,off (make run DEBUG=1 turns them on))"
	@# The task worker beside the server: it refreshes search and facet counts after each change.
	export $(LOCAL_KEY); \
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Commands on a scratch or local database need no SECRET_KEY: they run with DEBUG=1.
migrations migrations-check data-check: export DEBUG = 1
migrations: install
	$(PY) manage.py makemigrations meetings initiatives insights

# Load the bundled data into a scratch database and check it (datasets/checks.py).
DATA_CHECK_DB := $(CURDIR)/.data-check.sqlite3
data-check: install
	rm -f $(DATA_CHECK_DB)
	DATABASE_URL=sqlite:///$(DATA_CHECK_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(DATA_CHECK_DB) TASKS_BACKEND=immediate $(PY) manage.py load_sco_data >/dev/null
	DATABASE_URL=sqlite:///$(DATA_CHECK_DB) $(PY) manage.py check_sco_data
	rm -f $(DATA_CHECK_DB)

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The site at 100,000 meetings against Django admin, raw SQL and Datasette, and the page matrix
# (every page, one request at a time): writes BENCHMARKS.md. Needs PostgreSQL on 127.0.0.1:5432
# (user postgres), Redis on 127.0.0.1:6379 and wrk. `make bench MATRIX_ONLY=1 BENCH_DB=sco_bench10k
# BENCH_MEETINGS=10000` runs the page matrix alone on its own data set (loaded when missing).
bench: install
ifdef MATRIX_ONLY
	$(PY) scripts/bench.py --matrix-only
else
	$(PY) scripts/bench.py
	$(PY) scripts/bench_reader.py
endif

# Reading one news item with 10,000 officials on record (PostgreSQL, its own database,
# sco_reader_bench): writes the "Article reader" section of BENCHMARKS.md.
bench-reader: install
	$(PY) scripts/bench_reader.py

# An editor's save at 100,000 meetings and the lag until the task worker has refreshed what it
# touched; /numbers/ and /relations/ from their stored aggregates. Writes its section of
# BENCHMARKS.md. Needs PostgreSQL on 127.0.0.1:5432.
bench-writes: install
	$(PY) scripts/bench_writes.py

# A valid meetings file of 2,000 and 20,000 rows: its dry run, its import by a task worker, and
# another editor's saves meanwhile (BENCH_IMPORT_ROWS, BENCH_DB: sco_bench_imports). Writes the
# "Large imports" part of BENCHMARKS.md. Needs PostgreSQL on 127.0.0.1:5432.
bench-imports: install
	$(PY) scripts/bench_imports.py

# 60 s at 32 connections and a 10-minute soak on the same data set, as production serves it:
# writes the "Load and soak" section of BENCHMARKS.md. Needs PostgreSQL on 127.0.0.1:5432 and wrk.
loadtest: install
	$(PY) scripts/loadtest.py

collectstatic: install
	$(PY) manage.py collectstatic --noinput

# PostgreSQL (DATABASE_URL=postgres://...): `make backup` writes backups/sco-YYYYmmdd-HHMMSS.dump
# (pg_dump custom format); `make restore FILE=backups/...dump` puts it back (pg_restore --clean).
backup:
	@bash scripts/backup.sh

restore:
	@bash scripts/restore.sh "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules $(MO_FILES)
