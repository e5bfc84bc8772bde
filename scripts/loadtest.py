"""`make loadtest`: the site under load and over a 10-minute soak, written into BENCHMARKS.md.

gunicorn serves the site as production does (DEBUG off, PRODUCTION=1, the anonymous page cache,
the workers of the README's Deploying section) on PostgreSQL with the data set of `make bench`,
in its own database (LOADTEST_DB, default sco_load; a database already loaded to completion is
reused). wrk sends a mix of requests (lists, filtered lists, search, detail pages, filtered
exports) for 60 s at 32 connections, then at half the rate it reached for 10 minutes, while the
memory (RSS) of every gunicorn worker is read from /proc every 10 s.

Targets: 0 errors and 0 timeouts, p99 under 1 s, worker memory growing by less than 10 % from
the soak's first minute to its last. Settings from the environment: LOADTEST_DB, LOADTEST_WORKERS
(3), LOADTEST_DURATION (60 s), LOADTEST_CONNECTIONS (32), LOADTEST_SOAK (600 s), REDIS_URL (the
page cache in Redis instead of each worker's memory).
"""

import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import bench
import redis
from bench import PROXY_HEADERS, ROOT, WORK, commands, run, say

DB = os.environ.get("LOADTEST_DB", "sco_load")
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "3"))
DURATION = int(os.environ.get("LOADTEST_DURATION", "60"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "32"))
SOAK = int(os.environ.get("LOADTEST_SOAK", "600"))
SAMPLE_EVERY = 10
# As `make bench`: a request without an answer this long counts as a timeout.
TIMEOUT = "30s"
PORT = 8951
PER_KIND = 20
PATHS = WORK / "loadtest-paths.txt"
ACCESS_LOG = WORK / "loadtest-access.log"
PYTHON = bench.PYTHON
TARGET_P99_MS = 1000
TARGET_GROWTH = 10.0


def prepare():
    """Load the data set unless the database holds a complete load; returns the load time."""
    seconds = bench.load(DB)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], bench.site_env(DB))
    return seconds


