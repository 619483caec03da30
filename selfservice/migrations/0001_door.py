import django.db.models.deletion
import django.utils.timezone
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
            name="SpentChallenge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(max_length=64, unique=True, verbose_name="nonce")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="expires at")),
            ],
            options={
                "verbose_name": "spent challenge",
                "verbose_name_plural": "spent challenges",
            },
        ),
        migrations.CreateModel(
            name="DoorReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category_source",
                    models.CharField(
                        choices=[
                            ("chosen", "Chosen by the resident"),
                            ("suggested", "Suggested from the text"),
                            ("fallback", "Default category (no suggestion)"),
                        ],
                        max_length=16,
                        verbose_name="category from",
                    ),
                ),
                (
                    "phone_hash",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="phone look-up hash"
                    ),
                ),
                (
                    "address_hash",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="client address hash"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="filed at"
                    ),
                ),
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="door_report",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "request filed online",
                "verbose_name_plural": "requests filed online",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["phone_hash", "created_at"], name="doorreport_phone_time"
                    ),
                    models.Index(
                        fields=["address_hash", "created_at"], name="doorreport_addr_time"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Voice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phone_hash",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="phone look-up hash"
                    ),
                ),
                (
                    "address_hash",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="client address hash"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="added at"
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="voices",
                        to="requests_app.request",
                        verbose_name="request",
                    ),
                ),
            ],
            options={
                "verbose_name": "added voice",
                "verbose_name_plural": "added voices",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(fields=["address_hash", "created_at"], name="voice_addr_time")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("request", "phone_hash"), name="voice_once_per_phone"
                    )
                ],
            },
        ),
    ]
