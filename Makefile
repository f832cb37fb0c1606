# Xueshi: one command starts the sandbox (make sandbox), one runs every test (make test).
# Both set up what they need on a fresh machine: system packages, a Python 3.12 venv, pip and npm.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON := $(shell bash scripts/find-python312.sh)
VENV := .venv
BIN := $(VENV)/bin
FRONTENDS := $(wildcard xblocks/*/frontend/package.json plugins/*/frontend/package.json)
# Overridable so that two checkouts can test side by side without sharing a test database.
TEST_DB ?= test_xueshi
TEST_REDIS_DB ?= 5
TEST_ENV := XUESHI_DB_URL=mysql://root@127.0.0.1:3306/xueshi XUESHI_TEST_DB_NAME=$(TEST_DB) \
            XUESHI_REDIS_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) XUESHI_SETTINGS_TYPE=test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

system: ## install missing Debian packages (chromium, ffmpeg, ...)
	bash scripts/ensure-system-deps.sh

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

requirements: $(BIN)/python ## install pinned Python requirements and our two distributions (editable)
	# uWSGI compiles from source; without XML support, as Tutor's image builds it
	UWSGI_PROFILE_OVERRIDE=xml=no $(BIN)/pip install -qq -r requirements/test.txt
	# A stale egg-info at the root (on sys.path) would hide entry points added since the last install
	rm -rf openedx_xueshi.egg-info
	$(BIN)/pip install -qq --no-deps -e . -e tutor-plugins/tutor-contrib-xueshi

assets: ## build the front ends from npm (lockfiles): the XBlocks' players, Paragon's CSS for our pages
	@for pkg in $(FRONTENDS); do dir=$$(dirname $$pkg); echo "assets: $$dir"; \
	  (cd $$dir && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) || exit 1; done

js-test: assets translations ## the front ends' own tests (node's test runner; they load the compiled catalogs)
	@for pkg in $(FRONTENDS); do (cd $$(dirname $$pkg) && npm test --silent) || exit 1; done

translations: ## compile committed .po catalogs to .mo (msgfmt), and the XBlocks' djangojs catalogs to JS
	@find plugins xblocks sandbox -name '*.po' -path '*zh_CN*' | while read po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done
	@PYTHONPATH=$(CURDIR)/plugins:$(CURDIR)/xblocks:$(CURDIR) $(BIN)/python manage.py compile_xblock_js_catalogs

services: ## make sure MariaDB, Redis (and RabbitMQ) answer; create the database
	XUESHI_CELERY_BROKER=amqp://guest:guest@127.0.0.1:5672// bash scripts/ensure-services.sh

setup: system requirements assets translations ## everything but services

# Pure modules (no Django, no I/O) checked with mypy --strict (pyproject); one per line for clean merges.
MYPY_PURE := \
	plugins/xueshi_core/days.py \
	plugins/xueshi_core/data.py \
	plugins/xueshi_core/shim.py \
	plugins/xueshi_studytime/crediting.py \
	plugins/xueshi_studytime/intervals.py \
	plugins/xueshi_studytime/values.py \
	plugins/xueshi_studytime/budget.py \
	plugins/xueshi_studytime/barriers.py \
	plugins/xueshi_studytime/data.py \
	plugins/xueshi_questionbank/data.py \
	plugins/xueshi_core/crypto.py \
	plugins/xueshi_core/masking.py \
	plugins/xueshi_core/scopes.py \
	plugins/xueshi_core/clientip.py \
	plugins/xueshi_core/caller.py \
	plugins/xueshi_studytime/tokens.py \
	plugins/xueshi_identity/idnumbers.py \
	xblocks/xueshi_video/checkpoints.py \
	xblocks/xueshi_video/attempts.py \
	plugins/xueshi_access/clientinfo.py \
	plugins/xueshi_access/regions.py \
	plugins/xueshi_access/data.py \
	plugins/xueshi_access/throttle.py \
	plugins/xueshi_face/data.py \
	sandbox/faceapis/signatures.py \
	plugins/xueshi_core/jsonbody.py \
	plugins/xueshi_core/params.py \
	plugins/xueshi_core/spreadsheets.py \
	sandbox/alipay/signing.py \
	sandbox/objectstore/sigv4.py \
	sandbox/alipay/state.py \
	sandbox/alipay/bills.py \
	plugins/xueshi_payments/channels/alipay_client.py \
	plugins/xueshi_payments/channels/alipay_bill.py \
	plugins/xueshi_payments/channels/wechat_notice.py \
	plugins/xueshi_payments/channels/wechat_bill.py \
	plugins/xueshi_payments/channels/wechat_events.py \
	plugins/xueshi_payments/channels/wechat_config.py \
	sandbox/wechatpay/protocol.py \
	sandbox/wechatpay/bills.py \
	plugins/xueshi_hours/data.py \
	plugins/xueshi_hours/rules.py \
	plugins/xueshi_hours/periods.py \
	plugins/xueshi_hours/evaluate.py \
	plugins/xueshi_hours/accountform.py \
	plugins/xueshi_payments/channels/unionpay_signing.py \
	plugins/xueshi_payments/channels/unionpay_config.py \
	plugins/xueshi_payments/channels/unionpay.py \
	sandbox/unionpay/acp.py \
	sandbox/unionpay/pki.py \
	sandbox/unionpay/state.py \
	sandbox/unionpay/bills.py \
	plugins/xueshi_payments/channels/unionpay_bill.py \
	plugins/xueshi_payments/channels/unionpay_forms.py \
	plugins/xueshi_certificates/serials.py \
	plugins/xueshi_certificates/statuslist.py \
	plugins/xueshi_certificates/pdf/data.py \
	plugins/xueshi_certificates/pdf/text.py \
	plugins/xueshi_certificates/pdf/qr.py \
	plugins/xueshi_certificates/pdf/marks.py \
	plugins/xueshi_invoices/taxids.py \
	plugins/xueshi_invoices/amounts.py \
	plugins/xueshi_media/ladder.py \
	plugins/xueshi_media/data.py \
	sandbox/nuonuo/protocol.py \
	plugins/xueshi_notify/channels/base.py \
	sandbox/sms/aliyun.py \
	sandbox/sms/tencent.py \
	sandbox/wechat_oauth/subscribe.py \
	plugins/xueshi_services/data.py \
	plugins/xueshi_services/conf.py \
	plugins/xueshi_services/questionnaire_source.py \
	plugins/xueshi_reporting/schema.py \
	plugins/xueshi_reporting/adapters/signing.py \
	sandbox/provincial/protocol.py \
	sandbox/provincial/platform.py \
	plugins/xueshi_studytime/livecredit.py \
	plugins/xueshi_livestream/providers.py \
	plugins/xueshi_livestream/data.py \
	plugins/xueshi_livestream/conf.py \
	plugins/xueshi_livestream/query.py \
	plugins/xueshi_livestream/history.py \
	sandbox/live/api.py \
	xblocks/xueshi_live/schedule.py

