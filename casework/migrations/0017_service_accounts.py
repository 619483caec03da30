"""People who are integrations: ``User.is_service_account`` (an Open311 key's account).

Such accounts collect requests for their integration but are nobody's worker: the per-worker
rates, the scoring rankings and the notifications leave them out.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0016_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_service_account",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "An integration acting through the system (an Open311 key), not a person: "
                    "never rated, ranked or asked to act."
                ),
                verbose_name="service account",
            ),
        ),
    ]
