"""The public pages, the API docs and the admin work in Chromium under the site's CSP."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import State
from tests.factories import make_meeting
from tests.test_browser import DESKTOP

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10000)
    page = context.new_page()
    yield page
    context.close()


def is_csp_violation(text):
    # Chromium words them "Refused to load ..." or "Executing inline script violates ...".
    return text.startswith("Refused to") or "Content Security Policy" in text


@pytest.fixture
def violations(page):
    """CSP refusals reported in the console, and uncaught script errors."""
    found = []

    def on_console(message):
        if is_csp_violation(message.text):
            found.append(f"{message.location.get('url')}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"uncaught error: {error}"))
    return found


def test_public_pages_and_api_docs_run_under_the_policy(page, violations):
    meeting = make_meeting(title="Ministers meet in Astana", state=State.PUBLISHED)

    page.goto(reverse("meetings:home"))
    expect(page.locator("h1").first).to_be_visible()

    page.goto(reverse("meetings:meeting_list"))
    expect(page.get_by_role("region", name="Year", exact=True)).to_be_visible()

    page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministers meet in Astana")

    page.goto(reverse("api:docs"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SCO Tracker API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []


def test_the_admin_runs_under_the_policy(page, violations):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    meeting = make_meeting(title="Ministers meet in Astana", state=State.PUBLISHED)

    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(reverse("admin:meetings_meeting_changelist"))
    expect(page.get_by_role("link", name="Ministers meet in Astana")).to_be_visible()

    page.goto(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    expect(page.locator("#id_title")).to_have_value("Ministers meet in Astana")
    assert violations == []
