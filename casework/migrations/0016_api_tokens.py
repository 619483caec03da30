"""Personal API tokens, stored as digests; DRF's clear-text ``authtoken`` table goes.

Keys kept in clear by DRF's ``authtoken`` cannot be turned into digests that someone was shown,
so those tokens stop working: each person makes new ones on their tokens page. The old table
held working keys in clear; it is dropped (with its migration records) once the app is gone from
``INSTALLED_APPS``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_authtoken(apps, schema_editor):
    if "rest_framework.authtoken" in settings.INSTALLED_APPS:
        return
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('authtoken_token')}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0015_issue13_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="name")),
                (
                    "prefix",
                    models.CharField(db_index=True, max_length=8, verbose_name="key prefix"),
                ),
                (
                    "key_hash",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="key digest"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["user", "revoked_at"], name="apitoken_user_live")
                ],
            },
        ),
        migrations.RunPython(drop_authtoken, migrations.RunPython.noop, elidable=True),
    ]
