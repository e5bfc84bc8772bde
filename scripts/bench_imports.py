"""`make bench-imports`: a valid meetings file imported as an editor imports it, and other
editors' saves while it runs.

On a data set of its own (BENCH_DB, default sco_bench_imports: BENCH_MEETINGS meetings and
BENCH_OFFICIALS officials from generate_demo_data, loaded if not there yet), for each size in
BENCH_IMPORT_ROWS (default "2000,20000"):

- the dry run and the confirmed import, queued as the upload and its confirmation queue them
  (through Django's test client) and run by real task workers (two `manage.py db_worker`
  processes), in rows/s from each task's start to its end;
- meanwhile, another editor's save of a meeting through its admin change form every
  BENCH_SAVE_EVERY seconds (0.5): how long each took, and how many failed.

The imported meetings are deleted afterwards, so that runs compare. Writes the "Large imports"
part of BENCHMARKS.md's "Writes and derived data" section. Needs PostgreSQL on 127.0.0.1:5432.
"""

import logging
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("BENCH_DB", "sco_bench_imports")
os.environ.setdefault("BENCH_MEETINGS", "20000")
os.environ.setdefault("BENCH_OFFICIALS", "2000")

import bench  # noqa: E402  (scripts/bench.py: the data set and its loading)

SIZES = [int(size) for size in os.environ.get("BENCH_IMPORT_ROWS", "2000,20000").split(",")]
SAVE_EVERY = float(os.environ.get("BENCH_SAVE_EVERY", "0.5"))
HEADING = "### Large imports"
SECTION = "## Writes and derived data"
PREFIX = "bench-import-"
# The size of a row of the full shape (meetings_file), rounded up.
FULL_ROW_BYTES = 185


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def meetings_file(rows, Official, Place, Topic, Country):
    """A valid meetings file of `rows` new meetings: two participants (by slug), a place (by
    name), a country (by ISO code), a topic (by name) and a source each; or, where such a file
    would be over the upload limit (about 28,000 rows), the short shape of short_meetings_file."""
    from editorial.admin.imports import MAX_IMPORT_BYTES

    if rows * FULL_ROW_BYTES > MAX_IMPORT_BYTES:
        return short_meetings_file(rows)
    pick = random.Random(1)
    officials = list(Official.objects.values_list("slug", flat=True)[:500])
    places = list(Place.objects.values_list("name", flat=True)[:50])
    topics = list(Topic.objects.values_list("name", flat=True)[:20])
    countries = list(Country.objects.values_list("iso_code", flat=True))
    lines = ["slug,title,kind,start_date,place,country,participants,topics,summary,sources"]
    for n in range(rows):
        lines.append(
            f"{PREFIX}{n},Imported meeting {n},bilateral,{2010 + n % 15}-{1 + n % 12:02}-"
            f'{1 + n % 28:02},"{pick.choice(places)}",{pick.choice(countries)},'
            f'"{"; ".join(pick.sample(officials, 2))}","{pick.choice(topics)}",'
            f"Talks.,https://example.org/bench-import/{n}"
        )
    return ("\n".join(lines) + "\n").encode()


def short_meetings_file(rows):
    """A valid meetings file of `rows` new meetings with a slug, title, kind and date only (47
    bytes a row: 100,000 rows in 4.5 MB)."""
    lines = ["slug,title,kind,start_date"]
    for n in range(rows):
        lines.append(f"{PREFIX}{n},M{n},bilateral,{2010 + n % 15}-{1 + n % 12:02}-{1 + n % 28:02}")
    return ("\n".join(lines) + "\n").encode()


