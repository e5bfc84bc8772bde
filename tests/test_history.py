"""Every change is kept with who made it and when; editors compare and restore versions, and a
record that others refer to cannot be deleted."""

import pytest
from django.utils.html import escape
from django.utils.text import capfirst

from initiatives.models import Initiative, StatusChange
from meetings.models import (
    Country,
    CountryStatus,
    Meeting,
    Official,
    OfficialName,
    Participation,
    Place,
    PlaceName,
    Position,
    Publishable,
    Source,
    State,
    Summit,
    Topic,
)
from tests.admin_forms import admin_url, form_data, logged_in, model_id
from tests.factories import (
    content_models,
    make_country,
    make_disagreement,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_place,
    make_position,
    make_source,
    make_staff,
    make_summit,
    make_topic,
)

CONTENT_MODELS = content_models()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=model_id)
def test_every_model_keeps_its_history_links_included(model):
    history = model.history.model
    fields = {field.name for field in history._meta.fields}

    assert {"history_user", "history_date", "history_type"} <= fields
    assert {field.name for field in model._meta.many_to_many} == {
        field.name for field in history._history_m2m_fields
    }
    if issubclass(model, Publishable):
        assert {"state", "published_by", "version"} <= fields
        assert "search_vector" not in fields


def test_an_admin_save_records_who_when_and_what_in_one_row(editor):
    meeting = make_meeting(title="Talks in Astana", topics=[make_topic()])
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)
    before = meeting.history.count()

    client.post(url, form_data(client.get(url), title="Talks in Nur-Sultan"))

    assert meeting.history.count() == before + 1
    latest = meeting.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", editor)
    delta = latest.diff_against(latest.prev_record)
    assert set(delta.changed_fields) == {"title", "version"}  # the fields editors fill in
    assert [(c.old, c.new) for c in delta.changes if c.field == "title"] == [
        ("Talks in Astana", "Talks in Nur-Sultan")
    ]


def test_a_change_of_links_is_recorded(editor):
    counter_terrorism, trade = make_topic(name="Counter-terrorism"), make_topic(name="Trade")
    meeting = make_meeting(topics=[counter_terrorism])
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)

    client.post(url, form_data(client.get(url), topics=[str(trade.pk)]))

    latest = meeting.history.latest()
    assert latest.history_user == editor
    assert [link.topic for link in latest.topics.all()] == [trade]
    delta = latest.diff_against(meeting.history.earliest())
    assert "topics" in delta.changed_fields


def test_a_link_made_from_the_other_side_is_recorded_on_the_linking_record(db):
    meeting, topic = make_meeting(), make_topic()

    topic.meetings.add(meeting)

    assert [link.topic for link in meeting.history.latest().topics.all()] == [topic]


def test_inline_rows_are_recorded_with_who_changed_them(editor):
    official = make_official()
    meeting = make_meeting()
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)

    client.post(url, form_data(client.get(url), **{"participations-0-official": official.pk}))
    participation = Participation.objects.get()
    client.post(url, form_data(client.get(url), **{"participations-0-DELETE": "on"}))

    rows = Participation.history.filter(id=participation.pk).order_by("history_date")
    assert [(row.history_type, row.history_user) for row in rows] == [
        ("+", editor),
        ("-", editor),
    ]


def test_deleting_a_record_keeps_its_last_version(db):
    publisher = make_staff("Publishers")
    meeting = make_meeting(title="Talks in Astana", state=State.PUBLISHED)

    logged_in(publisher).post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"})

    gone = Meeting.history.filter(id=meeting.pk).latest()
    assert (gone.history_type, gone.history_user, gone.title) == ("-", publisher, "Talks in Astana")


def test_the_history_page_lists_each_version_with_who_and_what(editor):
    meeting = make_meeting(title="Talks in Astana")
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)
    client.post(url, form_data(client.get(url), title="Talks in Nur-Sultan"))

    page = client.get(admin_url(Meeting, "history", meeting.pk))

    content = page.content.decode()
    assert page.status_code == 200
    assert editor.username in content
    assert "Talks in Astana" in content
    assert "Talks in Nur-Sultan" in content
    assert "Compare two versions" in content


def test_two_versions_are_compared_field_by_field(editor):
    meeting = make_meeting(title="Talks in Astana", summary="Regional security.")
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)
    client.post(url, form_data(client.get(url), title="Talks in Nur-Sultan"))
    client.post(url, form_data(client.get(url), summary="Regional security and trade."))
    first, last = meeting.history.earliest(), meeting.history.latest()
    compare = admin_url(Meeting, "history_compare", meeting.pk)

    response = client.get(compare, {"older": last.history_id, "newer": first.history_id})

    assert response.status_code == 200
    rows = {
        change["field"]: (change["old"], change["new"]) for change in response.context["changes"]
    }
    assert rows["Title"] == ("Talks in Astana", "Talks in Nur-Sultan")
    assert rows["Summary"] == ("Regional security.", "Regional security and trade.")
    assert "Regional security and trade." in response.content.decode()
    assert client.get(compare, {"older": first.history_id}).status_code == 404
    other = make_meeting()
    wrong = {"older": first.history_id, "newer": other.history.get().history_id}
    assert client.get(compare, wrong).status_code == 404


