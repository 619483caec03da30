# Issue 13: call-back verification's point sources. Operations written by hand (only this part's own schema changes).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_honours")]

    operations = []
