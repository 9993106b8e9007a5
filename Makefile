# pao — `make` sets up everything and builds every document; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# what PDF needs: LibreOffice Writer, its Python bridge, the fonts the templates use, and Symbola: the glyphs of
# emoji and symbols people type (📱, ✔, ➤) that the others lack, in outlines PDF/A embeds (a colour emoji font
# such as fonts-noto-color-emoji is bitmaps LibreOffice's PDF does not embed well); jemalloc, the allocator
# LibreOffice is given (a tenth less CPU a document than glibc's malloc); Calc, for the tests that open
# the progress forms as a person's spreadsheet program would; Debian's chromium, for the browser tests of
# pao serve (Playwright drives it, without browsers of its own)
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-liberation fonts-dejavu-core fonts-symbola libjemalloc2 poppler-utils chromium

.PHONY: all build setup system test golden bench schema templates clean

all: build

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# installs LibreOffice (and chromium, for the browser tests of pao serve) where missing and the machine allows it (root with apt-get)
system:
	@if command -v soffice >/dev/null 2>&1 && /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 \
	    && [ -e "$$(dirname "$$(readlink -f "$$(command -v soffice)")")/libscfiltlo.so" ] \
	    && fc-list | grep -q LiberationSans && fc-list | grep -q Symbola && command -v pdftotext >/dev/null 2>&1 \
	    && /usr/bin/python3 -c 'import ctypes.util, sys; sys.exit(not ctypes.util.find_library("jemalloc"))' \
	    && command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
	  echo "PDFs need LibreOffice, the browser tests chromium: sudo apt-get install $(SYSTEM_PACKAGES) (Word files are built anyway)"; \
	fi

build: setup system
	$(BIN)/pao build

test: setup
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

# refresh the golden text renderings in tests/golden/ (review the diff, then commit)
golden: setup
	$(BIN)/python -m tests.golden

# whole-process timings as ratios to references: make bench [ARGS=--quick | ARGS="--runs 9"]
bench: setup
	$(BIN)/python -m tests.bench $(ARGS)

schema: setup
	$(BIN)/pao schema

# start the Word templates of every layout over; refuses to overwrite one changed in Word since (templates/<layout>/generated.json) unless FORCE=1
templates: setup
	$(BIN)/python templates/make_templates.py $(if $(FORCE),--force)

clean:
	rm -rf build
