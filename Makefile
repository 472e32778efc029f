# Afterview's one task runner. A new user needs two targets: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Notebooks must run on this project's own Python, never on a user-level `python3` kernelspec
# that happens to win the lookup: put the venv's kernels first.
export JUPYTER_PATH := $(abspath $(VENV))/share/jupyter
export MPLBACKEND := Agg
# `make lab` / `make app` without RECORD work on a scratch copy of an example, so the
# committed examples stay as they are.
RECORD ?= scratch/ada-okafor-panel.yaml
REPORTS ?= reports

.PHONY: help install demo test lint format lab app bench bench-scale clean scratch

help:
	@echo "make demo    set up and run Afterview on the example clients"
	@echo "make test    lint, type-check and run every test"
	@echo "make lab     open the workbook in JupyterLab (RECORD=path/to/record.yaml)"
	@echo "make app     open the self-guided web app (RECORD=path/to/record.yaml)"
	@echo "make bench   run the batch benchmark"
	@echo "make bench-scale  a batch of 1,000 generated clients: time and memory (10-20 min)"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/afterview batch examples -o $(REPORTS)

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env tests notebooks

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

lab: install scratch
	$(BIN)/afterview lab $(RECORD)

app: install scratch
	$(BIN)/afterview app $(RECORD)

scratch:
	mkdir -p scratch && cp -n examples/ada-okafor-panel.yaml scratch/

bench: install
	$(BIN)/python benchmarks/bench_batch.py

bench-scale: install
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf $(REPORTS) .pytest_cache .mypy_cache .ruff_cache
