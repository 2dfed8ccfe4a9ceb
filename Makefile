# faultdesk set-up and tasks. The README's two commands are `make demo` and `make test`;
# both create the virtual environment and install everything on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KB     ?= .faultdesk/kb
APT_PACKAGES := mosquitto chromium

.PHONY: demo test install sysdeps kb alerts samples bench clean

QUESTION ?= What's wrong with pump P-3 right now?
HOST ?= 127.0.0.1
PORT ?= 7860

demo: install sysdeps kb alerts  ## install, build the sample KB, replay a fault, answer a question, serve the UI
	$(BIN)/faultdesk kb stats --kb $(KB)
	$(BIN)/faultdesk ask "$(QUESTION)" --kb $(KB)
	$(BIN)/faultdesk serve --kb $(KB) --host $(HOST) --port $(PORT)

test: install sysdeps     ## install, then run every test (unit, integration, slow)
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

sysdeps:                  ## Debian packages the tests use (a real MQTT broker, chromium for the browser tests)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

kb: install               ## (re)build the sample knowledge base, idempotently
	$(BIN)/faultdesk ingest knowledge_base/samples --kb $(KB) --prune

alerts: install           ## replay the P-3 sample stream into the middle of its bearing fault (once): an open alert
	test -f $(KB)/monitor_state/auto.json || $(BIN)/faultdesk monitor run --kb $(KB) \
	  --source csv:knowledge_base/samples/streams/pump_P-3.csv --until 2024-03-15T00:00

samples: install          ## regenerate the sample PDFs and fault log from their sources
	$(BIN)/python -m knowledge_base.samples.build

bench: install            ## every benchmark; each prints its figures and its baseline
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/llm.py
	$(BIN)/python benchmarks/monitors.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/real_docs.py --split both

clean:
	rm -rf $(VENV) .faultdesk
