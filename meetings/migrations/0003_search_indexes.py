from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# GIN indexes for full-text search and trigram matching exist on PostgreSQL only; on SQLite the
# search falls back to substring matching and these operations do nothing.
INDEXES = [
    ("meetings_meeting_search", "meetings_meeting", "USING gin (search_vector)"),
    ("meetings_summit_search", "meetings_summit", "USING gin (search_vector)"),
    ("meetings_official_search", "meetings_official", "USING gin (search_vector)"),
    ("meetings_country_search", "meetings_country", "USING gin (search_vector)"),
    ("initiatives_initiative_search", "initiatives_initiative", "USING gin (search_vector)"),
    ("meetings_official_name_trgm", "meetings_official", "USING gin (name gin_trgm_ops)"),
    ("meetings_officialname_name_trgm", "meetings_officialname", "USING gin (name gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, using in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {using}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _using in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_search_vector"),
        ("initiatives", "0003_search_vector"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
