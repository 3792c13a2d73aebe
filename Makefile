# The front door: `make run` and `make test` on a fresh machine, nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app web
export HOST ?= 127.0.0.1
PORT ?= 8000
export DATABASE_URL ?= sqlite:///$(CURDIR)/instance/fawang.db

.PHONY: run serve test test-fast lint messages bench bench-http assets browser db clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end packages (bpmn-js, dmn-js, Chart.js) copied from npm into web/static/vendor.
assets: node_modules/.installed
	$(BIN)/python tools/vendor_assets.py

db: $(VENV)/.installed
	mkdir -p instance
	$(FLASK) init-db
	$(FLASK) deploy processes/
	$(FLASK) seed-demo > instance/demo-logins.txt

# gunicorn and the worker (Procfile); once the site answers, its address and the demo logins.
# honcho gives the first process (web) the port; Ctrl-C stops both.
run: $(VENV)/.installed assets db
	@$(BIN)/honcho start -f Procfile -p $(PORT) & honcho=$$!; \
	trap 'kill -TERM $$honcho 2>/dev/null; wait $$honcho; exit 0' INT TERM; \
	$(BIN)/python tools/announce.py http://$(HOST):$(PORT) instance/demo-logins.txt; \
	wait $$honcho

test: $(VENV)/.installed node_modules/.installed assets browser
	$(BIN)/pytest -n 2 --dist loadfile

test-fast: $(VENV)/.installed
	$(BIN)/pytest -m "not browser" -x -q

# Browser tests drive Debian's Chromium; install it when we can (root), never download one.
browser:
	@{ test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -qi wqy; } || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-wqy-microhei >/dev/null) || \
	  echo "Chromium is not installed: browser tests will be skipped (apt-get install chromium)"; }

# The English catalogue after strings were added (web/ and the engine's messages); then
# translate the entries left empty and run `pybabel compile -d web/translations`.
messages: $(VENV)/.installed
	$(BIN)/python tools/messages.py $(PO)

lint: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check engine web tests bench tools
	$(BIN)/python tools/check_layers.py
	$(BIN)/python tools/check_templates.py
	npx --no-install bpmnlint processes/*.bpmn

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

# Only the HTTP benchmark (gunicorn, PostgreSQL and SQLite); bench/http_profile.py shows where
# a request's time goes.
bench-http: $(VENV)/.installed
	$(BIN)/python bench/http_bench.py

clean:
	rm -rf $(VENV) node_modules instance web/static/vendor
