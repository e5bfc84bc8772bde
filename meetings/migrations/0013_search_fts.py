from django.db import migrations

# SQLite's full-text index of each public kind: an FTS5 table named after the model's table,
# whose rowid is the record's id and whose columns hold its search document by weight (a names
# and titles, b people and places, c long text), and a view of its terms for spelling variants.
# public.search keeps them up to date. On PostgreSQL the search_vector columns serve instead.
TABLES = [
    "meetings_meeting",
    "meetings_summit",
    "meetings_official",
    "meetings_country",
    "initiatives_initiative",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5(a, b, c, "
            f"tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts_terms "
            f"USING fts5vocab({table}_fts, col)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts_terms")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0012_cache_generation"),
        ("initiatives", "0004_history_and_versions"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
