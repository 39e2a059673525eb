#!/bin/sh
# Starts Postgres for storecap. First start: initdb, then the roles, in single-user mode (so the
# log says "ready to accept connections" exactly once per server start, which the harness waits
# for). Later starts (a restart fault, `docker start`) reuse the data directory as it is.
#
# Environment:
#   POSTGRES_PASSWORD  superuser password (required at first start)
#   APP_USER, APP_PASSWORD, APP_DB  the app's ordinary role, its password (required), its database
# Arguments are passed to postgres, e.g. -c max_connections=101 -c superuser_reserved_connections=3
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (the superuser password used by telemetry)}"
  : "${APP_PASSWORD:?set APP_PASSWORD (the password of the app role $APP_USER)}"
  pw=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pw"
  initdb -D "$PGDATA" -U postgres --pwfile="$pw" -E UTF8 --no-locale \
         --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pw"
  # any address may connect with a password: the container is reached through the port Docker
  # publishes (the harness binds it to 127.0.0.1) and from PgBouncer on the same network
  printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  sq() { printf '%s' "$1" | sed "s/'/''/g"; }
  dq() { printf '%s' "$1" | sed 's/"/""/g'; }
  postgres --single -D "$PGDATA" -c log_min_messages=warning postgres >/dev/null <<SQL
CREATE ROLE "$(dq "$APP_USER")" LOGIN PASSWORD '$(sq "$APP_PASSWORD")';
CREATE DATABASE "$(dq "$APP_DB")" OWNER "$(dq "$APP_USER")";
SQL
  echo "storecap-postgres: initialised $PGDATA (superuser postgres, app role $APP_USER owning $APP_DB)"
fi

# Defaults first: a -c given as an argument comes later and wins.
exec postgres -D "$PGDATA" \
  -c listen_addresses='*' \
  -c shared_buffers=128MB \
  -c log_min_messages=warning \
  -c log_connections=off \
  "$@"
