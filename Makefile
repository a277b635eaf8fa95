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

# requirements.lock pins every package that was tested (`make lock` refreshes it); installs
# use it as constraints, so a new machine gets the same versions CI proved.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_demo --password '$(DEMO_PASSWORD)'
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

# Pin the versions installed now (after a dependency change in pyproject.toml).
lock: $(VENV)/.installed-test
	$(BIN)/python -m pip freeze --exclude-editable --all | grep -vE '^(pip|setuptools|wheel)==' > requirements.lock

# Known vulnerabilities in the pinned dependencies.
audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --requirement requirements.lock --no-deps --disable-pip --progress-spinner off

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .test-media
