"""The read-only JSON API under /api/: the bundled data, filters, errors, schema and limits."""

import datetime
import re
import string

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from initiatives.models import Initiative
from meetings.models import Country, Meeting, Official, State, Summit
from tests.factories import (
    make_attestation,
    make_country,
    make_country_status,
    make_disagreement,
    make_initiative,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
    make_place_name,
    make_position,
    make_source,
    make_status_change,
    make_summit,
    make_topic,
)

PUBLISHED = State.PUBLISHED
NUR_SULTAN = "2022-06-04-zhang-ming-meets-akan-rakhmetullin"
ENDPOINTS = ["meetings", "summits", "initiatives", "officials", "countries"]


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    # A test module makes more requests a minute than a visitor may; the throttling test sets
    # its own rate.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    cache.clear()


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def slugs(data):
    return [row["slug"] for row in data["results"]]


# Lists and records of the bundled data.


def test_the_root_links_every_endpoint(client, db):
    data = get_json(client, "/api/")
    assert data == {name: f"http://testserver/api/{name}/" for name in ENDPOINTS}


@pytest.mark.parametrize(
    "endpoint, model",
    [
        ("meetings", Meeting),
        ("summits", Summit),
        ("initiatives", Initiative),
        ("officials", Official),
    ],
)
def test_a_list_holds_every_published_record(client, sco_data, endpoint, model):
    published = model.objects.published()
    data = get_json(client, f"/api/{endpoint}/?per_page=100")
    assert data["count"] == published.count() > 0
    assert set(slugs(data)) == set(published.values_list("slug", flat=True))
    first = data["results"][0]
    assert first["url"] == f"http://testserver/api/{endpoint}/{first['slug']}/"
    assert first["html_url"] == f"http://testserver/{endpoint}/{first['slug']}/"


def test_the_countries_list_holds_those_with_a_status_today(client, sco_data):
    data = get_json(client, "/api/countries/?per_page=100")
    rows = {row["slug"]: row for row in data["results"]}
    assert rows["kz"]["status"] == "founding_member"
    assert rows["in"]["status"] == "member"
    assert data["count"] == len(rows) == 27


def test_a_meeting_has_its_participants_place_topics_summit_and_sources(client, sco_data):
    meeting = get_json(client, f"/api/meetings/{NUR_SULTAN}/")
    assert meeting["start_date"] == "2022-06-04" and meeting["dates"] == "4 June 2022"
    assert meeting["html_url"] == f"http://testserver/meetings/{NUR_SULTAN}/"
    place = meeting["place"]
    assert (place["name"], place["name_then"]) == ("Astana", "Nur-Sultan")
    assert place["display"] == "Nur-Sultan (now Astana)"
    assert place["country"]["slug"] == meeting["country"]["slug"] == "kz"
    assert meeting["country"]["url"] == "http://testserver/api/countries/kz/"
    participants = {row["slug"]: row for row in meeting["participants"]}
    assert participants["zhang-ming"]["name"] == "Zhang Ming"
    assert participants["zhang-ming"]["url"] == "http://testserver/api/officials/zhang-ming/"
    akan = participants["akan-rakhmetullin"]
    assert akan["capacity"] == "First Deputy Minister of Foreign Affairs of Kazakhstan"
    assert akan["country"]["slug"] == "kz"
    assert meeting["summit"]["slug"] == "chs-2022-samarkand"
    assert meeting["summit"]["url"] == "http://testserver/api/summits/chs-2022-samarkand/"
    assert meeting["summit_relation"] == "preparations for the next SCO summit"
    assert meeting["topics"]
    publishers = [source["publisher"] for source in meeting["sources"]]
    assert "The Diplomatic Insight" in publishers


def test_the_links_lead_to_the_related_records(client, sco_data):
    meeting = get_json(client, f"/api/meetings/{NUR_SULTAN}/")
    official = get_json(client, meeting["participants"][0]["url"])
    assert official["slug"] == meeting["participants"][0]["slug"]
    assert client.get(official["html_url"]).status_code == 200
    summit = get_json(client, meeting["summit"]["url"])
    assert NUR_SULTAN in [row["slug"] for row in summit["meetings"]]
    attended = get_json(client, official["meetings_url"])
    assert NUR_SULTAN in slugs(attended)


