"""The public initiatives list (/initiatives/) and an initiative's page (/initiatives/<slug>/)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Kind, Status
from meetings.dates import Precision
from meetings.models import Council, State
from tests.factories import (
    make_country,
    make_disagreement,
    make_initiative,
    make_meeting,
    make_place,
    make_source,
    make_staff,
    make_status_change,
    make_summit,
    make_topic,
)
from tests.queries import data_queries

pytestmark = pytest.mark.django_db

PUBLISHED = State.PUBLISHED
LIST_URL = reverse("initiatives:initiative_list")


def public(make, **fields):
    return make(state=PUBLISHED, **fields)


def rows(response):
    """The initiative pages linked from the result rows, in order."""
    return re.findall(r'<h3><a href="/initiatives/([^/]+)/">', response.content.decode())


def facet_count(response, param, value):
    """The count the reader sees beside a facet option, or None when it is not offered."""
    pattern = (
        rf'data-facet="{param}" data-value="{re.escape(value)}">[^<]*<span class="count">(\d+)'
    )
    match = re.search(pattern, response.content.decode())
    return int(match.group(1)) if match else None


def day(text):
    return datetime.date.fromisoformat(text)


def make_initiatives():
    """Four published initiatives and a draft, with statuses, periods, countries and topics."""
    china = public(make_country, iso_code="CN", slug="cn", name="China")
    russia = public(make_country, iso_code="RU", slug="ru", name="Russia")
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    terrorism = make_topic(name="Counter-terrorism", slug="counter-terrorism")
    economy = make_topic(name="Economy", slug="economy")
    astana = public(
        make_summit,
        slug="astana-2024",
        council=Council.HEADS_OF_STATE,
        number=24,
        start_date=day("2024-07-03"),
        end_date=day("2024-07-04"),
    )
    dushanbe = public(make_summit, slug="dushanbe-2019", number=19, start_date=day("2019-06-14"))
    draft_summit = make_summit(slug="draft-summit", number=99, start_date=day("2024-01-10"))

    web = public(
        make_initiative,
        title="Joint border operation 'Web'",
        short_name="Web",
        slug="web-2019",
        kind=Kind.JOINT_OPERATION,
        summary="Member states' border services act together against terrorist crossings.",
        period_start=day("2019-07-08"),
        period_start_precision=Precision.DAY,
        period_end=day("2019-07-12"),
        period_end_precision=Precision.DAY,
        proposed_by=[russia],
        topics=[terrorism],
    )
    make_status_change(initiative=web, status=Status.IN_FORCE, date=day("2019-07-08"))
    make_status_change(initiative=web, status=Status.COMPLETED, date=day("2019-07-12"))

    strategy = public(
        make_initiative,
        title="Development Strategy of the SCO until 2035",
        slug="strategy-2035",
        kind=Kind.STRATEGY,
        adopted_at=astana,
        adopted_on=day("2024-07-04"),
        period_start=day("2025-01-01"),
        period_end=day("2035-12-31"),
        proposed_by=[china, kazakhstan],
        topics=[economy],
    )
    make_status_change(initiative=strategy, status=Status.PROPOSED, date=day("2023-07-04"))
    make_status_change(initiative=strategy, status=Status.ADOPTED, date=day("2024-07-04"))

    programme = public(
        make_initiative,
        title="Programme of cooperation against terrorism",
        slug="programme-2019",
        kind=Kind.PROGRAMME,
        adopted_at=dushanbe,
        adopted_on=day("2019-06-14"),
        period_start=day("2019-01-01"),
        proposed_by=[china],
        topics=[terrorism, economy],
    )
    make_status_change(initiative=programme, status=Status.ADOPTED, date=day("2019-06-14"))
    make_status_change(initiative=programme, status=Status.IN_FORCE, date=day("2020-01-01"))

    statement = public(
        make_initiative,
        title="Statement on energy cooperation",
        slug="energy-statement",
        kind=Kind.STATEMENT,
        adopted_at=draft_summit,
    )

    draft = make_initiative(title="Unpublished convention", slug="draft-convention")
    make_status_change(initiative=draft, status=Status.PROPOSED)
    return {
        "web": web,
        "strategy": strategy,
        "programme": programme,
        "statement": statement,
        "draft": draft,
    }


# The list


def test_the_list_shows_kind_current_status_adoption_period_and_proposers(client):
    make_initiatives()

    response = client.get(LIST_URL)

    assert response.status_code == 200
    text = response.content.decode()
    strategy = text[text.index('href="/initiatives/strategy-2035/"') :]
    strategy = strategy[: strategy.index("</li>")]
    assert "Development Strategy of the SCO until 2035" in strategy
    assert "Strategy" in strategy and "Adopted</span>" in strategy
    assert "4 July 2024" in strategy
    assert 'at <a href="/summits/astana-2024/">24th Council of Heads of State, 2024</a>' in strategy
    assert "covers 2025 – 2035" in strategy
    assert "Proposed by China, Kazakhstan" in strategy
    # The latest change is the current status, not the latest one entered.
    assert '<span class="status">In force</span>' in text
    assert '<span class="status">Completed</span>' in text
    assert "covers 8–12 July 2019" in text


def test_the_list_hides_drafts_and_summits_that_are_drafts(client):
    make_initiatives()

    text = client.get(LIST_URL).content.decode()

    assert "Unpublished convention" not in text
    assert "draft-summit" not in text
    assert "Statement on energy cooperation" in text


def test_the_latest_adopted_come_first_and_those_without_a_date_last_by_title(client):
    make_initiatives()

    assert rows(client.get(LIST_URL)) == [
        "strategy-2035",
        "programme-2019",
        "web-2019",
        "energy-statement",
    ]
    assert rows(client.get(LIST_URL, {"ordering": "adopted"})) == [
        "programme-2019",
        "strategy-2035",
        "web-2019",
        "energy-statement",
    ]
    assert rows(client.get(LIST_URL, {"ordering": "title"})) == [
        "strategy-2035",
        "web-2019",
        "programme-2019",
        "energy-statement",
    ]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "strategy"}, {"strategy-2035"}),
        ({"q": "WEB"}, {"web-2019"}),
        ({"q": "terrorist crossings"}, {"web-2019"}),
        # The current status: the programme was adopted, but is in force now.
        ({"status": "adopted"}, {"strategy-2035"}),
        ({"status": ["in_force", "completed"]}, {"programme-2019", "web-2019"}),
        ({"kind": "strategy"}, {"strategy-2035"}),
        ({"kind": ["strategy", "statement"]}, {"strategy-2035", "energy-statement"}),
        ({"proposed_by": "cn"}, {"strategy-2035", "programme-2019"}),
        ({"proposed_by": ["kz", "ru"]}, {"strategy-2035", "web-2019"}),
        ({"topic": "counter-terrorism"}, {"web-2019", "programme-2019"}),
        (
            {"topic": ["economy", "counter-terrorism"]},
            {"web-2019", "programme-2019", "strategy-2035"},
        ),
        ({"adopted_at": "astana-2024"}, {"strategy-2035"}),
        ({"adopted_at": ["astana-2024", "dushanbe-2019"]}, {"strategy-2035", "programme-2019"}),
        # Different filters must all hold.
        ({"proposed_by": "cn", "topic": "counter-terrorism"}, {"programme-2019"}),
        ({"proposed_by": "cn", "status": "completed"}, set()),
    ],
)
def test_filters_or_within_a_parameter_and_across_parameters(client, params, expected):
    make_initiatives()

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert set(rows(response)) == expected
    if not expected:
        assert "Nothing matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    "year, expected",
    [
        # The operation lasted five days of 2019; the programme runs open-ended from 2019.
        ("2019", {"web-2019", "programme-2019"}),
        ("2020", {"programme-2019"}),
        # The strategy covers 2025-2035, and the open-ended programme still counts.
        ("2030", {"strategy-2035", "programme-2019"}),
        ("2035", {"strategy-2035", "programme-2019"}),
        ("2018", set()),
    ],
)
def test_active_in_keeps_initiatives_whose_period_covers_part_of_the_year(client, year, expected):
    make_initiatives()

    response = client.get(LIST_URL, {"active_in": year})

    # The statement has no period, so it is never listed.
    assert set(rows(response)) == expected


def test_facets_count_by_current_status_kind_country_topic_and_summit(client):
    make_initiatives()

    response = client.get(LIST_URL)

    assert facet_count(response, "status", "in_force") == 1
    assert facet_count(response, "status", "adopted") == 1
    assert facet_count(response, "status", "completed") == 1
    assert facet_count(response, "status", "proposed") is None
    assert facet_count(response, "kind", "strategy") == 1
    assert facet_count(response, "proposed_by", "cn") == 2
    assert facet_count(response, "proposed_by", "ru") == 1
    assert facet_count(response, "topic", "counter-terrorism") == 2
    assert facet_count(response, "adopted_at", "astana-2024") == 1
    assert facet_count(response, "adopted_at", "draft-summit") is None
    text = response.content.decode()
    assert "24th Council of Heads of State (2024) <span" in text
    assert "Current status" in text and "In force <span" in text


def test_facet_counts_take_the_other_filters_into_account(client):
    make_initiatives()

    response = client.get(LIST_URL, {"proposed_by": "cn"})

    assert facet_count(response, "topic", "counter-terrorism") == 1
    assert facet_count(response, "topic", "economy") == 2
    assert facet_count(response, "status", "completed") is None
    assert facet_count(response, "proposed_by", "ru") == 1


@pytest.mark.parametrize(
    "params, message",
    [
        ({"proposed_by": "xx"}, "There is no country &#x27;xx&#x27; on record."),
        ({"topic": "astrology"}, "There is no topic &#x27;astrology&#x27; on record."),
        ({"adopted_at": "atlantis-1999"}, "There is no summit &#x27;atlantis-1999&#x27;"),
        ({"adopted_at": "draft-summit"}, "There is no summit &#x27;draft-summit&#x27;"),
        ({"status": "abandoned"}, "There is no status &#x27;abandoned&#x27;"),
        ({"kind": "poem"}, "There is no kind &#x27;poem&#x27;"),
        ({"active_in": "99999999999999999999"}, "Active in: Give a year from 1 to 9999."),
        ({"active_in": "0"}, "Active in: Give a year from 1 to 9999."),
        ({"active_in": "abc"}, "Active in: Give a year as a number, such as 2019."),
        ({"q": "x" * 10_000}, "Search: Ensure this value has at most 200 characters"),
        ({"ordering": "popularity"}, "Order:"),
        ({"per_page": "-1"}, "is not a number of rows per page"),
    ],
)
def test_bad_filters_are_a_400_that_says_what_is_wrong(client, params, message):
    make_initiatives()

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert "These filters could not be read" in response.content.decode()
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "999999"])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    make_initiatives()

    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_markup_in_the_url_is_shown_as_text(client):
    make_initiatives()

    response = client.get(LIST_URL, {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Nothing matches these filters." in text


def make_listed_initiatives(count):
    china = public(make_country, iso_code="CN", slug="cn", name="China")
    russia = public(make_country, iso_code="RU", slug="ru", name="Russia")
    topic = make_topic()
    summit = public(make_summit, number=24)
    for _ in range(count):
        initiative = public(
            make_initiative,
            adopted_at=summit,
            adopted_on=day("2024-07-04"),
            period_start=day("2025-01-01"),
            proposed_by=[china, russia],
            topics=[topic],
        )
        make_status_change(initiative=initiative, status=Status.PROPOSED, date=day("2023-01-01"))
        make_status_change(initiative=initiative, status=Status.ADOPTED, date=day("2024-07-04"))


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_takes_the_same_queries_for_few_and_many_initiatives(client, count):
    make_listed_initiatives(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"per_page": "100"})

    assert len(rows(response)) == count
    # 1 count for the paginator, 2 the initiatives with current status and adopting summit,
    # 3 their proposing countries, 4 their topics,
    # 5 the facets status, kind, proposing country and topic in one query, 6 the adopting
    # summit facet (its labels have several columns).
    assert len(data_queries(queries)) == 6, data_queries(queries)


# An initiative's page


def make_web_operation():
    """The 'Web' operation, dated differently by a seed article and by the SCO's own report."""
    web = make_initiatives()["web"]
    web.notes = "Conducted by the border services of the member states."
    web.save()
    report = make_source(title="RATS annual report 2019", publisher="SCO RATS")
    seed = make_source(title="SCO border services hold 'Web' operation", publisher="Seed article")
    web.sources.add(report, seed)
    web.status_changes.filter(status=Status.IN_FORCE).update(source=report)
    make_disagreement(
        record=web,
        subject="Dates of the operation",
        accepted_value="8–12 July 2019",
        accepted_source=report,
        other_value="2019–2020",
        other_source=seed,
        note="The SCO's own report gives the exact days.",
    )
    public(make_meeting, title="Border services chiefs meet", start_date=day("2019-06-20"))
    published = public(make_meeting, title="Heads of border services review 'Web'")
    hidden = make_meeting(title="Unpublished border talks")
    web.meetings.add(published, hidden)
    return web


