# Newsdesk in a container: the same steps as `make run`.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt Makefile ./
RUN make .venv/.runtime
COPY . .
ENV NEWSDESK_DB=/app/data/newsdesk.duckdb
VOLUME /app/data
EXPOSE 8501
CMD ["make", "run", "PORT=8501"]
