"""requests_app pages, under /requests/, /visits/, /residents/ and /track/."""

from django.urls import path

import casework.urlconverters  # noqa: F401  (the <id:…> converter)
from requests_app.views import callbacks as callback_views
from requests_app.views import intake, requests, residents, track, visit_figures, visits
from requests_app.views.map import map_page

app_name = "requests_app"

urlpatterns = [
    path("requests/", requests.request_index, name="list"),
    path("requests/new/", intake.intake, name="intake"),
    path("requests/duplicates/", intake.duplicates, name="duplicates"),
    path("requests/sw.js", intake.service_worker, name="service-worker"),
    path("requests/<id:pk>/", requests.request_detail, name="detail"),
    path("requests/<id:pk>/reveal/<slug:field>/", requests.request_reveal, name="reveal"),
    path("requests/<id:pk>/photos/<id:photo_pk>/", requests.photo, name="photo"),
    path("requests/<id:pk>/<slug:action>/", requests.request_decide, name="decide"),
    path("residents/lookup/", intake.resident_lookup, name="resident-lookup"),
    path("residents/<id:pk>/", residents.resident_detail, name="resident"),
    path("residents/<id:pk>/reveal/", residents.resident_reveal, name="resident-reveal"),
    path("visits/", visits.visit_index, name="visits"),
    path("visits/new/", visits.visit_new, name="visit-new"),
    path("visits/figures/", visit_figures.visit_figures_page, name="visit-figures"),
    path("visits/coverage/", visit_figures.visit_coverage_page, name="visit-coverage"),
    path("visits/<id:pk>/", visits.visit_detail, name="visit"),
    path("callbacks/", callback_views.callback_index, name="callbacks"),
    path("callbacks/samples/", callback_views.sample_index, name="callback-samples"),
    path("callbacks/samples/draw/", callback_views.sample_draw, name="callback-draw"),
    path("callbacks/<id:pk>/record/", callback_views.callback_record_view, name="callback-record"),
    path("callbacks/<id:pk>/reveal/", callback_views.callback_reveal, name="callback-reveal"),
    path("track/", track.track, name="track"),
    path("map/", map_page, name="map"),
]
