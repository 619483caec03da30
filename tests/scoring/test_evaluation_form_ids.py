"""The evaluations sheet has one small form per worker: each row's controls have ids of their
own and a label naming the worker, while the POST keeps the field names the view reads."""

import re
from collections import Counter

from django.urls import reverse

from scoring import services
from scoring.models import SupervisorEvaluation


def test_each_row_has_its_own_ids_and_labels_and_still_posts(client_as, people, quarters):
    quarter = services.quarter_get_or_create(quarters.last)
    client = client_as(people.admin)
    url = reverse("scoring:evaluations", args=[quarter.code])
    page = client.get(url).content.decode()
    rows = re.findall(r'<tr id="worker-(\d+)"', page)
    assert len(rows) >= 2, rows  # enough rows for ids to collide

    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    for pk in rows:
        for field in ("person", "grade", "note"):
            assert f'id="id_{field}_{pk}"' in page
        for field in ("grade", "note"):
            assert re.search(rf'<label class="sr-only" for="id_{field}_{pk}">[^<]+</label>', page)
    # The field names are unchanged: the form still saves.
    assert page.count('name="grade"') == len(rows) and page.count('name="note"') == len(rows)
    response = client.post(
        url, {"person": people.grid_a1.pk, "grade": "excellent", "note": "主动作为"}
    )
    assert response.status_code == 302
    saved = SupervisorEvaluation.objects.get(person=people.grid_a1)
    assert (saved.grade, saved.note) == ("excellent", "主动作为")
