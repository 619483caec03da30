# Issue 13: appeals (申诉) and the 双报到 cadence. Operations written by hand (only this part's own schema changes).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_defaults"),
        ("casework", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Appeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("entry_key", models.CharField(max_length=60, verbose_name="entry")),
                (
                    "entry_id_filed",
                    models.PositiveBigIntegerField(null=True, verbose_name="entry id when filed"),
                ),
                ("source", models.CharField(max_length=40, verbose_name="source")),
                (
                    "quantity",
                    models.DecimalField(decimal_places=2, max_digits=12, verbose_name="quantity"),
                ),
                (
                    "points",
                    models.DecimalField(
                        decimal_places=2, max_digits=10, verbose_name="disputed points"
                    ),
                ),
                ("refs", models.TextField(blank=True, verbose_name="evidence ids")),
                ("entry_text", models.TextField(blank=True, verbose_name="entry as shown")),
                ("reason", models.TextField(verbose_name="reason")),
                ("evidence_text", models.TextField(blank=True, verbose_name="evidence")),
                (
                    "evidence_photo",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        upload_to="scoring/appeals/",
                        verbose_name="evidence photo",
                    ),
                ),
                ("filed_at", models.DateTimeField(verbose_name="filed at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting the county's decision"),
                            ("upheld", "Upheld"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
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
                    "corrected_points",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="corrected points",
                    ),
                ),
                (
                    "adjustment",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="adjustment",
                    ),
                ),
            ],
            options={
                "verbose_name": "appeal",
                "verbose_name_plural": "appeals",
                "ordering": ["-filed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="AppealEvent",
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
                            ("filed", "Filed"),
                            ("upheld", "Upheld"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="at")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="data")),
            ],
            options={
                "verbose_name": "appeal event",
                "verbose_name_plural": "appeal events",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="DualCadenceRecord",
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
                            ("report_in", "Reported in on arrival (报到)"),
                            ("monthly", "Monthly account (月度报告)"),
                            ("quarterly", "Quarterly meeting (季度座谈会)"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("period", models.PositiveSmallIntegerField(verbose_name="month or quarter")),
                ("held_on", models.DateField(verbose_name="date")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
                ),
                (
                    "withdraw_reason",
                    models.CharField(blank=True, max_length=300, verbose_name="why withdrawn"),
                ),
            ],
            options={
                "verbose_name": "双报到 cadence record",
                "verbose_name_plural": "双报到 cadence records",
                "ordering": ["registration_id", "kind", "period", "id"],
            },
        ),
        migrations.AddField(
            model_name="scoringpolicy",
            name="appeal_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="A worker may appeal an entry of a computed, unpublished quarter until this many days after the quarter's last day.",
                verbose_name="days after a quarter ends to appeal its points",
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="source",
            field=models.CharField(
                choices=[
                    ("case_opened", "Case opened for a resident"),
                    ("case_accepted_on_time", "Case signed for on time"),
                    ("case_accepted_late", "Case signed for late"),
                    ("case_resolved_on_time", "Case resolved on time"),
                    ("case_resolved_late", "Case resolved late"),
                    ("case_overdue", "Case overdue, per period escalated"),
                    ("case_reopened", "Case reopened for redo"),
                    ("case_returned_wrongly", "Case returned wrongly"),
                    ("feedback_satisfied", "Resident satisfied"),
                    ("feedback_basically_satisfied", "Resident basically satisfied"),
                    ("feedback_unsatisfied", "Resident unsatisfied"),
                    ("feedback_visit", "Return visit recorded"),
                    ("consultation_decision", "Four-party consultation decision"),
                    ("answered_on_spot", "Request answered on the spot"),
                    ("callback_failed", "On-the-spot answer failed its call-back"),
                    ("service_card_routine", "Service card: routine work (weekly)"),
                    ("service_card_special", "Service card: special work (per event)"),
                    ("service_card_key", "Service card: key work (per activity)"),
                    ("commitment_kept", "Pledge verified as kept"),
                    ("commitment_broken", "Pledge found broken"),
                    ("dual_service_hours", "Dual registration service hours"),
                    ("volunteer_participation", "Took part in a volunteer activity"),
                    ("volunteer_organised", "Organised a volunteer activity"),
                    ("volunteer_people_served", "People served by an activity"),
                    ("evaluation_excellent", "Supervisor's evaluation: excellent"),
                    ("evaluation_good", "Supervisor's evaluation: good"),
                    ("evaluation_fair", "Supervisor's evaluation: fair"),
                    ("evaluation_poor", "Supervisor's evaluation: poor"),
                    ("unit_response_rate", "Community response rate"),
                    ("unit_resolution_rate", "Community resolution rate"),
                    ("unit_satisfaction_rate", "Community satisfaction rate"),
                    ("manual", "Manual adjustment"),
                ],
                max_length=40,
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="pointrule",
            name="source",
            field=models.CharField(
                choices=[
                    ("case_opened", "Case opened for a resident"),
                    ("case_accepted_on_time", "Case signed for on time"),
                    ("case_accepted_late", "Case signed for late"),
                    ("case_resolved_on_time", "Case resolved on time"),
                    ("case_resolved_late", "Case resolved late"),
                    ("case_overdue", "Case overdue, per period escalated"),
                    ("case_reopened", "Case reopened for redo"),
                    ("case_returned_wrongly", "Case returned wrongly"),
                    ("feedback_satisfied", "Resident satisfied"),
                    ("feedback_basically_satisfied", "Resident basically satisfied"),
                    ("feedback_unsatisfied", "Resident unsatisfied"),
                    ("feedback_visit", "Return visit recorded"),
                    ("consultation_decision", "Four-party consultation decision"),
                    ("answered_on_spot", "Request answered on the spot"),
                    ("callback_failed", "On-the-spot answer failed its call-back"),
                    ("service_card_routine", "Service card: routine work (weekly)"),
                    ("service_card_special", "Service card: special work (per event)"),
                    ("service_card_key", "Service card: key work (per activity)"),
                    ("commitment_kept", "Pledge verified as kept"),
                    ("commitment_broken", "Pledge found broken"),
                    ("dual_service_hours", "Dual registration service hours"),
                    ("volunteer_participation", "Took part in a volunteer activity"),
                    ("volunteer_organised", "Organised a volunteer activity"),
                    ("volunteer_people_served", "People served by an activity"),
                    ("evaluation_excellent", "Supervisor's evaluation: excellent"),
                    ("evaluation_good", "Supervisor's evaluation: good"),
                    ("evaluation_fair", "Supervisor's evaluation: fair"),
                    ("evaluation_poor", "Supervisor's evaluation: poor"),
                    ("unit_response_rate", "Community response rate"),
                    ("unit_resolution_rate", "Community resolution rate"),
                    ("unit_satisfaction_rate", "Community satisfaction rate"),
                ],
                max_length=40,
                unique=True,
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="correction",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="scoring.scoreentry",
                verbose_name="correcting entry",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="indicator",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="scoring.indicator",
                verbose_name="indicator category",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="score_appeals",
                to=settings.AUTH_USER_MODEL,
                verbose_name="appellant",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="quarter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appeals",
                to="scoring.quarter",
                verbose_name="quarter",
            ),
        ),
        migrations.AddField(
            model_name="appeal",
            name="unit",
            field=models.ForeignKey(
                help_text="Where the appellant was ranked; the county above it decides.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="casework.orgunit",
                verbose_name="unit",
            ),
        ),
        migrations.AddField(
            model_name="appealevent",
            name="actor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="appealevent",
            name="appeal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="scoring.appeal",
                verbose_name="appeal",
            ),
        ),
        migrations.AddField(
            model_name="dualcadencerecord",
            name="recorded_by",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="dualcadencerecord",
            name="registration",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cadence",
                to="scoring.dualregistration",
                verbose_name="registration",
            ),
        ),
        migrations.AddField(
            model_name="dualcadencerecord",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="withdrawn by",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["quarter", "status"], name="appeal_quarter_status"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["person", "-filed_at"], name="appeal_person"),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("quarter", "person", "entry_key"),
                name="appeal_one_pending_per_entry",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["pending", "withdrawn"]),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="appeal_decision_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="dualcadencerecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("registration", "kind", "period"),
                name="dualcadence_one_per_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="dualcadencerecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True),
                    models.Q(("withdraw_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="dualcadence_withdrawn_has_reason",
            ),
        ),
    ]
