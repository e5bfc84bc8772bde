#!/usr/bin/env bash
# make restore FILE=backups/sco-....dump: replaces the tables of DATABASE_URL (PostgreSQL) with
# the backup's, dropping each one first. Stop the site while it runs.
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
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
    --dbname="$DATABASE_URL" "$file"
# Pages cached before the restore show records it replaced: retire them all. A backup older than
# the cache generation gets a new one from `migrate`.
.venv/bin/python manage.py retire_cached_pages ||
    echo "no cache generation yet: manage.py migrate makes a new one" >&2
echo "restored $file"
