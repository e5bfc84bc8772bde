"""A list page by keyboard in Chromium: the results come before the facets, a skip link reaches
them, one live region tells the total, the focus ring stands out and the outline reads right; at
the demo scale a reader filters and pages by keyboard alone, focus staying where they were."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from meetings.models import Meeting, State
from public.meetings import MeetingFilter
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


# What the live region said after the page had loaded: a screen reader speaks its content each
# time it is put in again.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
new MutationObserver(records => {
    for (const record of records) {
        if (record.target.matches?.('[role=status]') && record.removedNodes.length) {
            window.announced.push(record.target.textContent);
        }
    }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture
def demo_page(browser, live_server, transactional_db):
    """The meetings list at the demo scale: about 3,000 synthetic meetings."""
    call_command("generate_demo_data", meetings=3000, officials=300, summits=50, stdout=StringIO())
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800})
    context.set_default_timeout(10000)
    context.add_init_script(RECORD_ANNOUNCEMENTS)
    page = context.new_page()
    yield page
    context.close()


def tab_until(page, selector, limit, key="Tab"):
    """Press `key` until the focused element matches `selector`; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return presses
    pytest.fail(f"{selector} not reached in {limit} presses of {key}")


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {id: e.id, facet: e.dataset.facet || null, value: e.dataset.value || null,"
        " current: e.getAttribute('aria-current'), text: e.textContent.trim()}; }"
    )


def announced_total(page):
    """The live region's text, once a script has put it in again after the page loaded."""
    page.wait_for_function("() => window.announced.length > 0")
    return page.evaluate("() => window.announced.at(-1)")


def total(page):
    text = page.locator("#results .total[role=status]").inner_text()
    return int(re.match(r"([\d,]+) results?", text).group(1).replace(",", ""))


def result_links(page):
    return page.evaluate("() => [...document.querySelectorAll('.rows h3 a')].map(a => a.pathname)")


def first_option(page, facet):
    option = page.locator(f'a[data-facet="{facet}"]:not([aria-current])').first
    return option.get_attribute("data-value"), int(option.locator(".count").inner_text())


def test_a_keyboard_reader_filters_and_pages_three_thousand_meetings(demo_page):
    page = demo_page
    page.goto("/meetings/")
    assert total(page) > 2500
    # The skip link, then a few Tabs to the first result (past the page links and downloads).
    assert tab_until(page, "a.skip-link[href='#results']", limit=3) == 2
    page.keyboard.press("Enter")
    presses = tab_until(page, ".rows > li:first-child h3 a", limit=8)
    assert presses <= 7  # Next, Last, the four downloads, the first meeting.
    first_result = page.evaluate("() => document.activeElement.pathname")

    # To the filters by the second skip link, then along them to a country.
    page.goto("/meetings/")
    tab_until(page, "a.skip-link[href='#facets']", limit=3)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "facets"
    country, in_country = first_option(page, "country")
    tab_until(page, f'a[data-facet="country"][data-value="{country}"]', limit=40)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"\?country={country}$"))
    # Focus stays on the chosen option, and the live region tells the new count.
    now = focused(page)
    assert (now["facet"], now["value"], now["current"]) == ("country", country, "true")
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
    assert announced_total(page).startswith(f"{in_country:,} results")
    held_there = Meeting.objects.published().filter(country__slug=country)
    assert total(page) == in_country == held_there.count()

    # On along the facets to a post held by a participant, without a person's name typed.
    post, with_post = first_option(page, "post")
    tab_until(page, f'a[data-facet="post"][data-value="{post}"]', limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?country=.+&post=.+$"))
    now = focused(page)
    assert (now["facet"], now["value"], now["current"]) == ("post", post, "true")
    assert announced_total(page).startswith(f"{with_post:,} results")
    assert total(page) == with_post
    chips = page.locator(".active-filters .chip").all_inner_texts()
    assert len(chips) == 2 and any(post in chip for chip in chips)

    # Back to the page links below the results, and on to the next page: focus goes to the
    # results, which say which page this is.
    rows = result_links(page)
    assert len(rows) == 20 and first_result not in rows
    tab_until(page, ".pagination a[rel=next]", limit=120, key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"&page=2$"))
    assert page.evaluate("() => document.activeElement.id") == "results-heading"
    assert ", page 2 of " in announced_total(page)
    next_rows = result_links(page)
    assert next_rows and not set(next_rows) & set(rows)
    assert len(page.locator(".active-filters .chip").all_inner_texts()) == 2


