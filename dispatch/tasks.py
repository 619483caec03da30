"""Celery tasks of dispatch: thin, they call the service."""

from __future__ import annotations

from celery import shared_task

from dispatch.services import model_train


@shared_task(name="dispatch.train")
def train_task() -> dict:
    """Train a new version of the suggestion model as the system (weekly, see the beat)."""
    version = model_train(actor=None)
    return {
        "version": version.pk,
        "kind": version.kind,
        "samples": version.samples,
        "top1": version.top1,
        "top3": version.top3,
    }
