# The two commands the README promises:
#   make run   set everything up, create demo data on SQLite and serve the app
#   make test  set everything up and run the whole suite on SQLite, then on PostgreSQL
# Everything is installed into the checkout (.venv/, node_modules/); nothing global.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: setup run test test-dates frontend translations messages clean

setup: $(VENV)/.installed node_modules/.installed frontend translations
	$(BIN)/python -m compileall -q survey_app >/dev/null

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# Bytecode once, here: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every `survey` command
	@# would otherwise compile its libraries afresh (about 6 s each on a busy 2-core machine).
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib >/dev/null
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: node_modules/.installed $(VENV)/.installed
	npm run --silent build

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

run: setup
	SURVEY_MODE=demo SURVEY_BASE_URL=http://$(HOST):$(PORT) $(BIN)/survey demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop); staff sign in at http://$(HOST):$(PORT)/sign-in"
	@# The text-message worker runs beside the app (in demo mode it sends nothing) and stops with it.
	export SURVEY_MODE=demo SURVEY_BASE_URL=http://$(HOST):$(PORT); \
	$(BIN)/survey worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/survey run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m tests.run_all

# The suite on SQLite with the machine's clock moved (Debian's faketime): into a week of England bank
# holidays and a year ahead. Proves no test or rule depends on the day it runs. Playwright's driver
# (node) and Chromium keep the real clock: they crash under libfaketime, and only the app's clock matters.
MOVED_DATES ?= 2027-12-28 2027-11-30
test-dates: setup
	command -v faketime >/dev/null || { echo "Install faketime first: apt-get install faketime"; exit 1; }
	for day in $(MOVED_DATES); do \
	  echo "== the suite on $$day"; \
	  SURVEY_TEST_DB=sqlite FAKETIME_SKIP_CMDS=node faketime -m --exclude-monotonic "$$day 10:00:00" $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules survey_app/static/build instance

# After changing any user-facing text: refresh the template and every language's catalogue.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o translations/messages.pot --project survey-app --no-wrap .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete --no-fuzzy-matching
