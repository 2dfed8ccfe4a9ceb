# faultdesk set-up and tasks. The README's two commands are `make demo` and `make test`;
# both create the virtual environment and install everything on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.installed
KB     ?= .faultdesk/kb
APT_PACKAGES := mosquitto chromium tesseract-ocr
# Every third-party package, pinned with hashes; regenerate with `make lock` after editing
# pyproject.toml's dependencies (docs: "Dependencies and the lock file" in the README).
LOCK   := requirements.lock
LOCKENV ?= $(HOME)/.cache/faultdesk/lockenv
PIP_TOOLS := pip-tools==7.6.2

# llama-cpp-python has no prebuilt wheel and pip builds it with -march=native by default,
# which segfaulted on an AMX Xeon. We build it once, portable (runs on any x86-64 with
# AVX2/FMA/F16C; no AVX-512, no AMX), into a wheel folder named by the version and the name
# of this flag set; the flags are recorded beside the wheel and checked before it is used,
# and pip's own wheel cache is bypassed, so a wheel built with other flags is never reused.
LLAMA_VERSION    := 0.3.36
LLAMA_FLAVOUR    := avx2fma
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
WHEELS    ?= $(HOME)/.cache/faultdesk/wheels
LLAMA_DIR := $(WHEELS)/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_FLAVOUR)
LLAMA_WHEEL := $(LLAMA_DIR)/llama_cpp_python-$(LLAMA_VERSION)-py3-none-linux_x86_64.whl

.PHONY: demo test install sysdeps doctor kb alerts samples screenshots bench bench-quality bench-perf bench-keyword bench-keyword-full bench-extra clean lock llama-portable llama-rebuild llama-native

QUESTION ?= What's wrong with pump P-3 right now?
HOST ?= 127.0.0.1
PORT ?= 7860

demo: install sysdeps doctor kb alerts  ## install, check the set-up, build the sample KB, replay a fault, answer a question, serve the UI
	$(BIN)/faultdesk kb stats --kb $(KB)
	$(BIN)/faultdesk ask "$(QUESTION)" --kb $(KB)
	$(BIN)/faultdesk serve --kb $(KB) --host $(HOST) --port $(PORT)

test: install sysdeps     ## install, then run every test (unit, integration, slow)
	$(BIN)/python -m pytest

doctor: install           ## check Python, disk, KB, embedder, the model (one token) and the build's CPU flags; stops on a failure
	$(BIN)/faultdesk doctor --kb $(KB)

install: $(STAMP)

# 1. every package of the lock, with hashes and no resolution (torch is the CPU wheel);
# 2. llama-cpp-python from the portable wheel built on this machine, never from an index;
# 3. faultdesk itself, without dependencies; pip check proves the set is complete.
$(STAMP): pyproject.toml $(LOCK) $(LLAMA_WHEEL)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet pip==26.3
	$(PIP) install --quiet --no-deps --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps --no-index --find-links $(LLAMA_DIR) llama-cpp-python==$(LLAMA_VERSION)
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check || { echo "the lock file misses a dependency of pyproject.toml: run make lock"; exit 1; }
	touch $(STAMP)

llama-portable: $(LLAMA_WHEEL)  ## build the portable llama-cpp-python wheel (once; ~9 min on 2 cores)

$(LLAMA_WHEEL):
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PYTHON) -m pip wheel --no-deps --no-cache-dir -w $(LLAMA_DIR) llama-cpp-python==$(LLAMA_VERSION)
	echo "$(LLAMA_CMAKE_ARGS)" > $(LLAMA_DIR)/CMAKE_ARGS

# A wheel folder whose recorded flags differ from LLAMA_CMAKE_ARGS is not used.
ifneq ($(wildcard $(LLAMA_DIR)/CMAKE_ARGS),)
ifneq ($(shell cat $(LLAMA_DIR)/CMAKE_ARGS),$(LLAMA_CMAKE_ARGS))
$(error $(LLAMA_DIR) was built with other flags ($(shell cat $(LLAMA_DIR)/CMAKE_ARGS)); rename LLAMA_FLAVOUR or run: rm -r $(LLAMA_DIR))
endif
endif

llama-rebuild:            ## build the portable wheel again and reinstall it (the fix doctor names)
	rm -rf $(LLAMA_DIR)
	$(MAKE) llama-portable
	$(PIP) install --quiet --force-reinstall --no-deps --no-index --find-links $(LLAMA_DIR) llama-cpp-python==$(LLAMA_VERSION)

