"""The site's own error pages (400, 403, CSRF, 404, 500): in the user's language, with a way home.

The 500 page is rendered by Django with no request context; it must not need one.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("made up")


urlpatterns = [
    path("test-errors/500/", _boom),
    path("test-errors/403/", _forbidden),
    path("test-errors/400/", _suspicious),
    path("", include("config.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CHINESE = {
    404: "页面不存在",
    403: "无权操作",
    400: "请求有误",
    500: "出错了",
    "csrf": "表单已过期",
}
ENGLISH = {
    404: "Page not found",
    403: "Not allowed",
    400: "Bad request",
    500: "Something went wrong",
    "csrf": "The form has expired",
}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _client(language):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    return client


def _get(client, code):
    if code == "csrf":
        return client.post("/i18n/setlang/", {"language": "en"})
    if code == 404:
        return client.get("/no-such-page/")
    return client.get(f"/test-errors/{code}/")


@pytest.mark.parametrize("code", [404, 403, 400, 500, "csrf"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_error_page_is_our_own_in_the_users_language(code, language, people):
    client = _client(language)
    client.force_login(people.grid_a1)
    response = _get(client, code)
    assert response.status_code == (403 if code == "csrf" else code)
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert (CHINESE if language == "zh-hans" else ENGLISH)[code] in body
    assert 'class="button primary" href="/"' in body  # a way home
    assert "Django" not in body and "CSRF verification failed" not in body


def test_the_500_page_renders_for_a_visitor_who_is_not_signed_in():
    response = _client("en").get("/test-errors/500/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_error_pages_load_no_script(people):
    body = _client("en").get("/no-such-page/").content.decode()
    assert "<script" not in body and "style=" not in body
