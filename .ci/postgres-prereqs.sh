#!/usr/bin/env bash
# CI: make the real-PostgreSQL ledger tests runnable (SPEC §8, issue 15). With CI=true those tests
# fail rather than skip when the server binaries or psycopg are missing, so .ci/run calls this first.
# Installs Debian's postgresql server package when no initdb/pg_ctl is found, and psycopg 3 (the
# "postgres" extra) into the active Python environment when it cannot be imported. Idempotent.
set -euo pipefail

have_server() {
    command -v pg_ctl >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

if ! have_server; then
    echo "== installing the PostgreSQL server (apt-get install postgresql)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
fi
have_server || { echo "error: PostgreSQL server binaries still missing" >&2; exit 1; }

# The tests run the server as the "postgres" user when they run as root (PostgreSQL refuses root).
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "error: no postgres user; the postgresql package should have created it" >&2
    exit 1
fi

python=${PYTHON:-python}
if ! "$python" -c "import psycopg" >/dev/null 2>&1; then
    echo "== installing psycopg 3 (negplan[postgres])"
    "$python" -m pip install --quiet "psycopg[binary]>=3.1"
fi
"$python" -c "import psycopg; print('psycopg', psycopg.__version__)"
