"""Every admin address refuses a write to a staff user without the permission to make it.

The addresses come from the URL resolver, filled in with a record of each model (and a version
of it from its history). Each is sent a POST that would delete, change or restore records, by a
staff user who may view everything but change nothing, and by one with no permission at all.
The answer must be a refusal (403, 405 or the login page), and no row may change, unless the
view is one of READS, which write nothing (a list's search and actions form, a download, the
history pages): those may answer, but still change no row. A new admin view that writes without
checking the user's permissions fails here, as does one whose address cannot be filled in.
"""

import re
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    make_attestation,
    make_country_status,
    make_disagreement,
    make_official,
    make_official_name,
    make_participation,
    make_place_name,
    make_status_change,
    make_summit,
    make_topic,
)

# Admin views that write nothing: the user's own sign-in, password and two-factor pages (the
# last sets up only the signed-in user's own device), and views that only read (a POST to a
# list is its actions form, which offers only permitted actions).
READS = {
    "index", "app_index", "login", "logout", "password_change", "password_change_done",
    "i18n_javascript", "autocomplete_view", "shortcut", "catch_all_view", "view",
    "changelist_view", "history_view", "history_compare_view", "export_action",
    "two_factor_setup",
}  # fmt: skip
WRITING_APPS = ("meetings", "initiatives", "auth", "admin", "django_tasks_database", "otp_totp")


@pytest.fixture
def records(db):
    """A record of every model the admin edits, with its history."""
    make_attestation()
    make_participation()
    make_disagreement()
    make_status_change()
    make_country_status()
    make_place_name()
    make_official_name()
    make_topic()
    make_summit()
    make_official()
    TOTPDevice.objects.create(user=User.objects.create_user("owner"), name="Phone")


def view_only_staff():
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def staff_without_permissions():
    return User.objects.create_user("nobody", is_staff=True)


def admin_routes():
    """(route, view name) of every admin URL pattern."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                view = pattern.callback
                yield prefix + str(pattern.pattern), getattr(view, "__name__", repr(view))

    return [(route, name) for route, name in walk(get_resolver().url_patterns, "")
            if route.startswith("admin/")]  # fmt: skip


def address(route):
    """`route` with its parameters filled in with a record of its model."""
    model = None
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if match and match.group(1) in WRITING_APPS:
        model = apps.get_model(match.group(1), match.group(2))
    record = model._default_manager.order_by("pk").first() if model else None
    if record:
        pk = str(record.pk)
    else:
        pk = (
            str(uuid.UUID(int=1))
            if model and model._meta.pk.get_internal_type() == "UUIDField"
            else "1"
        )
    if "/history/([^/]+)" in route:
        version = model.history.filter(**{model._meta.pk.attname: record.pk}).first()
        route = route.replace("^([^/]+)/history/([^/]+)/$", f"{pk}/history/{version.pk}/")
    other = model._default_manager.exclude(pk=pk).first() if model else None
    filled = (
        route.replace("<path:object_id>", pk)
        .replace("<int:other_id>", str(other.pk) if other else "1")
        .replace("<id>", pk)
        .replace("<int:pk>", pk)
        .replace("<str:job>", str(uuid.UUID(int=1)))  # an import's progress page
        .replace("<path:content_type_id>", str(ContentType.objects.get_for_model(User).pk))
        .replace("^(?P<app_label>auth|django_tasks_database|meetings|initiatives)/$", "meetings/")
        .replace("(?P<url>.*)$", "nowhere/")
    )
    filled = re.sub(r"\^\(\?P<app_label>[\w|]+\)/\$", "meetings/", filled)
    assert re.fullmatch(r"[\w./-]*", filled), f"cannot fill in {route}"
    return "/" + filled


def snapshot():
    """Every row of the apps that hold what editors and administrators write (a user's last
    sign-in aside, which signing the test's user in sets)."""
    return {
        model._meta.label: [
            {name: value for name, value in row.items() if name != "last_login"}
            for row in model._default_manager.order_by("pk").values()
        ]
        for label in WRITING_APPS
        for model in apps.get_app_config(label).get_models()
    }


def payload():
    """What a form, a list's actions or a restore would send, for every record there is."""
    selected = [str(pk) for pk in range(1, 50)]
    return {
        "action": "delete_selected",
        "_selected_action": selected,
        "post": "yes",
        "title": "Changed",
        "name": "Changed",
        "slug": "changed",
        "state": "published",
        "_save": "Save",
    }


def refused(response):
    if response.status_code in (403, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("make_user", [view_only_staff, staff_without_permissions])
def test_no_admin_view_writes_for_a_user_without_the_permission(client, records, make_user):
    user = make_user()
    before = snapshot()
    checked = []
    for route, view in admin_routes():
        url = address(route)
        # Signed in afresh each time: the logout page, among the others, signs the user out.
        client.force_login(user)
        response = client.post(url, payload())
        if view not in READS:
            assert refused(response), f"{url} ({view}) answered {response.status_code}"
        assert response.status_code < 500, url
        if view == "two_factor_setup":
            # The one row it may write: the user's own device, not confirmed by a wrong code.
            assert not TOTPDevice.objects.filter(confirmed=True, user=user).exists()
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        assert snapshot() == before, f"{url} ({view}) changed rows"
        checked.append(view)
    assert {"history_form_view", "process_import", "import_action", "add_view",
            "change_view", "delete_view", "user_change_password",
            "two_factor_setup"} <= set(checked)  # fmt: skip


def test_a_view_only_user_sees_a_version_to_restore_but_cannot_restore_it(client, db):
    official = make_official(name="Before")
    version = official.history.first()
    official.name = "After"
    official.save()
    client.force_login(view_only_staff())
    url = f"/admin/meetings/official/{official.pk}/history/{version.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Before", "slug": official.slug, "_save": "Save"})
    assert response.status_code == 403
    official.refresh_from_db()
    assert official.name == "After"


def test_an_editor_still_restores_a_version(client, db):
    official = make_official(name="Before")
    version = official.history.first()
    official.name = "After"
    official.save()
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    url = f"/admin/meetings/official/{official.pk}/history/{version.pk}/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(url, {**data, "version": official.version, "_save": "Save"})
    assert response.status_code in (200, 302)


def test_autocomplete_answers_only_a_user_who_may_view_the_records(client, records):
    url = "/admin/autocomplete/?app_label=meetings&model_name=participation&field_name=official"
    client.force_login(staff_without_permissions())
    assert client.get(url).status_code == 403
    client.force_login(view_only_staff())
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["results"]
