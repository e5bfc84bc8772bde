"""Meetings by the post or body a participant held on the meeting's day, and a participant's
country taken from that position when the editor leaves it empty."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Organization, State
from tests.factories import (
    make_attestation,
    make_country,
    make_meeting,
    make_official,
    make_organization,
    make_participation,
    make_position,
    make_post,
)
from tests.queries import data_queries

PUBLISHED = State.PUBLISHED


def government(country):
    return make_organization(
        name=f"Government of {country.name}", kind=Organization.Kind.NATIONAL, country=country
    )


@pytest.fixture
def world(db):
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    cn = make_country(iso_code="CN", slug="cn", name="China", state=PUBLISHED)
    secretariat = make_organization(
        name="Secretariat of the SCO", short_name="SCO Secretariat", slug="sco-secretariat"
    )
    kz_government, cn_government = government(kz), government(cn)
    tokayev = make_official(name="Kassym-Jomart Tokayev", slug="tokayev", state=PUBLISHED)
    make_position(
        official=tokayev,
        post=make_post(title="President", organization=kz_government),
        start_date=datetime.date(2019, 3, 20),
    )
    secretary_general = make_official(name="Zhang Ming", slug="zhang-ming", state=PUBLISHED)
    make_position(
        official=secretary_general,
        post=make_post(title="Secretary-General", organization=secretariat),
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    ministers = {}
    for country, org in ((kz, kz_government), (cn, cn_government)):
        minister = make_official(name=f"Foreign Minister of {country.name}", state=PUBLISHED)
        post = make_post(title="Minister of Foreign Affairs", organization=org)
        # Known from one page only: the day a source shows the minister in the post.
        make_attestation(
            position=make_position(official=minister, post=post, start_date=None),
            date=datetime.date(2022, 6, 4),
        )
        ministers[country.slug] = minister
    return {"kz": kz, "tokayev": tokayev, "sg": secretary_general, "ministers": ministers}


def meeting_with(*officials, day=datetime.date(2022, 6, 4), title=None):
    meeting = make_meeting(state=PUBLISHED, start_date=day, **({"title": title} if title else {}))
    for official in officials:
        make_participation(meeting=meeting, official=official)  # no position, no country given
    return meeting


def titles(client, query):
    response = client.get("/meetings/" + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return {row.title for row in response.context["rows"]}


def facet_options(client, query, param):
    page = client.get("/meetings/" + query).content.decode()
    found = re.findall(rf'data-facet="{param}" data-value="([^"]*)">(.*?) <span class="count">'
                       rf"(\d+)</span>", page)  # fmt: skip
    return {label: int(n) for _, label, n in found}


def test_a_participant_counts_for_the_country_of_the_post_held_that_day(client, world):
    meeting = meeting_with(world["tokayev"], title="Tokayev meets Zhang Ming")
    participation = meeting.participations.get()
    assert participation.country == world["kz"]
    assert participation.position.post.title == "President"
    assert titles(client, "?participant_country=kz") == {"Tokayev meets Zhang Ming"}
    assert facet_options(client, "", "participant_country") == {"Kazakhstan": 1}


def test_no_country_is_guessed_outside_the_term_or_for_an_sco_official(client, world):
    before = meeting_with(world["tokayev"], day=datetime.date(2015, 5, 1))
    assert before.participations.get().country is None  # not yet President then
    assert before.participations.get().position is None
    meeting = meeting_with(world["sg"])
    participation = meeting.participations.get()
    assert participation.country is None and participation.position.post.title == (
        "Secretary-General"
    )


def test_a_country_the_editor_gave_is_kept(client, world):
    china = world["ministers"]["cn"].positions.get().post.organization.country
    meeting = make_meeting(state=PUBLISHED, start_date=datetime.date(2022, 6, 4))
    given = make_participation(meeting=meeting, official=world["tokayev"], country=china)
    given.refresh_from_db()
    assert given.country == china


def test_meetings_by_the_post_a_participant_held_that_day(client, world):
    meeting_with(world["sg"], world["ministers"]["kz"], title="SG and Kazakhstan's minister")
    meeting_with(world["sg"], world["tokayev"], title="SG and Tokayev")
    meeting_with(world["ministers"]["cn"], title="China's minister alone")
    meeting_with(world["sg"], day=datetime.date(2021, 6, 4), title="Before the SG's term")
    posts = facet_options(client, "", "post")
    assert posts == {"Secretary-General": 2, "Minister of Foreign Affairs": 2, "President": 1}
    assert titles(client, "?post=Minister+of+Foreign+Affairs") == {
        "SG and Kazakhstan's minister",
        "China's minister alone",
    }
    assert facet_options(client, "", "body")["SCO Secretariat"] == 2
    assert titles(client, "?body=sco-secretariat") == {
        "SG and Kazakhstan's minister",
        "SG and Tokayev",
    }
    # Kazakhstan's officials with the SCO Secretary-General in 2022, without a person's name.
    query = "?participant_country=kz&post=Secretary-General&year=2022"
    assert titles(client, query) == {"SG and Kazakhstan's minister", "SG and Tokayev"}
    page = client.get("/meetings/" + query).content.decode()
    assert "Participant&#x27;s post that day" in page or "Participant's post that day" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("?post=Pope", "There is no post &#x27;Pope&#x27; on record."),
        ("?body=no-such-body", "There is no body &#x27;no-such-body&#x27; on record."),
        ("?post=Secretary%00General", "Null characters are not allowed."),
    ],
)
def test_an_unknown_post_or_body_is_a_400_with_a_message(client, world, query, message):
    response = client.get("/meetings/" + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_list_takes_as_many_queries_for_many_posts(client, world):
    meeting_with(world["sg"], world["tokayev"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/meetings/?year=2022&participant_country=kz").status_code == 200
        return len(data_queries(captured))

    few = queries()
    for n in range(30):
        official = make_official(state=PUBLISHED)
        org = government(make_country(name=f"Country {n}", state=PUBLISHED))
        make_position(official=official, post=make_post(title=f"Post {n}", organization=org))
        meeting_with(official, world["tokayev"], day=datetime.date(2022, 2, 1 + n % 28))
    assert queries() == few
