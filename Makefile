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

.PHONY: demo test lint bench dot clean

demo: $(VENV)/.core dot
	$(PY) -m micrograd demo

test: $(VENV)/.dev dot
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

bench: $(VENV)/.dev
	$(PY) bench/run.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "could not create $(VENV): install Python's venv module (Debian/Ubuntu: apt-get install python3-venv)"; \
	  exit 1; }

$(VENV)/.core: pyproject.toml | $(PY)
	$(PIP) install -e '.[viz,plot]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) install $(TORCH_PIP_ARGS) $(TORCH)
	$(PIP) install -e '.[dev]'
	$(PIP) install --no-deps --target $(VENV)/upstream micrograd==0.1.0
	touch $@ $(VENV)/.core

# graphviz's `dot` renders the pictures: apt-get it when we can, else say how
dot:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz (dot) with apt-get"; \
	    apt-get install -y -qq graphviz >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; } || \
	      echo "could not install graphviz with apt-get: the drawing tests will fail"; \
	  else \
	    echo "graphviz's dot is missing: install it with 'sudo apt-get install graphviz' (or 'brew install graphviz')"; \
	  fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
