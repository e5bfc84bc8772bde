from django.db import migrations


def forget_counts(apps, schema_editor):
    # Counts made ahead now hold one option more than a facet shows, to tell that it has more;
    # those stored before are counted again (on request until the next refresh).
    apps.get_model("meetings", "FacetSummary").objects.update(facets=None)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0013_search_fts")]

    operations = [migrations.RunPython(forget_counts, migrations.RunPython.noop)]
