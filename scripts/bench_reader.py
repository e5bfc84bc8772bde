"""`make bench-reader` (and the end of `make bench`): reading one news item with 10,000
officials on record.

It fills a PostgreSQL database of its own (BENCH_READER_DB, `sco_reader_bench`, on
127.0.0.1:5432; the demo data generator needs PostgreSQL) with the bundled data
(`load_sco_data`, its 614 real officials) and the demo data set's synthetic officials
(`generate_demo_data --force --officials 10000`), then reads every item of the evaluation set
(`tests/data/articles/`) as the admin's "Draft a meeting from an article" does for each request:
get the lexicon (kept from the last reading while the records are unchanged), then read the
text. It times both, per item, and the building of the lexicon (the first reading after a change
to the records), and writes the "Article reader" section of BENCHMARKS.md. The target (issue
15): ≤ 300 ms per item.

Settings from the environment: BENCH_READER_DB, BENCH_OFFICIALS (10000), BENCH_MEETINGS (1000
synthetic meetings beside the officials; the reader does not read meetings), BENCH_ROUNDS (3 reads
of the set), BENCH_ITEMS (0: every item; N: the first N, for a quick run).
A database that already holds a complete load with the same options is reused.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench  # noqa: E402  (scripts/bench.py: say, with_section)

DB = os.environ.get("BENCH_READER_DB", "sco_reader_bench")
URL = f"{bench.PG}/{DB}"
MARKER = ROOT / ".bench" / f"{DB}.loaded"
OFFICIALS = int(os.environ.get("BENCH_OFFICIALS", "10000"))
MEETINGS = int(os.environ.get("BENCH_MEETINGS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "0"))  # the first N items only; 0: all of them
HEADING = "## Article reader"
TARGET_MS = 300


def manage(*args):
    env = {**os.environ, "DATABASE_URL": URL, "DEBUG": "1"}
    env["TASKS_BACKEND"] = "immediate"
    subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, check=True)


def load():
    """Fill the database unless a marker file says it holds this very load."""
    options = f"officials={OFFICIALS} meetings={MEETINGS}"
    if MARKER.exists() and MARKER.read_text() == options:
        bench.say(f"Reusing {DB}, which holds the same load ({options})")
        return
    MARKER.parent.mkdir(exist_ok=True)
    bench.psql(f'DROP DATABASE IF EXISTS "{DB}"')
    bench.psql(f'CREATE DATABASE "{DB}"')
    bench.say(f"Loading the bundled data and {OFFICIALS:,} synthetic officials into {DB}")
    manage("migrate", "--noinput", "-v0")
    manage("load_sco_data", "-v0")
    manage("generate_demo_data", "--force", "--seed", 1, "--officials", OFFICIALS,
           "--meetings", MEETINGS)  # fmt: skip
    MARKER.write_text(options)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure():
    # As the admin runs in production: DEBUG off (no SQL kept per query).
    os.environ.update(
        {"DATABASE_URL": URL, "DEBUG": "0", "SECRET_KEY": bench.site_env()["SECRET_KEY"]}
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_tracker.settings"
    import django

    django.setup()
    from meetings.models import Official
    from reader import lexicon as lexicons
    from reader.article import read_article
    from reader.management.commands.evaluate_article_reader import load_items, published_of

    officials = Official.objects.count()
    items = load_items()[: ITEMS or None]
    builds = []
    for _ in range(ROUNDS + 1):  # the first in the process, then as after a change to the records
        lexicons.forget_lexicon()
        started = time.perf_counter()
        lexicons.load_lexicon()
        builds.append((time.perf_counter() - started) * 1000)
    loads, reads, wholes = [], [], []
    for _ in range(ROUNDS):
        for _name, text, expected in items:
            started = time.perf_counter()
            lexicon = lexicons.load_lexicon()
            loaded = time.perf_counter()
            read_article(text, lexicon, expected.get("source_url", ""), published_of(expected))
            done = time.perf_counter()
            loads.append((loaded - started) * 1000)
            reads.append((done - loaded) * 1000)
            wholes.append((done - started) * 1000)
    return officials, len(items), builds, loads, reads, wholes


def write_report(officials, count, builds, loads, reads, wholes):
    def row(label, values, target=""):
        return (
            f"| {label} | {statistics.median(values):.0f} ms | {percentile(values, 0.95):.0f} ms "
            f"| {max(values):.0f} ms | {target} |"
        )

    body = [
        HEADING,
        "",
        f"Written by `make bench-reader` (scripts/bench_reader.py): the {count} items of the "
        f"evaluation set, read {ROUNDS} times each, with {officials:,} officials on record (the "
        f"bundled data and {OFFICIALS:,} synthetic officials of the demo data set), on PostgreSQL, "
        "in one process. The lexicon is built once and kept while the records' generation stays "
        "the same: the first reading in a process builds it (and loads the gazetteer), the first "
        f"after a change to the records builds it again (timed {ROUNDS} times), every other "
        "reading asks one query.",
        "",
        "| measure | p50 | p95 | max | target |",
        "|---|---|---|---|---|",
        row("building the lexicon (twelve queries), first in the process", builds[:1]),
        row("building it again, after a change to the records", builds[1:]),
        row("the kept lexicon (one query, the generation)", loads),
        row("reading the text with it", reads),
        row("one item as the admin reads it (both)", wholes, f"≤ {TARGET_MS} ms"),
    ]
    path = ROOT / "BENCHMARKS.md"
    path.write_text(bench.with_section(path.read_text(), HEADING, "\n".join(body) + "\n"))
    print("\n".join(body))


def main():
    load()
    write_report(*measure())


if __name__ == "__main__":
    main()
