#!/usr/bin/env bash
# make backup: the PostgreSQL database of DATABASE_URL in pg_dump's custom format, written to
# backups/sco-YYYYmmdd-HHMMSS.dump (BACKUP_DIR changes the folder). Prints the file's name.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *)
        echo "make backup needs DATABASE_URL=postgres://... (it runs pg_dump)." >&2
        echo "The SQLite default is one file: stop the site and copy db.sqlite3." >&2
        exit 1
        ;;
esac
dir=${BACKUP_DIR:-backups}
mkdir -p "$dir"
file="$dir/sco-$(date -u +%Y%m%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file" "$DATABASE_URL"
echo "$file"
