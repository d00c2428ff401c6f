#!/usr/bin/env bash
# `npm run platform`: builds and starts the whole platform on this machine (idempotent).
#   bash scripts/platform.sh [start]   MariaDB, deps, build, dev TLS + secrets, DB user, migrate, seed, start apps
#   bash scripts/platform.sh stop      stops the apps started from here
#   bash scripts/platform.sh status    shows which apps run
# State lives in .run/ (git-ignored, mode 700): TLS files, secrets, pid files, logs/. No secret is ever printed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

RUN_DIR="$REPO_ROOT/.run"
SECRETS_DIR="$RUN_DIR/secrets"
TLS_DIR="$RUN_DIR/tls"
LOG_DIR="$RUN_DIR/logs"
APPS=(crm-api dialer recording console)
HEALTH_WAIT_SECONDS=60
STOP_WAIT_SECONDS=20
DB_NAME=callcenter
DB_USER=callcenter
# What the app user needs on its own database: data, schema changes by migrations, the audit triggers.
DB_PRIVILEGES="SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES, TRIGGER"

port_of() {
  case "$1" in
    crm-api) echo 8443 ;;
    dialer) echo 8444 ;;
    recording) echo 8445 ;;
    console) echo 8446 ;;
    *) die "unknown app $1" ;;
  esac
}

entry_of() { echo "dist/apps/$1/src/main.js"; }

# The console is the browsers' front door and forwards to the apps from 127.0.0.1: the apps believe
# its X-Forwarded-For (per-address limits, audit, role IP rules); the console itself believes nobody's.
trust_proxy_of() {
  case "$1" in
    console) echo "" ;;
    *) echo "127.0.0.1" ;;
  esac
}

# Prints the pid of a running app started from here; nothing (and status 1) otherwise.
# The command line is checked so that a recycled pid is never taken for (or killed as) our app.
app_pid() {
  local app="$1" pidfile="$RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(entry_of "$app")" || return 1
  echo "$pid"
}

stop_apps() {
  local app pid waited
  for app in "${APPS[@]}"; do
    if ! pid="$(app_pid "$app")"; then
      rm -f "$RUN_DIR/$app.pid"
      info "$app: not running"
      continue
    fi
    info "$app: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$waited" -ge "$STOP_WAIT_SECONDS" ]; then
        warn "$app did not stop within ${STOP_WAIT_SECONDS}s; killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 1
      waited=$((waited + 1))
    done
    rm -f "$RUN_DIR/$app.pid"
  done
}

status_apps() {
  local app pid
  for app in "${APPS[@]}"; do
    if pid="$(app_pid "$app")"; then
      info "$app: running (pid $pid) https://127.0.0.1:$(port_of "$app")"
    else
      info "$app: not running"
    fi
  done
}

prepare_run_dir() {
  umask 077
  mkdir -p "$RUN_DIR" "$SECRETS_DIR" "$TLS_DIR" "$LOG_DIR"
  chmod 700 "$RUN_DIR" "$SECRETS_DIR" "$TLS_DIR" "$LOG_DIR"
}

# Self-signed dev certificate for all the apps; created once, kept across restarts.
ensure_dev_tls() {
  if [ -s "$TLS_DIR/cert.pem" ] && [ -s "$TLS_DIR/key.pem" ]; then return 0; fi
  info "creating a self-signed dev TLS certificate for localhost (.run/tls/)"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 825 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$TLS_DIR/key.pem.tmp" -out "$TLS_DIR/cert.pem.tmp" 2>/dev/null ||
    die "openssl could not create the dev TLS certificate"
  chmod 600 "$TLS_DIR/key.pem.tmp"
  chmod 644 "$TLS_DIR/cert.pem.tmp"
  mv -f "$TLS_DIR/key.pem.tmp" "$TLS_DIR/key.pem"
  mv -f "$TLS_DIR/cert.pem.tmp" "$TLS_DIR/cert.pem"
}

