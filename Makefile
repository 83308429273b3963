# `make demo` and `make test` are the whole set-up: each creates .venv on first use and
# installs what it needs from pyproject.toml's extras.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
# oracles for the tests: micrograd 0.1.0 itself (in its own folder: it shares our name)
# and PyTorch, pinned. Where pip would fetch a multi-GB CUDA build, ask for the CPU one:
#   make test TORCH_PIP_ARGS='--index-url https://download.pytorch.org/whl/cpu'
TORCH  := torch==2.13.0
TORCH_PIP_ARGS ?=

.PHONY: demo test lint bench dot chromium playground screenshots clean mutate

# the engine's tests, run a second time on the pure-Python engine (the first run uses the
# compiled one wherever it could be built; CI requires it); their pure run also does the
# doctests of the compiled modules, which the compiled run cannot collect
PURE_TESTS := tests/test_engine.py tests/test_engine_edges.py tests/test_ops.py \
  tests/test_ops_edges.py tests/test_fast_paths.py tests/test_properties.py \
  tests/test_compat.py tests/test_custom_ops.py tests/test_threads.py tests/test_errors.py \
  tests/test_gradcheck.py tests/test_compiled.py \
  micrograd/engine.py micrograd/ops.py micrograd/grad_mode.py micrograd/fused.py \
  micrograd/gradients.py
# the compiled modules' sources (each has a .pxd of C types: _select.COMPILED_MODULES)
COMPILED_SOURCES := $(wildcard micrograd/*.pxd) $(patsubst %.pxd,%.py,$(wildcard micrograd/*.pxd))

demo: $(VENV)/.core dot
	$(PY) -m micrograd demo

test: $(VENV)/.dev $(VENV)/.engine dot chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest
	MICROGRAD_PURE=1 $(PY) -m pytest $(PURE_TESTS)

# the playground in the browser: http://127.0.0.1:8000/ (PORT=... for another port)
PORT ?= 8000
playground: $(VENV)/.web dot
	$(PY) -m micrograd playground --port $(PORT)

$(VENV)/.web: pyproject.toml | $(PY)
	$(PIP) install -e '.[web]'
	touch $@

# the playground's screenshots in docs/, taken by the browser tests
screenshots: $(VENV)/.dev $(VENV)/.engine dot chromium
	SCREENSHOTS=docs $(PY) -m pytest -q tests/test_browser.py -k screenshot

bench: $(VENV)/.dev $(VENV)/.engine
	$(PY) bench/run.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

# Mutation testing of the engine (not part of `make test` or CI; about 75 minutes on 2 cores):
# mutmut 3 mutates the files [tool.mutmut] only_mutate names (pyproject.toml) in a copy
# under mutants/ and runs the engine's tests on each mutant, on the pure engine, each run
# within a hard time and memory limit (tests/mutate.py says how). It prints the score per
# file; `make mutate MUTANTS=N SEED=S` runs a seeded random sample of N mutants instead and
# ends with `mutation score: K/N killed`. Each run starts afresh (MUTATE_KEEP=1 reuses
# mutants/ and mutmut's cached verdicts); afterwards `.venv/bin/mutmut results` lists the
# mutants that lived, `.venv/bin/mutmut show NAME` shows one.
MUTATE_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

mutate: $(VENV)/.mutate
	$(PY) tests/mutate.py --jobs $(MUTATE_JOBS) $(if $(MUTANTS),--mutants $(MUTANTS)) \
	  $(if $(SEED),--seed $(SEED)) $(if $(MUTATE_KEEP),--keep)

$(VENV)/.mutate: $(VENV)/.dev
	$(PIP) install -e '.[mutate]'
	touch $@

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "could not create $(VENV): install Python's venv module (Debian/Ubuntu: apt-get install python3-venv)"; \
	  exit 1; }

$(VENV)/.core: pyproject.toml | $(PY)
	$(PIP) install -e '.[viz,plot]'
	touch $@

# the compiled engine, rebuilt in place whenever its sources change (pip builds it on
# install; this keeps it in step with edits). Without a C compiler it says so and the
# pure-Python engine runs.
$(VENV)/.engine: $(COMPILED_SOURCES) micrograd/_select.py setup.py | $(VENV)/.dev
	$(PY) setup.py -q build_ext --inplace
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) install $(TORCH_PIP_ARGS) $(TORCH)
	$(PIP) install -e '.[dev]'
	$(PIP) install --no-deps --target $(VENV)/upstream micrograd==0.1.0
	touch $@ $(VENV)/.core $(VENV)/.web

# $(call need,PROGRAM,DEBIAN PACKAGE,what fails without it): apt-get it when we are root,
# else say how to install it
define need
@command -v $(1) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "installing $(2) ($(1)) with apt-get"; \
    apt-get install -y -qq $(2) >/dev/null 2>&1 || \
      { apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; } || \
      echo "could not install $(2) with apt-get: $(3) will fail"; \
  else \
    echo "$(1) is missing: install it with 'sudo apt-get install $(2)'"; \
  fi; }
endef

# graphviz's `dot` renders the pictures
dot:
	$(call need,dot,graphviz,the drawing tests)

# Debian's Chromium runs the playground's browser tests (Playwright's own download of a
# browser cannot work on these machines)
chromium:
	$(call need,chromium,chromium,the browser tests)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info \
	  micrograd/*.c micrograd/*.so micrograd/_compiled_from.json
