# Gemeinsam. `make run` serves the demo; `make test` runs the whole suite on the
# local PostgreSQL and Redis. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# Parallel checkouts on one machine pick their own database and Redis databases:
#   make test TEST_DB=gemeinsam_h1 TEST_REDIS_DB=3 TEST_REDIS_SPARE_DB=4
TEST_DB ?= gemeinsam
TEST_REDIS_ADDR ?= 127.0.0.1:6379
TEST_REDIS_DB ?= 14
TEST_REDIS_SPARE_DB ?= 12
TEST_ENV := DEBUG=0 SECRET_KEY=test-secret-key-not-for-production-0123456789abcdef \
	FIELD_ENCRYPTION_KEYS=dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE= \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(TEST_DB) \
	CELERY_BROKER_URL=redis://$(TEST_REDIS_ADDR)/$(TEST_REDIS_DB) \
	TEST_SPARE_REDIS_URL=redis://$(TEST_REDIS_ADDR)/$(TEST_REDIS_SPARE_DB) \
	SECURE_SSL_REDIRECT=0 STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: run test lint bench deploy-check install install-dev vendor-kern clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
	bash scripts/system-deps.sh run

install-dev: $(VENV)/.installed-dev node_modules/.installed
	bash scripts/system-deps.sh test

run: install
	bash scripts/run.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy .

test: install-dev
	$(PY) scripts/check-services.py $(TEST_DB)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(VENV)/bin/mypy .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*'
	$(TEST_ENV) SECURE_SSL_REDIRECT=1 $(PY) manage.py check --deploy --fail-level WARNING
	$(TEST_ENV) $(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install-dev
	$(PY) scripts/check-services.py
	$(TEST_ENV) $(PY) bench/run.py

# Build the image and run the Kubernetes manifests with podman against this
# machine's PostgreSQL and Redis (docs/operations.md). Not part of `make test`.
deploy-check: install-dev
	$(PY) scripts/deploy_check.py

vendor-kern: node_modules/.installed
	bash scripts/update-kern.sh

clean:
	rm -rf $(VENV) node_modules var
