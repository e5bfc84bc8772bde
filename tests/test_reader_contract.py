import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reader.article import read_article
from reader.lexicon import load_lexicon
from reader.output import reading_as_json


@pytest.fixture
def lexicon(sco_data):
    return load_lexicon()


def read(text, lexicon, published=None):
    return reading_as_json(read_article(text, lexicon, "", published))


@pytest.mark.parametrize(
    "text, kind",
    [
        (
            "On 6 April 2020, SCO Secretary-General Vladimir Norov had a telephone conversation "
            "with Foreign Minister of Pakistan Shah Mahmood Qureshi.",
            "call",
        ),
        (
            "The 19th meeting of the Council of Heads of Government was held on 30 November 2020 "
            "via videoconference.",
            "videoconference",
        ),
        (
            "The 7th meeting of the Council of Heads of State of the SCO was held in Bishkek on "
            "16 August 2007.",
            "council",
        ),
        (
            "A meeting of the SCO Council of Foreign Ministers took place in Moscow on "
            "10 September 2020.",
            "ministerial",
        ),
        (
            "On 9 June 2018, SCO Secretary-General Rashid Alimov met with Prime Minister of India "
            "Narendra Modi on the sidelines of the SCO Summit in Qingdao.",
            "bilateral",
        ),
    ],
)
def test_it_tells_the_kind_of_meeting(lexicon, text, kind):
    assert read(text, lexicon)["kind"] == kind


def test_the_json_contract_has_every_field(lexicon):
    result = read(
        "Beijing, 15 February 2019 (Xinhua): Foreign Minister Wang Yi met Vladimir Norov.", lexicon
    )

    assert set(result) >= {
        "date", "date_precision", "place", "kind", "participants", "mentioned", "summit",
        "summits_mentioned", "initiatives", "topics",
    }  # fmt: skip
    assert result["date"] == "2019-02-15" and result["date_precision"] == "day"
    assert result["place"] == {"slug": "beijing", "name": "Beijing", "country": "CN"}
    # Without the record of meetings, Wang Yi is not on record: offered by name.
    assert {(p["official"], p["name"]) for p in result["participants"]} == {
        ("vladimir-norov", "Vladimir Norov"),
        (None, "Wang Yi"),
    }


@pytest.mark.parametrize(
    "text",
    ["", "x" * 200_000, "\x00\xff\ufffd binary \x07", "Глава МИД встретился с генсеком ШОС."],
)
def test_bad_input_never_raises(lexicon, text):
    result = read(text, lexicon, published=datetime.date(2031, 1, 1))

    assert result["participants"] == [] or isinstance(result["participants"], list)


def test_the_command_prints_one_json_object_per_file(sco_data, tmp_path):
    item = tmp_path / "item.txt"
    item.write_text(
        "Beijing, 15 February 2019 (Xinhua): Foreign Minister Wang Yi met Vladimir Norov.\n"
    )
    out = StringIO()

    call_command("read_article", str(item), str(item), "--json", stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 and lines[0]["date"] == "2019-02-15"


@pytest.mark.parametrize(
    "text, published, day",
    [
        # A yearless dateline, read against the publication date
        ("TEHRAN, Oct. 09 (MNA) – Vladimir Norov met students.", "2018-10-09", "2018-10-09"),
        # The byline's day is not the meeting's when the text says when it was
        (
            "ISLAMABAD, May 4 (UrduPoint / Pakistan Point News - 5th May, 2023 ) :Zhang Ming "
            "called on the Foreign Minister on Thursday.",
            "2023-05-05",
            "2023-05-04",
        ),
        (
            "MOSCOW (UrduPoint News / Sputnik - 26th April, 2023) A delegation will attend the "
            "meeting of the SCO defense ministers in New Delhi on April 28, the ministry said.",
            "2023-04-26",
            "2023-04-28",
        ),
        (
            "The SCO foreign ministers met in Shanghai on Monday to prepare for the summit.",
            "2006-05-16",
            "2006-05-15",
        ),
        (
            "The SCO Council of Foreign Ministers met in Moscow yesterday.",
            "2020-09-11",
            "2020-09-10",
        ),
        (
            "India will host the SCO Summit on Tuesday in a virtual format, the ministry said.",
            "2023-07-01",
            "2023-07-04",
        ),
    ],
)
def test_it_reads_the_meetings_day_against_the_publication_date(lexicon, text, published, day):
    result = read(text, lexicon, published=datetime.date.fromisoformat(published))

    assert result["date"] == day


def test_the_meetings_place_is_told_apart_from_the_datelines_city(lexicon):
    result = read(
        "MOSCOW, July 28. /TASS/. Sergey Lavrov and Wang Yi met on the sidelines of a meeting "
        "of the SCO Foreign Ministers' Council in Tashkent, the ministry said.",
        lexicon,
        published=datetime.date(2022, 7, 28),
    )

    assert result["place"]["slug"] == "tashkent"


def test_a_city_not_on_record_comes_from_the_gazetteer(lexicon):
    result = read(
        "On 12 March 2019 the SCO Secretary-General held talks in Kathmandu with officials.",
        lexicon,
    )

    assert result["place"] == {"slug": None, "name": "Kathmandu", "country": "NP"}


def test_a_meeting_at_the_sco_secretariat_is_in_beijing(lexicon):
    result = read(
        "On 20 January 2022, SCO Secretary-General Zhang Ming met at the SCO Secretariat with "
        "the Charge d'Affaires of Uzbekistan.",
        lexicon,
    )

    assert result["place"]["slug"] == "beijing"


def test_everyone_in_a_list_of_attendants_takes_part(lexicon):
    result = read(
        "The meeting of the SCO Heads of Government was held by videoconference on "
        "30 November 2020.\n\nGuests:\n\nV.I. Norov, SCO Secretary-General; Chairman of the SCO "
        "Business Council S.N. Katyrin\n\nThe heads of delegations adopted a communique.",
        lexicon,
    )

    names = {p["official"] or p["name"] for p in result["participants"]}
    assert "vladimir-norov" in names and "S.N. Katyrin" in names


def test_a_summit_being_prepared_is_linked(lexicon):
    result = read(
        "MOSCOW, 10 September 2020 (TASS): The SCO foreign ministers met in Moscow and made full "
        "preparations for the summit of the SCO in November.",
        lexicon,
    )

    assert result["summit"] == "chs-2020"


def test_the_evaluation_fails_below_a_floor(sco_data, tmp_path):
    (tmp_path / "01-item.txt").write_text("Beijing, 15 February 2019 (Xinhua): Students met.\n")
    (tmp_path / "01-item.json").write_text('{"date": "2019-02-16", "place": "beijing"}\n')

    with pytest.raises(CommandError, match="date recall 0.00 < 0.50"):
        call_command(
            "evaluate_article_reader",
            "--dir",
            str(tmp_path),
            "--half",
            "tuning",
            "--min-date-recall=0.5",
            stdout=StringIO(),
        )
