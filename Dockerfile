# syntax=docker/dockerfile:1
#
# Peer Challenge: one image for the web server (gunicorn), the Celery worker and Celery beat.
#   docker build -t peerchallenge .
# docker-compose.yml runs it; docs/operations.md explains the settings.

# ---- Front end: GOV.UK Frontend compiled from Sass into static/dist -------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# The build tools (sass, govuk-frontend) are devDependencies, so NODE_ENV stays unset here.
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/ ./scripts/
COPY static/ ./static/
RUN npm run build

# ---- Application -----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS app

# WeasyPrint's run-time libraries (Pango, HarfBuzz subsetting) and fonts for the PDFs.
# Not version-pinned: Debian bookworm's security updates should come in on each rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# The app user's home is writable (gunicorn keeps its control socket there); /app is not.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

# PYTHONPATH: `pip install .` below also puts a copy of the packages in site-packages, but
# that copy has no templates or data files and its BASE_DIR would be wrong; /app must win.
ENV PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PEERCHALLENGE_VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

WORKDIR /app

# The pinned packages first, so that a code change does not reinstall them. Every file pip
# downloads must match a hash in the lock file (needs pip 23.3 or later: see
# requirements/README.md; current Python 3.11 images bring pip 24).
COPY requirements/ ./requirements/
RUN pip install --no-cache-dir --disable-pip-version-check --require-hashes \
        -r requirements/production.txt

COPY . .
COPY --from=assets /build/static/dist ./static/dist
# The project itself has no hash to check; --no-deps keeps it from bringing in anything the
# hash-checked step above did not.
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps . \
    && rm -rf build ./*.egg-info

# Static files into STATIC_ROOT (/app/staticfiles), hashed and compressed for WhiteNoise.
# Production settings refuse to load without SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS:
# placeholder values, given to this one command only (collectstatic opens no database
# connection), never stored in the image's environment.
RUN SECRET_KEY=collectstatic-placeholder-not-used-at-run-time \
    DATABASE_URL=postgres://collectstatic@localhost:5432/unused \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Uploads (PEERCHALLENGE_VAR_DIR) and Celery beat's schedule file: written by the app user.
RUN mkdir -p /app/var/uploads /app/celerybeat \
    && chown -R app:app /app/var /app/celerybeat
VOLUME ["/app/var"]

USER 1000:1000
EXPOSE 8000

# gunicorn takes its number of workers from WEB_CONCURRENCY (3 unless the environment says);
# its worker heartbeat files go to memory (/dev/shm), as gunicorn advises for containers.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