def test_an_initiatives_page_shows_a_dated_status_timeline_with_sources(client):
    web = make_web_operation()

    text = client.get(web.get_absolute_url()).content.decode()

    timeline = text[text.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.index("8 July 2019") < timeline.index("12 July 2019")
    assert "<strong>In force</strong>" in timeline
    assert "<strong>Completed</strong>" in timeline
    assert "SCO RATS</a>" in timeline
    assert "<dt>Current status</dt><dd>Completed</dd>" in text


def test_an_initiatives_page_shows_where_the_sources_disagree_with_both_sources(client):
    web = make_web_operation()

    text = client.get(web.get_absolute_url()).content.decode()

    assert "Where sources disagree" in text
    assert "<strong>Dates of the operation:</strong> shown as <em>8–12 July 2019</em>" in text
    assert "SCO RATS</a>); <a" in text
    assert "Seed article</a> gives <em>2019–2020</em>" in text
    assert "The SCO&#x27;s own report gives the exact days." in text
    assert "RATS annual report 2019" in text
    assert "SCO border services hold &#x27;Web&#x27; operation" in text


def test_an_initiatives_page_shows_period_proposers_topics_meetings_and_notes(client):
    web = make_web_operation()

    text = client.get(web.get_absolute_url()).content.decode()

    assert "<h1>Joint border operation &#x27;Web&#x27;</h1>" in text
    assert "Also known as Web" in text
    assert "<dt>Period covered</dt><dd>8–12 July 2019</dd>" in text
    assert "<dt>Adopted</dt><dd>not confirmed</dd>" in text
    assert '<a href="/countries/ru/">Russia</a>' in text
    assert 'href="/initiatives/?topic=counter-terrorism">Counter-terrorism</a>' in text
    assert "Heads of border services review &#x27;Web&#x27;" in text
    assert "Unpublished border talks" not in text
    assert "Border services chiefs meet" not in text
    assert "Conducted by the border services of the member states." in text
    assert "“Joint border operation &#x27;Web&#x27;”. SCO Tracker." in text


def test_an_initiatives_page_shows_the_summit_and_day_it_was_adopted(client):
    strategy = make_initiatives()["strategy"]

    text = client.get(strategy.get_absolute_url()).content.decode()

    assert '<dt>Adopted</dt><dd><time datetime="2024-07-04">4 July 2024</time></dd>' in text
    assert '<a href="/summits/astana-2024/">24th Council of Heads of State, 2024</a>' in text
    assert "<dt>Period covered</dt><dd>2025 – 2035</dd>" in text


def test_a_summit_that_is_a_draft_is_not_shown_as_where_it_was_adopted(client):
    statement = make_initiatives()["statement"]

    text = client.get(statement.get_absolute_url()).content.decode()

    assert "Adopted at" not in text
    assert "draft-summit" not in text


def test_a_draft_initiative_is_a_404_for_visitors_and_a_preview_for_staff(client):
    draft = make_initiatives()["draft"]

    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(make_staff("Editors"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Draft preview: this record is not public yet." in text
    assert "Edit in admin" in text
    assert "Unpublished convention" in text


def test_an_unknown_initiative_is_a_404(client):
    url = reverse("initiatives:initiative_detail", args=["nothing"])
    assert client.get(url).status_code == 404


def make_busy_initiative(count):
    """An initiative with `count` status changes, countries, topics, meetings, sources and
    disagreements."""
    summit = public(make_summit, number=24)
    initiative = public(make_initiative, adopted_at=summit, adopted_on=day("2024-07-04"))
    for n in range(count):
        code = f"X{chr(ord('A') + n % 26)}" if n < 26 else f"Q{chr(ord('A') + n - 26)}"
        initiative.proposed_by.add(public(make_country, iso_code=code, slug=code.lower()))
        initiative.topics.add(make_topic())
        make_status_change(
            initiative=initiative,
            date=day("2000-01-01") + datetime.timedelta(days=n),
            source=make_source(),
        )
        initiative.meetings.add(public(make_meeting))
        initiative.sources.add(make_source())
        make_disagreement(record=initiative)
    return initiative


@pytest.mark.parametrize("count", [1, 50])
def test_an_initiatives_page_takes_the_same_queries_for_few_and_many_records(client, count):
    initiative = make_busy_initiative(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(initiative.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("/meetings/meeting-") == count
    # 1 the initiative with its current status and adopting summit, 2 its proposing countries,
    # 3 its topics, 4 its status changes, 5 their sources, 6 its sources, 7 its disagreements,
    # 8-9 their accepted and other sources, 10 its published meetings.
    assert len(queries) == 10, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("title", "place", "name"),
    [
        ("Joint communiqué", "Bishkek",
         "Joint communiqué of the Council of Heads of Government, Bishkek 2023"),
        ("Joint communiqué", None, "Joint communiqué of the Council of Heads of Government, 2023"),
        ("Bishkek Declaration", "Bishkek", "Bishkek Declaration, 2023"),
        ("Programme for 2024-2028", "Bishkek", "Programme for 2024-2028"),
    ],
)  # fmt: skip
def test_a_documents_name_tells_it_from_others_of_the_same_title(title, place, name):
    summit = make_summit(
        council=Council.HEADS_OF_GOVERNMENT,
        start_date=datetime.date(2023, 10, 26),
        end_date=datetime.date(2023, 10, 26),
        place=make_place(name=place) if place else None,
    )
    assert make_initiative(title=title, adopted_at=summit).name == name
    assert make_initiative(title=title).name == title
