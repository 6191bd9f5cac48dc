# Quick start: `make demo` then `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench mutation libreoffice clean dist

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jixiao demo -o demo-output

# dist/: the wheel, jixiao-<version>-windows-x64.zip (offline bundle), SHA256SUMS; downloads cached in dist/cache
dist: $(STAMP)
	$(BIN)/python -m addin.release --dist dist --cache dist/cache

libreoffice:
	@bash .ci/install-libreoffice.sh

test: $(STAMP) libreoffice
	$(BIN)/ruff check udfs workbook_templates addin tests benchmarks jixiao_entry.py
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check udfs workbook_templates addin tests benchmarks jixiao_entry.py

bench: $(STAMP)
	$(BIN)/python benchmarks/udfs_scoring.py
	$(BIN)/python benchmarks/consolidate.py

# Mutation testing of the scoring core and the checks (slow: minutes per module; not in CI).
mutation: $(STAMP)
	$(BIN)/python benchmarks/mutation.py $(MODULES)

clean:
	rm -rf $(VENV) demo-output build *.egg-info dist/*.whl dist/*.zip dist/SHA256SUMS
