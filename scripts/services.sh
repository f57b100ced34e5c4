#!/usr/bin/env bash
# Installs and starts every server evolve's tests need, idempotently, on a fresh Debian 12 machine
# (PostgreSQL 15, MariaDB 10.11, PgBouncer, SQLite's shell, FerretDB 1.24). Safe to run again: what is
# installed is not reinstalled, what runs is not restarted. Prints the URLs to export at the end.
# Usage: bash scripts/services.sh            (then: eval "$(bash scripts/services.sh --env)")
set -euo pipefail

log() { printf '[services] %s\n' "$*" >&2; }

if [ "${1:-}" = "--env" ]; then
  cat <<'ENV'
export EVOLVE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
export EVOLVE_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
export EVOLVE_FERRETDB_BIN="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin/ferretdb"
ENV
  exit 0
fi

# --- Debian packages -------------------------------------------------------------------------------
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v pgbouncer >/dev/null 2>&1 || need+=(pgbouncer)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- PostgreSQL ------------------------------------------------------------------------------------
pg_version=$(ls /etc/postgresql | sort -n | tail -n 1)
hba=/etc/postgresql/$pg_version/main/pg_hba.conf
if grep -Eq '^(local|host)\s.*\s(peer|scram-sha-256|md5)\s*$' "$hba"; then
  log "pg_hba.conf: trust for local and 127.0.0.1"
  sed -i -E '/^(local|host)\s/ s/(peer|scram-sha-256|md5)\s*$/trust/' "$hba"
  pg_reload=1
fi
conf=/etc/postgresql/$pg_version/main/postgresql.conf
# The tests open many short-lived connections (20 processes at once, pools per test file).
if ! grep -q '^max_connections = 300' "$conf"; then
  sed -i -E 's/^#?max_connections = [0-9]+/max_connections = 300/' "$conf"
  pg_restart=1
fi
if pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ -n "${pg_restart:-}" ]; then pg_ctlcluster --skip-systemctl-redirect "$pg_version" main restart
  elif [ -n "${pg_reload:-}" ]; then pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload; fi
else
  log "starting PostgreSQL $pg_version"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
fi
for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p 5432 >&2
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 ||
  createdb -h 127.0.0.1 -U postgres test

# --- MariaDB ---------------------------------------------------------------------------------------
if ! mysqladmin -uroot status >/dev/null 2>&1; then
  log "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --skip-name-resolve --max-connections=500
  for _ in $(seq 1 60); do mysqladmin -uroot status >/dev/null 2>&1 && break; sleep 0.5; done
fi
mysqladmin -uroot status >&2
# Without skip-name-resolve a TCP client on 127.0.0.1 is 'root'@'localhost' (unix_socket auth by default):
# let that account log in with an empty password too, and create 'root'@'127.0.0.1' for servers that skip names.
mysql -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS test;
FLUSH PRIVILEGES;
SQL
mysqladmin -h 127.0.0.1 -uroot status >/dev/null

# --- FerretDB (MongoDB wire protocol; the test harness starts one per run) ------------------------
# `go install ...ferretdb@v1.24.2` builds a binary that panics at start: the module ships without
# build/version/version.txt (its release builds generate it). So: copy the module source, write that
# file, and build from the copy.
gobin="$(go env GOPATH)/bin"
if ! "$gobin/ferretdb" --version >/dev/null 2>&1; then
  log "building FerretDB 1.24.2 (a few minutes the first time; Go's caches persist on a machine)"
  go mod download github.com/FerretDB/FerretDB@v1.24.2
  src=$(go mod download -json github.com/FerretDB/FerretDB@v1.24.2 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  echo v1.24.2 >"$work/build/version/version.txt"
  (cd "$work" && go build -o "$gobin/ferretdb" ./cmd/ferretdb)
  rm -rf "$work"
fi
"$gobin/ferretdb" --version >/dev/null

log "ready: PostgreSQL $pg_version, MariaDB, PgBouncer $(pgbouncer --version | head -n 1 | awk '{print $2}'), FerretDB"
