import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SATISFACTION = [
    ("satisfied", "Satisfied"),
    ("basically_satisfied", "Basically satisfied"),
    ("unsatisfied", "Unsatisfied"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("selfservice", "0001_door"),
        ("casework", "0018_resident_feedback"),
        ("requests_app", "0006_online_door"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResidentRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "round",
                    models.PositiveSmallIntegerField(
                        help_text="Which result it answers: 0 the first, 1 after one redo…",
                        verbose_name="result",
                    ),
                ),
                ("solved", models.BooleanField(verbose_name="solved")),
                (
                    "satisfaction",
                    models.CharField(
                        choices=SATISFACTION, max_length=24, verbose_name="satisfaction"
                    ),
                ),
                (
                    "comment",
                    models.TextField(blank=True, max_length=500, verbose_name="comment"),
                ),
                (
                    "via",
                    models.CharField(
                        choices=[("track", "Tracking page"), ("sms", "SMS link")],
                        max_length=8,
                        verbose_name="answered on",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="answered at")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.caseevent",
                        verbose_name="history event",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "resident's rating",
                "verbose_name_plural": "residents' ratings",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "round"), name="rating_once_per_result"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RatingLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="result")),
                (
                    "token_digest",
                    models.CharField(max_length=64, unique=True, verbose_name="token digest"),
                ),
                ("created_at", models.DateTimeField(verbose_name="made at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="used at")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="casework.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "rating link",
                "verbose_name_plural": "rating links",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "round"), name="rating_link_once_per_result"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RatingDisagreement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="result")),
                ("visit_at", models.DateTimeField(verbose_name="return visit at")),
                (
                    "visit_solved",
                    models.BooleanField(verbose_name="solved, at the return visit"),
                ),
                (
                    "visit_satisfaction",
                    models.CharField(
                        choices=SATISFACTION,
                        max_length=24,
                        verbose_name="satisfaction, at the return visit",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="flagged at")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "To check"),
                            ("worker_stands", "The return visit stands"),
                            ("resident_right", "The resident is right"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "checked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="checked at"),
                ),
                ("note", models.TextField(blank=True, max_length=500, verbose_name="note")),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.case",
                        verbose_name="case",
                    ),
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
                    "rating",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disagreement",
                        to="selfservice.residentrating",
                        verbose_name="resident's rating",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.caseevent",
                        verbose_name="return visit",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        help_text="Who recorded the return visit.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="worker",
                    ),
                ),
            ],
            options={
                "verbose_name": "rating disagreement",
                "verbose_name_plural": "rating disagreements",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        fields=["outcome", "created_at"], name="disagreement_outcome_time"
                    ),
                    models.Index(fields=["worker", "visit_at"], name="disagreement_worker_time"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "round"), name="rating_disagreement_once_per_result"
                    )
                ],
            },
        ),
    ]
