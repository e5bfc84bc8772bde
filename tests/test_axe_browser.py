"""An automated accessibility audit: axe-core (pinned in package-lock.json, installed by
`make install` with `npm ci`) run in Chromium on the public pages a reader meets, in the three
languages, and on an editor's add and change pages of the five kinds. No page may have a serious
or critical violation."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Country, State
from tests.factories import make_meeting

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
MEETING_SLUG = "2022-06-04-zhang-ming-meets-akan-rakhmetullin"


@pytest.fixture
def axe_page(browser, live_server, transactional_db):
    if not AXE.exists():
        pytest.skip(f"needs axe-core in {AXE.parent} (make install runs npm ci)")
    call_command("load_sco_data", "--without-record", stdout=io.StringIO())
    make_meeting(
        title="Test meeting held in Kazakhstan in 2019",
        country=Country.objects.get(slug="kz"),
        start_date=datetime.date(2019, 6, 14),
        state=State.PUBLISHED,
    )
    # The site's Content-Security-Policy forbids the injected script; the audit bypasses it.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(10000)
    page = context.new_page()
    yield page
    context.close()


def serious_violations(page, path):
    """axe-core's serious and critical findings on the page at `path`, one line each."""
    response = page.goto(path)
    assert response.status == 200, path
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [
        f"{path}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_or_critical_axe_violations(axe_page):
    meetings = reverse("meetings:meeting_list")
    paths = [
        reverse("meetings:home"),
        meetings,
        meetings + "?country=kz&year=2022",
        reverse("meetings:meeting_detail", kwargs={"slug": MEETING_SLUG}),
        reverse("meetings:official_detail", kwargs={"slug": "zhang-ming"}),
        reverse("meetings:country_detail", kwargs={"slug": "kz"}),
        reverse("meetings:search") + "?q=Tokayev",
        reverse("meetings:about"),
        "/ru" + meetings,
        "/zh-hans" + meetings + "?country=kz",
    ]
    found = []
    for path in paths:
        found += serious_violations(axe_page, path)
    assert found == []


ADMIN_KINDS = ["meeting", "summit", "official", "country", "initiative"]


def test_the_admin_add_and_change_pages_have_no_serious_or_critical_axe_violations(
    axe_page, live_server
):
    from editorial.roles import sync_roles
    from initiatives.models import Initiative
    from meetings.models import Meeting, Official, Summit
    from tests.factories import make_staff

    sync_roles()  # The roles, which a flush between committing tests removes.
    editor = make_staff("Editors", password="an editor's password")
    axe_page.goto(reverse("admin:login"))
    axe_page.get_by_label("Username").fill(editor.username)
    axe_page.get_by_label("Password").fill("an editor's password")
    axe_page.get_by_label("Password").press("Enter")
    axe_page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    records = {
        "meeting": Meeting.objects.get(slug=MEETING_SLUG),
        "summit": Summit.objects.order_by("pk").first(),
        "official": Official.objects.get(slug="zhang-ming"),
        "country": Country.objects.get(slug="kz"),
        "initiative": Initiative.objects.order_by("pk").first(),
    }
    found = []
    for kind in ADMIN_KINDS:
        app = records[kind]._meta.app_label
        found += serious_violations(axe_page, reverse(f"admin:{app}_{kind}_add"))
        change = reverse(f"admin:{app}_{kind}_change", args=[records[kind].pk])
        found += serious_violations(axe_page, change)
    assert found == []

    # The names a screen reader gives: a participant's fields by their column, an autocomplete
    # box by its label (static/js/admin-labels.js).
    meeting = records["meeting"]
    axe_page.goto(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    rows = meeting.participations.count()
    expect(axe_page.get_by_role("textbox", name=re.compile("^Capacity"))).to_have_count(rows + 1)
    expect(axe_page.get_by_role("combobox", name=re.compile("^Official"))).to_have_count(rows + 1)
    expect(axe_page.get_by_role("combobox", name=re.compile("^Place"))).to_have_count(1)
