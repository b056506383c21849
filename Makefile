# The two commands of the README: `make site` (build; `make serve` to preview) and `make test`.
# Each sets up what it needs itself, in .venv/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site serve test bench topics clean

$(STAMP): requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(STAMP)

# The live site's papers.json keeps every published address: PUBLISHED_URL, else SITE_URL + papers.json.
PUBLISHED_URL ?= $(if $(SITE_URL),$(patsubst %/,%,$(SITE_URL))/papers.json)

site: $(STAMP)
	$(PY) -m generator build --site $(if $(PUBLISHED_URL),--published "$(PUBLISHED_URL)")

serve: $(STAMP)
	$(PY) -m generator serve

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run.py

topics: $(STAMP)
	$(PY) -m generator topics

clean:
	rm -rf site $(VENV)

.PHONY: enrich
enrich: $(STAMP)   # look papers up on the Hugging Face Hub into seeds/_identifiers.json (network; commit the file)
	$(PY) -m generator enrich
