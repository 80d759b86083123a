# Two commands for a fresh Debian/Ubuntu machine: `make lab` and `make test`.
# Both bootstrap themselves: system packages (Chromium, poppler), .venv, the kit.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-noto-color-emoji fonts-symbola
SAMPLE := work/sample_$(or $(LANG_KIT),de).workshop

.PHONY: lab test bench system clean

lab: $(STAMP)
	@mkdir -p work
	@[ -e $(SAMPLE) ] || $(VENV)/bin/kit demo $(SAMPLE) --lang $(or $(LANG_KIT),de)
	KIT_WORKSHOP=$(abspath $(SAMPLE)) $(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Debian packages the browser tests and the PDF export need (installed once).
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml | system
	[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) artifacts work
