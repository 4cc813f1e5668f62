#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: initdb into a private folder, a server reachable only
# through a Unix socket in that folder, one database `mako`, and everything deleted when stopped.
#
#   tools/pg-test-server.sh start DIR    # DIR must not exist yet; prints the export line
#   tools/pg-test-server.sh env DIR      # prints: export MAKO_TEST_PG='host=DIR port=N dbname=mako user=postgres'
#   tools/pg-test-server.sh stop DIR     # stops the server and deletes DIR (fine if already gone)
#   tools/pg-test-server.sh restart DIR  # kills the server as a crash would (-m immediate) and starts it
#                                        # again: it recovers from its WAL (the restart test uses this)
#   tools/pg-test-server.sh run -- CMD…  # start in a fresh temp folder, run CMD with MAKO_TEST_PG set,
#                                        # stop and delete on exit (also on failure or Ctrl-C); CMD's exit code.
#                                        # With MAKO_TEST_PG already set, runs CMD against that server instead
#                                        # (e.g. a CI service); the tests create schemas t_* in its database.
#   PG_SERVER_OPTIONS='-c name=value …'   # more server settings for start/run, after (so over) the defaults;
#                                        # bench/run.sh sets fsync=on and full_page_writes=on, as a user's server has.
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user (Debian's
# `postgresql` package creates it) and the folder is handed to it; as anyone else it runs as that user.
# Only the socket listens (listen_addresses = ''), so no other local user can reach the server over
# TCP while it trusts every connection; the port only names the socket file, but a free one is picked
# anyway. fsync is off: the data is thrown away, and a killed server (not machine) loses nothing
# anyway; synchronous_commit stays on, so a commit is in the kernel's hands before it is acknowledged.
set -euo pipefail

die() { echo "pg-test-server: $*" >&2; exit 2; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return 0; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return 0; fi
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  die "no PostgreSQL server binaries (initdb, pg_ctl) found: install the Debian package 'postgresql' (tools/install-system-deps.sh does) or set PG_BIN"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

conninfo() { echo "host=$1 port=$(cat "$1/port") dbname=mako user=postgres"; }

start() {
  local dir=$1 bin port
  [ -e "$dir" ] && die "$dir exists already; give a folder that does not exist (it is deleted on stop)"
  bin=$(pg_bin)
  if [ "$(id -u)" -eq 0 ]; then id postgres >/dev/null 2>&1 || die "running as root needs the system user 'postgres' (from the Debian package 'postgresql')"; fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "${#dir}" -lt 90 ] || die "$dir is too long for a Unix socket path; use a shorter folder"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  port=$(free_port)
  echo "$port" >"$dir/port"
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c full_page_writes=off -c max_connections=200 ${PG_SERVER_OPTIONS:-}" \
    start >/dev/null || { cat "$dir/server.log" >&2; die "the server did not start"; }
  "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -c "CREATE DATABASE mako" >/dev/null ||
    die "could not create the database 'mako'"
  echo "export MAKO_TEST_PG='$(conninfo "$dir")'"
}

stop() {
  local dir=$1 bin
  [ -d "$dir" ] || return 0
  bin=$(pg_bin)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

restart() {
  local dir=$1 bin
  [ -f "$dir/data/postmaster.pid" ] || die "no running server in $dir"
  bin=$(pg_bin)
  # pg_ctl restart starts the server with the options of the last start (postmaster.opts).
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m immediate -w -t 60 restart >/dev/null ||
    { cat "$dir/server.log" >&2; die "the server did not restart"; }
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  env) [ $# -eq 2 ] || die "usage: $0 env DIR"; [ -f "$2/port" ] || die "no server in $2"; echo "export MAKO_TEST_PG='$(conninfo "$(cd "$2" && pwd)")'" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  restart) [ $# -eq 2 ] || die "usage: $0 restart DIR"; restart "$2" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || die "usage: $0 run -- COMMAND [ARGS...]"
    if [ -n "${MAKO_TEST_PG:-}" ]; then
      echo "pg-test-server: using the server in MAKO_TEST_PG ('$MAKO_TEST_PG'); none started"
      exec "$@"
    fi
    parent=$(mktemp -d /tmp/mako-pg.XXXXXX)
    chmod 755 "$parent"  # the server user must reach its folder inside
    dir="$parent/pg"
    trap 'stop "$dir"; rm -rf "$parent"' EXIT
    trap 'exit 130' INT TERM
    line=$(start "$dir") || exit 2
    eval "$line"
    echo "pg-test-server: PostgreSQL running for the tests: MAKO_TEST_PG='$MAKO_TEST_PG'"
    set +e
    "$@"
    rc=$?
    exit $rc
    ;;
  *) die "usage: $0 start DIR | env DIR | stop DIR | restart DIR | run -- COMMAND [ARGS...]" ;;
esac
