# Issue 13: call-back verification (抽查回访). Operations written by hand (only this part's own schema changes).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_retention"),
        ("casework", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CallbackSample",
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
                        help_text="The first day of the month sampled.", verbose_name="month"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="from")),
                ("ends_at", models.DateTimeField(verbose_name="until")),
                ("seed", models.BigIntegerField(verbose_name="seed")),
                ("population", models.JSONField(default=list, verbose_name="answers drawn from")),
                (
                    "population_size",
                    models.PositiveIntegerField(verbose_name="answers in the month"),
                ),
                ("size", models.PositiveIntegerField(verbose_name="sample size")),
                ("rate", models.PositiveSmallIntegerField(verbose_name="rate (%)")),
                ("raised", models.BooleanField(default=False, verbose_name="raised rate")),
                (
                    "raised_for_failure",
                    models.BooleanField(
                        default=False, verbose_name="raised after a failed call-back"
                    ),
                ),
                (
                    "flagged",
                    models.BooleanField(
                        default=False,
                        help_text="The worker's on-the-spot share is far above their town's median.",
                        verbose_name="flagged for review",
                    ),
                ),
                (
                    "collected",
                    models.PositiveIntegerField(
                        default=0, verbose_name="requests collected in the month"
                    ),
                ),
                (
                    "answered_share",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        verbose_name="on-the-spot share (%)",
                    ),
                ),
                (
                    "peer_median",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        verbose_name="town median share (%)",
                    ),
                ),
                ("drawn_at", models.DateTimeField(verbose_name="drawn at")),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="fully checked at"),
                ),
                (
                    "failed_count",
                    models.PositiveIntegerField(default=0, verbose_name="failed call-backs"),
                ),
                (
                    "drawn_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when drawn by the monthly schedule.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="drawn by",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        help_text="The smallest unit holding every answer of the sample.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="place",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="worker",
                    ),
                ),
            ],
            options={
                "verbose_name": "call-back sample",
                "verbose_name_plural": "call-back samples",
                "ordering": ["-month", "worker_id"],
            },
        ),
        migrations.CreateModel(
            name="Callback",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("answered_at", models.DateTimeField(verbose_name="answered at")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the call-back"),
                            ("confirmed", "Confirmed by the resident"),
                            ("failed", "Failed: not answered as recorded"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=500, verbose_name="note")),
                (
                    "checked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="checked at"),
                ),
                (
                    "checked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="checked by",
                    ),
                ),
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="callback",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
                (
                    "sample",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="callbacks",
                        to="requests_app.callbacksample",
                        verbose_name="sample",
                    ),
                ),
            ],
            options={
                "verbose_name": "call-back",
                "verbose_name_plural": "call-backs",
                "ordering": ["answered_at", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="callbacksample",
            index=models.Index(fields=["worker", "starts_at"], name="callback_sample_worker_time"),
        ),
        migrations.AddIndex(
            model_name="callbacksample",
            index=models.Index(fields=["month"], name="callback_sample_month"),
        ),
        migrations.AddConstraint(
            model_name="callbacksample",
            constraint=models.UniqueConstraint(
                fields=("worker", "month"), name="callback_sample_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="callbacksample",
            constraint=models.CheckConstraint(
                condition=models.Q(("size__lte", models.F("population_size"))),
                name="callback_sample_within_population",
            ),
        ),
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(fields=["outcome", "answered_at"], name="callback_outcome_time"),
        ),
        migrations.AddConstraint(
            model_name="callback",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("checked_at__isnull", True), ("outcome", "pending")),
                    models.Q(
                        models.Q(("outcome", "pending"), _negated=True),
                        ("checked_at__isnull", False),
                        ("checked_by__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="callback_checked_has_checker",
            ),
        ),
        migrations.AddConstraint(
            model_name="callback",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome", "failed"), _negated=True),
                    models.Q(("note", ""), _negated=True),
                    _connector="OR",
                ),
                name="callback_failed_has_note",
            ),
        ),
    ]
