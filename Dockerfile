# Newsdesk in a container: the same steps as `make run`. CI runs these steps without Docker
# (tests/test_deploy.py), so they stay true. Mount a volume at /app/data to keep the database.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt Makefile ./
RUN make .venv/.runtime
COPY . .
ENV NEWSDESK_DB=/app/data/newsdesk.duckdb
# The health check then runs the app once, as a visitor would: a first start builds its
# database and starts its feed poller before anyone opens a page.
ENV STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED=true
VOLUME /app/data
EXPOSE 8501
# Ready once the server answers and the database can be read; unready while it cannot.
HEALTHCHECK --interval=30s --timeout=75s --start-period=90s --retries=3 CMD [".venv/bin/python", "-m", "dashboard.ready", "--url", "http://127.0.0.1:8501"]
CMD ["make", "run", "PORT=8501"]
