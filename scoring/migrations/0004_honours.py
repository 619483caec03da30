# Issue 13: stars the report's way: quotas, yearly and cumulative ranking, nominations, awards. Operations written by hand (only this part's own schema changes).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scoring", "0003_appeals_dual_reports")]

    operations = []
