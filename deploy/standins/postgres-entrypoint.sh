#!/bin/sh
# The part of postgres:16's entrypoint that compose.yaml relies on: on an empty data directory,
# initdb with POSTGRES_USER as superuser and POSTGRES_PASSWORD as its password, create
# POSTGRES_DB, accept password (scram-sha-256) logins from any address; then run the server
# as the postgres user, in the foreground, as PID 1 (so `stop` shuts it down cleanly).
set -eu
if [ "${1:-}" != postgres ]; then
    exec "$@"  # psql, pg_isready, a shell: as given
fi
shift
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    chown postgres "$pwfile"
    as_postgres initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    # The first start's own server listens on the socket only, as the official image's does.
    as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
    if [ "$db" != postgres ]; then
        as_postgres createdb -U "$user" "$db"
    fi
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "postgres-entrypoint: initialised $PGDATA (user $user, database $db)"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
