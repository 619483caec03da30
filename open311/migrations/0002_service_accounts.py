"""Flag the accounts of the keys issued before ``User.is_service_account`` existed."""

from django.db import migrations


def flag_accounts(apps, schema_editor):
    Open311Key = apps.get_model("open311", "Open311Key")
    User = apps.get_model("casework", "User")
    User.objects.filter(pk__in=Open311Key.objects.values("account_id")).update(
        is_service_account=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("casework", "0017_service_accounts"),
    ]

    operations = [migrations.RunPython(flag_accounts, migrations.RunPython.noop)]
