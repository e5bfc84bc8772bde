# SCO Tracker: `make run` serves the site with the bundled data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint format migrations migrations-check collectstatic clean bench loadtest backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_sco_data
	$(PY) manage.py ensure_admin
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: install
	$(PY) manage.py makemigrations meetings initiatives

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The site at 100,000 meetings against Django admin, raw SQL and Datasette: writes BENCHMARKS.md.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 127.0.0.1:6379 and wrk.
bench: install
	$(PY) scripts/bench.py

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
	rm -rf $(VENV) staticfiles .pytest_cache
