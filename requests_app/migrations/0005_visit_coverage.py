# Issue 13: visit figures and monthly coverage (遍访). Operations written by hand (only this part's own schema changes).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0004_callbacks")]

    operations = []
