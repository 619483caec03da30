# Issue 13: call-back verification's point sources. Operations written by hand (only this part's own schema changes).

from decimal import Decimal

from django.db import migrations

#: A failed call-back (抽查回访) takes points off, in the category of the answer it voids.
POINTS = Decimal("-5")


def add_rule(apps, schema_editor):
    PointRule = apps.get_model("scoring", "PointRule")
    answered = PointRule.objects.filter(source="answered_on_spot").first()
    if answered is None or PointRule.objects.filter(source="callback_failed").exists():
        return
    PointRule.objects.create(
        source="callback_failed",
        indicator_id=answered.indicator_id,
        points=POINTS,
        note="抽查回访不实：该现场解答作废并扣分",
    )


def remove_rule(apps, schema_editor):
    apps.get_model("scoring", "PointRule").objects.filter(source="callback_failed").delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_honours")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
