# `make run` and `make test` do all set-up themselves, from a fresh clone, idempotently.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
# The graphql-ws client the WebSocket tests drive (tests/ws/, its lock file committed).
WS_CLIENT := tests/ws/node_modules/.installed
# npm packages (package.json + package-lock.json, installed with `npm ci`): GraphiQL's builds,
# copied to api/static/graphiql so it works with no internet, and the GraphQL-over-HTTP audit.
GRAPHIQL_STAMP := api/static/graphiql/.installed
WEB_STAMP := web/node_modules/.installed
# The web UI's Cytoscape.js build (api/static/cytoscape/) and the browser its tests drive.
UI_STAMP := api/static/cytoscape/.installed
# The graphql-ws client's browser build (ES modules), for the web UI's live updates.
LIVE_STAMP := api/static/graphql-ws/.installed
CHROMIUM := /usr/bin/chromium
AUDIT_STAMP := tests/conformance/node_modules/.installed
SCALE ?= 10k
BENCH_ARGS ?=

.PHONY: run test lint setup neo4j-build bench clean schema reliability screenshots

$(STAMP): pyproject.toml
	@echo "installing Python packages into $(VENV) (first run: a minute or two)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

$(WS_CLIENT): tests/ws/package.json tests/ws/package-lock.json
	@echo "installing the graphql-ws test client into tests/ws/node_modules (npm ci)"
	cd tests/ws && npm ci --no-audit --no-fund --loglevel=error
	touch $(WS_CLIENT)

setup: $(STAMP) neo4j-build $(GRAPHIQL_STAMP) $(UI_STAMP) $(LIVE_STAMP) $(WS_CLIENT)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(GRAPHIQL_STAMP): $(WEB_STAMP)
	mkdir -p api/static/graphiql
	cp web/node_modules/graphiql/graphiql.min.js web/node_modules/graphiql/graphiql.min.css \
		web/node_modules/react/umd/react.production.min.js \
		web/node_modules/react-dom/umd/react-dom.production.min.js api/static/graphiql/
	touch $@

# Cytoscape.js's ES module build for the web UI (ui/), served from /static/cytoscape/ (.js: the
# type every Python's mimetypes knows, which module scripts need).
$(UI_STAMP): $(WEB_STAMP)
	mkdir -p api/static/cytoscape
	cp web/node_modules/cytoscape/dist/cytoscape.esm.min.mjs \
		api/static/cytoscape/cytoscape.esm.min.js
	cp web/node_modules/cytoscape/LICENSE api/static/cytoscape/LICENSE
	touch $@

# graphql-ws's browser build: its ES module client and the chunk it imports (no other import),
# served from /static/graphql-ws/ for ui/js/live.js (subscriptions over WebSocket).
$(LIVE_STAMP): $(WEB_STAMP)
	rm -rf api/static/graphql-ws
	mkdir -p api/static/graphql-ws
	cp web/node_modules/graphql-ws/dist/client.js web/node_modules/graphql-ws/dist/common-*.js \
		web/node_modules/graphql-ws/LICENSE.md api/static/graphql-ws/
	touch $@

# The browser the UI tests (tests/ui/) and `make screenshots` drive: Debian's chromium, installed
# once when missing (apt-get needs root).
$(CHROMIUM):
	@echo "installing Debian's chromium for the browser tests (apt-get, as root)"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

$(AUDIT_STAMP): tests/conformance/package.json tests/conformance/package-lock.json
	cd tests/conformance && npm ci --no-audit --no-fund
	touch $@

neo4j-build: $(STAMP)
	$(BIN)/cmdb neo4j build

run: setup
	$(BIN)/cmdb serve --migrate --seed-demo

test: setup $(AUDIT_STAMP) $(CHROMIUM)
	$(BIN)/pytest

# docs/ui/*.png: the UI's pages on the demo data at 1280x800, in a fresh embedded Neo4j.
screenshots: setup $(CHROMIUM)
	$(BIN)/python -m tests.ui.screenshots

# schema.graphql, the committed contract, regenerated from the code.
schema: $(STAMP)
	$(BIN)/cmdb schema --output schema.graphql

# The benchmark (bench/; never part of `make test`): SCALE is 1k, 10k, 100k or 1m.
$(BENCH_STAMP): $(STAMP)
	@echo "installing the benchmark's Python packages into $(VENV)"
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) neo4j-build
	$(BIN)/python bench/run.py --scale $(SCALE) $(BENCH_ARGS)

# Load, soak, faults and GraphQL fuzzing (FUZZ requests) against a `cmdb serve` of its own
# (tests/reliability/run.py); writes docs/reliability.md. `make test` runs only smoke versions.
DURATION ?= 300
CLIENTS ?= 32
RATE ?= 40
FAULT_SECONDS ?= 90
FAULTS ?= neo4j_kill,api_kill,neo4j_pause,disk_full
SETTLE ?= 120
FUZZ ?= 3000

reliability: setup
	$(BIN)/python -m tests.reliability.run --duration $(DURATION) --clients $(CLIENTS) \
		--rate $(RATE) --fault-seconds $(FAULT_SECONDS) --faults $(FAULTS) --settle $(SETTLE) \
		--fuzz-operations $(FUZZ)

lint: $(STAMP)
	$(BIN)/ruff check api graph resolvers migrations tests bench
	$(BIN)/ruff format --check api graph resolvers migrations tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) graph/embedded/target web/node_modules tests/conformance/node_modules \
		api/static/graphiql api/static/cytoscape api/static/graphql-ws
