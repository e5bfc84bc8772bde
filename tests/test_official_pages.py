"""The public officials list (/officials/) and an official's page (/officials/<slug>/)."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.dates import Precision
from meetings.models import OfficialName, Organization, State
from tests.factories import (
    make_attestation,
    make_country,
    make_meeting,
    make_official,
    make_official_name,
    make_organization,
    make_participation,
    make_place,
    make_position,
    make_post,
    make_source,
    make_staff,
)
from tests.queries import data_queries

pytestmark = pytest.mark.django_db

PUBLISHED = State.PUBLISHED
LIST_URL = reverse("meetings:official_list")


def public(make, **fields):
    return make(state=PUBLISHED, **fields)


def make_tokayev():
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    tokayev = public(
        make_official, name="Kassym-Jomart Tokayev", slug="tokayev", nationality=kazakhstan
    )
    make_official_name(official=tokayev, name="Kassym-Zhomart Tokayev", language="English")
    make_official_name(
        official=tokayev,
        name="Касым-Жомарт Токаев",
        kind=OfficialName.Kind.NATIVE,
        language="Russian",
    )
    president = make_post(
        title="President",
        slug="president-kz",
        organization=make_organization(
            name="Presidency of Kazakhstan",
            slug="presidency-kz",
            kind=Organization.Kind.NATIONAL,
            country=kazakhstan,
        ),
    )
    make_position(official=tokayev, post=president, start_date=datetime.date(2019, 3, 20))
    return tokayev


def rows(response):
    """The official pages linked from the result rows, in order."""
    return re.findall(r'<h3><a href="/officials/([^/]+)/">', response.content.decode())


def facet_count(response, param, value):
    """The count the reader sees beside a facet option, or None when it is not offered."""
    pattern = (
        rf'data-facet="{param}" data-value="{re.escape(value)}">[^<]*<span class="count">(\d+)'
    )
    match = re.search(pattern, response.content.decode())
    return int(match.group(1)) if match else None


# The list


def test_the_list_shows_names_nationality_and_terms(client):
    tokayev = make_tokayev()
    envoy = make_post(title="Special Envoy", slug="envoy")
    make_attestation(
        position=make_position(official=tokayev, post=envoy, start_date=None),
        date=datetime.date(2022, 6, 4),
    )

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert rows(response) == ["tokayev"]
    assert "Kassym-Jomart Tokayev" in response.text
    assert (
        'Also written: <span lang="ru">Касым-Жомарт Токаев</span> · Kassym-Zhomart Tokayev'
        in response.text
    )
    assert "Kazakhstan" in response.text
    assert "President, Presidency of Kazakhstan" in response.text
    assert "since 20 March 2019" in response.text
    assert "(attested 4 June 2022)" in response.text


def test_a_position_with_neither_term_nor_attestation_says_so(client):
    official = public(make_official, name="Bakhtiyor Saidov")
    make_position(official=official, start_date=None)

    response = client.get(LIST_URL)

    assert "(term dates unknown)" in response.text


def test_a_rough_term_is_written_as_roughly_as_it_is_known(client):
    official = public(make_official)
    make_position(
        official=official,
        start_date=datetime.date(2015, 1, 1),
        start_precision=Precision.YEAR,
        end_date=datetime.date(2018, 12, 31),
        end_precision=Precision.YEAR,
    )

    assert "(2015 – 2018)" in client.get(LIST_URL).text


def test_the_list_hides_draft_officials(client):
    public(make_official, name="Zhang Ming", slug="zhang-ming")
    make_official(name="Secret Draft", slug="secret-draft")

    response = client.get(LIST_URL)

    assert rows(response) == ["zhang-ming"]
    assert "Secret Draft" not in response.text


def test_a_draft_nationality_is_not_shown(client):
    official = public(make_official, name="Li Qiang", slug="li-qiang")
    official.nationality = make_country(name="Unpublished Land")
    official.save()

    listed = client.get(LIST_URL)
    page = client.get(official.get_absolute_url())

    assert rows(listed) == ["li-qiang"]
    assert "Unpublished Land" not in listed.text
    assert "Unpublished Land" not in page.text
    assert "<dt>Nationality</dt>\n    <dd>Not recorded</dd>" in page.text


@pytest.mark.parametrize("query", ["Zhomart", "Токаев", "tokayev", "Kassym"])
def test_a_search_finds_an_official_once_under_any_spelling(client, query):
    make_tokayev()
    public(make_official, name="Zhang Ming", slug="zhang-ming")

    response = client.get(LIST_URL, {"q": query})

    assert response.status_code == 200
    assert rows(response) == ["tokayev"]
    assert response.text.count("Kassym-Jomart Tokayev") == 1
    assert "1 result" in response.text
    assert "Zhang Ming" not in response.text


def test_countries_are_alternatives_by_nationality_or_national_post(client):
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    china = public(make_country, iso_code="CN", slug="cn", name="China")
    russia = public(make_country, iso_code="RU", slug="ru", name="Russia")
    public(make_official, name="Murat Nurtleu", slug="nurtleu", nationality=kazakhstan)
    public(make_official, name="Wang Yi", slug="wang-yi", nationality=china)
    public(make_official, name="Sergey Lavrov", slug="lavrov", nationality=russia)
    ambassador = public(make_official, name="Stateless Envoy", slug="envoy")
    make_position(
        official=ambassador,
        post=make_post(
            organization=make_organization(kind=Organization.Kind.NATIONAL, country=china)
        ),
    )

    response = client.get(LIST_URL, {"country": ["kz", "cn"]})

    assert sorted(rows(response)) == ["envoy", "nurtleu", "wang-yi"]
    assert "Sergey Lavrov" not in response.text
    assert response.text.count('aria-label="Remove filter Country: ') == 2


def test_it_filters_by_organisation_and_by_position(client):
    secretariat = make_organization(name="SCO Secretariat", slug="sco-secretariat")
    rats = make_organization(name="RATS Executive Committee", slug="rats")
    general = make_post(
        title="Secretary-General", slug="secretary-general", organization=secretariat
    )
    deputy = make_post(title="Deputy Secretary-General", slug="deputy", organization=secretariat)
    director = make_post(title="Director", slug="rats-director", organization=rats)
    for slug, post in [("zhang", general), ("sokolov", deputy), ("mirzaev", director)]:
        make_position(official=public(make_official, name=slug.title(), slug=slug), post=post)

    by_organisation = client.get(LIST_URL, {"organization": "sco-secretariat"})
    by_post = client.get(LIST_URL, {"position": ["secretary-general", "rats-director"]})

    assert sorted(rows(by_organisation)) == ["sokolov", "zhang"]
    assert sorted(rows(by_post)) == ["mirzaev", "zhang"]


@pytest.mark.parametrize("value", ["1", "true"])
def test_current_keeps_only_officials_in_office_today(client, value):
    today = timezone.localdate()
    year = datetime.timedelta(days=365)
    in_office = public(make_official, name="In Office", slug="in-office")
    make_position(official=in_office, start_date=today - year)
    until_today = public(make_official, name="Until Today", slug="until-today")
    make_position(official=until_today, start_date=today - year, end_date=today)
    retired = public(make_official, name="Retired", slug="retired")
    make_position(official=retired, start_date=today - 2 * year, end_date=today - year)
    attested = public(make_official, name="Attested Only", slug="attested")
    make_attestation(position=make_position(official=attested, start_date=None), date=today)
    future = public(make_official, name="Appointed Later", slug="future")
    make_position(official=future, start_date=today + year)

    response = client.get(LIST_URL, {"current": value})

    assert sorted(rows(response)) == ["in-office", "until-today"]
    assert "Retired" not in response.text
    assert "Attested Only" not in response.text


def test_facets_count_officials_by_nationality_organisation_and_position(client):
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    china = public(make_country, iso_code="CN", slug="cn", name="China")
    secretariat = make_organization(name="SCO Secretariat", short_name="Secretariat", slug="sec")
    general = make_post(title="Secretary-General", slug="sg", organization=secretariat)
    deputy = make_post(title="Deputy", slug="deputy", organization=secretariat)
    for n, (country, post) in enumerate(
        [(kazakhstan, general), (kazakhstan, deputy), (china, deputy)]
    ):
        official = public(make_official, nationality=country)
        make_position(official=official, post=post)
        # A second term in the same post counts the official once.
        make_position(official=official, post=post, start_date=datetime.date(2010 + n, 1, 1))

    response = client.get(LIST_URL)
    narrowed = client.get(LIST_URL, {"country": "kz"})

    assert facet_count(response, "country", "kz") == 2
    assert facet_count(response, "country", "cn") == 1
    assert facet_count(response, "organization", "sec") == 3
    assert facet_count(response, "position", "deputy") == 2
    assert "Deputy, Secretariat" in response.text
    # Other facets count within the active filters; a facet's own options stay open.
    assert facet_count(narrowed, "position", "deputy") == 1
    assert facet_count(narrowed, "country", "cn") == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "atlantis"}, "There is no country &#x27;atlantis&#x27; on record."),
        ({"organization": "nowhere"}, "There is no organisation &#x27;nowhere&#x27; on record."),
        ({"position": "nobody"}, "There is no position &#x27;nobody&#x27; on record."),
        ({"current": "maybe"}, "&#x27;maybe&#x27; is not understood: use 1 (or true)"),
        ({"per_page": "-1"}, "is not a number of rows per page"),
        ({"q": "x" * 10_000}, "Ensure this value has at most 200 characters (it has 10000)."),
    ],
)
def test_bad_filters_are_a_400_that_says_what_is_wrong(client, params, message):
    public(make_official)

    response = client.get(LIST_URL, params)

    assert response.status_code == 400
    assert "These filters could not be read" in response.text
    assert message in response.text


def test_a_draft_country_is_not_a_filter_value(client):
    make_country(iso_code="XD", slug="xd")

    response = client.get(LIST_URL, {"country": "xd"})

    assert response.status_code == 400
    assert "There is no country &#x27;xd&#x27; on record." in response.text


@pytest.mark.parametrize("page", ["abc", "999999", "0"])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    public(make_official)

    assert client.get(LIST_URL, {"page": page}).status_code == 404


def test_markup_in_the_url_is_shown_as_text(client):
    public(make_official)
    attack = "<script>alert(1)</script>"

    searched = client.get(LIST_URL, {"q": attack})
    refused = client.get(LIST_URL, {"country": attack})

    assert searched.status_code == 200
    assert refused.status_code == 400
    for response in (searched, refused):
        assert attack not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_pages_keep_the_filters(client):
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    for n in range(3):
        public(make_official, name=f"Official {n:02d}", nationality=kazakhstan)

    response = client.get(LIST_URL, {"country": "kz", "per_page": "2"})

    assert "3 results, page 1 of 2" in response.text
    assert "?country=kz&amp;per_page=2&amp;page=2" in response.text


def make_listed_officials(count):
    kazakhstan = public(make_country, iso_code="KZ", slug="kz", name="Kazakhstan")
    for _ in range(count):
        official = public(make_official, nationality=kazakhstan)
        make_official_name(official=official)
        make_official_name(official=official, kind=OfficialName.Kind.NATIVE)
        make_position(official=official)
        make_attestation(position=make_position(official=official, start_date=None))


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_takes_the_same_queries_for_few_and_many_officials(client, count):
    make_listed_officials(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"per_page": "100"})

    assert len(rows(response)) == count
    # 1 count for the paginator, 2 the officials with their nationality, 3 their other names,
    # 4 their positions with post and organisation, 5 the positions' attestations,
    # 6 the facets (nationality, organisation, position) in one query.
    assert len(data_queries(queries)) == 6, data_queries(queries)


# An official's page


def make_official_with_record():
    tokayev = make_tokayev()
    tokayev.notes = "Also Chairman of the Senate, 2007–2011 and 2013–2019."
    tokayev.save()
    tokayev.sources.add(make_source(title="Biography", publisher="Akorda"))
    sco = make_organization(name="SCO Secretariat", slug="sco-secretariat")
    envoy = make_post(title="Special Envoy", slug="envoy", organization=sco)
    attested = make_position(official=tokayev, post=envoy, start_date=None)
    make_attestation(
        position=attested,
        date=datetime.date(2022, 6, 4),
        note="as envoy",
        source=make_source(publisher="SCO News"),
    )
    make_position(
        official=tokayev, post=make_post(title="Adviser", slug="adviser"), start_date=None
    )

    xi = public(make_official, name="Xi Jinping", slug="xi")
    putin = public(make_official, name="Vladimir Putin", slug="putin")
    hidden = make_official(name="Unpublished Aide", slug="aide")
    astana = make_place(name="Astana")
    for n, others in enumerate([[xi, putin, hidden], [xi], [putin]]):
        meeting = public(
            make_meeting,
            title=f"Talks {n}",
            slug=f"talks-{n}",
            place=astana,
            start_date=datetime.date(2024, 5, 1 + n),
        )
        for official in [tokayev, *others]:
            make_participation(meeting=meeting, official=official)
    draft = make_meeting(title="Unannounced Talks", slug="unannounced")
    make_participation(meeting=draft, official=tokayev)
    make_participation(meeting=draft, official=xi)
    return tokayev


def test_an_officials_page_shows_every_name_and_the_positions_over_time(client):
    tokayev = make_official_with_record()

    response = client.get(tokayev.get_absolute_url())

    assert response.status_code == 200
    text = response.text
    assert "<h1>Kassym-Jomart Tokayev</h1>" in text
    assert (
        'Kassym-Zhomart Tokayev <span class="note">— Other spelling or transliteration, English'
        in text
    )
    native = '<span lang="ru">Касым-Жомарт Токаев</span> <span class="note">— Native script'
    assert native in text
    assert '<a href="/countries/kz/">Kazakhstan</a>' in text
    assert '<ul class="timeline">' in text
    assert "Since 20 March 2019" in text
    assert 'Attested on <time datetime="2022-06-04">4 June 2022</time> (as envoy)' in text
    assert "SCO News" in text
    assert text.count("Term dates unknown.") == 2
    # The timeline runs in time order: the term of 2019 before the day attested in 2022.
    assert text.index("President, Presidency") < text.index("Special Envoy, SCO Secretariat")
    assert "Also Chairman of the Senate" in text
    assert "Akorda" in text
    assert "Cite this record" in text
    assert f"http://testserver{tokayev.get_absolute_url()}" in text


def test_an_officials_page_lists_published_meetings_and_counterparts(client):
    tokayev = make_official_with_record()

    text = client.get(tokayev.get_absolute_url()).text

    assert "Talks 0" in text and "Talks 1" in text and "Talks 2" in text
    assert "Unannounced Talks" not in text
    assert "Unpublished Aide" not in text
    assert (
        'With <a href="/officials/putin/">Vladimir Putin</a>, <a href="/officials/xi/">Xi' in text
    )
    assert (
        'Xi Jinping</a> <span class="note">— 2 shared meetings</span>' in text
        and 'Vladimir Putin</a> <span class="note">— 2 shared meetings</span>' in text
    )
    assert "<dt>Meetings on record</dt><dd>3</dd>" in text


def test_most_frequent_counterparts_come_first(client):
    official = public(make_official, name="Host", slug="host")
    often = public(make_official, name="Often Met", slug="often")
    once = public(make_official, name="Met Once", slug="once")
    for n in range(3):
        meeting = public(make_meeting)
        make_participation(meeting=meeting, official=official)
        make_participation(meeting=meeting, official=often)
        if n == 0:
            make_participation(meeting=meeting, official=once)

    text = client.get(official.get_absolute_url()).text

    assert 'Often Met</a> <span class="note">— 3 shared meetings' in text
    assert 'Met Once</a> <span class="note">— 1 shared meeting<' in text
    assert text.index("— 3 shared") < text.index("— 1 shared")


def test_a_draft_official_is_a_404_for_visitors_and_a_preview_for_editors(client):
    draft = make_official(name="Draft Person", slug="draft-person")

    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(User.objects.create_user("no-permissions", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(make_staff("Editors"))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview: this record is not public yet." in response.text
    assert "Edit in admin" in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_official_is_a_404(client):
    assert client.get(reverse("meetings:official_detail", args=["nobody"])).status_code == 404


def make_busy_official(count):
    official = public(make_official, slug="busy")
    make_official_name(official=official)
    official.sources.add(make_source())
    place = make_place()
    for _ in range(count):
        position = make_position(official=official, start_date=None)
        position.sources.add(make_source())
        make_attestation(position=position, source=make_source())
        meeting = public(make_meeting, place=place)
        make_participation(meeting=meeting, official=official)
        make_participation(meeting=meeting, official=public(make_official))
    return official


@pytest.mark.parametrize("count", [1, 50])
def test_an_officials_page_takes_the_same_queries_for_few_and_many_records(client, count):
    official = make_busy_official(count)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(official.get_absolute_url())

    assert response.text.count("Attested on") == count
    assert response.text.count('<li class="row">') == count
    # 1 the official with nationality, 2 other names, 3 sources, 4 positions with post and
    # organisation, 5 the positions' sources, 6 attestations with source, 7 the number of
    # meetings, 8 the meetings with place, 9 the places' names, 10 the other participants,
    # 11 their other names (for the reader's language), 12 the most frequent counterparts (one
    # grouped query), 13 their other names, 14 the map's meetings by place, 15 those places.
    assert len(queries) == 15, [q["sql"] for q in queries]
