# Seedbed API image: `docker build -t seedbed .` then
# `docker run -p 8000:8000 -v seedbed-data:/data seedbed`.
# The server applies pending migrations on start; SEEDBED_DATABASE_URL may point at PostgreSQL instead.

FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# Build the wheel in its own stage so the source tree never lands in the runtime image.
FROM base AS wheel
WORKDIR /src
# README.md* matches nothing rather than failing when there is no README.
COPY pyproject.toml README.md* ./
COPY app/ app/
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM base
WORKDIR /srv/seedbed

# Dependencies from pyproject.toml alone: this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c "import tomllib; deps = tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(deps))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt /tmp/pyproject.toml

COPY --from=wheel /wheels/ /tmp/wheels/
RUN pip install --no-cache-dir --no-deps /tmp/wheels/*.whl && rm -rf /tmp/wheels

# The installed package finds its migrations in the working directory.
COPY migrations/ migrations/

RUN groupadd --system --gid 10001 seedbed \
    && useradd --system --no-log-init --uid 10001 --gid seedbed --home-dir /srv/seedbed --shell /usr/sbin/nologin seedbed \
    && mkdir /data \
    && chown seedbed:seedbed /data
VOLUME ["/data"]

ENV SEEDBED_DATABASE_URL=sqlite:////data/seedbed.db
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["seedbed", "serve", "--host", "0.0.0.0", "--port", "8000"]
