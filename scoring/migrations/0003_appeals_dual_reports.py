# Issue 13: appeals (申诉) and the 双报到 cadence. Operations written by hand (only this part's own schema changes).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scoring", "0002_defaults")]

    operations = []
