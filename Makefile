# Silkbridge. `make run` and `make test` do all set-up on a fresh Debian machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
export SILKBRIDGE_CACHE_DIR ?= $(CURDIR)/var/cache

.PHONY: run test eval lint install assets translations browser pdf messages openapi clean

## run: install, migrate the SQLite database under var/, load reference and demo data, serve on :8000
## with a background worker beside the web server (scripts/serve-with-worker; Ctrl-C stops both)
run: export SILKBRIDGE_TASK_BACKEND ?= database
# Links in e-mails and .ics files point at the address this server answers on.
run: export SILKBRIDGE_SITE_URL ?= http://$(HOST):$(PORT)
run: install assets translations pdf
	@mkdir -p var
	$(BIN)/silkbridge migrate --noinput
	$(BIN)/silkbridge load_demo
	@echo ""
	@echo "Silkbridge is starting on http://$(HOST):$(PORT)/ with a background worker (stop both with Ctrl-C)"
	@scripts/serve-with-worker $(BIN) $(HOST):$(PORT)

## test: the whole suite (unit, API, import, pages in three languages, headless-browser end-to-end)
test: install assets translations browser pdf
	@mkdir -p var
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

## eval: the matching engine on the labelled evaluation set (both halves, beside its baselines: TF-IDF, no glossary), then on the outsider and probe sets
eval: install
	$(BIN)/silkbridge match silkbridge/matching/evaluation/profiles.jsonl \
		--truth silkbridge/matching/evaluation/truth.json --baselines \
		--split silkbridge/matching/evaluation/split.json
	$(BIN)/silkbridge match silkbridge/matching/evaluation/outsider/profiles.jsonl \
		--truth silkbridge/matching/evaluation/outsider/truth.json
	$(BIN)/silkbridge match silkbridge/matching/evaluation/probe/profiles.jsonl \
		--truth silkbridge/matching/evaluation/probe/truth.json

## lint: ruff, mypy, the floor plan (import-linter), dead code (vulture), Django's checks, no missing migration
lint: install
	$(BIN)/ruff check silkbridge
	$(BIN)/ruff format --check silkbridge
	$(BIN)/mypy silkbridge
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/silkbridge check
	$(BIN)/silkbridge makemigrations --check --dry-run

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

## assets: web fonts from the npm registry (the pages fall back to system fonts without npm)
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: pages will use system fonts for Urdu"; fi

## translations: compile the .po catalogues into the .mo files Django reads
translations: install
	$(BIN)/silkbridge compile_translations

## browser: Debian's chromium and the Noto fonts for the end-to-end tests
browser:
	@scripts/ensure-browser

## pdf: Pango and the Noto fonts that PDF reports need (apt, as root)
pdf:
	@scripts/ensure-pdf

## messages: extract new UI strings into the catalogues (needs GNU gettext)
messages: install
	cd silkbridge && ../$(BIN)/silkbridge makemessages -l zh_Hans -l ur --no-obsolete --no-location --ignore 'tests/*'

## openapi: regenerate the committed OpenAPI document (a test fails when it drifts from the code)
openapi: install
	@mkdir -p docs
	$(BIN)/silkbridge export_openapi_schema --api silkbridge.site.api.api --indent 2 --sorted --output docs/openapi.json

clean:
	rm -rf $(VENV) node_modules var
