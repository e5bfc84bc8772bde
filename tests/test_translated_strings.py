"""The apps' own words, dates, numbers and plurals in Russian and Simplified Chinese.

The catalogues are compiled here with Babel when their .mo files are missing or older, as the
build compiles them; English, the default, stays as it was.
"""

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import ngettext, trans_real

from editorial.checks import date_findings
from meetings.dates import Precision, format_partial, format_range, read_day
from meetings.models import Meeting, State
from meetings.numbers import number
from tests.factories import make_country, make_meeting, make_official, make_participation

PUBLISHED = State.PUBLISHED
JUNE_4 = datetime.date(2022, 6, 4)
ATOM = "{http://www.w3.org/2005/Atom}"
# Russian dates end in "г." (год), joined to the year by a narrow no-break space, as CLDR has it.
G = "\u202fг."
APPS = ["meetings", "public", "initiatives", "insights", "api", "editorial"]
CATALOGUES = sorted(
    path
    for app in APPS
    for path in (Path(settings.BASE_DIR) / app / "locale").glob("*/LC_MESSAGES/django.po")
)


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """Each app's catalogues compiled to .mo, and Django's loaded translations forgotten."""
    for po in CATALOGUES:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)
    trans_real._translations = {}
    trans_real._default = None
    yield


@pytest.fixture
def seed(db):
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    meeting = make_meeting(
        title="Zhang Ming meets Akan Rakhmetullin",
        slug="2022-06-04-astana",
        start_date=JUNE_4,
        country=kz,
        kind=Meeting.Kind.BILATERAL,
        state=PUBLISHED,
    )
    make_participation(meeting=meeting, official=make_official(state=PUBLISHED), country=kz)
    make_meeting(
        title="Consultations in the autumn",
        slug="fall-2022",
        start_date=datetime.date(2022, 9, 1),
        end_date=datetime.date(2022, 11, 30),
        date_precision=Precision.SEASON,
        kind=Meeting.Kind.CALL,
        state=PUBLISHED,
    )
    return {"kz": kz}


def test_every_catalogue_is_wholly_translated_and_none_is_fuzzy():
    assert len(CATALOGUES) == 2 * len(APPS)
    for path in CATALOGUES:
        with path.open("rb") as source:
            catalog = read_po(source)
        assert not catalog.fuzzy, path
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.id, tuple) else [message.string]
            assert all(strings), (path, message.id)
            assert "fuzzy" not in message.flags, (path, message.id)


@pytest.mark.parametrize(
    ("language", "day", "season", "month", "same_month", "same_year"),
    [
        ("en", "4 June 2022", "fall 2022", "June 2022", "15–16 September 2022",
         "30 November – 1 December 2017"),
        ("ru", f"4 июня 2022{G}", "осень 2022", f"июнь 2022{G}", f"15–16 сентября 2022{G}",
         f"30 ноября – 1 декабря 2017{G}"),
        ("zh-hans", "2022年6月4日", "2022年秋", "2022年6月", "2022年9月15日至16日",
         "2017年11月30日至12月1日"),
    ],
)  # fmt: skip
def test_dates_and_rough_dates_are_written_as_the_language_writes_them(
    language, day, season, month, same_month, same_year
):
    with translation.override(language):
        assert format_partial(JUNE_4) == day
        assert format_partial(datetime.date(2022, 9, 1), Precision.SEASON) == season
        assert format_partial(JUNE_4, Precision.MONTH) == month
        assert format_range(datetime.date(2022, 9, 15), datetime.date(2022, 9, 16)) == same_month
        assert format_range(datetime.date(2017, 11, 30), datetime.date(2017, 12, 1)) == same_year


def test_a_date_error_and_a_kind_come_out_in_russian_and_chinese():
    with translation.override("ru"):
        with pytest.raises(ValueError, match=f"«2022-02-30» — не дата: в месяце «февраль 2022{G}»"):
            read_day("2022-02-30")
        assert str(Meeting.Kind.BILATERAL.label) == "Двусторонняя встреча"
    with translation.override("zh-hans"):
        with pytest.raises(ValueError, match="“2022-13-01”不是日期"):
            read_day("2022-13-01")
        assert str(Meeting.Kind.CALL.label) == "电话会谈或视频会议"
    assert str(Meeting.Kind.BILATERAL.label) == "Bilateral meeting"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["meeting", "meetings", "meetings", "meetings"]),
        ("ru", ["встреча", "встречи", "встреч", "встреча"]),
        ("zh-hans", ["次会见"] * 4),
    ],
)
def test_counts_take_the_plural_forms_of_the_language(language, words):
    with translation.override(language):
        assert [ngettext("meeting", "meetings", n) for n in (1, 2, 5, 21)] == words