# Writes a random secret to .run/secrets/<name> unless it exists. No trailing newline, mode 600.
ensure_secret() {
  local name="$1" kind="$2" file="$SECRETS_DIR/$1" value
  if [ -s "$file" ]; then return 0; fi
  case "$kind" in
    hex32) value="$(openssl rand -hex 32)" ;;       # 64 characters
    base64-32) value="$(openssl rand -base64 32)" ;; # base64 of 32 random bytes
    *) die "unknown secret kind $kind" ;;
  esac
  [ -n "$value" ] || die "could not generate secret $name"
  printf '%s' "$value" >"$file.tmp"
  chmod 600 "$file.tmp"
  mv -f "$file.tmp" "$file"
  info "created secret .run/secrets/$name"
}

ensure_secrets() {
  ensure_secret jwt_secret hex32
  ensure_secret service_token_secret hex32
  ensure_secret kms_master_key base64-32
  ensure_secret blind_index_key base64-32
  ensure_secret db_password hex32
  ensure_secret drachtio_secret hex32
}

# Runs SQL from stdin as the MariaDB root user: over 127.0.0.1 when that works, else the unix socket.
mysql_root() {
  if mysql -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    mysql -h127.0.0.1 -P3306 -uroot --batch
  else
    as_root mysql -uroot --batch
  fi
}

# The database and its dedicated user; idempotent, and re-applies the password from .run/secrets/db_password.
ensure_database() {
  local password host
  password="$(cat "$SECRETS_DIR/db_password")"
  [[ "$password" =~ ^[0-9a-f]+$ ]] || die ".run/secrets/db_password must be hex (delete it to get a new one)"
  info "ensuring database '$DB_NAME' and user '$DB_USER'@127.0.0.1/localhost"
  {
    printf "CREATE DATABASE IF NOT EXISTS \`%s\` CHARACTER SET utf8mb4;\n" "$DB_NAME"
    for host in 127.0.0.1 localhost; do
      printf "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s';\n" "$DB_USER" "$host" "$password"
      printf "ALTER USER '%s'@'%s' IDENTIFIED BY '%s';\n" "$DB_USER" "$host" "$password"
      printf "GRANT %s ON \`%s\`.* TO '%s'@'%s';\n" "$DB_PRIVILEGES" "$DB_NAME" "$DB_USER" "$host"
    done
  } | mysql_root || die "could not create the database or its user (as MariaDB root)"
}

export_app_env() {
  # A secret given directly would clash with its *_FILE twin; the files are the only source here.
  unset DB_PASSWORD JWT_SECRET SERVICE_TOKEN_SECRET KMS_MASTER_KEY BLIND_INDEX_KEY DRACHTIO_SECRET
  export NODE_ENV=development
  export HTTP_HOST=127.0.0.1
  export TLS_CERT_FILE="$TLS_DIR/cert.pem"
  export TLS_KEY_FILE="$TLS_DIR/key.pem"
  export DOCS_ENABLED=true
  export DB_HOST=127.0.0.1
  export DB_PORT=3306
  export DB_USER="$DB_USER"
  export DB_PASSWORD_FILE="$SECRETS_DIR/db_password"
  export DB_NAME="$DB_NAME"
  export JWT_SECRET_FILE="$SECRETS_DIR/jwt_secret"
  export SERVICE_TOKEN_SECRET_FILE="$SECRETS_DIR/service_token_secret"
  export KMS_MASTER_KEY_FILE="$SECRETS_DIR/kms_master_key"
  export BLIND_INDEX_KEY_FILE="$SECRETS_DIR/blind_index_key"
  # The dialer: a drachtio-server and rtpengine on this machine when there are (none is started here;
  # without them the dialer runs, reports telephony down on /health/telephony, and places no call).
  export DRACHTIO_SECRET_FILE="$SECRETS_DIR/drachtio_secret"
  export DRACHTIO_HOST=127.0.0.1 DRACHTIO_PORT=9022 RTPENGINE_HOST=127.0.0.1 RTPENGINE_PORT=22222
  export CRM_API_URL="https://127.0.0.1:8443"
  export DIALER_URL="https://127.0.0.1:8444"
  export RECORDING_URL="https://127.0.0.1:8445"
  # Recordings on a dev machine: rtpengine's spool and the encrypted store under .run/ (mode 700).
  export RECORDING_SPOOL_DIR="$RUN_DIR/recording/spool"
  export RECORDING_STORE_DIR="$RUN_DIR/recording/store"
  mkdir -p "$RECORDING_SPOOL_DIR/metadata" "$RECORDING_SPOOL_DIR/pcaps" "$RECORDING_STORE_DIR"
  chmod 700 "$RUN_DIR/recording" "$RECORDING_STORE_DIR"
  # The apps call each other over HTTPS; let Node trust the dev certificate.
  export NODE_EXTRA_CA_CERTS="$TLS_DIR/cert.pem"
}

