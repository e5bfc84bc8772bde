"""The figures of the bundled record that the README gives, counted from the loaded database
(`load_sco_data`) and the audit file (data/audit/), as Markdown: `manage.py data_figures`."""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from datasets import audit
from meetings.models import Disagreement, Meeting, Source

BODIES = {
    "secretary-general": "Secretary-General's visits and talks",
    "heads-of-state-sideline": "leaders' talks on the sidelines of the Council of Heads of State",
    "heads-of-government-sideline": (
        "leaders' talks on the sidelines of the Council of Heads of Government"
    ),
    "council-of-foreign-ministers": "Council of Foreign Ministers (sessions and talks beside them)",
    "defence-ministers": "defence ministers (sessions and talks beside them)",
    "national-coordinators": "Council of National Coordinators",
    "other-ministerial": "other ministers (tourism, industry, environment, railways, ...)",
    "security-council-secretaries": "security council secretaries",
    "rats-council": "RATS Council",
    "rats-director": "RATS director",
    "prosecutors-general": "prosecutors general",
    "interior-ministers": "interior ministers",
    "emergencies-ministers": "emergencies ministers",
    "economy-trade-ministers": "economy and trade ministers",
    "transport-ministers": "transport ministers",
    "energy-ministers": "energy ministers",
    "agriculture-ministers": "agriculture ministers",
    "health-ministers": "health ministers",
    "culture-ministers": "culture ministers",
    "education-ministers": "education ministers",
    "justice-ministers": "justice ministers",
    "science-ministers": "science ministers",
}
REFERENCE = "the reference tables (data/meetings.csv)"
EDITORS = "entered by editors"


def percent(part, whole):
    return f"{100 * part / whole:.1f} %" if whole else "–"


def table(header, rows):
    lines = [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
    lines += [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows]
    return lines


def body_of(data_key, bodies):
    data_key = data_key or ""
    if data_key.startswith("record:"):
        return BODIES.get(bodies.get(data_key.removeprefix("record:")), "other")
    return REFERENCE if data_key else EDITORS


def meeting_figures():
    """Published meetings by kind, by body, by year, and by number of sources."""
    meetings = list(
        Meeting.objects.published()
        .annotate(source_count=Count("sources", distinct=True), year=ExtractYear("start_date"))
        .values("kind", "data_key", "year", "source_count")
    )
    bodies = {line["id"]: line["body"] for line in audit.record_lines()}
    return {
        "total": len(meetings),
        "kinds": Counter(Meeting.Kind(m["kind"]).label for m in meetings),
        "bodies": Counter(body_of(m["data_key"], bodies) for m in meetings),
        "years": Counter(m["year"] for m in meetings),
        "two_sources": sum(m["source_count"] >= 2 for m in meetings),
    }


def markdown():
    """The figures as Markdown lines."""
    figures = meeting_figures()
    total = figures["total"]
    lines = [f"{total} published meetings.", ""]
    lines += table(
        ["kind", "published meetings"],
        sorted(figures["kinds"].items(), key=lambda item: (-item[1], item[0])),
    )
    lines.append("")
    lines += table(
        ["body", "published meetings"],
        sorted(figures["bodies"].items(), key=lambda item: (-item[1], item[0])),
    )
    years = ", ".join(f"{year}: {count}" for year, count in sorted(figures["years"].items()))
    lines += ["", f"By year: {years}.", ""]
    two = figures["two_sources"]
    lines.append(
        f"Sources: {two} of the {total} published meetings ({percent(two, total)}) cite two or "
        "more pages; the others one."
    )
    sources = Source.objects.count()
    untitled = Source.objects.filter(title="").count()
    unnamed = Source.objects.filter(publisher="").count()
    lines.append(
        f"Of the {sources} sources, {untitled} have no title yet and {unnamed} no publisher "
        "(their site is named by its address)."
    )
    lines += [""] + disagreement_lines() + [""] + audit_lines()
    return lines


def disagreement_lines():
    items = Disagreement.objects.select_related(
        "accepted_source", "other_source", "content_type"
    ).prefetch_related("record")
    rows = sorted(
        [
            item.content_type.model,
            str(item.record),
            item.subject,
            f"{item.accepted_value} ({item.accepted_source.host})",
            f"{item.other_value} ({item.other_source.host})",
        ]
        for item in items
    )
    rows = [row[1:] for row in rows]  # ordered by kind of record, record and fact
    lines = [
        f"Disagreements between sources: {len(rows)}, listed in "
        "[data/disagreements.csv](data/disagreements.csv) and on each record's page.",
        "",
    ]
    return lines + table(["record", "fact", "value shown (source)", "other value (source)"], rows)


def audit_lines():
    path = audit.latest_audit()
    if path is None:
        return ["No audit file in data/audit/."]
    result = audit.tally(audit.read_audit(path))
    counts, checked = result["counts"], result["checked"]
    lines = [
        f"Held-out audit ([data/audit/{path.name}](data/audit/{path.name})): "
        f"{result['meetings']} published meetings drawn with seed {audit.SEED} "
        f"(`manage.py audit_sample`); the pages of {result['meetings_read']} of them could be "
        f"read, for {checked} facts ({counts[audit.NOT_AVAILABLE]} more facts rest on pages "
        "that could not be read and count neither way).",
        "",
    ]
    rows = [
        [verdict, counts[verdict], percent(counts[verdict], checked)]
        for verdict in (audit.FOUND, audit.NOT_FOUND, audit.CONTRADICTED)
    ]
    return lines + table(["the page", "facts", "share"], rows)