# For benchmarks/llm.py only (portable vs native tok/s): pip's plain -march=native build of the
# same version, in a wheel folder of its own and a scratch venv with numpy only; never installed
# into $(VENV). The bundled tools and the multimodal library are not built (not benchmarked).
NATIVE_VENV ?= /tmp/native-venv
NATIVE_DIR  := $(WHEELS)/llama-cpp-python-$(LLAMA_VERSION)-native
NATIVE_CMAKE_ARGS := -DGGML_NATIVE=ON -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF
llama-native:             ## build the -march=native wheel into its own folder and a scratch venv (benchmark only)
	test -x $(NATIVE_VENV)/bin/python || { $(PYTHON) -m venv $(NATIVE_VENV) && $(NATIVE_VENV)/bin/pip install --quiet numpy; }
	test -n "$$(ls $(NATIVE_DIR)/*.whl 2>/dev/null)" || { CMAKE_ARGS="$(NATIVE_CMAKE_ARGS)" $(NATIVE_VENV)/bin/pip wheel --no-deps --no-cache-dir -w $(NATIVE_DIR) llama-cpp-python==$(LLAMA_VERSION) && echo "$(NATIVE_CMAKE_ARGS)" > $(NATIVE_DIR)/CMAKE_ARGS; }
	$(NATIVE_VENV)/bin/pip install --quiet --force-reinstall --no-deps --no-index --find-links $(NATIVE_DIR) llama-cpp-python==$(LLAMA_VERSION)
	$(NATIVE_VENV)/bin/pip install --quiet typing-extensions diskcache jinja2

lock:                     ## regenerate requirements.lock from pyproject.toml (pip-tools, hashes, all extras)
	test -x $(LOCKENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCKENV) && $(LOCKENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(LOCKENV)/bin/pip-compile --quiet --all-extras --generate-hashes --strip-extras \
	  --unsafe-package llama-cpp-python --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

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

screenshots: install sysdeps kb alerts  ## retake the README's screenshots (docs/screenshots) from the sample KB, extractive backend, 1440x900 / 1024x600 / 390 px
	FAULTDESK_TEST_SAMPLE_KB=$(KB) FAULTDESK_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
	  tests/browser/test_shopfloor.py tests/browser/test_widget_shopfloor.py \
	  -k "scoped_question or citation_marker or alert_card or covers_no_hmi"

samples: install          ## regenerate the sample PDFs and fault log from their sources
	$(BIN)/python -m knowledge_base.samples.build

bench: bench-quality bench-perf bench-keyword bench-extra  ## every figure the README quotes; each script's output starts with a "== script: date, commit, load" line

BENCH_KB ?= .faultdesk/bench/samples-kb
# The local model's threads in every benchmark run: fixed (the core count unless set), so that a
# loaded machine does not make the model pick one thread by its load average.
BENCH_THREADS ?= $(or $(FAULTDESK_LLM_THREADS),$(shell nproc))
bench-quality bench-perf bench-extra bench-keyword: export FAULTDESK_LLM_THREADS := $(BENCH_THREADS)
# One stamp line before each benchmark's own output: what ran, when (UTC), at which commit, the load.
BENCH_STAMP = echo "== $(1): $$(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $$(git rev-parse --short=10 HEAD)$$(git status --porcelain --untracked-files=no | grep -q . && echo ' + uncommitted changes'), load $$(cut -d' ' -f1-3 /proc/loadavg), FAULTDESK_LLM_THREADS=$(BENCH_THREADS)"

bench-quality: install    ## every quality figure the README quotes (retrieval, answers, alerts, safety, real docs, CMMS, NAB), each beside its baseline
	@$(call BENCH_STAMP,make bench-quality)
	@$(call BENCH_STAMP,quality.py)
	$(BIN)/python benchmarks/quality.py
	@$(call BENCH_STAMP,answers18.py)
	$(BIN)/python benchmarks/answers18.py --kb $(BENCH_KB)  # builds or refreshes the KB, alerts replayed
	@$(call BENCH_STAMP,zh_questions.py --no-local)
	$(BIN)/python benchmarks/zh_questions.py --no-local
	@$(call BENCH_STAMP,safety.py --sets all)
	$(BIN)/python benchmarks/safety.py --sets all
	@$(call BENCH_STAMP,real_docs.py realdocs)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs --split both
	@$(call BENCH_STAMP,real_docs.py realdocs2)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs2 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs3)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs3 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs4)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs4 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs5)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs5 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs6)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs6 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs7)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs7 --split heldout
	@$(call BENCH_STAMP,real_docs.py realdocs8)
	$(BIN)/python benchmarks/real_docs.py --suite realdocs8 --split heldout
	@$(call BENCH_STAMP,cmms_mapping.py)
	$(BIN)/python benchmarks/cmms_mapping.py
	@$(call BENCH_STAMP,monitors.py)
	$(BIN)/python benchmarks/monitors.py
	@$(call BENCH_STAMP,multivar_check.py)
	PYTHONPATH=. $(BIN)/python benchmarks/multivar_check.py
	@$(call BENCH_STAMP,ocr_scanned.py)
	$(BIN)/python benchmarks/ocr_scanned.py
	@$(call BENCH_STAMP,make bench-quality done)

