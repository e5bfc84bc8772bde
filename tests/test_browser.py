"""Journeys a person takes through the site, in a real Chromium driven by Playwright.

Each test loads the bundled SCO data as a user would (`manage.py load_sco_data`) into the live
server's database, and reads the pages as a reader sees them.
"""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Country, State
from tests.factories import make_meeting

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
MEETING_SLUG = "2022-06-04-zhang-ming-meets-akan-rakhmetullin"
IN_CHINA_2022 = "Test meeting held in China in 2022"
IN_KAZAKHSTAN_2019 = "Test meeting held in Kazakhstan in 2019"


@pytest.fixture
def sco_data(transactional_db):
    """The bundled data, and two meetings held elsewhere or in another year to filter out."""
    call_command("load_sco_data", "--without-record", stdout=io.StringIO())
    for title, slug, day in [
        (IN_CHINA_2022, "cn", datetime.date(2022, 9, 1)),
        (IN_KAZAKHSTAN_2019, "kz", datetime.date(2019, 6, 14)),
    ]:
        country = Country.objects.get(slug=slug)
        make_meeting(title=title, country=country, start_date=day, state=State.PUBLISHED)


@pytest.fixture
def page(browser, live_server, sco_data):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


class Problems:
    """What a reader does not see but should not happen: console errors, failed requests."""

    def __init__(self, page, origin):
        self.origin = origin
        self.found = []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.found.append(f"uncaught error: {error}"))
        page.on("requestfailed", self.on_request_failed)
        page.on("response", self.on_response)

    def same_origin(self, url):
        return urlsplit(url).netloc == self.origin

    def on_console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.found.append(f"console error on {where}: {message.text}")

    def on_request_failed(self, request):
        # ERR_ABORTED: the browser dropped the request because the page moved on (a favicon
        # still loading when the test follows a link); a missing file is an HTTP error instead.
        if self.same_origin(request.url) and request.failure != "net::ERR_ABORTED":
            self.found.append(f"request failed: {request.url} ({request.failure})")

    def on_response(self, response):
        if self.same_origin(response.url) and response.status >= 400:
            self.found.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def problems(page, live_server):
    return Problems(page, urlsplit(live_server.url).netloc)


def facet_link(page, facet_title, value):
    facet = page.get_by_role("region", name=facet_title, exact=True)
    return facet.locator(f'a[data-value="{value}"]')


def facet_count(page, facet_title, value):
    return int(facet_link(page, facet_title, value).locator(".count").inner_text())


def result_count(page):
    total = page.get_by_role("region", name="Results").locator(".total").first.inner_text()
    return int(re.match(r"(\d+) results?", total).group(1))


def active_chips(page):
    chips = page.get_by_role("region", name="Active filters").locator(".chip")
    return sorted(re.sub(r"\s*×$", "", text.strip()) for text in chips.all_inner_texts())


