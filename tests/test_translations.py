"""The site in English, Russian and Simplified Chinese: addresses, switcher, catalogues, cache."""

import datetime
import html
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import State
from tests.factories import make_country, make_meeting, make_place, make_source
from tests.queries import data_queries

PUBLISHED = State.PUBLISHED
CATALOGUES = sorted(
    path
    for path in settings.BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po")
    if not {".venv", "node_modules", "staticfiles"} & set(path.parts)
)


def text(response):
    return response.content.decode()


@pytest.fixture
def seed(db):
    country = make_country(name="Kazakhstan", iso_code="KZ", slug="kazakhstan", state=PUBLISHED)
    make_meeting(
        title="Talks in Astana",
        slug="talks-in-astana",
        place=make_place(name="Astana", country=country),
        country=country,
        state=PUBLISHED,
    )
    return country


def test_text_as_written_is_marked_with_its_language_on_the_other_languages_pages(client, seed):
    meeting = make_meeting(
        title="Trade talks in Astana",
        slug="trade-talks",
        summary="Trade and transit.",
        date_note="Dateline of the ministry's news item",
        start_date=datetime.date(2022, 6, 4),
        state=PUBLISHED,
    )
    meeting.sources.add(
        make_source(title="Talks on trade", url="https://example.org/en"),
        make_source(title="Переговоры о торговле", url="https://example.org/ru"),
    )

    russian = text(client.get("/ru/meetings/trade-talks/"))
    english = text(client.get("/meetings/trade-talks/"))

    assert '<h1 lang="en">Trade talks in Astana</h1>' in russian
    assert '<div lang="en"><p>Trade and transit.</p>' in russian
    assert '<span class="note" lang="en">(Dateline' in russian
    assert '“<span lang="en">Talks on trade</span>”' in russian
    assert "“<span>Переговоры о торговле</span>”" in russian
    assert "<h1>Trade talks in Astana</h1>" in english
    assert '“<span lang="ru">Переговоры о торговле</span>”' in english


def test_days_are_written_in_the_pages_language(client, seed):
    make_meeting(slug="june-talks", start_date=datetime.date(2022, 6, 4), state=PUBLISHED)

    russian = text(client.get("/ru/meetings/june-talks/"))
    chinese = text(client.get("/zh-hans/meetings/june-talks/"))

    assert "саммиты на 4 июня 2022" in russian and "Июнь" not in russian
    assert "(дата обращения " in russian and "accessed" not in russian
    assert "2022年6月4日" in chinese and "六月" not in chinese


# The catalogues


def test_the_project_catalogues_exist_for_russian_and_chinese():
    assert settings.BASE_DIR / "locale/ru/LC_MESSAGES/django.po" in CATALOGUES
    assert settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(Path.cwd())))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    with path.open("rb") as po:
        catalogue = read_po(po)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (not all(message.string) if isinstance(message.string, tuple) else not message.string)
    ]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(Path.cwd())))