def test_a_summit_has_its_place_countries_and_adopted_initiatives(client, sco_data):
    summit = get_json(client, "/api/summits/chs-2022-samarkand/")
    assert summit["title"] == "22nd Council of Heads of State"
    assert summit["council"] == "heads_of_state" and summit["number"] == 22
    assert (summit["start_date"], summit["end_date"]) == ("2022-09-15", "2022-09-16")
    assert summit["place"]["name"] == "Samarkand"
    assert summit["host_country"]["slug"] == "uz"
    adopted = Initiative.objects.published().filter(adopted_at__slug="chs-2022-samarkand")
    assert {row["slug"] for row in summit["initiatives"]} == {i.slug for i in adopted}
    assert summit["meetings_url"] == "http://testserver/api/meetings/?summit=chs-2022-samarkand"


def test_an_initiative_has_its_status_history_proposers_summit_and_period(client, sco_data):
    initiative = Initiative.objects.published().for_detail().filter(adopted_at__isnull=False)
    initiative = initiative.exclude(status_changes=None).first()
    data = get_json(client, f"/api/initiatives/{initiative.slug}/")
    assert data["title"] == initiative.title
    assert data["current_status"] == initiative.current_status
    history = [(row["status"], row["date"]) for row in data["status_history"]]
    assert history == [(c.status, c.date.isoformat()) for c in initiative.status_changes.all()]
    assert data["adopted_at"]["slug"] == initiative.adopted_at.slug
    assert data["period"] == initiative.period_display
    assert [row["slug"] for row in data["proposed_by"]] == [
        country.slug for country in initiative.proposed_by.all()
    ]
    assert isinstance(data["disagreements"], list)


def test_an_official_has_names_positions_terms_and_attestations(client, sco_data):
    official = get_json(client, "/api/officials/zhang-ming/")
    assert official["name"] == "Zhang Ming"
    assert "张明" in [row["name"] for row in official["names"]]
    assert official["nationality"]["slug"] == "cn"
    secretary = official["positions"][0]
    assert secretary["post"]["slug"] == "sco-secretary-general"
    assert secretary["post"]["organization"]["short_name"] == "SCO Secretariat"
    assert secretary["start_date"] == "2022-01-01"
    assert secretary["term"] == "1 January 2022 – 31 December 2024"
    assert "2022-06-04" in [row["date"] for row in secretary["attestations"]]


def test_a_country_has_its_status_history(client, sco_data):
    india = get_json(client, "/api/countries/in/")
    assert india["iso_code"] == "IN" and india["status"] == "member"
    history = [row["status"] for row in india["status_history"]]
    assert history == ["observer", "member"]
    assert india["status_history"][1]["since"] == "2017-06-09"
    assert india["meetings_url"] == "http://testserver/api/meetings/?country=in"


def test_a_country_without_a_status_today_has_a_record_but_no_place_in_the_list(client, db):
    make_country(iso_code="QB", slug="qb", name="Nowhere", state=PUBLISHED)
    assert get_json(client, "/api/countries/qb/")["status"] is None
    assert "qb" not in slugs(get_json(client, "/api/countries/?per_page=100"))


# Filters: the same FilterSets as the pages.


def test_country_and_year_give_the_4_june_2022_meeting(client, sco_data):
    data = get_json(client, "/api/meetings/?country=kz&year=2022")
    assert slugs(data) == [NUR_SULTAN]
    assert get_json(client, "/api/meetings/?country=kz&year=2023")["count"] == 0


def test_repeating_a_parameter_means_or(client, sco_data):
    china = Country.objects.get(slug="cn")
    make_meeting(slug="beijing-2023", start_date=datetime.date(2023, 5, 10), country=china,
                 state=PUBLISHED)  # fmt: skip
    assert slugs(get_json(client, "/api/meetings/?country=cn")) == ["beijing-2023"]
    both = get_json(client, "/api/meetings/?country=kz&country=cn")
    assert slugs(both) == ["beijing-2023", NUR_SULTAN]


