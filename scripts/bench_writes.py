"""`make bench-writes`: an editor's save at 100,000 meetings, and how soon derived data follows.

On the data set of `make bench` (loaded into PostgreSQL if it is not there yet), with a task
worker running (`manage.py db_worker`) as on a real site, it measures:

- the editor's save of a meeting through its admin change form (the whole request), SAVES times;
- the lag from the save's response to the worker having refreshed what the change touched
  (search vectors, the whole list's facet counts, the insight aggregates);
- /numbers/ and /relations/ as a reader gets them (from the stored aggregates), and cold.

Requests go through Django's test client in this process, so the figures leave out the HTTP
server (which `make bench` measures). Writes the "Writes and derived data" section of
BENCHMARKS.md.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench  # noqa: E402  (scripts/bench.py: the data set and its loading)

SAVES = int(os.environ.get("BENCH_SAVES", "30"))
READS = int(os.environ.get("BENCH_READS", "20"))
HEADING = "## Writes and derived data"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(call):
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main():
    bench.load()
    env = bench.site_env(PRODUCTION="0", DEBUG="0", DB_STATEMENT_TIMEOUT_MS="0")
    bench.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_tracker.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then keeps each page's context, as forms need
    from django.contrib.auth.models import User
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from insights.models import Aggregate
    from meetings.models import Meeting
    from tests.admin_forms import admin_url, form_data

    editor, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(editor)
    DBTaskResult.objects.all().delete()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.05"],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        reads = read_pages(client, Aggregate)
        saves, lags = edit_meetings(client, Meeting, DBTaskResult, admin_url, form_data)
    finally:
        worker.terminate()
        worker.wait(10)
    write_report(saves, lags, reads)


def read_pages(client, Aggregate):
    figures = {}
    for path in ("/numbers/", "/relations/"):
        Aggregate.objects.all().delete()
        cold, response = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        warm = [timed(lambda path=path: client.get(path))[0] for _ in range(READS)]
        figures[path] = {"cold": cold, "p50": statistics.median(warm)}
        bench.say(f"{path}: cold {cold:.0f} ms, stored p50 {figures[path]['p50']:.0f} ms")
    return figures


def edit_meetings(client, Meeting, DBTaskResult, admin_url, form_data):
    meetings = list(Meeting.objects.published().order_by("-start_date")[:SAVES])
    saves, lags = [], []
    for number, meeting in enumerate(meetings):
        page = client.get(admin_url(Meeting, "change", meeting.pk))
        data = form_data(page, summary=f"{meeting.summary} (edited {number})".strip())
        url = admin_url(Meeting, "change", meeting.pk)
        seconds, response = timed(lambda url=url, data=data: client.post(url, data))
        assert response.status_code == 302, response.content[:500]
        saved = time.perf_counter()
        while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
            time.sleep(0.02)
        lags.append(time.perf_counter() - saved)
        saves.append(seconds)
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    assert not failed, f"{failed} task(s) failed"
    bench.say(
        f"save p50 {statistics.median(saves):.0f} ms, lag p50 {statistics.median(lags):.2f} s"
    )
    return saves, lags


def write_report(saves, lags, reads):
    body = [
        HEADING,
        "",
        f"Written by `make bench-writes` (scripts/bench_writes.py) at {bench.MEETINGS:,} meetings, "
        "through Django's test client with a task worker running (`db_worker`).",
        "",
        "| measure | p50 | p95 | max | target |",
        "|---|---|---|---|---|",
        f"| an editor's save of a meeting (admin change form, {len(saves)} saves) | "
        f"{statistics.median(saves):.0f} ms | {percentile(saves, 0.95):.0f} ms | "
        f"{max(saves):.0f} ms | p50 ≤ 150 ms |",
        f"| lag from the save to search vectors, facet counts and insight aggregates refreshed | "
        f"{statistics.median(lags):.2f} s | {percentile(lags, 0.95):.2f} s | {max(lags):.2f} s | "
        "p50 ≤ 5 s |",
    ]
    for path, figure in reads.items():
        body.append(
            f"| {path} from the stored aggregates ({READS} reads) | {figure['p50']:.0f} ms | | | "
            f"p50 ≤ 200 ms |"
        )
        body.append(f"| {path} cold (no stored aggregate: the first reader counts) | "
                    f"{figure['cold']:.0f} ms | | | |")  # fmt: skip
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text()
    # The part `make bench-imports` writes, kept.
    imports = bench.section(text, "### Large imports")
    text = bench.with_section(
        text, HEADING, "\n".join(body) + "\n" + (f"\n{imports}" if imports else "")
    )
    path.write_text(text)
    print("\n".join(body))


if __name__ == "__main__":
    main()