def test_numbers_are_grouped_as_the_language_groups_them():
    with translation.override("ru"):
        assert number(12345) == "12\xa0345"
    with translation.override("en"):
        assert number(12345) == "12,345"


def test_the_meetings_list_speaks_russian(client, seed):
    page = client.get("/ru/meetings/?kind=duel")
    assert page.status_code == 400
    assert "Вида «duel» нет: используйте один из вариантов bilateral" in page.text
    page = client.get("/ru/meetings/").text
    # A facet's name and its options, read from the counts kept ahead or counted.
    assert "Место проведения" in page
    assert "Двусторонняя встреча" in page
    assert "Телефонный разговор или видеоконференция" in page
    assert f"4 июня 2022{G}" in page
    assert "осень 2022" in page


def test_the_meetings_list_speaks_chinese_and_english_stays(client, seed):
    page = client.get("/zh-hans/meetings/?country=atlantis")
    assert "记录中没有“atlantis”这一国家。" in page.text
    page = client.get("/zh-hans/meetings/").text
    assert "双边会谈" in page
    assert "2022年6月4日" in page
    assert "2022年秋" in page
    page = client.get("/meetings/").text
    assert "Bilateral meeting" in page and "4 June 2022" in page and "fall 2022" in page


def test_the_home_figures_agree_with_their_counts(client, seed):
    page = client.get("/ru/").text
    assert "2</strong> встречи" in page


def test_the_feed_and_the_calendar_follow_the_language(client, seed):
    feed = ET.fromstring(client.get("/ru/meetings/feed/?country=kz").content)
    response = client.get("/ru/meetings.ics?date_after=1990-01-01")
    with translation.override("ru"):
        calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    assert feed.findtext(f"{ATOM}title") == (
        "SCO Tracker: новые опубликованные встречи (Место проведения: Kazakhstan)"
    )
    assert feed.findtext(f"{ATOM}subtitle").startswith("Встречи в рамках Шанхайской")
    assert str(calendar["x-wr-calname"]) == "SCO Tracker: встречи"
    rough = next(e for e in calendar.walk("VEVENT") if "autumn" in str(e["summary"]))
    assert "Дата известна с точностью до времени года: осень 2022." in str(rough["description"])
    feed = ET.fromstring(client.get("/zh-hans/meetings/feed/").content)
    assert feed.findtext(f"{ATOM}title") == "SCO Tracker：新发布的会见"


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/meetings/", "/meetings/?kind=bilateral", "/"])
def test_a_page_makes_as_many_queries_in_every_language(client, seed, url):
    counts = {}
    for language, prefix in (("en", ""), ("ru", "/ru"), ("zh-hans", "/zh-hans")):
        counts[language] = _queries(client, prefix + url)
    assert counts["ru"] == counts["en"] == counts["zh-hans"], counts


def test_the_numbers_are_kept_in_english_and_shown_in_the_reader_s_language(client, seed):
    page = client.get("/ru/numbers/").text
    assert "Встречи по годам и видам" in page
    assert "Двусторонняя встреча" in page
    assert "1 встреча" in page
    # The same kept table, read by an English reader.
    page = client.get("/numbers/").text
    assert "Meetings per year, by kind" in page and "Bilateral meeting" in page
    response = client.get("/zh-hans/on/2022-13-01/")
    assert response.status_code == 400
    assert "“2022-13-01”不是日期" in response.text


def test_the_api_keeps_its_keys_and_words_its_messages_in_the_language(client, seed):
    # The API has one address in every language; its messages follow Accept-Language.
    response = client.get("/api/meetings/?kind=duel", headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    assert "Вида «duel» нет" in str(response.json())
    assert "Vary" in response and "Accept-Language" in response["Vary"]
    response = client.get("/api/meetings/?per_page=x", headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    assert "«x» — не число строк на странице" in str(response.json())


def test_an_editor_s_check_is_worded_in_the_language(db):
    early = make_meeting(start_date=datetime.date(1990, 5, 1))
    with translation.override("ru"):
        (finding,) = date_findings(early)
    assert finding.message == (
        f"Дата 1 мая 1990{G}: раньше 1996 года, когда впервые собралась «Шанхайская пятёрка»."
    )
    with translation.override("zh-hans"):
        (finding,) = date_findings(early)
    assert finding.message == "日期为1990年5月1日：早于“上海五国”首次会晤的 1996 年。"
