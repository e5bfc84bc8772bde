"""Names in the reader's language: countries from CLDR, officials and places from the data, English
where none is known, each marked with its language."""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.languages import language_code
from meetings.models import Country, Official, OfficialName, Place, SCOStatus
from tests.factories import (
    make_country,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
)

PUBLISHED = "published"
TOKAYEV = "/officials/kassym-jomart-tokayev/"


def streamed(client, url):
    return b"".join(client.get(url).streaming_content).decode()


def page(client, url, language="en"):
    """The page at `url` (an English address) in `language`, at its own address (/ru/…)."""
    response = client.get(url if language == "en" else f"/{language}{url}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "text, code",
    [
        ("Russian", "ru"),
        ("Kazakh/Russian", "ru"),
        ("Kyrgyz and Russian", "ru"),
        ("Chinese", "zh-hans"),
        ("Chinese (simplified)", "zh-hans"),
        ("Chinese (traditional)", ""),
        ("Tajik", ""),
        ("", ""),
    ],
)
def test_a_names_language_is_read_as_a_site_language(text, code):
    assert language_code(text) == code


def test_every_sco_country_has_its_name_in_all_three_languages(sco_data):
    statuses = [SCOStatus.FOUNDING_MEMBER, SCOStatus.MEMBER, SCOStatus.OBSERVER]
    statuses += [SCOStatus.DIALOGUE_PARTNER, SCOStatus.PARTNER]
    in_sco = Country.objects.filter(statuses__status__in=statuses).distinct()
    assert in_sco.count() >= 20
    # Every country of the data, those whose partnership has no confirmed day included.
    for country in Country.objects.all():
        assert country.name_in("en") == country.name
        assert country.name_in("ru") and country.name_in("zh-hans"), country.iso_code
    kazakhstan = Country.objects.get(iso_code="KZ")
    assert (kazakhstan.name_in("ru"), kazakhstan.name_in("zh-hans")) == ("Казахстан", "哈萨克斯坦")


def test_an_officials_page_follows_the_readers_language(client, sco_data):
    assert "<h1>Kassym-Jomart Tokayev</h1>" in page(client, TOKAYEV)
    assert "<h1>Касым-Жомарт Токаев</h1>" in page(client, TOKAYEV, "ru")
    assert "<h1>托卡耶夫</h1>" in page(client, TOKAYEV, "zh-hans")
    assert "<title>Касым-Жомарт Токаев" in page(client, TOKAYEV, "ru")


def test_the_english_fallback_and_native_names_say_their_language(client, sco_data):
    # No Russian name is on record for Akan Rakhmetullin: the Russian page gives the English one.
    russian = page(client, "/officials/akan-rakhmetullin/", "ru")
    assert '<h1><span lang="en">Akan Rakhmetullin</span></h1>' in russian
    english = page(client, TOKAYEV)
    assert '<span lang="ru">Касым-Жомарт Токаев</span>' in english
    assert '<span lang="zh-Hans">托卡耶夫</span>' in english
    # A language the site does not speak is left as it is.
    assert "Қасым-Жомарт Тоқаев" in english


def test_a_meeting_shows_its_participants_and_place_in_the_readers_language(client, sco_data):
    russian = page(client, "/meetings/2022-06-04-zhang-ming-meets-akan-rakhmetullin/", "ru")
    assert "Чжан Мин" in russian  # labelled 'Russian/Kazakh' in officials.csv
    assert "Нур-Султан" in russian and "Астана" in russian
    assert '<span lang="en">Akan Rakhmetullin</span>' in russian
    chinese = page(client, "/meetings/", "zh-hans")
    assert "张明" in chinese


def test_places_take_russian_and_chinese_names_from_cldr(sco_data):
    shanghai = Place.objects.prefetch_related("names").get(name="Shanghai")
    assert (shanghai.name_in("ru"), shanghai.name_in("zh-hans")) == ("Шанхай", "上海")
    samarkand = Place.objects.prefetch_related("names").get(name="Samarkand")
    assert samarkand.name_in("zh-hans") == "撒马尔罕"


