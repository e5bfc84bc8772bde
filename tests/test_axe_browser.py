"""An automated accessibility audit: axe-core (pinned in package-lock.json, installed by
`make install` with `npm ci`) run in Chromium on the public pages a reader meets, in the three
languages. No page may have a serious or critical violation."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

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