@pytest.mark.parametrize(
    "endpoint, query",
    [
        ("meetings", "country=kz&year=2022"),
        ("meetings", "official=zhang-ming&ordering=date"),
        ("meetings", "q=Rakhmetullin"),
        ("summits", "council=heads_of_government"),
        ("summits", "country=kz&country=cn&ordering=date"),
        ("summits", "year=2022&year=2019"),
        ("summits", "format=virtual"),
        ("initiatives", "status=adopted&ordering=title"),
        ("initiatives", "kind=agreement&kind=programme"),
        ("initiatives", "active_in=2019"),
        ("initiatives", "adopted_at=chs-2022-samarkand"),
        ("officials", "country=kz"),
        ("officials", "organization=sco-secretariat&current=1"),
        ("officials", "q=zhang"),
        ("countries", "status=member"),
        ("countries", "as_of=2010-01-01"),
        ("countries", "status=observer&status=dialogue_partner&as_of=2020-06-01"),
    ],
)
def test_filters_give_the_rows_of_the_page(client, sco_data, endpoint, query):
    page = client.get(f"/{endpoint}/?{query}&per_page=100")
    assert page.status_code == 200
    expected = [row.slug for row in page.context["rows"]]
    data = get_json(client, f"/api/{endpoint}/?{query}&per_page=100")
    assert slugs(data) == expected
    assert data["count"] == len(expected)


