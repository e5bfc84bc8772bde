"""An editor reads a batch of news items in Chromium and creates, with one click, a person the
reader found but the records lack; the item's draft opens read again with them."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Official, State
from tests.test_article_create import JAPAROV, KATHMANDU
from tests.test_browser import DESKTOP

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server, transactional_db):
    call_command("load_sco_data", "--without-record", stdout=io.StringIO())
    User.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(20000)
    page = context.new_page()
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    yield page
    context.close()


def test_an_editor_creates_a_person_from_the_batch_list_in_one_click(page):
    page.goto(reverse("admin:meetings_meeting_from_articles"))
    page.locator("textarea[name=items]").fill(f"{JAPAROV}\n---\n{KATHMANDU}")
    page.get_by_role("button", name="Read the articles").click()
    expect(page.get_by_text("2 drafts to review")).to_be_visible()

    page.get_by_role("button", name="Create as a draft official").click()

    expect(page.get_by_text("“Akylbek Japarov” was created as a draft official.")).to_be_visible()
    expect(page.get_by_text("Participant: Akylbek Japarov")).to_be_visible()
    expect(page.get_by_role("button", name="Create as a draft official")).to_have_count(0)
    assert Official.objects.get(name="Akylbek Japarov").state == State.DRAFT
