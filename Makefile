# The two commands of the README: `make site` (build; `make serve` to preview) and `make test`.
# Each sets up what it needs itself, the same on a laptop, in .ci/run and on a GitHub runner:
#   - Python packages in .venv/, at the versions of requirements.lock (reinstalled when a
#     requirements file changes);
#   - for make test also a browser and axe-core: scripts/setup_system.py finds them, or
#     installs them where it can (quick when all is there).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site serve test system bench topics lock clean

$(STAMP): requirements.txt requirements-test.txt requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt -c requirements.lock
	touch $(STAMP)

# The live site's papers.json keeps every published address: PUBLISHED_URL, else SITE_URL + papers.json.
PUBLISHED_URL ?= $(if $(SITE_URL),$(patsubst %/,%,$(SITE_URL))/papers.json)

site: $(STAMP)
	$(PY) -m generator build --site $(if $(PUBLISHED_URL),--published "$(PUBLISHED_URL)")

serve: $(STAMP)
	$(PY) -m generator serve

system:
	$(PYTHON) scripts/setup_system.py

# One pytest worker per core (pytest-xdist); a test file stays on one worker, so its module
# fixtures are set up once. The sites several files read (seed, hostile, synthetic) are built
# once a session for all workers (tests/project.py: shared_build). Plain `pytest` runs in one process.
test: $(STAMP) system
	$(PY) -m pytest -n auto --dist loadfile

bench: $(STAMP)
	$(PY) benchmarks/run.py

topics: $(STAMP)
	$(PY) -m generator topics

# Re-pin every Python package after editing requirements*.txt: resolve them afresh in a
# throw-away venv and write what pip installed to requirements.lock.
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet -r requirements-test.txt
	{ echo "# Every Python package of make site and make test, pinned (make lock writes it from requirements*.txt)."; \
	  $(VENV)-lock/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf $(VENV)-lock

clean:
	rm -rf site $(VENV)

.PHONY: enrich
enrich: $(STAMP)   # look papers up on the Hugging Face Hub into seeds/_identifiers.json (network; commit the file)
	$(PY) -m generator enrich
