# Zhengban: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test bench install check messages clean-var shell

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Bring the whole office up: embedded PostgreSQL + Redis (unless DATABASE_URL / REDIS_URL are
## set), migrations, translations, demo office, web + Celery worker + beat.
run: $(STAMP)
	$(BIN)/python -m config.devserver

## The whole test suite on PostgreSQL (DATABASE_URL when set, otherwise the embedded one).
test: $(STAMP)
	DEBUG= $(BIN)/python -m pytest $(PYTEST_ARGS)

## Seeds a large office into a separate database and measures the main pages (not part of test).
bench: $(STAMP)
	$(BIN)/python -m config.bench $(BENCH_ARGS)

## Lint and consistency: ruff, no model change without a migration, Django's system checks.
check: $(STAMP)
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/python manage.py check

## Developers: refresh the message catalogue after changing strings (needs GNU gettext).
messages: $(STAMP)
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete \
	  --ignore='.venv/*' --ignore='var/*' --ignore='tests/*'

shell: $(STAMP)
	DEBUG=true $(BIN)/python manage.py shell

clean-var:
	-$(BIN)/python -c 'from config import embedded as e; e.stop_redis(); e.stop_postgres()'
	rm -rf var
