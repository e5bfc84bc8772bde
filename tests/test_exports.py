import csv
import datetime
import html
import io
import json
import tracemalloc

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from meetings.models import Council, Meeting, Participation, SCOStatus, State
from public.exports import Context, csv_cell
from public.initiatives import INITIATIVES, initiative_row
from tests.factories import (
    make_attestation,
    make_country,
    make_country_status,
    make_initiative,
    make_meeting,
    make_official,
    make_official_name,
    make_participation,
    make_place,
    make_place_name,
    make_position,
    make_status_change,
    make_summit,
    make_topic,
)

PUBLISHED = State.PUBLISHED
JUNE_4 = datetime.date(2022, 6, 4)

HEADERS = {
    "meetings": [
        "slug", "title", "url", "kind", "start_date", "end_date", "date_precision", "dates",
        "place", "country", "participants", "participant_countries", "topics", "summit",
        "summary",
    ],
    "summits": [
        "slug", "title", "url", "council", "number", "start_date", "end_date", "dates", "format",
        "place", "host_country", "chair_country", "chair", "initiatives_adopted", "outcomes",
    ],
    "initiatives": [
        "slug", "title", "short_name", "url", "kind", "current_status", "adopted_on",
        "adopted_precision", "adopted", "adopted_at", "period_start", "period_start_precision",
        "period_end", "period_end_precision", "period", "proposed_by", "topics", "summary",
    ],
    "officials": [
        "slug", "name", "name_ru", "name_zh", "url", "nationality", "other_names", "positions",
    ],
    "countries": [
        "slug", "name", "name_ru", "name_zh", "native_name", "iso_code", "url", "status",
        "status_since", "as_of", "meeting_count",
    ],
}  # fmt: skip
KINDS = list(HEADERS)


@pytest.fixture
def seed(db):
    """The 4 June 2022 meeting in Nur-Sultan, one in Beijing a year later, and a draft."""
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    cn = make_country(iso_code="CN", slug="cn", name="China", state=PUBLISHED)
    astana = make_place(name="Astana", slug="astana", country=kz)
    make_place_name(place=astana, name="Nur-Sultan", valid_from=datetime.date(2019, 3, 23),
                    valid_until=datetime.date(2022, 9, 19))  # fmt: skip
    zhang = make_official(name="Zhang Ming", slug="zhang-ming", state=PUBLISHED)
    akan = make_official(name="Akan Rakhmetullin", slug="akan-rakhmetullin", state=PUBLISHED)
    security = make_topic(name="Regional security", slug="regional-security")
    samarkand = make_summit(slug="chg-2022-samarkand", number=22, state=PUBLISHED,
                            council=Council.HEADS_OF_GOVERNMENT,
                            start_date=datetime.date(2022, 9, 15),
                            end_date=datetime.date(2022, 9, 16))  # fmt: skip
    nur_sultan = make_meeting(
        title="Zhang Ming meets Akan Rakhmetullin",
        slug="2022-06-04-nur-sultan",
        start_date=JUNE_4,
        place=astana,
        country=kz,
        summit=samarkand,
        topics=[security],
        state=PUBLISHED,
    )
    make_participation(meeting=nur_sultan, official=zhang)
    make_participation(meeting=nur_sultan, official=akan, country=kz)
    beijing = make_meeting(
        title="Zhang Ming receives a delegation",
        slug="2023-05-10-beijing",
        start_date=datetime.date(2023, 5, 10),
        place=make_place(name="Beijing", slug="beijing", country=cn),
        country=cn,
        state=PUBLISHED,
    )
    make_participation(meeting=beijing, official=zhang)
    make_meeting(title="A draft not to be shown", slug="draft", start_date=JUNE_4, country=kz)
    return {"kz": kz, "zhang": zhang}


