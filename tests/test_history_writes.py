"""Every way the site writes a record leaves a history row: counted here, path by path."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from datasets.loading.records import fingerprint, read
from datasets.loading.sco import MEETING
from editorial.services import merge_officials
from initiatives.models import Initiative
from meetings.models import (
    Meeting,
    Official,
    OfficialName,
    Participation,
    Source,
    State,
)
from meetings.models.base import History
from tests.admin_forms import admin_url, form_data, logged_in, model_id
from tests.factories import (
    PUBLISHABLE,
    make_official,
    make_official_name,
    make_source,
    make_staff,
    with_source,
)
from tests.test_article import FROM_ARTICLE, TDI, draft_post_data

# The admin actions that write, each counted below; an action that only reads goes in READ_ONLY.
COUNTED_ACTIONS = {"publish", "unpublish", "delete_selected"}
READ_ONLY_ACTIONS = {"export_admin_action"}


def history_rows():
    """How many history rows there are, of every model that keeps a history."""
    return sum(model.history.count() for model in History.tracking)


@pytest.fixture
def publisher(db):
    return logged_in(make_staff("Publishers"))


def test_an_admin_add_change_and_delete_leave_one_row_each(publisher):
    add = publisher.get(admin_url(Meeting, "add"))
    fields = {"title": "Talks in Astana", "slug": "talks-in-astana", "kind": "bilateral"}
    day = {"start_date": "2022-06-04", "end_date": "2022-06-04"}
    publisher.post(admin_url(Meeting, "add"), form_data(add, **fields, **day))
    meeting = Meeting.objects.get(slug="talks-in-astana")
    assert [row.history_type for row in meeting.history.all()] == ["+"]

    url = admin_url(Meeting, "change", meeting.pk)
    publisher.post(url, form_data(publisher.get(url), title="Talks in Nur-Sultan"))
    assert [row.history_type for row in meeting.history.order_by("history_date")] == ["+", "~"]

    before = history_rows()
    publisher.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert [row.history_type for row in meeting.history.order_by("history_date")] == [
        "+",
        "~",
        "-",
    ]
    assert history_rows() == before + 1


def test_every_admin_action_that_writes_is_counted_here():
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("meetings", "initiatives"):
            actions = set(model_admin.get_actions(request))
            assert actions <= COUNTED_ACTIONS | READ_ONLY_ACTIONS, (model, actions)


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_id)
@pytest.mark.parametrize(
    "action, state, after",
    [
        ("publish", State.DRAFT, State.PUBLISHED),
        ("unpublish", State.PUBLISHED, State.DRAFT),
    ],
)
def test_publishing_actions_leave_a_row_for_every_record(publisher, model, action, state, after):
    records = [with_source(PUBLISHABLE[model](state=state)) for _ in range(3)]
    before = {record.pk: record.history.count() for record in records}

    publisher.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records]},
    )

    for record in records:
        record.refresh_from_db()
        assert record.state == after
        assert record.history.count() == before[record.pk] + 1
        latest = record.history.latest()
        assert (latest.history_type, latest.state) == ("~", after)
        assert latest.history_user.groups.get().name == "Publishers"


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_id)
def test_the_delete_action_leaves_a_row_for_every_record(publisher, model):
    records = [PUBLISHABLE[model]() for _ in range(3)]
    before = history_rows()

    publisher.post(
        admin_url(model, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [record.pk for record in records],
            "post": "yes",
        },
    )

    assert not model.objects.filter(pk__in=[record.pk for record in records]).exists()
    for record in records:
        assert record.history.latest().history_type == "-"
    assert history_rows() == before + 3


def test_making_a_duplicate_another_spelling_leaves_a_row_for_each_change(db):
    official = make_official(name="Rashid Alimov")
    duplicate = make_official(name="R. Alimov", sources=[make_source()])
    make_official_name(official=duplicate, name="Alimov Rashid")
    duplicate_id = duplicate.pk
    before = history_rows()

    merge_officials(duplicate, official)

    names = OfficialName.history.filter(official_id=official.pk, history_type="+")
    assert sorted(names.values_list("name", flat=True)) == ["Alimov Rashid", "R. Alimov"]
    assert Official.history.filter(id=duplicate_id).latest().history_type == "-"
    assert OfficialName.history.filter(official_id=duplicate_id).latest().history_type == "-"
    latest = official.history.latest()
    assert [link.source_id for link in latest.sources.all()] == [
        source.pk for source in official.sources.all()
    ]
    # Two new spellings, the official's new source, the duplicate and its own spelling.
    assert history_rows() == before + 5


def test_a_meeting_drafted_from_an_article_arrives_with_its_history(admin_client, sco_data):
    url = "https://example.org/sco/2022/06/04/secretary-general-in-nur-sultan"
    reading = admin_client.post(reverse(FROM_ARTICLE), {"text": TDI, "url": url, "action": "read"})

    admin_client.post(
        reverse(FROM_ARTICLE), draft_post_data(reading, text=TDI, url=url, action="save")
    )

    meeting = Meeting.objects.get(sources__url=url)
    rows = meeting.history.order_by("history_date")
    assert rows.first().history_type == "+"
    assert rows.first().history_change_reason == "Drafted from an article"
    latest = rows.last()
    assert latest.history_user.username == "admin"
    assert latest.topics.count() == meeting.topics.count() == 5
    assert [link.source.url for link in latest.sources.all()] == [url]
    participations = Participation.objects.filter(meeting=meeting)
    assert participations.count() == 2
    for participation in participations:
        assert [row.history_type for row in participation.history.all()] == ["+"]
    assert Source.history.get(url=url).history_type == "+"
    for initiative in Initiative.objects.filter(meetings=meeting):
        links = initiative.history.latest().meetings.all()
        assert meeting.pk in {link.meeting_id for link in links}


def load():
    call_command("load_sco_data", "--without-record", stdout=StringIO())


def test_loading_the_bundled_data_again_writes_nothing_and_so_no_rows(sco_data):
    before = history_rows()

    load()

    assert history_rows() == before


def test_a_record_the_loader_refreshes_gets_a_row(sco_data):
    meeting = Meeting.objects.filter(data_key__isnull=False).order_by("pk").first()
    title = meeting.title
    # As if an earlier load had brought another title: the stored fingerprint matches it.
    Meeting.objects.filter(pk=meeting.pk).update(title="An earlier title")
    earlier = Meeting.objects.get(pk=meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(
        data_fingerprint=fingerprint(read(earlier, MEETING), MEETING)
    )
    before = meeting.history.count()

    load()

    meeting.refresh_from_db()
    assert meeting.title == title
    assert meeting.history.count() == before + 1
    latest = meeting.history.latest()
    assert (latest.history_type, latest.title, latest.history_user) == ("~", title, None)
