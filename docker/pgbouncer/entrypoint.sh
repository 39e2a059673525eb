#!/bin/sh
# Starts PgBouncer for storecap in the foreground, logging to stderr (docker logs).
#
# With /etc/storecap/pgbouncer.ini mounted: runs it as it is.
# Otherwise writes the config from the environment (each has a default in the Dockerfile):
#   DB_HOST DB_PORT DB_NAME       the Postgres behind it (a service name on the Docker network)
#   DB_USER DB_PASSWORD           the app role and its password (DB_PASSWORD required)
#   ADMIN_USER ADMIN_PASSWORD     the admin console user for SHOW POOLS (ADMIN_PASSWORD required)
#   LISTEN_PORT POOL_MODE MAX_CLIENT_CONN DEFAULT_POOL_SIZE
#   MAX_DB_CONNECTIONS            defaults to DEFAULT_POOL_SIZE
#   MAX_PREPARED_STATEMENTS       0 turns prepared-statement tracking off (clients must then
#                                 use the simple or unnamed protocol, e.g. prepareThreshold=0)
set -eu

if [ -f /etc/storecap/pgbouncer.ini ]; then
  exec pgbouncer /etc/storecap/pgbouncer.ini
fi

: "${DB_PASSWORD:?set DB_PASSWORD (the password of $DB_USER on Postgres)}"
: "${ADMIN_PASSWORD:?set ADMIN_PASSWORD (the admin console password of $ADMIN_USER)}"
dir=$(mktemp -d /tmp/pgbouncer.XXXXXX)
q() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
umask 077
# plain-text passwords: PgBouncer then answers md5 to clients and SCRAM to Postgres
printf '%s %s\n%s %s\n' "$(q "$DB_USER")" "$(q "$DB_PASSWORD")" "$(q "$ADMIN_USER")" "$(q "$ADMIN_PASSWORD")" >"$dir/userlist.txt"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
$DB_NAME = host=$DB_HOST port=$DB_PORT dbname=$DB_NAME

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = $LISTEN_PORT
unix_socket_dir =
pidfile =
logfile =
auth_type = md5
auth_file = $dir/userlist.txt
admin_users = $ADMIN_USER
stats_users = $ADMIN_USER
pool_mode = $POOL_MODE
max_client_conn = $MAX_CLIENT_CONN
default_pool_size = $DEFAULT_POOL_SIZE
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = ${MAX_DB_CONNECTIONS:-$DEFAULT_POOL_SIZE}
max_prepared_statements = $MAX_PREPARED_STATEMENTS
server_idle_timeout = 600
server_connect_timeout = 5
; after a Postgres restart, try the server again within a second, not the default 15 s
server_login_retry = 1
query_wait_timeout = 120
; Postgres may be restarted under it (a fault): look its address up again soon
dns_max_ttl = 1
log_connections = 0
log_disconnections = 0
log_pooler_errors = 1
; pgjdbc sends extra_float_digits in its startup packet; the pooler must not refuse it
ignore_startup_parameters = extra_float_digits,options
INI
exec pgbouncer "$dir/pgbouncer.ini"
