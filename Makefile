# KlusHeeren storingen: the two commands of README.md, and a few helpers.
.PHONY: run test setup db-start db-stop bench bench-recurring screenshots clean

run:            ## serve the demo on http://localhost:8069 (installs what is missing)
	bash scripts/run.sh

test:           ## fresh test database, every addon's tests and tests/ (fails on any skip)
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

db-start:
	bash scripts/pg.sh start

db-stop:
	bash scripts/pg.sh stop

bench:          ## load benchmark of the public pages (bench/README.md)
	bash bench/run.sh

bench-recurring: ## planned maintenance: a year of monthly jobs for 1,000 and 10,000 equipment (bench/README.md)
	bash bench/recurring.sh

screenshots:    ## refresh docs/screenshots from the demo database
	bash scripts/screenshots.sh

clean:          ## stop PostgreSQL and forget every local database, venv and cache
	-bash scripts/pg.sh stop
	rm -rf .local .venv
