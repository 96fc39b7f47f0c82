# Build stage: install Patchwork and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY config ./config
# The postgres extra (asyncpg) so one image runs on SQLite or PostgreSQL.
RUN pip install --no-cache-dir ".[postgres]"

# Run stage: only the environment, a non-root user, data on a volume.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 patchwork && mkdir /data && chown patchwork /data
COPY --from=build /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PATCHWORK_DATABASE_URL="sqlite+aiosqlite:////data/patchwork.sqlite3"
USER patchwork
WORKDIR /home/patchwork
VOLUME ["/data"]
STOPSIGNAL SIGTERM
CMD ["patchwork", "run"]