def read_csv(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def read_json(response):
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


# What a meeting export holds


def test_a_meeting_row_gives_names_with_slugs_and_links(client, seed):
    _, *rows = read_csv(client.get("/meetings/export.csv"))
    row = dict(zip(HEADERS["meetings"], rows[1], strict=True))
    assert row == {
        "slug": "2022-06-04-nur-sultan",
        "title": "Zhang Ming meets Akan Rakhmetullin",
        "url": "http://testserver/meetings/2022-06-04-nur-sultan/",
        "kind": "bilateral",
        "start_date": "2022-06-04",
        "end_date": "2022-06-04",
        "date_precision": "day",
        "dates": "4 June 2022",
        "place": "Nur-Sultan (now Astana)",
        "country": "Kazakhstan (kz)",
        "participants": "Zhang Ming (zhang-ming); Akan Rakhmetullin (akan-rakhmetullin)",
        "participant_countries": "Kazakhstan (kz)",
        "topics": "Regional security (regional-security)",
        "summit": "22nd Council of Heads of Government (chg-2022-samarkand)",
        "summary": "",
    }


def test_json_gives_related_records_as_objects(client, seed):
    record = read_json(client.get("/meetings/export.json?country=kz"))[0]
    assert record["participants"] == [
        {"name": "Zhang Ming", "slug": "zhang-ming"},
        {"name": "Akan Rakhmetullin", "slug": "akan-rakhmetullin"},
    ]
    assert record["country"] == {"name": "Kazakhstan", "slug": "kz"}
    assert record["summit"] == {"name": "22nd Council of Heads of Government",
                                "slug": "chg-2022-samarkand"}  # fmt: skip


def test_filters_and_ordering_apply(client, seed):
    _, *rows = read_csv(client.get("/meetings/export.csv?country=kz"))
    assert [row[0] for row in rows] == ["2022-06-04-nur-sultan"]
    _, *newest_first = read_csv(client.get("/meetings/export.csv"))
    assert [row[0] for row in newest_first] == ["2023-05-10-beijing", "2022-06-04-nur-sultan"]
    _, *oldest_first = read_csv(client.get("/meetings/export.csv?ordering=date&page=2"))
    assert [row[0] for row in oldest_first] == ["2022-06-04-nur-sultan", "2023-05-10-beijing"]
    records = read_json(client.get("/meetings/export.json?official=zhang-ming&ordering=date"))
    assert [record["slug"] for record in records] == [row[0] for row in oldest_first]


def test_an_export_has_every_page_not_only_the_first(client, seed):
    _, *rows = read_csv(client.get("/meetings/export.csv?per_page=1&page=1"))
    assert len(rows) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_matching_gives_an_empty_but_valid_file(client, seed, kind):
    query = {"countries": "as_of=1990-01-01", "initiatives": "q=nothing-like-this",
             "officials": "q=nothing-like-this", "summits": "year=1999",
             "meetings": "year=1999"}[kind]  # fmt: skip
    response = client.get(f"/{kind}/export.csv?{query}")
    assert response.status_code == 200
    assert read_csv(response) == [HEADERS[kind]]
    assert read_json(client.get(f"/{kind}/export.json?{query}")) == []


@pytest.mark.parametrize(
    "url, message",
    [
        ("/meetings/export.csv?country=xx", "Held in: "),
        ("/meetings/export.csv?ordering=password", "Order: "),
        ("/summits/export.csv?council=nope", "There is no council 'nope'"),
        ("/initiatives/export.csv?active_in=abc", "Give a year as a number"),
        ("/officials/export.csv?current=maybe", "'maybe' is not understood"),
        ("/countries/export.csv?as_of=yesterday", "'yesterday' is not a date"),
    ],
)
def test_bad_filters_are_a_400_with_the_message_of_the_page(client, seed, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    page = client.get(url.replace("export.csv", ""))
    assert page.status_code == 400 and message in html.unescape(page.content.decode())


def test_bad_filters_in_json_are_a_json_400(client, seed):
    response = client.get("/summits/export.json?council=nope&year=abc")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 2
    assert errors[0].startswith("Council: There is no council 'nope'")


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_format_is_a_404(client, seed, kind):
    assert client.get(f"/{kind}/export.xlsx").status_code == 404
    assert client.get(f"/{kind}/export.").status_code == 404


def test_a_download_is_an_attachment_with_a_sensible_name(client, seed):
    response = client.get("/meetings/export.csv?country=kz")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="sco-tracker-meetings-')
    assert disposition.endswith('.csv"')
    response = client.get("/initiatives/export.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')


def test_a_formula_is_neutralised_in_csv_and_kept_in_json(client, db):
    formula = '=HYPERLINK("http://example.org","click")'
    make_meeting(title=formula, summary="+1 555 0100", state=PUBLISHED)
    _, row = read_csv(client.get("/meetings/export.csv"))
    assert row[HEADERS["meetings"].index("title")] == "'" + formula
    assert row[HEADERS["meetings"].index("summary")] == "'+1 555 0100"
    (record,) = read_json(client.get("/meetings/export.json"))
    assert record["title"] == formula


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    assert csv_cell(text) == "'" + text
    assert csv_cell([{"name": text, "slug": "s"}]) == f"'{text} (s)"


def test_a_participant_whose_name_starts_a_formula_is_neutralised(client, db):
    meeting = make_meeting(state=PUBLISHED)
    make_participation(meeting=meeting, official=make_official(name="@evil", slug="evil",
                                                               state=PUBLISHED))  # fmt: skip
    _, row = read_csv(client.get("/meetings/export.csv"))
    assert row[HEADERS["meetings"].index("participants")] == "'@evil (evil)"


def test_plain_text_is_left_alone(db):
    assert csv_cell("Zhang Ming") == "Zhang Ming"
    assert csv_cell(None) == ""
    assert csv_cell(22) == "22"
    assert csv_cell([]) == ""


# Drafts


def test_drafts_never_appear(client, seed, admin_client):
    draft_official = make_official(name="Draft Person", slug="draft-person")
    meeting = make_meeting(slug="with-a-draft", state=PUBLISHED,
                           summit=make_summit(slug="draft-summit"))  # fmt: skip
    make_participation(meeting=meeting, official=draft_official)
    make_initiative(slug="draft-initiative")
    for user_client in (client, admin_client):
        records = read_json(user_client.get("/meetings/export.json"))
        assert "draft" not in [record["slug"] for record in records]
        (with_draft,) = [record for record in records if record["slug"] == "with-a-draft"]
        assert with_draft["participants"] == []
        assert with_draft["summit"] is None
        body = b"".join(user_client.get("/meetings/export.csv").streaming_content).decode()
        assert "draft-person" not in body and "draft-summit" not in body
        assert "A draft not to be shown" not in body
        initiatives = read_json(user_client.get("/initiatives/export.json"))
        assert "draft-initiative" not in [record["slug"] for record in initiatives]


# Other kinds


def test_summit_initiative_official_and_country_rows(client, db):
    kz = make_country(iso_code="KZ", slug="kz", name="Kazakhstan", state=PUBLISHED)
    make_country_status(country=kz, status=SCOStatus.FOUNDING_MEMBER,
                        since=datetime.date(2001, 6, 15))  # fmt: skip
    summit = make_summit(slug="cfm-2024-astana", number=24, council=Council.FOREIGN_MINISTERS,
                         host_country=kz, chair_country=kz, state=PUBLISHED,
                         start_date=datetime.date(2024, 7, 3),
                         end_date=datetime.date(2024, 7, 4))  # fmt: skip
    declaration = make_initiative(title="Astana Declaration", slug="astana-declaration",
                                  adopted_at=summit, adopted_on=datetime.date(2024, 7, 4),
                                  proposed_by=[kz], state=PUBLISHED)  # fmt: skip
    make_status_change(initiative=declaration, date=datetime.date(2024, 7, 4))
    official = make_official(name="Zhang Ming", slug="zhang-ming", nationality=kz,
                             state=PUBLISHED)  # fmt: skip
    make_official_name(official=official, name="张明")
    position = make_position(official=official, start_date=None)
    make_attestation(position=position, date=JUNE_4)

    (summit_row,) = read_json(client.get("/summits/export.json"))
    assert summit_row["title"] == "24th Council of Foreign Ministers"
    assert summit_row["dates"] == "3–4 July 2024"
    assert summit_row["host_country"] == {"name": "Kazakhstan", "slug": "kz"}
    assert summit_row["initiatives_adopted"] == [
        {"name": "Astana Declaration", "slug": "astana-declaration"}
    ]

    (initiative_row,) = read_json(client.get("/initiatives/export.json"))
    assert initiative_row["current_status"] == "adopted"
    assert initiative_row["adopted_on"] == "2024-07-04"
    assert initiative_row["adopted_at"] == {
        "name": "24th Council of Foreign Ministers",
        "slug": "cfm-2024-astana",
    }
    assert initiative_row["proposed_by"] == [{"name": "Kazakhstan", "slug": "kz"}]

    _, official_row = read_csv(client.get("/officials/export.csv"))
    official_row = dict(zip(HEADERS["officials"], official_row, strict=True))
    assert official_row["nationality"] == "Kazakhstan (kz)"
    assert official_row["other_names"] == "张明"
    post = position.post
    assert official_row["positions"] == (
        f"{post.title}, {post.organization} ({post.slug}), attested 4 June 2022"
    )

    (country_row,) = read_json(client.get("/countries/export.json?as_of=2020-01-01"))
    assert country_row == {
        "slug": "kz",
        "name": "Kazakhstan",
        "name_ru": "Казахстан",
        "name_zh": "哈萨克斯坦",
        "native_name": "",
        "iso_code": "KZ",
        "url": "http://testserver/countries/kz/",
        "status": "founding_member",
        "status_since": "2001-06-15",
        "as_of": "2020-01-01",
        "meeting_count": 0,
    }


# Streaming and queries


def export_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200 and response.streaming
        body = b"".join(response.streaming_content)
    return len(queries), body


def add_meetings(count):
    country = make_country(state=PUBLISHED)
    place = make_place(country=country)
    topic = make_topic()
    for n in range(count):
        meeting = make_meeting(start_date=JUNE_4 + datetime.timedelta(days=n), place=place,
                               country=country, topics=[topic], state=PUBLISHED,
                               summit=make_summit(state=PUBLISHED))  # fmt: skip
        make_participation(meeting=meeting, official=make_official(state=PUBLISHED),
                           country=country)  # fmt: skip


def add_summits(count):
    country = make_country(state=PUBLISHED)
    for _ in range(count):
        summit = make_summit(place=make_place(country=country), host_country=country,
                             chair_country=country, state=PUBLISHED)  # fmt: skip
        make_initiative(adopted_at=summit, state=PUBLISHED)


def add_initiatives(count):
    for _ in range(count):
        initiative = make_initiative(adopted_at=make_summit(state=PUBLISHED), state=PUBLISHED,
                                     proposed_by=[make_country(state=PUBLISHED)],
                                     topics=[make_topic()])  # fmt: skip
        make_status_change(initiative=initiative)


def test_an_officials_export_writes_each_term_names_and_nationality_as_the_page_does(client, db):
    official = make_official(name="Zhang Ming", nationality=make_country(state=State.DRAFT),
                             state=PUBLISHED)  # fmt: skip
    make_official_name(official=official, name="张明", language="zh-hans", kind="native")
    make_official_name(official=official, name="Chang Ming", language="en", kind="spelling")
    held = make_position(official=official, start_date=datetime.date(2019, 1, 1),
                         start_precision="year", end_date=JUNE_4)  # fmt: skip
    current = make_position(official=official, start_date=datetime.date(2023, 3, 1),
                            start_precision="month")  # fmt: skip
    make_position(official=make_official(state=State.DRAFT))  # not exported

    (row,) = read_json(client.get("/officials/export.json"))

    # A draft nationality is left out, as on the official's page.
    assert (row["name"], row["name_ru"], row["name_zh"], row["nationality"]) == (
        "Zhang Ming",
        None,
        "张明",
        None,
    )
    assert row["other_names"] == ["张明", "Chang Ming"]  # native names first
    assert [(p["slug"], p["term"]) for p in row["positions"]] == [
        (held.post.slug, "2019 – 4 June 2022"),
        (current.post.slug, "since March 2023"),
    ]
    (ru_row,) = read_json(client.get("/ru/officials/export.json"))
    assert ru_row["positions"][1]["term"] not in ("", "since March 2023")


def test_an_initiatives_export_writes_each_period_and_proposer_as_the_page_does(client, db):
    """The rows read as values (public.initiatives.initiative_rows) are the rows of the records
    as the list reads them (initiative_row)."""
    states = {"Uzbekistan": PUBLISHED, "China": PUBLISHED, "Draftland": State.DRAFT}
    countries = [make_country(name=name, state=state) for name, state in states.items()]
    topics = [make_topic(name="Trade"), make_topic(name="Security")]
    summits = [make_summit(state=PUBLISHED), make_summit(state=State.DRAFT), None]
    periods = [
        {"period_start": datetime.date(2019, 7, 8), "period_start_precision": "day",
         "period_end": datetime.date(2019, 7, 12), "period_end_precision": "day"},
        {"period_start": datetime.date(2019, 1, 1), "period_start_precision": "year",
         "period_end": datetime.date(2024, 3, 1), "period_end_precision": "month"},
        {"period_start": datetime.date(2020, 9, 1), "period_start_precision": "season"},
        {"period_end": datetime.date(2025, 1, 1), "period_end_precision": "year"},
        {},
    ]  # fmt: skip
    for n, period in enumerate(periods):
        initiative = make_initiative(
            title=f"Period {n}", state=PUBLISHED, adopted_on=JUNE_4 if n % 2 else None,
            adopted_precision="month",
            adopted_at=summits[n % 3], proposed_by=countries[n % 2 :], topics=topics[n % 2 :],
            **period,
        )  # fmt: skip
        make_status_change(initiative=initiative, date=JUNE_4 + datetime.timedelta(days=n))
    make_initiative(state=State.DRAFT)  # not exported

    rows = read_json(client.get("/initiatives/export.json"))

    request = RequestFactory().get("/initiatives/export.json")
    records = INITIATIVES.filterset(request).qs
    assert rows == [initiative_row(record, Context(request, None)) for record in records]
    rows.sort(key=lambda row: row["title"])
    assert [row["period"] for row in rows] == [
        "8–12 July 2019", "2019 – March 2024", "from fall 2020", "until 2025", "",
    ]  # fmt: skip
    # By name; a draft country left out.
    assert [country["name"] for country in rows[0]["proposed_by"]] == ["China", "Uzbekistan"]
    assert rows[1]["proposed_by"] == [{"name": "China", "slug": countries[1].slug}]
    assert [t["name"] for t in rows[0]["topics"]] == ["Security", "Trade"]
    assert [row["adopted_at"] is not None for row in rows] == [True, False, False, True, False]
    ru_rows = {row["title"]: row for row in read_json(client.get("/ru/initiatives/export.json"))}
    assert ru_rows["Period 1"]["period"] not in ("", "2019 – March 2024")


def add_officials(count):
    for _ in range(count):
        official = make_official(nationality=make_country(state=PUBLISHED), state=PUBLISHED)
        make_official_name(official=official)
        make_attestation(position=make_position(official=official, start_date=None))


def add_countries(count):
    for _ in range(count):
        country = make_country(state=PUBLISHED)
        make_country_status(country=country)
        make_meeting(country=country, state=PUBLISHED)


ADD_ROWS = {
    # Each export: its rows, then one query per prefetch of the chunk.
    "meetings": add_meetings,  # meetings, participations, topics, place names
    "summits": add_summits,  # summits, place names, adopted initiatives
    "initiatives": add_initiatives,  # initiatives, proposing countries, topics
    "officials": add_officials,  # officials, names, positions, attestations
    "countries": add_countries,  # countries with counts, statuses in force
}


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_streams_in_a_number_of_queries_that_does_not_grow_with_rows(client, db, kind):
    ADD_ROWS[kind](1)
    few, body = export_queries(client, f"/{kind}/export.csv")
    assert len(body.splitlines()) == 2
    ADD_ROWS[kind](49)
    many, body = export_queries(client, f"/{kind}/export.csv")
    assert len(body.splitlines()) == 51
    assert few == many
    assert export_queries(client, f"/{kind}/export.json")[0] == many


@pytest.mark.parametrize("kind", KINDS)
def test_a_download_of_more_rows_than_one_file_may_hold_is_refused_up_front(
    client, db, settings, kind
):
    ADD_ROWS[kind](3)
    settings.EXPORT_ROW_LIMIT = 2

    response = client.get(f"/{kind}/export.csv")

    assert response.status_code == 400 and not response.streaming
    message = "This download would hold more than 2 rows, more than one file may"
    assert message in response.content.decode()
    refused = client.get(f"/{kind}/export.json")
    assert refused.status_code == 400
    assert message in refused.json()["errors"][0]


def test_a_download_within_the_budget_streams_every_row_to_the_last(client, db, settings):
    ADD_ROWS["meetings"](5)
    settings.EXPORT_ROW_LIMIT = 5

    rows = read_csv(client.get("/meetings/export.csv?ordering=date"))

    assert len(rows) == 1 + 5
    assert rows[-1][4] == (JUNE_4 + datetime.timedelta(days=4)).isoformat()
    assert len(read_json(client.get("/meetings/export.json"))) == 5


def bulk_meetings(count, officials, place, topic):
    """`count` published meetings of 4 participants and a topic each, inserted in bulk."""
    meetings = Meeting.objects.bulk_create(
        Meeting(title=f"Bulk meeting {n}", slug=f"bulk-{n}", kind=Meeting.Kind.BILATERAL,
                start_date=JUNE_4 + datetime.timedelta(days=n % 3000), state=PUBLISHED,
                end_date=JUNE_4 + datetime.timedelta(days=n % 3000), place=place,
                country=place.country, summary="Talks on cooperation. " * 5)
        for n in range(Meeting.objects.count(), Meeting.objects.count() + count)
    )  # fmt: skip
    Participation.objects.bulk_create(
        Participation(meeting=meeting, official=official, country=place.country)
        for index, meeting in enumerate(meetings)
        for official in (officials[(index + k) % len(officials)] for k in range(4))
    )
    Meeting.topics.through.objects.bulk_create(
        Meeting.topics.through(meeting=meeting, topic=topic) for meeting in meetings
    )


def export_peak_memory(client):
    """The peak of memory allocated while a CSV export of the meetings streams, in bytes."""
    response = client.get("/meetings/export.csv")
    assert response.streaming
    tracemalloc.start()
    try:
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_csv_export_streams_ten_times_the_rows_in_about_the_same_memory(client, db):
    place = make_place(country=make_country(state=PUBLISHED))
    officials = [make_official(state=PUBLISHED) for _ in range(40)]
    topic = make_topic()
    bulk_meetings(500, officials, place, topic)
    client.get("/meetings/export.csv")  # once first, for what is read once per process
    few_rows, few_peak = export_peak_memory(client)
    bulk_meetings(4_500, officials, place, topic)
    many_rows, many_peak = export_peak_memory(client)
    assert (few_rows, many_rows) == (1 + 500, 1 + 5_000)  # the header, then every meeting
    assert many_peak < 1.5 * few_peak, (few_peak, many_peak)


# Links on the list pages


@pytest.mark.parametrize(
    "url, links",
    [
        ("/meetings/?country=kz&page=1", ['href="/meetings/export.csv?country=kz"',
                                          'href="/meetings/export.json?country=kz"',
                                          'href="/meetings.ics?country=kz"',
                                          'href="/meetings/feed/?country=kz"']),
        ("/summits/?ordering=date", ['href="/summits/export.csv?ordering=date"',
                                     'href="/summits/export.json?ordering=date"',
                                     'href="/summits.ics?ordering=date"']),
        ("/initiatives/", ['href="/initiatives/export.csv"', 'href="/initiatives/export.json"',
                           'href="/initiatives/feed/"']),
        ("/officials/?q=zhang", ['href="/officials/export.csv?q=zhang"',
                                 'href="/officials/export.json?q=zhang"']),
        ("/countries/?as_of=2020-01-01", ['href="/countries/export.csv?as_of=2020-01-01"',
                                          'href="/countries/export.json?as_of=2020-01-01"']),
    ],
)  # fmt: skip
def test_every_list_page_links_to_its_downloads_with_its_filters(client, seed, url, links):
    page = client.get(url).content.decode()
    head, body = page.split("</head>")
    for link in links:
        assert link in body
        assert link in head
    assert 'class="downloads"' in body


def test_the_head_announces_each_format(client, seed):
    head = client.get("/meetings/").content.decode().split("</head>")[0]
    for content_type in ("text/csv", "application/json", "text/calendar", "application/atom+xml"):
        assert f'<link rel="alternate" type="{content_type}"' in head


def test_the_downloads_line_says_how_many_results_the_files_hold(client, db, monkeypatch):
    monkeypatch.setattr("public.listing.COUNT_LIMIT", 2)
    make_meeting(state=PUBLISHED)
    make_meeting(state=PUBLISHED)
    assert "Download all 2 results:" in client.get("/meetings/").content.decode()

    make_meeting(state=PUBLISHED)
    page = client.get("/meetings/").content.decode()

    assert "2+ results" in page
    assert "Download every result (2+, all in one file):" in page
    assert "Download all 2 results" not in page
    assert len(read_csv(client.get("/meetings/export.csv"))) == 1 + 3  # the header, every row
    assert (
        "Download the empty list:" in client.get("/meetings/?q=nothing-like-this").content.decode()
    )


# The bundled data: loaded once for the rest of the module, so these tests come last.


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_of_the_bundled_data_has_every_row_of_the_list(client, sco_data, kind):
    total = client.get(f"/{kind}/").context["page"].paginator.count
    assert total > 0
    header, *rows = read_csv(client.get(f"/{kind}/export.csv"))
    assert header == HEADERS[kind]
    assert len(rows) == total
    records = read_json(client.get(f"/{kind}/export.json"))
    assert len(records) == total
    assert list(records[0]) == HEADERS[kind]


def test_a_filtered_export_of_the_bundled_data_matches_the_filtered_list(client, sco_data):
    query = "country=kz&ordering=date"
    page = client.get(f"/summits/?{query}&per_page=100").context["page"]
    header, *rows = read_csv(client.get(f"/summits/export.csv?{query}"))
    assert [row[0] for row in rows] == [summit.slug for summit in page.object_list]


def test_the_bundled_meeting_names_its_participants_with_their_slugs(client, sco_data):
    (record,) = read_json(client.get("/meetings/export.json?official=zhang-ming"))
    assert {"name": "Zhang Ming", "slug": "zhang-ming"} in record["participants"]
    _, row = read_csv(client.get("/meetings/export.csv?official=zhang-ming"))
    participants = row[HEADERS["meetings"].index("participants")]
    assert participants == "Zhang Ming (zhang-ming); Akan Rakhmetullin (akan-rakhmetullin)"