def test_a_version_is_restored_and_the_state_stays(editor):
    meeting = make_meeting(title="Talks in Astana")
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)
    client.post(url, form_data(client.get(url), title="Talks in Nur-Sultan"))
    Meeting.objects.get(pk=meeting.pk).save()  # published meanwhile, say, by the loader
    Meeting.objects.filter(pk=meeting.pk).update(state=State.PUBLISHED)
    first = meeting.history.earliest()
    restore_url = admin_url(Meeting, "simple_history", meeting.pk, first.history_id)

    page = client.get(restore_url)
    assert 'name="state"' not in page.content.decode()
    response = client.post(restore_url, form_data(page))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.state, meeting.version) == ("Talks in Astana", "published", 4)
    restored = meeting.history.latest()
    assert (restored.history_user, restored.title) == (editor, "Talks in Astana")


def test_a_restored_version_brings_back_its_links(editor):
    counter_terrorism, trade = make_topic(name="Counter-terrorism"), make_topic(name="Trade")
    meeting = make_meeting(topics=[counter_terrorism])
    tagged = meeting.history.latest()
    url = admin_url(Meeting, "change", meeting.pk)
    client = logged_in(editor)
    client.post(url, form_data(client.get(url), topics=[str(trade.pk)]))
    restore_url = admin_url(Meeting, "simple_history", meeting.pk, tagged.history_id)

    response = client.post(restore_url, form_data(client.get(restore_url)))

    assert response.status_code == 302
    assert list(meeting.topics.all()) == [counter_terrorism]


def test_restoring_over_a_newer_change_is_refused(editor):
    meeting = make_meeting(title="Talks in Astana")
    client = logged_in(editor)
    restore_url = admin_url(Meeting, "simple_history", meeting.pk, meeting.history.get().history_id)
    page = client.get(restore_url)
    other = logged_in(make_staff("Editors"))
    url = admin_url(Meeting, "change", meeting.pk)
    other.post(url, form_data(other.get(url), title="Talks in Nur-Sultan"))

    response = client.post(restore_url, form_data(page))

    assert "Someone else changed this record since you opened it" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Talks in Nur-Sultan"


def referred_to():
    """Pairs of a record and one that refers to it, through a foreign key or a link."""
    country, proposer, summit, adopting = (
        make_country(),
        make_country(),
        make_summit(),
        make_summit(),
    )
    official, position, place = make_official(), make_position(), make_place()
    disputed, cited, topic = make_source(), make_source(), make_topic()
    linked = make_meeting(title="Linked")
    return [
        (country, make_meeting(title="Held there", country=country)),
        (official, make_participation(official=official)),
        (summit, make_meeting(title="Prepared it", summit=summit)),
        (adopting, make_initiative(title="Adopted there", adopted_at=adopting)),
        (disputed, make_disagreement(accepted_source=disputed)),
        (cited, make_meeting(title="Cites it", sources=[cited])),
        (topic, make_meeting(title="Tagged with it", topics=[topic])),
        (linked, make_initiative(title="Links it", meetings=[linked])),
        (proposer, make_initiative(title="Proposed by it", proposed_by=[proposer])),
        (position, make_participation(official=position.official, position=position)),
        (place, make_summit(place=place)),
    ]


def test_a_record_others_refer_to_cannot_be_deleted(db):
    client = logged_in(make_staff("Publishers"))

    for record, referrer in referred_to():
        delete_url = admin_url(type(record), "delete", record.pk)
        page = client.get(delete_url)
        assert page.status_code == 200
        content = page.content.decode()
        assert "would require deleting the following protected related objects" in content
        link = admin_url(type(referrer), "change", referrer.pk)
        name = capfirst(referrer._meta.verbose_name)
        assert f'{name}: <a href="{link}">{escape(referrer)}</a>' in content, record

        assert client.post(delete_url, {"post": "yes"}).status_code == 200
        assert type(record).objects.filter(pk=record.pk).exists()


def test_the_delete_action_refuses_a_record_others_refer_to(db):
    client = logged_in(make_staff("Publishers"))
    topic, unused = make_topic(), make_topic()
    make_meeting(title="Tagged with it", topics=[topic])

    response = client.post(
        admin_url(Topic, "changelist"),
        {"action": "delete_selected", "_selected_action": [topic.pk, unused.pk], "post": "yes"},
    )

    assert "Cannot delete topics" in response.content.decode()
    assert Topic.objects.count() == 2


# Records the loader writes with one history row each, links and all.
LOADED_ONCE = [Country, Meeting, Official, Summit, Initiative, Source, Topic, Place]


def test_the_bundled_data_arrives_with_a_creation_row_for_every_record(sco_data):
    for model in [*LOADED_ONCE, CountryStatus, PlaceName, OfficialName, Position, StatusChange]:
        created = model.history.filter(history_type="+").values_list("id", flat=True)
        assert sorted(created) == sorted(model.objects.values_list("pk", flat=True)), model
    for model in LOADED_ONCE:
        assert model.history.count() == model.objects.count(), model
    samarkand = Summit.objects.get(data_key="CHS-22").history.get()
    assert samarkand.history_user is None  # written by the loader, not by a person
    assert samarkand.sources.count() == Summit.objects.get(data_key="CHS-22").sources.count()
