"""`make bench`: the site at 100,000 meetings beside Django admin, raw SQL and Datasette.

In one run on this machine it loads the synthetic data set into its own PostgreSQL database,
serves the site with gunicorn (DEBUG off, PRODUCTION=1), measures pages with wrk (loopback only,
bounded runs), times the same queries in PostgreSQL, serves a SQLite export of the same meetings
with Datasette from its own virtual environment, and writes BENCHMARKS.md.

Settings from the environment: BENCH_DB (sco_bench), BENCH_MEETINGS (100000), BENCH_OFFICIALS
(10000), BENCH_DURATION (10 s per wrk run), BENCH_CONNECTIONS (4), BENCH_WORKERS (3 gunicorn
workers), BENCH_SKIP_LOAD=1 to skip loading. A database that already holds a complete load with
the same options is reused (migrated, its facet counts made again) rather than loaded again.

The page matrix (every page of the site, one request at a time, page cache off) runs after the
other sections, or alone with `--matrix-only` (`make bench MATRIX_ONLY=1`), e.g. at 10,000
meetings: `make bench MATRIX_ONLY=1 BENCH_DB=sco_bench10k BENCH_MEETINGS=10000`. Each run keeps its
figures in `.bench/matrix-<meetings>.json`; the "Page matrix" section of BENCHMARKS.md shows every
size measured so far and the growth of each page's p50 from one size to the next.
BENCH_MATRIX_RUNS (5) requests per page, 3 per download.
"""

