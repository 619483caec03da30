"""Appeals (申诉): a worker disputes an entry of a computed, unpublished quarter; the county
decides; an upheld appeal corrects the points by a manual entry that computing again keeps; the
quarter is published only once its appeals are decided. Through the services, the pages and the
API, as each role, with the refusals."""

import io
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Notification, Role
from casework.services import membership_grant, person_create
from scoring import services
from scoring.models import (
    Appeal,
    AppealEvent,
    AppealStatus,
    QuarterStatus,
    ScoreEntry,
    ScoringPolicy,
)
from scoring.selectors.explain import person_explanation


def _person(username, unit, role):
    user = person_create(username=username, name=username, password="pw-for-tests-9731")
    membership_grant(user=user, unit=unit, role=role)
    return user


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("proof.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(people, tree, quarters, card, compute, rule, settings, tmp_path):
    """Last quarter computed (not published): grid A1 logged 4 special service card lines at
    2 points each (8 points), grid B1 logged 1 (2 points). Appeals stay open for 400 days."""
    settings.MEDIA_ROOT = tmp_path / "media"
    policy = ScoringPolicy.objects.get(pk=1)
    policy.appeal_days = 400
    policy.save()
    rule("service_card_special", 2)
    card(people.grid_a1, kind="special", n=4)
    card(people.grid_b1, kind="special", n=1)
    quarter = compute(quarters.last)
    county_sup = _person("county-sup", tree.county, Role.SUPERVISOR)

    def entry(person=None):
        return ScoreEntry.objects.get(
            quarter=quarter, person=person or people.grid_a1, source="service_card_special"
        )

    return type(
        "W", (), {"quarter": quarter, "county_sup": county_sup, "entry": staticmethod(entry)}
    )


def _file(people, world, **kwargs):
    return services.appeal_file(
        actor=people.grid_a1, entry=world.entry(), reason="第三次入户走访漏记了", **kwargs
    )


# --- The services ---------------------------------------------------------------------------


def test_an_upheld_appeal_corrects_the_points_and_survives_recomputation(
    people, world, compute, quarters
):
    entry = world.entry()
    assert entry.points == D("8.00")  # 4 lines × 2 points, counted by hand
    appeal = _file(people, world, evidence_text="走访登记表第12页")
    assert (appeal.status, appeal.points, appeal.entry_key) == (
        AppealStatus.PENDING,
        D("8.00"),
        f"service_card_special:{entry.indicator_id}",
    )
    assert appeal.unit == people.grid_a1.memberships.get().unit
    # The county (and the city above it) decides; the town and community are not told.
    told = set(Notification.objects.filter(kind="appeal_filed").values_list("user", flat=True))
    assert told == {world.county_sup.pk, people.admin.pk}

    decided = services.appeal_decide(
        actor=world.county_sup,
        appeal=appeal,
        upheld=True,
        reason="登记表属实，应为10分",
        corrected_points="10",
    )
    assert (decided.status, decided.corrected_points, decided.adjustment) == (
        AppealStatus.UPHELD,
        D("10.00"),
        D("2.00"),
    )
    correction = decided.correction
    assert (correction.manual, correction.points, correction.indicator_id) == (
        True,
        D("2.00"),
        entry.indicator_id,
    )
    world.quarter.refresh_from_db()
    assert world.quarter.stale
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True)) == [
        "filed",
        "upheld",
    ]
    assert Notification.objects.get(kind="appeal_decided").user == people.grid_a1

    # Computing again replaces the derived entry (a new row) and keeps the correction.
    quarter = compute(quarters.last)
    fresh = world.entry()
    assert fresh.pk != entry.pk
    assert ScoreEntry.objects.filter(pk=correction.pk, points=D("2.00")).exists()
    x = person_explanation(viewer=people.grid_a1, quarter=quarter, person_id=people.grid_a1.pk)
    lines = {line.entry.pk: line for block in x.blocks for line in block.lines}
    assert [a.pk for a in lines[fresh.pk].appeals] == [appeal.pk]
    assert lines[correction.pk].corrects.pk == appeal.pk
    assert x.total == D("10.00")  # 8 derived + 2 corrected, the ranking's total
    assert x.result.total == D("10.00")


def test_upheld_by_default_cancels_the_disputed_points(people, world):
    appeal = services.appeal_decide(
        actor=world.county_sup, appeal=_file(people, world), upheld=True, reason="重复登记"
    )
    assert (appeal.corrected_points, appeal.adjustment, appeal.correction.points) == (
        D("0.00"),
        D("-8.00"),
        D("-8.00"),
    )


