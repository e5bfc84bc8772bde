"""Two editors open the same record: the second save is refused, the first one's changes stay."""

import pytest
from django.db.models import F

from editorial.admin.base import CONFLICT, PublishableForm
from initiatives.models import Initiative
from meetings.models import Country, Meeting, Official, State, Summit
from tests.admin_forms import admin_url, form_data, logged_in, model_id
from tests.factories import (
    make_country,
    make_initiative,
    make_meeting,
    make_official,
    make_participation,
    make_staff,
    make_summit,
    with_source,
)

CONFLICT = str(CONFLICT)  # the message, in English

# A text field of each publishable model for the two editors to disagree on.
EDITS = {
    Country: (make_country, "notes"),
    Initiative: (make_initiative, "summary"),
    Meeting: (make_meeting, "summary"),
    Official: (make_official, "notes"),
    Summit: (make_summit, "notes"),
}


@pytest.fixture
def two_editors(db):
    return logged_in(make_staff("Editors")), logged_in(make_staff("Editors"))


@pytest.mark.parametrize("model", EDITS, ids=model_id)
def test_the_second_of_two_saves_is_refused_and_the_first_survives(two_editors, model):
    make, field = EDITS[model]
    record = make()
    url = admin_url(model, "change", record.pk)
    first, second = two_editors
    first_page, second_page = first.get(url), second.get(url)

    saved = first.post(url, form_data(first_page, **{field: "Checked against the record."}))
    refused = second.post(url, form_data(second_page, **{field: "A different reading."}))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert refused.context["adminform"].form.non_field_errors() == [CONFLICT]
    assert CONFLICT in refused.content.decode()
    record.refresh_from_db()
    assert getattr(record, field) == "Checked against the record."
    assert record.version == 2


def test_after_reloading_the_second_editor_saves(two_editors):
    meeting = make_meeting()
    url = admin_url(Meeting, "change", meeting.pk)
    first, second = two_editors
    stale = second.get(url)
    first.post(url, form_data(first.get(url), summary="First."))
    assert second.post(url, form_data(stale, summary="Second.")).status_code == 200

    reloaded = second.get(url)
    assert "First." in reloaded.content.decode()
    response = second.post(url, form_data(reloaded, summary="First, then second."))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.summary, meeting.version) == ("First, then second.", 3)


def test_a_change_to_the_inline_rows_is_guarded_too(two_editors):
    participation = make_participation(capacity="Secretary-General")
    meeting = participation.meeting
    url = admin_url(Meeting, "change", meeting.pk)
    first, second = two_editors
    first_page, second_page = first.get(url), second.get(url)

    first.post(url, form_data(first_page, **{"participations-0-capacity": "SCO Secretary-General"}))
    refused = second.post(url, form_data(second_page, **{"participations-0-DELETE": "on"}))

    assert CONFLICT in refused.content.decode()
    participation.refresh_from_db()
    assert participation.capacity == "SCO Secretary-General"


def test_the_form_carries_the_version_hidden(two_editors):
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(version=7)

    page = two_editors[0].get(admin_url(Meeting, "change", meeting.pk))

    assert '<input type="hidden" name="version" value="7"' in page.content.decode()


def test_publishing_in_between_makes_an_open_form_stale(db):
    editor, publisher = make_staff("Editors"), make_staff("Publishers")
    meeting = with_source(make_meeting())
    url = admin_url(Meeting, "change", meeting.pk)
    editor_client = logged_in(editor)
    page = editor_client.get(url)

    logged_in(publisher).post(
        admin_url(Meeting, "changelist"), {"action": "publish", "_selected_action": [meeting.pk]}
    )
    refused = editor_client.post(url, form_data(page, summary="Late change."))

    assert CONFLICT in refused.content.decode()
    meeting.refresh_from_db()
    assert (meeting.state, meeting.summary) == (State.PUBLISHED, "")


def test_a_save_that_overtakes_the_forms_check_is_refused_by_the_update(two_editors, monkeypatch):
    """The check in the form reads the version; the save's own UPDATE is what guarantees it."""
    meeting = make_meeting(summary="As loaded.")
    url = admin_url(Meeting, "change", meeting.pk)
    client = two_editors[0]
    page = client.get(url)
    clean = PublishableForm.clean

    def clean_then_someone_saves(form):
        cleaned_data = clean(form)
        Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
        return cleaned_data

    monkeypatch.setattr(PublishableForm, "clean", clean_then_someone_saves)
    response = client.post(url, form_data(page, summary="Overtaken."), follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert CONFLICT in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.summary == "As loaded."


def test_claiming_a_version_is_one_conditional_update(db):
    meeting = make_meeting()

    assert meeting.claim_version(1)
    assert not Meeting.objects.get(pk=meeting.pk).claim_version(1)
    assert Meeting.objects.get(pk=meeting.pk).version == 2


def test_every_save_moves_the_version_on(db):
    meeting = make_meeting()
    assert meeting.version == 1

    meeting.save()
    meeting.save(update_fields=["summary"])

    assert Meeting.objects.get(pk=meeting.pk).version == 3
