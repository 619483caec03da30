"""``/open311/v2/``: each resource with its format suffix (``.xml`` or ``.json``)."""

from django.urls import re_path

from open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,8})$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services_list, name="services"),
    re_path(
        r"^services/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, views.service_definition, name="service"
    ),
    re_path(r"^requests" + FMT, views.requests_, name="requests"),
    re_path(r"^requests/(?P<pk>[^/.]{1,32})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/.]{1,64})" + FMT, views.token, name="token"),
]
