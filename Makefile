# One command to set up and run the check on the seed case, one to set up and run every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The SARIF 2.1.0 JSON schema that Microsoft's SARIF SDK publishes in its npm package
# @microsoft/jest-sarif; the report tests validate `compliance report --format sarif` against it.
SARIF_PACKAGE := @microsoft/jest-sarif@1.0.0-beta.0
SARIF_SCHEMA := $(VENV)/share/sarif/sarif-2.1.0-rtm.5.json

.PHONY: setup compiled browser office postgres demo test lint docs fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The compiled build (mypyc; README, Performance) in a virtualenv of its own, for large batches
## and the benchmark: `.venv-compiled/bin/compliance check DIR --jobs 2 --format jsonl -o out.jsonl`.
COMPILED_VENV ?= .venv-compiled
compiled: setup
	rm -rf build/compiled-dist
	COMPLIANCE_COMPILE=1 $(BIN)/pip wheel --quiet --no-build-isolation --no-deps -w build/compiled-dist .
	$(PYTHON) -m venv $(COMPILED_VENV)
	$(COMPILED_VENV)/bin/pip install --quiet --upgrade pip
	$(COMPILED_VENV)/bin/pip install --quiet --force-reinstall build/compiled-dist/compliance-*.whl

$(SARIF_SCHEMA):
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent $(SARIF_PACKAGE) >/dev/null && \
	  tar -xzf microsoft-jest-sarif-*.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json && \
	  mv package/lib/schemas/sarif-2.1.0-rtm.5.json . && rm -rf package microsoft-jest-sarif-*.tgz

## Debian's chromium and Noto CJK fonts, for the HTML report's browser test (apt-get, as root).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium or fonts-noto-cjk missing: the browser test skips (CI installs them)"; fi; \
	fi

## LibreOffice Writer and Calc (headless) and poppler: rendering the Word report to PDF and PNG
## in its test, and the form tests (.xls/.ods conversions, re-opening the summary workbook)
## (apt-get, as root); the Word charts' CJK font comes with `browser` (fonts-noto-cjk).
office:
	@writer=no; calc=no; \
	dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 && writer=yes; \
	dpkg -s libreoffice-writer >/dev/null 2>&1 && writer=yes; \
	dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 && calc=yes; \
	dpkg -s libreoffice-calc >/dev/null 2>&1 && calc=yes; \
	if [ $$writer = no ] || [ $$calc = no ] || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    suffix=-nogui; \
	    dpkg -s libreoffice-core >/dev/null 2>&1 && suffix=; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libreoffice-writer$$suffix libreoffice-calc$$suffix poppler-utils >/dev/null; \
	  else echo "LibreOffice Writer/Calc or poppler-utils missing: the Word rendering and form tests skip (CI installs them)"; fi; \
	fi

## Debian's postgresql, for the findings store's tests on a real server (apt-get, as root).
## `make test` runs pytest under .ci/with-postgres, which also installs it when missing and starts
## a throwaway cluster on 127.0.0.1 (URL in COMPLIANCE_TEST_POSTGRES_URL), removed afterwards.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql missing: the store tests on PostgreSQL skip (CI installs it)"; fi; \
	fi

## Check the seed case (Qingdao 2020 e-government funds) and print the findings.
demo: setup
	$(BIN)/compliance check cases/qingdao-egov-2020 --fail-on none

## Lint, type-check, validate the rule pack, and run every test.
test: setup $(SARIF_SCHEMA) browser office postgres lint
	.ci/with-postgres $(BIN)/pytest
	$(BIN)/pytest -m valgrind

## Regenerate rules/rule.schema.json and docs/rules/ after changing rules or the rule models.
docs: setup
	$(BIN)/compliance rules docs

## A long fuzz run: atheris (coverage-guided libFuzzer) from the stored corpus for FUZZ_SECONDS,
## failing inputs added to tests/data/fuzz/, then the property tests with a large budget.
FUZZ_SECONDS ?= 600
fuzz: setup
	$(BIN)/pip install --quiet -e '.[fuzz]'
	$(BIN)/python -m tests.fuzz.fuzz --seconds $(FUZZ_SECONDS)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:cacheprovider tests/test_properties.py

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(COMPILED_VENV) build .pytest_cache .mypy_cache .ruff_cache src/*.egg-info
