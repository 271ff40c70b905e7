# The two commands of the README. Both set everything up from a fresh clone (Python 3.11+ and
# make only) and are idempotent: the virtual environment is rebuilt only when pyproject changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SCENARIO ?= scenarios/ransomware-hospitals.yaml

.PHONY: run headless test lint setup clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

SEED ?= 1

# the library's file names are their scenario ids, so this is where ttx run writes the log
LOG = runs/$(basename $(notdir $(SCENARIO)))-seed$(SEED).jsonl

# in a terminal: the facilitator console on the default scenario (a new session); without one
# (CI, a pipe): the headless run, its scores and its After-Action Report
run: $(STAMP)
	$(BIN)/ttx validate scenarios/*.yaml
	@if [ -t 0 ] && [ -t 1 ]; then \
		echo "$(BIN)/ttx play $(SCENARIO) --seed $(SEED)"; \
		$(BIN)/ttx play $(SCENARIO) --seed $(SEED); \
	else \
		$(MAKE) --no-print-directory headless; \
	fi

headless: $(STAMP)
	$(BIN)/ttx run $(SCENARIO) --seed $(SEED)
	$(BIN)/ttx score $(LOG)
	$(BIN)/ttx report $(LOG) --format html

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# figures, not pass/fail: how fast scenarios load, the engine's cost per event against SimPy,
# and what refusing hostile input and writing outputs atomically cost
bench: $(STAMP)
	$(BIN)/python benchmarks/loader.py
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/hardening.py
	$(BIN)/python benchmarks/sessions.py
	$(BIN)/python benchmarks/console.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
