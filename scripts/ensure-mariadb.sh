#!/usr/bin/env bash
# Makes sure MariaDB answers on 127.0.0.1:3306 (root, empty password): a no-op when it already does,
# else installs mariadb-server when missing, starts it and waits at most 60 s.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_mariadb
