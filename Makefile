# salesxl — two commands for a new user: `make demo` and `make test`.
# Both create .venv with the project and its test extras on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench templates macros clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "salesxl needs Python 3.11 or newer; set PYTHON=python3.11 (or newer) and run make again")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/salesxl demo

test: lint typecheck
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check salesxl tests benchmarks docs
	$(BIN)/ruff format --check salesxl tests benchmarks docs

typecheck: $(STAMP)
	$(BIN)/mypy salesxl

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_consolidate.py
	$(BIN)/python benchmarks/bench_targets.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_returns.py
	$(BIN)/python benchmarks/bench_scorecards.py
	$(BIN)/python benchmarks/bench_chase.py
	$(BIN)/python benchmarks/bench_packs.py
	$(BIN)/python benchmarks/bench_watch.py
	$(BIN)/python benchmarks/bench_hostile.py

templates: $(STAMP)
	$(BIN)/salesxl templates build -o templates/

macros: $(STAMP)
	$(BIN)/salesxl macros build -o macros/salesxl_manager.xlsm

clean:
	rm -rf $(VENV) demo build *.egg-info .pytest_cache .hypothesis
