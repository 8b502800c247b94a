# Versus — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# Development commands run with DEBUG on (the settings' default is off) unless the
# environment says otherwise: `make serve` says false.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

.DEFAULT_GOAL := help

# Before a virtualenv exists, make sure the interpreter that will create it is new enough:
# one clear line instead of a traceback from deep inside pip or Django.
ifeq ($(filter help clean,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(STAMP)),)
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PYTHON_OK := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null)
ifneq ($(PYTHON_OK),1)
$(error Versus needs Python 3.11 or newer, but '$(PYTHON)' is $(if $(PYTHON_VERSION),Python $(PYTHON_VERSION),not a working Python). Install 3.11+ and run: make run PYTHON=/path/to/python3.11)
endif
endif
endif
.PHONY: help run serve bench framework-bench soak test lint format install migrate load superuser clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(STAMP)  ## Create .venv and install the pinned requirements

migrate: install  ## Apply database migrations
	$(DEV) $(BIN)/python manage.py migrate --noinput

load: migrate  ## Load the shipped knowledge base (keeps existing records as they are)
	$(DEV) $(BIN)/python manage.py load_knowledge_base

run: load  ## Set up everything and serve on http://127.0.0.1:8000 (SQLite)
	@echo "Versus is starting at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/ — create a login with 'make superuser')"
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings (DEBUG off needs DJANGO_SECRET_KEY; see docs/deploy.md).
serve: export DJANGO_DEBUG ?= false
serve: export DJANGO_STATICFILES_STORAGE ?= whitenoise.storage.CompressedManifestStaticFilesStorage
serve: load  ## Serve with gunicorn (config/gunicorn.py) and WhiteNoise, as in production
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi

bench: install  ## Load-test on PostgreSQL + Redis with wrk; prints req/s vs a baseline
	$(BIN)/python bench/run.py

framework-bench: install  ## Versus's own framework benchmarks (bench/frameworks/): one JSON result, ~1 h
	$(BIN)/python bench/frameworks/suite.py run

soak: install  ## Mixed load with faults (own PostgreSQL, Redis, gunicorn); ~6 min, see docs/reliability.md
	$(BIN)/python bench/soak.py

superuser: migrate  ## Create an admin login for yourself
	$(DEV) $(BIN)/python manage.py createsuperuser

# Two workers (pytest-xdist), each test file on one of them: the suite's module-wide
# fixtures, servers and ports stay within a file. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: install  ## Run the whole test suite
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install  ## ruff lint and format check, Django checks, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install  ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:  ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
