"""The embedded default's stand-in for Celery beat: a thread in the development server that runs
the deadline sweep on a timer, so ``make run`` sends reminders with no broker."""

from __future__ import annotations

import logging
import os
import sys
import threading

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger("minqing.sweeper")
_started = False


def _loop(interval: float, stop: threading.Event) -> None:
    from casework.services.sweep import deadline_sweep

    while not stop.wait(interval):
        try:
            close_old_connections()
            deadline_sweep()
        except Exception:  # keep the timer alive; the next tick retries
            log.exception("in-process sweep failed")
        finally:
            close_old_connections()


def start_if_wanted() -> threading.Event | None:
    """Start the timer in ``runserver``'s serving process when no broker is configured."""
    global _started
    if _started or not getattr(settings, "MINQING_SWEEP_IN_PROCESS", False):
        return None
    serving = "runserver" in sys.argv and os.environ.get("RUN_MAIN") == "true"
    if not serving:
        return None
    _started = True
    stop = threading.Event()
    interval = float(getattr(settings, "MINQING_SWEEP_SECONDS", 60))
    threading.Thread(target=_loop, args=(interval, stop), name="sweeper", daemon=True).start()
    log.info("deadline sweep runs in-process every %s s (no broker configured)", interval)
    return stop