start_app() {
  local app="$1" pid entry log
  entry="$(entry_of "$app")"
  log="$LOG_DIR/$app.log"
  if pid="$(app_pid "$app")"; then
    info "$app: already running (pid $pid); run 'npm run platform:stop' first to restart it on the new build"
    return 0
  fi
  [ -f "$entry" ] || die "$entry is missing after the build"
  printf '\n=== %s start %s ===\n' "$app" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$log"
  HTTP_PORT="$(port_of "$app")" TRUST_PROXY="$(trust_proxy_of "$app")" nohup node "$entry" </dev/null >>"$log" 2>&1 &
  echo "$!" >"$RUN_DIR/$app.pid"
  info "$app: started (pid $!), log .run/logs/$app.log"
}

wait_ready() {
  local app="$1" port url code waited=0
  port="$(port_of "$app")"
  url="https://127.0.0.1:$port/health/ready"
  while :; do
    code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)"
    if [ "$code" = "200" ]; then
      info "$app: ready ($url)"
      return 0
    fi
    if ! app_pid "$app" >/dev/null; then
      printf -- '--- last lines of .run/logs/%s.log ---\n' "$app" >&2
      tail -n 40 "$LOG_DIR/$app.log" >&2 || true
      die "$app exited before it became ready"
    fi
    if [ "$waited" -ge "$HEALTH_WAIT_SECONDS" ]; then
      printf -- '--- last lines of .run/logs/%s.log ---\n' "$app" >&2
      tail -n 40 "$LOG_DIR/$app.log" >&2 || true
      die "$app did not answer 200 on $url within ${HEALTH_WAIT_SECONDS}s (last status: ${code:-none})"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

start() {
  ensure_mariadb
  npm_ci_if_needed
  info "npm run build (the apps, then the console's pages with vite)"
  npm run build || die "build failed"

  prepare_run_dir
  ensure_dev_tls
  ensure_secrets
  ensure_database
  export_app_env

  info "migrating the database"
  node dist/db/cli.js migrate || die "migration failed"
  info "seeding demo users (their first passwords are printed once, when they are created)"
  node dist/db/cli.js seed-demo || die "seed-demo failed"

  local app
  for app in "${APPS[@]}"; do start_app "$app"; done
  for app in "${APPS[@]}"; do wait_ready "$app"; done

  cat <<EOF

Platform is up (dev TLS certificate: .run/tls/cert.pem, self-signed).
  Console         https://127.0.0.1:$(port_of console)/
  CRM API docs    https://127.0.0.1:$(port_of crm-api)/docs
  Health (ready)  https://127.0.0.1:$(port_of crm-api)/health/ready
                  https://127.0.0.1:$(port_of dialer)/health/ready
                  https://127.0.0.1:$(port_of recording)/health/ready
                  https://127.0.0.1:$(port_of console)/health/ready
  Logs            .run/logs/<app>.log
  Stop            npm run platform:stop   (or: bash scripts/platform.sh stop)
EOF
}

# Runs the DB CLI (migrate | revert | seed-demo | audit-verify) against the platform's database.
run_cli() {
  [ -f dist/db/cli.js ] || die "dist/db/cli.js is missing: run 'npm run platform' first"
  [ -d "$SECRETS_DIR" ] || die "no platform secrets in .run/: run 'npm run platform' first"
  export_app_env
  exec node dist/db/cli.js "$@"
}

case "${1:-start}" in
  start) start ;;
  stop) stop_apps ;;
  status) status_apps ;;
  cli) shift; run_cli "$@" ;;
  *) die "usage: bash scripts/platform.sh [start|stop|status|cli <migrate|revert|seed-demo|audit-verify>]" ;;
esac
