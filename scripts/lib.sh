# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it; it defines functions and REPO_ROOT, runs nothing.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

MARIADB_HOST=127.0.0.1
MARIADB_PORT=3306
MARIADB_WAIT_SECONDS=60

info() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through passwordless sudo; fails otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    printf 'ERROR: need root (or passwordless sudo) to run: %s\n' "$*" >&2
    return 1
  fi
}

# apt-get with no prompts, a bounded lock wait and a bounded run time (no step may hang CI).
apt_get() {
  local limit="$1"
  shift
  as_root env DEBIAN_FRONTEND=noninteractive timeout "$limit" \
    apt-get -q -y -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# At most one `apt-get update` per run of a script: the scripts source this file once.
_APT_UPDATED=0
apt_update_once() {
  if [ "$_APT_UPDATED" -eq 1 ]; then return 0; fi
  info "apt-get update"
  apt_get 300 update -qq >/dev/null || return 1
  _APT_UPDATED=1
}

# Installs Debian packages; apt's long output goes to a log whose tail is shown only on failure.
apt_install() {
  apt_update_once || return 1
  info "apt-get install $*"
  local log status=0
  log="$(mktemp "${TMPDIR:-/tmp}/apt-install.XXXXXX")"
  apt_get 900 install --no-install-recommends "$@" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    tail -n 15 "$log" >&2
    warn "apt-get install $* failed (exit $status); full log: $log"
    return "$status"
  fi
  rm -f "$log"
}

dpkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# True when something accepts TCP connections on 127.0.0.1:3306 and, if the client exists, answers a ping.
mariadb_answers() {
  if command -v mysqladmin >/dev/null 2>&1; then
    mysqladmin --connect-timeout=2 -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot ping >/dev/null 2>&1 && return 0
    # mysqladmin exits non-zero on "Access denied" although the server is up; a TCP check settles it.
  fi
  timeout 3 bash -c "exec 3<>/dev/tcp/$MARIADB_HOST/$MARIADB_PORT" 2>/dev/null
}

# Installs MariaDB when absent, starts it when stopped, and waits (bounded) until it answers. Fatal on failure.
ensure_mariadb() {
  if mariadb_answers; then
    info "MariaDB answers on $MARIADB_HOST:$MARIADB_PORT"
    return 0
  fi

  local installed_now=0
  if [ ! -x /usr/sbin/mariadbd ]; then
    info "MariaDB is not installed; installing mariadb-server from Debian"
    apt_install mariadb-server mariadb-client ||
      die "could not install mariadb-server (apt-get failed); install it by hand and re-run"
    [ -x /usr/sbin/mariadbd ] || die "mariadb-server installed but /usr/sbin/mariadbd is missing"
    installed_now=1
  fi

  info "starting MariaDB"
  # mariadbd aborts when its socket directory is missing (it lives on a tmpfs on most machines).
  as_root install -d -o mysql -g mysql -m 0755 /run/mysqld 2>/dev/null || true
  local start_log="${TMPDIR:-/tmp}/mariadbd-start.log"
  as_root start-stop-daemon --start --oknodo --background --output "$start_log" --exec /usr/sbin/mariadbd ||
    die "could not start /usr/sbin/mariadbd (start-stop-daemon failed); see $start_log"

  local waited=0
  until mariadb_answers; do
    if [ "$waited" -ge "$MARIADB_WAIT_SECONDS" ]; then
      tail -n 20 "$start_log" >&2 2>/dev/null || true
      die "MariaDB did not answer on $MARIADB_HOST:$MARIADB_PORT within ${MARIADB_WAIT_SECONDS}s (log above: $start_log)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  info "MariaDB is up (${waited}s)"

  if [ "$installed_now" -eq 1 ]; then
    allow_root_over_tcp
  fi
}

# A fresh Debian install lets root in only through the unix socket; dev machines and the tests
# expect root with an empty password on 127.0.0.1. Only ever done right after we installed MariaDB.
allow_root_over_tcp() {
  if mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1; then return 0; fi
  info "allowing root@127.0.0.1 without password (fresh local dev/CI install)"
  as_root mysql -uroot <<'SQL' || die "could not configure root@127.0.0.1 on the fresh MariaDB"
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
  mysql -h"$MARIADB_HOST" -P"$MARIADB_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1 ||
    die "root still cannot log in on $MARIADB_HOST:$MARIADB_PORT"
}

# `npm ci` only when node_modules is missing or older than package-lock.json.
npm_ci_if_needed() {
  local marker="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -d "$REPO_ROOT/node_modules" ] || [ ! -f "$marker" ] || [ "$REPO_ROOT/package-lock.json" -nt "$marker" ]; then
    info "npm ci"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  else
    info "node_modules is up to date with package-lock.json"
  fi
}
