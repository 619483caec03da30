# Choices only: the resident's own rating (issue 15).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0017_service_accounts")]

    operations = [
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('opened', 'Opened'), ('assigned', 'Assigned'), ('accepted', 'Signed for'), ('returned', 'Returned'), ('resolved', 'Resolved'), ('feedback', 'Feedback recorded'), ('resident_feedback', "Resident's own rating"), ('reopened', 'Reopened'), ('closed', 'Closed'), ('cancelled', 'Cancelled'), ('escalated', 'Escalated'), ('chased', 'Chased'), ('reminded', 'Reminder sent'), ('consulted', 'Consultation decision'), ('request_merged', 'Request merged'), ('note', 'Note'), ('photo', 'Photo added'), ('transferred', 'Transferred (转办)'), ('sent_up', 'Sent up a level (兜底)'), ('co_reported', 'Co-handler reported its part'), ('extension_requested', 'Extension applied for'), ('extension_decided', 'Extension decided'), ('parked', 'Parked (挂账)'), ('unparked', 'Taken off the parked list')], max_length=24, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('assigned', 'Case assigned to you'), ('returned', 'Case returned'), ('resolved', 'Case resolved: visit the resident'), ('reopened', 'Case reopened for redo'), ('sign_overdue', 'Not signed for in time'), ('due_soon', 'Due soon'), ('due_now', 'Due now'), ('escalated', 'Overdue case escalated to you'), ('chased', 'Chased by a supervisor'), ('digest', 'Daily digest'), ('transferred', 'Case transferred to you'), ('co_handling', 'Your unit is asked to co-handle a case'), ('co_due_soon', 'Your part of a case is due soon'), ('co_overdue', 'Your part of a case is overdue'), ('co_reported', 'A co-handler reported its part'), ('extension', 'Extension applied for'), ('ext_decided', 'Extension decided'), ('park_review', 'Parked case due for review'), ('reveal_burst', 'Many personal numbers shown in full'), ('appeal_filed', 'An appeal of points awaits your decision'), ('appeal_decided', 'Your appeal of points is decided'), ('callbacks_drawn', 'Call-backs drawn for you to check'), ('visit_remind', 'No visit to your community yet this month'), ('rating_disputed', "A resident's rating disagrees with the return visit")], max_length=16, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='kind',
            field=models.CharField(choices=[('assigned', 'Case assigned to you'), ('returned', 'Case returned'), ('resolved', 'Case resolved: visit the resident'), ('reopened', 'Case reopened for redo'), ('sign_overdue', 'Not signed for in time'), ('due_soon', 'Due soon'), ('due_now', 'Due now'), ('escalated', 'Overdue case escalated to you'), ('chased', 'Chased by a supervisor'), ('digest', 'Daily digest'), ('transferred', 'Case transferred to you'), ('co_handling', 'Your unit is asked to co-handle a case'), ('co_due_soon', 'Your part of a case is due soon'), ('co_overdue', 'Your part of a case is overdue'), ('co_reported', 'A co-handler reported its part'), ('extension', 'Extension applied for'), ('ext_decided', 'Extension decided'), ('park_review', 'Parked case due for review'), ('reveal_burst', 'Many personal numbers shown in full'), ('appeal_filed', 'An appeal of points awaits your decision'), ('appeal_decided', 'Your appeal of points is decided'), ('callbacks_drawn', 'Call-backs drawn for you to check'), ('visit_remind', 'No visit to your community yet this month'), ('rating_disputed', "A resident's rating disagrees with the return visit")], max_length=16, verbose_name='kind'),
        ),
    ]
