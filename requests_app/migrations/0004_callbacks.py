# Issue 13: call-back verification (抽查回访). Operations written by hand (only this part's own schema changes).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0003_retention")]

    operations = []
