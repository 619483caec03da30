"""The site's URLs: pages, the API under /api/v1/, the admin, health."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import casework.urlconverters  # noqa: F401  (registers the <id:…> path converter)
from casework.api.schema import SchemaDocsView, SchemaView
from casework.views.health import healthz
from casework.views.twofactor import twofactor_setup, twofactor_verify
from requests_app.views import offline as offline_views
from requests_app.views.track import track_qr
from scoring.views.public import public_pledges, public_pledges_qr

api_v1 = [
    path("", include("casework.api.urls")),
    path("", include("requests_app.api.urls")),
    path("scoring/", include("scoring.api.urls")),
    path("", include("dispatch.api.urls")),
    path("", include("selfservice.api.urls")),
]

urlpatterns = [
    path("", include("casework.urls")),
    path("", include("requests_app.urls")),
    path("scoring/", include("scoring.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("", include("selfservice.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's view keeps this session (update_session_auth_hash) and so ends every other one.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/2fa/setup/", twofactor_setup, name="twofactor-setup"),
    path("accounts/2fa/verify/", twofactor_verify, name="twofactor-verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SchemaDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    # The installable web app: its service worker at the root (scope "/"), manifest, icons.
    path("sw.js", offline_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("favicon.ico", offline_views.favicon, name="favicon"),
    path("offline/", offline_views.offline, name="offline"),
    path("outbox/", offline_views.outbox, name="outbox"),
    path("track/qr/<str:code>.svg", track_qr, name="track-qr"),
    # Pledges made public (承诺公示): no login, no resident's data; throttled per address.
    path("public/communities/<id:pk>/pledges/", public_pledges, name="public-pledges"),
    path("public/communities/<id:pk>/pledges/qr.svg", public_pledges_qr, name="public-pledges-qr"),
]

# Under /api/ a missing route and a server error answer JSON in the API's one error shape.
handler404 = "casework.api.errors.not_found"
handler500 = "casework.api.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
