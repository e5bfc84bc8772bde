import json
import re

import pytest

from meetings.models import State
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_summit,
)

FACTORIES = {
    "meetings": make_meeting,
    "summits": make_summit,
    "initiatives": make_initiative,
    "officials": make_official,
    "countries": make_country,
}
TRICKY = "Talks on {braces}, 100% & $5 #1 under_score \\ back~slash^"


def downloads(client, page):
    """The citation downloads and JSON link a record page offers, by label."""
    found = dict(re.findall(r'<a href="([^"]+)"[^>]*>(BibTeX|RIS|CSL-JSON|JSON)</a>', page))
    return {label: url for url, label in found.items()}


def braces_balance(text):
    depth = 0
    for at, char in enumerate(text):
        if char in "{}" and (at == 0 or text[at - 1] != "\\"):
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


@pytest.mark.parametrize("key", FACTORIES)
def test_every_record_page_offers_its_json_and_citation_files(client, db, key):
    record = FACTORIES[key](state=State.PUBLISHED)
    links = downloads(client, client.get(record.get_absolute_url()).content.decode())
    assert set(links) == {"BibTeX", "RIS", "CSL-JSON", "JSON"}
    data = client.get(links["JSON"]).json()
    assert data["slug"] == record.slug
    for label in ("BibTeX", "RIS", "CSL-JSON"):
        response = client.get(links[label])
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert record.slug in response.content.decode()


def test_ris_has_the_tags_reference_managers_need(client, db):
    meeting = make_meeting(title="Talks in\nAstana", state=State.PUBLISHED)
    ris = client.get(f"/meetings/{meeting.slug}/cite.ris").content.decode()
    lines = ris.split("\r\n")
    tags = [line[:6] for line in lines if line]
    assert tags[0] == "TY  - " and tags[-1] == "ER  - "
    for tag in ("TI", "UR", "DA", "PY", "Y2"):
        assert f"{tag}  - " in tags
    assert "TI  - Talks in Astana, 2 May 2024" in lines  # one line, with the meeting's date
    assert f"UR  - http://testserver/meetings/{meeting.slug}/" in lines
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines if line)


def test_bibtex_escapes_the_title_so_its_braces_balance(client, db):
    meeting = make_meeting(title=TRICKY, state=State.PUBLISHED)
    bib = client.get(f"/meetings/{meeting.slug}/cite.bib").content.decode()
    assert bib.startswith(f"@misc{{sco-tracker-meeting-{meeting.slug},")
    assert braces_balance(bib)
    assert r"\{braces\}" in bib and r"100\%" in bib and r"\&" in bib and r"under\_score" in bib
    assert re.search(r"^  year = \{\d{4}\},$", bib, re.M)
    assert f"url = {{http://testserver/meetings/{meeting.slug}/}}" in bib


def test_csl_json_is_one_webpage_item_with_issued_and_accessed(client, db):
    meeting = make_meeting(title=TRICKY, state=State.PUBLISHED)
    items = json.loads(client.get(f"/meetings/{meeting.slug}/cite.json").content)
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "webpage" and item["title"] == f"{TRICKY}, 2 May 2024"
    assert item["URL"] == f"http://testserver/meetings/{meeting.slug}/"
    for field in ("issued", "accessed"):
        [[year, month, day]] = item[field]["date-parts"]
        assert year > 2000 and 1 <= month <= 12 and 1 <= day <= 31


def test_a_drafts_citation_is_not_found_and_an_unknown_format_is_a_404(client, db):
    draft = make_meeting(state=State.DRAFT)
    assert client.get(f"/meetings/{draft.slug}/cite.ris").status_code == 404
    published = make_meeting(state=State.PUBLISHED)
    response = client.get(f"/meetings/{published.slug}/cite.docx")
    assert response.status_code == 404
    assert "use bib, ris or json" in response.content.decode()
