"""The editorial roles, kept in step with the models after every `migrate`.

Editors view, add, change and delete the records of the content apps (every model of the apps of
the public kinds, inline rows' models included, history tables aside; the admin keeps them from
deleting a published record), Publishers may also publish and unpublish the public kinds, and
Administrators hold every permission there is. Migration meetings/0005 made the groups; this
brings their permissions up to date with the models of the day, so that a new kind of record is
editable by the roles as soon as its migration has run.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from public.registry import content_models

ACTIONS = ("view", "add", "change", "delete")


def editing_permissions():
    app_labels = {model._meta.app_label for model in content_models()}
    names = [
        model._meta.model_name
        for app_label in app_labels
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]
    return Permission.objects.filter(
        content_type__app_label__in=app_labels,
        content_type__model__in=names,
        codename__in=[f"{action}_{name}" for action in ACTIONS for name in names],
    )


def publishing_permissions():
    return Permission.objects.filter(
        codename__in=[f"publish_{model._meta.model_name}" for model in content_models()],
        content_type__app_label__in={model._meta.app_label for model in content_models()},
    )


def sync_roles(**kwargs):
    """Give each role the permissions of today's models (run after every migrate)."""
    editing = list(editing_permissions())
    publishing = list(publishing_permissions())
    roles = {
        "Editors": editing,
        "Publishers": editing + publishing,
        "Administrators": list(Permission.objects.all()),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
