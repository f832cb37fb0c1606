"""Load the bundled GB/T 2260 division datasets and the default personnel categories."""

from django.db import migrations


def load(apps, schema_editor):
    from xueshi_identity.categories import ensure_default_categories
    from xueshi_identity.divisions import load_bundled

    load_bundled(apps.get_model("xueshi_identity", "AdminDivision"))
    ensure_default_categories(apps.get_model("xueshi_identity", "PersonnelCategory"))


class Migration(migrations.Migration):
    dependencies = [("xueshi_identity", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
