# Two commands for a newcomer: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
AS_OF  ?= 2026-11-25

.PHONY: install demo test samples bench serve clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,web,dask]'
	touch $@

# Build every output for both bundled samples (the second has errors on purpose: exit 1 is expected).
demo: install
	$(BIN)/accountplan build samples/harbor-line-logistics.xlsx -o output --as-of $(AS_OF)
	$(BIN)/accountplan build samples/cobalt-ridge-health.xlsx -o output --as-of $(AS_OF) || [ $$? -eq 1 ]
	# The same samples in the example kit's brand, logo and wording, into output/northwind/ (they were made with
	# the built-in template, so each says so with a `kit-other` warning).
	$(BIN)/accountplan build samples/harbor-line-logistics.xlsx -o output/northwind --kit kits/northwind --as-of $(AS_OF)
	$(BIN)/accountplan build samples/cobalt-ridge-health.xlsx -o output/northwind --kit kits/northwind --as-of $(AS_OF) || [ $$? -eq 1 ]

test: install
	$(BIN)/python -m pytest -q

# Regenerate the committed blank template and the sample workbooks from code.
samples: install
	$(BIN)/accountplan new-template -o templates/account-plan.xlsx --force
	$(BIN)/accountplan samples -o samples

bench: install
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/web_load.py

# The web page for reps on http://127.0.0.1:8000/ (Ctrl-C stops it).
serve: install
	$(BIN)/accountplan serve

clean:
	rm -rf output .pytest_cache .hypothesis
