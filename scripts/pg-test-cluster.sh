#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for the tests.
#   pg-test-cluster.sh start DIR   cluster on 127.0.0.1:<free port>; its URL is written to DIR/url
#   pg-test-cluster.sh stop DIR    stops it and deletes its data
# The data lives in a fresh folder under the temp dir (the checkout may sit
# in a home folder the postgres user cannot enter). initdb and pg_ctl refuse
# to run as root, so as root they run as `postgres`.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?state directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  # A port nothing listens on; pg_ctl start is retried if another process wins the race.
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

stop_cluster() {
  [ -f "$dir/datadir" ] || return 0
  local data
  data=$(cat "$dir/datadir")
  if [ -d "$data/data" ]; then
    as_pg "$pgbin/pg_ctl" -D "$data/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$data"
  rm -f "$dir/datadir" "$dir/url"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    stop_cluster
    data=$(mktemp -d "${TMPDIR:-/tmp}/o2c-pg-test-XXXXXX")
    echo "$data" >"$dir/datadir"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$pgbin/initdb" -D "$data/data" -U o2c --auth=trust -E UTF8 --locale=C >"$data/initdb.log" 2>&1 \
      || { cat "$data/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_pg "$pgbin/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$data' -c max_connections=300" \
          start >/dev/null; then
        echo "postgresql://o2c@127.0.0.1:$port/postgres" >"$dir/url"
        echo "PostgreSQL test cluster on 127.0.0.1:$port ($data)"
        exit 0
      fi
    done
    cat "$data/server.log" >&2
    exit 1
    ;;
  stop)
    stop_cluster
    echo "PostgreSQL test cluster removed"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
