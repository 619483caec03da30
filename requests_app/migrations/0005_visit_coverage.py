# Issue 13: visit figures and monthly coverage (遍访). Operations written by hand (only this part's own schema changes).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0004_callbacks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.DateField(
                        help_text="The first day of the month reminded of.", verbose_name="month"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "run",
                    models.UUIDField(
                        db_index=True, help_text="The run that recorded it.", verbose_name="run"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visit_reminders",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "visit reminder",
                "verbose_name_plural": "visit reminders",
                "ordering": ["-month", "person_id"],
            },
        ),
        migrations.AddConstraint(
            model_name="visitreminder",
            constraint=models.UniqueConstraint(
                fields=("person", "month"), name="visit_reminder_once_per_month"
            ),
        ),
    ]
