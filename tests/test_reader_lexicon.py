"""The reader's lexicon is built once and kept while the records stay the same; an edit to an
official, a name or a place is read by the very next reading."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Official, Place, Position
from reader.article import read_article
from reader.lexicon import load_lexicon
from tests.factories import make_official_name, make_place_name

TEXT = "Tashkent, 4 June 2022 (TDI): SCO Secretary-General Zhang Ming met Ulugbek Quxxanov."


def slugs(reading):
    return [p.official.slug for p in reading.participants]


def test_a_second_reading_does_not_build_the_lexicon_again(sco_data):
    read_article(TEXT, load_lexicon())

    with CaptureQueriesContext(connection) as queries:
        reading = read_article(TEXT, load_lexicon())

    # 1. the records' generation, unchanged since the first reading: nothing else is read
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert slugs(reading) == ["zhang-ming"]


def test_a_name_added_to_an_official_is_seen_by_the_next_reading(sco_data):
    assert slugs(read_article(TEXT, load_lexicon())) == ["zhang-ming"]
    official = Official.objects.get(slug="rashid-alimov")

    make_official_name(official=official, name="Ulugbek Quxxanov")
    reading = read_article(TEXT, load_lexicon())

    assert slugs(reading) == ["zhang-ming", "rashid-alimov"]
    assert "“Ulugbek Quxxanov” is not an official on record." not in reading.problems


def test_a_renamed_official_is_read_under_the_new_name_only(sco_data):
    read_article(TEXT, load_lexicon())
    official = Official.objects.get(slug="zhang-ming")

    official.name = "Zhang Mingxx"
    official.save()
    official.names.all().delete()
    reading = read_article(TEXT.replace("Zhang Ming ", "Zhang Mingxx "), load_lexicon())

    assert slugs(reading) == ["zhang-ming"]
    assert reading.participants[0].official.name == "Zhang Mingxx"


def test_a_term_corrected_is_seen_by_the_next_reading(sco_data):
    text = "Tashkent, 6 June 2022 (TDI): The SCO Secretary-General met students."
    assert slugs(read_article(text, load_lexicon())) == ["zhang-ming"]

    position = Position.objects.get(official__slug="zhang-ming", post__title="Secretary-General")
    position.start_date = datetime.date(2022, 6, 7)
    position.save()
    reading = read_article(text, load_lexicon())

    assert slugs(reading) == []


def test_a_new_name_of_a_place_is_seen_by_the_next_reading(sco_data):
    text = "Taschkentia, 4 June 2022 (TDI): SCO Secretary-General Zhang Ming met students."
    assert read_article(text, load_lexicon()).place is None

    make_place_name(place=Place.objects.get(slug="tashkent"), name="Taschkentia")
    reading = read_article(text, load_lexicon())

    assert reading.place.slug == "tashkent"
