"""Queueing background work after a commit, without ever failing the request that committed.

The rule: once a step has committed, nothing raises into the request. What a step queues (an
e-mail, the routing slip, any later task) is published to the broker after the commit by
``enqueue_on_commit``; when publishing fails (Redis down, a timeout) the failure is logged and
the work stays where a periodic sweep finds it (unsent e-mails: ``office.tasks.
resend_pending_email``; archived documents without a routing slip: ``documents.tasks.
store_missing_routing_slips``). So every task queued here must have such a sweep behind it.

Publishing is bounded: the broker's socket timeouts (``CELERY_BROKER_TRANSPORT_OPTIONS``) cap
one attempt at about two seconds, and after a failure this process does not try again for
``PAUSE_SECONDS``: a step that notifies ten people waits for the broker at most once, and the
requests that follow do not wait at all until the pause is over.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 30.0
BROKER_ERRORS = (OperationalError, OSError, TimeoutError)

_lock = threading.Lock()
_paused_until = 0.0


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish ``task(*args, **kwargs)`` after the current transaction commits (at once when
    there is none). Never raises: see ``publish``."""
    transaction.on_commit(lambda: publish(task, *args, **kwargs))


def publish(task, *args, **kwargs) -> bool:
    """Send the task to the broker now. Returns True when it was published; on a broker failure
    (or while publishing is paused after one) logs a warning, returns False and leaves the work
    to its sweep. Any other error is logged with its traceback and swallowed too: the step it
    follows has committed and must still report success."""
    global _paused_until
    name = getattr(task, "name", repr(task))
    if time.monotonic() < _paused_until:
        logger.warning("broker unavailable: %s%r not queued, left for the sweep", name, args)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS as exc:
        with _lock:
            _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("broker unavailable (%s): %s%r not queued, left for the sweep; not "
                       "publishing for %d s", exc, name, args, PAUSE_SECONDS)
        return False
    except Exception:
        logger.exception("queueing %s%r failed after the commit; left for the sweep", name, args)
        return False
    return True


def resume() -> None:
    """Forget an earlier broker failure (tests, and a worker that just reconnected)."""
    global _paused_until
    with _lock:
        _paused_until = 0.0


def paused() -> bool:
    return time.monotonic() < _paused_until
