# Rollbook: both sites on one port, served by uvicorn with several workers.
#   docker build -t rollbook .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://... -e SECRET_KEY=... rollbook
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ROLLBOOK_DATA_DIR=/data \
    PORT=8000 \
    WEB_CONCURRENCY=4

RUN useradd --create-home --uid 10001 rollbook \
    && mkdir /data && chown rollbook:rollbook /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY admin_site ./admin_site
COPY public_site ./public_site
COPY site_kit ./site_kit
COPY rollbook ./rollbook
# Installed the way CI installs it (editable: templates, static files and
# migrations are read from /app), without the dev tools.
RUN pip install --quiet -e .

USER rollbook
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]

# The schema is migrated by `rollbook migrate` (a one-shot service in
# docker-compose.yml) before this starts; several workers share one PostgreSQL.
# X-Forwarded-For is trusted only from 127.0.0.1 (uvicorn's default): the port
# is published directly, and a client that could set its own address would slip
# past the per-address rate limits and sign-in lockout. Behind a reverse proxy,
# set FORWARDED_ALLOW_IPS to the proxy's address (uvicorn reads it), never '*'.
CMD ["sh", "-c", "exec uvicorn rollbook.asgi:create_app --factory --host 0.0.0.0 --port \"$PORT\" --workers \"$WEB_CONCURRENCY\" --proxy-headers"]
