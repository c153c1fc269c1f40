#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: made in a mktemp -d folder owned
# by postgres, started with runuser on a free port, removed on exit.
# Usage: scripts/pg-test.sh COMMAND...   (VK_DATABASE_URL is exported for the command)
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-test: geen PostgreSQL-binaries gevonden (/usr/lib/postgresql/*/bin)" >&2
  exit 3
fi
PGROOT=$(mktemp -d)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$PGROOT"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
  -o "-p $PORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
export VK_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/veiligheidskaart"
as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres veiligheidskaart
"$@"