def test_a_summits_format_is_a_filter_not_a_renderer(client, sco_data):
    data = get_json(client, "/api/summits/?format=virtual")
    assert data["count"] > 0
    assert {row["format"] for row in data["results"]} == {"virtual"}


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/meetings/?country=xx", "country"),
        ("/api/meetings/?year=abc", "year"),
        ("/api/meetings/?year=99999999999999999999", "year"),
        ("/api/meetings/?date_after=2022-13-45", "date"),
        ("/api/meetings/?kind=summit", "kind"),
        ("/api/meetings/?month=2022-13", "month"),
        ("/api/meetings/?ordering=password", "ordering"),
        ("/api/meetings/?official=%3Cscript%3E", "official"),
        ("/api/meetings/?q=%00", "q"),
        ("/api/meetings/?country=k%00z", "country"),
        ("/api/meetings/?q=" + "x" * 201, "q"),
        ("/api/summits/?council=pope", "council"),
        ("/api/summits/?format=telepathy", "format"),
        ("/api/initiatives/?active_in=abc", "active_in"),
        ("/api/initiatives/?active_in=0", "active_in"),
        ("/api/initiatives/?status=forgotten", "status"),
        ("/api/officials/?current=maybe", "current"),
        ("/api/officials/?position=%00", "position"),
        ("/api/countries/?as_of=yesterday", "as_of"),
        ("/api/countries/?status=enemy", "status"),
        ("/api/meetings/?per_page=abc", "per_page"),
        ("/api/meetings/?per_page=0", "per_page"),
        ("/api/summits/?per_page=-1", "per_page"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_fields_errors(client, sco_data, url, field):
    errors = get_json(client, url, status=400)
    assert list(errors) == [field]
    assert errors[field] and all(isinstance(message, str) for message in errors[field])


def test_the_error_message_is_the_pages_own(client, sco_data):
    errors = get_json(client, "/api/countries/?as_of=yesterday", status=400)
    assert errors == {
        "as_of": ["'yesterday' is not a date: write it as YYYY-MM-DD, e.g. 2020-01-01."]
    }


def test_filters_do_not_change_a_records_address(client, sco_data):
    assert get_json(client, f"/api/meetings/{NUR_SULTAN}/?year=1999&country=xx")["slug"]
    assert get_json(client, "/api/countries/kz/?as_of=1990-01-01")["slug"] == "kz"


# Pagination, as on the site.


def test_pages_of_20_rows_keep_the_filters(client, sco_data):
    data = get_json(client, "/api/initiatives/?status=adopted")
    assert len(data["results"]) == 20 and data["count"] > 20
    assert data["next"] == "http://testserver/api/initiatives/?page=2&status=adopted"
    second = get_json(client, data["next"])
    assert not set(slugs(second)) & set(slugs(data))


def test_per_page_is_capped_at_100(client, sco_data):
    for _ in range(101 - Initiative.objects.published().count()):
        make_initiative(state=PUBLISHED)
    data = get_json(client, "/api/initiatives/?per_page=100000")
    assert len(data["results"]) == 100 and data["count"] == 101


@pytest.mark.parametrize("query", ["page=999", "page=0", "page=abc", "page=last"])
def test_a_page_that_does_not_exist_is_a_404_with_a_message(client, sco_data, query):
    data = get_json(client, f"/api/summits/?{query}", status=404)
    assert data["detail"].startswith("There is no page")


# Drafts and writes.


@pytest.fixture
def drafts(db):
    country = make_country(iso_code="QD", slug="qd", name="Draftland")
    make_country_status(country=country)
    return {
        "meetings": make_meeting(slug="draft-meeting"),
        "summits": make_summit(slug="draft-summit"),
        "initiatives": make_initiative(slug="draft-initiative"),
        "officials": make_official(slug="draft-official"),
        "countries": country,
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_draft_is_a_404_and_absent_from_the_list(client, sco_data, drafts, endpoint):
    draft = drafts[endpoint]
    data = get_json(client, f"/api/{endpoint}/{draft.slug}/", status=404)
    assert data == {"detail": f"No {type(draft).__name__} matches the given query."}
    assert draft.slug not in slugs(get_json(client, f"/api/{endpoint}/?per_page=100"))


def test_a_draft_official_is_not_among_a_meetings_participants(client, db):
    draft = make_official(name="Not Yet Public", slug="not-yet-public")
    meeting = make_meeting(slug="m", state=PUBLISHED)
    make_participation(meeting=meeting, official=draft, capacity="Envoy")
    make_participation(meeting=meeting, official=make_official(state=PUBLISHED, slug="out"))
    (participant,) = get_json(client, "/api/meetings/m/")["participants"]
    assert participant["slug"] == "out"
    assert "Not Yet Public" not in client.get("/api/meetings/").text


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/meetings/", f"/api/meetings/{NUR_SULTAN}/"])
def test_writes_are_not_allowed(client, sco_data, method, url):
    before = Meeting.objects.count()
    response = getattr(client, method)(url, {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert Meeting.objects.count() == before
    assert Meeting.objects.filter(title="Changed").count() == 0


def test_any_other_address_under_api_is_a_json_404(client, db):
    assert get_json(client, "/api/nothing/here/", status=404) == {"detail": "Not found."}
    assert get_json(client, "/api/meetings/a%0Ab/", status=404) == {"detail": "Not found."}


# Throttling.


def test_anonymous_requests_past_the_rate_get_a_429(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    for _ in range(3):
        assert client.get("/api/summits/").status_code == 200
    response = client.get("/api/meetings/")
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


# Schema and docs.


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ serves it (YAML by default), made once for the module."""
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        path for name in ENDPOINTS for path in (f"/api/{name}/", f"/api/{name}/{{slug}}/")
    }
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path


def test_the_schema_is_also_served_as_json(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.json()["info"]["title"] == "SCO Tracker API"


def test_the_schema_lists_the_filters_with_their_types(schema):
    meetings = parameters(schema, "/api/meetings/")
    assert {"q", "date_after", "date_before", "year", "month", "country", "participant_country",
            "official", "kind", "topic", "summit", "initiative", "ordering", "page",
            "per_page"} <= set(meetings)  # fmt: skip
    year = {"type": "integer", "minimum": 1990, "maximum": 2100}
    assert meetings["year"]["schema"]["items"] == year
    assert meetings["country"]["schema"]["type"] == "array"
    assert meetings["country"]["explode"] is True
    assert meetings["country"]["schema"]["items"]["type"] == "string"
    assert meetings["date_after"]["schema"]["format"] == "date"
    assert "bilateral" in meetings["kind"]["schema"]["items"]["enum"]
    assert re.fullmatch(meetings["month"]["schema"]["items"]["pattern"], "2022-06")
    assert meetings["q"]["schema"]["maxLength"] == 200
    assert meetings["per_page"]["schema"] == {"type": "integer", "minimum": 1}
    initiatives = parameters(schema, "/api/initiatives/")
    assert initiatives["active_in"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 9999}
    assert initiatives["ordering"]["schema"]["enum"] == ["-adopted", "adopted", "title"]
    assert parameters(schema, "/api/countries/")["as_of"]["schema"]["format"] == "date"
    assert parameters(schema, "/api/summits/")["format"]["schema"]["items"]["enum"]
    assert set(parameters(schema, "/api/officials/")) == {
        "q", "country", "organization", "position", "current", "page", "per_page",
    }  # fmt: skip


def test_the_schema_documents_the_errors(schema):
    listing = schema["paths"]["/api/meetings/"]["get"]["responses"]
    assert set(listing) == {"200", "400", "404", "429"}
    record = schema["paths"]["/api/meetings/{slug}/"]["get"]["responses"]
    assert set(record) == {"200", "404", "429"}


def test_every_single_valued_parameter_may_be_empty(client, sco_data, schema):
    # allowEmptyValue in the schema: an empty field of a form is no filter, as on the site.
    for name in ENDPOINTS:
        path = f"/api/{name}/"
        for parameter in parameters(schema, path).values():
            if parameter.get("allowEmptyValue"):
                assert client.get(f"{path}?{parameter['name']}=").status_code == 200, parameter


def test_the_docs_are_served_from_this_site(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert not re.search(r"https?://", page)
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert "/api/schema/" in init.content.decode()
    assert not re.search(r"https?://", init.content.decode())
    for asset in re.findall(r'(?:src|href)="/static/([^"?]+)"', page):
        assert finders.find(asset), asset


# Queries: the same number for 1 and for 50 records on each list.


def add_meetings(count, country, topic, official):
    place = make_place(country=country)
    make_place_name(place=place)
    summit = make_summit(state=PUBLISHED)
    for n in range(count):
        meeting = make_meeting(
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            place=place,
            country=country,
            summit=summit,
            topics=[topic],
            sources=[make_source()],
            state=PUBLISHED,
        )
        position = make_position(official=official)
        make_participation(meeting=meeting, official=official, country=country, position=position)
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED))
        make_initiative(meetings=[meeting], state=PUBLISHED)
        make_disagreement(record=meeting)


def add_summits(count, country, topic, official):
    place = make_place(country=country)
    for _ in range(count):
        summit = make_summit(place=place, host_country=country, chair_country=country,
                             sources=[make_source()], state=PUBLISHED)  # fmt: skip
        make_initiative(adopted_at=summit, state=PUBLISHED)
        make_meeting(summit=summit, state=PUBLISHED)
        make_disagreement(record=summit)


def add_initiatives(count, country, topic, official):
    for _ in range(count):
        initiative = make_initiative(
            proposed_by=[country],
            topics=[topic],
            adopted_at=make_summit(state=PUBLISHED),
            meetings=[make_meeting(state=PUBLISHED)],
            sources=[make_source()],
            state=PUBLISHED,
        )
        make_status_change(initiative=initiative, source=make_source())
        make_disagreement(record=initiative)


def add_officials(count, country, topic, official):
    for _ in range(count):
        person = make_official(nationality=country, sources=[make_source()], state=PUBLISHED)
        make_official_name(official=person)
        position = make_position(official=person, sources=[make_source()])
        make_attestation(position=position, source=make_source())


def add_countries(count, country, topic, official):
    taken = set(Country.objects.values_list("iso_code", flat=True))
    codes = [a + b for a in "WY" for b in string.ascii_uppercase if a + b not in taken]
    for code in codes[:count]:
        other = make_country(iso_code=code, name=f"Country {code}", state=PUBLISHED)
        make_country_status(country=other, since=datetime.date(1850, 1, 1),
                            sources=[make_source()])  # fmt: skip


def list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, add",
    [
        # Filter validation; count; page of rows with place, countries and summit; then one
        # prefetch each: participations (official, country, post), topics, sources, place
        # names, published initiatives, disagreements (with their sources).
        ("/api/meetings/?country=qq&per_page=100", add_meetings),
        # Filter validation; count; rows with place and countries; place names, adopted
        # initiatives, sources, disagreements, published meetings.
        ("/api/summits/?country=qq&per_page=100", add_summits),
        # Filter validation; count; rows with their status and summit; proposers, topics,
        # status changes with sources, sources, disagreements, published meetings.
        ("/api/initiatives/?proposed_by=qq&per_page=100", add_initiatives),
        # Filter validation; count; rows with nationality; names, sources, positions (with
        # posts), their sources and attestations (with sources).
        ("/api/officials/?country=qq&per_page=100", add_officials),
        # Count; rows with the status of that day and meeting count; statuses of that day,
        # status histories with their sources.
        ("/api/countries/?as_of=1850-06-01&per_page=100", add_countries),
    ],
)
def test_list_query_count_does_not_grow_with_rows(client, db, url, add):
    country = make_country(iso_code="QQ", slug="qq", state=PUBLISHED)
    topic = make_topic(slug="t")
    official = make_official(state=PUBLISHED)
    add(1, country, topic, official)
    few = list_queries(client, url)
    add(49, country, topic, official)
    many = list_queries(client, url)
    assert few == many
