# Two commands do everything on a fresh machine: `make run` and `make test`.
# Without a bot token, `make run` starts the local sandbox (a fake Telegram in the browser);
# `patchwork run` itself always refuses to start without one.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Extra options for the sandbox, e.g. `make sandbox SANDBOX_ARGS="--port 8081 --db demo.sqlite3"`.
SANDBOX_ARGS ?=

# The suites that touch the database, run a second time on PostgreSQL.
POSTGRES_TESTS ?= tests/storage tests/e2e

.PHONY: run sandbox test lint typecheck unit test-postgres postgres-pass bench migrate clean

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

test: $(STAMP) lint typecheck unit postgres-pass

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Everything on SQLite (the default backend).
unit: $(STAMP)
	PATCHWORK_TEST_BACKEND=sqlite $(BIN)/pytest

# The storage and end-to-end suites on PostgreSQL: on the server PATCHWORK_TEST_POSTGRES_URL
# names (its user may create databases), else on a throw-away cluster that .ci/postgres
# starts from Debian's `postgresql` package and removes afterwards.
test-postgres: $(STAMP)
	@if [ -n "$$PATCHWORK_TEST_POSTGRES_URL" ]; then \
		echo "PostgreSQL pass on PATCHWORK_TEST_POSTGRES_URL"; \
		PATCHWORK_TEST_BACKEND=postgresql $(BIN)/pytest $(POSTGRES_TESTS); \
	else \
		echo "PostgreSQL pass on a throw-away cluster (.ci/postgres)"; \
		.ci/postgres run env PATCHWORK_TEST_BACKEND=postgresql $(BIN)/pytest $(POSTGRES_TESTS); \
	fi

# Part of `make test`: the PostgreSQL pass when a server is at hand, else one line saying
# why not. PATCHWORK_TEST_POSTGRES=off leaves it out on purpose. With CI=true a skipped pass
# fails the run.
postgres-pass: $(STAMP)
	@reason=""; \
	if [ "$$PATCHWORK_TEST_POSTGRES" = "off" ]; then \
		reason="PATCHWORK_TEST_POSTGRES=off"; \
	elif [ -z "$$PATCHWORK_TEST_POSTGRES_URL" ] && ! .ci/postgres available; then \
		reason="no server (apt-get install postgresql, or set PATCHWORK_TEST_POSTGRES_URL)"; \
	fi; \
	if [ -z "$$reason" ]; then \
		exec $(MAKE) --no-print-directory test-postgres; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL pass skipped: $$reason; CI=true needs it"; exit 1; \
	else \
		echo "PostgreSQL pass skipped: $$reason"; \
	fi

bench: $(STAMP)
	$(BIN)/python -m benchmarks

migrate: $(STAMP)
	$(BIN)/patchwork migrate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