def test_every_catalogue_is_compiled(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= path.stat().st_mtime, (
        f"{compiled} is missing or older than its catalogue: run `make messages`"
    )


# Addresses


def test_english_stays_at_todays_addresses_and_the_others_are_prefixed(client, seed):
    english = client.get("/meetings/")
    russian = client.get("/ru/meetings/")
    chinese = client.get("/zh-hans/meetings/")
    assert '<html lang="en-gb">' in text(english)
    assert '<html lang="ru">' in text(russian)
    assert '<html lang="zh-hans">' in text(chinese)
    assert "Talks in Astana" in text(russian) and "Talks in Astana" in text(chinese)
    assert client.get("/ru/meetings/talks-in-astana/").status_code == 200


def test_an_unknown_language_prefix_is_the_sites_own_404(client, seed):
    response = client.get("/xx/meetings/")
    assert response.status_code == 404
    assert "Page not found" in text(response) and 'class="site-header"' in text(response)
    assert client.get("/en-gb/meetings/").status_code == 404


def test_the_api_keeps_english_at_its_one_address(client, seed):
    assert client.get("/api/meetings/").status_code == 200
    assert client.get("/ru/api/meetings/").status_code == 404


# The switcher and the alternates


def test_each_page_names_its_other_languages_as_alternates(client, seed):
    page = text(client.get("/ru/meetings/?country=kazakhstan"))
    assert (
        '<link rel="alternate" hreflang="en-gb" '
        'href="http://testserver/meetings/?country=kazakhstan">'
    ) in page
    assert (
        '<link rel="alternate" hreflang="zh-hans" '
        'href="http://testserver/zh-hans/meetings/?country=kazakhstan">'
    ) in page
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/meetings/' in page


def test_the_switcher_keeps_the_filters_and_remembers_the_choice(client, seed):
    page = text(client.get("/meetings/?country=kazakhstan"))
    link = "/language/?language=ru&amp;next=/ru/meetings/%3Fcountry%3Dkazakhstan"
    assert f'href="{link}"' in page
    response = client.get(html.unescape(link))
    assert response.status_code == 302
    assert response["Location"] == "/ru/meetings/?country=kazakhstan"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert "Talks in Astana" in text(client.get(response["Location"]))


def test_a_hostile_query_stays_escaped_in_the_switcher(client, seed):
    hostile = '"><script>alert(1)</script>'
    page = text(client.get("/meetings/", {"q": hostile, "x": "'onmouseover=alert(1) '"}))
    assert "<script>alert(1)" not in page
    assert "'onmouseover" not in page


def test_the_switcher_sends_nobody_off_the_site(client, seed):
    response = client.get("/language/?language=ru&next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.get("/language/?language=klingon&next=/meetings/")
    assert response["Location"] == "/meetings/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_admin_follows_the_chosen_language(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Администрирование" in text(admin_client.get("/admin/"))
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "管理" in text(admin_client.get("/admin/"))


def test_a_reader_without_a_choice_gets_the_admin_in_their_browsers_language(client, db):
    page = text(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Войти" in page


def test_public_english_addresses_ignore_the_cookie(client, seed):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert '<html lang="en-gb">' in text(client.get("/meetings/"))


# The page cache


def test_the_page_cache_keeps_the_languages_apart(client, seed, settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    try:
        for _ in range(2):
            assert '<html lang="en-gb">' in text(client.get("/meetings/"))
            assert '<html lang="ru">' in text(client.get("/ru/meetings/"))
            assert '<html lang="zh-hans">' in text(client.get("/zh-hans/meetings/"))
        with CaptureQueriesContext(connection) as queries:
            assert '<html lang="ru">' in text(client.get("/ru/meetings/"))
        assert len(data_queries(queries)) == 1  # the cache generation: served from the cache
    finally:
        cache.clear()


# Pages in each language


@pytest.mark.parametrize(
    "url, shown, not_shown",
    [
        ("/ru/meetings/", ["<title>Встречи · SCO Tracker</title>", "Применить"], ["Apply"]),
        ("/zh-hans/meetings/", ["<title>会晤 · SCO Tracker</title>", "应用", "搜索"], ["Apply"]),
        ("/ru/", ["Последние встречи", "Следующий саммит"], ["Latest meetings"]),
        ("/zh-hans/", ["最新会晤", "下一次峰会"], ["Latest meetings"]),
        ("/ru/meetings/talks-in-astana/", ["Как цитировать эту запись", "Дата"], ["Cite this"]),
        ("/zh-hans/meetings/talks-in-astana/", ["引用此记录", "日期"], ["Cite this"]),
        ("/ru/no-such-page/", ["Страница не найдена"], ["Page not found"]),
        ("/zh-hans/no-such-page/", ["页面不存在"], ["Page not found"]),
    ],
)
def test_pages_show_their_interface_in_the_addresses_language(client, seed, url, shown, not_shown):
    page = text(client.get(url))
    for words in shown:
        assert words in page
    for words in not_shown:
        assert words not in page


@pytest.mark.parametrize(
    "path", ["/", "/meetings/", "/meetings/?country=kazakhstan", "/meetings/talks-in-astana/"]
)
def test_each_language_runs_the_same_queries(client, seed, path):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(data_queries(captured))

    english = queries(path)
    assert queries(f"/ru{path}") == english
    assert queries(f"/zh-hans{path}") == english


def test_the_admin_offers_the_languages_and_keeps_the_page(admin_client):
    page = text(admin_client.get("/admin/meetings/meeting/?q=astana"))
    choice = "/language/?language=zh-hans&amp;next=/admin/meetings/meeting/%3Fq%3Dastana"
    assert f'href="{choice}"' in page
    response = admin_client.get(html.unescape(choice))
    assert response["Location"] == "/admin/meetings/meeting/?q=astana"
    assert "注销" in text(admin_client.get(response["Location"]))  # Django's "Log out"


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/ru/test-broken/", 500, "Ошибка сервера"),
        ("/zh-hans/test-broken/", 500, "服务器错误"),
        ("/ru/test-database-down/", 503, "База данных сейчас не отвечает"),
        ("/zh-hans/test-database-down/", 503, "数据库暂时没有响应"),
        ("/ru/test-forbidden/", 403, "Доступ запрещён"),
        ("/zh-hans/test-forbidden/", 403, "无权访问"),
    ],
)
def test_the_failure_pages_speak_the_addresses_language(client, db, settings, path, status, words):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == status
    assert words in text(response)


@pytest.mark.parametrize(
    "language, title",
    [
        ("en", "22nd Council of Heads of State"),
        ("ru", "Совет глав государств-членов ШОС: 22-е заседание"),
        ("zh-hans", "上海合作组织成员国元首理事会第22次会议"),
    ],
)
def test_a_summits_title_is_written_whole_in_the_language(language, title):
    from django.utils import translation

    from meetings.models import Council, Summit

    summit = Summit(council=Council.HEADS_OF_STATE, number=22)
    with translation.override(language):
        assert summit.title == title
