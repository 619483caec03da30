from django.urls import path

import casework.urlconverters  # noqa: F401  (the <id:…> converter)
from casework.views import cases, inbox, meetings, tokens
from casework.views.dashboard import dashboard_page
from casework.views.home import home
from casework.views.org import unit_detail
from casework.views.worker_rates import my_rates_page

urlpatterns = [
    path("", home, name="home"),
    path("units/<id:pk>/", unit_detail, name="unit-detail"),
    path("cases/", cases.case_queues, name="case-queues"),
    path("cases/mine/", cases.case_mine, name="case-mine"),
    path("cases/<id:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<id:pk>/photos/<id:photo_pk>/", cases.case_photo, name="case-photo"),
    path("cases/<id:pk>/<slug:action>/", cases.case_act, name="case-act"),
    path("meetings/", meetings.meeting_index, name="meeting-list"),
    path("meetings/new/", meetings.meeting_new, name="meeting-new"),
    path("meetings/<id:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<id:pk>/decide/", meetings.meeting_decide_view, name="meeting-decide"),
    path("meetings/<id:pk>/topics/", meetings.meeting_topic_view, name="meeting-topic"),
    path("dashboard/", dashboard_page, name="dashboard"),
    path("me/rates/", my_rates_page, name="my-rates"),
    path("me/tokens/", tokens.token_index, name="my-tokens"),
    path("me/tokens/<id:pk>/rename/", tokens.token_rename_view, name="my-token-rename"),
    path("me/tokens/<id:pk>/revoke/", tokens.token_revoke_view, name="my-token-revoke"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<id:pk>/read/", inbox.inbox_read, name="inbox-read"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox-read-all"),
    path("inbox/preferences/", inbox.preferences, name="inbox-preferences"),
]
