# Oppfølging — the README's two commands, and the steps they are made of.
# `make run`  sets everything up on a fresh machine and serves on http://127.0.0.1:8000
# `make test` lint, types, migrations check, translations, the whole test suite

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
# Two workers: the machines have two cores, and the suite takes about half the time.
PYTEST_ARGS ?= -n 2
PORT   ?= 8000

.PHONY: run test install static messages lint typecheck migrations-check pytest demo-logins clean bench-ke-overview bench-plan bench-risk bench-indicators

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Compiles locale/*/LC_MESSAGES/django.po with Babel (pure Python: no gettext tools needed).
messages: $(VENV)/.installed
	$(PY) -m oppfolging.lib.catalogs compile locale

run: install messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo
	@echo
	@echo "  Oppfølging runs on http://$(HOST):$(PORT)"
	@echo "  Log in as e.g. fjordvik-koordinator, fjordvik-ke, fjordvik-admin or per,"
	@echo "  password: demo-oppfolging-2026. Every demo user: $(PY) manage.py demo_logins"
	@echo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

demo-logins: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py demo_logins

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	OPPFOLGING_TESTING=1 $(VENV)/bin/mypy config oppfolging conftest.py tests

migrations-check: $(VENV)/.installed
	OPPFOLGING_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

pytest: install messages
	OPPFOLGING_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck migrations-check messages pytest

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .mypy_cache .ruff_cache

# The KE overview benchmark (benchmarks/README.md): a throwaway SQLite database in var/bench/ by
# default; BENCH_DATABASE_URL=postgres://…/oppfolging_bench for PostgreSQL (createdb it first).
BENCH_PERSONS      ?= 5000
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench/ke-overview.sqlite3

bench-ke-overview: $(VENV)/.installed
	mkdir -p var/bench
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_ke_overview --persons $(BENCH_PERSONS)

# The coordinator's day and the plan pages as a caseload and a plan grow (benchmarks/plan_pages.py).
BENCH_PLAN_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench/plan-pages.sqlite3

bench-plan: $(VENV)/.installed messages
	mkdir -p var/bench
	DEBUG=1 DATABASE_URL=$(BENCH_PLAN_DATABASE_URL) $(PY) benchmarks/plan_pages.py

# The population risk batch at scale (benchmarks/risk.py): 1 000 000 synthetic persons with about
# 20 events each, cached under var/bench/risk-1m/, scored on a throwaway SQLite database.
BENCH_RISK_PERSONS ?= 1000000

bench-risk: $(VENV)/.installed
	mkdir -p var/bench
	BENCH_RISK_PERSONS=$(BENCH_RISK_PERSONS) $(PY) benchmarks/risk.py

# The leaders' indicators at 3 000 and 30 000 persons side by side (benchmarks/indicators.py): two
# throwaway SQLite databases under var/bench/, built once and kept while the builder is unchanged;
# BENCH_DATABASE_URL=postgres://…/oppfolging_bench for PostgreSQL (databases <name>_indicators_N).
bench-indicators: $(VENV)/.installed
	mkdir -p var/bench
	BENCH_DATABASE_URL=$(if $(filter environment command line,$(origin BENCH_DATABASE_URL)),$(BENCH_DATABASE_URL),) \
		$(PY) benchmarks/indicators.py
