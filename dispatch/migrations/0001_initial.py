import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0017_service_accounts"),
        ("requests_app", "0006_online_door"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DispatchModel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(db_index=True, verbose_name="trained at")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("learned", "Learned from the history"),
                            ("keywords", "Keywords of the category names (too little history)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("is_active", models.BooleanField(default=False, verbose_name="active")),
                (
                    "activated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="made active at"),
                ),
                (
                    "samples",
                    models.PositiveIntegerField(default=0, verbose_name="requests learned from"),
                ),
                ("classes", models.PositiveIntegerField(default=0, verbose_name="categories")),
                (
                    "heldout_size",
                    models.PositiveIntegerField(default=0, verbose_name="held-out requests"),
                ),
                (
                    "heldout_from",
                    models.DateTimeField(blank=True, null=True, verbose_name="held out from"),
                ),
                (
                    "heldout_to",
                    models.DateTimeField(blank=True, null=True, verbose_name="held out until"),
                ),
                ("top1", models.FloatField(blank=True, null=True, verbose_name="top-1 accuracy")),
                ("top3", models.FloatField(blank=True, null=True, verbose_name="top-3 accuracy")),
                ("metrics", models.JSONField(blank=True, default=dict, verbose_name="details")),
                (
                    "blob",
                    models.BinaryField(default=b"", editable=False, verbose_name="fitted model"),
                ),
                (
                    "signature",
                    models.CharField(
                        blank=True, editable=False, max_length=64, verbose_name="signature"
                    ),
                ),
                (
                    "trained_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when trained by the schedule or the command line.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trained by",
                    ),
                ),
            ],
            options={
                "verbose_name": "dispatch model",
                "verbose_name_plural": "dispatch models",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_active", True)),
                        fields=("is_active",),
                        name="dispatch_one_active",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Suggestion",
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
                            ("learned", "Learned from the history"),
                            ("keywords", "Keywords of the category names (too little history)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "categories",
                    models.JSONField(default=list, verbose_name="categories suggested"),
                ),
                (
                    "units",
                    models.JSONField(default=list, verbose_name="handling units suggested"),
                ),
                ("accepted", models.BooleanField(verbose_name="first suggestion filed")),
                (
                    "in_top3",
                    models.BooleanField(verbose_name="filed among the three suggested"),
                ),
                ("channel", models.CharField(max_length=16, verbose_name="channel")),
                ("collected_at", models.DateTimeField(verbose_name="collected at")),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="recorded at"),
                ),
                (
                    "chosen",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.category",
                        verbose_name="category filed",
                    ),
                ),
                (
                    "model",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when no model had been trained yet (keywords).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="suggestions",
                        to="dispatch.dispatchmodel",
                        verbose_name="model version",
                    ),
                ),
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="suggestion",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
                (
                    "suggested",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.category",
                        verbose_name="first suggestion",
                    ),
                ),
            ],
            options={
                "verbose_name": "dispatch suggestion",
                "verbose_name_plural": "dispatch suggestions",
                "ordering": ["-collected_at", "-id"],
                "indexes": [
                    models.Index(fields=["collected_at"], name="suggestion_time"),
                    models.Index(
                        fields=["chosen", "collected_at"], name="suggestion_chosen_time"
                    ),
                ],
            },
        ),
    ]