quality: ## ruff, import-linter, mypy, migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(wildcard $(MYPY_PURE))
	$(BIN)/python manage.py makemigrations --check --dry-run

test: setup services quality js-test ## the whole test suite, every layer (what CI runs)
	$(TEST_ENV) $(BIN)/pytest -p no:cacheprovider --create-db

sandbox: setup ## start the sandbox at http://localhost:8000 (SQLite unless XUESHI_DB_URL is set)
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py seed_sandbox
	@if [ -n "$$XUESHI_CELERY_BROKER" ]; then $(BIN)/celery -A sandbox worker -l warning --detach \
	  --pidfile=var/celery.pid --logfile=var/celery.log; fi
	$(BIN)/python -m sandbox.serve 127.0.0.1:8000  # runserver, then the URL and logins last

BENCH_ARGS ?=
bench: requirements services ## heartbeat benchmark, full run (~20 min; figures to var/bench/, see docs/performance.md)
	$(BIN)/python -m benchmarks.heartbeat $(BENCH_ARGS)

bench-smoke: requirements services ## the same benchmark for a few seconds per phase (what make test runs)
	$(BIN)/python -m benchmarks.heartbeat --smoke $(BENCH_ARGS)

PATH_ARGS ?=
bench-path: requirements services ## the whole learner path under load, rising learners (~15 min; docs/performance.md)
	$(BIN)/python -m benchmarks.path $(PATH_ARGS)

MEDIA_ARGS ?=
bench-media: requirements services ## media segments per server core, guarded (Django + Caddy) vs plain files (~20 min)
	$(BIN)/python -m benchmarks.media.serving $(MEDIA_ARGS)

bench-media-smoke: requirements services ## the same for a few seconds (the suite runs it as a test)
	$(BIN)/python -m benchmarks.media.serving --smoke $(MEDIA_ARGS)

upgrade-requirements: ## recompile requirements/*.txt from the .in files
	$(BIN)/pip install -q pip-tools
	cd requirements && for f in base test dev; do ../$(BIN)/pip-compile -q --strip-extras --allow-unsafe $$f.in -o $$f.txt; done

.PHONY: help system requirements assets js-test translations services setup quality test sandbox bench bench-smoke bench-path \
	bench-media bench-media-smoke upgrade-requirements

sandbox-alipay: ## the Alipay gateway sandbox on 127.0.0.1:8090 (prints the XUESHI_ALIPAY_* settings to use)
	mkdir -p var
	$(BIN)/python -m sandbox.alipay --port 8090

.PHONY: sandbox-alipay

sandbox-wechatpay: ## WeChat Pay v3 + WeChat OAuth sandbox on 127.0.0.1:8061 (prints the XUESHI_WECHATPAY_* settings)
	mkdir -p var
	$(BIN)/python -m sandbox.wechatpay --port 8061

.PHONY: sandbox-wechatpay

sandbox-unionpay: ## the UnionPay ACP gateway sandbox on 127.0.0.1:8091 (prints the XUESHI_UNIONPAY_* settings to use)
	mkdir -p var
	$(BIN)/python -m sandbox.unionpay --port 8091

.PHONY: sandbox-unionpay
