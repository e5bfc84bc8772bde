"""Editors write drafts, Publishers publish them, Administrators run the place."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from meetings.models import Meeting, Participation, State
from tests.admin_forms import admin_url, form_data, logged_in, model_id
from tests.factories import (
    PUBLISHABLE,
    make_meeting,
    make_participation,
    make_staff,
    with_source,
)

CONTENT_APPS = ("meetings", "initiatives")


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def content_permissions(*actions):
    """Every `action` permission on the records of both apps (their history tables aside)."""
    permissions = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in permissions.select_related("content_type")
        if p.codename.split("_", 1)[0] in actions and "historical" not in p.codename
    }


def test_the_migrations_make_the_three_roles(db):
    editing = content_permissions("view", "add", "change", "delete")
    publishing = {f"{m._meta.app_label}.publish_{m._meta.model_name}" for m in PUBLISHABLE}
    assert len(editing) == 4 * 18  # every model of both apps, inline rows' models included
    assert "meetings.change_participation" in editing

    assert codenames("Editors") == editing
    assert codenames("Publishers") == editing | publishing
    administrators = codenames("Administrators")
    assert editing | publishing < administrators
    assert {"auth.add_user", "auth.change_user", "auth.change_group"} < administrators


def test_an_editor_adds_a_draft_and_the_public_does_not_see_it(editor, client):
    client_editor = logged_in(editor)
    add = client_editor.get(admin_url(Meeting, "add"))
    assert 'name="state"' not in add.content.decode()  # shown, not editable
    data = form_data(
        add,
        title="Zhang Ming met Akan Rakhmetullin",
        slug="zhang-ming-met-rakhmetullin",
        kind=Meeting.Kind.BILATERAL,
        start_date="2022-06-04",
        end_date="2022-06-04",
    )

    response = client_editor.post(admin_url(Meeting, "add"), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.state == State.DRAFT
    assert meeting.published_by is None
    assert client.get(meeting.get_absolute_url()).status_code == 404
    page = client_editor.get(admin_url(Meeting, "change", meeting.pk))
    assert "Zhang Ming met Akan Rakhmetullin" in page.content.decode()


def test_an_editor_cannot_publish_through_the_form(editor, client):
    meeting = make_meeting(title="Talks in Astana")
    client_editor = logged_in(editor)
    page = client_editor.get(admin_url(Meeting, "change", meeting.pk))

    response = client_editor.post(
        admin_url(Meeting, "change", meeting.pk), form_data(page, state=State.PUBLISHED)
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == State.DRAFT
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_publishing_is_refused_on_the_server_too(editor, publisher):
    """A save that would change the state needs the permission, whatever the form held."""
    meeting = make_meeting()
    meeting.state = State.PUBLISHED
    model_admin = admin.site._registry[Meeting]
    request = RequestFactory().post("/")

    request.user = editor
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, meeting, form=None, change=True)
    assert Meeting.objects.get().state == State.DRAFT

    request.user = publisher
    model_admin.save_model(request, meeting, form=None, change=True)
    meeting.refresh_from_db()
    assert meeting.state == State.PUBLISHED
    assert meeting.published_by == publisher


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_id)
def test_an_editor_is_not_offered_the_publishing_actions_and_cannot_use_them(editor, model):
    draft = PUBLISHABLE[model]()
    published = PUBLISHABLE[model](state=State.PUBLISHED)
    client_editor = logged_in(editor)
    url = admin_url(model, "changelist")

    changelist = client_editor.get(url)
    assert changelist.status_code == 200
    actions = [choice for choice, _ in changelist.context["action_form"].fields["action"].choices]
    assert "publish" not in actions
    assert "unpublish" not in actions

    for action in ("publish", "unpublish"):
        response = client_editor.post(
            url, {"action": action, "_selected_action": [draft.pk, published.pk]}, follow=True
        )
        assert "No action selected." in response.content.decode()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.state, published.state) == (State.DRAFT, State.PUBLISHED)


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_id)
def test_a_publisher_publishes_and_unpublishes_and_is_recorded(publisher, client, model):
    draft = with_source(PUBLISHABLE[model]())
    url = admin_url(model, "changelist")
    client_publisher = logged_in(publisher)

    response = client_publisher.post(
        url, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    assert f"1 {model._meta.verbose_name} set to published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED
    assert draft.published_by == publisher
    assert draft.published_at is not None
    latest = draft.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (publisher, "Published")
    assert LogEntry.objects.get(object_id=str(draft.pk)).user == publisher
    if hasattr(draft, "get_absolute_url"):
        assert client.get(draft.get_absolute_url()).status_code == 200

    client_publisher.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.history.latest().history_change_reason == "Unpublished"


def test_a_publisher_saving_a_record_as_published_is_recorded(publisher, client):
    meeting = with_source(make_meeting(title="Talks in Astana"))
    client_publisher = logged_in(publisher)
    page = client_publisher.get(admin_url(Meeting, "change", meeting.pk))
    assert 'name="state"' in page.content.decode()

    response = client_publisher.post(
        admin_url(Meeting, "change", meeting.pk), form_data(page, state=State.PUBLISHED)
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.published_by) == (State.PUBLISHED, publisher)
    public = client.get(meeting.get_absolute_url())
    assert "Talks in Astana" in public.content.decode()


def test_an_editor_changes_a_published_record_but_cannot_delete_it(editor):
    meeting = with_source(make_meeting(title="Talks in Astana", state=State.PUBLISHED))
    client_editor = logged_in(editor)
    change_url = admin_url(Meeting, "change", meeting.pk)
    page = client_editor.get(change_url)
    assert admin_url(Meeting, "delete", meeting.pk) not in page.content.decode()

    response = client_editor.post(change_url, form_data(page, title="Talks in Nur-Sultan"))
    assert response.status_code == 302
    assert client_editor.get(admin_url(Meeting, "delete", meeting.pk)).status_code == 403
    assert (
        client_editor.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code
        == 403
    )
    selected = {"action": "delete_selected", "_selected_action": [meeting.pk]}
    refused = client_editor.post(admin_url(Meeting, "changelist"), selected)
    assert "have permission to delete the following types of objects" in (refused.content.decode())
    confirmed = client_editor.post(admin_url(Meeting, "changelist"), {**selected, "post": "yes"})
    assert confirmed.status_code == 403

    meeting.refresh_from_db()
    assert (meeting.title, meeting.state) == ("Talks in Nur-Sultan", State.PUBLISHED)


def test_an_editor_deletes_a_draft_and_a_participant(editor):
    participation = make_participation(meeting=with_source(make_meeting(state=State.PUBLISHED)))
    draft = make_meeting()
    client_editor = logged_in(editor)

    response = client_editor.post(admin_url(Meeting, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    page = client_editor.get(admin_url(Meeting, "change", participation.meeting_id))
    data = form_data(page, **{"participations-0-DELETE": "on"})
    response = client_editor.post(admin_url(Meeting, "change", participation.meeting_id), data)
    assert response.status_code == 302

    assert list(Meeting.objects.all()) == [participation.meeting]
    assert not Participation.objects.exists()


def test_a_publisher_deletes_a_published_record(publisher):
    meeting = make_meeting(state=State.PUBLISHED)

    response = logged_in(publisher).post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_only_administrators_manage_users(editor, publisher):
    administrator = make_staff("Administrators")

    for user in (editor, publisher):
        assert logged_in(user).get(admin_url(User, "changelist")).status_code == 403
    client_admin = logged_in(administrator)
    assert client_admin.get(admin_url(User, "changelist")).status_code == 200
    response = client_admin.post(
        admin_url(User, "add"),
        {
            "username": "newcomer",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    newcomer.groups.add(Group.objects.get(name="Editors"))
    assert newcomer.has_perm("meetings.change_meeting")
    assert not newcomer.has_perm("meetings.publish_meeting")
    # The administrator may publish too.
    meeting = with_source(make_meeting())
    client_admin.post(
        admin_url(Meeting, "changelist"), {"action": "publish", "_selected_action": [meeting.pk]}
    )
    meeting.refresh_from_db()
    assert meeting.state == State.PUBLISHED


def test_a_user_without_a_role_sees_no_records(db):
    nobody = User.objects.create_user("visitor", is_staff=True)

    response = logged_in(nobody).get(admin_url(Meeting, "changelist"))

    assert response.status_code == 403
