# One command to set up and run the check on the seed case, one to set up and run every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Check the seed case (Qingdao 2020 e-government funds) and print the findings.
demo: setup
	$(BIN)/compliance check cases/qingdao-egov-2020 --fail-on none

## Lint, type-check, validate the rule pack, and run every test.
test: setup lint
	$(BIN)/pytest

## Regenerate rules/rule.schema.json and docs/rules/ after changing rules or the rule models.
docs: setup
	$(BIN)/compliance rules docs

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache src/*.egg-info
