#!/usr/bin/env bash
# Proves that a backup restores: loads the bundled data into a scratch PostgreSQL database, backs
# it up with `make backup`, restores it with `make restore` into a second scratch database, then
# checks equal row counts for every table, a clean `migrate --check`, and that the public pages of
# the restored database answer 200 from gunicorn.
#
#   PG_SERVER=postgres://postgres@127.0.0.1:5432 scripts/backup_check.sh   (the default)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
server=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
source_db=sco_backup_check_source
restored_db=sco_backup_check_restored
scratch=$(mktemp -d)
export PGOPTIONS="-c client_min_messages=warning"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
    for db in "$source_db" "$restored_db"; do
        psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
    done
}
trap cleanup EXIT
# Scratch databases and a smoke-test server: any key will do.
export SECRET_KEY="${SECRET_KEY:-backup-check-only-secret-key-0123456789}"

for db in "$source_db" "$restored_db"; do
    psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    psql -q "$server/postgres" -c "CREATE DATABASE $db" >/dev/null
done

echo "loading the bundled data into $source_db"
DATABASE_URL="$server/$source_db" "$VENV/bin/python" manage.py migrate --noinput -v 0
DATABASE_URL="$server/$source_db" "$VENV/bin/python" manage.py load_sco_data >/dev/null

file=$(DATABASE_URL="$server/$source_db" BACKUP_DIR="$scratch" make --no-print-directory backup)
echo "backed up to $file ($(stat -c %s "$file") bytes); restoring into $restored_db"
DATABASE_URL="$server/$restored_db" make --no-print-directory restore FILE="$file"

tables=$(psql -At "$server/$source_db" \
    -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
mismatches=0
rows=0
for table in $tables; do
    before=$(psql -At "$server/$source_db" -c "SELECT count(*) FROM \"$table\"")
    after=$(psql -At "$server/$restored_db" -c "SELECT count(*) FROM \"$table\"")
    rows=$((rows + before))
    if [ "$before" != "$after" ]; then
        echo "MISMATCH $table: $before rows backed up, $after restored"
        mismatches=$((mismatches + 1))
    fi
done
echo "$(echo "$tables" | wc -w) tables, $rows rows, $mismatches mismatches"
[ "$mismatches" -eq 0 ]

export DATABASE_URL="$server/$restored_db"
"$VENV/bin/python" manage.py migrate --check -v 0
echo "migrate --check: no unapplied migrations"

meeting=$(psql -At "$DATABASE_URL" \
    -c "SELECT slug FROM meetings_meeting WHERE state = 'published' ORDER BY slug LIMIT 1")
port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# DEBUG=1 serves static names unhashed, so that no collectstatic is needed for the smoke test.
DEBUG=1 LOG_LEVEL=WARNING "$VENV/bin/gunicorn" sco_tracker.wsgi:application \
    --bind "127.0.0.1:$port" --workers 2 --error-logfile "$scratch/error.log" &
server_pid=$!
for _ in $(seq 1 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/error.log"; exit 1; }
    sleep 0.5
done

failed=0
for path in /healthz / /meetings/ "/meetings/$meeting/" /summits/ /initiatives/ /officials/ \
    /countries/ /api/meetings/; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
    echo "$status $path"
    [ "$status" = 200 ] || failed=1
done
[ "$failed" -eq 0 ]
echo "backup check passed"
