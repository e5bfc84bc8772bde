#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis against its own OpenAPI schema, on a live server with the
# bundled data: any 5xx, or any response that the schema does not describe, fails the run.
#
#   scripts/api_fuzz.sh                                   # a scratch SQLite database
#   DATABASE_URL=postgres://.../scratch scripts/api_fuzz.sh   # that database, migrated and loaded
#   API_FUZZ_MAX_EXAMPLES=200 scripts/api_fuzz.sh         # more cases per operation (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
scratch=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

export DATABASE_URL="${DATABASE_URL:-sqlite:///$scratch/api-fuzz.sqlite3}"
# Thousands of requests come from one address: the public rate would answer most with a 429.
export API_ANON_RATE="${API_FUZZ_RATE:-1000000/minute}"
export DEBUG=0
# A scratch server of its own: any key will do, but production mode (DEBUG off) needs one.
export SECRET_KEY="${SECRET_KEY:-api-fuzz-only-secret-key-0123456789}"

"$VENV/bin/python" manage.py migrate --noinput -v 0
"$VENV/bin/python" manage.py load_sco_data >/dev/null
# With DEBUG off, pages name their hashed static files from the collectstatic manifest.
"$VENV/bin/python" manage.py collectstatic --noinput -v 0

port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# No request-line limit: the site itself must answer every query string the fuzzer makes up (in
# production the reverse proxy's own limit answers an over-long address with a 414 first).
"$VENV/bin/gunicorn" sco_tracker.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
    --threads 2 --limit-request-line 0 \
    --access-logfile "$scratch/access.log" --error-logfile "$scratch/error.log" &
server_pid=$!

for _ in $(seq 1 60); do
    if "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$scratch/error.log"
        echo "The server did not start." >&2
        exit 1
    fi
    sleep 0.5
done

# One check is left out: positive_data_acceptance expects every input the schema allows to
# succeed, but a slug the schema allows may name no record, and a page number may lie past the
# last page; the API rightly answers those with the 400 or 404 that the schema documents.
# Run from the scratch folder, where schemathesis and Hypothesis leave their caches.
schemathesis=$(cd "$VENV/bin" && pwd)/schemathesis
status=0
(cd "$scratch" && "$schemathesis" run "http://127.0.0.1:$port/api/schema/" \
    --checks all \
    --exclude-checks positive_data_acceptance \
    --max-examples "${API_FUZZ_MAX_EXAMPLES:-30}" \
    --generation-database none \
    --workers 2 \
    --no-color) || status=$?

echo "Server responses by status code:"
awk '{print $9}' "$scratch/access.log" | sort | uniq -c
if awk '$9 >= 500 { found = 1 } END { exit !found }' "$scratch/access.log"; then
    echo "The server answered with a 5xx." >&2
    status=1
fi
exit "$status"