bench-perf: install       ## throughput, latency and memory benchmarks (quiet machine; search latency is in bench-keyword)
	@$(call BENCH_STAMP,make bench-perf)
	@$(call BENCH_STAMP,ingest.py)
	$(BIN)/python benchmarks/ingest.py
	test -f $(BENCH_KB)/index.sqlite || $(BIN)/faultdesk ingest knowledge_base/samples --kb $(BENCH_KB) > /dev/null
	@$(call BENCH_STAMP,query.py --skip-search)
	$(BIN)/python benchmarks/query.py --skip-search --kb $(BENCH_KB)
	@$(call BENCH_STAMP,scale.py)
	$(BIN)/python benchmarks/scale.py
	@$(call BENCH_STAMP,llm.py --serve-kb)
	$(BIN)/python benchmarks/llm.py --threads $(BENCH_THREADS) --serve-kb $(BENCH_KB)
	@$(call BENCH_STAMP,report.py)
	$(BIN)/python benchmarks/report.py
	@$(call BENCH_STAMP,api_load.py)
	$(BIN)/python benchmarks/api_load.py
	@$(call BENCH_STAMP,safety_cost.py)
	PYTHONPATH=. $(BIN)/python benchmarks/safety_cost.py --kb $(BENCH_KB)
	@$(call BENCH_STAMP,make bench-perf done)

bench-extra: install      ## the README's remaining figures: Chinese with the local model and its latency, CJK tokenization, follow-up repeats, answers18 with the local model, the safety filter across sets and on the sample manuals, tantivy vs FTS5 tokens
	@$(call BENCH_STAMP,make bench-extra)
	@$(call BENCH_STAMP,zh_questions.py)
	$(BIN)/python benchmarks/zh_questions.py
	@$(call BENCH_STAMP,zh_questions.py --latency)
	$(BIN)/python benchmarks/zh_questions.py --latency
	@$(call BENCH_STAMP,cjk_tokenizer.py)
	$(BIN)/python benchmarks/cjk_tokenizer.py
	test -f $(BENCH_KB)/index.sqlite || $(BIN)/faultdesk ingest knowledge_base/samples --kb $(BENCH_KB) > /dev/null
	@$(call BENCH_STAMP,followup_repeats.py)
	PYTHONPATH=. $(BIN)/python benchmarks/followup_repeats.py $(BENCH_KB)
	@$(call BENCH_STAMP,answers18.py --llm local --split test)
	$(BIN)/python benchmarks/answers18.py --kb $(BENCH_KB) --llm local --split test --no-base
	@$(call BENCH_STAMP,train_defeat.py --check cross)
	PYTHONPATH=. $(BIN)/python benchmarks/train_defeat.py --check cross
	@$(call BENCH_STAMP,train_defeat.py --check manuals)
	PYTHONPATH=. $(BIN)/python benchmarks/train_defeat.py --check manuals
	@$(call BENCH_STAMP,keyword_tokens.py)
	PYTHONPATH=. $(BIN)/python benchmarks/keyword_tokens.py
	@$(call BENCH_STAMP,make bench-extra done)

KW_KB := .faultdesk/bench/keyword-samples-kb
KW_GOLD := knowledge_base/samples/gold
bench-keyword: install    ## keyword lane, tantivy vs the FTS5 baseline: same lists on every gold query; each lane at 10k/100k/1M (vectors for the first 100k), embedded and chroma run
	@$(call BENCH_STAMP,make bench-keyword)
	FAULTDESK_EMBEDDER=minilm $(BIN)/faultdesk ingest knowledge_base/samples --kb $(KW_KB) --json > /dev/null
	@$(call BENCH_STAMP,keyword_shadow eval retrieval)
	for g in questions heldout; do $(BIN)/python -m benchmarks.keyword_shadow -- eval retrieval --gold $(KW_GOLD)/$$g.jsonl --kb $(KW_KB) --json > /dev/null || exit 1; done
	@$(call BENCH_STAMP,keyword_shadow eval alerts)
	$(BIN)/python -m benchmarks.keyword_shadow -- eval alerts --json --kb $(KW_KB) --scenarios $(KW_GOLD)/alert_scenarios.jsonl --scenarios $(KW_GOLD)/alert_scenarios_heldout.jsonl --scenarios $(KW_GOLD)/alert_scenarios_final.jsonl > /dev/null
	@$(call BENCH_STAMP,keyword_shadow real_docs.py)
	$(BIN)/python -m benchmarks.keyword_shadow --script benchmarks/real_docs.py -- --split both --no-answers
	@$(call BENCH_STAMP,query.py 10k-1M)
	$(BIN)/python benchmarks/query.py --sizes 10000 100000 1000000 --vectors-up-to 100000 --skip-answers
	@$(call BENCH_STAMP,scale.py 10k-1M)
	$(BIN)/python benchmarks/scale.py --sizes 10000 100000 1000000 --vectors-up-to 100000 --bulk
	@$(call BENCH_STAMP,make bench-keyword done)

# Not part of `make bench` (hours): the 1M stage with a vector for every chunk, for the
# README's full-vector 1M row (issue 19's 1M target). Opt-in.
bench-keyword-full: install  ## query latency at 10k/100k/1M with vectors for all chunks (slow, opt-in)
	@$(call BENCH_STAMP,query.py 10k-1M all vectors)
	$(BIN)/python benchmarks/query.py --sizes 10000 100000 1000000 --skip-answers
	@$(call BENCH_STAMP,make bench-keyword-full done)

clean:
	rm -rf $(VENV) .faultdesk
