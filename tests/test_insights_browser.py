"""The insight pages in a real Chromium: charts render, their marks lead to the records, the
keyboard reaches them, and a phone needs no sideways scrolling.

The browser, the live server with the bundled data and the helpers are those of the journeys
in test_browser.py.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from tests import test_browser as journeys

pytestmark = pytest.mark.browser

# The fixtures of the journeys, under the same names.
sco_data = journeys.sco_data
page = journeys.page
problems = journeys.problems

MEETING = reverse("meetings:meeting_detail", kwargs={"slug": journeys.MEETING_SLUG})
PAIR = reverse("insights:pair", kwargs={"a": "kz", "b": "sco-secretariat"})
ON_THE_DAY = reverse("insights:on_date", kwargs={"day": "2022-06-04"})
TIMELINE_2022 = reverse("insights:timeline") + "?from=2022&to=2022"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The live server shares this process's cache; each test loads the data afresh.
    cache.clear()
    yield
    cache.clear()


def insight_pages():
    return [
        reverse("insights:timeline"),
        TIMELINE_2022,
        reverse("insights:relations"),
        PAIR,
        ON_THE_DAY,
        reverse("insights:outcomes"),
        reverse("insights:numbers"),
        reverse("meetings:official_detail", kwargs={"slug": "zhang-ming"}),
        reverse("meetings:summit_detail", kwargs={"slug": "chs-2015-ufa"}),
    ]


def test_the_timeline_draws_marks_that_lead_to_their_records(page, problems):
    page.goto(reverse("insights:timeline"))
    chart = page.locator("svg.chart-timeline")
    expect(chart).to_be_visible()
    assert chart.locator("a.mark-link").count() > 100  # Summits and milestones since 1996.
    assert chart.locator("rect.mark-rough").count() > 0  # Documents known to the month.

    page.get_by_role("link", name="Zoom in").click()
    expect(page.locator(".zoom-current")).not_to_have_text("1996–2026")
    page.goto(TIMELINE_2022)
    meeting = page.locator(f'svg.chart-timeline a.mark-link[href="{MEETING}"]')
    expect(meeting).to_have_count(1)
    meeting.click()
    expect(page).to_have_url(re.compile(f"{MEETING}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zhang Ming meets")
    assert problems.found == []


def test_a_reader_goes_from_the_matrix_to_a_pair_a_meeting_and_its_day(page, problems):
    page.goto(reverse("insights:relations"))
    page.get_by_role("link", name="Kazakhstan and SCO Secretariat: 1 meeting").first.click()
    expect(page).to_have_url(re.compile(f"{PAIR}$"))
    bars = page.locator("svg.chart rect.bar")
    expect(bars).to_have_count(1)
    expect(bars.first.locator("title")).to_have_text("2022: 1 meeting (Meetings)")

    meetings = page.get_by_role("region", name="Meetings")
    meetings.get_by_role("link", name=re.compile("Zhang Ming meets")).click()
    expect(page).to_have_url(re.compile(f"{MEETING}$"))
    page.get_by_role("link", name="Members, chair and summits on 4 June 2022").click()
    expect(page).to_have_url(re.compile(f"{ON_THE_DAY}$"))
    members = page.get_by_role("region", name="Member states (8)")
    expect(members.get_by_role("link")).to_have_count(8)
    expect(page.locator(".facts")).to_contain_text("Zhang Ming")
    assert problems.found == []


def test_the_numbers_and_the_network_render_with_their_tables(page, problems):
    page.goto(reverse("insights:numbers"))
    charts = page.locator("figure svg.chart")
    expect(charts).to_have_count(5)
    assert page.locator("figure svg.chart rect.bar").count() > 30
    sessions = page.get_by_role("region", name="Council sessions per year, by council")
    sessions.get_by_text("The table behind the chart").click()
    expect(sessions.locator("table")).to_be_visible()
    csv_link = sessions.get_by_role("link", name="Download the table as CSV")
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.ok and response.text().startswith("Year,Council of Heads of State")

    page.goto(reverse("meetings:official_detail", kwargs={"slug": "zhang-ming"}))
    network = page.locator("svg.chart-network")
    expect(network).to_be_visible()
    expect(network.locator("circle.node")).to_have_count(2)
    network.locator('a[href="/officials/akan-rakhmetullin/"] circle').click()
    expect(page).to_have_url(re.compile("/officials/akan-rakhmetullin/$"))
    assert problems.found == []


def test_a_keyboard_user_opens_a_timeline_mark_and_a_matrix_cell(page):
    page.goto(TIMELINE_2022)
    journeys.tab_until(page, f'a.mark-link[href="{MEETING}"]', limit=80)
    journeys.assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{MEETING}$"))

    page.goto(reverse("insights:relations"))
    journeys.tab_until(page, f'.matrix a[href="{PAIR}"]', limit=80)
    journeys.assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{PAIR}$"))


def test_a_keyboard_user_moves_between_days(page):
    page.goto(ON_THE_DAY)
    journeys.tab_until(page, "a[rel=next]", limit=30)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/on/2022-06-05/$"))

    day = page.get_by_label("Another day")
    day.fill("2022-09-15")
    day.press("Enter")
    expect(page).to_have_url(re.compile("/on/2022-09-15/$"))
    expect(page.locator(".facts")).to_contain_text("Uzbekistan")


def test_insight_pages_fit_a_phone_screen_without_sideways_scrolling(page):
    page.set_viewport_size(journeys.PHONE)
    too_wide = {}
    for path in insight_pages():
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


def test_insight_pages_load_without_console_errors_or_failed_requests(page, problems):
    for path in insight_pages():
        page.goto(path, wait_until="networkidle")
        expect(page.locator("main h1")).to_be_visible()
    assert problems.found == []
