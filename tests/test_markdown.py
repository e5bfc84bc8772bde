"""Editor-written long text is Markdown: stored without HTML, shown through an allow-list."""

import json
import re

import pytest
from django.utils.html import linebreaks

from initiatives.models import Initiative
from meetings.models import Country, CountryStatus, Meeting, Official, Source, State, Summit, Topic
from meetings.text import render_markdown, strip_html
from tests.factories import make_initiative, make_meeting, make_source, make_topic
from tests.markup import unsafe_markup


def test_saving_strips_html_tags_and_keeps_plain_characters():
    assert strip_html("Talks on <b>trade</b> & security<script>alert(1)</script>") == (
        "Talks on trade & security"
    )
    assert strip_html("1 < 2 and 3 > 2, R&D") == "1 < 2 and 3 > 2, R&D"
    assert strip_html("&lt;script&gt;alert(1)&lt;/script&gt;ok") == "ok"
    assert strip_html("**bold** and [a link](https://example.org)") == (
        "**bold** and [a link](https://example.org)"
    )


def test_markdown_renders_emphasis_lists_and_safe_links():
    html = render_markdown(
        "**Trade** and _energy_\n\n- one\n- two\n\n[SCO](https://eng.sectsco.org)"
    )
    assert "<strong>Trade</strong>" in html
    assert "<em>energy</em>" in html
    assert "<ul>\n<li>one</li>" in html
    assert '<a href="https://eng.sectsco.org" rel="nofollow noopener noreferrer">SCO</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "![x](https://example.org/x.png)",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
    ],
)
def test_markdown_makes_no_script_url_image_or_raw_html(text):
    html = render_markdown(text)
    assert unsafe_markup(html) == []
    assert "<a" not in html and "<img" not in html and "<script" not in html


@pytest.mark.django_db
def test_every_write_through_the_models_strips_html():
    dirty = "Agreed <i>in principle</i> & signed<script>alert(1)</script>"
    meeting = make_meeting(summary=dirty)
    topic = make_topic(description=dirty)
    source = make_source(notes=dirty)
    initiative = make_initiative(summary=dirty, notes=dirty)
    for record, field in [
        (meeting, "summary"),
        (topic, "description"),
        (source, "notes"),
        (initiative, "summary"),
        (initiative, "notes"),
    ]:
        record.refresh_from_db()
        assert getattr(record, field) == "Agreed in principle & signed"


def test_every_long_text_field_is_markdown():
    expected = {
        Meeting: {"summary"},
        Summit: {"outcomes", "notes"},
        Official: {"notes"},
        Country: {"notes"},
        Initiative: {"summary", "notes"},
        Topic: {"description"},
        Source: {"notes"},
        CountryStatus: {"notes"},
    }
    for model, fields in expected.items():
        assert fields <= set(model.markdown_fields), model


@pytest.mark.django_db
def test_a_meeting_page_shows_its_summary_as_markdown(client):
    meeting = make_meeting(
        state=State.PUBLISHED,
        summary="Talks on **energy** & trade.\n\nSee [the SCO](https://eng.sectsco.org).",
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<p>Talks on <strong>energy</strong> &amp; trade.</p>" in page
    assert (
        '<a href="https://eng.sectsco.org" rel="nofollow noopener noreferrer">the SCO</a>' in page
    )


@pytest.mark.django_db
def test_exports_and_the_api_give_the_plain_text(client):
    make_meeting(state=State.PUBLISHED, summary="Oil & gas <b>deals</b>")
    exported = json.loads(b"".join(client.get("/meetings/export.json").streaming_content))
    assert exported[0]["summary"] == "Oil & gas deals"
    api = client.get("/api/meetings/").json()
    assert api["results"][0]["summary"] == "Oil & gas deals"


def plain(html):
    return re.sub(r"\s+", " ", html.replace("<br />", "<br>")).replace("&#x27;", "'").strip()


def test_the_bundled_texts_render_as_plain_paragraphs_as_before(sco_data):
    compared = 0
    for model in (Meeting, Summit, Official, Country, Initiative, Topic, Source, CountryStatus):
        for record in model.objects.all():
            for field in model.markdown_fields:
                text = getattr(record, field)
                if text:
                    assert plain(render_markdown(text)) == plain(linebreaks(text, True)), text
                    compared += 1
    assert compared > 50
