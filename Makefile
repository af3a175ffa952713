.PHONY: setup demo run test fmt lint bench check-deploy

setup:        ## install Python and npm packages, build the CSS
	scripts/setup

demo run:     ## run the app with demo data at http://127.0.0.1:8000
	scripts/demo

test:         ## the whole suite (PostgreSQL + Redis + Chromium)
	scripts/test

fmt:          ## format and fix lint
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:        ## national-scale benchmark on PostgreSQL with gunicorn
	.venv/bin/python -m bench.run

check-deploy: ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-but-long-enough-to-pass ALLOWED_HOSTS=peerchallenge.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python manage.py check --deploy --fail-level WARNING
