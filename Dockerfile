# Trait d'union in a container: a slim Python base, a non-root user, every piece of data in /data.
# Secrets never go in the image: pass them at run time (env file, compose `env_file`, or a mounted TOML file).
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY core ./core
COPY bot ./bot
COPY conversations ./conversations
COPY services ./services
COPY storage ./storage
COPY territories ./territories
COPY matching ./matching
RUN python -m venv /opt/traitdunion && /opt/traitdunion/bin/pip install .

FROM python:3.11-slim-bookworm
# postgresql-client: pg_dump/pg_restore for `traitdunion backup` with a PostgreSQL database.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 traitdunion \
    && useradd --system --uid 10001 --gid traitdunion --home-dir /data --shell /usr/sbin/nologin traitdunion \
    && mkdir -p /data \
    && chown traitdunion:traitdunion /data \
    && chmod 0700 /data
COPY --from=build /opt/traitdunion /opt/traitdunion
ENV PATH=/opt/traitdunion/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TRAITDUNION_DB=/data/traitdunion.db \
    MATRIX_STORE=/data/matrix-store \
    TRAITDUNION_HTTP_HOST=0.0.0.0 \
    TRAITDUNION_HTTP_PORT=8080 \
    TRAITDUNION_LOG_FORMAT=json
VOLUME ["/data"]
WORKDIR /data
USER traitdunion:traitdunion
# 8080: /healthz and /metrics; 8443: the Telegram webhook (only with TELEGRAM_WEBHOOK_URL), behind a reverse proxy.
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('TRAITDUNION_HTTP_PORT', '8080'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["traitdunion"]
CMD ["run"]
