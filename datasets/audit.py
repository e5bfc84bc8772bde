"""The held-out audit of the record: a fixed random sample of published meetings, read again
against their pages (data/audit/, format in data/README.md).

The sample is drawn from the lines of data/record/ that load as published meetings (confirmed,
dated, with a source), ordered by their key, with `random.Random(SEED).sample`: the same lines
for everyone, as long as the record's published lines are the same. Each sampled meeting is split
into the facts a reader sees: its date (with its precision), its place or "videoconference", its
kind, and each participant with the position given.
"""

import csv
import json
import random
from collections import Counter
from pathlib import Path

from django.conf import settings

SEED = 2026
SIZE = 80
COLUMNS = ["meeting", "fact", "on_record", "page_says", "url", "verdict", "note"]
FOUND, NOT_FOUND, CONTRADICTED, NOT_AVAILABLE = (
    "found",
    "not found",
    "contradicted",
    "page not available",
)
VERDICTS = (FOUND, NOT_FOUND, CONTRADICTED, NOT_AVAILABLE)
DATA = Path(settings.BASE_DIR) / "data"


def record_lines(folder=None):
    folder = Path(folder or DATA / "record")
    lines = []
    for path in sorted(folder.glob("*-meetings.jsonl")):
        with open(path, encoding="utf-8") as file:
            lines += [json.loads(line) for line in file if line.strip()]
    return lines


def published(line):
    """Whether the loader publishes the line (datasets/loading/record.py)."""
    return (
        line.get("confidence") == "confirmed"
        and bool(line.get("start_date"))
        and bool(line.get("sources"))
    )


def draw(lines=None, size=SIZE, seed=SEED):
    """The sampled lines, in key order."""
    lines = sorted(
        (line for line in (record_lines() if lines is None else lines) if published(line)),
        key=lambda line: line["id"],
    )
    sample = random.Random(seed).sample(lines, min(size, len(lines)))
    return sorted(sample, key=lambda line: line["id"])


def precision(text):
    return {4: "year", 7: "month"}.get(len(text), "day")


def facts(line):
    """(fact, value on record) for each fact of the line a reader sees."""
    start, end = line["start_date"], line.get("end_date") or line["start_date"]
    dates = start if end == start else f"{start} to {end}"
    found = [("date", f"{dates} ({precision(start)})")]
    if line.get("videoconference"):
        found.append(("place", "videoconference"))
    elif line.get("city"):
        found.append(("place", f"{line['city']}, {line.get('country') or ''}".rstrip(", ")))
    found.append(("kind", line["kind"]))
    for person in line.get("participants") or []:
        if person.get("name"):
            body = person.get("country") or person.get("organisation") or ""
            position = ", ".join(part for part in (person.get("position"), body) if part)
            found.append((f"participant: {person['name']}", position))
    return found


def blank_rows(lines):
    """The audit's rows for the sampled lines, with what the pages say left to fill in."""
    return [
        {"meeting": line["id"], "fact": fact, "on_record": value} | dict.fromkeys(COLUMNS[3:], "")
        for line in lines
        for fact, value in facts(line)
    ]


def latest_audit(folder=None):
    """The newest audit file of data/audit/ (named YYYY-MM.csv), or None."""
    files = sorted(Path(folder or DATA / "audit").glob("*.csv"))
    return files[-1] if files else None


def read_audit(path):
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def tally(rows):
    """Counts by verdict, and the shares of found, not found and contradicted among the facts
    whose page could be read (a page not available counts neither way)."""
    counts = Counter(row["verdict"] for row in rows)
    checked = counts[FOUND] + counts[NOT_FOUND] + counts[CONTRADICTED]
    shares = {
        verdict: (counts[verdict] / checked if checked else 0.0)
        for verdict in (FOUND, NOT_FOUND, CONTRADICTED)
    }
    meetings = {row["meeting"] for row in rows}
    read = {row["meeting"] for row in rows if row["verdict"] != NOT_AVAILABLE}
    return {
        "counts": counts,
        "checked": checked,
        "shares": shares,
        "meetings": len(meetings),
        "meetings_read": len(read),
    }