def main():
    load = os.getloadavg()[0]
    bench.load()
    env = bench.site_env(PRODUCTION="0", DEBUG="0", DB_STATEMENT_TIMEOUT_MS="0")
    env["IMPORT_UPLOAD_DIR"] = str(bench.WORK / "imports")
    env["TASKS_BACKEND"] = "database"
    bench.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_tracker.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    logging.getLogger("sco_tracker.requests").setLevel(logging.WARNING)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then keeps each page's context, as forms need
    from django.contrib.auth.models import User
    from django_tasks_db.models import DBTaskResult

    from meetings.models import Country, Meeting, Official, Place, Topic
    from tests.admin_forms import admin_url, form_data

    editor, _ = User.objects.get_or_create(
        username="bench-importer", defaults={"is_staff": True, "is_superuser": True}
    )
    other, _ = User.objects.get_or_create(
        username="bench-other-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    remove_imported(Meeting)
    rows = []
    for size in SIZES:
        content = meetings_file(size, Official, Place, Topic, Country)
        DBTaskResult.objects.all().delete()
        figures = import_beside_saves(content, editor, other, Meeting, admin_url, form_data)
        shape = "" if content.startswith(b"slug,title,kind,start_date,") else ", short rows"
        rows.append({"rows": size, "bytes": len(content), "shape": shape, "load": load, **figures})
        remove_imported(Meeting)
    write_report(rows)


def import_beside_saves(content, editor, other, Meeting, admin_url, form_data):
    """Upload `content`, confirm its dry run and have a worker process run both, while another
    editor saves meetings; the seconds each task took, and the saves meanwhile."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    size = content.count(b"\n") - 1
    # Two workers, as the README advises where large files are imported: one imports, the other
    # refreshes derived data after the other editor's saves meanwhile.
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env={**os.environ},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    saves, failures, stop = [], [], threading.Event()

    def save_meetings():
        client = Client()
        client.force_login(other)
        meetings = list(Meeting.objects.exclude(slug__startswith=PREFIX).order_by("pk")[:50])
        number = 0
        while not stop.is_set():
            meeting = meetings[number % len(meetings)]
            url = admin_url(Meeting, "change", meeting.pk)
            data = form_data(client.get(url), summary=f"{meeting.summary} (edit {number})")
            began = time.perf_counter()
            try:
                response = client.post(url, data)
                if response.status_code != 302:
                    failures.append(response.status_code)
            except Exception as error:  # counted as a failed save, not a crashed benchmark
                failures.append(type(error).__name__)
            saves.append(time.perf_counter() - began)
            number += 1
            stop.wait(SAVE_EVERY)
        connection.close()

    def finished(job):
        while True:
            task = DBTaskResult.objects.get(pk=job)
            if task.status in ("SUCCESSFUL", "FAILED"):
                assert task.status == "SUCCESSFUL", task.traceback
                assert not task.return_value["problems"], task.return_value["problems"][:5]
                return (task.finished_at - task.started_at).total_seconds()
            time.sleep(1)

    client = Client()
    client.force_login(editor)
    editing = threading.Thread(target=save_meetings)
    editing.start()
    try:
        upload = SimpleUploadedFile("meetings.csv", content)
        queued = client.post(
            admin_url(Meeting, "import"), {"resource": "0", "format": "0", "import_file": upload}
        )
        assert queued.status_code == 302, queued.content[:500]
        dry = finished(queued["Location"].rstrip("/").rsplit("/", 1)[1])
        bench.say(f"{size:,} rows: dry run {dry:.0f} s ({size / dry:.0f} rows/s)")
        form = client.get(queued["Location"]).context["confirm_form"]
        data = {name: form.initial[name] for name in form.fields}
        confirmed = client.post(admin_url(Meeting, "process_import"), data)
        assert confirmed.status_code == 302, confirmed.content[:500]
        seconds = finished(confirmed["Location"].rstrip("/").rsplit("/", 1)[1])
    finally:
        stop.set()
        editing.join()
        for worker in workers:
            worker.terminate()
            worker.wait(30)
    bench.say(
        f"{size:,} rows: imported in {seconds:.0f} s ({size / seconds:.0f} rows/s); "
        f"{len(saves)} saves meanwhile, p99 {percentile(saves, 0.99):.2f} s, "
        f"{len(failures)} failed"
    )
    return {"dry": dry, "seconds": seconds, "saves": saves, "failures": failures}


def remove_imported(Meeting):
    """Delete the meetings an earlier run imported, retiring pages and counts once."""
    from django.db import transaction

    from public.cache import changes_in_bulk, end_bulk_changes

    with transaction.atomic(), changes_in_bulk():
        Meeting.objects.filter(slug__startswith=PREFIX).delete()
        end_bulk_changes()


def write_report(rows):
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    measured = {f"| {row['rows']:,} (" for row in rows}
    # The sizes an earlier run measured and this one did not are kept.
    kept = [
        line
        for line in bench.section(text, HEADING).splitlines()
        if re.match(r"\| [\d,]+ \(", line) and not line.startswith(tuple(measured))
    ]
    body = [
        HEADING,
        "",
        f"Written by `make bench-imports` (scripts/bench_imports.py) on `{bench.DB}` "
        f"({bench.MEETINGS:,} meetings, {bench.OFFICIALS:,} officials): a valid meetings file "
        "(new meetings, two participants, a place, a country, a topic and a source each; "
        "where that would be over the 5 MB upload limit, a slug, title, kind and date only: "
        '"short rows"), '
        "uploaded and confirmed through Django's test client, its dry run and import run by "
        "task workers (two `db_worker` processes) while another editor saves a meeting "
        f"through its admin change form every {SAVE_EVERY} s, on the 2 cores the machine "
        "shares (the load average is taken as each run starts).",
        "",
        "| rows (file size) | dry run (worker) | confirmed import (worker) | another editor's "
        "saves meanwhile: p50 / p99 / max | failed saves | load average |",
        "|---|---|---|---|---|---|",
    ]
    lines = list(kept)
    for row in rows:
        saves = row["saves"]
        lines.append(
            f"| {row['rows']:,} ({row['bytes'] / 2**20:.1f} MB{row['shape']}) | {row['dry']:.0f} s "
            f"({row['rows'] / row['dry']:.0f} rows/s) | {row['seconds']:.0f} s "
            f"({row['rows'] / row['seconds']:.0f} rows/s) | {statistics.median(saves):.2f} s / "
            f"{percentile(saves, 0.99):.2f} s / {max(saves):.2f} s ({len(saves)} saves) | "
            f"{len(row['failures'])} | {row['load']:.1f} |"
        )
    body += sorted(lines, key=lambda line: int(re.match(r"\| ([\d,]+)", line)[1].replace(",", "")))
    text = with_subsection(text, "\n".join(body) + "\n")
    path.write_text(text)
    print("\n".join(body))


def with_subsection(text, body):
    """`text` with the Large imports part replaced by `body`, or added at the end of the
    Writes and derived data section."""
    old = bench.section(text, HEADING)
    if old:
        # Keep the blank line before the next section's heading.
        return text.replace(old, body + "\n" if old.endswith("\n\n") else body)
    writes = bench.section(text, SECTION)
    if writes:
        return text.replace(writes, writes.rstrip("\n") + "\n\n" + body + "\n")
    return bench.with_section(text, HEADING, body)


if __name__ == "__main__":
    main()
