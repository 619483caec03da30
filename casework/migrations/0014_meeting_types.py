"""Meeting types as data (四方协商, 联席会议, 居民议事会, 其他); topics (议题), a case or none.

Every meeting recorded before types existed was a four-party consultation; every agenda item was
a case on the agenda, and becomes a topic about that case, titled by it.
"""

import django.db.models.deletion
from django.db import migrations, models

TYPES = [
    ("four_party", "四方协商", "Four-party consultation", 10),
    ("joint", "联席会议", "Joint meeting", 20),
    ("residents_council", "居民议事会", "Residents' council", 30),
    ("other", "其他", "Other", 90),
]


def seed_types(apps, schema_editor):
    MeetingType = apps.get_model("casework", "MeetingType")
    for code, name, name_en, order in TYPES:
        MeetingType.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def title_topics(apps, schema_editor):
    AgendaItem = apps.get_model("casework", "AgendaItem")
    items = list(AgendaItem.objects.filter(title="").select_related("case"))
    for item in items:
        item.title = (item.case.title if item.case_id else "")[:120] or "—"
    AgendaItem.objects.bulk_update(items, ["title"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0013_field_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=64, verbose_name="name")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=64, verbose_name="English name"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "meeting type",
                "verbose_name_plural": "meeting types",
                "ordering": ["order", "code"],
            },
        ),
        migrations.RunPython(seed_types, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="agendaitem",
            options={
                "ordering": ["meeting_id", "id"],
                "verbose_name": "topic",
                "verbose_name_plural": "topics",
            },
        ),
        migrations.AlterModelOptions(
            name="meeting",
            options={
                "ordering": ["-held_at", "-id"],
                "verbose_name": "meeting",
                "verbose_name_plural": "meetings",
            },
        ),
        # Every meeting so far was a four-party consultation.
        migrations.AddField(
            model_name="meeting",
            name="type",
            field=models.ForeignKey(
                default="four_party",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="casework.meetingtype",
                to_field="code",
                verbose_name="meeting type",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="title",
            field=models.CharField(default="", max_length=120, verbose_name="topic"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agenda_items",
                to="casework.case",
                verbose_name="case",
            ),
        ),
        # Last: an agenda item becomes a topic titled by its case.
        migrations.RunPython(title_topics, migrations.RunPython.noop),
    ]