import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
DATASETTE_VENV = WORK / "datasette-venv"
DATASETTE = "datasette==0.65.5"
DB = os.environ.get("BENCH_DB", "sco_bench")
PG = "postgres://postgres@127.0.0.1:5432"
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "100000"))
OFFICIALS = int(os.environ.get("BENCH_OFFICIALS", str(max(10, MEETINGS // 10))))
MATRIX_RUNS = int(os.environ.get("BENCH_MATRIX_RUNS", "5"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
HOST = "127.0.0.1"
# As from a proxy that ends TLS in front of gunicorn: PRODUCTION=1 redirects plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
PORTS = {"uncached": 8941, "cached": 8942, "redis": 8943, "datasette": 8944, "matrix": 8945}
FACETS = [
    ("year", "_facet"), ("month", "_facet"), ("country", "_facet"), ("kind", "_facet"),
    ("participant_countries", "_facet_array"), ("officials", "_facet_array"),
    ("topics", "_facet_array"),
]  # fmt: skip

commands = []  # every command run, for BENCHMARKS.md


def shown(text):
    """`text` with this checkout's folder left out, so that no path of the machine is written."""
    return str(text).replace(f"{ROOT}/", "").replace(str(ROOT), ".")


def say(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, env=None, capture=False, record=True):
    if record:
        commands.append(" ".join(str(a) for a in args))
    result = subprocess.run(
        [str(a) for a in args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def psql(sql, db="postgres"):
    return run(["psql", "-h", HOST, "-U", "postgres", "-d", db, "-qAtc", sql], capture=True)


def site_env(database=DB, **extra):
    return {
        "DATABASE_URL": f"{PG}/{database}",
        "DEBUG": "0",
        "PRODUCTION": "1",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": HOST,
        "BENCH_PING": "1",
        "TRUST_X_FORWARDED_PROTO": "1",
        # wrk's connections all come from one address: no per-client limits, and the admin
        # changelist measured without a second factor.
        "PAGE_RATE": "",
        "DOWNLOAD_RATE": "",
        "TWO_FACTOR_REQUIRED": "0",
        **extra,
    }


def load(db=DB):
    """Seconds taken to load the data set; None when `db` already held a complete load of it.

    A complete load is marked by a comment on the database naming its options, set last.
    """
    generate = ["generate_demo_data", "--meetings", MEETINGS, "--officials", OFFICIALS,
                "--seed", "1"]  # fmt: skip
    marker = " ".join(map(str, generate))
    env = site_env(db)
    comment = f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname='{db}'"
    if psql(comment).strip() == marker:
        say(f"Reusing {db}, which holds a complete load of the same data set")
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "refresh_facet_counts"], env)
        return None
    say(f"Loading {MEETINGS:,} meetings into {db}")
    psql(f"DROP DATABASE IF EXISTS {db}")
    psql(f"CREATE DATABASE {db}")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    run([PYTHON, "manage.py", *generate], env)
    seconds = time.monotonic() - started
    psql(f"COMMENT ON DATABASE {db} IS '{marker}'")
    return seconds


def start(args, env, port):
    process = subprocess.Popen(
        [str(a) for a in args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / f"server-{port}.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    for _ in range(120):
        try:
            request = urllib.request.Request(f"http://{HOST}:{port}/", headers=PROXY_HEADERS)
            urllib.request.urlopen(request, timeout=30)
            return process
        except OSError:
            time.sleep(0.5)
    stop(process)  # so that it cannot hold the port for the next run
    raise RuntimeError(f"the server on port {port} did not start; see {WORK}/server-{port}.log")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def gunicorn(port, *options, **env):
    args = [ROOT / ".venv" / "bin" / "gunicorn", "sco_tracker.wsgi", "--bind", f"{HOST}:{port}",
            "--workers", WORKERS, *options, "--access-logfile", "-"]  # fmt: skip
    commands.append(" ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(map(str, args)))
    return start(args, site_env(**env), port)


def wrk(port, path, cookie=None):
    """p50, p95 (ms), requests per second and errors of `path`, after a warm-up request."""
    url = f"http://{HOST}:{port}{path}"
    headers = [part for name, value in PROXY_HEADERS.items() for part in ("-H", f"{name}: {value}")]
    if cookie:
        headers += ["-H", f"Cookie: sessionid={cookie}"]
    for _ in range(2):
        cookies = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        request = urllib.request.Request(url, headers={**PROXY_HEADERS, **cookies})
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            # A redirect (to the admin's login, say) would measure the wrong page.
            if response.status != 200 or response.geturl() != url:
                raise RuntimeError(f"{url} answered {response.status} at {response.geturl()}")
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "30s",
            "-s", ROOT / "scripts" / "wrk_report.lua", *headers, url]  # fmt: skip
    commands.append(" ".join(map(str, args)).replace(cookie or "\0", "<session>"))
    output = run(args, capture=True, record=False)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = dict(part.split("=") for part in line.split()[1:])
    result = {
        "p50": int(values["p50_us"]) / 1000,
        "p95": int(values["p95_us"]) / 1000,
        "rps": int(values["requests"]) / float(values["seconds"]),
        "requests": int(values["requests"]),
        "errors": int(values["errors"]),
    }
    say(f"  {path[:70]}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
        f"{result['rps']:.0f} req/s, {result['errors']} errors")  # fmt: skip
    return result


def datasette(db_path):
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        say("Installing Datasette in its own virtual environment")
        run([sys.executable, "-m", "venv", DATASETTE_VENV])
        run([DATASETTE_VENV / "bin" / "pip", "install", "--quiet", DATASETTE])
    args = [DATASETTE_VENV / "bin" / "datasette", "serve", db_path, "--host", HOST,
            "--port", PORTS["datasette"], "--setting", "default_page_size", "20",
            "--setting", "suggest_facets", "off", "--setting", "num_sql_threads", "3"]  # fmt: skip
    commands.append(" ".join(map(str, args)))
    return start(args, {}, PORTS["datasette"])


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory.split()[1]) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": psql("SHOW server_version").strip(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0],
        "load": Path("/proc/loadavg").read_text().split()[:3],
    }


def timed_get(port, path):
    """(milliseconds to the last byte, status, bytes) of one GET of `path`.

    A body cut off before its end (a worker killed mid-stream) has the status "cut"."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=PROXY_HEADERS)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            status = response.status
            size = len(response.read())
    except urllib.error.HTTPError as error:
        size, status = len(error.read()), error.code
    except http.client.IncompleteRead as error:
        size, status = len(error.partial), "cut"
    except (ConnectionError, http.client.HTTPException, TimeoutError):
        size, status = 0, "cut"
    return (time.perf_counter() - started) * 1000, status, size


def quantile(values, q):
    """The nearest-rank quantile `q` of `values`."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def matrix(db=DB):
    """Every page of the matrix, one request at a time against gunicorn without the page cache."""
    targets_file = WORK / f"matrix-targets-{MEETINGS}.json"
    run([PYTHON, "scripts/bench_targets.py", targets_file], site_env(db))
    targets = json.loads(targets_file.read_text())
    say(f"Page matrix at {MEETINGS:,} meetings: {len(targets['pages'])} pages, one at a time")
    result = {
        "meetings": MEETINGS,
        "db": db,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_before": Path("/proc/loadavg").read_text().split()[:3],
        "runs": MATRIX_RUNS,
        "filters": targets["filters"],
        "pages": [],
    }
    # The production timeout of the README's Deploying section, so that a long download is
    # measured rather than cut off by gunicorn's default of 30 s.
    server = gunicorn(PORTS["matrix"], "--timeout", "120", PAGE_CACHE_SECONDS="0")
    # The unfiltered list, the measure of every page, is also asked for after each page: on a
    # shared machine its p50 from five requests in a row swings with the load of the moment.
    base_times = []
    try:
        for group, name, path in targets["pages"]:
            runs = min(3, MATRIX_RUNS) if group == "export" else MATRIX_RUNS
            if group != "export":
                timed_get(PORTS["matrix"], path)  # a warm-up request, not counted
            samples = [timed_get(PORTS["matrix"], path) for _ in range(runs)]
            times = [ms for ms, __, __ in samples]
            page = {
                "group": group,
                "name": name,
                "path": path,
                "p50": statistics.median(times),
                "p95": quantile(times, 0.95),
                "status": sorted({status for __, status, __ in samples}, key=str),
                "bytes": samples[-1][2],
                "times": times,
            }
            result["pages"].append(page)
            base_times.append(timed_get(PORTS["matrix"], "/meetings/")[0])
            # Written as it goes, so that a run stopped part way still shows what it measured.
            result["base_p50"] = statistics.median(base_times)
            result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
            (WORK / f"matrix-{MEETINGS}.json").write_text(json.dumps(result, indent=1))
            say(f"  {group} {name}: p50 {page['p50']:.0f} ms, p95 {page['p95']:.0f} ms, "
                f"{page['status']}, {page['bytes']:,} bytes")  # fmt: skip
    finally:
        stop(server)
    result["complete"] = True
    (WORK / f"matrix-{MEETINGS}.json").write_text(json.dumps(result, indent=1))
    return result


MATRIX_HEADING = "## Page matrix"
LOAD_HEADING = "## Load and soak"


def size_label(meetings):
    return f"{meetings // 1_000_000}M" if meetings >= 1_000_000 else f"{meetings // 1000}k"


def matrix_section():
    """The "Page matrix" section from every `.bench/matrix-<meetings>.json` measured so far."""
    runs = sorted(
        (json.loads(p.read_text()) for p in WORK.glob("matrix-*.json") if "targets" not in p.name),
        key=lambda r: r["meetings"],
    )
    if not runs:
        return ""
    labels = [size_label(r["meetings"]) for r in runs]
    by_size = [{(p["group"], p["name"]): p for p in r["pages"]} for r in runs]
    base = [r.get("base_p50") or r["pages"][0]["p50"] for r in runs]
    largest = by_size[-1]
    head = ["group", "page", f"address ({labels[-1]})"]
    for label in labels:
        head += [f"{label} p50 ms", f"{label} p95 ms", f"{label} ÷ list"]
    for small, big in zip(labels, labels[1:], strict=False):
        head.append(f"growth {big}/{small}")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def cell(page, key):
        if page is None:
            return "–"
        flag = "" if page["status"] == [200] else f" ({'/'.join(map(str, page['status']))})"
        return f"{page[key]:,.0f}{flag}"

    # Every page any run measured, in the matrix's order (a run stopped part way lacks some).
    keys = dict.fromkeys(key for pages in sorted(by_size, key=len, reverse=True) for key in pages)
    for key in keys:
        page = largest.get(key) or next(pages[key] for pages in by_size if key in pages)
        row = [page["group"], page["name"], f"`{page['path']}`"]
        for pages, unfiltered in zip(by_size, base, strict=True):
            other = pages.get(key)
            row += [cell(other, "p50"), cell(other, "p95")]
            row.append(f"{other['p50'] / unfiltered:.1f}" if other else "–")
        for small, big in zip(by_size, by_size[1:], strict=False):
            a, b = small.get(key), big.get(key)
            row.append(f"{b['p50'] / a['p50']:.1f}" if a and b else "–")
        lines.append("| " + " | ".join(row) + " |")

    slowest = sorted(largest.values(), key=lambda p: -p["p50"])[:10]
    slow_lines = [
        f"{n}. {p['group']} {p['name']} (`{p['path']}`): p50 {p['p50']:,.0f} ms, "
        f"{p['p50'] / base[-1]:.1f}× the unfiltered list, {p['bytes']:,} bytes"
        for n, p in enumerate(slowest, 1)
    ]
    growth_lines = []
    if len(runs) > 1:
        small, big = by_size[-2], by_size[-1]
        grown = sorted(
            (
                (big[k]["p50"] / small[k]["p50"], big[k])
                for k in big
                if k in small and small[k]["status"] == big[k]["status"] == [200]
            ),
            key=lambda pair: -pair[0],
        )
        growth_lines = [
            f"{n}. {p['group']} {p['name']}: × {g:.1f} ({p['p50'] / g:,.0f} → {p['p50']:,.0f} ms)"
            for n, (g, p) in enumerate(grown[:10], 1)
        ]
    sizes = "\n".join(
        f"- {size_label(r['meetings'])}: `generate_demo_data --meetings {r['meetings']}` in the "
        f"database `{r['db']}`, measured from {r['started']}; load average "
        f"{' '.join(r['load_before'])} before, {' '.join(r['load_after'])} after; the "
        f"unfiltered list's p50 {base:,.0f} ms"
        + ("" if r.get("complete", True) else f"; stopped after {len(r['pages'])} pages")
        + (
            ""
            if r.get("base_p50")
            else " (its own requests only: measured before the list was asked for between pages)"
        )
        for r, base in zip(runs, base, strict=True)
    )
    growth = ""
    if growth_lines:
        growth = f"\nGrowing most from {labels[-2]} to {labels[-1]} (p50 ratio):\n\n"
        growth += "\n".join(growth_lines) + "\n"
    return f"""{MATRIX_HEADING}

Written by `make bench` (or `make bench MATRIX_ONLY=1 BENCH_DB=... BENCH_MEETINGS=...` for the
matrix alone, one data set at a time; scripts/bench.py with scripts/bench_targets.py). Every page
of the site, one request at a time against gunicorn ({WORKERS} sync workers, `--timeout 120`,
DEBUG off, PRODUCTION=1, page cache off: every request renders): {MATRIX_RUNS} requests a
page after one warm-up request, 3 a download without one; time to the last byte; after each
page, one request of the unfiltered list, whose median over the run is the list's p50 the
ratios divide by. Each filter of
the meetings list is set to its most common value (so that it selects as many meetings as it
can), alone and with the next filter; detail pages show the busiest record of their kind. "÷
list" is the page's p50 over the unfiltered list's p50 of the same run; growth is p50 at the
larger size over p50 at the smaller. A status other than 200 is shown in brackets (400: refused
up front with a message; "cut": the body ended before its end). The filters' values and the
busiest records are picked from each data set, so a row's address can differ between sizes (the
address shown is the largest size's). The sizes were measured in separate runs, on a machine
shared with other developers' test runs (2 cores): compare ratios within a size, and read
growth with the load averages in mind.

{sizes}

{chr(10).join(lines)}

Slowest 10 at {labels[-1]}:

{chr(10).join(slow_lines)}
{growth}
"""


def write_matrix_section():
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    path.write_text(with_section(old, MATRIX_HEADING, matrix_section()))
    say("Wrote the Page matrix section of BENCHMARKS.md")


def main_matrix_only():
    WORK.mkdir(exist_ok=True)
    seconds = load() if os.environ.get("BENCH_SKIP_LOAD") != "1" else None
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], site_env())
    result = matrix()
    result["load_seconds"] = seconds
    (WORK / f"matrix-{MEETINGS}.json").write_text(json.dumps(result, indent=1))
    write_matrix_section()


def main():
    WORK.mkdir(exist_ok=True)
    figures = {"started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    figures["machine"] = machine()
    if os.environ.get("BENCH_SKIP_LOAD") != "1":
        figures["load_seconds"] = load()
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], site_env())
    say("Measuring inside Django and PostgreSQL")
    run([PYTHON, "scripts/bench_probe.py", WORK / "probe.json"], site_env())
    probe = json.loads((WORK / "probe.json").read_text())
    figures["probe"] = probe
    country, year = probe["country"], probe["year"]
    pages = {
        "home": "/",
        "list": "/meetings/",
        "list_filtered": f"/meetings/?country={country}&year={year}",
        "search": f"/search/?q={probe['search']}",
        "page_1000": f"/meetings/?before={probe['before']}",
        "meeting": f"/meetings/{probe['meeting']}/",
        "official": f"/officials/{probe['official']}/",
    }
    figures["pages"] = pages
    admin = (
        f"/admin/meetings/meeting/?country__id__exact={probe['country_id']}&start_date__year={year}"
    )
    figures["admin_url"] = admin

    say("Site without the page cache (every request renders)")
    server = gunicorn(PORTS["uncached"], PAGE_CACHE_SECONDS="0")
    try:
        uncached = {name: wrk(PORTS["uncached"], path) for name, path in pages.items()}
        uncached["admin"] = wrk(PORTS["uncached"], admin, cookie=probe["session"])
        uncached["ping"] = wrk(PORTS["uncached"], "/bench/ping/")
    finally:
        stop(server)
    figures["uncached"] = uncached

    cached = {}
    for label, port, env in [
        ("locmem", PORTS["cached"], {"PAGE_CACHE_SECONDS": "600"}),
        ("redis", PORTS["redis"], {"PAGE_CACHE_SECONDS": "600",
                                   "REDIS_URL": "redis://127.0.0.1:6379/15"}),
    ]:  # fmt: skip
        say(f"Site with the page cache ({label}), warm")
        server = gunicorn(port, **env)
        try:
            cached[label] = {
                name: wrk(port, pages[name]) for name in ("list", "list_filtered", "page_1000")
            }
            cached[label]["ping"] = wrk(port, "/bench/ping/")
        finally:
            stop(server)
    figures["cached"] = cached

    say("Datasette on a SQLite export of the same meetings")
    db_path = WORK / f"{DB}.db"
    run([PYTHON, "scripts/export_sqlite.py", db_path], site_env())
    facets = "&".join(f"{kind}={name}" for name, kind in FACETS)
    ds_pages = {
        "filtered": f"/{DB}/meetings?country={country}&year={year}&_sort_desc=start_date&{facets}",
        "unfiltered": f"/{DB}/meetings?_sort_desc=start_date&{facets}",
    }
    figures["datasette_pages"] = ds_pages
    server = datasette(db_path)
    try:
        figures["datasette"] = {
            name: wrk(PORTS["datasette"], path) for name, path in ds_pages.items()
        }
    finally:
        stop(server)
    matrix()
    figures["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    (WORK / "figures.json").write_text(json.dumps(figures, indent=1, default=str))
    old = (ROOT / "BENCHMARKS.md").read_text() if (ROOT / "BENCHMARKS.md").exists() else ""
    new = report(figures)
    # The sections other scripts write (load and soak, writes, the article reader) are kept.
    for heading in re.findall(r"^## .+$", old, flags=re.MULTILINE):
        if f"\n{heading}\n" not in new and heading != MATRIX_HEADING:
            new = new.rstrip("\n") + "\n\n" + section(old, heading)
    (ROOT / "BENCHMARKS.md").write_text(with_section(new, MATRIX_HEADING, matrix_section()))
    say("Wrote BENCHMARKS.md")


def section(text, heading):
    """The part of a Markdown text from `heading` to the next heading of its level, or ""."""
    start = text.find(f"\n{heading}\n")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start + 1 : end + 1 if end >= 0 else len(text)]


def with_section(text, heading, body):
    """`text` with its `heading` section replaced by `body`, or `body` added at the end."""
    old = section(text, heading)
    if old:
        # Keep the blank line before the next section's heading.
        return text.replace(old, body.rstrip("\n") + "\n\n" if old.endswith("\n\n") else body)
    return text.rstrip("\n") + "\n\n" + body


def limits(f):
    """What limits each missed target, from the run's own figures."""
    probe, un, ds = f["probe"], f["uncached"], f["datasette"]
    filtered, unfiltered = probe["pages"]["list_filtered"], probe["pages"]["list"]
    sql, server = filtered["sql_total_ms"], filtered["server_ms"]
    load = " ".join(f["machine"]["load"])
    notes = []
    if un["list_filtered"]["p50"] > ds["filtered"]["p50"]:
        notes.append(
            f"- **List with facets vs Datasette** ({un['list_filtered']['p50']:.0f} vs "
            f"{ds['filtered']['p50']:.0f} ms p50): the page's SQL takes {sql:.0f} ms "
            f"(facets {max(filtered['sql_ms']):.0f} ms of it, all seven in one query), the rest "
            "is Python: building the rows with their participants, places and topics and "
            "rendering 20 rows and the facet links through Django templates. Datasette reads one "
            "pre-joined SQLite table inside its own process (the export holds participants' "
            "countries, officials and topics as JSON arrays), so it has no joins and no round "
            "trips. Under wrk's 4 connections the 3 sync workers also queue behind one another on "
            "2 cores shared with PostgreSQL, wrk and, in this run, other processes (load average "
            f"{load} when the run started)."
        )
    if server > 2 * sql:
        notes.append(
            f"- **Server time vs SQL** ({server:.0f} vs {sql:.0f} ms): Python's share of the "
            "page. Profiled in process, it is spread over rendering the templates (the layout, "
            "20 rows, pagination), compiling the seven facet subqueries and the page's other "
            "queries in the ORM, and django-filter's form (copying its fields and choices, "
            "validating); the rows are read with only() and the facet links built in Python. "
            "The SQL is timed one statement at a time on an otherwise idle connection, the "
            "render in a process that competes for the 2 cores (load average "
            f"{load} when the run started)."
        )
    if un["list_filtered"]["p50"] > 0.5 * un["admin"]["p50"]:
        notes.append(
            "- **List vs admin changelist**: the admin counts every meeting twice (filtered and "
            "unfiltered totals) and lists distinct countries over all meetings for its filter; "
            "the list page's facets are its largest cost."
        )
    if un["page_1000"]["p50"] > 1.2 * un["list"]["p50"]:
        notes.append(
            "- **Page 1,000 vs page 1**: the keyset page reads from its row on, as page 1 does, "
            "and both read the whole list's facet counts from FacetSummary; the difference is "
            f"noise on a shared machine (load average {load} when the run started)."
        )
    if unfiltered["sql_total_ms"] > 1000:
        notes.append(
            "- The unfiltered list's facets were counted on request "
            f"({max(unfiltered['sql_ms']):.0f} ms in PostgreSQL, over FACET_TIME_LIMIT_MS): its "
            "FacetSummary was out of date, as it is from a change until the change is committed "
            "and counted again."
        )
    notes.append(
        "- The unfiltered list and its older pages read the facet counts of the whole list from "
        "one row of FacetSummary, counted again (a few seconds at this size, without a time "
        "limit) when a change to the records is committed; until then they are counted on "
        "request under FACET_TIME_LIMIT_MS. Filtered lists count their facets on request, "
        "except that a list filtered by one facet alone reads that facet from the same row."
    )
    if not notes:
        return ""
    return "\nWhere a target is missed, or a figure needs explaining:\n\n" + "\n".join(notes) + "\n"


def export_line(probe):
    export = probe.get("export")
    if not export:
        return ""
    return (f"The CSV export of every published meeting (`/meetings/export.csv`, streamed inside "
            f"Django): {export['rows']:,} rows in {export['seconds']:.0f} s; the peak memory "
            f"(RSS) of the process grew by {export['peak_rss_growth_mb']:.0f} MB while it "
            "streamed.")  # fmt: skip


def loading(f):
    seconds = f.get("load_seconds")
    if seconds is None:
        return ("The database already held a complete load of this data set (marked when its load "
                "finished), so this run reused it.")  # fmt: skip
    return (f"Loading took {seconds:.0f} s (migrations excluded; search vectors and VACUUM "
            "ANALYZE included).")  # fmt: skip


def ratio_row(goal, target, value, ok, note=""):
    verdict = "met" if ok else "**missed**"
    return f"| {goal} | {target} | {value} | {verdict} | {note} |"


def report(f):
    probe, un, ds = f["probe"], f["uncached"], f["datasette"]
    warm = f["cached"]["locmem"]
    lists = probe["pages"]
    counts = {name: page["queries"] for name, page in lists.items()}
    constant = (
        counts["list_filtered"] == counts["list_100"] and counts["list"] == counts["list_deep"]
    )
    filtered = lists["list_filtered"]
    server_over_sql = filtered["server_ms"] / filtered["sql_total_ms"]
    busy = f"load average {' '.join(f['machine']['load'])} at the start (shared machine)"
    errors = sum(r["errors"] for r in un.values()) + sum(r["errors"] for r in ds.values())
    errors += sum(r["errors"] for c in f["cached"].values() for r in c.values())
    rows = [
        ratio_row("queries per list page", "≤ 8, constant",
                  f"{counts['list_filtered']} (unfiltered {counts['list']}, per_page=100 "
                  f"{counts['list_100']}, page 1,000 {counts['list_deep']})",
                  counts["list_filtered"] <= 8 and constant,
                  "plus BEGIN and ROLLBACK around the time-limited facet query"),
        ratio_row("list page p50 / admin changelist p50 (same filter)", "≤ 0.5",
                  f"{un['list_filtered']['p50']:.1f} / {un['admin']['p50']:.1f} ms = "
                  f"{un['list_filtered']['p50'] / un['admin']['p50']:.2f}",
                  un["list_filtered"]["p50"] / un["admin"]["p50"] <= 0.5, f"no page cache; {busy}"),
        ratio_row("list page with facets p50 / Datasette, same facets, p50", "≤ 1.0",
                  f"{un['list_filtered']['p50']:.1f} / {ds['filtered']['p50']:.1f} ms = "
                  f"{un['list_filtered']['p50'] / ds['filtered']['p50']:.2f}",
                  un["list_filtered"]["p50"] / ds["filtered"]["p50"] <= 1.0,
                  f"no page cache; {busy}"),
        ratio_row("list page server time / summed SQL time of that page", "≤ 2",
                  f"{filtered['server_ms']:.1f} / {filtered['sql_total_ms']:.1f} ms = "
                  f"{server_over_sql:.2f}", server_over_sql <= 2,
                  f"median in-process render vs. EXPLAIN ANALYZE planning + execution; {busy}"),
        ratio_row("list page req/s / trivial view req/s (anonymous, cache warm)", "≥ 0.5",
                  f"{warm['list_filtered']['rps']:.0f} / {warm['ping']['rps']:.0f} = "
                  f"{warm['list_filtered']['rps'] / warm['ping']['rps']:.2f}",
                  warm["list_filtered"]["rps"] / warm["ping"]["rps"] >= 0.5,
                  "local-memory cache"),
        ratio_row("page 1,000 p50 / page 1 p50", "≤ 1.2",
                  f"{un['page_1000']['p50']:.1f} / {un['list']['p50']:.1f} ms = "
                  f"{un['page_1000']['p50'] / un['list']['p50']:.2f}",
                  un["page_1000"]["p50"] / un["list"]["p50"] <= 1.2, f"no page cache; {busy}"),
        ratio_row("errors during the run", "0", str(errors), errors == 0),
    ]  # fmt: skip

    def table(results, paths):
        lines = [
            "| page | address | p50 ms | p95 ms | req/s | errors |",
            "|---|---|---|---|---|---|",
        ]
        for name, r in results.items():
            path = paths.get(name, "")
            lines.append(f"| {name} | `{path}` | {r['p50']:.1f} | {r['p95']:.1f} | "
                         f"{r['rps']:.1f} | {r['errors']} |")  # fmt: skip
        return "\n".join(lines)

    paths = {**f["pages"], "admin": f["admin_url"], "ping": "/bench/ping/"}
    records = ", ".join(f"{n:,} {label}" for label, n in probe["records"].items())
    m = f["machine"]
    query_lines = []
    for name, page in lists.items():
        query_lines.append(
            f"| {name} | {page['queries']} | {page['transaction_statements']} | "
            f"{', '.join(f'{ms:.1f}' for ms in page['sql_ms'])} | {page['sql_total_ms']:.1f} | "
            f"{page['server_ms']:.1f} |"
        )
    cached_tables = "\n\n".join(
        f"With the {label} cache:\n\n{table(results, paths)}"
        for label, results in f["cached"].items()
    )
    return f"""# Benchmarks

Written by `make bench` (scripts/bench.py) on {f["finished"]}; the raw figures are in
`.bench/figures.json`. Timings belong here, never in a test.

## The machine

- CPU: {m["cpu"]}, {m["cores"]} cores; memory {m["memory_gib"]} GiB; {m["os"]}
- Python {m["python"]}, PostgreSQL {m["postgresql"]}, {m["wrk"]}
- Load average when the run started: {" ".join(m["load"])}. The machine is shared: other
  processes (other developers' test runs) competed for the same 2 cores during the run, so
  every figure is noisier and slower than on an idle machine.
- Everything on loopback (127.0.0.1): PostgreSQL, gunicorn ({WORKERS} sync workers, DEBUG off,
  PRODUCTION=1, psycopg connection pool), Redis, Datasette, wrk.

## The data

`generate_demo_data --meetings {MEETINGS} --officials {OFFICIALS} --seed 1` into the database
`{DB}`: {probe["meetings"]:,} published meetings (about 3% more are drafts) and
{records}. {loading(f)}

## Ratios

| goal | target | measured | verdict | note |
|---|---|---|---|---|
{chr(10).join(rows)}
{limits(f)}
## Pages (no page cache: every request renders)

wrk, 2 threads, {CONNECTIONS} connections, {DURATION} s per page, after two warm-up requests.

{table(un, paths)}

## Pages with the anonymous page cache, warm

{cached_tables}

## Datasette

Datasette ({DATASETTE}, own virtual environment `.bench/datasette-venv`) serving
`.bench/{DB}.db`, an export of the same published meetings (scripts/export_sqlite.py: one row
per meeting, participants' countries, officials and topics as JSON arrays), with the same filter
and the same seven facets, 20 rows a page, facet suggestions off.

{table(ds, f["datasette_pages"])}

## SQL of the list pages

Each page's queries as the server sent them, timed in PostgreSQL with EXPLAIN ANALYZE (planning
plus execution, median of {os.environ.get("BENCH_PROBE_RUNS", "20")} runs), against the page's
median render time inside Django (test client, no page cache, same database).

| page | queries | BEGIN/ROLLBACK | each query, ms | summed SQL ms | server ms |
|---|---|---|---|---|---|
{chr(10).join(query_lines)}

{export_line(probe)}

The bare main query of the filtered list (its page of meetings), timed in PostgreSQL:
{probe["main_sql_ms"]:.2f} ms.

```sql
{probe["main_sql"]}
```

## Commands

```sh
make bench
```

which ran:

```sh
{chr(10).join(shown(c) for c in commands)}
```
"""


if __name__ == "__main__":
    if "--matrix-only" in sys.argv[1:]:
        main_matrix_only()
        sys.exit()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    main()
