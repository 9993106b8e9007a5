# pao — `make` sets up everything and builds every document; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build setup test golden bench schema templates clean

all: build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/pao build

test: setup
	$(BIN)/python -m pytest

# refresh the golden text renderings in tests/golden/ (review the diff, then commit)
golden: setup
	$(BIN)/python -m tests.golden

bench: setup
	$(BIN)/python -m tests.bench

schema: setup
	$(BIN)/pao schema

# start the Word templates over (overwrites changes made in Word)
templates: setup
	$(BIN)/python templates/make_templates.py

clean:
	rm -rf build
