"""Every collected request, through any door, gets its suggestion recorded once committed."""

from django.db import transaction

from dispatch.models import Suggestion
from requests_app.services import request_collect


def _collect(people, tree, category, text, **extra):
    return request_collect(
        actor=people.grid_a1,
        channel=extra.pop("channel", "onsite"),
        category=category,
        unit=extra.pop("unit", tree.building_a1),
        description=text,
        **extra,
    )


def test_a_request_filed_under_the_first_suggestion_is_recorded_as_accepted(
    people, tree, cats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _collect(people, tree, cats.water, "家里停水了")
    suggestion = Suggestion.objects.get(request=request)
    assert suggestion.accepted and suggestion.in_top3
    assert suggestion.suggested_id == cats.water.pk
    assert suggestion.chosen_id == cats.water.pk
    assert suggestion.categories[0] == {
        "category": cats.water.pk,
        "score": suggestion.categories[0]["score"],
    }
    assert suggestion.kind == "keywords" and suggestion.model is None
    assert suggestion.channel == "onsite"
    assert suggestion.collected_at == request.collected_at


def test_a_changed_suggestion_is_recorded_as_not_accepted(
    people, tree, cats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _collect(people, tree, cats.noise, "电梯故障，电梯停了")
    suggestion = Suggestion.objects.get(request=request)
    assert suggestion.suggested_id == cats.lift.pk
    assert not suggestion.accepted
    assert suggestion.chosen_id == cats.noise.pk


def test_the_learned_version_that_answered_is_recorded(
    people, tree, cats, history, learn_from_few, django_capture_on_commit_callbacks
):
    from dispatch.services import model_train

    history(40)
    version = model_train(actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        request = _collect(people, tree, cats.lift, "电梯困人了")
    suggestion = Suggestion.objects.get(request=request)
    assert suggestion.model == version and suggestion.kind == "learned"
    assert suggestion.accepted


def test_requests_collected_together_are_recorded_together(
    people, tree, cats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        made = [_collect(people, tree, cats.light, f"路灯不亮{i}") for i in range(3)]
    assert Suggestion.objects.filter(request__in=made, accepted=True).count() == 3


def test_a_request_through_the_api_door_is_recorded(
    api_as, people, tree, cats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_as(people.grid_a1).post(
            "/api/v1/requests/",
            {
                "channel": "hotline",
                "category": cats.noise.pk,
                "unit": tree.compound_a1.pk,
                "description": "楼下广场舞噪音扰民",
            },
            format="json",
        )
    assert answer.status_code == 201, answer.content
    suggestion = Suggestion.objects.get(request_id=answer.json()["id"])
    assert suggestion.channel == "hotline" and suggestion.accepted


def test_a_rolled_back_collection_leaves_no_record(
    people, tree, cats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _collect(people, tree, cats.water, "停水了")
                raise RuntimeError("the door failed after collecting")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Suggestion.objects.exists()


def test_a_failing_suggestion_never_undoes_the_collection(
    people, tree, cats, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from dispatch.services import recording

    def broken(items):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(recording, "suggest_many", broken)
    with django_capture_on_commit_callbacks(execute=True):
        request = _collect(people, tree, cats.water, "停水了")
    request.refresh_from_db()
    assert not Suggestion.objects.exists()
    assert "not recorded" in caplog.text


def test_requests_of_one_transaction_are_recorded_whichever_callback_runs(
    people, tree, cats, django_capture_on_commit_callbacks
):
    first = _collect(people, tree, cats.water, "停水了")
    with django_capture_on_commit_callbacks(execute=True):
        second = _collect(people, tree, cats.light, "路灯不亮")
    assert Suggestion.objects.filter(request__in=[first, second]).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        third = _collect(people, tree, cats.noise, "噪音扰民")
    assert Suggestion.objects.filter(request=third, accepted=True).exists()
