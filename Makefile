# corpus_tools: run `make help` for the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= seeds
OUT ?=
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input -q

$(BIN)/python:
	@echo ">> creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "corpus_tools needs Python >= 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-core: $(BIN)/python pyproject.toml
	@echo ">> installing corpus_tools (editable) and its dependencies"
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-core
	$(PIP) install -e '.[test]'
	@touch $@

$(VENV)/.installed-lab: $(VENV)/.installed-core
	$(PIP) install -e '.[lab]'
	@touch $@

## Set up the environment (if missing) and render every notebook on CORPUS (default: seeds/)
report: $(VENV)/.installed-core
	$(BIN)/corpus-tools report --corpus "$(CORPUS)" $(if $(OUT),--out "$(OUT)")

## Set up the environment (if missing), lint, and run the test suite
test: $(VENV)/.installed-test browser
	$(BIN)/ruff check corpus_tools tests
	$(BIN)/python -m pytest

## (used by test) Debian's chromium for the browser tests, installed when missing and possible
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo ">> installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo ">> chromium not found and not installable here: the browser test will be skipped"; fi; }

## Summarize CORPUS (documents, words, dates, sources, duplicates, skipped files)
info: $(VENV)/.installed-core
	$(BIN)/corpus-tools info "$(CORPUS)"

## Score extraction on the seeds and, when ../shared/annotation/dev exists, dev-train and dev-check
eval: $(VENV)/.installed-core
	$(BIN)/corpus-tools eval --suite

## Retrain the name tagger (data/name_tagger.crfsuite) on the seeds and dev-train; score it out of fold and on the suite
tagger: $(VENV)/.installed-core
	$(BIN)/corpus-tools train-tagger
	$(BIN)/corpus-tools train-tagger --cross-validate
	$(BIN)/corpus-tools eval --suite

## Rebuild the word clusters (data/word_clusters.tsv) from ../shared/corpora, dev-check left out
clusters: $(VENV)/.installed-core
	$(BIN)/corpus-tools train-clusters $(filter-out %/partnership-news/,$(wildcard ../shared/corpora/*/)) --dev ../shared/annotation/dev

## Measure throughput on ../shared/corpora (or CORPORA=...) and write BENCHMARKS.md
bench: $(VENV)/.installed-core
	$(BIN)/corpus-tools bench $(CORPORA) --out BENCHMARKS.md

## Install JupyterLab into the environment and start it
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab notebooks/

## Lint the package and tests with ruff
lint: $(VENV)/.installed-test
	$(BIN)/ruff check corpus_tools tests

## Strip outputs from the stored notebooks (keeps cell tags)
clean-notebooks: $(VENV)/.installed-core
	$(BIN)/python -m corpus_tools.notebooks clean notebooks/*.ipynb

## Remove the environment and rendered reports
clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache *.egg-info

## Show this help
help:
	@awk '/^## /{desc=substr($$0,4); next} /^[a-zA-Z_-]+:/{ if (desc) { split($$1,t,":"); printf "  make %-16s %s\n", t[1], desc }; desc="" }' $(MAKEFILE_LIST)

.PHONY: report test browser info eval tagger clusters bench lab lint clean clean-notebooks help
