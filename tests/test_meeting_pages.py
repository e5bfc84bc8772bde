import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from meetings.models import State
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
    make_place_name,
    make_source,
    make_summit,
    make_topic,
)

PUBLISHED = State.PUBLISHED
JUNE_4 = datetime.date(2022, 6, 4)


@pytest.fixture
def seed(db):
    """The 4 June 2022 meeting in Nur-Sultan, and one in Beijing a year later."""
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    cn = make_country(iso_code="CN", slug="cn", name="China", state=PUBLISHED)
    astana = make_place(name="Astana", slug="astana", country=kz)
    make_place_name(
        place=astana,
        name="Nur-Sultan",
        valid_from=datetime.date(2019, 3, 23),
        valid_until=datetime.date(2022, 9, 19),
    )
    beijing = make_place(name="Beijing", slug="beijing", country=cn)
    zhang = make_official(name="Zhang Ming", slug="zhang-ming", state=PUBLISHED)
    akan = make_official(name="Akan Rakhmetullin", slug="akan-rakhmetullin", state=PUBLISHED)
    make_official_name(official=akan, name="Акан Рахметуллин")
    security = make_topic(name="Regional security", slug="regional-security")
    samarkand = make_summit(slug="chs-2022-samarkand", start_date=datetime.date(2022, 9, 15),
                            end_date=datetime.date(2022, 9, 16), state=PUBLISHED)  # fmt: skip
    tdi = make_source(title="", publisher="The Diplomatic Insight", published_on=JUNE_4,
                      url="https://thediplomaticinsight.com/sg-sco-visits-kazakhstan/")  # fmt: skip
    nur_sultan = make_meeting(
        title="Zhang Ming meets Akan Rakhmetullin",
        slug="2022-06-04-nur-sultan",
        start_date=JUNE_4,
        place=astana,
        country=kz,
        summit=samarkand,
        summit_relation="preparations for the next SCO summit",
        topics=[security],
        sources=[tdi],
        state=PUBLISHED,
    )
    make_participation(meeting=nur_sultan, official=zhang, capacity="Secretary-General")
    make_participation(meeting=nur_sultan, official=akan, country=kz,
                       capacity="First Deputy Minister of Foreign Affairs")  # fmt: skip
    beijing_meeting = make_meeting(
        title="Zhang Ming receives a delegation",
        slug="2023-05-10-beijing",
        start_date=datetime.date(2023, 5, 10),
        place=beijing,
        country=cn,
        kind="multilateral",
        state=PUBLISHED,
    )
    make_participation(meeting=beijing_meeting, official=zhang)
    make_participation(meeting=beijing_meeting, official=akan, country=kz)
    make_meeting(title="A draft not to be shown", slug="draft", start_date=JUNE_4, country=kz)
    return {"nur_sultan": nur_sultan, "beijing": beijing_meeting, "zhang": zhang}


def text(response):
    return response.content.decode()


def test_list_shows_published_meetings_newest_first(client, seed):
    page = text(client.get("/meetings/"))
    assert page.index("Zhang Ming receives a delegation") < page.index("Zhang Ming meets Akan")
    assert "A draft not to be shown" not in page
    assert "2 results" in page


def test_filters_combine_and_show_facet_counts(client, seed):
    response = client.get("/meetings/?country=kz&year=2022")
    page = text(response)
    assert "Zhang Ming meets Akan Rakhmetullin" in page
    assert "Zhang Ming receives a delegation" not in page
    # The year facet counts with the country filter only: one 2022 meeting in Kazakhstan.
    years = {f["facet"].param: f["options"] for f in response.context["facets"]}["year"]
    assert [(o.label, o.count, o.selected) for o in years] == [("2022", 1, True)]
    # The country facet counts with the year filter only.
    countries = {f["facet"].param: f["options"] for f in response.context["facets"]}["country"]
    assert [(o.value, o.count) for o in countries] == [("kz", 1)]
    assert "Held in: Kazakhstan" in page  # the active filter, with a link that removes it
    assert 'href="?year=2022"' in page


def test_repeating_a_parameter_means_or(client, seed):
    page = text(client.get("/meetings/?country=kz&country=cn"))
    assert "Zhang Ming meets Akan" in page and "receives a delegation" in page


