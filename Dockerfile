# Newsdesk in a container: the same steps as `make run`. CI runs these steps without Docker
# (tests/test_deploy.py), so they stay true. Mount a volume at /app/data to keep the database.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt Makefile ./
RUN make .venv/.runtime
COPY . .
ENV NEWSDESK_DB=/app/data/newsdesk.duckdb
VOLUME /app/data
EXPOSE 8501
# Ready once the server answers and the database can be read; unready while it cannot.
HEALTHCHECK --interval=30s --timeout=20s --start-period=60s --retries=3 CMD [".venv/bin/python", "-m", "dashboard.ready", "--url", "http://127.0.0.1:8501"]
CMD ["make", "run", "PORT=8501"]
