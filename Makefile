# reportgen — everyday commands.  `make demo` and `make test` work on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's native libraries, the CJK fonts the PDF embeds, and poppler for PDF checks.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
# Only for `make test`: the browser test renders the HTML briefing at phone width (skipped without it).
TEST_APT_PACKAGES := chromium
PYTEST_ARGS ?=
# The suite on up to 4 processes, each test file whole on one (its module fixtures built once);
# `make test PYTEST_PARALLEL=` runs it in one process.
PYTEST_PARALLEL ?= -n auto --maxprocesses 4 --dist loadfile

.PHONY: setup system python demo test lint format typecheck bench golden catalogs clean

setup: system python

# System packages, once per checkout (the stamp lives in the venv folder, which git ignores).
system: $(VENV)/.system-packages
$(VENV)/.system-packages:
	@if command -v apt-get >/dev/null 2>&1; then \
	  extra=""; $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || extra="python3-venv python3-pip"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) $$extra; \
	else echo "apt-get not found: install $(APT_PACKAGES) with your package manager" >&2; fi
	@mkdir -p $(VENV) && touch $@

python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/reportgen demo --out demo-out

test: setup $(VENV)/.test-packages
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

$(VENV)/.test-packages:
	@if command -v apt-get >/dev/null 2>&1; then \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_APT_PACKAGES) \
	  || echo "could not install $(TEST_APT_PACKAGES): the browser test will be skipped" >&2; \
	fi
	@touch $@

lint: python
	$(BIN)/ruff check reportgen tests benchmarks
	$(BIN)/mypy reportgen

format: python
	$(BIN)/ruff format reportgen tests benchmarks

typecheck: python
	$(BIN)/mypy reportgen

bench: setup $(VENV)/.bench-packages
	$(BIN)/python benchmarks/run.py

# rss2email for the side-by-side benchmark (the bench extra); without it that benchmark says so and skips.
$(VENV)/.bench-packages: pyproject.toml
	$(BIN)/python -m pip install -q -e '.[bench]' || echo "could not install rss2email: bench_rss2email.py will skip" >&2
	@touch $@

# Regenerates the golden HTML under tests/golden/ from the fixed dataset and frozen clock.
golden: setup
	REPORTGEN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py -q

# Re-extracts the report's strings (templates and reportgen/*.py) into reportgen/locale/reportgen.pot and
# merges them into reportgen/locale/zh_CN.po.  Translate the new empty msgstr entries, then run the tests:
# tests/test_i18n.py fails while any message is untranslated.  No compile step: reportgen compiles the
# .po in memory when a language is first used.
catalogs: python
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project reportgen \
	  --copyright-holder reportgen -o reportgen/locale/reportgen.pot .
	$(BIN)/pybabel update -i reportgen/locale/reportgen.pot -o reportgen/locale/zh_CN.po -l zh_CN \
	  --no-fuzzy-matching --ignore-obsolete --width 120

clean:
	rm -rf demo-out build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
