# Two entry points on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE ?= evals/briefs/leather-weekender.yaml

.PHONY: run test bench train-models report-screenshot install install-dev clean

# A marker written last, so a setup cut short (a venv with python but no pip) is redone, not trusted.
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml | $(VENV)/.created
	$(BIN)/pip install --quiet -e .
	touch $@

# torch is pinned (2.13.0); the tests need only its CPU build. On stock PyPI a plain install on Linux pulls the
# CUDA build: `make test TORCH_INDEX=https://download.pytorch.org/whl/cpu` takes the CPU wheel instead.
TORCH_INDEX ?=
$(VENV)/.installed-dev: pyproject.toml | $(VENV)/.created
	$(BIN)/pip install --quiet "torch==2.13.0" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/pip install --quiet -e ".[dev,generate,slack,scale]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/python -c "import sys, yaml; sys.stdout.write(yaml.safe_load(open('$(SAMPLE)'))['brief'])" | $(BIN)/ecu plan -

test: $(VENV)/.installed-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.run

# Retrain the learned judgments (tools/data/job_weights.json, rank_weights.json) on evals/ but holdout and on
# training/, after changing those cases or the planner's code; a test names this target when the tables are stale.
train-models: $(VENV)/.installed-dev
	$(BIN)/python -m tools.train_models

# The shipped suite's HTML report as a headless-Chromium screenshot (out/eval-report.png); needs chromium.
report-screenshot: $(VENV)/.installed
	$(BIN)/python -m cli.report_screenshot out

clean:
	rm -rf $(VENV) .pytest_cache
