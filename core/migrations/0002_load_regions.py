from django.db import migrations


def load_regions(apps, schema_editor):
    from core.services import regions_ensure

    regions_ensure(province_model=apps.get_model("core", "Province"), city_model=apps.get_model("core", "City"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
