# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make build   set up .venv and build site/ from content/
#   make test    set up .venv and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test bench serve check system-deps clean lock

build: $(STAMP)
	$(BIN)/zhengxie build

test: $(STAMP)
	$(BIN)/zhengxie fmt --check
	$(BIN)/python -m pytest -q

# Speed figures (printed, not asserted); not part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/print_speed.py
	$(BIN)/python bench/search.py 10000
	$(BIN)/python bench/run.py

serve: $(STAMP)
	$(BIN)/zhengxie serve

check: $(STAMP)
	$(BIN)/zhengxie check

system-deps:
	@bash scripts/system-deps.sh

# Reinstall when the dependencies change: exactly the versions in requirements.lock,
# checked against their hashes, then the project itself without resolving anything.
$(STAMP): pyproject.toml requirements.lock scripts/system-deps.sh
	@bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

# After changing dependencies in pyproject.toml: resolve again and record versions and hashes.
lock: $(STAMP)
	$(BIN)/python -m pip install -q "pip-tools>=7.4,<8"
	$(BIN)/pip-compile -q --generate-hashes --extra test --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) site .cache .pytest_cache
