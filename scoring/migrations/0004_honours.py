# Issue 13: stars the report's way: quotas, yearly and cumulative ranking, nominations, awards.
# Operations written by hand (only this part's own schema changes), then the default quotas.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (subject, stars, at most this share of a county's ranked, in percent): few stars, as the
# report means them. A county of 44 workers (the demo's): 1, 2, 3, 4 and 5 at 5★ … 1★, 15 of
# 44; one of 136: 4, 6, 10, 13 and 16, 49 of 136 (percentiles alone gave 102).
QUOTAS = [
    ("person", 5, "3"),
    ("person", 4, "5"),
    ("person", 3, "8"),
    ("person", 2, "10"),
    ("person", 1, "12"),
]


def add_quotas(apps, schema_editor):
    StarThreshold = apps.get_model("scoring", "StarThreshold")
    for subject, stars, share in QUOTAS:
        StarThreshold.objects.filter(subject=subject, stars=stars, max_share__isnull=True).update(
            max_share=share
        )


def remove_quotas(apps, schema_editor):
    StarThreshold = apps.get_model("scoring", "StarThreshold")
    StarThreshold.objects.filter(subject="person").update(max_share=None)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0003_appeals_dual_reports"),
        ("casework", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="starthreshold",
            name="max_count",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="At most this many of a county's ranked get this level. Empty: no limit.",
                null=True,
                verbose_name="at most this many per county",
            ),
        ),
        migrations.AddField(
            model_name="starthreshold",
            name="max_share",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="At most this percentage of a county's ranked (rounded down) get this level. Empty: no limit. A tied group that would exceed it gets the level below.",
                max_digits=5,
                null=True,
                verbose_name="at most this share per county, in percent",
            ),
        ),
        migrations.AddConstraint(
            model_name="starthreshold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("max_share__isnull", True),
                    models.Q(("max_share__gte", 0), ("max_share__lte", 100)),
                    _connector="OR",
                ),
                name="star_threshold_share_is_percent",
            ),
        ),
        migrations.CreateModel(
            name="NominationRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "title",
                    models.CharField(
                        default="星级社区工作者", max_length=64, verbose_name="title"
                    ),
                ),
                (
                    "candidate_count",
                    models.PositiveSmallIntegerField(
                        default=10, verbose_name="candidates proposed from cumulative points"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("opened_at", models.DateTimeField(verbose_name="opened at")),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                ),
                (
                    "county",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nomination_rounds",
                        to="casework.orgunit",
                        verbose_name="county",
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="opened by",
                    ),
                ),
            ],
            options={
                "verbose_name": "nomination round",
                "verbose_name_plural": "nomination rounds",
                "ordering": ["-year", "county__path", "title"],
            },
        ),
        migrations.CreateModel(
            name="Nomination",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("points", "Proposed from cumulative points"),
                            ("supervisor", "Nominated by a supervisor"),
                        ],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "cumulative_total",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=12,
                        verbose_name="cumulative points",
                    ),
                ),
                (
                    "cumulative_rank",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="rank in county"
                    ),
                ),
                ("nominated_at", models.DateTimeField(verbose_name="nominated at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the county"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_reason",
                    models.TextField(blank=True, verbose_name="reason for the decision"),
                ),
                (
                    "community",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="community",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "nominated_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="nominated by",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        help_text="Where the person was ranked when nominated.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="unit",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="scoring.nominationround",
                        verbose_name="round",
                    ),
                ),
            ],
            options={
                "verbose_name": "nomination",
                "verbose_name_plural": "nominations",
                "ordering": ["round", "cumulative_rank", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HonourAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("opened", "Round opened"),
                            ("proposed", "Proposed from cumulative points"),
                            ("nominated", "Nominated by a supervisor"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("closed", "Round closed"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="at")),
                ("note", models.TextField(blank=True, verbose_name="reason")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="data")),
                (
                    "actor",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "nomination",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="scoring.nomination",
                        verbose_name="nomination",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="scoring.nominationround",
                        verbose_name="round",
                    ),
                ),
            ],
            options={
                "verbose_name": "honour action",
                "verbose_name_plural": "honour actions",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Award",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("title", models.CharField(max_length=64, verbose_name="title")),
                (
                    "stars",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[(1, "★"), (2, "★★"), (3, "★★★"), (4, "★★★★"), (5, "★★★★★")],
                        null=True,
                        verbose_name="stars",
                    ),
                ),
                (
                    "cumulative_total",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, verbose_name="cumulative points"
                    ),
                ),
                (
                    "certificate_number",
                    models.CharField(max_length=32, verbose_name="certificate number"),
                ),
                ("approved_at", models.DateTimeField(verbose_name="approved at")),
                (
                    "approved_by",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approved by",
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="community",
                    ),
                ),
                (
                    "county",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="county",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="awards",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.orgunit",
                        verbose_name="unit",
                    ),
                ),
                (
                    "nomination",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award",
                        to="scoring.nomination",
                        verbose_name="nomination",
                    ),
                ),
            ],
            options={
                "verbose_name": "award",
                "verbose_name_plural": "awards",
                "ordering": ["-year", "county_id", "certificate_number"],
                "indexes": [models.Index(fields=["county", "year"], name="award_county_year")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("county", "year", "certificate_number"),
                        name="award_unique_certificate",
                    ),
                    models.UniqueConstraint(fields=("person", "year"), name="award_one_per_year"),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="nominationround",
            constraint=models.UniqueConstraint(
                fields=("county", "year", "title"), name="nominationround_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(
                fields=("round", "person"), name="nomination_unique_person"
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="nomination_decision_has_reason",
            ),
        ),
        migrations.RunPython(add_quotas, remove_quotas),
    ]
