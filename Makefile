# Commands for a fresh Debian/Ubuntu machine: `make lab`, `make lint` and `make test`.
# Each bootstraps itself: system packages (Chromium, poppler, PostgreSQL), .venv, the kit.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# TypeScript, pinned in package.json / package-lock.json, installed into node_modules/ by npm (nodesource's nodejs)
TSC := node_modules/.bin/tsc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
APT_PACKAGES := python3-venv chromium poppler-utils postgresql node-configurable-http-proxy fonts-dejavu-core fonts-noto-color-emoji fonts-symbola libreoffice-impress
SAMPLE := work/sample_$(or $(LANG_KIT),de).workshop

.PHONY: lab lint test bench system clean hub passable

lab: $(STAMP)
	@mkdir -p work
	@[ -e $(SAMPLE) ] || $(VENV)/bin/kit demo $(SAMPLE) --lang $(or $(LANG_KIT),de)
	KIT_WORKSHOP=$(abspath $(SAMPLE)) $(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

# ruff (style, bugs, security) over everything, mypy --strict over kit/ (settings in pyproject.toml),
# TypeScript's checker over the widgets' and the room's JavaScript (settings in tsconfig.json).
lint: $(STAMP) $(TSC)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(TSC) --noEmit --allowJs --checkJs -p tsconfig.json

test: $(STAMP) passable
	$(PY) -m pytest

# Hosting for a team on this machine: PostgreSQL in work/hub/pg, JupyterHub, its proxy, the room, the idle
# culler; prints the facilitators' URL, Ctrl+C stops all. HTTPS: make hub HUB_ARGS="--ssl-cert C --ssl-key K".
hub: $(STAMP) passable
	$(VENV)/bin/kit hub --dir work/hub $(HUB_ARGS)

bench: $(STAMP) passable
	$(PY) benchmarks/run.py

# `kit hub` runs each facilitator's JupyterLab as a system user of their own, who must reach the interpreter
# (pyenv keeps it in /root) and the checkout: as root, let others pass through (o+x: enter, not list) each
# folder above them. Secrets stay in 0700/0600 places (work/hub, secrets/).
passable: $(STAMP)
	@[ "$$(id -u)" != 0 ] || for p in "$$(readlink -f $(PY))" "$(CURDIR)/kit"; do d="$$(dirname "$$p")"; \
	  while [ "$$d" != / ]; do case "$$(stat -c %A "$$d" | cut -c10)" in x|t) true;; *) false;; esac || \
	    { chmod o+x "$$d" && echo "others may now pass through $$d (o+x) to reach the kit"; }; \
	  d="$$(dirname "$$d")"; done; done

# Debian packages the browser tests, the PDF export and the PostgreSQL store's tests need (installed once).
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml | system
	[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,hub]'
	touch $(STAMP)

$(TSC): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(TSC)

clean:
	rm -rf $(VENV) node_modules artifacts work
