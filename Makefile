# Warta: `make run` serves the demo blog; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
THREADS ?= 1
export WARTA_DATA_DIR ?= $(CURDIR)/data

.PHONY: run serve install test test-fast lint format messages bench clean editor

$(BIN)/warta: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/warta

install: $(BIN)/warta

run: install
	$(BIN)/warta migrate --noinput -v0
	$(BIN)/warta collectstatic --noinput -v0
	$(BIN)/warta demo
	@# Until the demo blog's owner has signed in once (a fresh data folder): a one-click way in.
	@$(BIN)/warta blog link kabar --if-never-signed-in --base-url http://$(HOST):$(PORT)
	@echo "Warta: http://$(HOST):$(PORT)/  (data in $(WARTA_DATA_DIR))"
	$(BIN)/warta serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --threads $(THREADS)

LINTED := warta tests scripts bench conftest.py

test: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser" -x

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: install
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

messages: install
	for app in warta/*/locale; do (cd $$(dirname $$app) && ../../$(BIN)/warta makemessages -l id -l en --no-obsolete); done
	for app in warta/*/locale; do (cd $$(dirname $$app) && ../../$(BIN)/warta compilemessages); done

bench: install
	$(BIN)/python -m bench

# The desk's rich editor (Tiptap), vendored in warta/desk/static/desk/editor/: refreshed from
# npm at the exact versions of warta/desk/jsbuild/package-lock.json, with the licences.
EDITOR_BUILD := warta/desk/jsbuild
editor:
	cd $(EDITOR_BUILD) && npm ci --no-audit --no-fund && node build.mjs

clean:
	rm -rf data .pytest_cache
