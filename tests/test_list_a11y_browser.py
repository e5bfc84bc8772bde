"""A list page by keyboard in Chromium: the results come before the facets, a skip link reaches
them, one live region tells the total, the focus ring stands out and the outline reads right."""

import datetime

import pytest

from meetings.models import State
from tests.factories import make_country, make_meeting, make_official, make_participation

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db):
    country = make_country(name="Kazakhstan", iso_code="KZ", slug="kz", state=State.PUBLISHED)
    for n in range(15):
        meeting = make_meeting(
            title=f"Meeting number {n}",
            country=country,
            start_date=datetime.date(2010 + n, 5, 2),
            state=State.PUBLISHED,
        )
        make_participation(meeting=meeting, official=make_official(state=State.PUBLISHED))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800})
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


def contrast(rgb_a, rgb_b):
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css):
    return tuple(int(part) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def test_the_results_come_first_and_a_skip_link_reaches_them_by_keyboard(page):
    page.goto("/meetings/")
    order = page.evaluate(
        """() => {
            const results = document.querySelector('#results');
            const facets = document.querySelector('.facets');
            return results.compareDocumentPosition(facets) & Node.DOCUMENT_POSITION_FOLLOWING;
        }"""
    )
    assert order, "the facets come after the results in the page source"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.closest('#results') !== null")
    assert first, "the next Tab stays in the results"
    # The focus ring: 3:1 or more against the page.
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    assert contrast(rgb(ring), (255, 255, 255)) >= 3


def test_one_live_region_and_the_results_heading_before_the_facets(page):
    page.goto("/meetings/")
    assert page.locator("[role=status], [aria-live]").count() == 1
    headings = page.evaluate(
        "() => [...document.querySelectorAll('main h1, main h2')].map(h => h.textContent.trim())"
    )
    assert headings[0] == "Meetings"
    assert headings[1] == "Results"
    assert headings.index("Results") < headings.index("Held in")
