# 专利盘活对接平台 — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run test install setup lint format typecheck worker beat migrations-check deploy-check messages bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py warm_kernels
	$(PY) manage.py load_demo
	$(PY) manage.py match_all --if-stale

## make run: install, migrate, load the demo, and serve on http://$(HOST):$(PORT)/
run: setup
	@echo "专利盘活对接平台: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (SQLite + eager tasks; PostgreSQL/Redis/worker tests run when DATABASE_URL/REDIS_URL are set)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_SETTINGS_MODULE=patent_platform.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-deploy-check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-patents.example.cn} \
	DATABASE_URL=$${DATABASE_URL:-postgres://localhost/patent_platform} REDIS_URL=$${REDIS_URL:-redis://localhost:6379/0} \
	$(PY) manage.py check --deploy --fail-level WARNING

messages: install
	cd . && $(PY) manage.py makemessages -l en --ignore=.venv --ignore=demo_data --ignore=bench && $(PY) manage.py compilemessages -l en --ignore=.venv

worker: install
	$(VENV)/bin/celery -A patent_platform worker -Q celery,matching --loglevel=INFO --concurrency=2

beat: install
	$(VENV)/bin/celery -A patent_platform beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
