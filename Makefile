# Every target sets up what it needs: the virtualenv is built from pyproject.toml on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dashboards test schema bench lint golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

dashboards: $(STAMP)  ## compile every dashboards/*.jsonnet into build/dashboards and validate
	$(BIN)/metta-dash build

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest

schema: $(STAMP)  ## regenerate the widget schema, components/gen/ and docs/api/ from the pinned OpenAPI spec
	$(BIN)/metta-dash schema generate

bench: $(STAMP)  ## measure validation, push and compile speed against same-run baselines
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/parallel.py
	$(BIN)/python benchmarks/validation.py
	$(BIN)/python benchmarks/push.py
	$(BIN)/python benchmarks/compile.py
	$(BIN)/python benchmarks/import_corpus.py

lint: $(STAMP)  ## ruff, then the project's own validation of its dashboards
	$(BIN)/ruff check metta_dash tests benchmarks
	$(BIN)/metta-dash validate dashboards

golden: $(STAMP)  ## refresh tests/golden/*.json from the current dashboards
	$(BIN)/python -m pytest tests/test_golden.py --update-golden -q

clean:
	rm -rf build .cache
