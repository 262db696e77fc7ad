#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests: initdb + pg_ctl from the image's binaries, run as the postgres
# account (when this runs as root), a data folder under /tmp, a private port on 127.0.0.1 (password sign-in) and a
# private socket folder (trusted). The same set-up the test fixture makes when MDIFLOW_TEST_POSTGRES is not set.
#
#   .ci/postgres.sh start DIR   creates and starts the server in DIR (which must not exist yet);
#                               prints the superuser's connection string on stdout
#   .ci/postgres.sh stop DIR    stops it at once and deletes DIR (never fails: it runs from a trap)
set -euo pipefail

bin=${MDIFLOW_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
command=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    [ -x "$bin/initdb" ] || { echo "postgres.sh: no initdb in $bin; install postgresql-15 or set MDIFLOW_POSTGRES_BIN" >&2; exit 1; }
    mkdir -m 700 "$dir"
    mkdir "$dir/socket"
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s' "$password" > "$dir/password"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" --auth-host=scram-sha-256 --auth-local=trust \
      -E UTF8 --no-locale --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # A private port: a random one, another if the server cannot bind it.
    for attempt in 1 2 3 4 5; do
      port=$((20000 + RANDOM % 40000))
      if as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB -c fsync=on -c synchronous_commit=on" \
          start >"$dir/pg_ctl.log" 2>&1; then
        echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
        exit 0
      fi
    done
    cat "$dir/pg_ctl.log" "$dir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