def tab_until(page, selector, limit):
    """Press Tab until the focused element matches `selector`; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return presses
    pytest.fail(f"{selector} not reached in {limit} presses of Tab")


def assert_focus_visible(page):
    outline = page.evaluate(
        "() => { const style = getComputedStyle(document.activeElement);"
        " return {style: style.outlineStyle, width: style.outlineWidth}; }"
    )
    assert outline["style"] != "none" and outline["width"] != "0px", outline


def test_a_reader_filters_meetings_and_follows_a_participant(page, problems):
    page.goto(reverse("meetings:meeting_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    in_2022 = facet_count(page, "Year", "2022")
    in_kazakhstan = facet_count(page, "Held in", "kz")

    kazakhstan = facet_link(page, "Held in", "kz")
    expect(kazakhstan).to_contain_text("Kazakhstan")
    kazakhstan.click()
    expect(page).to_have_url(re.compile(r"\?country=kz$"))
    assert active_chips(page) == ["Held in: Kazakhstan"]
    assert result_count(page) == in_kazakhstan
    # The meeting in China no longer counts towards 2022.
    in_2022_and_kazakhstan = facet_count(page, "Year", "2022")
    assert in_2022_and_kazakhstan < in_2022

    facet_link(page, "Year", "2022").click()
    expect(page).to_have_url(re.compile(r"\?country=kz&year=2022$"))
    assert active_chips(page) == ["Held in: Kazakhstan", "Year: 2022"]
    assert result_count(page) == in_2022_and_kazakhstan
    assert facet_count(page, "Held in", "kz") < in_kazakhstan
    results = page.get_by_role("region", name="Results")
    expect(results).not_to_contain_text(IN_CHINA_2022)
    expect(results).not_to_contain_text(IN_KAZAKHSTAN_2019)

    results.get_by_role("link", name=re.compile("Zhang Ming meets Kazakhstan")).click()
    expect(page).to_have_url(re.compile(f"/meetings/{MEETING_SLUG}/$"))
    facts = page.locator(".facts")
    expect(facts).to_contain_text("4 June 2022")
    expect(facts).to_contain_text("Nur-Sultan (now Astana)")

    participants = page.get_by_role("region", name="Participants")
    participants.get_by_role("link", name="Zhang Ming", exact=True).click()
    expect(page).to_have_url(re.compile("/officials/zhang-ming/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zhang Ming")
    positions = page.get_by_role("region", name="Positions")
    expect(positions.get_by_role("heading", level=3)).to_have_text(
        "Secretary-General, SCO Secretariat"
    )
    expect(positions.locator(".term")).to_have_text("1 January 2022 – 31 December 2024")
    assert problems.found == []


def search_site_for(page, query):
    """Type `query` in the search box of the page header and send it with Enter."""
    header = page.get_by_role("banner")
    box = header.get_by_role("searchbox", name="Search every record", exact=True)
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))


def assert_on_tokayevs_page(page):
    expect(page).to_have_url(re.compile("/officials/kassym-jomart-tokayev/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kassym-Jomart Tokayev")
    names = page.get_by_role("region", name="Names")
    expect(names).to_contain_text("Kassym-Zhomart Tokayev")
    expect(names).to_contain_text("Касым-Жомарт Токаев")


def test_a_reader_finds_an_official_under_another_spelling(page, problems):
    page.goto(reverse("meetings:home"))
    search_site_for(page, "Kassym-Zhomart")
    officials = page.get_by_role("region", name=re.compile("^Officials"))
    officials.get_by_role("link", name="Kassym-Jomart Tokayev").click()
    assert_on_tokayevs_page(page)

    page.goto(reverse("meetings:official_list"))
    box = page.get_by_label("Search names, in any spelling or script")
    box.fill("Касым-Жомарт")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/officials/\?q="))
    assert result_count(page) == 1
    results = page.get_by_role("region", name="Results")
    results.get_by_role("link", name="Kassym-Jomart Tokayev").click()
    assert_on_tokayevs_page(page)
    assert problems.found == []


def test_site_search_finds_an_official_under_a_spelling_not_on_record(page):
    page.goto(reverse("meetings:home"))
    search_site_for(page, "Tokaev")
    officials = page.get_by_role("region", name=re.compile("^Officials"))
    officials.get_by_role("link", name="Kassym-Jomart Tokayev").click()
    assert_on_tokayevs_page(page)


def test_a_keyboard_user_skips_to_content_and_filters_meetings(page):
    page.goto(reverse("meetings:home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    page.goto(reverse("meetings:home"))
    meetings = 'nav[aria-label="Main"] a[href="{}"]'.format(reverse("meetings:meeting_list"))
    assert tab_until(page, meetings, limit=5) == 3  # Skip link, site name, Meetings.
    expect(page.locator(meetings)).to_have_text("Meetings")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/meetings/$"))

    # The facets follow the results (a page of 20 meetings, each with its links).
    tab_until(page, 'a[data-facet="country"][data-value="kz"]', limit=200)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?country=kz$"))
    assert active_chips(page) == ["Held in: Kazakhstan"]
    expect(facet_link(page, "Held in", "kz")).to_have_attribute("aria-current", "true")


def main_pages():
    return [
        reverse("meetings:home"),
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_detail", kwargs={"slug": MEETING_SLUG}),
        reverse("meetings:official_list"),
        reverse("meetings:country_list"),
        reverse("meetings:summit_list"),
        reverse("initiatives:initiative_list"),
    ]


def test_pages_fit_a_phone_screen_without_sideways_scrolling(page):
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in main_pages():
        page.goto(path)
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide[path] = page.evaluate(
                "() => [...document.body.querySelectorAll('*')]"
                ".filter(e => e.getBoundingClientRect().right > innerWidth)"
                ".slice(0, 5).map(e => e.outerHTML.slice(0, 80))"
            )
    assert too_wide == {}


def test_pages_load_without_console_errors_or_failed_requests(page, problems):
    pages = [
        *main_pages(),
        reverse("meetings:official_detail", kwargs={"slug": "zhang-ming"}),
        reverse("meetings:country_detail", kwargs={"slug": "kz"}),
        reverse("meetings:search") + "?q=Tokayev",
    ]
    for path in pages:
        page.goto(path, wait_until="networkidle")
        expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
        assert page.evaluate("() => document.styleSheets[0].cssRules.length") > 0, path
    assert problems.found == []
