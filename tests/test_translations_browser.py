"""The site in Russian and Chinese as a reader sees it, in a real Chromium driven by Playwright."""

import re

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from meetings.models import State
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_place,
    make_summit,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PUBLISHED = State.PUBLISHED
PAGES = [
    "/",
    "/meetings/",
    "/meetings/?country=kazakhstan",
    "/meetings/talks-in-astana/",
    "/summits/",
    "/officials/",
    "/countries/",
    "/countries/kazakhstan/",
    "/initiatives/",
    "/map/",
    "/timeline/",
    "/relations/",
    "/numbers/",
    "/search/?q=Astana",
    "/no-such-page/",
]


def interface_sentences():
    """The project catalogue's English sentences: three words or more, no placeholder or markup
    (shorter ones, such as "Country", may also be the apps' own words, which their catalogues
    translate)."""
    with (settings.BASE_DIR / "locale/ru/LC_MESSAGES/django.po").open("rb") as po:
        catalogue = read_po(po)
    return [
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and len(message.id.split()) >= 3
        and not re.search(r"[%<]", message.id)
    ]


@pytest.fixture
def site(transactional_db):
    country = make_country(name="Kazakhstan", iso_code="KZ", slug="kazakhstan", state=PUBLISHED)
    place = make_place(name="Astana", country=country)
    summit = make_summit(place=place, state=PUBLISHED)
    meeting = make_meeting(
        title="Talks in Astana",
        slug="talks-in-astana",
        place=place,
        country=country,
        summit=summit,
        state=PUBLISHED,
    )
    make_participation(meeting=meeting, official=make_official(state=PUBLISHED), country=country)
    make_initiative(state=PUBLISHED)


@pytest.fixture
def context(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(5000)
    yield context
    context.close()


def test_the_switcher_takes_a_reader_to_the_same_list_in_russian(context):
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto("/meetings/?country=kazakhstan")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    page.wait_for_url("**/ru/meetings/?country=kazakhstan")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Talks in Astana" in page.content()
    cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "ru"
    # And back: the switcher on the Russian page is named in Russian.
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/meetings/\?country=kazakhstan$"))
    assert page.locator("html").get_attribute("lang") == "en-gb"


@pytest.mark.parametrize("language", ["ru", "zh-hans"])
def test_every_page_reads_in_the_language_and_fits_a_phone(context, language):
    page = context.new_page()
    sentences = interface_sentences()
    for path in PAGES:
        response = page.goto(f"/{language}{path}")
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        assert page.locator("html").get_attribute("lang") == language
        text = page.locator("body").inner_text()
        left = [sentence for sentence in sentences if sentence in text]
        assert left == [], f"{path}: {left}"
        wide = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"{path} scrolls sideways by {wide}px at 390px"
