import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def acknowledge_collected_by_workers(apps, schema_editor):
    """A request a worker collected was taken up by that worker as it was collected."""
    Request = apps.get_model("requests_app", "Request")
    Request.objects.exclude(channel__in=["online", "open311"]).update(
        acknowledged_at=F("created_at"), acknowledged_by=F("collected_by")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0005_visit_coverage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
        ),
        migrations.AddField(
            model_name="request",
            name="acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="acknowledged by",
            ),
        ),
        migrations.AlterField(
            model_name="requestevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("collected", "Collected"),
                    ("answered_on_spot", "Answered on the spot"),
                    ("case_opened", "Case opened"),
                    ("merged", "Merged"),
                    ("rejected", "Rejected"),
                    ("photo_added", "Photo added"),
                    ("acknowledged", "Acknowledged"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(acknowledge_collected_by_workers, migrations.RunPython.noop),
    ]
