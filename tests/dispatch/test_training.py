"""Training versions of the model: learned or keywords, measured on the most recent requests,
one active at a time, signed bytes."""

import io
import logging

import pytest
from django.core.management import call_command

from casework.errors import Conflict, NotFound, NotPermitted
from casework.models import Category
from dispatch.models import DispatchModel
from dispatch.services import active_ranker, model_activate, model_train, suggest, training
from dispatch.tasks import train_task


def test_enough_history_learns_and_measures_on_the_most_recent_fifth(history, learn_from_few):
    made = history(40)
    version = model_train(actor=None)
    assert version.kind == "learned"
    assert version.is_active
    assert (version.samples, version.classes, version.heldout_size) == (40, 4, 8)
    # The held-out slice is the last eight requests by time.
    assert version.heldout_from == made[32].collected_at
    assert version.heldout_to == made[39].collected_at
    assert version.top1 is not None and 0 <= version.top1 <= version.top3 <= 1
    assert version.metrics["seconds"] >= 0
    assert version.blob and len(version.signature) == 64
    assert version.fallback_reason == ""


def test_too_little_history_falls_back_to_keywords_and_says_so(history, cats):
    history(10)
    version = model_train(actor=None)
    assert version.kind == "keywords"
    assert version.metrics["reason"] == "samples"
    assert "10" in version.fallback_reason and "200" in version.fallback_reason
    result = suggest("路灯坏了不亮", None)
    assert result.model.kind == "keywords"
    assert result.model.version == version.pk
    assert result.categories[0].category == cats.light.pk


def test_too_few_categories_with_enough_requests_falls_back(
    history, learn_from_few, cats, people, tree
):
    from requests_app.services import request_collect

    history(4)  # one of each category
    for i in range(40):
        request_collect(
            actor=people.grid_a1,
            channel="onsite",
            category=cats.lift,
            unit=tree.compound_a1,
            description=f"电梯坏了{i}",
        )
    version = model_train(actor=None)
    assert version.kind == "keywords"
    assert version.metrics["reason"] == "categories"


def test_requests_of_an_inactive_category_are_not_learned(history, learn_from_few, cats):
    history(48)
    # Categories are retired in the admin (there is no service for it).
    Category.objects.filter(pk=cats.water.pk).update(is_active=False)
    version = model_train(actor=None)
    assert version.samples == 36
    assert version.classes == 3
    ids = {c.category for c in suggest("停水了，自来水没有了", None).categories}
    assert cats.water.pk not in ids


def test_a_new_version_replaces_the_active_one(
    history, learn_from_few, django_capture_on_commit_callbacks
):
    history(40)
    with django_capture_on_commit_callbacks(execute=True):
        first = model_train(actor=None)
    assert suggest("电梯停了", None).model.version == first.pk
    with django_capture_on_commit_callbacks(execute=True):
        second = model_train(actor=None)
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert DispatchModel.objects.filter(is_active=True).count() == 1
    assert suggest("电梯停了", None).model.version == second.pk


def test_an_admin_makes_an_earlier_version_active_again(
    history, learn_from_few, people, django_capture_on_commit_callbacks
):
    history(40)
    first = model_train(actor=people.admin)
    assert first.trained_by == people.admin
    with django_capture_on_commit_callbacks(execute=True):
        model_train(actor=None)
    assert suggest("电梯停了", None).model.version != first.pk
    # Every process hears of the change through the cache once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        model_activate(actor=people.admin, version_id=first.pk)
    assert suggest("电梯停了", None).model.version == first.pk


def test_only_admins_train_or_choose_a_version(history, learn_from_few, people):
    history(40)
    with pytest.raises(NotPermitted):
        model_train(actor=people.supervisor_a)
    assert not DispatchModel.objects.exists()
    version = model_train(actor=None)
    other = model_train(actor=None)
    with pytest.raises(NotPermitted):
        model_activate(actor=people.town_supervisor, version_id=version.pk)
    other.refresh_from_db()
    assert other.is_active
    with pytest.raises(NotFound):
        model_activate(actor=people.admin, version_id=999999)


def test_old_versions_keep_their_figures_but_not_their_bytes(history, learn_from_few, people):
    history(40)
    versions = [model_train(actor=None) for _ in range(training.KEEP_BLOBS + 1)]
    oldest = DispatchModel.objects.get(pk=versions[0].pk)
    assert oldest.blob == b"" and oldest.top3 is not None
    assert DispatchModel.objects.exclude(blob=b"").count() == training.KEEP_BLOBS
    with pytest.raises(Conflict):
        model_activate(actor=people.admin, version_id=oldest.pk)


def test_tampered_bytes_in_the_database_are_never_loaded(
    history, learn_from_few, caplog, django_assert_num_queries
):
    history(40)
    version = model_train(actor=None)
    blob = bytes(version.blob)
    DispatchModel.objects.filter(pk=version.pk).update(blob=blob[:-1] + bytes([blob[-1] ^ 1]))
    with caplog.at_level(logging.ERROR, logger="minqing.dispatch"):
        info, _ranker = active_ranker()
    assert info.kind == "keywords" and info.version is None
    assert "signature" in caplog.text
    with django_assert_num_queries(0):  # refused once, not read again on every call
        assert active_ranker()[0].kind == "keywords"


def test_the_command_trains_and_prints_the_figures(history, learn_from_few):
    history(40)
    out = io.StringIO()
    call_command("dispatch_train", stdout=out)
    version = DispatchModel.objects.get(is_active=True)
    assert f"Version {version.pk} (learned): 40 requests" in out.getvalue()
    assert "top-3" in out.getvalue()


def test_the_scheduled_task_trains_as_the_system(history, learn_from_few):
    history(40)
    done = train_task.delay().get()
    version = DispatchModel.objects.get(is_active=True)
    assert done == {
        "version": version.pk,
        "kind": "learned",
        "samples": 40,
        "top1": version.top1,
        "top3": version.top3,
    }
    assert version.trained_by is None


def test_the_weekly_schedule_names_the_task(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "dispatch.train"]
    assert len(entries) == 1