def test_many_to_many_filters(client, seed):
    assert "2 results" in text(client.get("/meetings/?participant_country=kz"))
    page = text(client.get("/meetings/?topic=regional-security&official=zhang-ming"))
    assert "1 result" in page and "meets Akan" in page
    assert "1 result" in text(client.get("/meetings/?summit=chs-2022-samarkand"))
    assert "1 result" in text(client.get("/meetings/?month=2023-05"))
    assert "1 result" in text(client.get("/meetings/?date_after=2023-01-01"))
    assert "1 result" in text(client.get("/meetings/?date_before=2022-12-31"))


def test_months_are_read_by_their_shape_and_repeat_as_or(client, seed):
    assert "2 results" in text(client.get("/meetings/?month=2022-06&month=2023-05"))
    assert "0 results" in text(client.get("/meetings/?month=1990-01"))


@pytest.mark.parametrize("month", ["2022-13", "2022-6", "1989-12", "2101-01", "June"])
def test_a_month_that_is_not_one_is_a_400_that_says_so(client, seed, month):
    response = client.get("/meetings/", {"month": month})
    assert response.status_code == 400
    assert f"&#x27;{month}&#x27; is not a month: write it as YYYY-MM" in text(response)


def test_search_finds_a_meeting_by_a_participants_other_name(client, seed):
    page = text(client.get("/meetings/?q=Рахметуллин"))
    assert "2 results" in page


def test_search_finds_a_meeting_by_its_places_other_name(client, seed):
    page = text(client.get("/meetings/?q=nur-sultan"))
    assert "1 result" in page
    assert "Zhang Ming meets Akan Rakhmetullin" in page
    assert "Zhang Ming receives a delegation" not in page


@pytest.mark.parametrize("term", ["a", "ov", " ов ", "Zh"])
def test_a_search_of_one_or_two_characters_is_a_400_that_says_so(client, seed, term):
    response = client.get("/meetings/", {"q": term})
    assert response.status_code == 400
    assert "Search needs at least 3 characters (this has" in text(response)
    api = client.get("/api/meetings/", {"q": term})
    assert api.status_code == 400
    assert "Search needs at least 3 characters" in api.content.decode()


def test_a_search_of_three_characters_is_answered(client, seed):
    response = client.get("/meetings/", {"q": "Zha"})
    assert response.status_code == 200
    assert "Zhang Ming meets Akan" in text(response)
    assert client.get("/meetings/", {"q": ""}).status_code == 200


def test_initiative_filter(client, seed):
    initiative = make_initiative(slug="border-agreement", state=PUBLISHED)
    initiative.meetings.add(seed["nur_sultan"])
    page = text(client.get("/meetings/?initiative=border-agreement"))
    assert "1 result" in page and "meets Akan" in page


def test_ordering_oldest_first(client, seed):
    page = text(client.get("/meetings/?ordering=date"))
    assert page.index("Zhang Ming meets Akan") < page.index("receives a delegation")


