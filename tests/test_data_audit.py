"""The held-out audit of the bundled record (data/audit/) and the figures the README gives."""

import csv
from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command

from datasets import audit
from datasets.loading.record import RecordLoader
from datasets.loading.records import Tally
from meetings.models import Meeting, Source, State
from tests.factories import make_disagreement, make_meeting, make_source

AUDIT = audit.latest_audit()


def audit_rows():
    return audit.read_audit(AUDIT)


def test_the_same_seed_draws_the_same_meetings_and_another_seed_others():
    first = [line["id"] for line in audit.draw()]
    assert first == [line["id"] for line in audit.draw()]
    assert len(first) == audit.SIZE
    assert first != [line["id"] for line in audit.draw(seed=audit.SEED + 1)]


def test_only_published_lines_are_drawn():
    assert all(audit.published(line) for line in audit.draw())


def test_the_audit_file_covers_the_sample_size_of_published_meetings_of_the_record():
    # The draw of a later record may differ (lines added): the file keeps the one it audited.
    published = {line["id"] for line in audit.record_lines() if audit.published(line)}
    audited = {row["meeting"] for row in audit_rows()}
    assert len(audited) == audit.SIZE
    assert audited <= published
    assert {row["fact"] for row in audit_rows()} >= {"date", "place", "kind"}


def test_every_verdict_says_which_page_and_what_it_says():
    for row in audit_rows():
        assert row["verdict"] in audit.VERDICTS, row
        assert row["url"].startswith("http"), row
        if row["verdict"] in (audit.FOUND, audit.CONTRADICTED):
            assert row["page_says"], row
        else:
            assert row["note"], row


def test_no_contradicted_fact_stays_on_record():
    current = {
        (line["id"], fact): value
        for line in audit.record_lines()
        if audit.published(line)
        for fact, value in audit.facts(line)
    }
    contradicted = [row for row in audit_rows() if row["verdict"] == audit.CONTRADICTED]
    assert contradicted
    for row in contradicted:
        assert current[(row["meeting"], row["fact"])] != row["on_record"], row


def test_the_tally_leaves_unreadable_pages_out_of_the_shares():
    rows = [
        {"meeting": "A", "verdict": audit.FOUND},
        {"meeting": "A", "verdict": audit.CONTRADICTED},
        {"meeting": "B", "verdict": audit.NOT_AVAILABLE},
    ]
    result = audit.tally(rows)
    assert result["checked"] == 2
    assert result["shares"][audit.FOUND] == 0.5
    assert (result["meetings"], result["meetings_read"]) == (2, 1)


def test_audit_sample_prints_one_row_per_fact_to_fill_in():
    output = StringIO()
    call_command("audit_sample", stdout=output)
    rows = list(csv.DictReader(StringIO(output.getvalue())))
    assert list(rows[0]) == audit.COLUMNS
    assert len({row["meeting"] for row in rows}) == audit.SIZE
    assert {row["fact"] for row in rows} >= {"date", "kind"}
    assert all(row["verdict"] == "" for row in rows)


def test_data_figures_counts_published_meetings_sources_and_disagreements(db):
    one, two = make_source(), make_source()
    make_meeting(state=State.PUBLISHED, sources=[one, two])
    make_meeting(state=State.PUBLISHED, kind=Meeting.Kind.MINISTERIAL, sources=[one])
    make_meeting(state=State.DRAFT, sources=[one, two])
    make_disagreement(subject="Date", accepted_value="2 May 2024", other_value="3 May 2024")
    output = StringIO()
    call_command("data_figures", stdout=output)
    text = output.getvalue()
    assert "2 published meetings." in text
    assert "| Bilateral meeting | 1 |" in text
    assert "| Ministerial meeting | 1 |" in text
    assert "| entered by editors | 2 |" in text
    assert "By year: 2024: 2." in text
    assert "1 of the 2 published meetings (50.0 %) cite two or more pages" in text
    assert "Of the 4 sources, 0 have no title yet and 0 no publisher" in text
    assert "Disagreements between sources: 1," in text
    assert "| Date | 2 May 2024 (example.org) | 3 May 2024 (example.org) |" in text
    assert "Held-out audit" in text and "| contradicted |" in text


def record_loader(tmp_path):
    loader = SimpleNamespace(tally=Tally(), data_dir=tmp_path, countries={}, described={})
    return RecordLoader(loader)


def test_a_page_the_officials_file_lists_bare_takes_the_title_a_meeting_line_gives(db, tmp_path):
    page = {"url": "https://example.org/a", "title": "Talks", "publisher": "Agency"}
    loader = record_loader(tmp_path)
    loader.pages = loader.read_pages([{"sources": [page]}])
    source = loader.source("https://example.org/a")
    source.refresh_from_db()
    assert (source.title, source.publisher) == ("Talks", "Agency")


def test_a_source_loaded_without_a_title_is_given_one_and_an_editors_title_is_kept(db, tmp_path):
    blank = Source.objects.create(url="https://example.org/blank")
    edited = Source.objects.create(url="https://example.org/edited", title="Editor's title")
    loader = record_loader(tmp_path)
    loader.pages = loader.read_pages(
        [{"sources": [{"url": blank.url, "title": "Read"}, {"url": edited.url, "title": "Other"}]}]
    )
    loader.source(blank.url)
    loader.source(edited.url)
    blank.refresh_from_db()
    edited.refresh_from_db()
    assert blank.title == "Read"
    assert edited.title == "Editor's title"
