# The two commands a newcomer types (see README):
#   make lab    install the library and open the tutorials in JupyterLab
#   make test   install everything the tests need and run the whole suite
# Both create .venv in the checkout; nothing is installed into the system Python.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CFF_VENV := .venv-cffconvert
# JupyterLab refuses to start as root unless told; root is how it runs in Docker images, on
# Binder-like services and on many lab servers.
USER_ID  ?= $(shell id -u)
LAB_ARGS := $(if $(filter 0,$(USER_ID)),--allow-root,)

.PHONY: lab test git-filter

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# cffconvert pins an old jsonschema that JupyterLab cannot live with, so it gets its own venv.
$(CFF_VENV)/bin/cffconvert:
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet "cffconvert==2.0.0"

# In a git checkout, nbstripout becomes the repository's git filter for notebooks, so outputs and
# widget state saved in a tutorial never reach a commit (the files on disk keep them). The Python
# version JupyterLab writes into a notebook's metadata differs from machine to machine, so the
# filter drops it too; the notebooks are committed with the rest of that metadata, and
# scripts/notebook_metadata.py writes this machine's version into them before JupyterLab starts,
# so that opening a tutorial does not mark it modified (and git still sees no change).
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		$(BIN)/nbstripout --install && \
		git config filter.nbstripout.extrakeys "metadata.language_info.version" && \
		echo "nbstripout is this checkout's git filter for notebooks: saved outputs stay out of git."; \
	else \
		echo "Not a git checkout: no output filter set up."; \
	fi

lab: $(VENV)/.lab-installed git-filter
	@$(BIN)/python scripts/notebook_metadata.py notebooks
	@echo "Starting JupyterLab on the tutorials. Open the URL it prints below (http://127.0.0.1:8888/lab?token=..., another port if 8888 is taken) in your browser; Ctrl-C stops it."
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/

# Two pytest-xdist workers, one per core of the machines this runs on (TEST_WORKERS=0 runs in one
# process); browser tests stay together on one worker (tests/conftest.py says why).
TEST_WORKERS ?= 2

test: $(VENV)/.dev-installed $(CFF_VENV)/bin/cffconvert
	bash scripts/ensure-chromium.sh
	CFFCONVERT=$(CURDIR)/$(CFF_VENV)/bin/cffconvert $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)
