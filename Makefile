# Civic Labour — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= demo

.PHONY: run test lint format messages install clean serve lock audit backup restore bench

# The stamp files make re-runs fast: pip runs again only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# requirements/base.txt pins, with their hashes, every package production runs; requirements/
# test.txt adds what tests and linters need, at the same versions (`make lock` refreshes both
# from pyproject.toml). pip refuses a package whose hash differs, so a new machine installs
# exactly what CI proved. The project itself is installed without dependencies.
$(VENV)/.installed: requirements/base.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_demo --password '$(DEMO_PASSWORD)'
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE, set in
# some containers): otherwise each of the suite's processes (a worker per core, the settings
# tests' subprocesses) compiles every module and rewrites every test's asserts again, which
# took 6 of each worker's first seconds instead of 2.
test: $(VENV)/.installed-test
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

# Refresh the Vietnamese catalogue after changing visible strings, then translate and compile.
messages: $(VENV)/.installed-test
	DEBUG=true $(BIN)/python manage.py makemessages --locale vi --no-obsolete --add-location file --ignore '.venv/*' --ignore 'tests/*'
	DEBUG=true $(BIN)/python manage.py compilemessages --locale vi --ignore '.venv/*'

# Production-style serving: gunicorn (workers from the CPU count, see gunicorn.conf.py) with
# whitenoise for static files and DEBUG off. Settings come from the environment: SECRET_KEY,
# ALLOWED_HOSTS and DATABASE_URL at least (see .env.example).
serve: $(VENV)/.installed
	$(BIN)/python manage.py check --deploy
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn --config gunicorn.conf.py

# Load test of the production set-up (gunicorn, DEBUG off) on the province-scale data; writes
# bench/results.md. BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/civic_bench)
# is created, migrated and filled when needed; BENCH_SECONDS, BENCH_CONNECTIONS tune the load.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# One archive with the database and the uploaded files (README, "Backups"); restore migrates.
backup: $(VENV)/.installed
	$(BIN)/python manage.py backup

restore: $(VENV)/.installed
	@test -n '$(FILE)' || { echo 'usage: make restore FILE=backups/civic-labour-….tar.gz'; exit 2; }
	$(BIN)/python manage.py restore '$(FILE)'

# Re-resolve the locked versions after a dependency change in pyproject.toml (uv, installed
# with the test tools, resolves for every platform and records the hashes). Versions already
# locked are kept where they still satisfy pyproject.toml; `make lock UPGRADE=1` takes the newest.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.installed-test
	$(LOCK) --output-file requirements/base.txt
	$(LOCK) --extra test --constraint requirements/base.txt --output-file requirements/test.txt

# Known vulnerabilities in the locked dependencies (production and test tools).
audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --requirement requirements/test.txt --require-hashes --no-deps --disable-pip --progress-spinner off

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .test-media