def test_a_rejected_appeal_changes_no_points(people, world):
    appeal = services.appeal_decide(
        actor=world.county_sup, appeal=_file(people, world), upheld=False, reason="无登记记录"
    )
    assert appeal.status == AppealStatus.REJECTED
    assert appeal.correction is None
    assert not ScoreEntry.objects.filter(manual=True).exists()
    world.quarter.refresh_from_db()
    assert not world.quarter.stale


def test_filing_refusals_write_nothing(people, world, quarters):
    other = world.entry(people.grid_b1)
    with pytest.raises(NotFound):
        services.appeal_file(actor=people.grid_a1, entry=other, reason="不是我的")
    with pytest.raises(ValidationFailed) as error:
        services.appeal_file(actor=people.grid_a1, entry=world.entry(), reason="  ")
    assert error.value.field == "reason"
    _file(people, world)
    with pytest.raises(Conflict) as error:
        _file(people, world)
    assert error.value.code == "appeal_pending"
    # Out of the window: the quarter ended more than ``appeal_days`` ago.
    policy = ScoringPolicy.objects.get(pk=1)
    policy.appeal_days = 0
    policy.save()
    with pytest.raises(Conflict) as error:
        services.appeal_file(actor=people.grid_b1, entry=other, reason="漏记")
    assert error.value.code == "appeal_closed"
    assert quarters.last.last_day.isoformat() in error.value.message
    assert Appeal.objects.count() == 1
    assert AppealEvent.objects.count() == 1


def test_a_published_quarter_takes_no_appeal(people, world, quarters):
    services.quarter_publish(quarter=quarters.last, actor=people.admin)
    with pytest.raises(Conflict) as error:
        _file(people, world)
    assert error.value.code == "appeal_closed"
    # The published quarter is the reason (已发布), not the appeal window's closing date.
    assert quarters.last.code in error.value.message and "已发布" in error.value.message
    assert quarters.last.last_day.isoformat() not in error.value.message
    assert not Appeal.objects.exists()


def test_a_correction_is_not_appealed_again(people, world):
    appeal = services.appeal_decide(
        actor=world.county_sup, appeal=_file(people, world), upheld=True, reason="属实"
    )
    with pytest.raises(ValidationFailed) as error:
        services.appeal_file(actor=people.grid_a1, entry=appeal.correction, reason="再申诉")
    assert error.value.code == "appeal_correction"