class Keyboard:
    """Keys pressed on a page, counted: `actions` are the presses that choose something."""

    def __init__(self, page):
        self.page, self.keys, self.actions = page, 0, 0

    def press(self, key):
        self.keys += 1
        self.actions += key == "Enter"
        self.page.keyboard.press(key)

    def to_group(self, facet, key="Tab", limit=15):
        """Tab (or Shift+Tab) to the facet's group: one stop per group, whatever its size."""
        for _ in range(limit):
            self.press(key)
            if focused(self.page)["facet"] == facet:
                return
        pytest.fail(f"the {facet} group not reached in {limit} presses of {key}")

    def choose(self, value, letter, limit=40):
        """Within the group, a letter goes to the next option starting with it; Enter chooses it."""
        for _ in range(limit):
            if focused(self.page)["value"] == value:
                break
            self.press(letter)
        else:
            pytest.fail(f"{value} not reached by pressing {letter}")
        self.press("Enter")


def test_a_keyboard_reader_answers_a_question_in_five_actions(demo_page):
    """Meetings of Kazakhstan's officials with the SCO Secretary-General in 2022, without typing
    a name: the skip link, then one choice in each of three facets."""
    page = demo_page
    page.goto("/meetings/")
    keyboard = Keyboard(page)
    for _ in range(3):
        keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches(\"a.skip-link[href='#facets']\")"):
            break
    keyboard.press("Enter")

    keyboard.to_group("participant_country")
    keyboard.choose("kz", "k")
    page.wait_for_url(re.compile(r"\?participant_country=kz$"))
    keyboard.to_group("post")
    keyboard.choose("Secretary-General", "s")
    page.wait_for_url(re.compile(r"&post=Secretary-General$"))
    keyboard.to_group("year", key="Shift+Tab")
    keyboard.choose("2022", "2")
    page.wait_for_url(re.compile(r"&year=2022$"))

    assert keyboard.actions <= 5
    # 39 keys here (33 on the bundled record), where Kazakhstan alone took 53 Tabs before.
    assert keyboard.keys <= 45
    chips = page.locator(".active-filters .chip").all_inner_texts()
    assert len(chips) == 3 and any("Secretary-General" in chip for chip in chips)
    question = QueryDict("participant_country=kz&post=Secretary-General&year=2022")
    answer = MeetingFilter(question, queryset=Meeting.objects.published()).qs
    assert total(page) == answer.count() > 0
    assert set(result_links(page)) <= {m.get_absolute_url() for m in answer}


def test_arrow_keys_move_within_a_facet_and_tab_leaves_it(page):
    page.goto("/meetings/")
    years = page.locator('a[data-facet="year"]')
    assert years.count() == 15
    page.locator('a.skip-link[href="#facets"]').focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "2024"  # the newest year first, the only stop in its group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "2022"
    page.keyboard.press("End")
    assert focused(page)["value"] == "2010"
    page.keyboard.press("Home")
    assert focused(page)["value"] == "2024"
    page.keyboard.press("Tab")
    assert focused(page)["facet"] != "year"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["value"] == "2024"
    assert page.locator(".facet-keys").is_visible()


PHONE = {"width": 390, "height": 844}


def sideways(page):
    """The elements that stick out of a phone's screen, when the page body scrolls sideways."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= document.documentElement.clientWidth
            ? [] : [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .slice(-5).map(e => e.outerHTML.slice(0, 100))"""
    )


def test_the_list_a_meeting_and_its_admin_form_fit_a_phone(page, live_server):
    from editorial.roles import sync_roles
    from tests.factories import make_staff

    page.set_viewport_size(PHONE)
    too_wide = {}
    page.goto("/meetings/?country=kz")
    too_wide["list"] = sideways(page)
    meeting = Meeting.objects.get(title="Meeting number 3")
    page.goto(meeting.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("Meeting number 3")
    too_wide["meeting"] = sideways(page)

    sync_roles()  # The roles, which a flush between committing tests removes.
    editor = make_staff("Editors", password="a phone editor's password")
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("a phone editor's password")
    page.get_by_label("Password").press("Enter")
    page.goto(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert page.locator("input[name=title]").input_value() == "Meeting number 3"
    too_wide["admin change form"] = sideways(page)
    # The participants' table scrolls in its own box, and fits a desktop window whole.
    page.set_viewport_size({"width": 1366, "height": 800})
    too_wide["admin change form at 1,366 px"] = sideways(page)
    participants = page.locator(".inline-group .tabular").first
    assert participants.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert too_wide == {
        "list": [],
        "meeting": [],
        "admin change form": [],
        "admin change form at 1,366 px": [],
    }