def test_nothing_matches_is_said_clearly(client, seed):
    response = client.get("/meetings/?year=1999")
    assert response.status_code == 200
    assert "Nothing matches these filters" in text(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ("country=xx", "Held in"),
        ("year=abc", "Year"),
        ("year=99999999999999999999", "Year"),
        ("date_after=2022-13-45", "&#x27;2022-13-45&#x27; is not a date"),
        ("per_page=-1", "not a number of rows per page"),
        ("kind=summit", "Kind"),
        ("month=2022-13", "Month"),
        ("ordering=password", "Order"),
        ("official=%3Cscript%3Ealert(1)%3C/script%3E", "Official"),
    ],
)
def test_bad_filters_get_a_400_with_a_message(client, seed, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    page = text(response)
    assert "These filters could not be read" in page and message in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("query", ["page=abc", "page=999999", "page=0"])
def test_a_page_that_does_not_exist_is_a_404(client, seed, query):
    assert client.get(f"/meetings/?{query}").status_code == 404


def test_per_page_is_capped_and_a_huge_query_is_harmless(client, seed):
    assert client.get("/meetings/?per_page=100000").context["page"].paginator.per_page == 100
    huge = client.get("/meetings/", {"per_page": "9" * 10_000})
    assert huge.context["page"].paginator.per_page == 100
    assert client.get("/meetings/", {"per_page": "\u00b2"}).status_code == 400
    assert client.get("/meetings/", {"per_page": "000"}).status_code == 400
    response = client.get("/meetings/", {"q": "x" * 10_000})
    assert response.status_code in (200, 400)
    response = client.get("/meetings/", {"q": "<b>bold</b>' OR 1=1 --"})
    assert response.status_code == 200
    assert "<b>bold</b>" not in text(response)


def test_detail_tells_the_story(client, seed):
    page = text(client.get("/meetings/2022-06-04-nur-sultan/"))
    assert "4 June 2022" in page
    assert "Nur-Sultan (now Astana)" in page
    assert 'href="/officials/zhang-ming/"' in page
    assert "First Deputy Minister of Foreign Affairs" in page
    assert 'href="/summits/chs-2022-samarkand/"' in page
    assert "preparations for the next SCO summit" in page
    assert "Regional security" in page
    assert "The Diplomatic Insight" in page
    # The Beijing meeting had the same two people.
    assert "Zhang Ming receives a delegation" in page
    assert (
        "Cite this record" in page and "http://testserver/meetings/2022-06-04-nur-sultan/" in page
    )


def test_a_source_without_title_or_publisher_names_its_site_once(client, seed):
    meeting = make_meeting(slug="with-a-bare-source", state=PUBLISHED, start_date=JUNE_4)
    meeting.sources.add(make_source(title="", publisher="", url="https://en.people.cn/n3/1.html"))
    page = text(client.get("/meetings/with-a-bare-source/"))
    sources = page.split('<ol class="sources">', 1)[1].split("</ol>", 1)[0]
    assert strip_tags(sources).split() == ["en.people.cn"]
    assert 'href="https://en.people.cn/n3/1.html"' in sources


def test_a_draft_is_404_for_visitors_and_a_preview_for_staff(client, admin_client, seed):
    assert client.get("/meetings/draft/").status_code == 404
    response = admin_client.get("/meetings/draft/")
    assert response.status_code == 200
    assert "Draft preview" in text(response)
    assert "Edit in admin" in text(response)
    assert client.get("/meetings/no-such-meeting/").status_code == 404


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_meetings(count, country, topic, official):
    place = make_place(country=country)
    for n in range(count):
        meeting = make_meeting(
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            place=place,
            country=country,
            topics=[topic],
            state=PUBLISHED,
        )
        make_participation(meeting=meeting, official=official, country=country)
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED))


@pytest.mark.parametrize("url", ["/meetings/", "/meetings/?country=qq&topic=t&per_page=100"])
def test_list_query_count_does_not_grow_with_rows(client, db, url):
    country = make_country(iso_code="QQ", slug="qq", state=PUBLISHED)
    topic = make_topic(slug="t")
    official = make_official(state=PUBLISHED)
    _add_meetings(1, country, topic, official)
    few = _list_queries(client, url)
    _add_meetings(49, country, topic, official)
    many = _list_queries(client, url)
    # Filter validation, count, page of rows, prefetches (participations with officials and
    # countries, topics, place names), and one grouped query per facet.
    assert few == many


def test_detail_query_count_does_not_grow_with_participants(client, db):
    meeting = make_meeting(slug="big", state=PUBLISHED, place=make_place(), topics=[make_topic()])
    make_participation(meeting=meeting, official=make_official(state=PUBLISHED))
    few = _list_queries(client, "/meetings/big/")
    for _ in range(49):
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED))
        meeting.topics.add(make_topic())
        meeting.sources.add(make_source())
    many = _list_queries(client, "/meetings/big/")
    # Meeting with place and summit; participations with officials, positions and countries;
    # topics; sources; place names; initiatives; other meetings; disagreements.
    assert few == many


def test_home_lists_the_latest_meetings(client, seed):
    page = text(client.get("/"))
    assert "Zhang Ming receives a delegation" in page
    assert "A draft not to be shown" not in page


def test_the_month_facet_links_filter_by_that_month(client, seed):
    response = client.get("/meetings/")
    months = {f["facet"].param: f["options"] for f in response.context["facets"]}["month"]
    assert [(o.label, o.value) for o in months] == [
        ("May 2023", "2023-05"),
        ("June 2022", "2022-06"),
    ]
    followed = client.get(f"/meetings/{months[0].url}")
    assert followed.status_code == 200
    assert "1 result" in followed.content.decode()