def test_a_country_list_in_chinese(client, sco_data):
    chinese = page(client, "/countries/", "zh-hans")
    assert "哈萨克斯坦" in chinese and "俄罗斯" in chinese


def test_names_are_read_without_a_query_per_row(client, db):
    def count(language):
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            assert client.get("/meetings/").status_code == 200
        return len(queries)

    country = make_country(state=PUBLISHED)
    place = make_place(country=country, name="Shanghai")
    official = make_official(state=PUBLISHED)
    make_official_name(official=official, name="Иван Петров", kind="native", language="Russian")
    meeting = make_meeting(state=PUBLISHED, place=place, country=country)
    make_participation(meeting=meeting, official=official)
    few = {language: count(language) for language in ("en", "ru", "zh-hans")}
    for _ in range(20):
        other = make_official(state=PUBLISHED)
        make_official_name(official=other, name=f"{other.name} ру", language="Russian")
        make_participation(meeting=make_meeting(state=PUBLISHED, place=place), official=other)
    many = {language: count(language) for language in ("en", "ru", "zh-hans")}
    # Filter validation, count, rows, participations with officials, their names, topics, place
    # names, facets: the same in every language and for any number of rows.
    assert few == many
    assert len(set(many.values())) == 1
    assert f"{other.name} ру" in page(client, "/meetings/", "ru")


def test_the_api_and_exports_add_the_names_in_russian_and_chinese(client, sco_data):
    official = client.get("/api/officials/kassym-jomart-tokayev/").json()
    assert (official["name"], official["name_ru"], official["name_zh"]) == (
        "Kassym-Jomart Tokayev",
        "Касым-Жомарт Токаев",
        "托卡耶夫",
    )
    country = client.get("/api/countries/kz/").json()
    assert (country["name_ru"], country["name_zh"]) == ("Казахстан", "哈萨克斯坦")
    rakhmetullin = client.get("/api/officials/akan-rakhmetullin/").json()
    assert rakhmetullin["name_ru"] is None
    rows = csv.DictReader(streamed(client, "/countries/export.csv").splitlines())
    kazakhstan = next(row for row in rows if row["iso_code"] == "KZ")
    assert (kazakhstan["name"], kazakhstan["name_ru"]) == ("Kazakhstan", "Казахстан")
    officials = json.loads(streamed(client, "/officials/export.json"))
    assert any(row["name_zh"] == "托卡耶夫" for row in officials)


def test_every_sourced_name_names_its_official_and_page():
    path = Path(settings.BASE_DIR) / "data" / "official_names.csv"
    with open(path, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) >= 25
    for row in rows:
        assert row["source"].startswith(("http://", "https://")), row
        assert language_code(row["language"]) in ("ru", "zh-hans"), row


def test_a_sourced_name_loads_with_its_language_and_page(sco_data):
    native = OfficialName.objects.get(official__name="Kassym-Jomart Tokayev", name="托卡耶夫")
    assert language_code(native.language) == "zh-hans"
    assert "xnnews.com.cn" in native.note
    assert Official.objects.get(name="Zhang Ming").name_in("zh-hans") == "张明"


def test_a_summits_name_is_built_from_its_place_in_the_readers_language(client, sco_data):
    assert "Samarkand summit, 2022" in page(client, "/summits/")
    assert '<a href="/ru/summits/chs-2022-samarkand/">Самарканд' in page(client, "/summits/", "ru")
    chinese = page(client, "/summits/chs-2022-samarkand/", "zh-hans")
    assert "<title>撒马尔罕" in chinese
    # A summit without a name for its place in the language is named in English, and says so.
    assert '<span lang="en">Tianjin summit, 2025</span>' in page(client, "/summits/", "ru")