@pytest.mark.parametrize("who", ["grid_a1", "supervisor_a", "town_supervisor", "grid_b1"])
def test_only_the_county_decides(people, world, who):
    appeal = _file(people, world)
    with pytest.raises(NotPermitted):
        services.appeal_decide(
            actor=getattr(people, who), appeal=appeal, upheld=False, reason="不予支持"
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert AppealEvent.objects.count() == 1


def test_a_decided_appeal_is_not_decided_again_nor_withdrawn(people, world):
    appeal = services.appeal_decide(
        actor=world.county_sup, appeal=_file(people, world), upheld=False, reason="不予支持"
    )
    with pytest.raises(Conflict) as error:
        services.appeal_decide(actor=people.admin, appeal=appeal, upheld=True, reason="改判")
    assert error.value.code == "appeal_decided"
    with pytest.raises(Conflict):
        services.appeal_withdraw(actor=people.grid_a1, appeal=appeal)
    assert not ScoreEntry.objects.filter(manual=True).exists()


def test_decision_input_is_checked(people, world):
    appeal = _file(people, world)
    for kwargs, field in [
        ({"upheld": True, "reason": ""}, "reason"),
        ({"upheld": True, "reason": "x", "corrected_points": "8"}, "corrected_points"),
        ({"upheld": True, "reason": "x", "corrected_points": "abc"}, "corrected_points"),
        ({"upheld": True, "reason": "x", "corrected_points": "500"}, "corrected_points"),
        ({"upheld": False, "reason": "x", "corrected_points": "3"}, "corrected_points"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            services.appeal_decide(actor=world.county_sup, appeal=appeal, **kwargs)
        assert error.value.field == field, kwargs
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert not ScoreEntry.objects.filter(manual=True).exists()


def test_only_the_appellant_withdraws(people, world):
    appeal = _file(people, world)
    with pytest.raises(NotPermitted):
        services.appeal_withdraw(actor=world.county_sup, appeal=appeal)
    assert services.appeal_withdraw(actor=people.grid_a1, appeal=appeal).status == "withdrawn"
    # Withdrawn, the entry may be appealed again.
    assert _file(people, world).status == AppealStatus.PENDING


def _numbers(message: str) -> list[str]:
    """The figures a refusal names, whatever the language it is written in."""
    return re.findall(r"\d+", message)


def test_publishing_waits_for_the_appeals(people, world, quarters, compute):
    first = _file(people, world)
    services.appeal_file(actor=people.grid_b1, entry=world.entry(people.grid_b1), reason="漏记")
    with pytest.raises(Conflict) as error:
        services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert error.value.code == "appeals_pending"
    assert _numbers(error.value.message) == ["2"]  # 本季度待裁决的申诉：2 项
    services.appeal_decide(actor=world.county_sup, appeal=first, upheld=True, reason="属实")
    with pytest.raises(Conflict) as error:
        services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert error.value.code == "appeals_pending"
    assert _numbers(error.value.message) == ["1"]
    services.appeal_withdraw(
        actor=people.grid_b1, appeal=Appeal.objects.get(person=people.grid_b1)
    )
    compute(quarters.last)  # the upheld correction made the quarter stale
    published = services.quarter_publish(quarter=quarters.last, actor=people.admin)
    assert published.status == QuarterStatus.PUBLISHED


def test_evidence_photo_is_reencoded_and_a_bad_one_refused(people, world):
    appeal = _file(people, world, evidence_photo=_jpeg())
    assert appeal.evidence_photo.name.startswith("scoring/appeals/")
    services.appeal_withdraw(actor=people.grid_a1, appeal=appeal)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as error:
        _file(people, world, evidence_photo=bad)
    assert error.value.field == "evidence_photo"
    assert Appeal.objects.count() == 1


# --- The API --------------------------------------------------------------------------------


def test_the_api_files_lists_decides_and_withdraws(people, world, api_as, quarters):
    api = api_as(people.grid_a1)
    response = api.post(
        "/api/v1/scoring/appeals/",
        {"entry": world.entry().pk, "reason": "漏记一次走访"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    again = api.post(
        "/api/v1/scoring/appeals/", {"entry": world.entry().pk, "reason": "再次"}, format="json"
    )
    assert again.status_code == 409
    missing = api.post("/api/v1/scoring/appeals/", {"entry": world.entry().pk}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    not_mine = api.post(
        "/api/v1/scoring/appeals/",
        {"entry": world.entry(people.grid_b1).pk, "reason": "x"},
        format="json",
    )
    assert not_mine.status_code == 404

    # Scoped lists: own, and the county's queue; the town and community see none.
    for who, count in [
        (people.grid_a1, 1),
        (world.county_sup, 1),
        (people.admin, 1),
        (people.town_supervisor, 0),
        (people.supervisor_a, 0),
        (people.grid_b1, 0),
    ]:
        body = api_as(who).get("/api/v1/scoring/appeals/").json()
        assert body["count"] == count, who
    assert api_as(people.grid_a1).get("/api/v1/scoring/appeals/?view=queue").json()["count"] == 0
    assert api_as(people.town_supervisor).get(f"/api/v1/scoring/appeals/{pk}/").status_code == 404

    # Publishing through the API answers the same refusal.
    publish = api_as(people.admin).post(f"/api/v1/scoring/quarters/{quarters.last.code}/publish/")
    assert publish.status_code == 409
    assert publish.json()["code"] == "appeals_pending"
    assert _numbers(publish.json()["detail"]) == ["1"]

    refused = api_as(people.town_supervisor).post(
        f"/api/v1/scoring/appeals/{pk}/decide/", {"decision": "rejected", "reason": "x"}
    )
    assert refused.status_code == 404
    own = api_as(people.grid_a1).post(
        f"/api/v1/scoring/appeals/{pk}/decide/", {"decision": "upheld", "reason": "x"}
    )
    assert own.status_code == 403
    bad = api_as(world.county_sup).post(
        f"/api/v1/scoring/appeals/{pk}/decide/", {"decision": "maybe", "reason": "x"}
    )
    assert bad.status_code == 400 and "decision" in bad.json()
    decided = api_as(world.county_sup).post(
        f"/api/v1/scoring/appeals/{pk}/decide/",
        {"decision": "upheld", "reason": "属实", "corrected_points": "9"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["adjustment"]) == ("upheld", "1.00")
    twice = api_as(people.admin).post(
        f"/api/v1/scoring/appeals/{pk}/decide/", {"decision": "rejected", "reason": "x"}
    )
    assert twice.status_code == 409
    detail = api_as(people.grid_a1).get(f"/api/v1/scoring/appeals/{pk}/").json()
    assert [e["kind"] for e in detail["history"]] == ["filed", "upheld"]
    assert (
        api_as(people.grid_a1).post(f"/api/v1/scoring/appeals/{pk}/withdraw/").status_code == 409
    )

    # "Why these points" over the API carries the appeal and its decision.
    points = (
        api_as(people.grid_a1)
        .get(f"/api/v1/scoring/people/{people.grid_a1.pk}/", {"quarter": quarters.last.code})
        .json()
    )
    disputed = next(e for e in points["entries"] if e["source"] == "service_card_special")
    assert [(a["status"], a["decision_reason"]) for a in disputed["appeals"]] == [
        ("upheld", "属实")
    ]


def test_the_api_takes_a_photo_by_multipart(people, world, api_as):
    response = api_as(people.grid_a1).post(
        "/api/v1/scoring/appeals/",
        {"entry": world.entry().pk, "reason": "见照片", "evidence_photo": _jpeg()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    photo = response.json()["evidence_photo"]
    assert api_as(world.county_sup).get(photo).status_code == 200
    assert api_as(people.town_supervisor).get(photo).status_code == 404


# --- The pages ------------------------------------------------------------------------------


def test_the_pages_file_decide_and_show_the_decision(people, world, client_as, quarters):
    code = quarters.last.code
    client = client_as(people.grid_a1)
    mine = client.get(reverse("scoring:person", args=[code, people.grid_a1.pk]))
    new_url = reverse("scoring:appeal-new", args=[code, world.entry().pk])
    assert new_url in mine.content.decode()
    # Nobody else's page offers the button, even a supervisor's.
    theirs = client_as(world.county_sup).get(
        reverse("scoring:person", args=[code, people.grid_a1.pk])
    )
    assert new_url not in theirs.content.decode()
    client = client_as(people.grid_a1)
    empty = client.post(new_url, {"reason": ""})
    assert empty.status_code == 400
    response = client.post(new_url, {"reason": "漏记一次走访", "evidence_text": "登记表"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:appeal", args=[appeal.pk])
    # The button is gone while the appeal is pending.
    assert (
        new_url
        not in client.get(
            reverse("scoring:person", args=[code, people.grid_a1.pk])
        ).content.decode()
    )
    other = reverse("scoring:appeal-new", args=[code, world.entry(people.grid_b1).pk])
    assert client.get(other).status_code == 404

    # The quarter page lists the pending appeal.
    quarter_page = client_as(people.admin).get(reverse("scoring:quarter", args=[code]))
    assert reverse("scoring:appeal", args=[appeal.pk]) in quarter_page.content.decode()

    # The town supervisor cannot see it; the county's decides it.
    town = client_as(people.town_supervisor)
    assert town.get(reverse("scoring:appeal", args=[appeal.pk])).status_code == 404
    assert (
        town.post(
            reverse("scoring:appeal-decide", args=[appeal.pk]),
            {"decision": "rejected", "reason": "x"},
        ).status_code
        == 404
    )
    county = client_as(world.county_sup)
    queue = county.get(reverse("scoring:appeals"))
    assert queue.context["view"] == "queue" and queue.context["page"].paginator.count == 1
    bad = county.post(
        reverse("scoring:appeal-decide", args=[appeal.pk]), {"decision": "upheld", "reason": ""}
    )
    assert bad.status_code == 400
    done = county.post(
        reverse("scoring:appeal-decide", args=[appeal.pk]),
        {"decision": "rejected", "reason": "登记表无此次记录"},
    )
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    again = county.post(
        reverse("scoring:appeal-decide", args=[appeal.pk]), {"decision": "upheld", "reason": "x"}
    )
    assert again.status_code == 302  # refused with a message, nothing changed
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    page = client_as(people.grid_a1).get(reverse("scoring:person", args=[code, people.grid_a1.pk]))
    assert "登记表无此次记录" in page.content.decode()


def test_the_appellant_withdraws_from_the_page(people, world, client_as):
    appeal = _file(people, world)
    url = reverse("scoring:appeal-withdraw", args=[appeal.pk])
    assert client_as(world.county_sup).post(url).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert client_as(people.grid_a1).post(url).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.WITHDRAWN


# --- Query counts ---------------------------------------------------------------------------


def test_the_appeal_lists_take_a_fixed_number_of_queries(
    people, tree, world, card, compute, quarters, client_as, api_as, django_assert_num_queries
):
    workers = [people.grid_a1]
    for total in (1, 6):
        while len(workers) < total:
            worker = _person(f"w{len(workers)}", tree.grid_a2, Role.GRID_WORKER)
            card(worker, kind="special", n=1)
            workers.append(worker)
        compute(quarters.last)
        for worker in workers:
            if not Appeal.objects.filter(person=worker).exists():
                services.appeal_file(actor=worker, entry=world.entry(worker), reason="漏记")
        page = client_as(world.county_sup)
        # Session, user, deciding places (the view's and the list's), the count, the page,
        # the unread notifications in the header.
        with django_assert_num_queries(8):
            response = page.get(reverse("scoring:appeals"))
        assert response.context["page"].paginator.count == total
        api = api_as(world.county_sup)
        with django_assert_num_queries(5):
            body = api.get("/api/v1/scoring/appeals/").json()
        assert body["count"] == total
