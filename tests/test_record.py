"""The bundled record of meetings and officials (data/record/), loaded as `make run` loads it."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from datasets.checks import run_checks
from meetings.languages import language_code
from meetings.models import Country, Meeting, Official, OfficialName, Source

RECORD = Path(settings.BASE_DIR) / "data" / "record"


@pytest.fixture(scope="module")
def record_once(django_db_setup, django_db_blocker):
    """Everything bundled, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("load_sco_data", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def record(record_once, db):
    return record_once


def lines():
    found = []
    for path in sorted(RECORD.glob("*-meetings.jsonl")):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def test_the_record_holds_hundreds_of_sourced_meetings_and_officials(record):
    published = Meeting.objects.published()
    assert published.count() >= 400
    assert Official.objects.published().count() >= 300
    assert not published.annotate(n=Count("sources")).filter(n=0).exists()


def test_only_confirmed_lines_are_published(record):
    unconfirmed = [line["id"] for line in lines() if line["confidence"] != "confirmed"]
    assert unconfirmed
    loaded = Meeting.objects.filter(data_key__in=[f"record:{key}" for key in unconfirmed])
    assert loaded.exists()
    assert not loaded.published().exists()


def test_the_loaded_record_passes_every_data_check(record):
    assert run_checks() == {name: [] for name in run_checks()}


def test_a_council_session_keeps_its_date_place_participants_and_source(record):
    meeting = Meeting.objects.get(data_key="record:CFM-2019-05-22-BISHKEK")
    assert meeting.is_published
    assert (meeting.start_date.isoformat(), meeting.place.name) == ("2019-05-22", "Bishkek")
    people = {p.official.name: p.capacity for p in meeting.participations.all()}
    assert people["Sushma Swaraj"] == "Minister of External Affairs"
    assert "Sergey Lavrov" in people or "Sergei Lavrov" in people
    assert meeting.sources.filter(url="http://eng.sectsco.org/20190522/543257.html").exists()
    assert meeting.summit.start_date.year == 2019


def test_one_official_gathers_every_spelling_the_sources_use(record):
    lavrov = Official.objects.get(names__name="Sergei Lavrov")
    assert lavrov.participations.count() >= 20
    assert lavrov.positions.filter(post__title="Minister of Foreign Affairs").exists()


def test_sources_carry_their_publisher_and_title(record):
    sources = Source.objects.filter(meetings__state="published").distinct()
    with_publisher = sources.exclude(publisher="").count()
    assert with_publisher / sources.count() > 0.95


def test_loading_again_changes_nothing(record):
    output = StringIO()
    call_command("load_sco_data", stdout=output)
    lines = dict(line.split(": ", 1) for line in output.getvalue().splitlines() if ": " in line)
    assert "created" not in lines["Meetings"] and "updated" not in lines["Meetings"]
    assert "created" not in lines["Officials"] and "updated" not in lines["Officials"]


@pytest.mark.parametrize(
    "url, expected",
    [
        # The meetings list: 1 the total, 2 the stored facet counts (none stored: the load is
        # not committed), 3 the facets counted in one query, 4 the page of meetings, 5 their
        # participants, 6 their other names (for the reader's language), 7 topics, 8 place
        # names. The others as the query-count tests of each page with factory rows:
        # test_official_pages (15) and test_country_pages (11, and two
        # more here: the sources of the status today, which the factory country lacks, and the
        # places on its map).
        ("/meetings/", "list"),
        ("busiest-official", 15),
        ("busiest-country", 13),
    ],
)
def test_the_pages_a_reader_meets_first_stay_bounded(client, record, url, expected):
    if url == "busiest-official":
        official = Official.objects.annotate(n=Count("participations")).order_by("-n").first()
        url = official.get_absolute_url()
    elif url == "busiest-country":
        url = Country.objects.get(iso_code="KZ").get_absolute_url()
    if expected == "list":
        # On PostgreSQL the facets are counted under a time limit: a savepoint, SET LOCAL
        # statement_timeout, and its rollback and release around query 3 (4 more statements).
        expected = 12 if connection.vendor == "postgresql" else 8
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == expected, "\n".join(q["sql"][:150] for q in queries)


def test_every_sourced_name_reaches_its_official_in_its_language(record):
    with open(settings.BASE_DIR / "data" / "official_names.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        name = OfficialName.objects.get(official__name=row["official"], name=row["name"])
        assert language_code(name.language) == language_code(row["language"]), row
        assert row["source"] in name.note
    xi = Official.objects.prefetch_related("names").get(name="Xi Jinping")
    assert (xi.name_in("ru"), xi.name_in("zh-hans")) == ("Си Цзиньпин", "习近平")
