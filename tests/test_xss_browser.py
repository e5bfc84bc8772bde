"""Records full of XSS payloads, read in Chromium: no dialog opens and the CSP refuses nothing."""

import pytest
from playwright.sync_api import expect

from meetings.models import State
from tests.factories import make_country, make_initiative, make_meeting, make_official
from tests.markup import xss_payloads
from tests.test_browser import DESKTOP
from tests.test_csp_browser import is_csp_violation

pytestmark = pytest.mark.browser


def test_payload_laden_records_open_no_dialog_and_break_no_policy(
    browser, live_server, transactional_db
):
    payloads = xss_payloads()
    text = "\n\n".join(payloads)
    country = make_country(state=State.PUBLISHED, name="Payland", notes=text)
    records = [
        make_meeting(state=State.PUBLISHED, title=payloads[4][:300], summary=text, country=country),
        make_official(state=State.PUBLISHED, name=payloads[12][:200], notes=text),
        make_initiative(state=State.PUBLISHED, title=payloads[2], summary=text, notes=text),
        country,
    ]
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(10000)
    page = context.new_page()
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda message: is_csp_violation(message.text) and violations.append(message.text),
    )
    page.on("pageerror", lambda error: violations.append(f"uncaught error: {error}"))

    for url in [*(record.get_absolute_url() for record in records), "/meetings/", "/search/?q=a"]:
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        page.mouse.move(200, 300)
        page.mouse.move(400, 500)
        page.keyboard.press("Tab")
    context.close()

    assert dialogs == []
    assert violations == []
