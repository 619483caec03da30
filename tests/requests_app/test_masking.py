"""Every list and export of residents shows phones and ID numbers masked."""

import io
import re
import zipfile

from django.urls import reverse

from tests.requests_app.conftest import valid_id_number

# Not after a decimal point: a workbook stores times as fractions of a day (46357.1471061…), whose
# digits after the point may look like a phone number at some times of day.
PHONE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def _unmasked(text: str) -> list[str]:
    return PHONE.findall(text) + ID_NUMBER.findall(text)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return " ".join(book.read(name).decode() for name in book.namelist())


def test_lists_pages_api_and_exports_show_numbers_masked(
    client_as, api_as, collect, people, categories, django_user_model
):
    for n, phone in enumerate(["13812345678", "15900001111", "18677778888"]):
        request = collect(
            category=categories.subsistence,
            id_number=valid_id_number(f"45092319900101{n}12"),
            resident={"name": f"居民{n}", "phone": phone, "address": "阳光小区"},
        )
    page = client_as(people.grid_a1)
    api = api_as(people.grid_a1)
    texts = {
        "request list page": page.get(reverse("requests_app:list")).content.decode(),
        "resident page": page.get(
            reverse("requests_app:resident", args=[request.resident_id])
        ).content.decode(),
        "request page": page.get(
            reverse("requests_app:detail", args=[request.pk])
        ).content.decode(),
        "residents API": api.get("/api/v1/residents/").content.decode(),
        "resident API": api.get(f"/api/v1/residents/{request.resident_id}/").content.decode(),
        "residents search": api.post(
            "/api/v1/residents/search/", {"search": "居民"}, format="json"
        ).content.decode(),
        "requests API": api.get("/api/v1/requests/").content.decode(),
        "requests XLSX": _xlsx_text(api.get("/api/v1/requests/", {"format": "xlsx"}).content),
    }
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-73917")
    admin = client_as(root)
    texts["residents admin"] = admin.get(
        reverse("admin:requests_app_resident_changelist")
    ).content.decode()
    texts["requests admin"] = admin.get(
        reverse("admin:requests_app_request_changelist")
    ).content.decode()
    # The numbers are there, masked: the scan looks at real rows.
    assert "138****5678" in texts["residents API"] and "138****5678" in texts["requests XLSX"]
    assert {name: _unmasked(text) for name, text in texts.items() if _unmasked(text)} == {}
