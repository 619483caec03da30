"""The Celery application.

Configured from Django settings (``CELERY_*``). With no ``REDIS_URL`` the settings make every task
run eagerly in-process, so the embedded default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("minqing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
