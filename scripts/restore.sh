#!/usr/bin/env bash
# make restore FILE=backups/sco-....dump: replaces the tables of DATABASE_URL (PostgreSQL) with
# the backup's, dropping each one first. The site may keep serving: the restore is one transaction,
# so readers see the records of before it or of the backup, never a table missing or half loaded;
# a request that needs a table the restore holds waits DB_LOCK_TIMEOUT_MS and gets a 503.
set -euo pipefail
cd "$(dirname "$0")/.."

file=${1:-}
if [ -z "$file" ] || [ ! -f "$file" ]; then
    echo "usage: make restore FILE=backups/sco-YYYYmmdd-HHMMSS.dump (no such file: '$file')" >&2
    exit 1
fi
case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *)
        echo "make restore needs DATABASE_URL=postgres://... (it runs pg_restore)." >&2
        exit 1
        ;;
esac
# A reader's query that holds one table while the restore holds another can deadlock with it;
# PostgreSQL then cancels one of them. If it cancels the restore, nothing was changed (one
# transaction), so it is tried again, up to three times in all.
for attempt in 1 2 3; do
    if output=$(pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
        --single-transaction --dbname="$DATABASE_URL" "$file" 2>&1); then
        [ -z "$output" ] || echo "$output" >&2
        break
    fi
    if [ "$attempt" -lt 3 ] && grep -q "deadlock detected" <<<"$output"; then
        echo "restore: deadlocked with a reader's query and rolled back; trying again" >&2
        sleep 1
        continue
    fi
    echo "$output" >&2
    exit 1
done
# Pages cached before the restore show records it replaced: retire them all. A backup older than
# the cache generation gets a new one from `migrate`.
.venv/bin/python manage.py retire_cached_pages ||
    echo "no cache generation yet: manage.py migrate makes a new one" >&2
echo "restored $file"
