# Two commands do everything on a fresh machine: `make run` and `make test`.
# Without a bot token, `make run` starts the local sandbox (a fake Telegram in the browser);
# `patchwork run` itself always refuses to start without one.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Extra options for the sandbox, e.g. `make sandbox SANDBOX_ARGS="--port 8081 --db demo.sqlite3"`.
SANDBOX_ARGS ?=

.PHONY: run sandbox test lint typecheck unit bench migrate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# check-token exits 1 only when no token is set; an invalid setting (exit 2) goes on to
# `patchwork run`, which names it.
run: $(STAMP)
	@status=0; $(BIN)/patchwork check-token --quiet || status=$$?; \
	if [ "$$status" -eq 1 ]; then \
		exec $(BIN)/patchwork sandbox --demo --no-token $(SANDBOX_ARGS); \
	else \
		exec $(BIN)/patchwork run; \
	fi

sandbox: $(STAMP)
	@exec $(BIN)/patchwork sandbox --demo $(SANDBOX_ARGS)

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

migrate: $(STAMP)
	$(BIN)/patchwork migrate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
