"""The editorial roles: Editors, Publishers and Administrators, as groups with their permissions.

Editors view, add, change and delete the records of both apps (the admin keeps them from
deleting a published record), Publishers may also publish and unpublish, and Administrators
hold every permission there is, users' and groups' included. A user also needs `is_staff` to
reach the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Every model editors work on, the history tables aside.
CONTENT = {
    "meetings": [
        "attestation",
        "country",
        "countrystatus",
        "disagreement",
        "meeting",
        "official",
        "officialname",
        "organization",
        "participation",
        "place",
        "placename",
        "position",
        "post",
        "source",
        "summit",
        "topic",
    ],
    "initiatives": ["initiative", "statuschange"],
}
PUBLISHABLE = {
    "meetings": ["country", "meeting", "official", "summit"],
    "initiatives": ["initiative"],
}
ROLES = ("Editors", "Publishers", "Administrators")


def permissions(Permission, models, actions):
    found = []
    for app_label, names in models.items():
        for name in names:
            for action in actions:
                found.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{name}"
                    )
                )
    return found


def create_roles(apps, schema_editor):
    # Permissions are otherwise created after all migrations have run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editing = permissions(Permission, CONTENT, ("view", "add", "change", "delete"))
    publishing = permissions(Permission, PUBLISHABLE, ("publish",))

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editing)
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(editing + publishing)
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("initiatives", "0004_history_and_versions"),
        ("meetings", "0004_history_and_versions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
