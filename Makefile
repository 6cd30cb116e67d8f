# The commands the README gives. `make run` and `make test` work on a fresh clone with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
export FLASK_APP := wsgi

.PHONY: run test lint format serve bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	$(FLASK) db upgrade
	$(FLASK) courses import courses
	$(FLASK) ce import-rules ce-rules
	@echo "eduapp is serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	@echo "background jobs run beside the server, queued in instance/queue.sqlite3"
	@echo "(without EDUAPP_SMTP_HOST, mail is written as .eml files in instance/files/outbox)"
	@# The job worker runs beside the server and stops with it (Ctrl+C, or the server exiting).
	$(FLASK) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# COVERAGE= runs the suite without measuring coverage (tracing costs about two-thirds more time).
COVERAGE ?= --cov --cov-report=term
test: install-dev
	$(FLASK) courses check courses
	$(BIN)/pytest $(COVERAGE) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production settings: EDUAPP_SECRET_KEY, EDUAPP_DATABASE_URL and EDUAPP_BASE_URL must be set.
serve: install
	EDUAPP_ENV=production $(FLASK) db upgrade
	EDUAPP_ENV=production $(FLASK) search rebuild --missing
	EDUAPP_ENV=production $(BIN)/gunicorn --workers $${WORKERS:-2} --bind $${BIND:-127.0.0.1:8000} wsgi:app

# Item analysis at 100,000 attempts, a 1,000-staff clinic dashboard, the module preview,
# search and a learner's pages (these need wrk), timed against a hello-world route served the
# same way (see bench/README.md).
bench: install-dev
	$(BIN)/python bench/item_analysis.py $(BENCH_ARGS)
	$(BIN)/python bench/clinic_dashboard.py
	$(BIN)/python bench/preview.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov test-artifacts
