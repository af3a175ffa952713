"""Load the 9 English regions and the 153 councils with children's services.

Source and attribution: peerchallenge/data/README.md (mySociety, MIT licence).
"""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "english_las.csv"


def load(apps, schema_editor):
    Region = apps.get_model("peerchallenge", "Region")
    LocalAuthority = apps.get_model("peerchallenge", "LocalAuthority")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for name in sorted({row["region"] for row in rows}):
        regions[name], _ = Region.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    for row in rows:
        LocalAuthority.objects.update_or_create(
            gss_code=row["gss_code"],
            defaults={
                "dfe_code": row["dfe_la_code"],
                "name": row["name"],
                "official_name": row["official_name"],
                "la_type": row["la_type"],
                "region": regions[row["region"]],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("peerchallenge", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