def write_paths(path):
    """The request mix, one kind after another, written to `path` (run inside Django)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from initiatives.models import Initiative
    from meetings.models import Country, Meeting, Official, Summit, Topic

    rng = random.Random(1)

    def sample(queryset, field="slug"):
        values = list(queryset.order_by("pk").values_list(field, flat=True))
        return rng.sample(values, min(PER_KIND, len(values)))

    countries = sample(Country.objects.published().filter(meetings_held__isnull=False).distinct())
    years = sorted({d.year for d in Meeting.objects.published().dates("start_date", "year")})
    officials = sample(Official.objects.published().filter(participations__isnull=False).distinct())
    families = sorted({name.split()[-1] for name in sample(Official.objects.published(), "name")})
    pairs = [(rng.choice(countries), rng.choice(years)) for _ in range(PER_KIND)]
    kinds = {
        "list": ["/meetings/", "/summits/", "/officials/", "/initiatives/", "/countries/"]
        + [f"/meetings/?page={n}" for n in range(2, 7)],
        "list by country and year": [
            f"/meetings/?{urlencode({'country': c, 'year': y})}" for c, y in pairs
        ],
        "list by official": [f"/meetings/?official={s}" for s in officials],
        "list by topic": [f"/meetings/?topic={s}" for s in sample(Topic.objects.all())],
        "search": [f"/search/?{urlencode({'q': name})}" for name in families],
        "meeting": [f"/meetings/{s}/" for s in sample(Meeting.objects.published())],
        "official": [f"/officials/{s}/" for s in sample(Official.objects.published())],
        "summit": [f"/summits/{s}/" for s in sample(Summit.objects.published())],
        "initiative": [f"/initiatives/{s}/" for s in sample(Initiative.objects.published())],
        "CSV export": [
            f"/meetings/export.csv?{urlencode({'country': c, 'year': y})}" for c, y in pairs
        ],
        "JSON export": [f"/meetings/export.json?official={s}" for s in officials],
    }
    lines = [
        f"{kind}\t{paths[i % len(paths)]}" for i in range(PER_KIND) for kind, paths in kinds.items()
    ]
    Path(path).write_text("\n".join(lines) + "\n")


def check_paths(kinds):
    """Every path of the mix answers 200 at its own address, one request at a time.

    Returns each kind's median time in ms (the cache is cold: this run fills it).
    """
    times = {}
    for path, kind in kinds.items():
        url = f"http://{bench.HOST}:{PORT}{path}"
        request = urllib.request.Request(url, headers=PROXY_HEADERS)
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            if response.status != 200 or response.geturl() != url:
                raise RuntimeError(f"{url} answered {response.status} at {response.geturl()}")
        times.setdefault(kind, []).append(1000 * (time.monotonic() - started))
    return {kind: statistics.median(values) for kind, values in times.items()}


def gunicorn():
    args = [ROOT / ".venv" / "bin" / "gunicorn", "sco_tracker.wsgi", "--bind",
            f"{bench.HOST}:{PORT}", "--workers", WORKERS, "--timeout", "120",
            "--access-logfile", ACCESS_LOG,
            "--access-logformat", "%(D)s %(s)s %(U)s?%(q)s"]  # fmt: skip
    env = {"LOG_LEVEL": "WARNING"}
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        # No page cached by an earlier run, perhaps of other data, may answer this one.
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    commands.append(" ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(map(str, args)))
    ACCESS_LOG.write_text("")
    return bench.start(args, bench.site_env(DB, **env), PORT)


def wrk(seconds, delay_ms=None):
    """wrk's figures for the mix; with delay_ms each connection waits that long between requests."""
    headers = [part for name, value in PROXY_HEADERS.items() for part in ("-H", f"{name}: {value}")]
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", TIMEOUT, "-s",
            "scripts/wrk_mix.lua", *headers, f"http://{bench.HOST}:{PORT}",
            "--", WORK / "loadtest-mix.txt"]  # fmt: skip
    env = {"WRK_DELAY_MS": str(delay_ms)} if delay_ms is not None else {}
    commands.append(" ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(map(str, args)))
    return subprocess.Popen(
        [str(a) for a in args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        text=True,
    )


def figures(process):
    output = process.communicate()[0]
    if process.returncode:
        raise RuntimeError(f"wrk failed:\n{output}")
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    result = {
        "requests": int(values["requests"]),
        "seconds": values["seconds"],
        "rps": values["requests"] / values["seconds"],
        "errors": int(values["errors"]),
        "non2xx3xx": int(values["non2xx"]),
        "socket_errors": int(values["socket_errors"]),
        "timeouts": int(values["timeouts"]),
        **{p: values[f"{p}_us"] / 1000 for p in ("p50", "p95", "p99", "mean", "max")},
    }
    say(f"  {result['requests']:,} requests, {result['rps']:.1f} req/s, p50 {result['p50']:.0f} "
        f"ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, {result['errors']} errors, "
        f"{result['timeouts']} timeouts")  # fmt: skip
    return result


def workers(master):
    """Process ids of the gunicorn master's workers."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def soak(master, rate):
    """Pace the mix at `rate` req/s for SOAK seconds, sampling worker memory; returns both."""
    # Each connection sends one request per CONNECTIONS / rate seconds: the delay is that less
    # the response time, measured in a short paced run first.
    delay = 1000 * CONNECTIONS / rate
    probe = figures(wrk(20, round(delay)))
    response_ms = max(0.0, 1000 * CONNECTIONS / probe["rps"] - delay)
    delay = max(0, round(1000 * CONNECTIONS / rate - response_ms))
    say(f"Soak: {SOAK} s at about {rate:.1f} req/s ({delay} ms between requests per connection)")
    process = wrk(SOAK, delay)
    started = time.monotonic()
    samples = []
    while process.poll() is None:
        elapsed = time.monotonic() - started
        samples.append({"t": round(elapsed), "rss_mib": {p: rss_mib(p) for p in workers(master)}})
        time.sleep(max(0.0, SAMPLE_EVERY * len(samples) - (time.monotonic() - started)))
    return figures(process), samples, delay


def growth(samples):
    """Each worker's mean RSS over the soak's first minute and its last, and the change in %."""
    end = samples[-1]["t"]
    first = [s for s in samples if s["t"] < 60]
    last = [s for s in samples if s["t"] > end - 60]
    result = {}
    for pid in samples[0]["rss_mib"]:
        if not all(pid in s["rss_mib"] for s in samples):
            result[pid] = None  # a worker restarted
            continue
        a = statistics.mean(s["rss_mib"][pid] for s in first)
        b = statistics.mean(s["rss_mib"][pid] for s in last)
        result[pid] = {"first_mib": a, "last_mib": b, "growth_pct": 100 * (b - a) / a}
    return result


def by_kind(kinds):
    """Server-side time (gunicorn's access log) per kind of request: count, p50, p99 in ms."""
    times = {}
    for line in ACCESS_LOG.read_text().splitlines():
        micros, status, path = line.split(" ", 2)
        path = path.removesuffix("?")
        times.setdefault(kinds.get(path, "other"), []).append(int(micros) / 1000)
    result = {}
    for kind, values in times.items():
        values.sort()
        result[kind] = {
            "count": len(values),
            "p50": values[len(values) // 2],
            "p99": values[min(len(values) - 1, int(len(values) * 0.99))],
            "max": values[-1],
        }
    return result


def main():
    WORK.mkdir(exist_ok=True)
    f = {"started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    f["machine"] = bench.machine()
    say(f"Load average at start: {' '.join(f['machine']['load'])}")
    f["load_seconds"] = prepare()
    run([PYTHON, __file__, "paths", PATHS], bench.site_env(DB))
    kinds = dict(reversed(line.split("\t")) for line in PATHS.read_text().splitlines())
    (WORK / "loadtest-mix.txt").write_text("\n".join(kinds) + "\n")
    f["mix"] = {kind: sum(1 for k in kinds.values() if k == kind) for kind in kinds.values()}
    server = gunicorn()
    try:
        say(f"Checking the {len(kinds)} addresses of the mix")
        f["alone"] = check_paths(kinds)
        f["load_at_load_run"] = Path("/proc/loadavg").read_text().split()[:3]
        say(f"Load: {DURATION} s at {CONNECTIONS} connections")
        ACCESS_LOG.write_text("")
        f["load"] = figures(wrk(DURATION))
        f["load_by_kind"] = by_kind(kinds)
        f["load_at_soak"] = Path("/proc/loadavg").read_text().split()[:3]
        f["soak"], f["samples"], f["soak_delay_ms"] = soak(server.pid, f["load"]["rps"] / 2)
        f["growth"] = growth(f["samples"])
    finally:
        bench.stop(server)
    f["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    (WORK / "loadtest.json").write_text(json.dumps(f, indent=1, default=str))
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    path.write_text(bench.with_section(text, bench.LOAD_HEADING, report(f)))
    say("Wrote the Load and soak section of BENCHMARKS.md")


def verdict(ok):
    return "met" if ok else "**missed**"


def report(f):
    m, load, soak_ = f["machine"], f["load"], f["soak"]
    grown = {pid: g for pid, g in f["growth"].items() if g}
    worst = max((g["growth_pct"] for g in grown.values()), default=float("nan"))
    restarted = len(f["growth"]) - len(grown)
    errors_ok = load["non2xx3xx"] == 0 and load["socket_errors"] == 0
    timeouts_ok = load["timeouts"] == 0
    p99_ok = load["p99"] < TARGET_P99_MS
    growth_ok = bool(grown) and worst < TARGET_GROWTH and not restarted
    rows = [
        f"| errors (status 4xx/5xx, socket errors) | 0 | {load['non2xx3xx']} + "
        f"{load['socket_errors']} | {verdict(errors_ok)} |",
        f"| timeouts (no answer within {TIMEOUT}) | 0 | {load['timeouts']} | "
        f"{verdict(timeouts_ok)} |",
        f"| p99 | < 1 s | {load['p99']:.0f} ms | {verdict(p99_ok)} |",
        f"| worker memory growth, first to last minute of the soak | < {TARGET_GROWTH:.0f} % | "
        f"{worst:+.1f} % (largest of {len(grown)} workers) | {verdict(growth_ok)} |",
    ]
    kind_rows = [
        f"| {kind} | {f['mix'].get(kind, '')} | {f['alone'].get(kind, 0):.0f} | {k['count']:,} | "
        f"{k['p50']:.0f} | {k['p99']:.0f} | {k['max']:.0f} |"
        for kind, k in sorted(f["load_by_kind"].items(), key=lambda item: -item[1]["p99"])
    ]
    memory_rows = [
        f"| {pid} | {g['first_mib']:.1f} | {g['last_mib']:.1f} | {g['growth_pct']:+.1f} % |"
        for pid, g in grown.items()
    ]
    notes = []
    if not (errors_ok and timeouts_ok and p99_ok):
        kinds = f["load_by_kind"]
        slowest = max(kinds, key=lambda kind: kinds[kind]["p99"])
        slow_alone = max(f["alone"], key=f["alone"].get)
        capacity = 1000 * WORKERS / statistics.mean(f["alone"].values())
        cache_note = "" if os.environ.get("REDIS_URL") else ", but each worker keeps its own"
        notes.append(
            f"What limits it: CPU. One at a time on a cold cache the kinds take "
            f"{min(f['alone'].values()):.0f} to {f['alone'][slow_alone]:.0f} ms ({slow_alone}), "
            f"so {WORKERS} workers rendering the mix without the cache manage about "
            f"{capacity:.0f} req/s; the page cache serves repeats{cache_note} and exports are "
            f"never cached. {CONNECTIONS} connections then queue for "
            f"{WORKERS} sync workers, and the workers, PostgreSQL and wrk share {m['cores']} "
            f"cores with other developers' processes (load average "
            f"{' '.join(f['load_at_load_run'])} before the run), so each request also waits "
            f"for the CPU: under load the server's own time for {slowest} reaches "
            f"{kinds[slowest]['p99']:.0f} ms at p99."
        )
    facet_bound = [kind for kind in ("list by official", "list by topic", "list")
                   if f["alone"].get(kind, 0) >= 500]  # fmt: skip
    if notes and facet_bound:
        notes.append(
            f"In the code: one at a time, {' and '.join(facet_bound)} took over 500 ms. An "
            "uncached list page filtered by official or topic, or with no filter while its "
            "stored facet counts are out of date, spends FACET_TIME_LIMIT_MS (500 ms) of "
            "PostgreSQL time counting facets that it then leaves out: the facet of the active "
            "filter is counted over all 100,000 meetings (the officials facet groups 400,000 "
            "participations, about 2 s)."
        )
    if not growth_ok:
        notes.append(
            f"Worker memory grew by up to {worst:.1f} % over the soak"
            + (f"; {restarted} worker(s) restarted during it" if restarted else "")
            + ". See the samples in `.bench/loadtest.json`."
        )
    soak_line = (
        f"{soak_['requests']:,} requests in {soak_['seconds']:.0f} s, {soak_['rps']:.1f} req/s "
        f"(target {load['rps'] / 2:.1f}; {f['soak_delay_ms']} ms between a connection's "
        f"requests), p50 {soak_['p50']:.0f} ms, p95 {soak_['p95']:.0f} ms, p99 "
        f"{soak_['p99']:.0f} ms, {soak_['non2xx3xx']} error statuses, {soak_['socket_errors']} "
        f"socket errors, {soak_['timeouts']} timeouts"
    )
    loaded = (
        f"loaded in this run in {f['load_seconds']:.0f} s"
        if f["load_seconds"]
        else "reused from an earlier, complete load"
    )
    mix = ", ".join(f"{kind} ({n})" for kind, n in f["mix"].items())
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory, each worker its own"
    fresh = os.environ.get("PAGE_CACHE_SECONDS", "60")
    stale = os.environ.get("PAGE_CACHE_STALE_SECONDS", "600")
    return f"""{bench.LOAD_HEADING}

Written by `make loadtest` (scripts/loadtest.py) on {f["finished"]}; the raw figures, with every
memory sample, are in `.bench/loadtest.json`.

- Machine: {m["cpu"]}, {m["cores"]} cores, {m["memory_gib"]} GiB; Python {m["python"]},
  PostgreSQL {m["postgresql"]}, {m["wrk"].split(" [")[0]}.
- Load average at the start: {" ".join(m["load"])}; before the load run
  {" ".join(f["load_at_load_run"])}; before the soak {" ".join(f["load_at_soak"])}. The machine
  is shared with other developers' test runs.
- Site: gunicorn with {WORKERS} sync workers (`--workers {WORKERS} --timeout 120`, as in the
  README's Deploying section: for 2 cores that also run PostgreSQL, more workers only queue for
  the same CPUs), DEBUG off, PRODUCTION=1, psycopg's connection pool, the anonymous page cache on
  ({cache}; a page is fresh for {fresh} s, then goes to other readers for up to {stale} s more
  while one request renders it again), statement timeout 5 s. Everything on loopback.
- Data: the `make bench` data set (`generate_demo_data --meetings {bench.MEETINGS}
  --officials {bench.OFFICIALS} --seed 1`) in the database `{DB}`, {loaded}.
- Mix: {sum(f["mix"].values())} addresses, sent in turn, one kind after another: {mix}.
  Filtered lists and exports filter by country and year, official or topic; exports are
  streamed and never cached. Every address answered 200 before the run (which also put it in
  {"the shared" if os.environ.get("REDIS_URL") else "one worker's"} cache).

### Load: {DURATION} s at {CONNECTIONS} connections

{load["requests"]:,} requests, **{load["rps"]:.1f} req/s**; p50 {load["p50"]:.0f} ms, p95
{load["p95"]:.0f} ms, **p99 {load["p99"]:.0f} ms**, longest {load["max"]:.0f} ms.

| target | goal | measured | verdict |
|---|---|---|---|
{chr(10).join(rows)}
{"".join(f"{chr(10)}{note}{chr(10)}" for note in notes)}
Time by kind of request: alone (each address once, one at a time, before the run, with the
cache cold) and the server's own time during the load run (gunicorn's access log, without the
wait for a free worker), slowest first:

| kind | addresses | alone, cold: median ms | requests | p50 ms | p99 ms | longest ms |
|---|---|---|---|---|---|---|
{chr(10).join(kind_rows)}

### Soak: {SOAK // 60} minutes at half that rate

{soak_line}. Worker memory (RSS from `/proc/<pid>/status`, every {SAMPLE_EVERY} s), mean of the
first minute against mean of the last:

| worker | first minute MiB | last minute MiB | growth |
|---|---|---|---|
{chr(10).join(memory_rows)}

### Commands

```sh
make loadtest
```

which ran:

```sh
{chr(10).join(bench.shown(c) for c in commands)}
```
"""


if __name__ == "__main__":
    if sys.argv[1:2] == ["paths"]:
        write_paths(sys.argv[2])
    else:
        if not shutil.which("wrk"):
            sys.exit("wrk is missing: apt-get install -y wrk")
        main()
